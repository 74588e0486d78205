/**
 * The audit trail (privacy officer, administrator): search by person, record, action and dates;
 * page through results newest first; check that the trail has not been altered.
 * Searching is itself recorded in the trail.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useAuth, useMe } from '../../app/auth';
import { Banner, LoadFailed, Loading, Page, Tag, useFormatDateTime } from '../../app/components';
import { DataList } from '../../app/DataList';
import { Button, ButtonGroup } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { SelectField, TextField } from '../../app/forms/fields';
import { useForm, type FormError } from '../../app/forms/useForm';
import { describeError } from '../../app/forms/errors';
import { isUuid } from '../../app/forms/checks';
import { api } from '../../app/api';
import type { UserList } from '../../../contracts/users';
import type { z } from 'zod';
import { KNOWN_ACTIONS, searchAudit, verifyAudit, type AuditEventT, type AuditTerms, type AuditVerifyT } from './audit.api';
import { startOfDay } from './zonedDate';

type Values = { actorUserId: string; targetId: string; action: string; from: string; to: string };
const EMPTY: Values = { actorUserId: '', targetId: '', action: '', from: '', to: '' };

const FIELD_FOR: Record<string, keyof Values> = { actorUserId: 'actorUserId', targetId: 'targetId', action: 'action', from: 'from', to: 'to' };

export default function AuditPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { can } = useAuth();
  const timeZone = me.organization?.timeZone;
  const [terms, setTerms] = useState<AuditTerms | null>(null);
  // Names instead of ids for the people of this organization.
  const users = useQuery({
    queryKey: ['admin', 'users'],
    queryFn: async () => (await api.get<z.infer<typeof UserList>>('/api/v1/users')).users,
    enabled: can('users.read'),
  });

  const form = useForm<Values>({
    initial: EMPTY,
    validate: (v) => {
      const e: FormError[] = [];
      if (v.targetId.trim() && !isUuid(v.targetId)) e.push({ field: 'targetId', message: t('audit.errors.recordId') });
      if (v.from && v.to && v.from > v.to) e.push({ field: 'to', message: t('audit.errors.toBeforeFrom') });
      return e;
    },
    fieldFor: (path) => FIELD_FOR[path],
    onSubmit: async (v) => {
      const next: AuditTerms = {
        ...(v.actorUserId ? { actorUserId: v.actorUserId } : {}),
        ...(v.targetId.trim() ? { targetId: v.targetId.trim().toLowerCase() } : {}),
        ...(v.action.trim() ? { action: v.action.trim() } : {}),
        ...(v.from ? { from: startOfDay(v.from, timeZone) } : {}),
        // "To" includes the whole day.
        ...(v.to ? { to: startOfDay(v.to, timeZone, 1) } : {}),
      };
      setTerms(next);
    },
  });

  const people = users.data ?? [];
  return (
    <Page title={t('audit.title')} wide hasErrors={form.errors.length > 0}>
      <p>{t('audit.intro')}</p>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form className="form audit-form" noValidate onSubmit={(e) => void form.onSubmit(e)} role="search" aria-label={t('audit.searchLabel')}>
        <div className="form-grid">
          <SelectField
            name="actorUserId"
            label={t('audit.person')}
            options={[{ value: '', label: t('audit.anyone') }, ...people.map((u) => ({ value: u.id, label: `${u.displayName} (${u.email})` }))]}
            value={form.values.actorUserId}
            error={form.errorFor('actorUserId')}
            onChange={(v) => form.set('actorUserId', v)}
          />
          <TextField
            name="targetId"
            label={t('audit.recordId')}
            hint={t('audit.recordIdHint')}
            optional
            spellCheck={false}
            autoCapitalize="none"
            autoComplete="off"
            value={form.values.targetId}
            error={form.errorFor('targetId')}
            onChange={(v) => form.set('targetId', v)}
          />
          <TextField
            name="action"
            label={t('audit.action')}
            hint={t('audit.actionHint')}
            optional
            list="audit-actions"
            spellCheck={false}
            autoCapitalize="none"
            autoComplete="off"
            value={form.values.action}
            error={form.errorFor('action')}
            onChange={(v) => form.set('action', v)}
          />
          <datalist id="audit-actions">
            {KNOWN_ACTIONS.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
          <TextField name="from" type="date" label={t('audit.from')} optional width="short" value={form.values.from} error={form.errorFor('from')} onChange={(v) => form.set('from', v)} />
          <TextField name="to" type="date" label={t('audit.to')} optional width="short" value={form.values.to} error={form.errorFor('to')} onChange={(v) => form.set('to', v)} />
        </div>
        <ButtonGroup>
          <Button type="submit">{t('audit.search')}</Button>
          <Button
            variant="secondary"
            onClick={() => {
              form.setValues(EMPTY);
              form.setErrors([]);
              setTerms(null);
            }}
          >
            {t('audit.clear')}
          </Button>
        </ButtonGroup>
      </form>
      {terms ? <Results terms={terms} people={people} /> : null}
      {can('audit.verify') ? <Verify /> : null}
    </Page>
  );
}

function Results({ terms, people }: { terms: AuditTerms; people: { id: string; displayName: string }[] }) {
  const { t } = useTranslation();
  const format = useFormatDateTime();
  const results = useInfiniteQuery({
    queryKey: ['audit', 'search', terms],
    queryFn: ({ pageParam }) => searchAudit(terms, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    staleTime: Infinity,
  });
  const events = results.data?.pages.flatMap((p) => p.events) ?? [];
  const actor = (id: string | null) => (id ? (people.find((p) => p.id === id)?.displayName ?? id) : t('audit.system'));
  return (
    <section className="section" aria-labelledby="audit-results">
      <h2 className="heading-m" id="audit-results">
        {t('audit.results')}
      </h2>
      {results.isPending ? <Loading /> : null}
      {results.isError ? <LoadFailed error={results.error} retry={() => void results.refetch()} /> : null}
      {results.isSuccess ? (
        <p role="status">{results.hasNextPage ? t('audit.countMore', { count: events.length }) : t('audit.count', { count: events.length })}</p>
      ) : null}
      {events.length ? (
        <DataList<AuditEventT>
          caption={t('audit.results')}
          rows={events}
          rowKey={(e) => e.id}
          columns={[
            { header: t('audit.when'), cell: (e) => <time dateTime={e.occurredAt}>{format(e.occurredAt)}</time> },
            { header: t('audit.person'), cell: (e) => actor(e.actorUserId) },
            { header: t('audit.action'), cell: (e) => <code className="code">{e.action}</code> },
            {
              header: t('audit.outcome'),
              cell: (e) => <Tag tone={e.outcome === 'success' ? 'green' : e.outcome === 'denied' ? 'yellow' : 'red'}>{e.outcome}</Tag>,
            },
            {
              header: t('audit.record'),
              cell: (e) =>
                e.targetIds.length ? (
                  <span className="ids">
                    {e.targetType} {e.targetIds.map((id) => <code key={id} className="code">{id}</code>)}
                  </span>
                ) : (
                  ''
                ),
            },
            { header: t('audit.details'), cell: (e) => <DetailsText details={e.details} ip={e.ip} /> },
          ]}
        />
      ) : null}
      {results.hasNextPage ? (
        <Button variant="secondary" busy={results.isFetchingNextPage} busyLabel={t('common.loading')} onClick={() => void results.fetchNextPage()}>
          {t('audit.loadMore')}
        </Button>
      ) : null}
    </section>
  );
}

function DetailsText({ details, ip }: { details: Record<string, unknown>; ip: string | null }) {
  const entries = Object.entries(details).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  if (ip) entries.push(`ip: ${ip}`);
  return <span className="details-text">{entries.join('; ')}</span>;
}

function Verify() {
  const { t } = useTranslation();
  const format = useFormatDateTime();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<AuditVerifyT | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await verifyAudit());
    } catch (err) {
      setError(describeError(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="section" aria-labelledby="audit-verify">
      <h2 className="heading-m" id="audit-verify">
        {t('audit.verifyHeading')}
      </h2>
      <p>{t('audit.verifyIntro')}</p>
      <Button variant="secondary" busy={busy} busyLabel={t('audit.verifying')} onClick={() => void run()}>
        {t('audit.verify')}
      </Button>
      <div aria-live="polite">
        {result?.ok ? (
          <Banner kind="success" title={t('audit.verifyOkTitle')}>
            <p>{t('audit.verifyOk', { events: result.events, checkpoints: result.checkpoints })}</p>
            <p>
              {result.newestCheckpointAt
                ? t('audit.newestCheckpoint', { when: format(result.newestCheckpointAt) })
                : t('audit.noCheckpointYet')}
            </p>
          </Banner>
        ) : null}
        {result && !result.ok ? (
          <Banner kind="warning" title={t('audit.verifyProblemTitle')}>
            <p>{t('audit.verifyProblem')}</p>
            {result.problem ? (
              <p>
                {result.problem.message} ({result.problem.kind}, {t('audit.chain')} <code className="code">{result.problem.chainId}</code>, {t('audit.position')} {result.problem.seq})
              </p>
            ) : null}
          </Banner>
        ) : null}
        {error ? (
          <div className="banner banner--warning" role="alert">
            <p>{error}</p>
          </div>
        ) : null}
      </div>
    </section>
  );
}

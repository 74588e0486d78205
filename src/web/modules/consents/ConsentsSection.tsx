/**
 * A participant's consents on their profile: kind, status, recipients and when each ends, with
 * "Record consent", "Print" and "Revoke"; the requests to restrict sharing (record, and for a
 * privacy officer or program manager: agree, decline, end); and the link to the accounting of
 * disclosures. Shown only to people whose role reads consents.
 */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { CONSENT_STATUSES, INFO_CATEGORIES, PURPOSES, RECIPIENT_ORG_TYPES } from '../../../contracts/consents';
import { isApiError, newIdempotencyKey } from '../../app/api';
import { useMe } from '../../app/auth';
import { Banner, LoadFailed, Loading, Tag } from '../../app/components';
import { Button, ButtonGroup } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { CheckboxGroup, RadioGroup, SelectField, SingleCheckbox, TextArea, TextField } from '../../app/forms/fields';
import { useForm, type FormError } from '../../app/forms/useForm';
import { keys as participantKeys } from '../participants/participants.api';
import {
  consentKeys,
  createRestriction,
  decideRestriction,
  endRestriction,
  listConsents,
  listRestrictions,
  revokeConsent,
  type ConsentT,
  type RecipientT,
  type RestrictionT,
} from './consents.api';

type Status = (typeof CONSENT_STATUSES)[number];
const TONE = { active: 'green', expired: 'grey', revoked: 'red' } as const satisfies Record<Status, string>;
export const CATEGORIES: readonly (typeof INFO_CATEGORIES)[number][] = ['demographics_contact', 'substance_use_history', 'moud', 'encounter_summaries', 'recovery_plan', 'assessments'];
export const PURPOSE_LIST: readonly (typeof PURPOSES)[number][] = ['treatment', 'care_coordination', 'payment', 'operations', 'participant_request', 'support_network', 'research'];
export const ORG_TYPES: readonly (typeof RECIPIENT_ORG_TYPES)[number][] = ['treating_provider', 'health_plan', 'community_service', 'other'];

const localToday = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/** A recipient in the interface's words. */
export function useRecipientLabel(): (r: RecipientT) => string {
  const { t } = useTranslation();
  return (r) => {
    if (r.kind === 'class') return t(`consents.classes.${r.class}`);
    if (r.kind === 'person') return r.organization ? `${r.name} (${r.organization})` : r.name;
    return `${r.name} (${t(`consents.orgTypes.${r.type}`)})`;
  };
}

export function ConsentsSection({ participantId }: { participantId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const [notice, setNotice] = useState<string | null>(null);
  if (!me.permissions.includes('consents.read')) return null;
  return (
    <section aria-labelledby="consents-heading">
      <h2 className="heading-m" id="consents-heading">
        {t('consents.section.heading')}
      </h2>
      {notice ? (
        <Banner kind="success">
          <p>{notice}</p>
        </Banner>
      ) : null}
      <ConsentList participantId={participantId} onNotice={setNotice} />
      <Restrictions participantId={participantId} onNotice={setNotice} />
      {me.permissions.includes('disclosures.read') ? (
        <p>
          <Link to={`/participants/${participantId}/consents/disclosures`}>{t('consents.section.accounting')}</Link>
        </p>
      ) : null}
    </section>
  );
}

function ConsentList({ participantId, onNotice }: { participantId: string; onNotice: (n: string) => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const consents = useQuery({ queryKey: consentKeys.consents(participantId), queryFn: () => listConsents(participantId) });
  const label = useRecipientLabel();
  const mayManage = me.permissions.includes('consents.manage');
  const ends = (c: ConsentT) =>
    [c.expiresOn, c.expirationEvent && c.expirationEvent.toLowerCase() !== 'none' ? c.expirationEvent : null].filter(Boolean).join(' · ') || t('consents.form.expirationNone');
  return (
    <>
      {mayManage ? (
        <p>
          <Link className="button" to={`/participants/${participantId}/consents/new`}>
            {t('consents.section.record')}
          </Link>
        </p>
      ) : null}
      {consents.isPending ? <Loading /> : null}
      {consents.isError ? <LoadFailed error={consents.error} retry={() => void consents.refetch()} /> : null}
      {consents.data?.length === 0 ? <p>{t('consents.section.none')}</p> : null}
      <ul className="record-list">
        {(consents.data ?? []).map((c) => (
          <li key={c.id} className="record">
            <h3 className="heading-s record-title">{t(`consents.kinds.${c.kind}`)}</h3>
            <dl className="record-facts">
              <div>
                <dt>{t('consents.section.status')}</dt>
                <dd>
                  <Tag tone={TONE[c.status]}>{t(`consents.statuses.${c.status}`)}</Tag>
                  {c.revokedOn ? ` ${t('consents.section.revokedOn', { date: c.revokedOn })}` : null}
                </dd>
              </div>
              <div>
                <dt>{t('consents.section.recipients')}</dt>
                <dd>{c.recipients.map(label).join('; ')}</dd>
              </div>
              <div>
                <dt>{t('consents.section.signedOn')}</dt>
                <dd>{c.signedOn}</dd>
              </div>
              <div>
                <dt>{t('consents.section.expires')}</dt>
                <dd>{ends(c)}</dd>
              </div>
            </dl>
            <ButtonGroup>
              <Link className="button button--secondary" to={`/participants/${participantId}/consents/${c.id}/print`}>
                {t('consents.section.print')}
                <span className="visually-hidden"> {t('consents.section.printHidden')}</span>
              </Link>
            </ButtonGroup>
            {mayManage && c.status !== 'revoked' ? <Revoke consent={c} onDone={() => onNotice(t('consents.revoke.done'))} /> : null}
          </li>
        ))}
      </ul>
    </>
  );
}

function Revoke({ consent, onDone }: { consent: ConsentT; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const form = useForm({
    initial: { revokedOn: localToday(), method: '', note: '', confirm: false },
    validate: (v) => {
      const e: FormError[] = [];
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v.revokedOn.trim())) e.push({ field: 'revokedOn', message: t('consents.revoke.errors.revokedOn') });
      if (!v.method) e.push({ field: 'method', message: t('consents.revoke.errors.method') });
      if (!v.confirm) e.push({ field: 'confirm', message: t('consents.revoke.errors.confirm') });
      return e;
    },
    onSubmit: async (v) => {
      await revokeConsent(consent.id, {
        revokedOn: v.revokedOn.trim(),
        method: v.method as 'written' | 'verbal',
        ...(v.note.trim() ? { note: v.note.trim() } : {}),
        version: consent.version,
      });
      await queryClient.invalidateQueries({ queryKey: consentKeys.consents(consent.participantId) });
      await queryClient.invalidateQueries({ queryKey: participantKeys.participant(consent.participantId) });
      setOpen(false);
      onDone();
    },
    onConflict: () => void queryClient.invalidateQueries({ queryKey: consentKeys.consents(consent.participantId) }),
  });
  if (!open) {
    return (
      <Button variant="warning" onClick={() => setOpen(true)}>
        {t('consents.revoke.open')}
        <span className="visually-hidden"> {t('consents.revoke.openHidden')}</span>
      </Button>
    );
  }
  const headingId = `revoke-${consent.id}`;
  return (
    <div className="section" role="group" aria-labelledby={headingId}>
      <h4 className="heading-s" id={headingId}>
        {t('consents.revoke.heading')}
      </h4>
      <p>{t('consents.revoke.warning')}</p>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <TextField name="revokedOn" label={t('consents.revoke.revokedOn')} hint={t('consents.form.dateHint')} width="medium" inputMode="numeric" value={form.values.revokedOn} error={form.errorFor('revokedOn')} onChange={(v) => form.set('revokedOn', v)} />
        <RadioGroup
          name="method"
          legend={t('consents.revoke.method')}
          options={[
            { value: 'written', label: t('consents.revocationMethods.written') },
            { value: 'verbal', label: t('consents.revocationMethods.verbal') },
          ]}
          value={form.values.method}
          error={form.errorFor('method')}
          onChange={(v) => form.set('method', v)}
        />
        <TextArea name="note" label={t('consents.revoke.note')} optional rows={2} value={form.values.note} error={form.errorFor('note')} onChange={(v) => form.set('note', v)} />
        <SingleCheckbox name="confirm" label={t('consents.revoke.confirm')} value={form.values.confirm} error={form.errorFor('confirm')} onChange={(v) => form.set('confirm', v)} />
        <ButtonGroup>
          <Button type="submit" variant="warning" busy={form.busy}>
            {t('consents.revoke.submit')}
          </Button>
          <Button variant="secondary" onClick={() => setOpen(false)}>
            {t('common.cancel')}
          </Button>
        </ButtonGroup>
      </form>
    </div>
  );
}

// ---- restriction requests

function Restrictions({ participantId, onNotice }: { participantId: string; onNotice: (n: string) => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const restrictions = useQuery({ queryKey: consentKeys.restrictions(participantId), queryFn: () => listRestrictions(participantId) });
  const label = useRecipientLabel();
  const [adding, setAdding] = useState(false);
  const mayDecide = me.permissions.includes('restrictions.decide');
  return (
    <section aria-labelledby="restrictions-heading">
      <h3 className="heading-s" id="restrictions-heading">
        {t('consents.restrictions.heading')}
      </h3>
      {restrictions.isPending ? <Loading /> : null}
      {restrictions.isError ? <LoadFailed error={restrictions.error} retry={() => void restrictions.refetch()} /> : null}
      {restrictions.data?.length === 0 ? <p>{t('consents.restrictions.none')}</p> : null}
      <ul className="record-list">
        {(restrictions.data ?? []).map((r) => (
          <li key={r.id} className="record">
            <p className="record-title">{r.description}</p>
            <dl className="record-facts">
              <div>
                <dt>{t('consents.section.status')}</dt>
                <dd>
                  <Tag tone={r.status === 'agreed' ? 'green' : r.status === 'pending' ? 'yellow' : 'grey'}>{t(`consents.restrictions.statuses.${r.status}`)}</Tag>
                </dd>
              </div>
              <div>
                <dt>{t('consents.restrictions.recipient')}</dt>
                <dd>{r.recipient ? label(r.recipient) : t('consents.restrictions.anyone')}</dd>
              </div>
              <div>
                <dt>{t('consents.restrictions.categories')}</dt>
                <dd>{r.categories.length ? r.categories.map((c) => t(`consents.categories.${c}`)).join('; ') : t('consents.restrictions.allInformation')}</dd>
              </div>
              <div>
                <dt>{t('consents.restrictions.purposes')}</dt>
                <dd>{r.purposes.length ? r.purposes.map((p) => t(`consents.purposes.${p}`)).join('; ') : t('consents.restrictions.allPurposes')}</dd>
              </div>
            </dl>
            <p className="hint">{t('consents.restrictions.requestedOn', { date: r.requestedOn })}</p>
            {mayDecide ? <Decide restriction={r} /> : null}
          </li>
        ))}
      </ul>
      {me.permissions.includes('consents.manage') ? (
        adding ? (
          <RecordRestriction
            participantId={participantId}
            onClose={(saved) => {
              setAdding(false);
              if (saved) onNotice(t('consents.restrictions.saved'));
            }}
          />
        ) : (
          <Button variant="secondary" onClick={() => setAdding(true)}>
            {t('consents.restrictions.record')}
          </Button>
        )
      ) : null}
    </section>
  );
}

function Decide({ restriction: r }: { restriction: RestrictionT }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [declining, setDeclining] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<unknown>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: consentKeys.restrictions(r.participantId) });
  /** Agree or end: one press, no form. */
  const act = (call: () => Promise<unknown>) => {
    if (busy) return;
    setBusy(true);
    setFailed(null);
    call()
      .then(refresh)
      .catch((e: unknown) => setFailed(e))
      .finally(() => setBusy(false));
  };
  const form = useForm({
    initial: { reason: '' },
    validate: (v) => (!v.reason.trim() ? [{ field: 'reason', message: t('consents.restrictions.errors.reason') }] : []),
    onSubmit: async (v) => {
      await decideRestriction(r.id, { decision: 'declined', reason: v.reason.trim(), version: r.version });
      await refresh();
    },
    messages: { 'restriction.must_agree': t('consents.restrictions.mustAgree') },
    fieldFor: (path) => (path === 'reason' || path === 'decision' ? 'reason' : undefined),
    onConflict: () => void refresh(),
  });
  const problem = failed ? <LoadFailed error={failed} /> : null;
  if (r.status === 'agreed') {
    return (
      <>
        {problem}
        <Button variant="secondary" busy={busy} onClick={() => act(() => endRestriction(r.id, r.version))}>
          {t('consents.restrictions.end')}
        </Button>
      </>
    );
  }
  if (r.status !== 'pending') return null;
  if (declining) {
    return (
      <div>
        <ErrorSummary errors={form.errors} attempt={form.attempt} />
        <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
          <TextArea name="reason" label={t('consents.restrictions.reason')} rows={2} value={form.values.reason} error={form.errorFor('reason')} onChange={(v) => form.set('reason', v)} />
          <ButtonGroup>
            <Button type="submit" variant="warning" busy={form.busy}>
              {t('consents.restrictions.confirmDecline')}
            </Button>
            <Button variant="secondary" onClick={() => setDeclining(false)}>
              {t('common.cancel')}
            </Button>
          </ButtonGroup>
        </form>
      </div>
    );
  }
  return (
    <>
      {problem}
      <ButtonGroup>
        <Button busy={busy} onClick={() => act(() => decideRestriction(r.id, { decision: 'agreed', version: r.version }))}>
          {t('consents.restrictions.agree')}
        </Button>
        <Button variant="secondary" onClick={() => setDeclining(true)}>
          {t('consents.restrictions.decline')}
        </Button>
      </ButtonGroup>
    </>
  );
}

type RestrictionValues = {
  description: string;
  recipientKind: '' | 'organization' | 'person';
  recipientName: string;
  recipientType: string;
  categories: string[];
  purposes: string[];
  paidOutOfPocket: boolean;
};

function RecordRestriction({ participantId, onClose }: { participantId: string; onClose: (saved: boolean) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const key = useRef(newIdempotencyKey());
  const form = useForm<RestrictionValues>({
    initial: { description: '', recipientKind: '', recipientName: '', recipientType: 'health_plan', categories: [], purposes: [], paidOutOfPocket: false },
    validate: (v) => {
      const e: FormError[] = [];
      if (!v.description.trim()) e.push({ field: 'description', message: t('consents.restrictions.errors.description') });
      if (v.recipientKind && !v.recipientName.trim()) e.push({ field: 'recipientName', message: t('consents.restrictions.errors.recipientName') });
      return e;
    },
    fieldFor: (path) => (path.startsWith('recipient') ? 'recipientName' : ['description', 'categories', 'purposes', 'paidOutOfPocket'].includes(path) ? path : undefined),
    onSubmit: async (v) => {
      const recipient: RecipientT | null =
        v.recipientKind === 'organization'
          ? { kind: 'organization', name: v.recipientName.trim(), type: v.recipientType as (typeof ORG_TYPES)[number] }
          : v.recipientKind === 'person'
            ? { kind: 'person', name: v.recipientName.trim() }
            : null;
      try {
        await createRestriction(
          participantId,
          {
            description: v.description.trim(),
            recipient,
            categories: v.categories as (typeof CATEGORIES)[number][],
            purposes: v.purposes as (typeof PURPOSE_LIST)[number][],
            paidOutOfPocket: v.paidOutOfPocket,
          },
          key.current,
        );
      } catch (err) {
        if (isApiError(err) && err.code === 'idempotency.key_reused') key.current = newIdempotencyKey();
        throw err;
      }
      await queryClient.invalidateQueries({ queryKey: consentKeys.restrictions(participantId) });
      onClose(true);
    },
  });
  return (
    <div className="section" role="group" aria-labelledby="record-restriction">
      <h4 className="heading-s" id="record-restriction">
        {t('consents.restrictions.record')}
      </h4>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <TextArea name="description" label={t('consents.restrictions.description')} hint={t('consents.restrictions.descriptionHint')} rows={2} value={form.values.description} error={form.errorFor('description')} onChange={(v) => form.set('description', v)} />
        <RadioGroup
          name="recipientKind"
          legend={t('consents.restrictions.recipient')}
          options={[
            { value: '', label: t('consents.restrictions.anyone') },
            { value: 'organization', label: t('consents.form.addOrganization') },
            { value: 'person', label: t('consents.form.addPerson') },
          ]}
          value={form.values.recipientKind}
          onChange={(v) => form.set('recipientKind', v as RestrictionValues['recipientKind'])}
        />
        {form.values.recipientKind ? (
          <div className="conditional">
            <TextField name="recipientName" label={t('consents.form.recipientName')} value={form.values.recipientName} error={form.errorFor('recipientName')} onChange={(v) => form.set('recipientName', v)} />
            {form.values.recipientKind === 'organization' ? (
              <SelectField
                name="recipientType"
                label={t('consents.form.recipientType')}
                options={ORG_TYPES.map((o) => ({ value: o, label: t(`consents.orgTypes.${o}`) }))}
                value={form.values.recipientType}
                onChange={(v) => form.set('recipientType', v)}
              />
            ) : null}
          </div>
        ) : null}
        <CheckboxGroup
          name="categories"
          legend={t('consents.restrictions.categories')}
          hint={t('consents.restrictions.categoriesHint')}
          options={CATEGORIES.map((c) => ({ value: c, label: t(`consents.categories.${c}`) }))}
          value={form.values.categories}
          error={form.errorFor('categories')}
          onChange={(v) => form.set('categories', v)}
        />
        <CheckboxGroup
          name="purposes"
          legend={t('consents.restrictions.purposes')}
          hint={t('consents.restrictions.purposesHint')}
          options={PURPOSE_LIST.map((p) => ({ value: p, label: t(`consents.purposes.${p}`) }))}
          value={form.values.purposes}
          error={form.errorFor('purposes')}
          onChange={(v) => form.set('purposes', v)}
        />
        <SingleCheckbox name="paidOutOfPocket" label={t('consents.restrictions.paidOutOfPocket')} value={form.values.paidOutOfPocket} onChange={(v) => form.set('paidOutOfPocket', v)} />
        <ButtonGroup>
          <Button type="submit" busy={form.busy}>
            {t('consents.restrictions.submit')}
          </Button>
          <Button variant="secondary" onClick={() => onClose(false)}>
            {t('common.cancel')}
          </Button>
        </ButtonGroup>
      </form>
    </div>
  );
}

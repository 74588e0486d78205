/**
 * One referral, for the program's staff: where it went, its status with every change (who, when,
 * why), buttons for the moves the lifecycle allows from here (a reason for declined, cancelled
 * and did-not-connect), "Send it now" for a draft or logged one, the details while they can
 * change, linkage to care, and what the receiver has: the frozen copy with its notice, word for
 * word. A revoked consent shows as a banner. When someone else changed the referral first (409),
 * the page loads their version and says so.
 */
import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { isApiError } from '../../app/api';
import { useMe } from '../../app/auth';
import { Banner, LoadFailed, Loading, Page, SummaryList, useFormatDateTime, type SummaryRow } from '../../app/components';
import { Button, ButtonGroup } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { CheckboxGroup, RadioGroup, TextArea, TextField } from '../../app/forms/fields';
import { useForm, type FormError } from '../../app/forms/useForm';
import { CATEGORIES } from '../consents/ConsentsSection';
import { getParticipant, keys as participantKeys, nameOf } from '../participants/participants.api';
import type { NoticeState } from '../participants/Notice';
import {
  changeReferralStatus,
  consentRefusalOf,
  getReferral,
  LINKAGE_KINDS,
  LINKAGE_SOURCES,
  localToday,
  NEEDS_REASON,
  PERMISSIONS,
  recordLinkage,
  referralKeys,
  sendReferral,
  transitionRefusalOf,
  updateReferral,
  URGENCIES,
  type ConsentRefusal,
  type ReferralStatus,
  type ReferralT,
} from './referrals.api';
import { ConsentRefusalBanner, EventHistory, ReferralStatusTag, RevokedBanner, SharedCopyView, useFormatDay } from './parts';

type Notice = { kind: 'success' | 'warning'; text: string } | null;
const OPEN: readonly ReferralStatus[] = ['draft', 'requested', 'accepted', 'in_progress'];
const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v.trim());

export function ReferralPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const q = useQuery({ queryKey: referralKeys.referral(id), queryFn: () => getReferral(id), retry: (n, e) => !isApiError(e) && n < 2 });
  if (q.isPending) return <Page title={t('referrals.page.title')}><Loading /></Page>;
  if (q.isError) return <Page title={t('referrals.page.title')}><LoadFailed error={q.error} retry={() => void q.refetch()} /></Page>;
  return <ReferralView referral={q.data} />;
}

/**
 * Run a change; on success keep the answer and say so. Someone else's change first (409 conflict
 * or a move no longer allowed) reloads the referral and says why; other errors go to the form.
 */
function useRun(referral: ReferralT, setNotice: (n: Notice) => void) {
  const { t } = useTranslation();
  const client = useQueryClient();
  return async (fn: () => Promise<ReferralT>, done: string): Promise<boolean> => {
    try {
      const next = await fn();
      client.setQueryData(referralKeys.referral(referral.id), next);
      // The list, the timeline and the to-dos live under the participant's key.
      void client.invalidateQueries({ queryKey: referralKeys.participant(referral.participantId) });
      setNotice({ kind: 'success', text: done });
      return true;
    } catch (err) {
      const allowed = transitionRefusalOf(err);
      if ((isApiError(err) && err.code === 'record.conflict') || allowed) {
        await client.invalidateQueries({ queryKey: referralKeys.referral(referral.id) });
        setNotice({
          kind: 'warning',
          text: allowed
            ? allowed.length
              ? t('referrals.page.notAllowed', { allowed: allowed.map((s) => t(`referrals.statuses.${s}`)).join(', ') })
              : t('referrals.page.notAllowedNone')
            : t('referrals.page.conflict'),
        });
        return false;
      }
      throw err;
    }
  };
}

function ReferralView({ referral: r }: { referral: ReferralT }) {
  const { t } = useTranslation();
  const me = useMe();
  const location = useLocation();
  const formatDateTime = useFormatDateTime();
  const formatDay = useFormatDay();
  const [notice, setNotice] = useState<Notice>(() => {
    const text = (location.state as NoticeState | null)?.notice;
    return text ? { kind: 'success', text } : null;
  });
  const mayManage = me.permissions.includes(PERMISSIONS.manage);
  const person = useQuery({ queryKey: participantKeys.participant(r.participantId), queryFn: () => getParticipant(r.participantId), enabled: me.permissions.includes('participants.read'), retry: false });
  const run = useRun(r, setNotice);
  const open = OPEN.includes(r.status);
  const receiver = r.receiver;
  const mayEdit = mayManage && (r.status === 'draft' || (r.mode === 'logged' && open));
  const maySend = mayManage && receiver.directoryServiceId !== null && r.shared === null && (r.status === 'draft' || (r.mode === 'logged' && open));
  const moves = mayManage ? r.allowedTransitions : [];

  const rows: SummaryRow[] = [
    {
      key: t('referrals.page.receiver'),
      value: (
        <>
          <div>{receiver.organizationName}</div>
          {receiver.serviceName ? <div>{receiver.serviceName}</div> : null}
          <div className="hint">{t(`consents.orgTypes.${receiver.organizationType}`)}</div>
        </>
      ),
    },
    ...(receiver.contact ? [{ key: t('referrals.page.contact'), value: receiver.contact }] : []),
    {
      key: t('referrals.page.status'),
      value: (
        <>
          <ReferralStatusTag status={r.status} /> {r.statusChangedAt ? t('referrals.page.statusSince', { when: formatDateTime(r.statusChangedAt) }) : ''}
          {r.statusReason ? <div>{t('referrals.page.statusReason', { reason: r.statusReason })}</div> : null}
        </>
      ),
    },
    {
      key: t('referrals.page.how'),
      value: (
        <>
          <div>{t(`referrals.modes.${r.mode}`)}</div>
          <div className="hint">{t(`referrals.modeHints.${r.mode}`)}</div>
          {r.shared ? <div>{t('referrals.page.sentOn', { when: formatDateTime(r.shared.disclosedAt) })}</div> : null}
        </>
      ),
    },
    { key: t('referrals.page.urgency'), value: t(`referrals.urgencies.${r.urgency}`) },
    { key: t('referrals.page.reason'), value: <span className="referral-text">{r.reason}</span> },
    { key: t('referrals.page.notes'), value: r.notesForReceiver ? <span className="referral-text">{r.notesForReceiver}</span> : t('referrals.page.none') },
    ...(r.requestedAt ? [{ key: t('referrals.page.requested'), value: formatDateTime(r.requestedAt) }] : []),
    { key: t('referrals.page.appointment'), value: r.appointmentStartsAt ? formatDateTime(r.appointmentStartsAt) : t('referrals.page.noAppointment') },
    ...(r.followUpOn && open ? [{ key: t('referrals.page.followUp'), value: formatDay(r.followUpOn) }] : []),
    ...(r.coachName ? [{ key: t('referrals.page.coach'), value: r.coachName }] : []),
    { key: t('referrals.page.createdBy'), value: t('referrals.page.createdAt', { name: r.createdByName ?? '', when: formatDateTime(r.createdAt) }) },
  ];

  return (
    <Page
      title={t('referrals.page.title')}
      heading={receiver.organizationName}
      caption={person.data ? `${t('referrals.page.title')} · ${nameOf(person.data)}` : t('referrals.page.title')}
      back={{ to: `/participants/${encodeURIComponent(r.participantId)}`, label: t('referrals.page.back') }}
    >
      {notice ? (
        <Banner key={notice.text} kind={notice.kind} focus>
          <p>{notice.text}</p>
        </Banner>
      ) : null}
      {r.consentRevokedAt ? <RevokedBanner>{t('referrals.page.revoked', { date: formatDay(r.consentRevokedAt) })}</RevokedBanner> : null}
      <SummaryList rows={rows} />

      {moves.length > 0 ? <StatusActions key={`${r.status}-${r.version}`} referral={r} moves={moves} run={run} /> : null}
      {maySend ? <SendForm key={`send-${r.version}`} referral={r} run={run} /> : null}
      {mayEdit ? <EditForm key={`edit-${r.version}`} referral={r} run={run} /> : null}
      <LinkageSection key={`link-${r.version}`} referral={r} mayManage={mayManage} run={run} />
      {r.shared ? <SharedCopyView shared={r.shared} headingId="referral-shared-heading" /> : null}
      <EventHistory events={r.events} headingId="referral-history-heading" />
    </Page>
  );
}

type Run = ReturnType<typeof useRun>;

function Block({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="referral-block">
      <h2 className="heading-m" id={id}>
        {title}
      </h2>
      {children}
    </section>
  );
}

/** A button per allowed move; declining, cancelling and "did not connect" ask why first. */
function StatusActions({ referral: r, moves, run }: { referral: ReferralT; moves: readonly ReferralStatus[]; run: Run }) {
  const { t } = useTranslation();
  const target = useRef<ReferralStatus | null>(null);
  const [asking, setAsking] = useState<ReferralStatus | null>(null);
  const form = useForm({
    initial: { reason: '' },
    validate: (v) => (target.current && NEEDS_REASON.includes(target.current) && !v.reason.trim() ? [{ field: 'reason', message: t('referrals.page.reasonErrors') }] : []),
    onSubmit: async (v) => {
      const to = target.current;
      if (!to) return;
      const needs = NEEDS_REASON.includes(to);
      await run(() => changeReferralStatus(r.id, { status: to, reason: needs ? v.reason.trim() : null, version: r.version }), t('referrals.page.saved'));
    },
  });
  const press = (s: ReferralStatus) => {
    if (NEEDS_REASON.includes(s)) {
      target.current = s;
      setAsking(s);
      return;
    }
    target.current = s;
    void form.onSubmit();
  };
  return (
    <Block id="referral-actions-heading" title={t('referrals.page.actionsHeading')}>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      {asking ? (
        <form noValidate onSubmit={(e) => void form.onSubmit(e)} aria-labelledby="referral-reason-heading">
          <h3 className="heading-s" id="referral-reason-heading">
            {t(`referrals.page.to.${asking}`)}
          </h3>
          <TextArea name="reason" label={t('referrals.page.reasonFor')} value={form.values.reason} onChange={(x) => form.set('reason', x)} error={form.errorFor('reason')} rows={2} />
          <ButtonGroup>
            <Button type="submit" variant={asking === 'cancelled' || asking === 'failed' || asking === 'rejected' ? 'warning' : 'primary'} busy={form.busy}>
              {t(`referrals.page.to.${asking}`)}
            </Button>
            <Button variant="secondary" onClick={() => setAsking(null)}>
              {t('referrals.page.cancel')}
            </Button>
          </ButtonGroup>
        </form>
      ) : (
        <ButtonGroup>
          {moves.map((s) => (
            <Button key={s} variant={NEEDS_REASON.includes(s) ? 'secondary' : 'primary'} busy={form.busy && target.current === s} onClick={() => press(s)}>
              {t(`referrals.page.to.${s}`)}
            </Button>
          ))}
        </ButtonGroup>
      )}
    </Block>
  );
}

/** Send a draft or logged referral through the disclosure gate. */
function SendForm({ referral: r, run }: { referral: ReferralT; run: Run }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [refusal, setRefusal] = useState<ConsentRefusal | null>(null);
  const form = useForm<{ categories: string[] }>({
    initial: { categories: [] },
    fieldFor: (path) => (path.startsWith('categories') ? 'categories' : undefined),
    validate: (v) => (v.categories.length ? [] : [{ field: 'categories', message: t('referrals.create.errors.categories') }]),
    onSubmit: async (v) => {
      setRefusal(null);
      try {
        await run(() => sendReferral(r.id, { categories: v.categories as never[], version: r.version }), t('referrals.page.send.done'));
      } catch (err) {
        const gate = consentRefusalOf(err);
        if (!gate) throw err;
        setRefusal(gate);
      }
    },
  });
  return (
    <Block id="referral-send-heading" title={t('referrals.page.send.heading')}>
      {refusal ? <ConsentRefusalBanner refusal={refusal} participantId={r.participantId} canLog={false} /> : null}
      <p>{t('referrals.page.send.intro', { organization: r.receiver.organizationName })}</p>
      {!open ? (
        <Button variant="secondary" onClick={() => setOpen(true)}>
          {t('referrals.page.send.open')}
        </Button>
      ) : (
        <form noValidate onSubmit={(e) => void form.onSubmit(e)} aria-labelledby="referral-send-heading">
          <ErrorSummary errors={form.errors} attempt={form.attempt} />
          <CheckboxGroup
            name="categories"
            legend={t('referrals.create.categories')}
            hint={t('referrals.create.categoriesHint')}
            value={form.values.categories}
            onChange={(x) => form.set('categories', x)}
            error={form.errorFor('categories')}
            options={CATEGORIES.map((c) => ({ value: c, label: t(`consents.categories.${c}`) }))}
          />
          <ButtonGroup>
            <Button type="submit" busy={form.busy} busyLabel={t('referrals.create.sending')}>
              {t('referrals.page.send.submit')}
            </Button>
            <Button variant="secondary" onClick={() => setOpen(false)}>
              {t('referrals.page.cancel')}
            </Button>
          </ButtonGroup>
        </form>
      )}
    </Block>
  );
}

/** Why, how soon and the note, while the referral is a draft or logged and open. */
function EditForm({ referral: r, run }: { referral: ReferralT; run: Run }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const form = useForm({
    initial: { reason: r.reason, urgency: String(r.urgency), notesForReceiver: r.notesForReceiver ?? '' },
    validate: (v) => (v.reason.trim() ? [] : [{ field: 'reason', message: t('referrals.create.errors.reason') }]),
    onSubmit: async (v) => {
      await run(
        () => updateReferral(r.id, { version: r.version, reason: v.reason.trim(), urgency: v.urgency as 'routine', notesForReceiver: v.notesForReceiver.trim() || null }),
        t('referrals.page.edit.done'),
      );
    },
  });
  return (
    <Block id="referral-edit-heading" title={t('referrals.page.edit.heading')}>
      {!open ? (
        <Button variant="secondary" onClick={() => setOpen(true)}>
          {t('referrals.page.edit.open')}
        </Button>
      ) : (
        <form noValidate onSubmit={(e) => void form.onSubmit(e)} aria-labelledby="referral-edit-heading">
          <ErrorSummary errors={form.errors} attempt={form.attempt} />
          <TextArea name="reason" label={t('referrals.create.reason')} value={form.values.reason} onChange={(x) => form.set('reason', x)} error={form.errorFor('reason')} rows={3} />
          <RadioGroup
            name="urgency"
            legend={t('referrals.create.urgency')}
            value={form.values.urgency}
            onChange={(x) => form.set('urgency', x)}
            error={form.errorFor('urgency')}
            options={URGENCIES.map((u) => ({ value: u, label: t(`referrals.urgencies.${u}`) }))}
          />
          <TextArea name="notesForReceiver" label={t('referrals.create.notes')} value={form.values.notesForReceiver} onChange={(x) => form.set('notesForReceiver', x)} error={form.errorFor('notesForReceiver')} optional rows={3} />
          <ButtonGroup>
            <Button type="submit" busy={form.busy}>
              {t('referrals.page.edit.submit')}
            </Button>
            <Button variant="secondary" onClick={() => setOpen(false)}>
              {t('referrals.page.cancel')}
            </Button>
          </ButtonGroup>
        </form>
      )}
    </Block>
  );
}

/** The fact of linkage (attended, or started medication), and the form to record one learned another way. */
function LinkageSection({ referral: r, mayManage, run }: { referral: ReferralT; mayManage: boolean; run: Run }) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const formatDay = useFormatDay();
  const [open, setOpen] = useState(false);
  const form = useForm({
    initial: { kind: '', on: localToday(), source: '' },
    validate: (v) => {
      const e: FormError[] = [];
      if (!v.kind) e.push({ field: 'kind', message: t('referrals.page.linkage.errors.kind') });
      if (!isDate(v.on)) e.push({ field: 'on', message: t('referrals.page.linkage.errors.date') });
      if (!v.source) e.push({ field: 'source', message: t('referrals.page.linkage.errors.source') });
      return e;
    },
    onSubmit: async (v) => {
      await run(() => recordLinkage(r.id, { kind: v.kind as 'moud_started', on: v.on.trim(), source: v.source as 'records', version: r.version }), t('referrals.page.linkage.done'));
    },
  });
  const l = r.linkage;
  const mayRecord = mayManage && !l && r.status !== 'draft' && r.status !== 'cancelled' && r.status !== 'rejected';
  return (
    <Block id="referral-linkage-heading" title={t('referrals.page.linkage.heading')}>
      {l ? (
        <>
          <p>
            <strong>{t('referrals.page.linkage.row', { kind: t(`referrals.linkageKinds.${l.kind}`), date: formatDay(l.on) })}</strong>
          </p>
          <p>{t('referrals.page.linkage.source', { source: t(`referrals.linkageSources.${l.source}`) })}</p>
          <p className="hint">{t('referrals.page.linkage.by', { name: l.recordedByName ?? t('referrals.events.byPartner'), when: formatDateTime(l.recordedAt) })}</p>
        </>
      ) : (
        <p>{t('referrals.page.linkage.none')}</p>
      )}
      {mayRecord && !open ? (
        <Button variant="secondary" onClick={() => setOpen(true)}>
          {t('referrals.page.linkage.open')}
        </Button>
      ) : null}
      {mayRecord && open ? (
        <form noValidate onSubmit={(e) => void form.onSubmit(e)} aria-labelledby="referral-linkage-heading">
          <ErrorSummary errors={form.errors} attempt={form.attempt} />
          <RadioGroup
            name="kind"
            legend={t('referrals.page.linkage.kind')}
            value={form.values.kind}
            onChange={(x) => form.set('kind', x)}
            error={form.errorFor('kind')}
            options={LINKAGE_KINDS.map((k) => ({ value: k, label: t(`referrals.linkageKinds.${k}`) }))}
          />
          <TextField name="on" type="date" width="medium" label={t('referrals.page.linkage.date')} hint={t('referrals.page.linkage.dateHint')} value={form.values.on} onChange={(x) => form.set('on', x)} error={form.errorFor('on')} />
          <RadioGroup
            name="source"
            legend={t('referrals.page.linkage.sourceLabel')}
            value={form.values.source}
            onChange={(x) => form.set('source', x)}
            error={form.errorFor('source')}
            options={LINKAGE_SOURCES.map((s) => ({ value: s, label: t(`referrals.linkageSources.${s}`) }))}
          />
          <ButtonGroup>
            <Button type="submit" busy={form.busy}>
              {t('referrals.page.linkage.submit')}
            </Button>
            <Button variant="secondary" onClick={() => setOpen(false)}>
              {t('referrals.page.cancel')}
            </Button>
          </ButtonGroup>
        </form>
      ) : null}
    </Block>
  );
}

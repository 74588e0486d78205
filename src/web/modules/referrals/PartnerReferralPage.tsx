/**
 * One referral as the receiving partner sees it (/partner/referrals/:id): who sent it, why, how
 * soon, the notes, and the frozen copy shared at sending with its notice, word for word. The
 * partner accepts or declines (with a reason), books the first visit, and confirms whether the
 * person came — only the moves the lifecycle allows from here. A revoked consent shows as a
 * banner: the partner keeps what it received and gets nothing more.
 */
import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { isApiError } from '../../app/api';
import { Banner, LoadFailed, Loading, Page, SummaryList, useFormatDateTime, type SummaryRow } from '../../app/components';
import { Button, ButtonGroup } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { RadioGroup, SingleCheckbox, TextArea, TextField } from '../../app/forms/fields';
import { useForm, type FormError } from '../../app/forms/useForm';
import { instantOf } from '../appointments/appointments.api';
import { answerReferral, bookFirstVisit, confirmAttendance, getPartnerReferral, localToday, referralKeys, transitionRefusalOf, type PartnerReferralT } from './referrals.api';
import { EventHistory, ReferralStatusTag, RevokedBanner, SharedCopyView, useFormatDay } from './parts';

type Notice = { kind: 'success' | 'warning'; text: string } | null;
const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v.trim());
const isTime = (v: string) => /^([01]\d|2[0-3]):[0-5]\d$/.test(v.trim());

export function PartnerReferralPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const q = useQuery({ queryKey: referralKeys.partnerReferral(id), queryFn: () => getPartnerReferral(id), retry: (n, e) => !isApiError(e) && n < 2 });
  const back = { to: '/partner', label: t('referrals.partner.back') };
  if (q.isPending) return <Page title={t('referrals.partner.title')} back={back}><Loading /></Page>;
  if (q.isError) return <Page title={t('referrals.partner.title')} back={back}><LoadFailed error={q.error} retry={() => void q.refetch()} /></Page>;
  return <PartnerView referral={q.data} />;
}

function usePartnerRun(referral: PartnerReferralT, setNotice: (n: Notice) => void) {
  const { t } = useTranslation();
  const client = useQueryClient();
  return async (fn: () => Promise<PartnerReferralT>, done: string): Promise<void> => {
    try {
      const next = await fn();
      client.setQueryData(referralKeys.partnerReferral(referral.id), next);
      void client.invalidateQueries({ queryKey: referralKeys.inboxAll });
      setNotice({ kind: 'success', text: done });
    } catch (err) {
      const allowed = transitionRefusalOf(err);
      if ((isApiError(err) && err.code === 'record.conflict') || allowed) {
        await client.invalidateQueries({ queryKey: referralKeys.partnerReferral(referral.id) });
        setNotice({
          kind: 'warning',
          text: allowed
            ? allowed.length
              ? t('referrals.page.notAllowed', { allowed: allowed.map((s) => t(`referrals.statuses.${s}`)).join(', ') })
              : t('referrals.page.notAllowedNone')
            : t('referrals.page.conflict'),
        });
        return;
      }
      throw err;
    }
  };
}
type Run = ReturnType<typeof usePartnerRun>;

function PartnerView({ referral: r }: { referral: PartnerReferralT }) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const formatDay = useFormatDay();
  const [notice, setNotice] = useState<Notice>(null);
  const run = usePartnerRun(r, setNotice);
  const rows: SummaryRow[] = [
    { key: t('referrals.partner.from'), value: r.referringCoachName ? t('referrals.partner.fromCoach', { program: r.referringProgram, coach: r.referringCoachName }) : r.referringProgram },
    ...(r.serviceName ? [{ key: t('referrals.partner.service'), value: r.serviceName }] : []),
    {
      key: t('referrals.partner.status'),
      value: (
        <>
          <ReferralStatusTag status={r.status} />
          {r.statusReason ? <div>{t('referrals.page.statusReason', { reason: r.statusReason })}</div> : null}
        </>
      ),
    },
    { key: t('referrals.partner.urgency'), value: t(`referrals.urgencies.${r.urgency}`) },
    { key: t('referrals.partner.reason'), value: <span className="referral-text">{r.reason}</span> },
    { key: t('referrals.partner.notes'), value: r.notesForReceiver ? <span className="referral-text">{r.notesForReceiver}</span> : t('referrals.page.none') },
    { key: t('referrals.partner.sent'), value: formatDateTime(r.sentAt) },
    { key: t('referrals.partner.appointment'), value: r.appointmentStartsAt ? formatDateTime(r.appointmentStartsAt) : t('referrals.page.noAppointment') },
    ...(r.appointmentPlace ? [{ key: t('referrals.partner.place'), value: r.appointmentPlace }] : []),
    ...(r.attendedOn ? [{ key: t('referrals.partner.attended'), value: formatDay(r.attendedOn) }] : []),
  ];
  const allowed = r.allowedTransitions;
  const mayAccept = allowed.includes('accepted');
  const mayDecline = allowed.includes('rejected');
  const mayBook = r.status === 'accepted' || r.status === 'in_progress';
  // Attendance closes the loop from accepted or in progress (the server moves it on to completed).
  const mayConfirm = (r.status === 'accepted' && allowed.includes('in_progress')) || (r.status === 'in_progress' && allowed.includes('completed'));
  const anything = mayAccept || mayDecline || mayBook || mayConfirm;
  return (
    <Page title={t('referrals.partner.title')} heading={r.serviceName ?? r.organizationName} caption={t('referrals.partner.referral')} back={{ to: '/partner', label: t('referrals.partner.back') }}>
      {notice ? (
        <Banner key={notice.text} kind={notice.kind} focus>
          <p>{notice.text}</p>
        </Banner>
      ) : null}
      {r.consentRevokedAt ? <RevokedBanner>{t('referrals.partner.revoked', { date: formatDay(r.consentRevokedAt) })}</RevokedBanner> : null}
      <SummaryList rows={rows} />
      {anything ? (
        <section aria-labelledby="partner-actions-heading" className="referral-block">
          <h2 className="heading-m" id="partner-actions-heading">
            {t('referrals.partner.actionsHeading')}
          </h2>
          {mayAccept || mayDecline ? <Answer key={`answer-${r.version}`} referral={r} mayAccept={mayAccept} mayDecline={mayDecline} run={run} /> : null}
          {mayBook ? <Book key={`book-${r.version}`} referral={r} run={run} /> : null}
          {mayConfirm ? <Attendance key={`attend-${r.version}`} referral={r} run={run} /> : null}
        </section>
      ) : null}
      <SharedCopyView shared={r.shared} headingId="partner-shared-heading" />
      <EventHistory events={r.events} headingId="partner-history-heading" />
    </Page>
  );
}

function Sub({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <div className="referral-block" role="group" aria-labelledby={id}>
      <h3 className="heading-s" id={id}>
        {title}
      </h3>
      {children}
    </div>
  );
}

function Answer({ referral: r, mayAccept, mayDecline, run }: { referral: PartnerReferralT; mayAccept: boolean; mayDecline: boolean; run: Run }) {
  const { t } = useTranslation();
  const declining = useRef(false);
  const [asking, setAsking] = useState(false);
  const form = useForm({
    initial: { reason: '' },
    validate: (v) => (declining.current && !v.reason.trim() ? [{ field: 'reason', message: t('referrals.partner.errors.reason') }] : []),
    onSubmit: async (v) => {
      if (declining.current) await run(() => answerReferral(r.id, { status: 'rejected', reason: v.reason.trim(), version: r.version }), t('referrals.partner.declined'));
      else await run(() => answerReferral(r.id, { status: 'accepted', reason: null, version: r.version }), t('referrals.partner.accepted'));
    },
  });
  return (
    <>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      {asking ? (
        <form noValidate onSubmit={(e) => void form.onSubmit(e)} aria-labelledby="partner-decline-heading">
          <h3 className="heading-s" id="partner-decline-heading">
            {t('referrals.partner.decline')}
          </h3>
          <TextArea name="reason" label={t('referrals.partner.declineReason')} hint={t('referrals.partner.declineReasonHint')} value={form.values.reason} onChange={(x) => form.set('reason', x)} error={form.errorFor('reason')} rows={3} />
          <ButtonGroup>
            <Button type="submit" variant="warning" busy={form.busy}>
              {t('referrals.partner.declineSubmit')}
            </Button>
            <Button variant="secondary" onClick={() => setAsking(false)}>
              {t('referrals.page.cancel')}
            </Button>
          </ButtonGroup>
        </form>
      ) : (
        <ButtonGroup>
          {mayAccept ? (
            <Button
              busy={form.busy}
              onClick={() => {
                declining.current = false;
                void form.onSubmit();
              }}
            >
              {t('referrals.partner.accept')}
            </Button>
          ) : null}
          {mayDecline ? (
            <Button
              variant="secondary"
              onClick={() => {
                declining.current = true;
                setAsking(true);
              }}
            >
              {t('referrals.partner.decline')}
            </Button>
          ) : null}
        </ButtonGroup>
      )}
    </>
  );
}

function Book({ referral: r, run }: { referral: PartnerReferralT; run: Run }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const form = useForm({
    initial: { date: '', time: '', place: r.appointmentPlace ?? '', note: '' },
    fieldFor: (path) => (path === 'startsAt' ? 'date' : path === 'place' || path === 'note' ? path : undefined),
    validate: (v) => {
      const e: FormError[] = [];
      if (!isDate(v.date)) e.push({ field: 'date', message: t('referrals.partner.errors.date') });
      if (!isTime(v.time)) e.push({ field: 'time', message: t('referrals.partner.errors.time') });
      return e;
    },
    onSubmit: async (v) => {
      const startsAt = instantOf(v.date, v.time);
      if (!startsAt) {
        form.setErrors([{ field: 'date', message: t('referrals.partner.errors.date') }]);
        return;
      }
      await run(() => bookFirstVisit(r.id, { startsAt, place: v.place.trim() || null, note: v.note.trim() || null, version: r.version }), t('referrals.partner.booked'));
    },
  });
  return (
    <Sub id="partner-book-heading" title={t('referrals.partner.book')}>
      {!open ? (
        <Button variant="secondary" onClick={() => setOpen(true)}>
          {t('referrals.partner.book')}
        </Button>
      ) : (
        <form noValidate onSubmit={(e) => void form.onSubmit(e)}>
          <ErrorSummary errors={form.errors} attempt={form.attempt} />
          <TextField name="date" type="date" width="medium" label={t('referrals.partner.bookDate')} hint={t('referrals.partner.bookDateHint')} value={form.values.date} onChange={(x) => form.set('date', x)} error={form.errorFor('date')} />
          <TextField name="time" type="time" width="short" label={t('referrals.partner.bookTime')} hint={t('referrals.partner.bookTimeHint')} value={form.values.time} onChange={(x) => form.set('time', x)} error={form.errorFor('time')} />
          <TextField name="place" label={t('referrals.partner.bookPlace')} hint={t('referrals.partner.bookPlaceHint')} value={form.values.place} onChange={(x) => form.set('place', x)} error={form.errorFor('place')} optional />
          <TextArea name="note" label={t('referrals.partner.bookNote')} value={form.values.note} onChange={(x) => form.set('note', x)} error={form.errorFor('note')} optional rows={2} />
          <ButtonGroup>
            <Button type="submit" busy={form.busy}>
              {t('referrals.partner.bookSubmit')}
            </Button>
            <Button variant="secondary" onClick={() => setOpen(false)}>
              {t('referrals.page.cancel')}
            </Button>
          </ButtonGroup>
        </form>
      )}
    </Sub>
  );
}

function Attendance({ referral: r, run }: { referral: PartnerReferralT; run: Run }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const form = useForm({
    initial: { came: '', on: '', moudStarted: false },
    validate: (v) => {
      const e: FormError[] = [];
      if (!v.came) e.push({ field: 'came', message: t('referrals.partner.errors.came') });
      if (v.on.trim() && !isDate(v.on)) e.push({ field: 'on', message: t('referrals.partner.errors.date') });
      return e;
    },
    fieldFor: (path) => (path === 'attended' ? 'came' : path === 'on' || path === 'moudStarted' ? path : undefined),
    onSubmit: async (v) => {
      const attended = v.came === 'yes';
      await run(
        () => confirmAttendance(r.id, { attended, ...(v.on.trim() && { on: v.on.trim() }), moudStarted: attended && v.moudStarted, version: r.version }),
        attended ? t('referrals.partner.attendanceDone') : t('referrals.partner.notCameDone'),
      );
    },
  });
  return (
    <Sub id="partner-attendance-heading" title={t('referrals.partner.attendance')}>
      {!open ? (
        <Button variant="secondary" onClick={() => setOpen(true)}>
          {t('referrals.partner.attendance')}
        </Button>
      ) : (
        <form noValidate onSubmit={(e) => void form.onSubmit(e)}>
          <ErrorSummary errors={form.errors} attempt={form.attempt} />
          <RadioGroup
            name="came"
            legend={t('referrals.partner.came')}
            value={form.values.came}
            onChange={(x) => form.set('came', x)}
            error={form.errorFor('came')}
            options={[
              { value: 'yes', label: t('referrals.partner.cameYes') },
              { value: 'no', label: t('referrals.partner.cameNo') },
            ]}
          />
          <TextField
            name="on"
            type="date"
            width="medium"
            label={t('referrals.partner.attendedOn')}
            hint={t('referrals.partner.attendedOnHint')}
            value={form.values.on}
            onChange={(x) => form.set('on', x)}
            error={form.errorFor('on')}
            optional
            max={localToday()}
          />
          {form.values.came === 'yes' ? (
            <SingleCheckbox name="moudStarted" label={t('referrals.partner.moudStarted')} value={form.values.moudStarted} onChange={(x) => form.set('moudStarted', x)} error={form.errorFor('moudStarted')} />
          ) : null}
          <ButtonGroup>
            <Button type="submit" busy={form.busy}>
              {t('referrals.partner.attendanceSubmit')}
            </Button>
            <Button variant="secondary" onClick={() => setOpen(false)}>
              {t('referrals.page.cancel')}
            </Button>
          </ButtonGroup>
        </form>
      )}
    </Sub>
  );
}

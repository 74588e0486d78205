/**
 * The participant page's appointments: upcoming (soonest first) and earlier ones, each with its
 * time, place or video link, transport needs, the reminder to the participant and the .ics
 * download; "Attended" / "Missed" once it has started, "Cancel" and "Reschedule" while scheduled,
 * and "Add appointment". Shown to people whose role reads appointments.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { AppointmentKind } from '../../../contracts/appointments';
import { isApiError, newIdempotencyKey } from '../../app/api';
import { useMe } from '../../app/auth';
import { Banner, LoadFailed, Loading, Tag, useFormatDateTime } from '../../app/components';
import { Button, ButtonGroup } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { SelectField, SingleCheckbox, TextArea, TextField } from '../../app/forms/fields';
import { useForm, type FormError } from '../../app/forms/useForm';
import { appointmentKeys, changeStatus, createAppointment, icsUrl, instantOf, listAppointments, reschedule, type AppointmentT } from './appointments.api';
import { appointmentsEn } from './i18n';
import './appointments.css';

const KINDS = Object.keys(appointmentsEn.kinds) as AppointmentKind[];
const TONE = { scheduled: 'blue', attended: 'green', missed: 'red', cancelled: 'grey', rescheduled: 'grey' } as const satisfies Record<AppointmentT['status'], string>;
type Notice = { kind: 'success' | 'warning'; text: string } | null;

const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v.trim());
const isTime = (v: string) => /^([01]\d|2[0-3]):[0-5]\d$/.test(v.trim());
/** Today's local date in the browser (the coach's phone). */
const localToday = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

export function AppointmentsSection({ participantId }: { participantId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const mayRead = me.permissions.includes('appointments.read');
  const mayManage = me.permissions.includes('appointments.manage');
  const list = useQuery({ queryKey: appointmentKeys.list(participantId), queryFn: () => listAppointments(participantId), enabled: mayRead });
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [showPast, setShowPast] = useState(false);
  if (!mayRead) return null;
  const upcoming = list.data?.upcoming ?? [];
  const past = list.data?.past ?? [];
  const entry = (a: AppointmentT) => (
    <AppointmentEntry
      key={a.id}
      appointment={a}
      mayManage={mayManage}
      participantId={participantId}
      onNotice={setNotice}
      rescheduling={editing === a.id}
      setRescheduling={(on) => setEditing(on ? a.id : null)}
    />
  );
  return (
    <section aria-labelledby="appointments-heading" className="care-section">
      <h2 className="heading-m" id="appointments-heading">
        {t('appointments.heading')}
      </h2>
      {notice ? (
        <Banner kind={notice.kind}>
          <p>{notice.text}</p>
        </Banner>
      ) : null}
      {list.isPending ? <Loading /> : null}
      {list.isError ? <LoadFailed error={list.error} retry={() => void list.refetch()} /> : null}
      {list.isSuccess ? (
        <>
          <h3 className="heading-s">{t('appointments.upcoming')}</h3>
          {upcoming.length === 0 ? <p>{t('appointments.noneUpcoming')}</p> : <ul className="record-list">{upcoming.map(entry)}</ul>}
          {past.length > 0 ? (
            <>
              <Button variant="secondary" aria-expanded={showPast} onClick={() => setShowPast((s) => !s)}>
                {showPast ? t('appointments.hidePast') : t('appointments.showPast', { count: past.length })}
              </Button>
              {showPast ? (
                <>
                  <h3 className="heading-s">{t('appointments.past')}</h3>
                  <ul className="record-list">{past.map(entry)}</ul>
                </>
              ) : null}
            </>
          ) : null}
        </>
      ) : null}
      {mayManage && editing !== 'add' ? (
        <Button variant="secondary" onClick={() => { setNotice(null); setEditing('add'); }}>
          {t('appointments.actions.add')}
        </Button>
      ) : null}
      {mayManage && editing === 'add' ? (
        <AddAppointment
          participantId={participantId}
          onClose={(saved) => {
            setEditing(null);
            if (saved) setNotice({ kind: 'success', text: t('appointments.form.saved') });
          }}
        />
      ) : null}
    </section>
  );
}

function ReminderLine({ a }: { a: AppointmentT }) {
  const { t } = useTranslation();
  const format = useFormatDateTime();
  const r = a.reminder;
  const channel = r.channel ? t(`appointments.reminder.channels.${r.channel}`) : '';
  let text: string;
  if (r.status === null) text = t(`appointments.reminder.none.${r.none ?? 'not_requested'}`);
  else if (r.status === 'failed') text = t('appointments.reminder.failed', { channel, count: r.attempts });
  else text = t(`appointments.reminder.${r.status}`, { channel, when: format(r.sendAt) });
  return (
    <p className="hint">
      {t('appointments.reminder.label')}: {r.status === 'failed' ? <Tag tone="red">{text}</Tag> : text}
    </p>
  );
}

function AppointmentEntry({
  appointment: a,
  mayManage,
  participantId,
  onNotice,
  rescheduling,
  setRescheduling,
}: {
  appointment: AppointmentT;
  mayManage: boolean;
  participantId: string;
  onNotice: (n: Notice) => void;
  rescheduling: boolean;
  setRescheduling: (on: boolean) => void;
}) {
  const { t } = useTranslation();
  const format = useFormatDateTime();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['participants', participantId] });
  const when = a.endsAt ? t('appointments.whenUntil', { start: format(a.startsAt), end: format(a.endsAt) }) : t('appointments.when', { start: format(a.startsAt) });
  const explain = async (e: unknown) => {
    if (isApiError(e) && e.code === 'record.conflict') {
      onNotice({ kind: 'warning', text: t('appointments.form.changedElsewhere') });
      await refresh();
      return true;
    }
    return false;
  };
  const setStatus = async (status: 'attended' | 'missed' | 'cancelled') => {
    if (busy) return;
    setBusy(true);
    onNotice(null);
    try {
      await changeStatus(a.id, { status, version: a.version });
      onNotice({ kind: 'success', text: t('appointments.form.statusSaved', { status: t(`appointments.statuses.${status}`).toLowerCase() }) });
      await refresh();
    } catch (e) {
      if (!(await explain(e))) onNotice({ kind: 'warning', text: isApiError(e) ? e.message : t('errors.unexpected') });
    } finally {
      setBusy(false);
    }
  };
  const started = Date.parse(a.startsAt) <= Date.now();
  const hidden = <span className="visually-hidden"> {t('appointments.actions.forAppointment', { when: format(a.startsAt) })}</span>;
  const facts: [string, string][] = [
    ...(a.place ? [[t('appointments.place'), a.place] as [string, string]] : []),
    ...(a.providerName ? [[t('appointments.provider'), a.providerName] as [string, string]] : []),
    ...(a.transportNeeds ? [[t('appointments.transport'), a.transportNeeds] as [string, string]] : []),
    ...(a.coachName ? [[t('appointments.coach'), a.coachName] as [string, string]] : []),
    ...(a.notes ? [[t('appointments.notes'), a.notes] as [string, string]] : []),
  ];
  return (
    <li className="record appointment">
      <h4 className="heading-s record-title">
        {t(`appointments.kinds.${a.kind}`)} <Tag tone={TONE[a.status]}>{t(`appointments.statuses.${a.status}`)}</Tag>
      </h4>
      <p>{when}</p>
      {facts.length ? (
        <dl className="appointment-facts">
          {facts.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {a.telehealthUrl ? (
        <p>
          <a href={a.telehealthUrl} target="_blank" rel="noopener noreferrer">
            {t('appointments.telehealth')}
          </a>
        </p>
      ) : null}
      {a.status !== 'scheduled' && a.statusChangedAt ? (
        <p className="hint">
          {t('appointments.statusBy', { status: t(`appointments.statuses.${a.status}`), name: a.statusChangedByName ?? '', when: format(a.statusChangedAt) })}
          {a.statusReason ? ` ${t('appointments.statusReason', { reason: a.statusReason })}` : ''}
        </p>
      ) : null}
      {a.rescheduledToId ? <p className="hint">{t('appointments.rescheduledTo')}</p> : null}
      {a.rescheduledFromId ? <p className="hint">{t('appointments.rescheduledFrom')}</p> : null}
      {a.status === 'scheduled' ? <ReminderLine a={a} /> : null}
      <p>
        <a href={icsUrl(a.id)} download>
          {t('appointments.actions.calendar')}
          {hidden}
        </a>
      </p>
      {mayManage && a.status === 'scheduled' && !rescheduling ? (
        <ButtonGroup>
          {started ? (
            <>
              <Button busy={busy} onClick={() => void setStatus('attended')}>
                {t('appointments.actions.attended')}
                {hidden}
              </Button>
              <Button variant="secondary" busy={busy} onClick={() => void setStatus('missed')}>
                {t('appointments.actions.missed')}
                {hidden}
              </Button>
            </>
          ) : null}
          <Button variant="secondary" onClick={() => { onNotice(null); setRescheduling(true); }}>
            {t('appointments.actions.reschedule')}
            {hidden}
          </Button>
          <Button variant="secondary" busy={busy} onClick={() => void setStatus('cancelled')}>
            {t('appointments.actions.cancel')}
            {hidden}
          </Button>
        </ButtonGroup>
      ) : null}
      {mayManage && a.status === 'missed' && !a.rescheduledToId && !rescheduling ? (
        <Button variant="secondary" onClick={() => { onNotice(null); setRescheduling(true); }}>
          {t('appointments.actions.reschedule')}
          {hidden}
        </Button>
      ) : null}
      {rescheduling ? (
        <Reschedule
          appointment={a}
          explain={explain}
          onClose={async (saved) => {
            setRescheduling(false);
            if (saved) {
              onNotice({ kind: 'success', text: t('appointments.form.rescheduled') });
              await refresh();
            }
          }}
        />
      ) : null}
    </li>
  );
}

/** Date, start and optional end → instants; the errors name the form's fields. */
function timesOf(t: TFunction, v: { apptDate: string; apptStart: string; apptEnd: string }): { errors: FormError[]; startsAt?: string; endsAt?: string | null } {
  const errors: FormError[] = [];
  if (!isDate(v.apptDate)) errors.push({ field: 'apptDate', message: t('appointments.form.errors.dateMissing') });
  if (!isTime(v.apptStart)) errors.push({ field: 'apptStart', message: t('appointments.form.errors.startMissing') });
  if (v.apptEnd.trim() && (!isTime(v.apptEnd) || v.apptEnd.trim() <= v.apptStart.trim())) errors.push({ field: 'apptEnd', message: t('appointments.form.errors.endBeforeStart') });
  if (errors.length) return { errors };
  return { errors, startsAt: instantOf(v.apptDate, v.apptStart)!, endsAt: v.apptEnd.trim() ? instantOf(v.apptDate, v.apptEnd) : null };
}

/** Server paths → the form's fields. */
const fieldFor = (path: string): string | undefined =>
  ({ startsAt: 'apptStart', endsAt: 'apptEnd', kind: 'apptKind', place: 'apptPlace', telehealthUrl: 'apptTelehealthUrl', providerName: 'apptProviderName', transportNeeds: 'apptTransportNeeds', notes: 'apptNotes', reason: 'apptReason' })[path];

function AddAppointment({ participantId, onClose }: { participantId: string; onClose: (saved: boolean) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [key] = useState(newIdempotencyKey);
  const form = useForm({
    initial: { apptKind: '', apptDate: localToday(), apptStart: '', apptEnd: '', apptPlace: '', apptTelehealthUrl: '', apptProviderName: '', apptTransportNeeds: '', apptNotes: '', apptRemind: false, apptNamesPlace: false },
    fieldFor,
    validate: (v) => {
      const e: FormError[] = [];
      if (!v.apptKind) e.push({ field: 'apptKind', message: t('appointments.form.errors.kindMissing') });
      return [...e, ...timesOf(t, v).errors];
    },
    onSubmit: async (v) => {
      const { startsAt, endsAt } = timesOf(t, v);
      const opt = (s: string) => (s.trim() ? s.trim() : null);
      await createAppointment(
        participantId,
        {
          kind: v.apptKind as AppointmentKind,
          startsAt: startsAt!,
          endsAt: endsAt ?? null,
          place: opt(v.apptPlace),
          telehealthUrl: opt(v.apptTelehealthUrl),
          providerName: opt(v.apptProviderName),
          transportNeeds: opt(v.apptTransportNeeds),
          notes: opt(v.apptNotes),
          remindParticipant: v.apptRemind,
          reminderNamesPlace: v.apptRemind && v.apptNamesPlace,
        },
        key,
      );
      await queryClient.invalidateQueries({ queryKey: ['participants', participantId] });
      await queryClient.invalidateQueries({ queryKey: ['outreach', 'today'] });
      onClose(true);
    },
  });
  return (
    <div className="section care-form" role="group" aria-labelledby="add-appointment-heading">
      <h3 className="heading-s" id="add-appointment-heading">
        {t('appointments.form.addHeading')}
      </h3>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <SelectField
          name="apptKind"
          label={t('appointments.form.kind')}
          value={form.values.apptKind}
          error={form.errorFor('apptKind')}
          onChange={(v) => form.set('apptKind', v)}
          options={[{ value: '', label: '' }, ...KINDS.map((k) => ({ value: k, label: t(`appointments.kinds.${k}`) }))]}
        />
        <TextField name="apptDate" type="date" width="medium" label={t('appointments.form.date')} hint={t('appointments.form.dateHint')} value={form.values.apptDate} error={form.errorFor('apptDate')} onChange={(v) => form.set('apptDate', v)} />
        <TextField name="apptStart" type="time" width="short" label={t('appointments.form.start')} hint={t('appointments.form.startHint')} value={form.values.apptStart} error={form.errorFor('apptStart')} onChange={(v) => form.set('apptStart', v)} />
        <TextField name="apptEnd" type="time" width="short" optional label={t('appointments.form.end')} value={form.values.apptEnd} error={form.errorFor('apptEnd')} onChange={(v) => form.set('apptEnd', v)} />
        <TextField name="apptPlace" optional label={t('appointments.form.place')} hint={t('appointments.form.placeHint')} value={form.values.apptPlace} error={form.errorFor('apptPlace')} onChange={(v) => form.set('apptPlace', v)} />
        <TextField name="apptTelehealthUrl" type="url" optional label={t('appointments.form.telehealth')} hint={t('appointments.form.telehealthHint')} value={form.values.apptTelehealthUrl} error={form.errorFor('apptTelehealthUrl')} onChange={(v) => form.set('apptTelehealthUrl', v)} />
        <TextField name="apptProviderName" optional label={t('appointments.form.provider')} value={form.values.apptProviderName} error={form.errorFor('apptProviderName')} onChange={(v) => form.set('apptProviderName', v)} />
        <TextField name="apptTransportNeeds" optional label={t('appointments.form.transport')} hint={t('appointments.form.transportHint')} value={form.values.apptTransportNeeds} error={form.errorFor('apptTransportNeeds')} onChange={(v) => form.set('apptTransportNeeds', v)} />
        <TextArea name="apptNotes" optional label={t('appointments.form.notes')} value={form.values.apptNotes} error={form.errorFor('apptNotes')} onChange={(v) => form.set('apptNotes', v)} rows={3} />
        <SingleCheckbox name="apptRemind" label={t('appointments.form.remind')} hint={t('appointments.form.remindHint')} value={form.values.apptRemind} onChange={(v) => form.set('apptRemind', v)} />
        {form.values.apptRemind ? <SingleCheckbox name="apptNamesPlace" label={t('appointments.form.namesPlace')} value={form.values.apptNamesPlace} onChange={(v) => form.set('apptNamesPlace', v)} /> : null}
        <ButtonGroup>
          <Button type="submit" busy={form.busy}>
            {t('appointments.form.save')}
          </Button>
          <Button variant="secondary" onClick={() => onClose(false)}>
            {t('common.cancel')}
          </Button>
        </ButtonGroup>
      </form>
    </div>
  );
}

function Reschedule({ appointment: a, onClose, explain }: { appointment: AppointmentT; onClose: (saved: boolean) => Promise<void>; explain: (e: unknown) => Promise<boolean> }) {
  const { t } = useTranslation();
  const [key] = useState(newIdempotencyKey);
  const form = useForm({
    initial: { apptDate: localToday(), apptStart: '', apptEnd: '', apptReason: '' },
    fieldFor,
    validate: (v) => timesOf(t, v).errors,
    onSubmit: async (v) => {
      const { startsAt, endsAt } = timesOf(t, v);
      try {
        await reschedule(a.id, { startsAt: startsAt!, endsAt: endsAt ?? null, reason: v.apptReason.trim() || null, version: a.version }, key);
      } catch (e) {
        if (await explain(e)) {
          await onClose(false);
          return;
        }
        throw e;
      }
      await onClose(true);
    },
  });
  const id = `reschedule-appointment-${a.id}`;
  return (
    <div className="section care-form" role="group" aria-labelledby={id}>
      <h4 className="heading-s" id={id}>
        {t('appointments.form.rescheduleHeading')}
      </h4>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <TextField name="apptDate" type="date" width="medium" label={t('appointments.form.date')} hint={t('appointments.form.dateHint')} value={form.values.apptDate} error={form.errorFor('apptDate')} onChange={(v) => form.set('apptDate', v)} />
        <TextField name="apptStart" type="time" width="short" label={t('appointments.form.start')} hint={t('appointments.form.startHint')} value={form.values.apptStart} error={form.errorFor('apptStart')} onChange={(v) => form.set('apptStart', v)} />
        <TextField name="apptEnd" type="time" width="short" optional label={t('appointments.form.end')} value={form.values.apptEnd} error={form.errorFor('apptEnd')} onChange={(v) => form.set('apptEnd', v)} />
        <TextField name="apptReason" optional label={t('appointments.form.reason')} value={form.values.apptReason} error={form.errorFor('apptReason')} onChange={(v) => form.set('apptReason', v)} />
        <ButtonGroup>
          <Button type="submit" busy={form.busy}>
            {t('appointments.form.saveReschedule')}
          </Button>
          <Button variant="secondary" onClick={() => void onClose(false)}>
            {t('common.cancel')}
          </Button>
        </ButtonGroup>
      </form>
    </div>
  );
}

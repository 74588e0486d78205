/**
 * The participant page's federal (GPRA) interviews: when the 6-month follow-up is due and its
 * window first (in words, with dates), then the interviews recorded, newest first. Recording is
 * "Record an interview", choose which, the date (today filled in), "Save interview". A correction
 * sends the version it was made from; a change someone else made meanwhile is said and the latest
 * shown. Shown to people whose role reads the interviews; the buttons only to those who record them.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { isApiError, newIdempotencyKey } from '../../app/api';
import { useMe } from '../../app/auth';
import { Banner, LoadFailed, Loading, Tag } from '../../app/components';
import { Button, ButtonGroup } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { RadioGroup, TextField } from '../../app/forms/fields';
import { useForm, type FormError } from '../../app/forms/useForm';
import { KINDS, PERMISSIONS, correctInterview, federalKeys, listInterviews, recordInterview, removeInterview, type FederalInterviewT, type FollowUpT, type Kind } from './federal-follow-up.api';
import { STATUS_TONE, useFormatDate } from './format';
import '../care/care.css';
import './federal-follow-up.css';

type Notice = { kind: 'success' | 'warning'; text: string } | null;
/** What a form reports when its change met a newer version (the form has already taken the 409). */
const CONFLICT = Symbol('conflict');
type FormValues = { kind: string; conductedOn: string };
const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v.trim());

export function FederalInterviewsSection({ participantId }: { participantId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const mayRead = me.permissions.includes(PERMISSIONS.read);
  const mayManage = me.permissions.includes(PERMISSIONS.manage);
  const list = useQuery({ queryKey: federalKeys.list(participantId), queryFn: () => listInterviews(participantId), enabled: mayRead });
  const queryClient = useQueryClient();
  // One form open at a time: 'record', 'correct:<id>', 'remove:<id>'.
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  if (!mayRead) return null;
  const refresh = () => queryClient.invalidateQueries({ queryKey: federalKeys.participant(participantId) });
  const done = async (text: string | null) => {
    setEditing(null);
    if (text) setNotice({ kind: 'success', text });
    await refresh();
  };
  const failed = async (e: unknown) => {
    setEditing(null);
    const conflict = e === CONFLICT || (isApiError(e) && e.code === 'record.conflict');
    setNotice({ kind: 'warning', text: conflict ? t('federal.changedElsewhere') : isApiError(e) ? e.message : t('errors.unexpected') });
    await refresh();
  };
  const open = (what: string) => {
    setNotice(null);
    setEditing(what);
  };
  const data = list.data;
  const ctx: Ctx = { participantId, mayManage, editing, open, done, failed, today: data?.today ?? '' };
  const hasIntake = Boolean(data?.interviews.some((i) => i.kind === 'intake'));
  return (
    <section aria-labelledby="federal-heading" className="care-section federal">
      <h2 className="heading-m" id="federal-heading">
        {t('federal.heading')}
      </h2>
      <p className="hint">{t('federal.intro')}</p>
      {notice ? (
        <Banner kind={notice.kind}>
          <p>{notice.text}</p>
        </Banner>
      ) : null}
      {list.isPending ? <Loading /> : null}
      {list.isError ? <LoadFailed error={list.error} retry={() => void list.refetch()} /> : null}
      {data ? (
        <>
          {data.followUps.length === 0 ? <p>{t('federal.noIntake')}</p> : null}
          {[...data.followUps].reverse().map((f) => (
            <FollowUpPanel key={f.intakeId} followUp={f} />
          ))}
          {data.interviews.length === 0 ? <p>{t('federal.none')}</p> : null}
          <ul className="record-list">
            {data.interviews.map((i) => (
              <InterviewEntry key={i.id} interview={i} ctx={ctx} />
            ))}
          </ul>
          {mayManage && editing !== 'record' ? (
            <Button variant="secondary" onClick={() => open('record')}>
              {t('federal.record.open')}
            </Button>
          ) : null}
          {mayManage && editing === 'record' ? <RecordForm ctx={ctx} defaultKind={hasIntake ? 'six_month_follow_up' : 'intake'} /> : null}
        </>
      ) : null}
    </section>
  );
}

interface Ctx {
  participantId: string;
  mayManage: boolean;
  editing: string | null;
  today: string;
  open: (what: string) => void;
  done: (notice: string | null) => Promise<void>;
  failed: (e: unknown) => Promise<void>;
}

/** When the follow-up of one intake is due, its window, and where it stands: the first thing a coach needs. */
function FollowUpPanel({ followUp: f }: { followUp: FollowUpT }) {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const line =
    f.status === 'completed'
      ? t('federal.followUp.completed', { date: fmt(f.followUpOn) })
      : f.status === 'upcoming'
        ? t('federal.followUp.upcoming', { date: fmt(f.windowFrom) })
        : f.status === 'in_window'
          ? t('federal.followUp.inWindow', { date: fmt(f.windowThrough) })
          : t('federal.followUp.outOfWindow', { date: fmt(f.windowThrough) });
  return (
    <div className={`federal-due federal-due--${f.status}`} role="status">
      <h3 className="heading-s federal-due-heading">{t('federal.followUp.heading', { date: fmt(f.intakeOn) })}</h3>
      <p className="federal-due-when">
        {t('federal.followUp.due', { date: fmt(f.dueOn) })} <Tag tone={STATUS_TONE[f.status]}>{t(`federal.followUp.statuses.${f.status}`)}</Tag>
      </p>
      <p>{line}</p>
      <p className="hint">{t('federal.followUp.window', { from: fmt(f.windowFrom), through: fmt(f.windowThrough) })}</p>
    </div>
  );
}

function InterviewEntry({ interview: i, ctx }: { interview: FederalInterviewT; ctx: Ctx }) {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const kind = t(`federal.kinds.${i.kind}`);
  const date = fmt(i.conductedOn);
  const busyHere = ctx.editing === `correct:${i.id}` || ctx.editing === `remove:${i.id}`;
  return (
    <li className="record">
      <h3 className="heading-s record-title">{t('federal.conducted', { kind, date })}</h3>
      {i.recordedByName ? <p className="hint">{t('federal.recordedBy', { name: i.recordedByName })}</p> : null}
      {ctx.mayManage && !busyHere ? (
        <ButtonGroup>
          <Button variant="secondary" onClick={() => ctx.open(`correct:${i.id}`)}>
            {t('federal.correct.open')}
            <span className="visually-hidden"> {t('federal.correct.openHidden', { kind, date })}</span>
          </Button>
          <Button variant="secondary" onClick={() => ctx.open(`remove:${i.id}`)}>
            {t('federal.remove.open')}
            <span className="visually-hidden"> {t('federal.remove.openHidden', { kind, date })}</span>
          </Button>
        </ButtonGroup>
      ) : null}
      {ctx.editing === `correct:${i.id}` ? <CorrectForm interview={i} ctx={ctx} /> : null}
      {ctx.editing === `remove:${i.id}` ? <RemoveConfirm interview={i} ctx={ctx} /> : null}
    </li>
  );
}

function FormShell({ id, heading, errors, attempt, onSubmit, children, save, busy, onCancel }: { id: string; heading: string; errors: FormError[]; attempt: number; onSubmit: (e: FormEvent) => void; children: ReactNode; save: string; busy: boolean; onCancel: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="section care-form" role="group" aria-labelledby={id}>
      <h4 className="heading-s" id={id}>
        {heading}
      </h4>
      <ErrorSummary errors={errors} attempt={attempt} />
      <form className="form" noValidate onSubmit={onSubmit}>
        {children}
        <ButtonGroup>
          <Button type="submit" busy={busy}>
            {save}
          </Button>
          <Button variant="secondary" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        </ButtonGroup>
      </form>
    </div>
  );
}

/** Server error paths (`conductedOn`) onto this form's prefixed field names: two forms never share an id. */
const prefixed = (prefix: string) => (path: string) => (path === 'kind' || path === 'conductedOn' ? `${prefix}.${path}` : undefined);

function InterviewFields({ prefix, values, set, errorFor, today }: { prefix: string; values: { kind: string; conductedOn: string }; set: (k: 'kind' | 'conductedOn', v: string) => void; errorFor: (name: string) => string | undefined; today: string }) {
  const { t } = useTranslation();
  return (
    <>
      <RadioGroup name={`${prefix}.kind`} legend={t('federal.record.kind')} options={KINDS.map((k) => ({ value: k, label: t(`federal.kinds.${k}`) }))} value={values.kind} error={errorFor(`${prefix}.kind`)} onChange={(v) => set('kind', v)} />
      <TextField
        name={`${prefix}.conductedOn`}
        type="date"
        width="medium"
        max={today || undefined}
        label={t('federal.record.conductedOn')}
        hint={t('federal.record.conductedOnHint')}
        value={values.conductedOn}
        error={errorFor(`${prefix}.conductedOn`)}
        onChange={(v) => set('conductedOn', v)}
      />
    </>
  );
}

const check = (prefix: string, t: (k: 'federal.record.errors.kind' | 'federal.record.errors.conductedOn') => string, today: string) => (v: { kind: string; conductedOn: string }) => {
  const e: FormError[] = [];
  if (!v.kind) e.push({ field: `${prefix}.kind`, message: t('federal.record.errors.kind') });
  if (!isDate(v.conductedOn) || (today && v.conductedOn.trim() > today)) e.push({ field: `${prefix}.conductedOn`, message: t('federal.record.errors.conductedOn') });
  return e;
};

function RecordForm({ ctx, defaultKind }: { ctx: Ctx; defaultKind: Kind }) {
  const { t } = useTranslation();
  const [key] = useState(newIdempotencyKey);
  const form = useForm<FormValues>({
    initial: { kind: defaultKind, conductedOn: ctx.today },
    fieldFor: prefixed('federal-record'),
    validate: check('federal-record', t, ctx.today),
    onSubmit: async (v) => {
      await recordInterview(ctx.participantId, { kind: v.kind as Kind, conductedOn: v.conductedOn.trim() }, key);
      await ctx.done(t('federal.record.saved', { kind: t(`federal.kinds.${v.kind as Kind}`) }));
    },
  });
  return (
    <FormShell id="federal-record" heading={t('federal.record.heading')} errors={form.errors} attempt={form.attempt} onSubmit={(e) => void form.onSubmit(e)} save={t('federal.record.save')} busy={form.busy} onCancel={() => void ctx.done(null)}>
      <InterviewFields prefix="federal-record" values={form.values} set={(k, v) => form.set(k, v)} errorFor={form.errorFor} today={ctx.today} />
    </FormShell>
  );
}

function CorrectForm({ interview: i, ctx }: { interview: FederalInterviewT; ctx: Ctx }) {
  const { t } = useTranslation();
  const prefix = `federal-correct-${i.id}`;
  const form = useForm<FormValues>({
    initial: { kind: i.kind, conductedOn: i.conductedOn },
    fieldFor: prefixed(prefix),
    validate: check(prefix, t, ctx.today),
    onConflict: () => void ctx.failed(CONFLICT),
    onSubmit: async (v) => {
      await correctInterview(i.id, { version: i.version, ...(v.kind !== i.kind && { kind: v.kind as Kind }), ...(v.conductedOn.trim() !== i.conductedOn && { conductedOn: v.conductedOn.trim() }) });
      await ctx.done(t('federal.correct.saved'));
    },
  });
  return (
    <FormShell id={prefix} heading={t('federal.correct.heading')} errors={form.errors} attempt={form.attempt} onSubmit={(e) => void form.onSubmit(e)} save={t('federal.correct.save')} busy={form.busy} onCancel={() => void ctx.done(null)}>
      <InterviewFields prefix={prefix} values={form.values} set={(k, v) => form.set(k, v)} errorFor={form.errorFor} today={ctx.today} />
    </FormShell>
  );
}

function RemoveConfirm({ interview: i, ctx }: { interview: FederalInterviewT; ctx: Ctx }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const remove = async () => {
    if (busy) return;
    setBusy(true);
    try {
      await removeInterview(i.id, i.version);
      await ctx.done(t('federal.remove.saved'));
    } catch (e) {
      // A rule (a follow-up still needs this intake) is said here; a newer version goes to the section.
      if (isApiError(e) && e.code === 'validation.failed') setProblem(e.message);
      else await ctx.failed(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="section care-form" role="group" aria-label={t('federal.remove.open')}>
      <p>{t('federal.remove.confirm')}</p>
      {problem ? (
        <Banner kind="warning">
          <p>{problem}</p>
        </Banner>
      ) : null}
      <ButtonGroup>
        <Button busy={busy} onClick={() => void remove()}>
          {t('federal.remove.yes')}
        </Button>
        <Button variant="secondary" onClick={() => void ctx.done(null)}>
          {t('common.cancel')}
        </Button>
      </ButtonGroup>
    </div>
  );
}

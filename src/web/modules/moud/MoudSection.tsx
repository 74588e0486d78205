/**
 * The participant page's MOUD access (medication, fills, OTP enrollment, barriers) and insurance
 * tasks. Phone first: the next refill due is the first thing shown, in words and with its date;
 * recording a fill is "Record a fill" then "Save fill" (today and the usual supply are filled in).
 * Shown to people whose role reads MOUD access; the buttons only to those who manage it.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  FORMULATIONS_OF,
  INSURANCE_TASK_KINDS,
  MOUD_BARRIER_KINDS,
  MOUD_COURSE_STATUSES,
  MOUD_INFO_SOURCES,
  MOUD_MEDICATIONS,
  REFILL_DUE_SOON_DAYS,
  defaultDaysSupply,
  usesFills,
  type InsuranceTaskKind,
  type MoudBarrierKind,
  type MoudCourseStatus,
  type MoudFormulation,
  type MoudInfoSource,
  type MoudMedication,
} from '../../../contracts/moud-rules';
import { isApiError, newIdempotencyKey } from '../../app/api';
import { useAuth, useMe } from '../../app/auth';
import { Banner, LoadFailed, Loading, Tag } from '../../app/components';
import { Button, ButtonGroup } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { RadioGroup, TextField } from '../../app/forms/fields';
import { useForm, type FormError } from '../../app/forms/useForm';
import { dateIn } from '../care/care.api';
import * as moudApi from './moud.api';
import type { InsuranceTaskT, MoudBarrierT, MoudCourseT } from './moud.api';
import '../care/care.css';
import './moud.css';

type Notice = { kind: 'success' | 'warning'; text: string } | null;
const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v.trim());

/** A local date (YYYY-MM-DD) in words, in the interface language: "Fri, Nov 27, 2026". */
function useFormatDate(): (date: string | null | undefined) => string {
  const { i18n } = useTranslation();
  return (date) => {
    if (!date) return '';
    try {
      return new Intl.DateTimeFormat(i18n.language, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
    } catch {
      return date;
    }
  };
}

export function MoudSection({ participantId }: { participantId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const mayRead = me.permissions.includes('moud.read');
  const mayManage = me.permissions.includes('moud.manage');
  const summary = useQuery({ queryKey: moudApi.moudKeys.summary(participantId), queryFn: () => moudApi.getMoud(participantId), enabled: mayRead });
  const queryClient = useQueryClient();
  // One form open at a time: 'course', 'barrier', 'task', 'fill:<course>', 'period:<course>', 'end:<period>'.
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  if (!mayRead) return null;
  const refresh = () => queryClient.invalidateQueries({ queryKey: moudApi.moudKeys.participant(participantId) });
  const done = async (text: string | null) => {
    setEditing(null);
    if (text) setNotice({ kind: 'success', text });
    await refresh();
  };
  /** A change that met a newer version: say so and show the latest. */
  const failed = async (e: unknown) => {
    setNotice({ kind: 'warning', text: isApiError(e) && e.code === 'record.conflict' ? t('moud.changedElsewhere') : isApiError(e) ? e.message : t('errors.unexpected') });
    await refresh();
  };
  const open = (what: string) => {
    setNotice(null);
    setEditing(what);
  };
  const data = summary.data;
  const ctx: SectionCtx = { participantId, mayManage, editing, open, done, failed, today: data?.today ?? '' };
  return (
    <section aria-labelledby="moud-heading" className="care-section moud">
      <h2 className="heading-m" id="moud-heading">
        {t('moud.heading')}
      </h2>
      {notice ? (
        <Banner kind={notice.kind}>
          <p>{notice.text}</p>
        </Banner>
      ) : null}
      {summary.isPending ? <Loading /> : null}
      {summary.isError ? <LoadFailed error={summary.error} retry={() => void summary.refetch()} /> : null}
      {data ? (
        <>
          <RefillPanel courses={data.courses} />
          {data.courses.length === 0 ? <p>{t('moud.none')}</p> : null}
          <ul className="record-list">
            {data.courses.map((c) => (
              <CourseEntry key={c.id} course={c} ctx={ctx} />
            ))}
          </ul>
          {mayManage && editing !== 'course' ? (
            <Button variant="secondary" onClick={() => open('course')}>
              {t('moud.addCourse.open')}
            </Button>
          ) : null}
          {mayManage && editing === 'course' ? <AddCourse ctx={ctx} /> : null}
          <Barriers barriers={data.barriers} ctx={ctx} />
          <Tasks tasks={data.insuranceTasks} ctx={ctx} />
        </>
      ) : null}
    </section>
  );
}

interface SectionCtx {
  participantId: string;
  mayManage: boolean;
  editing: string | null;
  today: string;
  open: (what: string) => void;
  done: (notice: string | null) => Promise<void>;
  failed: (e: unknown) => Promise<void>;
}

/** The soonest refill due among medications being taken, in words: the first thing a coach needs. */
function RefillPanel({ courses }: { courses: MoudCourseT[] }) {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const next = courses.filter((c) => c.status === 'active' && c.nextRefillDue).sort((a, b) => a.nextRefillDue!.localeCompare(b.nextRefillDue!))[0];
  if (!next) return null;
  const days = next.refillInDays ?? 0;
  const date = fmt(next.nextRefillDue);
  const soon = days <= REFILL_DUE_SOON_DAYS;
  return (
    <div className={`moud-refill${days < 0 ? ' moud-refill--overdue' : soon ? ' moud-refill--soon' : ''}`} role="status">
      <h3 className="heading-s moud-refill-heading">{t('moud.refill.heading')}</h3>
      <p className="moud-refill-when">{days < 0 ? t('moud.refill.overdue', { count: -days, date }) : t('moud.refill.due', { count: days, date })}</p>
      <p className="hint">
        {t(`moud.medications.${next.medication}`)} · {t('moud.refill.coveredThrough', { date: fmt(next.coveredThrough) })}
      </p>
    </div>
  );
}

function SourceTag({ r }: { r: { source: MoudInfoSource; verifiedByName: string | null } }) {
  const { t } = useTranslation();
  return r.source === 'verified' && r.verifiedByName ? <Tag tone="green">{t('moud.verifiedBy', { name: r.verifiedByName })}</Tag> : <Tag>{t(`moud.sources.${r.source}`)}</Tag>;
}

const STATUS_TONE = { starting: 'yellow', active: 'green', stopped: 'grey' } as const satisfies Record<MoudCourseStatus, string>;

function CourseEntry({ course: c, ctx }: { course: MoudCourseT; ctx: SectionCtx }) {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const [busy, setBusy] = useState(false);
  const medication = t(`moud.medications.${c.medication}`);
  const stop = async () => {
    if (busy) return;
    setBusy(true);
    try {
      await moudApi.updateCourse(c.id, { version: c.version, status: 'stopped' });
      await ctx.done(t('moud.course.stoppedSaved'));
    } catch (e) {
      await ctx.failed(e);
    } finally {
      setBusy(false);
    }
  };
  const facts: [string, ReactNode][] = [];
  if (c.prescriber) facts.push([t('moud.course.prescriber'), c.prescriber]);
  if (c.pharmacy) facts.push([t('moud.course.pharmacy'), c.pharmacy]);
  if (c.startedOn) facts.push([t('moud.course.started'), fmt(c.startedOn)]);
  if (c.stoppedOn) facts.push([t('moud.course.stopped'), fmt(c.stoppedOn)]);
  const fills = usesFills(c.medication);
  const openPeriod = c.enrollments.find((e) => !e.endedOn);
  return (
    <li className="record moud-course">
      <h3 className="heading-s record-title">{t('moud.course.title', { medication, formulation: t(`moud.formulations.${c.formulation}`) })}</h3>
      <p>
        <Tag tone={STATUS_TONE[c.status]}>{t(`moud.statuses.${c.status}`)}</Tag> <SourceTag r={c} />
      </p>
      {facts.length ? (
        <dl className="moud-facts">
          {facts.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {fills ? (
        <>
          {c.coveredThrough ? <p>{t('moud.refill.coveredThrough', { date: fmt(c.coveredThrough) })}</p> : <p className="hint">{t('moud.refill.noFills')}</p>}
          {c.fills.length ? (
            <>
              <h4 className="heading-s">{t('moud.course.recentFills')}</h4>
              <ul className="moud-list">
                {c.fills.slice(0, 3).map((f) => (
                  <li key={f.id}>
                    {t(f.daysSupplyDefaulted ? 'moud.course.fillDefaulted' : 'moud.course.fill', { date: fmt(f.filledOn), days: f.daysSupply })} <SourceTag r={f} />
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      ) : (
        <>
          <p>{c.enrolledNow ? t('moud.course.enrolledNow') : t('moud.course.notEnrolled')}</p>
          {c.enrollments.length ? (
            <>
              <h4 className="heading-s">{t('moud.course.periods')}</h4>
              <ul className="moud-list">
                {c.enrollments.map((e) => (
                  <li key={e.id}>
                    {e.endedOn ? t('moud.course.period', { start: fmt(e.startedOn), end: fmt(e.endedOn) }) : t('moud.course.periodOpen', { start: fmt(e.startedOn) })} <SourceTag r={e} />
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      )}
      {ctx.mayManage && c.status !== 'stopped' && !ctx.editing?.endsWith(c.id) && !(openPeriod && ctx.editing === `end:${openPeriod.id}`) ? (
        <ButtonGroup>
          {fills ? (
            <Button onClick={() => ctx.open(`fill:${c.id}`)}>
              {t('moud.addFill.open')}
              <span className="visually-hidden"> {t('moud.addFill.openHidden', { medication })}</span>
            </Button>
          ) : openPeriod ? (
            <Button variant="secondary" onClick={() => ctx.open(`end:${openPeriod.id}`)}>
              {t('moud.addPeriod.end')}
            </Button>
          ) : (
            <Button onClick={() => ctx.open(`period:${c.id}`)}>{t('moud.addPeriod.open')}</Button>
          )}
          <Button variant="secondary" busy={busy} onClick={() => void stop()}>
            {t('moud.course.markStopped')}
            <span className="visually-hidden"> {t('moud.course.markStoppedHidden', { medication })}</span>
          </Button>
        </ButtonGroup>
      ) : null}
      {ctx.editing === `fill:${c.id}` ? <AddFill course={c} ctx={ctx} /> : null}
      {ctx.editing === `period:${c.id}` ? <AddPeriod course={c} ctx={ctx} /> : null}
      {openPeriod && ctx.editing === `end:${openPeriod.id}` ? <EndPeriod period={openPeriod} ctx={ctx} /> : null}
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

function SourceField({ name, value, error, onChange }: { name: string; value: string; error: string | undefined; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  return <RadioGroup name={name} inline legend={t('moud.sourceLegend')} options={MOUD_INFO_SOURCES.map((s) => ({ value: s, label: t(`moud.sources.${s}`) }))} value={value} error={error} onChange={onChange} />;
}

/** Server error paths (`filledOn`) onto this form's prefixed field names (`fill.filledOn`): two forms never share an id. */
const prefixed = (prefix: string) => (path: string) => `${prefix}.${path}`;

function AddCourse({ ctx }: { ctx: SectionCtx }) {
  const { t } = useTranslation();
  const [key] = useState(newIdempotencyKey);
  const form = useForm({
    initial: { medication: '', formulation: '', prescriber: '', pharmacy: '', startedOn: '', status: 'active', source: 'participant_reported' },
    fieldFor: prefixed('course'),
    validate: (v) => {
      const e: FormError[] = [];
      if (!v.medication) e.push({ field: 'course.medication', message: t('moud.addCourse.errors.medication') });
      if (!v.formulation) e.push({ field: 'course.formulation', message: t('moud.addCourse.errors.formulation') });
      return e;
    },
    onSubmit: async (v) => {
      await moudApi.createCourse(
        ctx.participantId,
        {
          medication: v.medication as MoudMedication,
          formulation: v.formulation as MoudFormulation,
          prescriber: v.prescriber.trim() || null,
          pharmacy: v.pharmacy.trim() || null,
          startedOn: v.startedOn.trim() || null,
          status: v.status as MoudCourseStatus,
          source: v.source as MoudInfoSource,
        },
        key,
      );
      await ctx.done(t('moud.addCourse.saved'));
    },
  });
  const forms = form.values.medication ? FORMULATIONS_OF[form.values.medication as MoudMedication] : [];
  return (
    <FormShell id="moud-add-course" heading={t('moud.addCourse.heading')} errors={form.errors} attempt={form.attempt} onSubmit={(e) => void form.onSubmit(e)} save={t('moud.addCourse.save')} busy={form.busy} onCancel={() => void ctx.done(null)}>
      <RadioGroup
        name="course.medication"
        legend={t('moud.addCourse.medication')}
        options={MOUD_MEDICATIONS.map((m) => ({ value: m, label: t(`moud.medications.${m}`) }))}
        value={form.values.medication}
        error={form.errorFor('course.medication')}
        onChange={(v) => form.setValues({ ...form.values, medication: v, formulation: FORMULATIONS_OF[v as MoudMedication].length === 1 ? FORMULATIONS_OF[v as MoudMedication][0]! : '' })}
      />
      {forms.length ? (
        <RadioGroup
          name="course.formulation"
          legend={t('moud.addCourse.formulation')}
          options={forms.map((f) => ({ value: f, label: t(`moud.formulations.${f}`) }))}
          value={form.values.formulation}
          error={form.errorFor('course.formulation')}
          onChange={(v) => form.set('formulation', v)}
        />
      ) : null}
      <TextField name="course.prescriber" optional label={t('moud.addCourse.prescriber')} value={form.values.prescriber} error={form.errorFor('course.prescriber')} onChange={(v) => form.set('prescriber', v)} />
      <TextField name="course.pharmacy" optional label={t('moud.addCourse.pharmacy')} value={form.values.pharmacy} error={form.errorFor('course.pharmacy')} onChange={(v) => form.set('pharmacy', v)} />
      <TextField name="course.startedOn" type="date" width="medium" optional label={t('moud.addCourse.startedOn')} hint={t('moud.addCourse.startedOnHint')} value={form.values.startedOn} error={form.errorFor('course.startedOn')} onChange={(v) => form.set('startedOn', v)} />
      <RadioGroup
        name="course.status"
        inline
        legend={t('moud.addCourse.status')}
        options={MOUD_COURSE_STATUSES.filter((s) => s !== 'stopped').map((s) => ({ value: s, label: t(`moud.statuses.${s}`) }))}
        value={form.values.status}
        error={form.errorFor('course.status')}
        onChange={(v) => form.set('status', v)}
      />
      <SourceField name="course.source" value={form.values.source} error={form.errorFor('course.source')} onChange={(v) => form.set('source', v)} />
    </FormShell>
  );
}

function AddFill({ course, ctx }: { course: MoudCourseT; ctx: SectionCtx }) {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const timeZone = useAuth().me?.organization?.timeZone;
  const today = ctx.today || dateIn(new Date(), timeZone);
  const usual = defaultDaysSupply(course.medication, course.formulation);
  const [key] = useState(newIdempotencyKey);
  const form = useForm({
    initial: { filledOn: today, daysSupply: '', source: 'participant_reported' },
    fieldFor: prefixed('fill'),
    validate: (v) => {
      const e: FormError[] = [];
      if (!isDate(v.filledOn)) e.push({ field: 'fill.filledOn', message: t('moud.addFill.errors.filledOn') });
      const days = v.daysSupply.trim();
      if ((days === '' && usual == null) || (days !== '' && !(/^\d+$/.test(days) && Number(days) >= 1 && Number(days) <= 365))) e.push({ field: 'fill.daysSupply', message: t('moud.addFill.errors.daysSupply') });
      return e;
    },
    onSubmit: async (v) => {
      await moudApi.createFill(ctx.participantId, { courseId: course.id, filledOn: v.filledOn.trim(), daysSupply: v.daysSupply.trim() ? Number(v.daysSupply) : null, source: v.source as MoudInfoSource }, key);
      const latest = await moudApi.getMoud(ctx.participantId);
      const next = latest.courses.find((c) => c.id === course.id)?.nextRefillDue;
      await ctx.done(next ? t('moud.addFill.saved', { date: fmt(next) }) : null);
    },
  });
  return (
    <FormShell id={`moud-add-fill-${course.id}`} heading={t('moud.addFill.heading')} errors={form.errors} attempt={form.attempt} onSubmit={(e) => void form.onSubmit(e)} save={t('moud.addFill.save')} busy={form.busy} onCancel={() => void ctx.done(null)}>
      <TextField name="fill.filledOn" type="date" width="medium" max={today} label={t('moud.addFill.filledOn')} hint={t('moud.addFill.filledOnHint')} value={form.values.filledOn} error={form.errorFor('fill.filledOn')} onChange={(v) => form.set('filledOn', v)} />
      <TextField
        name="fill.daysSupply"
        type="number"
        inputMode="numeric"
        min={1}
        max={365}
        width="short"
        optional={usual != null}
        label={t('moud.addFill.daysSupply')}
        hint={usual != null ? t('moud.addFill.daysSupplyUsual', { count: usual }) : t('moud.addFill.daysSupplyNeeded')}
        value={form.values.daysSupply}
        error={form.errorFor('fill.daysSupply')}
        onChange={(v) => form.set('daysSupply', v)}
      />
      <SourceField name="fill.source" value={form.values.source} error={form.errorFor('fill.source')} onChange={(v) => form.set('source', v)} />
    </FormShell>
  );
}

function AddPeriod({ course, ctx }: { course: MoudCourseT; ctx: SectionCtx }) {
  const { t } = useTranslation();
  const [key] = useState(newIdempotencyKey);
  const form = useForm({
    initial: { startedOn: ctx.today, endedOn: '', source: 'participant_reported' },
    fieldFor: prefixed('period'),
    validate: (v) => (isDate(v.startedOn) ? [] : [{ field: 'period.startedOn', message: t('moud.addPeriod.errors.startedOn') }]),
    onSubmit: async (v) => {
      await moudApi.createEnrollment(ctx.participantId, { courseId: course.id, startedOn: v.startedOn.trim(), endedOn: v.endedOn.trim() || null, source: v.source as MoudInfoSource }, key);
      await ctx.done(t('moud.addPeriod.saved'));
    },
  });
  return (
    <FormShell id={`moud-add-period-${course.id}`} heading={t('moud.addPeriod.heading')} errors={form.errors} attempt={form.attempt} onSubmit={(e) => void form.onSubmit(e)} save={t('moud.addPeriod.save')} busy={form.busy} onCancel={() => void ctx.done(null)}>
      <TextField name="period.startedOn" type="date" width="medium" max={ctx.today} label={t('moud.addPeriod.startedOn')} value={form.values.startedOn} error={form.errorFor('period.startedOn')} onChange={(v) => form.set('startedOn', v)} />
      <TextField name="period.endedOn" type="date" width="medium" max={ctx.today} optional label={t('moud.addPeriod.endedOn')} hint={t('moud.addPeriod.endedOnHint')} value={form.values.endedOn} error={form.errorFor('period.endedOn')} onChange={(v) => form.set('endedOn', v)} />
      <SourceField name="period.source" value={form.values.source} error={form.errorFor('period.source')} onChange={(v) => form.set('source', v)} />
    </FormShell>
  );
}

function EndPeriod({ period, ctx }: { period: MoudCourseT['enrollments'][number]; ctx: SectionCtx }) {
  const { t } = useTranslation();
  const form = useForm({
    initial: { endedOn: ctx.today },
    fieldFor: prefixed('end'),
    validate: (v) => (isDate(v.endedOn) ? [] : [{ field: 'end.endedOn', message: t('moud.addPeriod.errors.startedOn') }]),
    onSubmit: async (v) => {
      try {
        await moudApi.updateEnrollment(period.id, { version: period.version, endedOn: v.endedOn.trim() });
      } catch (e) {
        if (isApiError(e) && e.code === 'record.conflict') return ctx.failed(e);
        throw e;
      }
      await ctx.done(t('moud.addPeriod.saved'));
    },
  });
  return (
    <FormShell id={`moud-end-period-${period.id}`} heading={t('moud.addPeriod.end')} errors={form.errors} attempt={form.attempt} onSubmit={(e) => void form.onSubmit(e)} save={t('moud.addPeriod.endSave')} busy={form.busy} onCancel={() => void ctx.done(null)}>
      <TextField name="end.endedOn" type="date" width="medium" min={period.startedOn} max={ctx.today} label={t('moud.addPeriod.endedOn')} value={form.values.endedOn} error={form.errorFor('end.endedOn')} onChange={(v) => form.set('endedOn', v)} />
    </FormShell>
  );
}

function Barriers({ barriers, ctx }: { barriers: MoudBarrierT[]; ctx: SectionCtx }) {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const open = barriers.filter((b) => b.status === 'open');
  const resolved = barriers.filter((b) => b.status === 'resolved').slice(0, 3);
  const resolve = async (b: MoudBarrierT) => {
    try {
      await moudApi.updateBarrier(b.id, { version: b.version, status: 'resolved' });
      await ctx.done(t('moud.barriers.resolved'));
    } catch (e) {
      await ctx.failed(e);
    }
  };
  return (
    <div className="moud-block">
      <h3 className="heading-s">{t('moud.barriers.heading')}</h3>
      {open.length === 0 ? <p>{t('moud.barriers.none')}</p> : null}
      <ul className="record-list">
        {[...open, ...resolved].map((b) => {
          const kind = t(`moud.barriers.kinds.${b.kind}`);
          return (
            <li key={b.id} className={`record${b.status === 'open' ? ' moud-barrier--open' : ''}`}>
              <p className="record-title">
                <strong>{kind}</strong> {b.status === 'resolved' ? <Tag tone="green">{t('moud.barriers.resolvedOn', { date: fmt(b.resolvedOn) })}</Tag> : <Tag tone="yellow">{t('moud.barriers.noted', { date: fmt(b.notedOn) })}</Tag>} <SourceTag r={b} />
              </p>
              {b.detail ? <p>{b.detail}</p> : null}
              {ctx.mayManage && b.status === 'open' ? (
                <Button variant="secondary" onClick={() => void resolve(b)}>
                  {t('moud.barriers.resolve')}
                  <span className="visually-hidden"> {t('moud.barriers.resolveHidden', { kind })}</span>
                </Button>
              ) : null}
            </li>
          );
        })}
      </ul>
      {ctx.mayManage && ctx.editing !== 'barrier' ? (
        <Button variant="secondary" onClick={() => ctx.open('barrier')}>
          {t('moud.barriers.add')}
        </Button>
      ) : null}
      {ctx.mayManage && ctx.editing === 'barrier' ? <AddBarrier ctx={ctx} /> : null}
    </div>
  );
}

function AddBarrier({ ctx }: { ctx: SectionCtx }) {
  const { t } = useTranslation();
  const [key] = useState(newIdempotencyKey);
  const form = useForm({
    initial: { kind: '', detail: '', source: 'participant_reported' },
    fieldFor: prefixed('barrier'),
    validate: (v) => (v.kind ? [] : [{ field: 'barrier.kind', message: t('moud.barriers.errors.kind') }]),
    onSubmit: async (v) => {
      await moudApi.createBarrier(ctx.participantId, { kind: v.kind as MoudBarrierKind, detail: v.detail.trim() || null, source: v.source as MoudInfoSource }, key);
      await ctx.done(t('moud.barriers.saved'));
    },
  });
  return (
    <FormShell id="moud-add-barrier" heading={t('moud.barriers.addHeading')} errors={form.errors} attempt={form.attempt} onSubmit={(e) => void form.onSubmit(e)} save={t('moud.barriers.save')} busy={form.busy} onCancel={() => void ctx.done(null)}>
      <RadioGroup name="barrier.kind" legend={t('moud.barriers.kind')} options={MOUD_BARRIER_KINDS.map((k) => ({ value: k, label: t(`moud.barriers.kinds.${k}`) }))} value={form.values.kind} error={form.errorFor('barrier.kind')} onChange={(v) => form.set('kind', v)} />
      <TextField name="barrier.detail" optional label={t('moud.barriers.detail')} hint={t('moud.barriers.detailHint')} value={form.values.detail} error={form.errorFor('barrier.detail')} onChange={(v) => form.set('detail', v)} />
      <SourceField name="barrier.source" value={form.values.source} error={form.errorFor('barrier.source')} onChange={(v) => form.set('source', v)} />
    </FormShell>
  );
}

const TASK_TONE = { open: 'blue', in_progress: 'yellow', done: 'green', cancelled: 'grey' } as const;

function Tasks({ tasks, ctx }: { tasks: InsuranceTaskT[]; ctx: SectionCtx }) {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const open = tasks.filter((x) => x.status === 'open' || x.status === 'in_progress');
  const change = async (task: InsuranceTaskT, status: 'in_progress' | 'done') => {
    try {
      await moudApi.updateTask(task.id, { version: task.version, status });
      await ctx.done(t('moud.tasks.updated'));
    } catch (e) {
      await ctx.failed(e);
    }
  };
  return (
    <div className="moud-block">
      <h3 className="heading-s">{t('moud.tasks.heading')}</h3>
      {open.length === 0 ? <p>{t('moud.tasks.none')}</p> : null}
      <ul className="record-list">
        {open.map((task) => {
          const kind = t(`moud.tasks.kinds.${task.kind}`);
          const overdue = !!task.dueOn && !!ctx.today && task.dueOn < ctx.today;
          return (
            <li key={task.id} className={`record${overdue ? ' todo--overdue' : ''}`}>
              <p className="record-title">
                <strong>{kind}</strong> <Tag tone={TASK_TONE[task.status]}>{t(`moud.tasks.statuses.${task.status}`)}</Tag>
              </p>
              <p>{task.dueOn ? t('moud.tasks.due', { date: fmt(task.dueOn) }) : t('moud.tasks.noDue')}</p>
              {task.detail ? <p>{task.detail}</p> : null}
              {ctx.mayManage ? (
                <ButtonGroup>
                  <Button onClick={() => void change(task, 'done')}>
                    {t('moud.tasks.done')}
                    <span className="visually-hidden"> {t('moud.tasks.actionHidden', { kind })}</span>
                  </Button>
                  {task.status === 'open' ? (
                    <Button variant="secondary" onClick={() => void change(task, 'in_progress')}>
                      {t('moud.tasks.start')}
                      <span className="visually-hidden"> {t('moud.tasks.actionHidden', { kind })}</span>
                    </Button>
                  ) : null}
                </ButtonGroup>
              ) : null}
            </li>
          );
        })}
      </ul>
      {ctx.mayManage && ctx.editing !== 'task' ? (
        <Button variant="secondary" onClick={() => ctx.open('task')}>
          {t('moud.tasks.add')}
        </Button>
      ) : null}
      {ctx.mayManage && ctx.editing === 'task' ? <AddTask ctx={ctx} /> : null}
    </div>
  );
}

function AddTask({ ctx }: { ctx: SectionCtx }) {
  const { t } = useTranslation();
  const [key] = useState(newIdempotencyKey);
  const form = useForm({
    initial: { kind: '', dueOn: '', detail: '' },
    fieldFor: prefixed('task'),
    validate: (v) => {
      const e: FormError[] = [];
      if (!v.kind) e.push({ field: 'task.kind', message: t('moud.tasks.errors.kind') });
      if (v.dueOn.trim() && (!isDate(v.dueOn) || (ctx.today && v.dueOn.trim() < ctx.today))) e.push({ field: 'task.dueOn', message: t('moud.tasks.errors.dueOn') });
      return e;
    },
    onSubmit: async (v) => {
      await moudApi.createTask(ctx.participantId, { kind: v.kind as InsuranceTaskKind, dueOn: v.dueOn.trim() || null, detail: v.detail.trim() || null }, key);
      await ctx.done(t('moud.tasks.saved'));
    },
  });
  return (
    <FormShell id="moud-add-task" heading={t('moud.tasks.addHeading')} errors={form.errors} attempt={form.attempt} onSubmit={(e) => void form.onSubmit(e)} save={t('moud.tasks.save')} busy={form.busy} onCancel={() => void ctx.done(null)}>
      <RadioGroup name="task.kind" legend={t('moud.tasks.kind')} options={INSURANCE_TASK_KINDS.map((k) => ({ value: k, label: t(`moud.tasks.kinds.${k}`) }))} value={form.values.kind} error={form.errorFor('task.kind')} onChange={(v) => form.set('kind', v)} />
      <TextField name="task.dueOn" type="date" width="medium" min={ctx.today} optional label={t('moud.tasks.dueOn')} hint={t('moud.tasks.dueOnHint')} value={form.values.dueOn} error={form.errorFor('task.dueOn')} onChange={(v) => form.set('dueOn', v)} />
      <TextField name="task.detail" optional label={t('moud.tasks.detail')} value={form.values.detail} error={form.errorFor('task.detail')} onChange={(v) => form.set('detail', v)} />
    </FormShell>
  );
}

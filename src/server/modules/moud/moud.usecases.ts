/**
 * Rules for MOUD access and insurance navigation tasks. Everything about a participant first
 * passes `requireParticipant` (another organization's: 404; outside the caller's scope: 403);
 * reads are audited as `participant.read` (`part: 'moud'`), writes in their transaction with ids
 * and codes only (never the prescriber, pharmacy or detail text).
 *
 * Dates are local dates of the organization's time zone. A fill, an enrollment period, a barrier
 * and its resolution cannot be in the future; a period cannot end before it starts.
 *
 * Derived state kept in step on every write:
 * - each course's `covered_through` / `next_refill_due`, from ALL the participant's fills of the
 *   same medication (`moudCoverage`: overlapping fills add up), for the `refill_due` signal;
 * - the participant's `current_moud` fact (see `syncCurrentMoud`);
 * - an insurance task with a due date has a to-do (kind `insurance`) on the coach's list while open.
 */
import type { z } from 'zod';
import type {
  CreateInsuranceTaskBody,
  CreateMoudBarrierBody,
  CreateMoudCourseBody,
  CreateMoudFillBody,
  CreateOtpEnrollmentBody,
  InsuranceTaskKind,
  MoudInfoSource,
  MoudMedication,
  UpdateInsuranceTaskBody,
  UpdateMoudBarrierBody,
  UpdateMoudCourseBody,
  UpdateMoudFillBody,
  UpdateOtpEnrollmentBody,
} from '../../../contracts/moud.js';
import { FORMULATIONS_OF, defaultDaysSupply, moudCoverage, usesFills } from '../../../contracts/moud.js';
import type { Ctx } from '../../platform/http/context.js';
import { errors } from '../../platform/errors.js';
import { localDate } from '../../platform/time.js';
import { findOrganization } from '../organizations/organizations.repository.js';
import { requireParticipant, requireParticipantAccess } from '../participants/participants.access.js';
import { addTodo, dueInstant } from '../care/care.usecases.js';
import * as careRepo from '../care/care.repository.js';
import * as repo from './moud.repository.js';
import { presentBarrier, presentCourse, presentEnrollment, presentFill, presentSummary, presentTask, type Names } from './moud.presenters.js';

async function clockAt(ctx: Ctx): Promise<{ today: string; tz: string; now: string }> {
  const tz = (await findOrganization(ctx.db, ctx.actor.organizationId))?.timeZone ?? 'UTC';
  const now = ctx.clock.now();
  return { today: localDate(now, tz), tz, now: now.toISOString() };
}

const verifier = (ctx: Ctx, source: MoudInfoSource): string | null => (source === 'verified' ? ctx.actor.userId : null);
const notFuture = (field: string, date: string | null | undefined, today: string) => {
  if (date && date > today) throw errors.invalid(field, 'Enter a date that is today or in the past');
};
const owned = (ctx: Ctx, participantId: string, now: string) => ({ organizationId: ctx.actor.organizationId, participantId, createdBy: ctx.actor.userId, now });
const namesOf = (ctx: Ctx, ids: (string | null)[]): Promise<Names> => repo.staffNames(ctx.db, ids);

// ---- derived state

/** Recompute coverage for every course of the participant's medication from all its fills. */
async function recomputeCoverage(ctx: Ctx, participantId: string, medication: MoudMedication): Promise<void> {
  const org = ctx.actor.organizationId;
  const c = usesFills(medication) ? moudCoverage(await repo.listFills(ctx.db, org, participantId, medication)) : { coveredThrough: null, nextRefillDue: null };
  await repo.setCoverage(ctx.db, org, participantId, medication, { coveredThrough: c.coveredThrough, nextRefillDue: c.nextRefillDue });
}

/** After a merge: every medication's coverage from the fills the survivor now holds. */
export async function recomputeAllCoverage(ctx: Ctx, participantId: string): Promise<void> {
  const medications = new Set((await repo.listCourses(ctx.db, ctx.actor.organizationId, participantId)).map((c) => c.medication));
  for (const m of medications) await recomputeCoverage(ctx, participantId, m);
}

/**
 * The participant's `current_moud` fact follows the MOUD record: with an active course it names
 * that medication (the most recently started one) and where the fact came from (`verified` →
 * `clinician_verified`: a pharmacy, prescriber or OTP confirmed it); when a course stops and no
 * active course remains, a `current_moud` naming that medication becomes `none`. Courses only
 * `starting` change nothing. Other values a person entered (`unknown`, another medication with no
 * course) stay as they are until a course says otherwise.
 */
async function syncCurrentMoud(ctx: Ctx, participantId: string, stopped?: repo.CourseRecord): Promise<void> {
  const org = ctx.actor.organizationId;
  const [active, fact] = await Promise.all([repo.currentMedication(ctx.db, org, participantId), repo.participantMoud(ctx.db, org, participantId)]);
  if (!fact) return;
  let next: { currentMoud: string; moudSource: string | null } | undefined;
  if (active) {
    const moudSource = active.source === 'verified' ? 'clinician_verified' : 'participant_reported';
    if (fact.currentMoud !== active.medication || fact.moudSource !== moudSource) next = { currentMoud: active.medication, moudSource };
  } else if (stopped && fact.currentMoud === stopped.medication) {
    next = { currentMoud: 'none', moudSource: stopped.source === 'verified' ? 'clinician_verified' : 'participant_reported' };
  }
  if (!next) return;
  await repo.setParticipantMoud(ctx.db, org, participantId, next, ctx.clock.now().toISOString());
  await ctx.audit({ action: 'participant.update', targetType: 'participant', targetIds: [participantId], details: { fields: ['currentMoud', 'moudSource'], via: 'moud', currentMoud: next.currentMoud } });
}

// ---- reads

/** The whole section: courses with fills and enrollment periods, barriers, insurance tasks. */
export async function moudSummary(ctx: Ctx, participantId: string) {
  const { grantId } = await requireParticipantAccess(ctx, participantId);
  const org = ctx.actor.organizationId;
  const { today } = await clockAt(ctx);
  const [courses, fills, enrollments, barriers, tasks] = await Promise.all([
    repo.listCourses(ctx.db, org, participantId),
    repo.listFills(ctx.db, org, participantId),
    repo.listEnrollments(ctx.db, org, participantId),
    repo.listBarriers(ctx.db, org, participantId),
    repo.listTasks(ctx.db, org, participantId),
  ]);
  const names = await namesOf(ctx, [...courses, ...fills, ...enrollments, ...barriers].map((r) => r.verifiedBy));
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [participantId], details: { part: 'moud', ...(grantId && { breakGlassGrantId: grantId }) } });
  return presentSummary({ participantId, today, courses, fills, enrollments, barriers, tasks, names });
}

// ---- courses

async function requireCourse(ctx: Ctx, id: string): Promise<repo.CourseRecord> {
  const c = await repo.findCourse(ctx.db, ctx.actor.organizationId, id);
  if (!c) throw errors.notFound('medication record');
  await requireParticipant(ctx, c.participantId);
  return c;
}

/** A course named in a body: the participant's own, else 404 (another person's or organization's looks the same). */
async function courseOf(ctx: Ctx, participantId: string, courseId: string): Promise<repo.CourseRecord> {
  const c = await repo.findCourse(ctx.db, ctx.actor.organizationId, courseId);
  if (!c || c.participantId !== participantId) throw errors.notFound('medication record');
  return c;
}

async function courseView(ctx: Ctx, id: string, today: string) {
  const org = ctx.actor.organizationId;
  const c = (await repo.findCourse(ctx.db, org, id))!;
  const fills = (await repo.listFills(ctx.db, org, c.participantId, c.medication)).filter((f) => f.courseId === id);
  const enrollments = (await repo.listEnrollments(ctx.db, org, c.participantId)).filter((e) => e.courseId === id);
  const names = await namesOf(ctx, [c, ...fills, ...enrollments].map((r) => r.verifiedBy));
  return presentCourse(c, fills, enrollments, names, today);
}

export async function createCourse(ctx: Ctx, participantId: string, input: z.output<typeof CreateMoudCourseBody>) {
  await requireParticipant(ctx, participantId);
  const { today, now } = await clockAt(ctx);
  if (!FORMULATIONS_OF[input.medication].includes(input.formulation)) throw errors.invalid('formulation', `Choose a form ${input.medication} comes in`);
  if (input.status !== 'starting') notFuture('startedOn', input.startedOn, today);
  const id = await repo.insertCourse(ctx.db, owned(ctx, participantId, now), {
    medication: input.medication,
    formulation: input.formulation,
    prescriber: input.prescriber ?? null,
    prescriberServiceId: input.prescriberServiceId ?? null,
    pharmacy: input.pharmacy ?? null,
    pharmacyServiceId: input.pharmacyServiceId ?? null,
    startedOn: input.startedOn ?? null,
    status: input.status,
    source: input.source,
    verifiedBy: verifier(ctx, input.source),
  });
  await recomputeCoverage(ctx, participantId, input.medication);
  await ctx.audit({ action: 'moud_course.create', targetType: 'moud_course', targetIds: [id, participantId], details: { medication: input.medication, status: input.status, source: input.source } });
  await syncCurrentMoud(ctx, participantId);
  return courseView(ctx, id, today);
}

export async function updateCourse(ctx: Ctx, id: string, input: z.output<typeof UpdateMoudCourseBody>) {
  const current = await requireCourse(ctx, id);
  const { today, now } = await clockAt(ctx);
  const { version, ...rest } = input;
  const formulation = rest.formulation ?? current.formulation;
  if (!FORMULATIONS_OF[current.medication].includes(formulation)) throw errors.invalid('formulation', `Choose a form ${current.medication} comes in`);
  const status = rest.status ?? current.status;
  const startedOn = rest.startedOn === undefined ? current.startedOn : rest.startedOn;
  if (status !== 'starting' && rest.startedOn !== undefined) notFuture('startedOn', startedOn, today);
  let stoppedOn: string | null = null;
  if (status === 'stopped') {
    stoppedOn = rest.stoppedOn ?? (current.status === 'stopped' ? current.stoppedOn : null) ?? today;
    notFuture('stoppedOn', stoppedOn, today);
    if (startedOn && stoppedOn < startedOn) throw errors.invalid('stoppedOn', 'Enter a stop date on or after the start date');
  } else if (rest.stoppedOn) {
    throw errors.invalid('stoppedOn', 'A stop date goes with the status "stopped"');
  }
  const set: Record<string, unknown> = { formulation, status, started_on: startedOn, stopped_on: stoppedOn };
  if (rest.prescriber !== undefined) set.prescriber = rest.prescriber;
  if (rest.prescriberServiceId !== undefined) set.prescriber_service_id = rest.prescriberServiceId;
  if (rest.pharmacy !== undefined) set.pharmacy = rest.pharmacy;
  if (rest.pharmacyServiceId !== undefined) set.pharmacy_service_id = rest.pharmacyServiceId;
  if (rest.source !== undefined) Object.assign(set, { source: rest.source, verified_by: verifier(ctx, rest.source) });
  if (!(await repo.updateVersioned(ctx.db, 'moud_courses', ctx.actor.organizationId, id, version, set, now))) {
    const latest = await courseView(ctx, id, today);
    throw errors.conflict(latest, latest.version);
  }
  await ctx.audit({ action: 'moud_course.update', targetType: 'moud_course', targetIds: [id, current.participantId], details: { fields: Object.keys(rest).filter((k) => rest[k as keyof typeof rest] !== undefined), status } });
  await syncCurrentMoud(ctx, current.participantId, status === 'stopped' && current.status !== 'stopped' ? current : undefined);
  return courseView(ctx, id, today);
}

/** A fill or an enrollment makes a course that was `starting` active (from that date, unless it has one). */
async function markStarted(ctx: Ctx, course: repo.CourseRecord, on: string, now: string): Promise<void> {
  if (course.status !== 'starting') return;
  await repo.updateVersioned(ctx.db, 'moud_courses', ctx.actor.organizationId, course.id, course.version, { status: 'active', started_on: course.startedOn && course.startedOn <= on ? course.startedOn : on }, now);
  await ctx.audit({ action: 'moud_course.update', targetType: 'moud_course', targetIds: [course.id, course.participantId], details: { fields: ['status'], status: 'active' } });
}

// ---- fills

async function requireFill(ctx: Ctx, id: string): Promise<repo.FillRecord> {
  const f = await repo.findFill(ctx.db, ctx.actor.organizationId, id);
  if (!f) throw errors.notFound('fill');
  await requireParticipant(ctx, f.participantId);
  return f;
}

async function fillView(ctx: Ctx, id: string) {
  const f = (await repo.findFill(ctx.db, ctx.actor.organizationId, id))!;
  return presentFill(f, await namesOf(ctx, [f.verifiedBy]));
}

export async function createFill(ctx: Ctx, participantId: string, input: z.output<typeof CreateMoudFillBody>) {
  await requireParticipant(ctx, participantId);
  const course = await courseOf(ctx, participantId, input.courseId);
  const { today, now } = await clockAt(ctx);
  if (!usesFills(course.medication)) throw errors.invalid('courseId', 'Methadone is recorded as OTP enrollment periods, not fills');
  notFuture('filledOn', input.filledOn, today);
  const fallback = defaultDaysSupply(course.medication, course.formulation);
  const daysSupply = input.daysSupply ?? fallback;
  if (daysSupply == null) throw errors.invalid('daysSupply', 'Enter the days supply: this medication has no usual supply to assume');
  const id = await repo.insertFill(ctx.db, owned(ctx, participantId, now), {
    courseId: course.id,
    medication: course.medication,
    filledOn: input.filledOn,
    daysSupply,
    daysSupplyDefaulted: input.daysSupply == null,
    quantity: input.quantity ?? null,
    source: input.source,
    verifiedBy: verifier(ctx, input.source),
  });
  await markStarted(ctx, course, input.filledOn, now);
  await recomputeCoverage(ctx, participantId, course.medication);
  await ctx.audit({ action: 'moud_fill.create', targetType: 'moud_fill', targetIds: [id, course.id, participantId], details: { medication: course.medication, daysSupply, source: input.source } });
  await syncCurrentMoud(ctx, participantId);
  return fillView(ctx, id);
}

export async function updateFill(ctx: Ctx, id: string, input: z.output<typeof UpdateMoudFillBody>) {
  const current = await requireFill(ctx, id);
  const { today, now } = await clockAt(ctx);
  const { version, ...rest } = input;
  notFuture('filledOn', rest.filledOn, today);
  const set: Record<string, unknown> = {};
  if (rest.filledOn !== undefined) set.filled_on = rest.filledOn;
  if (rest.daysSupply !== undefined) Object.assign(set, { days_supply: rest.daysSupply, days_supply_defaulted: 0 });
  if (rest.quantity !== undefined) set.quantity = rest.quantity;
  if (rest.source !== undefined) Object.assign(set, { source: rest.source, verified_by: verifier(ctx, rest.source) });
  if (!(await repo.updateVersioned(ctx.db, 'moud_fills', ctx.actor.organizationId, id, version, set, now))) {
    const latest = await fillView(ctx, id);
    throw errors.conflict(latest, latest.version);
  }
  await recomputeCoverage(ctx, current.participantId, current.medication);
  await ctx.audit({ action: 'moud_fill.update', targetType: 'moud_fill', targetIds: [id, current.courseId, current.participantId], details: { fields: Object.keys(set) } });
  return fillView(ctx, id);
}

// ---- OTP enrollment periods (methadone)

async function requireEnrollment(ctx: Ctx, id: string): Promise<repo.EnrollmentRecord> {
  const e = await repo.findEnrollment(ctx.db, ctx.actor.organizationId, id);
  if (!e) throw errors.notFound('enrollment period');
  await requireParticipant(ctx, e.participantId);
  return e;
}

async function enrollmentView(ctx: Ctx, id: string) {
  const e = (await repo.findEnrollment(ctx.db, ctx.actor.organizationId, id))!;
  return presentEnrollment(e, await namesOf(ctx, [e.verifiedBy]));
}

/** Dates of a period: not in the future, the end not before the start, no overlap with the course's other periods. */
async function checkPeriod(ctx: Ctx, p: { courseId: string; participantId: string; startedOn: string; endedOn: string | null; id?: string }, today: string): Promise<void> {
  notFuture('startedOn', p.startedOn, today);
  notFuture('endedOn', p.endedOn, today);
  if (p.endedOn && p.endedOn < p.startedOn) throw errors.invalid('endedOn', 'Enter an end date on or after the start date');
  const others = (await repo.listEnrollments(ctx.db, ctx.actor.organizationId, p.participantId)).filter((e) => e.courseId === p.courseId && e.id !== p.id);
  const end = p.endedOn ?? '9999-12-31';
  if (others.some((o) => o.startedOn <= end && (o.endedOn ?? '9999-12-31') >= p.startedOn)) {
    throw errors.invalid('startedOn', 'This period overlaps another enrollment period of this program. Change or end that one first.');
  }
}

export async function createEnrollment(ctx: Ctx, participantId: string, input: z.output<typeof CreateOtpEnrollmentBody>) {
  await requireParticipant(ctx, participantId);
  const course = await courseOf(ctx, participantId, input.courseId);
  const { today, now } = await clockAt(ctx);
  if (course.medication !== 'methadone') throw errors.invalid('courseId', 'Enrollment periods are for methadone; record fills for other medications');
  const endedOn = input.endedOn ?? null;
  await checkPeriod(ctx, { courseId: course.id, participantId, startedOn: input.startedOn, endedOn }, today);
  const id = await repo.insertEnrollment(ctx.db, owned(ctx, participantId, now), { courseId: course.id, startedOn: input.startedOn, endedOn, source: input.source, verifiedBy: verifier(ctx, input.source) });
  if (!endedOn) await markStarted(ctx, course, input.startedOn, now);
  await ctx.audit({ action: 'moud_enrollment.create', targetType: 'moud_enrollment', targetIds: [id, course.id, participantId], details: { ended: !!endedOn, source: input.source } });
  await syncCurrentMoud(ctx, participantId);
  return enrollmentView(ctx, id);
}

export async function updateEnrollment(ctx: Ctx, id: string, input: z.output<typeof UpdateOtpEnrollmentBody>) {
  const current = await requireEnrollment(ctx, id);
  const { today, now } = await clockAt(ctx);
  const { version, ...rest } = input;
  const startedOn = rest.startedOn ?? current.startedOn;
  const endedOn = rest.endedOn === undefined ? current.endedOn : rest.endedOn;
  await checkPeriod(ctx, { id, courseId: current.courseId, participantId: current.participantId, startedOn, endedOn }, today);
  const set: Record<string, unknown> = { started_on: startedOn, ended_on: endedOn };
  if (rest.source !== undefined) Object.assign(set, { source: rest.source, verified_by: verifier(ctx, rest.source) });
  if (!(await repo.updateVersioned(ctx.db, 'moud_otp_enrollments', ctx.actor.organizationId, id, version, set, now))) {
    const latest = await enrollmentView(ctx, id);
    throw errors.conflict(latest, latest.version);
  }
  await ctx.audit({ action: 'moud_enrollment.update', targetType: 'moud_enrollment', targetIds: [id, current.courseId, current.participantId], details: { fields: Object.keys(rest).filter((k) => rest[k as keyof typeof rest] !== undefined) } });
  return enrollmentView(ctx, id);
}

// ---- barriers

async function requireBarrier(ctx: Ctx, id: string): Promise<repo.BarrierRecord> {
  const b = await repo.findBarrier(ctx.db, ctx.actor.organizationId, id);
  if (!b) throw errors.notFound('barrier');
  await requireParticipant(ctx, b.participantId);
  return b;
}

async function barrierView(ctx: Ctx, id: string) {
  const b = (await repo.findBarrier(ctx.db, ctx.actor.organizationId, id))!;
  return presentBarrier(b, await namesOf(ctx, [b.verifiedBy]));
}

export async function createBarrier(ctx: Ctx, participantId: string, input: z.output<typeof CreateMoudBarrierBody>) {
  await requireParticipant(ctx, participantId);
  if (input.courseId) await courseOf(ctx, participantId, input.courseId);
  const { today, now } = await clockAt(ctx);
  const notedOn = input.notedOn ?? today;
  notFuture('notedOn', notedOn, today);
  const id = await repo.insertBarrier(ctx.db, owned(ctx, participantId, now), {
    courseId: input.courseId ?? null,
    kind: input.kind,
    detail: input.detail ?? null,
    notedOn,
    source: input.source,
    verifiedBy: verifier(ctx, input.source),
  });
  await ctx.audit({ action: 'moud_barrier.create', targetType: 'moud_barrier', targetIds: [id, participantId], details: { kind: input.kind, source: input.source } });
  return barrierView(ctx, id);
}

export async function updateBarrier(ctx: Ctx, id: string, input: z.output<typeof UpdateMoudBarrierBody>) {
  const current = await requireBarrier(ctx, id);
  const { today, now } = await clockAt(ctx);
  const { version, ...rest } = input;
  const status = rest.status ?? current.status;
  let resolvedOn: string | null = null;
  if (status === 'resolved') {
    resolvedOn = rest.resolvedOn ?? current.resolvedOn ?? today;
    notFuture('resolvedOn', resolvedOn, today);
    if (resolvedOn < current.notedOn) throw errors.invalid('resolvedOn', 'Enter a date on or after the day it came up');
  } else if (rest.resolvedOn) {
    throw errors.invalid('resolvedOn', 'A resolved date goes with the status "resolved"');
  }
  const set: Record<string, unknown> = { status, resolved_on: resolvedOn };
  if (rest.detail !== undefined) set.detail = rest.detail;
  if (!(await repo.updateVersioned(ctx.db, 'moud_barriers', ctx.actor.organizationId, id, version, set, now))) {
    const latest = await barrierView(ctx, id);
    throw errors.conflict(latest, latest.version);
  }
  await ctx.audit({ action: 'moud_barrier.update', targetType: 'moud_barrier', targetIds: [id, current.participantId], details: { status, kind: current.kind } });
  return barrierView(ctx, id);
}

// ---- insurance navigation tasks

/** The to-do's title: what to do, never who for (the list shows the person separately). */
const TASK_TITLES: Record<InsuranceTaskKind, string> = {
  medicaid_application: 'Insurance: apply for Medicaid',
  medicaid_renewal: 'Insurance: renew Medicaid',
  buprenorphine_prior_authorization: 'Insurance: prior authorization for buprenorphine',
  pharmacy_coverage: 'Insurance: pharmacy coverage problem',
  other: 'Insurance: navigation task',
};
const CLOSED = new Set(['done', 'cancelled']);

async function requireTask(ctx: Ctx, id: string): Promise<repo.TaskRecord> {
  const t = await repo.findTask(ctx.db, ctx.actor.organizationId, id);
  if (!t) throw errors.notFound('insurance task');
  await requireParticipant(ctx, t.participantId);
  return t;
}

const taskView = async (ctx: Ctx, id: string) => presentTask((await repo.findTask(ctx.db, ctx.actor.organizationId, id))!);

/** Put the task's to-do on the coach's list: the participant's assigned coach, else the caller. */
async function addTaskTodo(ctx: Ctx, task: { id: string; participantId: string; kind: InsuranceTaskKind }, dueOn: string): Promise<string> {
  const owner = (await repo.assignedCoach(ctx.db, ctx.actor.organizationId, task.participantId)) ?? ctx.actor.userId;
  const todo = await addTodo(ctx, {
    participantId: task.participantId,
    kind: 'insurance',
    ownerUserId: owner,
    dueOn,
    dueTime: null,
    severity: 'normal',
    title: TASK_TITLES[task.kind],
    note: null,
    clearsOn: 'manual',
    source: { type: 'insurance_task', id: task.id },
  });
  await repo.setTaskTodo(ctx.db, ctx.actor.organizationId, task.id, todo.id);
  return todo.id;
}

/** Change the task's open to-do: a new due date, or closed with the task. No-op when it is already closed. */
async function changeTaskTodo(ctx: Ctx, task: repo.TaskRecord, change: { dueOn: string } | { status: 'done' | 'cancelled' }): Promise<boolean> {
  if (!task.todoId) return false;
  const org = ctx.actor.organizationId;
  const todo = await careRepo.findTodo(ctx.db, org, task.todoId);
  if (!todo || todo.status !== 'open') return false;
  const now = ctx.clock.now().toISOString();
  let patch: careRepo.TodoPatch;
  if ('dueOn' in change) {
    const tz = (await careRepo.openEpisodeSiteTimeZone(ctx.db, org, task.participantId)) ?? (await clockAt(ctx)).tz;
    patch = { dueOn: change.dueOn, dueAt: dueInstant(change.dueOn, todo.dueTime, tz) };
  } else {
    patch = { status: change.status, resolution: change.status === 'done' ? 'insurance_task_done' : 'cancelled', completedAt: now, completedBy: ctx.actor.userId };
  }
  if (!(await careRepo.updateTodo(ctx.db, org, todo.id, todo.version, patch, now))) return false;
  await ctx.audit({ action: 'todo.update', targetType: 'todo', targetIds: [todo.id, task.participantId], details: { fields: Object.keys(patch), via: 'insurance_task', ...('status' in change && { status: change.status }) } });
  return true;
}

export async function createTask(ctx: Ctx, participantId: string, input: z.output<typeof CreateInsuranceTaskBody>) {
  await requireParticipant(ctx, participantId);
  const { today, now } = await clockAt(ctx);
  const dueOn = input.dueOn ?? null;
  if (dueOn && dueOn < today) throw errors.invalid('dueOn', 'Enter a due date that is today or later');
  const id = await repo.insertTask(ctx.db, owned(ctx, participantId, now), { kind: input.kind, detail: input.detail ?? null, dueOn });
  await ctx.audit({ action: 'insurance_task.create', targetType: 'insurance_task', targetIds: [id, participantId], details: { kind: input.kind, due: !!dueOn } });
  if (dueOn) await addTaskTodo(ctx, { id, participantId, kind: input.kind }, dueOn);
  return taskView(ctx, id);
}

export async function updateTask(ctx: Ctx, id: string, input: z.output<typeof UpdateInsuranceTaskBody>) {
  const current = await requireTask(ctx, id);
  const { today, now } = await clockAt(ctx);
  const { version, ...rest } = input;
  const status = rest.status ?? current.status;
  const dueOn = rest.dueOn === undefined ? current.dueOn : rest.dueOn;
  if (rest.dueOn && rest.dueOn !== current.dueOn && rest.dueOn < today) throw errors.invalid('dueOn', 'Enter a due date that is today or later');
  const closing = CLOSED.has(status) && !CLOSED.has(current.status);
  const reopening = !CLOSED.has(status) && CLOSED.has(current.status);
  const set: Record<string, unknown> = { status, due_on: dueOn };
  if (rest.detail !== undefined) set.detail = rest.detail;
  if (closing) Object.assign(set, { completed_at: now, completed_by: ctx.actor.userId });
  if (reopening) Object.assign(set, { completed_at: null, completed_by: null });
  if (!(await repo.updateVersioned(ctx.db, 'insurance_tasks', ctx.actor.organizationId, id, version, set, now))) {
    const latest = await taskView(ctx, id);
    throw errors.conflict(latest, latest.version);
  }
  await ctx.audit({ action: 'insurance_task.update', targetType: 'insurance_task', targetIds: [id, current.participantId], details: { status, kind: current.kind, fields: Object.keys(rest).filter((k) => rest[k as keyof typeof rest] !== undefined) } });
  // The to-do follows the task: closed with it, moved with its due date, dropped without one,
  // and a new one when a due date appears on an open task that has none open.
  if (CLOSED.has(status)) {
    if (closing) await changeTaskTodo(ctx, current, { status: status === 'done' ? 'done' : 'cancelled' });
  } else if (!dueOn) {
    await changeTaskTodo(ctx, current, { status: 'cancelled' });
  } else if (reopening || !(dueOn === current.dueOn ? await hasOpenTodo(ctx, current) : await changeTaskTodo(ctx, current, { dueOn }))) {
    await addTaskTodo(ctx, current, dueOn);
  }
  return taskView(ctx, id);
}

async function hasOpenTodo(ctx: Ctx, task: repo.TaskRecord): Promise<boolean> {
  if (!task.todoId) return false;
  return (await careRepo.findTodo(ctx.db, ctx.actor.organizationId, task.todoId))?.status === 'open';
}


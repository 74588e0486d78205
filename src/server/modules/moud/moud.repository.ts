/**
 * All SQL of MOUD access and insurance navigation tasks. Rows become records here and never leave
 * this file; every query filters on the organization.
 */
import { sql, type Generated } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import { newId } from '../../platform/ids.js';
import type { InsuranceTaskKind, InsuranceTaskStatus, MoudBarrierKind, MoudCourseStatus, MoudFormulation, MoudInfoSource, MoudMedication } from '../../../contracts/moud.js';
import type { MoudTables } from '../../platform/db/tables-moud.js';

type Table = keyof MoudTables;

interface Stamp {
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}
interface Verified {
  source: MoudInfoSource;
  verifiedBy: string | null;
}

export interface CourseRecord extends Stamp, Verified {
  id: string;
  organizationId: string;
  participantId: string;
  medication: MoudMedication;
  formulation: MoudFormulation;
  prescriber: string | null;
  prescriberServiceId: string | null;
  pharmacy: string | null;
  pharmacyServiceId: string | null;
  startedOn: string | null;
  status: MoudCourseStatus;
  stoppedOn: string | null;
  coveredThrough: string | null;
  nextRefillDue: string | null;
}

export interface FillRecord extends Stamp, Verified {
  id: string;
  organizationId: string;
  participantId: string;
  courseId: string;
  medication: MoudMedication;
  filledOn: string;
  daysSupply: number;
  daysSupplyDefaulted: boolean;
  quantity: number | null;
}

export interface EnrollmentRecord extends Stamp, Verified {
  id: string;
  organizationId: string;
  participantId: string;
  courseId: string;
  startedOn: string;
  endedOn: string | null;
}

export interface BarrierRecord extends Stamp, Verified {
  id: string;
  organizationId: string;
  participantId: string;
  courseId: string | null;
  kind: MoudBarrierKind;
  detail: string | null;
  status: 'open' | 'resolved';
  notedOn: string;
  resolvedOn: string | null;
}

export interface TaskRecord extends Stamp {
  id: string;
  organizationId: string;
  participantId: string;
  kind: InsuranceTaskKind;
  detail: string | null;
  status: InsuranceTaskStatus;
  dueOn: string | null;
  todoId: string | null;
  completedAt: string | null;
  completedBy: string | null;
}

/** Dates come back as YYYY-MM-DD from both drivers (pg's date parser is told so). */
const d = (v: unknown): string => String(v).slice(0, 10);
const dn = (v: unknown): string | null => (v == null ? null : d(v));

const stamp = (r: { created_by: string; created_at: string; updated_at: string; version: number }): Stamp => ({
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: Number(r.version),
});
const verified = (r: { source: string; verified_by: string | null }): Verified => ({ source: r.source as MoudInfoSource, verifiedBy: r.verified_by });

type Row<T extends Table> = { [K in keyof MoudTables[T]]: MoudTables[T][K] extends Generated<infer U> ? U : MoudTables[T][K] };

const toCourse = (r: Row<'moud_courses'>): CourseRecord => ({
  id: r.id,
  organizationId: r.organization_id,
  participantId: r.participant_id,
  medication: r.medication as MoudMedication,
  formulation: r.formulation as MoudFormulation,
  prescriber: r.prescriber,
  prescriberServiceId: r.prescriber_service_id,
  pharmacy: r.pharmacy,
  pharmacyServiceId: r.pharmacy_service_id,
  startedOn: dn(r.started_on),
  status: r.status as MoudCourseStatus,
  stoppedOn: dn(r.stopped_on),
  coveredThrough: dn(r.covered_through),
  nextRefillDue: dn(r.next_refill_due),
  ...verified(r),
  ...stamp(r),
});

const toFill = (r: Row<'moud_fills'>): FillRecord => ({
  id: r.id,
  organizationId: r.organization_id,
  participantId: r.participant_id,
  courseId: r.course_id,
  medication: r.medication as MoudMedication,
  filledOn: d(r.filled_on),
  daysSupply: Number(r.days_supply),
  daysSupplyDefaulted: Number(r.days_supply_defaulted) === 1,
  quantity: r.quantity == null ? null : Number(r.quantity),
  ...verified(r),
  ...stamp(r),
});

const toEnrollment = (r: Row<'moud_otp_enrollments'>): EnrollmentRecord => ({
  id: r.id,
  organizationId: r.organization_id,
  participantId: r.participant_id,
  courseId: r.course_id,
  startedOn: d(r.started_on),
  endedOn: dn(r.ended_on),
  ...verified(r),
  ...stamp(r),
});

const toBarrier = (r: Row<'moud_barriers'>): BarrierRecord => ({
  id: r.id,
  organizationId: r.organization_id,
  participantId: r.participant_id,
  courseId: r.course_id,
  kind: r.kind as MoudBarrierKind,
  detail: r.detail,
  status: r.status as 'open' | 'resolved',
  notedOn: d(r.noted_on),
  resolvedOn: dn(r.resolved_on),
  ...verified(r),
  ...stamp(r),
});

const toTask = (r: Row<'insurance_tasks'>): TaskRecord => ({
  id: r.id,
  organizationId: r.organization_id,
  participantId: r.participant_id,
  kind: r.kind as InsuranceTaskKind,
  detail: r.detail,
  status: r.status as InsuranceTaskStatus,
  dueOn: dn(r.due_on),
  todoId: r.todo_id,
  completedAt: r.completed_at,
  completedBy: r.completed_by,
  ...stamp(r),
});

// ---- generic

interface Owned {
  organizationId: string;
  participantId: string;
  createdBy: string;
  now: string;
}

/** Insert a row with its id, organization, participant and stamps; the id. */
async function insert<T extends Table>(db: Executor, table: T, o: Owned, values: Record<string, unknown>): Promise<string> {
  const id = newId();
  await db
    .insertInto(table)
    .values({ id, organization_id: o.organizationId, participant_id: o.participantId, created_by: o.createdBy, created_at: o.now, updated_at: o.now, ...values } as never)
    .execute();
  return id;
}

/** Apply `set` if `version` still matches; false when it does not (someone saved first). */
export async function updateVersioned(db: Executor, table: Table, organizationId: string, id: string, version: number, set: Record<string, unknown>, now: string): Promise<boolean> {
  const res = await db
    .updateTable(table as 'moud_fills')
    .set({ ...set, updated_at: now, version: sql<number>`version + 1` } as never)
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

// ---- courses

export interface CourseValues {
  medication: MoudMedication;
  formulation: MoudFormulation;
  prescriber: string | null;
  prescriberServiceId: string | null;
  pharmacy: string | null;
  pharmacyServiceId: string | null;
  startedOn: string | null;
  status: MoudCourseStatus;
  source: MoudInfoSource;
  verifiedBy: string | null;
}

export const insertCourse = (db: Executor, o: Owned, v: CourseValues): Promise<string> =>
  insert(db, 'moud_courses', o, {
    medication: v.medication,
    formulation: v.formulation,
    prescriber: v.prescriber,
    prescriber_service_id: v.prescriberServiceId,
    pharmacy: v.pharmacy,
    pharmacy_service_id: v.pharmacyServiceId,
    started_on: v.startedOn,
    status: v.status,
    source: v.source,
    verified_by: v.verifiedBy,
  });

export async function findCourse(db: Executor, organizationId: string, id: string): Promise<CourseRecord | undefined> {
  const r = await db.selectFrom('moud_courses').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return r ? toCourse(r) : undefined;
}

export async function listCourses(db: Executor, organizationId: string, participantId: string): Promise<CourseRecord[]> {
  const rows = await db.selectFrom('moud_courses').selectAll().where('organization_id', '=', organizationId).where('participant_id', '=', participantId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map((r) => toCourse(r as Row<'moud_courses'>));
}

/** Set the derived coverage of every course of the participant's medication (no version bump: it is not an edit). */
export async function setCoverage(db: Executor, organizationId: string, participantId: string, medication: MoudMedication, c: { coveredThrough: string | null; nextRefillDue: string | null }): Promise<void> {
  await db
    .updateTable('moud_courses')
    .set({ covered_through: c.coveredThrough, next_refill_due: c.nextRefillDue })
    .where('organization_id', '=', organizationId)
    .where('participant_id', '=', participantId)
    .where('medication', '=', medication)
    .execute();
}

/** The medication of the participant's most recently started (else recorded) active course, if any. */
export async function currentMedication(db: Executor, organizationId: string, participantId: string): Promise<{ medication: MoudMedication; source: MoudInfoSource } | undefined> {
  const r = await db
    .selectFrom('moud_courses')
    .select(['medication', 'source'])
    .where('organization_id', '=', organizationId)
    .where('participant_id', '=', participantId)
    .where('status', '=', 'active')
    .orderBy(sql`coalesce(started_on, ${sql.lit('0001-01-01')})`, 'desc')
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return r ? { medication: r.medication as MoudMedication, source: r.source as MoudInfoSource } : undefined;
}

/** Keep the participant's `current_moud` fact in step (a profile edit with the old version then gets 409). */
export async function setParticipantMoud(db: Executor, organizationId: string, participantId: string, v: { currentMoud: string; moudSource: string | null }, now: string): Promise<void> {
  await db
    .updateTable('participants')
    .set({ current_moud: v.currentMoud, moud_source: v.moudSource, updated_at: now, version: sql<number>`version + 1` })
    .where('organization_id', '=', organizationId)
    .where('id', '=', participantId)
    .execute();
}

export async function participantMoud(db: Executor, organizationId: string, participantId: string): Promise<{ currentMoud: string | null; moudSource: string | null } | undefined> {
  const r = await db.selectFrom('participants').select(['current_moud', 'moud_source']).where('organization_id', '=', organizationId).where('id', '=', participantId).executeTakeFirst();
  return r ? { currentMoud: r.current_moud, moudSource: r.moud_source } : undefined;
}

// ---- fills

export interface FillValues {
  courseId: string;
  medication: MoudMedication;
  filledOn: string;
  daysSupply: number;
  daysSupplyDefaulted: boolean;
  quantity: number | null;
  source: MoudInfoSource;
  verifiedBy: string | null;
}

export const insertFill = (db: Executor, o: Owned, v: FillValues): Promise<string> =>
  insert(db, 'moud_fills', o, {
    course_id: v.courseId,
    medication: v.medication,
    filled_on: v.filledOn,
    days_supply: v.daysSupply,
    days_supply_defaulted: v.daysSupplyDefaulted ? 1 : 0,
    quantity: v.quantity,
    source: v.source,
    verified_by: v.verifiedBy,
  });

export async function findFill(db: Executor, organizationId: string, id: string): Promise<FillRecord | undefined> {
  const r = await db.selectFrom('moud_fills').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return r ? toFill(r) : undefined;
}

/** A participant's fills (optionally of one medication), newest first. */
export async function listFills(db: Executor, organizationId: string, participantId: string, medication?: MoudMedication): Promise<FillRecord[]> {
  let q = db.selectFrom('moud_fills').selectAll().where('organization_id', '=', organizationId).where('participant_id', '=', participantId);
  if (medication) q = q.where('medication', '=', medication);
  const rows = await q.orderBy('filled_on', 'desc').orderBy('id', 'desc').execute();
  return rows.map((r) => toFill(r as Row<'moud_fills'>));
}

// ---- OTP enrollment periods

export interface EnrollmentValues {
  courseId: string;
  startedOn: string;
  endedOn: string | null;
  source: MoudInfoSource;
  verifiedBy: string | null;
}

export const insertEnrollment = (db: Executor, o: Owned, v: EnrollmentValues): Promise<string> =>
  insert(db, 'moud_otp_enrollments', o, { course_id: v.courseId, started_on: v.startedOn, ended_on: v.endedOn, source: v.source, verified_by: v.verifiedBy });

export async function findEnrollment(db: Executor, organizationId: string, id: string): Promise<EnrollmentRecord | undefined> {
  const r = await db.selectFrom('moud_otp_enrollments').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return r ? toEnrollment(r) : undefined;
}

export async function listEnrollments(db: Executor, organizationId: string, participantId: string): Promise<EnrollmentRecord[]> {
  const rows = await db
    .selectFrom('moud_otp_enrollments')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('participant_id', '=', participantId)
    .orderBy('started_on', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => toEnrollment(r as Row<'moud_otp_enrollments'>));
}

// ---- barriers

export interface BarrierValues {
  courseId: string | null;
  kind: MoudBarrierKind;
  detail: string | null;
  notedOn: string;
  source: MoudInfoSource;
  verifiedBy: string | null;
}

export const insertBarrier = (db: Executor, o: Owned, v: BarrierValues): Promise<string> =>
  insert(db, 'moud_barriers', o, { course_id: v.courseId, kind: v.kind, detail: v.detail, status: 'open', noted_on: v.notedOn, source: v.source, verified_by: v.verifiedBy });

export async function findBarrier(db: Executor, organizationId: string, id: string): Promise<BarrierRecord | undefined> {
  const r = await db.selectFrom('moud_barriers').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return r ? toBarrier(r) : undefined;
}

export async function listBarriers(db: Executor, organizationId: string, participantId: string): Promise<BarrierRecord[]> {
  const rows = await db.selectFrom('moud_barriers').selectAll().where('organization_id', '=', organizationId).where('participant_id', '=', participantId).orderBy('noted_on', 'desc').orderBy('id', 'desc').execute();
  return rows.map((r) => toBarrier(r as Row<'moud_barriers'>));
}

// ---- insurance tasks

export const insertTask = (db: Executor, o: Owned, v: { kind: InsuranceTaskKind; detail: string | null; dueOn: string | null }): Promise<string> =>
  insert(db, 'insurance_tasks', o, { kind: v.kind, detail: v.detail, status: 'open', due_on: v.dueOn });

/** Link the task to its to-do (made after the task, in the same transaction). */
export async function setTaskTodo(db: Executor, organizationId: string, id: string, todoId: string | null): Promise<void> {
  await db.updateTable('insurance_tasks').set({ todo_id: todoId }).where('organization_id', '=', organizationId).where('id', '=', id).execute();
}

export async function findTask(db: Executor, organizationId: string, id: string): Promise<TaskRecord | undefined> {
  const r = await db.selectFrom('insurance_tasks').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return r ? toTask(r) : undefined;
}

export async function listTasks(db: Executor, organizationId: string, participantId: string): Promise<TaskRecord[]> {
  const rows = await db.selectFrom('insurance_tasks').selectAll().where('organization_id', '=', organizationId).where('participant_id', '=', participantId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map((r) => toTask(r as Row<'insurance_tasks'>));
}

/** The coach of the participant's open episode (most recently started), if assigned. */
export async function assignedCoach(db: Executor, organizationId: string, participantId: string): Promise<string | null> {
  const r = await db
    .selectFrom('episodes')
    .select('assigned_coach_user_id')
    .where('organization_id', '=', organizationId)
    .where('participant_id', '=', participantId)
    .where('status', '<>', 'discharged')
    .orderBy('start_date', 'desc')
    .executeTakeFirst();
  return r?.assigned_coach_user_id ?? null;
}

// ---- the caseload signal

/**
 * Per participant of the batch, the soonest refill due among active courses, when it is on or
 * before `until`: one index range on (organization_id, participant_id, status, next_refill_due).
 */
export async function refillsDueBy(db: Executor, organizationId: string, participantIds: readonly string[], until: string): Promise<Map<string, string>> {
  if (participantIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('moud_courses')
    .select(['participant_id', (eb) => eb.fn.min('next_refill_due').as('due')])
    .where('organization_id', '=', organizationId)
    .where('participant_id', 'in', participantIds)
    .where('status', '=', 'active')
    .where('next_refill_due', 'is not', null)
    .where('next_refill_due', '<=', until)
    .groupBy('participant_id')
    .execute();
  return new Map(rows.map((r) => [r.participant_id, d(r.due)]));
}

export async function staffNames(db: Executor, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids.filter((x): x is string => !!x))];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

/**
 * All SQL of recovery plans: the plan (its current goals), its numbered version snapshots, the
 * agreements and the reviews. Every query filters on the organization. The open plan-review to-do
 * is found through `todos.source_type = 'recovery_plan'`.
 */
import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import { newId } from '../../platform/ids.js';
import type { RecoveryPlanAgreementsTable, RecoveryPlanReviewsTable, RecoveryPlansTable } from '../../platform/db/tables-recovery-plans.js';
import type { Goal } from '../../../contracts/recovery-plans.js';

export const TODO_SOURCE = 'recovery_plan';

export interface PlanRecord {
  id: string;
  organizationId: string;
  participantId: string;
  episodeId: string;
  planVersion: number;
  goals: Goal[];
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
  version: number;
}

export interface VersionRecord {
  number: number;
  goals: Goal[];
  createdBy: string;
  createdAt: string;
}

export interface AgreementRecord {
  id: string;
  planVersion: number;
  method: 'drawn' | 'typed' | 'verbal';
  data: string | null;
  attested: boolean;
  witnessName: string | null;
  agreedOn: string;
  recordedBy: string;
  recordedAt: string;
}

export interface ReviewRecord {
  id: string;
  planVersion: number;
  reviewedOn: string;
  note: string | null;
  nextReviewOn: string;
  recordedBy: string;
  recordedAt: string;
}

const iso = (v: string | Date): string => new Date(v).toISOString();
const dateText = (v: string | Date): string => (typeof v === 'string' ? v.slice(0, 10) : v.toISOString().slice(0, 10));

const toPlan = (r: Selectable<RecoveryPlansTable>): PlanRecord => ({
  id: r.id,
  organizationId: r.organization_id,
  participantId: r.participant_id,
  episodeId: r.episode_id,
  planVersion: Number(r.plan_version),
  goals: JSON.parse(r.goals) as Goal[],
  createdBy: r.created_by,
  createdAt: iso(r.created_at),
  updatedBy: r.updated_by,
  updatedAt: iso(r.updated_at),
  version: Number(r.version),
});
const toAgreement = (r: Selectable<RecoveryPlanAgreementsTable>): AgreementRecord => ({
  id: r.id,
  planVersion: Number(r.plan_version),
  method: r.method as AgreementRecord['method'],
  data: r.signature_data,
  attested: Number(r.attested) === 1,
  witnessName: r.witness_name,
  agreedOn: dateText(r.agreed_on),
  recordedBy: r.recorded_by,
  recordedAt: iso(r.created_at),
});
const toReview = (r: Selectable<RecoveryPlanReviewsTable>): ReviewRecord => ({
  id: r.id,
  planVersion: Number(r.plan_version),
  reviewedOn: dateText(r.reviewed_on),
  note: r.note,
  nextReviewOn: dateText(r.next_review_on),
  recordedBy: r.recorded_by,
  recordedAt: iso(r.created_at),
});

/** A new plan and its version 1, in the caller's transaction. */
export async function insertPlan(db: Executor, p: { organizationId: string; participantId: string; episodeId: string; goals: Goal[]; createdBy: string; now: string }): Promise<string> {
  const id = newId();
  await db
    .insertInto('recovery_plans')
    .values({ id, organization_id: p.organizationId, participant_id: p.participantId, episode_id: p.episodeId, plan_version: 1, goals: JSON.stringify(p.goals), created_by: p.createdBy, created_at: p.now, updated_by: p.createdBy, updated_at: p.now })
    .execute();
  await insertVersion(db, { organizationId: p.organizationId, participantId: p.participantId, planId: id, number: 1, goals: p.goals, createdBy: p.createdBy, now: p.now });
  return id;
}

async function insertVersion(db: Executor, v: { organizationId: string; participantId: string; planId: string; number: number; goals: Goal[]; createdBy: string; now: string }): Promise<void> {
  await db
    .insertInto('recovery_plan_versions')
    .values({ id: newId(), organization_id: v.organizationId, participant_id: v.participantId, plan_id: v.planId, number: v.number, goals: JSON.stringify(v.goals), created_by: v.createdBy, created_at: v.now })
    .execute();
}

/** Save new goals as the next version if `version` still matches; false when stale. */
export async function updatePlan(db: Executor, plan: PlanRecord, version: number, goals: Goal[], by: string, now: string): Promise<number | undefined> {
  const next = plan.planVersion + 1;
  const res = await db
    .updateTable('recovery_plans')
    .set({ goals: JSON.stringify(goals), plan_version: next, updated_by: by, updated_at: now, version: sql<number>`version + 1` })
    .where('organization_id', '=', plan.organizationId)
    .where('id', '=', plan.id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) return undefined;
  await insertVersion(db, { organizationId: plan.organizationId, participantId: plan.participantId, planId: plan.id, number: next, goals, createdBy: by, now });
  return next;
}

export async function findPlan(db: Executor, organizationId: string, id: string): Promise<PlanRecord | undefined> {
  const r = await db.selectFrom('recovery_plans').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return r ? toPlan(r) : undefined;
}

export async function planOfEpisode(db: Executor, organizationId: string, episodeId: string): Promise<PlanRecord | undefined> {
  const r = await db.selectFrom('recovery_plans').selectAll().where('organization_id', '=', organizationId).where('episode_id', '=', episodeId).executeTakeFirst();
  return r ? toPlan(r) : undefined;
}

/** A participant's plans, newest first. */
export async function plansOf(db: Executor, organizationId: string, participantId: string): Promise<PlanRecord[]> {
  const rows = await db.selectFrom('recovery_plans').selectAll().where('organization_id', '=', organizationId).where('participant_id', '=', participantId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map(toPlan);
}

export async function listVersions(db: Executor, organizationId: string, planId: string): Promise<VersionRecord[]> {
  const rows = await db.selectFrom('recovery_plan_versions').select(['number', 'goals', 'created_by', 'created_at']).where('organization_id', '=', organizationId).where('plan_id', '=', planId).orderBy('number', 'desc').execute();
  return rows.map((r) => ({ number: Number(r.number), goals: JSON.parse(r.goals) as Goal[], createdBy: r.created_by, createdAt: iso(r.created_at) }));
}

export async function findVersion(db: Executor, organizationId: string, planId: string, number: number): Promise<VersionRecord | undefined> {
  const r = await db.selectFrom('recovery_plan_versions').select(['number', 'goals', 'created_by', 'created_at']).where('organization_id', '=', organizationId).where('plan_id', '=', planId).where('number', '=', number).executeTakeFirst();
  return r ? { number: Number(r.number), goals: JSON.parse(r.goals) as Goal[], createdBy: r.created_by, createdAt: iso(r.created_at) } : undefined;
}

// ---- agreements and reviews

export async function insertAgreement(
  db: Executor,
  a: { organizationId: string; participantId: string; planId: string; planVersion: number; method: AgreementRecord['method']; data: string | null; attested: boolean; witnessName: string | null; agreedOn: string; recordedBy: string; now: string },
): Promise<string> {
  const id = newId();
  await db
    .insertInto('recovery_plan_agreements')
    .values({ id, organization_id: a.organizationId, participant_id: a.participantId, plan_id: a.planId, plan_version: a.planVersion, method: a.method, signature_data: a.data, attested: a.attested ? 1 : 0, witness_name: a.witnessName, agreed_on: a.agreedOn, recorded_by: a.recordedBy, created_at: a.now })
    .execute();
  return id;
}

/** A plan's agreements, newest first. */
export async function agreementsOf(db: Executor, organizationId: string, planId: string): Promise<AgreementRecord[]> {
  const rows = await db.selectFrom('recovery_plan_agreements').selectAll().where('organization_id', '=', organizationId).where('plan_id', '=', planId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map(toAgreement);
}

export async function insertReview(
  db: Executor,
  r: { organizationId: string; participantId: string; planId: string; planVersion: number; reviewedOn: string; note: string | null; nextReviewOn: string; recordedBy: string; now: string },
): Promise<string> {
  const id = newId();
  await db
    .insertInto('recovery_plan_reviews')
    .values({ id, organization_id: r.organizationId, participant_id: r.participantId, plan_id: r.planId, plan_version: r.planVersion, reviewed_on: r.reviewedOn, note: r.note, next_review_on: r.nextReviewOn, recorded_by: r.recordedBy, created_at: r.now })
    .execute();
  return id;
}

/** A plan's newest review. */
export async function lastReviewOf(db: Executor, organizationId: string, planId: string): Promise<ReviewRecord | undefined> {
  const r = await db.selectFrom('recovery_plan_reviews').selectAll().where('organization_id', '=', organizationId).where('plan_id', '=', planId).orderBy('reviewed_on', 'desc').orderBy('created_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
  return r ? toReview(r) : undefined;
}

/** The open plan-review to-do of a plan, if any. */
export async function openReviewTodo(db: Executor, organizationId: string, planId: string): Promise<{ id: string; dueOn: string; version: number } | undefined> {
  const r = await db
    .selectFrom('todos')
    .select(['id', 'due_on', 'version'])
    .where('organization_id', '=', organizationId)
    .where('source_type', '=', TODO_SOURCE)
    .where('source_id', '=', planId)
    .where('status', '=', 'open')
    .orderBy('due_on', 'desc')
    .executeTakeFirst();
  return r ? { id: r.id, dueOn: dateText(r.due_on), version: Number(r.version) } : undefined;
}

/** The episode (with its coach, status and its program's days between plan reviews) if it is this participant's, in this organization. */
export async function episodeOf(
  db: Executor,
  organizationId: string,
  participantId: string,
  episodeId: string,
): Promise<{ id: string; status: string; coachUserId: string | null; planReviewDays: number } | undefined> {
  const r = await db
    .selectFrom('episodes as e')
    .innerJoin('programs as pg', (j) => j.onRef('pg.id', '=', 'e.program_id').onRef('pg.organization_id', '=', 'e.organization_id'))
    .select(['e.id', 'e.status', 'e.assigned_coach_user_id', 'pg.plan_review_days'])
    .where('e.organization_id', '=', organizationId)
    .where('e.participant_id', '=', participantId)
    .where('e.id', '=', episodeId)
    .executeTakeFirst();
  return r ? { id: r.id, status: r.status, coachUserId: r.assigned_coach_user_id, planReviewDays: Number(r.plan_review_days) } : undefined;
}

/** The participant's open episode (the newest not discharged), if any. */
export async function openEpisodeOf(db: Executor, organizationId: string, participantId: string): Promise<string | undefined> {
  const r = await db
    .selectFrom('episodes')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('participant_id', '=', participantId)
    .where('status', '<>', 'discharged')
    .orderBy('start_date', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return r?.id;
}

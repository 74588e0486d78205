/**
 * All SQL of coping and safety plans: the plan of a kind (its current content as JSON) and its
 * numbered version snapshots. Every query filters on the organization. A participant's current plan
 * of a kind is the newest saved (after a merge there may be two).
 */
import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import { newId } from '../../platform/ids.js';
import type { CopingPlansTable } from '../../platform/db/tables-coping-plans.js';
import type { PlanKind } from '../../../contracts/coping-plans.js';

export interface PlanRecord {
  id: string;
  organizationId: string;
  participantId: string;
  kind: PlanKind;
  planVersion: number;
  content: unknown;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
  version: number;
}

export interface VersionRecord {
  number: number;
  content: unknown;
  createdBy: string;
  createdAt: string;
}

const iso = (v: string | Date): string => new Date(v).toISOString();

const toPlan = (r: Selectable<CopingPlansTable>): PlanRecord => ({
  id: r.id,
  organizationId: r.organization_id,
  participantId: r.participant_id,
  kind: r.kind as PlanKind,
  planVersion: Number(r.plan_version),
  content: JSON.parse(r.content) as unknown,
  createdBy: r.created_by,
  createdAt: iso(r.created_at),
  updatedBy: r.updated_by,
  updatedAt: iso(r.updated_at),
  version: Number(r.version),
});

async function insertVersion(db: Executor, v: { organizationId: string; participantId: string; planId: string; kind: PlanKind; number: number; content: unknown; createdBy: string; now: string }): Promise<void> {
  await db
    .insertInto('coping_plan_versions')
    .values({ id: newId(), organization_id: v.organizationId, participant_id: v.participantId, plan_id: v.planId, kind: v.kind, number: v.number, content: JSON.stringify(v.content), created_by: v.createdBy, created_at: v.now })
    .execute();
}

/** A new plan and its version 1, in the caller's transaction. */
export async function insertPlan(db: Executor, p: { organizationId: string; participantId: string; kind: PlanKind; content: unknown; createdBy: string; now: string }): Promise<string> {
  const id = newId();
  await db
    .insertInto('coping_plans')
    .values({ id, organization_id: p.organizationId, participant_id: p.participantId, kind: p.kind, plan_version: 1, content: JSON.stringify(p.content), created_by: p.createdBy, created_at: p.now, updated_by: p.createdBy, updated_at: p.now })
    .execute();
  await insertVersion(db, { organizationId: p.organizationId, participantId: p.participantId, planId: id, kind: p.kind, number: 1, content: p.content, createdBy: p.createdBy, now: p.now });
  return id;
}

/** Save new content as the next version if `version` still matches; undefined when stale. */
export async function updatePlan(db: Executor, plan: PlanRecord, version: number, content: unknown, by: string, now: string): Promise<number | undefined> {
  const next = plan.planVersion + 1;
  const res = await db
    .updateTable('coping_plans')
    .set({ content: JSON.stringify(content), plan_version: next, updated_by: by, updated_at: now, version: sql<number>`version + 1` })
    .where('organization_id', '=', plan.organizationId)
    .where('id', '=', plan.id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) return undefined;
  await insertVersion(db, { organizationId: plan.organizationId, participantId: plan.participantId, planId: plan.id, kind: plan.kind, number: next, content, createdBy: by, now });
  return next;
}

/** The participant's current plan of a kind: the newest saved. */
export async function currentPlan(db: Executor, organizationId: string, participantId: string, kind: PlanKind): Promise<PlanRecord | undefined> {
  const r = await db
    .selectFrom('coping_plans')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('participant_id', '=', participantId)
    .where('kind', '=', kind)
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return r ? toPlan(r) : undefined;
}

export async function listVersions(db: Executor, organizationId: string, planId: string): Promise<VersionRecord[]> {
  const rows = await db.selectFrom('coping_plan_versions').select(['number', 'content', 'created_by', 'created_at']).where('organization_id', '=', organizationId).where('plan_id', '=', planId).orderBy('number', 'desc').execute();
  return rows.map((r) => ({ number: Number(r.number), content: JSON.parse(r.content) as unknown, createdBy: r.created_by, createdAt: iso(r.created_at) }));
}

export async function findVersion(db: Executor, organizationId: string, planId: string, number: number): Promise<VersionRecord | undefined> {
  const r = await db.selectFrom('coping_plan_versions').select(['number', 'content', 'created_by', 'created_at']).where('organization_id', '=', organizationId).where('plan_id', '=', planId).where('number', '=', number).executeTakeFirst();
  return r ? { number: Number(r.number), content: JSON.parse(r.content) as unknown, createdBy: r.created_by, createdAt: iso(r.created_at) } : undefined;
}

/**
 * Take the participant's row lock for the rest of the transaction (a no-op update: PostgreSQL
 * locks the row; SQLite's one writer already serializes), so that two first saves of the same
 * plan queue: the second then sees the first and gets 409 instead of making a second plan.
 */
export async function lockParticipant(db: Executor, organizationId: string, participantId: string): Promise<void> {
  await sql`update participants set id = id where organization_id = ${organizationId} and id = ${participantId}`.execute(db);
}

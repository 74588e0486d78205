/**
 * All SQL of merging two participant records: re-pointing every history row from the duplicate
 * to the survivor, and marking the duplicate merged. Nothing is deleted (name tokens aside, which
 * are an index, rebuilt by the use case).
 */
import type { Executor } from '../../platform/db/database.js';
import type { MERGED_TABLES } from '../../../contracts/access.js';

export type MovedCounts = Record<(typeof MERGED_TABLES)[number], number>;

/** History tables that belong to a participant, and whether their rows carry a version. */
const HISTORY = [
  ['episodes', true],
  ['consents', true],
  ['restriction_requests', true],
  ['disclosures', false],
  ['access_grants', false],
  ['notifications', false],
  ['life_events', true],
  ['todos', true],
  ['encounters', true],
  ['ed_visits', true],
  ['appointments', true],
  ['outbox_messages', false],
  ['moud_courses', true],
  ['moud_fills', true],
  ['moud_otp_enrollments', true],
  ['moud_barriers', true],
  ['insurance_tasks', true],
  ['referrals', true],
  ['referral_events', false],
  ['questionnaire_responses', true],
  ['check_ins', true],
  ['milestones', true],
  ['milestone_celebrations', true],
  ['recovery_plans', true],
  ['recovery_plan_versions', false],
  ['recovery_plan_agreements', false],
  ['recovery_plan_reviews', false],
  ['coping_plans', true],
  ['coping_plan_versions', false],
  ['participant_links', false],
  ['federal_interviews', true],
] as const;

/** Programs in which both people have an open (not discharged) episode. */
export async function sharedOpenPrograms(db: Executor, organizationId: string, a: string, b: string): Promise<{ id: string; name: string }[]> {
  const rows = await db
    .selectFrom('episodes as ea')
    .innerJoin('episodes as eb', (j) => j.onRef('eb.program_id', '=', 'ea.program_id'))
    .innerJoin('programs as p', 'p.id', 'ea.program_id')
    .select(['p.id', 'p.name'])
    .where('ea.organization_id', '=', organizationId)
    .where('eb.organization_id', '=', organizationId)
    .where('ea.participant_id', '=', a)
    .where('eb.participant_id', '=', b)
    .where('ea.status', '<>', 'discharged')
    .where('eb.status', '<>', 'discharged')
    .orderBy('p.name')
    .execute();
  return rows;
}

/** Move every history row of `fromId` to `toId`; versioned rows are bumped (their participant changed). */
export async function moveHistory(db: Executor, organizationId: string, fromId: string, toId: string, now: string): Promise<MovedCounts> {
  const moved = {} as MovedCounts;
  for (const [table, versioned] of HISTORY) {
    const res = versioned
      ? await db
          .updateTable(table)
          .set((eb) => ({ participant_id: toId, version: eb('version', '+', 1), updated_at: now }))
          .where('organization_id', '=', organizationId)
          .where('participant_id', '=', fromId)
          .executeTakeFirst()
      : await db.updateTable(table).set({ participant_id: toId }).where('organization_id', '=', organizationId).where('participant_id', '=', fromId).executeTakeFirst();
    moved[table] = Number(res.numUpdatedRows);
  }
  // Records merged earlier into the duplicate now point straight at the survivor.
  const earlier = await db
    .updateTable('participants')
    .set({ merged_into_id: toId })
    .where('organization_id', '=', organizationId)
    .where('merged_into_id', '=', fromId)
    .executeTakeFirst();
  moved.merged_records = Number(earlier.numUpdatedRows);
  return moved;
}

/** Mark the duplicate merged, only at the version the person saw and only once. */
export async function markMerged(db: Executor, organizationId: string, id: string, version: number, into: { id: string; by: string; at: string; reason: string }): Promise<boolean> {
  const res = await db
    .updateTable('participants')
    .set((eb) => ({ merged_into_id: into.id, merged_at: into.at, merged_by: into.by, merge_reason: into.reason, updated_at: into.at, version: eb('version', '+', 1) }))
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('merged_into_id', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Add name words to a person's token index (those already there are kept). */
export async function addNameTokens(db: Executor, organizationId: string, participantId: string, tokens: readonly string[]): Promise<void> {
  if (tokens.length === 0) return;
  const have = new Set(
    (await db.selectFrom('participant_name_tokens').select('token').where('participant_id', '=', participantId).execute()).map((r) => r.token),
  );
  const add = tokens.filter((t) => !have.has(t));
  if (add.length === 0) return;
  await db
    .insertInto('participant_name_tokens')
    .values(add.map((token) => ({ organization_id: organizationId, token, participant_id: participantId })))
    .execute();
}

/** The consent to follow up the survivor takes from the duplicate, with the time it was given. */
export async function setConsentToFollowUp(db: Executor, organizationId: string, id: string, at: string | null): Promise<void> {
  await db.updateTable('participants').set({ consent_to_follow_up: 1, consent_to_follow_up_at: at }).where('organization_id', '=', organizationId).where('id', '=', id).execute();
}

export async function deleteNameTokens(db: Executor, participantId: string): Promise<void> {
  await db.deleteFrom('participant_name_tokens').where('participant_id', '=', participantId).execute();
}

/**
 * All SQL of federal interviews: the rows (every query filters on the organization; removed rows
 * are left out unless asked for) and the tracker's reads (intakes in a date range, of the
 * participants a scope admits, with follow-ups and the coach of the current episode).
 */
import type { Selectable } from 'kysely';
import type { FederalInterviewKind } from '../../../contracts/federal-follow-up.js';
import type { Executor } from '../../platform/db/database.js';
import type { FederalInterviewsTable } from '../../platform/db/tables-federal-follow-up.js';
import { newId } from '../../platform/ids.js';
import { scopeCondition, type ParticipantScope } from '../participants/participants.repository.js';

export interface InterviewRecord {
  id: string;
  organizationId: string;
  participantId: string;
  episodeId: string | null;
  kind: FederalInterviewKind;
  conductedOn: string;
  recordedBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
  deletedAt: string | null;
}

const iso = (v: string | Date): string => new Date(v).toISOString();

/** Lists of ids go to the database in slices (SQLite binds at most 32,766 values in one statement). */
const SLICE = 1000;
function slices<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += SLICE) out.push(items.slice(i, i + SLICE));
  return out;
}

const toInterview = (r: Selectable<FederalInterviewsTable>): InterviewRecord => ({
  id: r.id,
  organizationId: r.organization_id,
  participantId: r.participant_id,
  episodeId: r.episode_id,
  kind: r.kind as FederalInterviewKind,
  conductedOn: r.conducted_on,
  recordedBy: r.recorded_by,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
  version: Number(r.version),
  deletedAt: r.deleted_at ? iso(r.deleted_at) : null,
});

export async function insertInterview(
  db: Executor,
  i: { organizationId: string; participantId: string; episodeId: string | null; kind: FederalInterviewKind; conductedOn: string; recordedBy: string; now: string },
): Promise<string> {
  const id = newId();
  await db
    .insertInto('federal_interviews')
    .values({
      id,
      organization_id: i.organizationId,
      participant_id: i.participantId,
      episode_id: i.episodeId,
      kind: i.kind,
      conducted_on: i.conductedOn,
      recorded_by: i.recordedBy,
      created_at: i.now,
      updated_at: i.now,
      version: 1,
    })
    .execute();
  return id;
}

/** One interview of the organization (a removed one too: the caller decides). */
export async function findInterview(db: Executor, organizationId: string, id: string): Promise<InterviewRecord | undefined> {
  const r = await db.selectFrom('federal_interviews').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return r ? toInterview(r) : undefined;
}

/** A participant's interviews not removed, oldest first (by date, then id). */
export async function listInterviews(db: Executor, organizationId: string, participantId: string): Promise<InterviewRecord[]> {
  const rows = await db
    .selectFrom('federal_interviews')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('participant_id', '=', participantId)
    .where('deleted_at', 'is', null)
    .orderBy('conducted_on')
    .orderBy('id')
    .execute();
  return rows.map(toInterview);
}

/** Change the kind, date or episode, only at `version`; false when the version is stale (or the row removed). */
export async function updateInterview(
  db: Executor,
  organizationId: string,
  id: string,
  version: number,
  set: { kind: FederalInterviewKind; conductedOn: string; episodeId: string | null },
  now: string,
): Promise<boolean> {
  const r = await db
    .updateTable('federal_interviews')
    .set({ kind: set.kind, conducted_on: set.conductedOn, episode_id: set.episodeId, updated_at: now, version: version + 1 })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Mark removed (recorded in error), only at `version`. */
export async function removeInterview(db: Executor, organizationId: string, id: string, version: number, by: string, now: string): Promise<boolean> {
  const r = await db
    .updateTable('federal_interviews')
    .set({ deleted_at: now, deleted_by: by, updated_at: now, version: version + 1 })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The episode, when it is this participant's in this organization. */
export async function episodeOf(db: Executor, organizationId: string, participantId: string, episodeId: string): Promise<{ id: string; startDate: string } | undefined> {
  const r = await db
    .selectFrom('episodes')
    .select(['id', 'start_date'])
    .where('organization_id', '=', organizationId)
    .where('participant_id', '=', participantId)
    .where('id', '=', episodeId)
    .executeTakeFirst();
  return r ? { id: r.id, startDate: r.start_date } : undefined;
}

/** The participant's current episode: the newest not discharged. */
export async function currentEpisodeOf(db: Executor, organizationId: string, participantId: string): Promise<string | null> {
  const r = await db
    .selectFrom('episodes')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('participant_id', '=', participantId)
    .where('status', '<>', 'discharged')
    .orderBy('start_date', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return r?.id ?? null;
}

export async function staffNames(db: Executor, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids.filter((x): x is string => !!x))];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

// ---- the tracker

export interface TrackerIntake {
  intakeId: string;
  intakeOn: string;
  episodeId: string | null;
  participantId: string;
  firstName: string | null;
  lastName: string | null;
  preferredName: string | null;
  alias: string | null;
}

/** Intakes conducted from `from` through `through` (not removed) of the participants `scope` admits (not merged), oldest first. */
export async function intakesBetween(db: Executor, scope: ParticipantScope, from: string, through: string): Promise<TrackerIntake[]> {
  const rows = await db
    .selectFrom('federal_interviews as fi')
    .innerJoin('participants as p', 'p.id', 'fi.participant_id')
    .select(['fi.id', 'fi.conducted_on', 'fi.episode_id', 'fi.participant_id', 'p.first_name', 'p.last_name', 'p.preferred_name', 'p.alias'])
    .where('fi.organization_id', '=', scope.organizationId)
    .where('fi.kind', '=', 'intake')
    .where('fi.conducted_on', '>=', from)
    .where('fi.conducted_on', '<=', through)
    .where('fi.deleted_at', 'is', null)
    .where('p.merged_into_id', 'is', null)
    .where('fi.participant_id', 'in', db.selectFrom('participants').select('participants.id').where((eb) => scopeCondition(eb, scope)))
    .orderBy('fi.conducted_on')
    .orderBy('fi.id')
    .execute();
  return rows.map((r) => ({ intakeId: r.id, intakeOn: r.conducted_on, episodeId: r.episode_id, participantId: r.participant_id, firstName: r.first_name, lastName: r.last_name, preferredName: r.preferred_name, alias: r.alias }));
}

/** The follow-up interviews (not removed) of these participants from `from` on, by participant. */
export async function followUpsOf(db: Executor, organizationId: string, participantIds: readonly string[], from: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const ids of slices([...new Set(participantIds)])) {
    const rows = await db
      .selectFrom('federal_interviews')
      .select(['participant_id', 'conducted_on'])
      .where('organization_id', '=', organizationId)
      .where('participant_id', 'in', ids)
      .where('kind', '=', 'six_month_follow_up')
      .where('deleted_at', 'is', null)
      .where('conducted_on', '>=', from)
      .execute();
    for (const r of rows) out.set(r.participant_id, [...(out.get(r.participant_id) ?? []), r.conducted_on]);
  }
  return out;
}

/** Each participant's coach: on the current (newest open) episode, else on the given episode; with the coach's name. */
export async function coachesOf(db: Executor, organizationId: string, participantIds: readonly string[]): Promise<Map<string, { episodeId: string; open: boolean; coachUserId: string | null; coachName: string | null }[]>> {
  const out = new Map<string, { episodeId: string; open: boolean; coachUserId: string | null; coachName: string | null }[]>();
  for (const ids of slices([...new Set(participantIds)])) {
    const rows = await db
      .selectFrom('episodes as e')
      .leftJoin('users as u', 'u.id', 'e.assigned_coach_user_id')
      .select(['e.id', 'e.participant_id', 'e.status', 'e.assigned_coach_user_id', 'u.display_name'])
      .where('e.organization_id', '=', organizationId)
      .where('e.participant_id', 'in', ids)
      .orderBy('e.start_date', 'desc')
      .orderBy('e.id', 'desc')
      .execute();
    for (const r of rows) out.set(r.participant_id, [...(out.get(r.participant_id) ?? []), { episodeId: r.id, open: r.status !== 'discharged', coachUserId: r.assigned_coach_user_id, coachName: r.display_name ?? null }]);
  }
  return out;
}

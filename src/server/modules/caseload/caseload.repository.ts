/**
 * All SQL of the caseload (the signals keep theirs in signals.ts). Every query is filtered by
 * organization. A caseload is a set of open episodes: one coach's, or a supervisor's teams'
 * (their coaches' people and the unassigned at their teams' sites — the same people
 * `participantScope` lets a supervisor see).
 */
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/tables.js';
import { effectiveCadence, type EpisodeFacts } from './signals.js';

/** Whose open episodes: one coach's, a supervisor's teams', or the whole organization's. */
export type CaseloadOwner = { coachUserId: string } | { supervisorUserId: string } | { organization: true };

export interface CaseloadRow {
  episodeId: string;
  participantId: string;
  status: string;
  siteId: string;
  siteName: string;
  startDate: string;
  assignedCoachUserId: string | null;
  assignedCoachName: string | null;
  firstName: string | null;
  lastName: string | null;
  alias: string | null;
  preferredName: string | null;
  intakeAt: string;
  /** The last successful contact (an instant), or null. */
  lastContactAt: string | null;
  /** Open follow-up to-dos for the person, whoever owns them. */
  openFollowUps: number;
  /** What the signals read about the person and episode, read here in the same query. */
  facts: EpisodeFacts;
}

type EEb = ExpressionBuilder<Database, 'episodes'>;

/** The coaches on the teams a supervisor supervises. */
const supervisedCoaches = (eb: EEb, organizationId: string, supervisorUserId: string) =>
  eb
    .selectFrom('team_members as stm')
    .innerJoin('teams as st', 'st.id', 'stm.team_id')
    .select('stm.user_id')
    .where('st.supervisor_user_id', '=', supervisorUserId)
    .where('st.organization_id', '=', organizationId);

/** The open episodes of `owner`, as a condition on `episodes`. */
function ownedBy(eb: EEb, organizationId: string, owner: CaseloadOwner): Expression<SqlBool> {
  const open = eb.and([eb('episodes.organization_id', '=', organizationId), eb('episodes.status', '<>', 'discharged')]);
  if ('coachUserId' in owner) return eb.and([open, eb('episodes.assigned_coach_user_id', '=', owner.coachUserId)]);
  if ('organization' in owner) return open;
  const sites = eb
    .selectFrom('teams as st2')
    .select('st2.site_id')
    .where('st2.supervisor_user_id', '=', owner.supervisorUserId)
    .where('st2.organization_id', '=', organizationId)
    .where('st2.site_id', 'is not', null);
  return eb.and([
    open,
    eb.or([
      eb('episodes.assigned_coach_user_id', 'in', supervisedCoaches(eb, organizationId, owner.supervisorUserId)),
      eb.and([eb('episodes.assigned_coach_user_id', 'is', null), eb('episodes.site_id', 'in', sites)]),
    ]),
  ]);
}

export async function caseloadRows(db: Executor, organizationId: string, owner: CaseloadOwner): Promise<CaseloadRow[]> {
  const rows = await db
    .selectFrom('episodes')
    .innerJoin('participants as p', 'p.id', 'episodes.participant_id')
    .innerJoin('sites as s', 's.id', 'episodes.site_id')
    .innerJoin('programs as pg', 'pg.id', 'episodes.program_id')
    .leftJoin('users as coach', 'coach.id', 'episodes.assigned_coach_user_id')
    .select([
      'episodes.id as episode_id',
      'episodes.participant_id',
      'episodes.status',
      'episodes.site_id',
      's.name as site_name',
      'episodes.start_date',
      'episodes.assigned_coach_user_id',
      'coach.display_name as coach_name',
      'p.first_name',
      'p.last_name',
      'p.alias',
      'p.preferred_name',
      'p.created_at as intake_at',
      'p.has_oud',
      'p.current_moud',
      'p.recovery_start_date',
      'episodes.last_contact_at',
      'episodes.cadence_days',
      'pg.cadence_days as program_cadence_days',
      // An index probe per row (todos_participant), in the same round trip as the rows.
      (eb) =>
        eb
          .selectFrom('todos as td')
          .select((eb2) => eb2.fn.countAll<number>().as('n'))
          .where('td.organization_id', '=', organizationId)
          .whereRef('td.participant_id', '=', 'episodes.participant_id')
          .where('td.status', '=', 'open')
          .where('td.kind', '=', 'follow_up')
          .as('open_follow_ups'),
    ])
    .where((eb) => ownedBy(eb, organizationId, owner))
    .orderBy('episodes.start_date')
    .orderBy('episodes.id')
    .execute();
  return rows.map((r) => ({
    episodeId: r.episode_id,
    participantId: r.participant_id,
    status: r.status,
    siteId: r.site_id,
    siteName: r.site_name,
    startDate: r.start_date,
    assignedCoachUserId: r.assigned_coach_user_id,
    assignedCoachName: r.coach_name,
    firstName: r.first_name,
    lastName: r.last_name,
    alias: r.alias,
    preferredName: r.preferred_name,
    intakeAt: r.intake_at,
    lastContactAt: r.last_contact_at,
    openFollowUps: Number(r.open_follow_ups ?? 0),
    facts: {
      participantId: r.participant_id,
      status: r.status,
      hasOud: r.has_oud == null ? null : Number(r.has_oud) === 1,
      currentMoud: r.current_moud,
      recoveryStartDate: r.recovery_start_date,
      startDate: r.start_date,
      lastContactAt: r.last_contact_at,
      cadenceDays: effectiveCadence(r.cadence_days, r.program_cadence_days),
    },
  }));
}

/** The open episodes of `owner`, ids only (for counting signals across a whole organization). */
export async function episodeRefs(db: Executor, organizationId: string, owner: CaseloadOwner): Promise<{ participantId: string; episodeId: string }[]> {
  const rows = await db
    .selectFrom('episodes')
    .select(['episodes.id', 'episodes.participant_id'])
    .where((eb) => ownedBy(eb, organizationId, owner))
    .execute();
  return rows.map((r) => ({ participantId: r.participant_id, episodeId: r.id }));
}

/** Open episodes of `owner` counted by site, assigned coach and status. */
export async function episodeCounts(
  db: Executor,
  organizationId: string,
  owner: CaseloadOwner,
): Promise<{ siteId: string; coachUserId: string | null; status: string; count: number }[]> {
  const rows = await db
    .selectFrom('episodes')
    .select(['episodes.site_id', 'episodes.assigned_coach_user_id', 'episodes.status', (eb) => eb.fn.countAll<number>().as('n')])
    .where((eb) => ownedBy(eb, organizationId, owner))
    .groupBy(['episodes.site_id', 'episodes.assigned_coach_user_id', 'episodes.status'])
    .execute();
  return rows.map((r) => ({ siteId: r.site_id, coachUserId: r.assigned_coach_user_id, status: r.status, count: Number(r.n) }));
}

/** True when `coachUserId` is on a team `supervisorUserId` supervises in this organization. */
export async function supervises(db: Executor, organizationId: string, supervisorUserId: string, coachUserId: string): Promise<boolean> {
  const r = await db
    .selectFrom('team_members as tm')
    .innerJoin('teams as t', 't.id', 'tm.team_id')
    .select('tm.user_id')
    .where('t.organization_id', '=', organizationId)
    .where('t.supervisor_user_id', '=', supervisorUserId)
    .where('tm.user_id', '=', coachUserId)
    .executeTakeFirst();
  return r !== undefined;
}

/**
 * The coaches a summary lists even when nobody is assigned to them: everyone with the coach role
 * in the organization, or the coaches on a supervisor's teams (active accounts).
 */
export async function coachesOf(db: Executor, organizationId: string, owner: CaseloadOwner): Promise<{ id: string; name: string }[]> {
  let q = db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.display_name'])
    .where('m.organization_id', '=', organizationId)
    .where('m.role', '=', 'coach')
    .where('u.status', '=', 'active');
  if ('supervisorUserId' in owner) {
    const supervisorUserId = owner.supervisorUserId;
    q = q.where('u.id', 'in', (eb) =>
      eb
        .selectFrom('team_members as stm')
        .innerJoin('teams as st', 'st.id', 'stm.team_id')
        .select('stm.user_id')
        .where('st.supervisor_user_id', '=', supervisorUserId)
        .where('st.organization_id', '=', organizationId),
    );
  }
  if ('coachUserId' in owner) q = q.where('u.id', '=', owner.coachUserId);
  const rows = await q.distinct().execute();
  return rows.map((r) => ({ id: r.id, name: r.display_name }));
}

/** Names of staff by id (the coaches an episode names who may no longer hold the role). */
export async function staffNames(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', [...ids]).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

export async function siteNames(db: Executor, organizationId: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom('sites').select(['id', 'name']).where('organization_id', '=', organizationId).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

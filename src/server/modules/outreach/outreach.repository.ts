/**
 * All SQL of outreach. Every query is filtered by organization. Encounters are read straight from
 * their table (the encounters module writes it): `reached` 1 is a successful contact, `mode` the
 * channel, deleted rows (tombstones) never count. The supervisor view is a few grouped queries
 * over the coaches' open episodes — never one per person.
 */
import { sql, type RawBuilder } from 'kysely';
import { isPostgres } from '../../platform/db/columns.js';
import type { Executor } from '../../platform/db/database.js';

// ---- one episode

export interface OutreachEpisode {
  id: string;
  participantId: string;
  status: string;
  startDate: string;
  assignedCoachUserId: string | null;
  cadenceDays: number | null;
  lastContactAt: string | null;
  unreachableReason: string | null;
  version: number;
  program: { cadenceDays: number; attempts: number; channels: number; days: number };
  person: {
    phone: boolean;
    email: boolean;
    emergencyContact: boolean;
    doNotContact: boolean;
    okVoicemail: boolean;
    okText: boolean;
    preferredMethod: string | null;
    windowStart: string | null;
    windowEnd: string | null;
    safeTimes: string | null;
  };
}


/** What the outreach rules read about how (and whether) to reach a person (participants as `p`). */
const CONTACT_COLUMNS = [
  'p.phone',
  'p.email',
  'p.emergency_contact_name',
  'p.emergency_contact_phone',
  'p.do_not_contact',
  'p.ok_voicemail',
  'p.ok_text',
  'p.preferred_contact_method',
  'p.contact_window_start',
  'p.contact_window_end',
  'p.safe_times',
] as const;
export async function findOutreachEpisode(db: Executor, organizationId: string, id: string): Promise<OutreachEpisode | undefined> {
  const r = await db
    .selectFrom('episodes as e')
    .innerJoin('programs as pg', 'pg.id', 'e.program_id')
    .innerJoin('participants as p', 'p.id', 'e.participant_id')
    .select([
      'e.id',
      'e.participant_id',
      'e.status',
      'e.start_date',
      'e.assigned_coach_user_id',
      'e.cadence_days',
      'e.last_contact_at',
      'e.unreachable_reason',
      'e.version',
      'pg.cadence_days as program_cadence_days',
      'pg.unreachable_attempts',
      'pg.unreachable_channels',
      'pg.unreachable_days',
      ...CONTACT_COLUMNS,
    ])
    .where('e.organization_id', '=', organizationId)
    .where('e.id', '=', id)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    id: r.id,
    participantId: r.participant_id,
    status: r.status,
    startDate: r.start_date,
    assignedCoachUserId: r.assigned_coach_user_id,
    cadenceDays: r.cadence_days == null ? null : Number(r.cadence_days),
    lastContactAt: r.last_contact_at,
    unreachableReason: r.unreachable_reason,
    version: Number(r.version),
    program: { cadenceDays: Number(r.program_cadence_days), attempts: Number(r.unreachable_attempts), channels: Number(r.unreachable_channels), days: Number(r.unreachable_days) },
    person: {
      phone: !!r.phone,
      email: !!r.email,
      emergencyContact: !!(r.emergency_contact_phone ?? r.emergency_contact_name),
      doNotContact: Number(r.do_not_contact) === 1,
      okVoicemail: Number(r.ok_voicemail) === 1,
      okText: Number(r.ok_text) === 1,
      preferredMethod: r.preferred_contact_method,
      windowStart: r.contact_window_start,
      windowEnd: r.contact_window_end,
      safeTimes: r.safe_times,
    },
  };
}

export interface ContactRow {
  id: string;
  startedAt: string;
  mode: string;
  type: string;
  reached: boolean;
  outcome: string | null;
}

/** The participant's contacts (reached or not) from `since` (an instant), newest first. */
export async function contactsSince(db: Executor, organizationId: string, participantId: string, since: string): Promise<ContactRow[]> {
  const rows = await db
    .selectFrom('encounters')
    .select(['id', 'started_at', 'mode', 'type', 'reached', 'attempt_outcome'])
    .where('organization_id', '=', organizationId)
    .where('participant_id', '=', participantId)
    .where('started_at', '>=', since)
    .where('deleted_at', 'is', null)
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(500)
    .execute();
  return rows.map((r) => ({ id: r.id, startedAt: r.started_at, mode: r.mode, type: r.type, reached: Number(r.reached) === 1, outcome: r.attempt_outcome }));
}

/** The participant's latest successful contact, from the encounters themselves. */
export async function lastReachedAt(db: Executor, organizationId: string, participantId: string): Promise<string | null> {
  const r = await db
    .selectFrom('encounters')
    .select('started_at')
    .where('organization_id', '=', organizationId)
    .where('participant_id', '=', participantId)
    .where('reached', '=', 1)
    .where('deleted_at', 'is', null)
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r?.started_at ?? null;
}

/** A disclosure consent in force today (signed, not revoked, not expired): the treatment provider may be asked. */
export async function hasDisclosureConsent(db: Executor, organizationId: string, participantId: string, today: string): Promise<boolean> {
  const r = await db
    .selectFrom('consents')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('participant_id', '=', participantId)
    .where('kind', 'in', ['disclosure_tpo', 'disclosure_specific'])
    .where('revoked_at', 'is', null)
    .where('signed_on', '<=', today)
    .where((eb) => eb.or([eb('expires_on', 'is', null), eb('expires_on', '>=', today)]))
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

export async function setCadence(db: Executor, organizationId: string, id: string, version: number, cadenceDays: number | null, now: string): Promise<boolean> {
  const res = await db
    .updateTable('episodes')
    .set((eb) => ({ cadence_days: cadenceDays, updated_at: now, version: eb('version', '+', 1) }))
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function markUnreachable(db: Executor, organizationId: string, id: string, version: number, reason: string, now: string): Promise<boolean> {
  const res = await db
    .updateTable('episodes')
    .set((eb) => ({ status: 'unreachable', unreachable_reason: reason, updated_at: now, version: eb('version', '+', 1) }))
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('status', 'in', ['active', 'on_hold'])
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

// ---- today

export interface TodayRow {
  id: string;
  kind: string;
  title: string;
  severity: string;
  dueOn: string;
  dueTime: string | null;
  dueAt: string;
  version: number;
  participantId: string | null;
  name: string | null;
  contact: OutreachEpisode['person'] | null;
}

/** Most severe first, as a number SQL can sort by (the same expression on both databases). */
const severityRank = sql<number>`case t.severity when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end`;

/**
 * The owner's open to-dos due on or before `today`, overdue (due_at ≤ now) first, then most
 * severe, then soonest due. `dueAtBefore` bounds the todos_owner index range.
 */
export async function todayTodos(
  db: Executor,
  q: { organizationId: string; ownerUserId: string; today: string; dueAtBefore: string; now: string; limit: number },
): Promise<TodayRow[]> {
  const rows = await db
    .selectFrom('todos as t')
    .leftJoin('participants as p', 'p.id', 't.participant_id')
    .select([
      't.id',
      't.kind',
      't.title',
      't.severity',
      't.due_on',
      't.due_time',
      't.due_at',
      't.version',
      't.participant_id',
      'p.first_name',
      'p.last_name',
      'p.alias',
      'p.preferred_name',
      ...CONTACT_COLUMNS,
    ])
    .where('t.organization_id', '=', q.organizationId)
    .where('t.owner_user_id', '=', q.ownerUserId)
    .where('t.status', '=', 'open')
    .where('t.due_at', '<', q.dueAtBefore)
    .where('t.due_on', '<=', q.today)
    .orderBy(sql`case when t.due_at <= ${q.now} then 0 else 1 end`)
    .orderBy(severityRank)
    .orderBy('t.due_at')
    .orderBy('t.id')
    .limit(q.limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    title: r.title,
    severity: r.severity,
    dueOn: r.due_on,
    dueTime: r.due_time,
    dueAt: r.due_at,
    version: Number(r.version),
    participantId: r.participant_id,
    name: r.participant_id ? [r.preferred_name ?? r.first_name ?? r.alias, r.last_name].filter(Boolean).join(' ') : null,
    contact: r.participant_id
      ? {
          phone: !!r.phone,
          email: !!r.email,
          emergencyContact: !!(r.emergency_contact_phone ?? r.emergency_contact_name),
          doNotContact: Number(r.do_not_contact) === 1,
          okVoicemail: Number(r.ok_voicemail) === 1,
          okText: Number(r.ok_text) === 1,
          preferredMethod: r.preferred_contact_method,
          windowStart: r.contact_window_start,
          windowEnd: r.contact_window_end,
          safeTimes: r.safe_times,
        }
      : null,
  }));
}

/** How many of the owner's open to-dos are due by today, and how many of those are overdue. */
export async function todayCounts(db: Executor, q: { organizationId: string; ownerUserId: string; today: string; dueAtBefore: string; now: string }): Promise<{ total: number; overdue: number }> {
  const r = await db
    .selectFrom('todos as t')
    .select([(eb) => eb.fn.countAll<number>().as('total'), sql<number>`sum(case when t.due_at <= ${q.now} then 1 else 0 end)`.as('overdue')])
    .where('t.organization_id', '=', q.organizationId)
    .where('t.owner_user_id', '=', q.ownerUserId)
    .where('t.status', '=', 'open')
    .where('t.due_at', '<', q.dueAtBefore)
    .where('t.due_on', '<=', q.today)
    .executeTakeFirst();
  return { total: Number(r?.total ?? 0), overdue: Number(r?.overdue ?? 0) };
}

// ---- the supervisor view

/** For each cadence in use (days): overdue when the last contact is before this local date / instant. */
export type CadenceCutoffs = ReadonlyMap<number, { date: string; instant: string }>;

/** The cadences (days) these coaches' open episodes have: their own overrides and their programs'. */
export async function cadencesInUse(db: Executor, organizationId: string, coachIds: readonly string[]): Promise<number[]> {
  if (coachIds.length === 0) return [];
  const rows = await db
    .selectFrom('episodes as e')
    .innerJoin('programs as pg', 'pg.id', 'e.program_id')
    .select(sql<number>`coalesce(e.cadence_days, pg.cadence_days)`.as('days'))
    .distinct()
    .where('e.organization_id', '=', organizationId)
    .where('e.status', '<>', 'discharged')
    .where('e.assigned_coach_user_id', 'in', [...coachIds])
    .execute();
  return rows.map((r) => Number(r.days));
}

/**
 * Per coach: open episodes, and how many active ones are overdue on their cadence — counted by the
 * database. An episode is overdue when the local date of its last successful contact (or its start)
 * plus its cadence is before today, i.e. when that contact is before the start of the local day
 * `today − cadence` (`cutoffs`, computed in the organization's time zone, DST included). One
 * index range per coach, no rows sent back per episode.
 */
export async function teamEpisodeCounts(db: Executor, organizationId: string, coachIds: readonly string[], cutoffs: CadenceCutoffs): Promise<Map<string, { open: number; overdue: number }>> {
  // No cadence in use: no open episode either (and a CASE needs at least one WHEN).
  if (coachIds.length === 0 || cutoffs.size === 0) return new Map();
  const pg = isPostgres(db as never);
  const cadence = sql`coalesce(e.cadence_days, pg.cadence_days)`;
  const pick = (value: (c: { date: string; instant: string }) => RawBuilder<unknown>) =>
    sql`case ${cadence} ${sql.join([...cutoffs].map(([days, c]) => sql`when ${days} then ${value(c)}`), sql` `)} end`;
  const dateCut = pick((c) => (pg ? sql`cast(${c.date} as date)` : sql`${c.date}`));
  const instantCut = pick((c) => (pg ? sql`cast(${c.instant} as timestamptz)` : sql`${c.instant}`));
  const rows = await db
    .selectFrom('episodes as e')
    .innerJoin('programs as pg', 'pg.id', 'e.program_id')
    .select([
      'e.assigned_coach_user_id',
      (eb) => eb.fn.countAll<number>().as('open'),
      sql<number>`sum(case when e.status = 'active' and ((e.last_contact_at is null and e.start_date < ${dateCut}) or e.last_contact_at < ${instantCut}) then 1 else 0 end)`.as('overdue'),
    ])
    .where('e.organization_id', '=', organizationId)
    .where('e.status', '<>', 'discharged')
    .where('e.assigned_coach_user_id', 'in', [...coachIds])
    .groupBy('e.assigned_coach_user_id')
    .execute();
  return new Map(rows.map((r) => [r.assigned_coach_user_id!, { open: Number(r.open), overdue: Number(r.overdue ?? 0) }]));
}

/**
 * The people of these coaches' open episodes at risk of being lost: an ED moment (the
 * participant's contact summary, kept by encounters/contact-summary.ts) since `lookbackStart` and
 * before `edBefore` (14 local days ago), and no successful follow-up since.
 */
export async function atRiskEpisodes(
  db: Executor,
  q: { organizationId: string; coachIds: readonly string[]; lookbackStart: string; edBefore: string },
): Promise<{ coachUserId: string; participantId: string; lastEdAt: string; lastFollowUpAt: string | null }[]> {
  if (q.coachIds.length === 0) return [];
  const rows = await db
    .selectFrom('episodes as e')
    .innerJoin('participants as p', 'p.id', 'e.participant_id')
    .select(['e.assigned_coach_user_id', 'e.participant_id', 'p.last_ed_at', 'p.last_follow_up_at'])
    .where('e.organization_id', '=', q.organizationId)
    .where('e.status', '<>', 'discharged')
    .where('e.assigned_coach_user_id', 'in', [...q.coachIds])
    .where('p.last_ed_at', '>=', q.lookbackStart)
    .where('p.last_ed_at', '<', q.edBefore)
    .where((eb) => eb.or([eb('p.last_follow_up_at', 'is', null), eb('p.last_follow_up_at', '<=', eb.ref('p.last_ed_at'))]))
    .execute();
  return rows.map((r) => ({ coachUserId: r.assigned_coach_user_id!, participantId: r.participant_id, lastEdAt: normalizeInstant(r.last_ed_at), lastFollowUpAt: normalizeNullable(r.last_follow_up_at) }));
}

/** Contacts each coach tried since `since` (reached or not), and those that reached the person. */
export async function contactCountsByAuthor(db: Executor, organizationId: string, coachIds: readonly string[], since: string): Promise<Map<string, { attempts: number; reached: number }>> {
  if (coachIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('encounters')
    .select(['author_user_id', (eb) => eb.fn.countAll<number>().as('n'), sql<number>`sum(case when reached = 1 then 1 else 0 end)`.as('reached')])
    .where('organization_id', '=', organizationId)
    .where('author_user_id', 'in', [...coachIds])
    .where('started_at', '>=', since)
    .where('deleted_at', 'is', null)
    .groupBy('author_user_id')
    .execute();
  return new Map(rows.map((r) => [r.author_user_id, { attempts: Number(r.n), reached: Number(r.reached ?? 0) }]));
}

/** max() over a timestamptz comes back as a Date-parsed string on PostgreSQL; dates stay YYYY-MM-DD. */
function normalizeInstant(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

const normalizeNullable = (v: unknown): string | null => (v == null ? null : normalizeInstant(v));

export async function participantNames(db: Executor, organizationId: string, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .selectFrom('participants')
    .select(['id', 'first_name', 'last_name', 'alias', 'preferred_name'])
    .where('organization_id', '=', organizationId)
    .where('id', 'in', unique)
    .execute();
  return new Map(rows.map((r) => [r.id, [r.preferred_name ?? r.first_name ?? r.alias, r.last_name].filter(Boolean).join(' ')]));
}

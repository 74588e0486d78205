/**
 * All SQL of check-ins and milestones: check-ins, custom milestones, celebrations, and the few
 * facts read from other modules' tables (the earliest MOUD start, the previous BARC-10 total, the
 * participant's coach). Every query filters on the organization.
 */
import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import { newId } from '../../platform/ids.js';
import type { CheckInsTable, MilestoneCelebrationsTable, MilestonesTable } from '../../platform/db/tables-checkins.js';
import type { CheckInAlertReason } from '../../../contracts/checkins.js';

export interface CheckInRecord {
  id: string;
  participantId: string;
  encounterId: string | null;
  checkedInOn: string;
  mood: number;
  cravings: number;
  moudTaken: 'yes' | 'no' | 'not_on_moud';
  useSinceLast: boolean;
  overdoseSinceLast: boolean;
  goingWell: string | null;
  needsToday: string | null;
  alerts: CheckInAlertReason[];
  /** The cravings level it was judged by. */
  cravingsAlertThreshold: number;
  source: 'coach' | 'participant_link';
  createdBy: string;
  createdAt: string;
}

export interface MilestoneRecord {
  id: string;
  participantId: string;
  kind: 'housing_found' | 'job' | 'family_reunited' | 'court_completed' | 'other';
  label: string | null;
  reachedOn: string;
  createdBy: string;
  createdAt: string;
}

export interface CelebrationRecord {
  id: string;
  participantId: string;
  kind: 'recovery' | 'moud' | 'custom';
  anchor: string;
  milestoneOn: string;
  note: string | null;
  celebratedBy: string;
  celebratedAt: string;
}

const iso = (v: string | Date): string => new Date(v).toISOString();
const dateText = (v: string | Date): string => (typeof v === 'string' ? v.slice(0, 10) : v.toISOString().slice(0, 10));

const toCheckIn = (r: Selectable<CheckInsTable>): CheckInRecord => ({
  id: r.id,
  participantId: r.participant_id,
  encounterId: r.encounter_id,
  checkedInOn: dateText(r.checked_in_on),
  mood: Number(r.mood),
  cravings: Number(r.cravings),
  moudTaken: r.moud_taken as CheckInRecord['moudTaken'],
  useSinceLast: Number(r.use_since_last) === 1,
  overdoseSinceLast: Number(r.overdose_since_last) === 1,
  goingWell: r.going_well,
  needsToday: r.needs_today,
  alerts: JSON.parse(r.alerts) as CheckInAlertReason[],
  cravingsAlertThreshold: Number(r.cravings_alert_threshold),
  source: r.source as CheckInRecord['source'],
  createdBy: r.created_by,
  createdAt: iso(r.created_at),
});

const toMilestone = (r: Selectable<MilestonesTable>): MilestoneRecord => ({
  id: r.id,
  participantId: r.participant_id,
  kind: r.kind as MilestoneRecord['kind'],
  label: r.label,
  reachedOn: dateText(r.reached_on),
  createdBy: r.created_by,
  createdAt: iso(r.created_at),
});

const toCelebration = (r: Selectable<MilestoneCelebrationsTable>): CelebrationRecord => ({
  id: r.id,
  participantId: r.participant_id,
  kind: r.kind as CelebrationRecord['kind'],
  anchor: r.anchor,
  milestoneOn: dateText(r.milestone_on),
  note: r.note,
  celebratedBy: r.celebrated_by,
  celebratedAt: iso(r.celebrated_at),
});

// ---- check-ins

export async function insertCheckIn(
  db: Executor,
  c: Omit<CheckInRecord, 'id' | 'createdAt'> & { organizationId: string; now: string },
): Promise<string> {
  const id = newId();
  await db
    .insertInto('check_ins')
    .values({
      id,
      organization_id: c.organizationId,
      participant_id: c.participantId,
      encounter_id: c.encounterId,
      checked_in_on: c.checkedInOn,
      mood: c.mood,
      cravings: c.cravings,
      moud_taken: c.moudTaken,
      use_since_last: c.useSinceLast ? 1 : 0,
      overdose_since_last: c.overdoseSinceLast ? 1 : 0,
      going_well: c.goingWell,
      needs_today: c.needsToday,
      alerts: JSON.stringify(c.alerts),
      cravings_alert_threshold: c.cravingsAlertThreshold,
      source: c.source,
      created_by: c.createdBy,
      created_at: c.now,
      updated_at: c.now,
    })
    .execute();
  return id;
}

export async function findCheckIn(db: Executor, organizationId: string, id: string): Promise<CheckInRecord | undefined> {
  const r = await db.selectFrom('check_ins').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return r ? toCheckIn(r) : undefined;
}

/** A participant's check-ins, newest first (by date, then by when recorded). */
export async function listCheckIns(db: Executor, organizationId: string, participantId: string, limit = 200): Promise<CheckInRecord[]> {
  const rows = await db
    .selectFrom('check_ins')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('participant_id', '=', participantId)
    .orderBy('checked_in_on', 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toCheckIn);
}

/** The check-in just before one on `checkedInOn` (on an earlier date, or the same date recorded earlier). */
export async function previousCheckIn(db: Executor, organizationId: string, participantId: string, checkedInOn: string, now: string): Promise<CheckInRecord | undefined> {
  const r = await db
    .selectFrom('check_ins')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('participant_id', '=', participantId)
    .where((eb) => eb.or([eb('checked_in_on', '<', checkedInOn), eb.and([eb('checked_in_on', '=', checkedInOn), eb('created_at', '<=', now)])]))
    .orderBy('checked_in_on', 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return r ? toCheckIn(r) : undefined;
}

/** Whether the encounter is one of this participant's, in this organization. */
export async function encounterOf(db: Executor, organizationId: string, participantId: string, encounterId: string): Promise<boolean> {
  const r = await db.selectFrom('encounters').select('id').where('organization_id', '=', organizationId).where('participant_id', '=', participantId).where('id', '=', encounterId).executeTakeFirst();
  return r !== undefined;
}

/** The coach assigned on the participant's newest open episode, if any. */
export async function coachOf(db: Executor, organizationId: string, participantId: string): Promise<string | null> {
  const r = await db
    .selectFrom('episodes')
    .select('assigned_coach_user_id')
    .where('organization_id', '=', organizationId)
    .where('participant_id', '=', participantId)
    .where('status', '<>', 'discharged')
    .where('assigned_coach_user_id', 'is not', null)
    .orderBy('start_date', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return r?.assigned_coach_user_id ?? null;
}

/**
 * The cravings alert level of the participant's current program: the program of their newest open
 * episode (the same episode `coachOf` reads). Undefined without an open episode.
 */
export async function cravingsThresholdOf(db: Executor, organizationId: string, participantId: string): Promise<number | undefined> {
  const r = await db
    .selectFrom('episodes as e')
    .innerJoin('programs as pg', (j) => j.onRef('pg.id', '=', 'e.program_id').onRef('pg.organization_id', '=', 'e.organization_id'))
    .select('pg.cravings_alert_threshold')
    .where('e.organization_id', '=', organizationId)
    .where('e.participant_id', '=', participantId)
    .where('e.status', '<>', 'discharged')
    .orderBy('e.start_date', 'desc')
    .orderBy('e.id', 'desc')
    .executeTakeFirst();
  return r ? Number(r.cravings_alert_threshold) : undefined;
}

/** The BARC-10 total answered just before response `id` (same participant), if any. */
export async function previousBarc10(db: Executor, organizationId: string, participantId: string, id: string): Promise<{ current: number | null; previous: number | null }> {
  const rows = await db
    .selectFrom('questionnaire_responses')
    .select(['id', 'score'])
    .where('organization_id', '=', organizationId)
    .where('participant_id', '=', participantId)
    .where('questionnaire_key', '=', 'barc10')
    .where('score', 'is not', null)
    .orderBy('answered_on', 'desc')
    .orderBy('id', 'desc')
    .limit(200)
    .execute();
  const i = rows.findIndex((r) => r.id === id);
  if (i < 0) return { current: null, previous: null };
  const next = rows[i + 1];
  return { current: Number(rows[i]!.score), previous: next ? Number(next.score) : null };
}

/** The participants of the batch with an open alert to-do: how many, and the oldest due date. One query. */
export async function openAlerts(db: Executor, organizationId: string, participantIds: readonly string[]): Promise<Map<string, { count: number; since: string }>> {
  if (participantIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('todos')
    .select(['participant_id', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min('due_on').as('first_due')])
    .where('organization_id', '=', organizationId)
    .where('participant_id', 'in', participantIds)
    .where('kind', '=', 'alert')
    .where('status', '=', 'open')
    .groupBy('participant_id')
    .execute();
  const out = new Map<string, { count: number; since: string }>();
  for (const r of rows) if (r.participant_id) out.set(r.participant_id, { count: Number(r.n), since: String(r.first_due) });
  return out;
}

// ---- milestones

export async function insertMilestone(db: Executor, m: { organizationId: string; participantId: string; kind: MilestoneRecord['kind']; label: string | null; reachedOn: string; createdBy: string; now: string }): Promise<string> {
  const id = newId();
  await db
    .insertInto('milestones')
    .values({ id, organization_id: m.organizationId, participant_id: m.participantId, kind: m.kind, label: m.label, reached_on: m.reachedOn, created_by: m.createdBy, created_at: m.now, updated_at: m.now })
    .execute();
  return id;
}

export async function findMilestone(db: Executor, organizationId: string, id: string): Promise<MilestoneRecord | undefined> {
  const r = await db.selectFrom('milestones').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return r ? toMilestone(r) : undefined;
}

export async function listMilestones(db: Executor, organizationId: string, participantId: string): Promise<MilestoneRecord[]> {
  const rows = await db.selectFrom('milestones').selectAll().where('organization_id', '=', organizationId).where('participant_id', '=', participantId).orderBy('reached_on', 'desc').orderBy('id', 'desc').limit(500).execute();
  return rows.map(toMilestone);
}

export async function insertCelebration(db: Executor, c: { organizationId: string; participantId: string; kind: CelebrationRecord['kind']; anchor: string; milestoneOn: string; note: string | null; by: string; now: string }): Promise<string> {
  const id = newId();
  await db
    .insertInto('milestone_celebrations')
    .values({ id, organization_id: c.organizationId, participant_id: c.participantId, kind: c.kind, anchor: c.anchor, milestone_on: c.milestoneOn, note: c.note, celebrated_by: c.by, celebrated_at: c.now, created_at: c.now, updated_at: c.now })
    .execute();
  return id;
}

export async function listCelebrations(db: Executor, organizationId: string, participantId: string): Promise<CelebrationRecord[]> {
  const rows = await db.selectFrom('milestone_celebrations').selectAll().where('organization_id', '=', organizationId).where('participant_id', '=', participantId).orderBy('milestone_on', 'desc').limit(1000).execute();
  return rows.map(toCelebration);
}

/** The earliest start date of a MOUD course not stopped, per participant (one query for a batch). */
export async function moudStartDates(db: Executor, organizationId: string, participantIds: readonly string[]): Promise<Map<string, string>> {
  if (participantIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('moud_courses')
    .select(['participant_id', (eb) => eb.fn.min('started_on').as('first')])
    .where('organization_id', '=', organizationId)
    .where('participant_id', 'in', participantIds)
    .where('status', '<>', 'stopped')
    .where('started_on', 'is not', null)
    .groupBy('participant_id')
    .execute();
  return new Map(rows.filter((r) => r.first != null).map((r) => [r.participant_id, dateText(String(r.first))]));
}

/** How a celebration is matched to a milestone: its kind, anchor and date (a changed start date makes new milestones). */
export const celebrationKey = (kind: string, anchor: string, on: string): string => `${kind}:${anchor}:${on}`;

/**
 * For the caseload's `milestone_coming`: the earliest MOUD start (a course not stopped) of each
 * participant of the batch, and the celebrations logged for milestones dated from `from` on —
 * ONE query (a UNION ALL of the two).
 */
export async function milestoneFacts(db: Executor, organizationId: string, participantIds: readonly string[], from: string): Promise<{ moudStarts: Map<string, string>; celebrated: Map<string, Set<string>> }> {
  const moudStarts = new Map<string, string>();
  const celebrated = new Map<string, Set<string>>();
  if (participantIds.length === 0) return { moudStarts, celebrated };
  const rows = await db
    .selectFrom('moud_courses')
    .select(['participant_id', sql<string>`'moud_start'`.as('kind'), sql<string>`''`.as('anchor'), sql<string>`cast(min(started_on) as text)`.as('on')]) // a date in PostgreSQL: text, like milestone_on
    .where('organization_id', '=', organizationId)
    .where('participant_id', 'in', participantIds)
    .where('status', '<>', 'stopped')
    .where('started_on', 'is not', null)
    .groupBy('participant_id')
    // Built from the expression builder: part of the same statement, one round trip.
    .unionAll((eb) =>
      eb
        .selectFrom('milestone_celebrations')
        .select(['participant_id', 'kind', 'anchor', 'milestone_on as on'])
        .where('organization_id', '=', organizationId)
        .where('participant_id', 'in', participantIds)
        .where('milestone_on', '>=', from),
    )
    .execute();
  for (const r of rows) {
    if (r.on == null) continue;
    const on = dateText(String(r.on));
    if (r.kind === 'moud_start') {
      moudStarts.set(r.participant_id, on);
      continue;
    }
    const set = celebrated.get(r.participant_id) ?? new Set<string>();
    set.add(celebrationKey(r.kind, r.anchor, on));
    celebrated.set(r.participant_id, set);
  }
  return { moudStarts, celebrated };
}

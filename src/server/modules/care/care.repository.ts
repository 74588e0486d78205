/**
 * All SQL of life events and to-dos. Every query is filtered by organization; rows stay here and
 * callers get records. Other modules use `findLifeEvent` (an ED bedside encounter attaches to its
 * ED visit), and the caseload reads `openTodoCounts`.
 */
import { sql, type Selectable, type Updateable } from 'kysely';
import type { LifeEventKind, LifeEventSource, TodoClearsOn, TodoKind, TodoSeverity, TodoStatus } from '../../../contracts/care.js';
import type { Database } from '../../platform/db/tables.js';
import type { Executor } from '../../platform/db/database.js';
import { newId } from '../../platform/ids.js';

// ---- life events

export interface LifeEventRecord {
  id: string;
  organizationId: string;
  participantId: string;
  kind: LifeEventKind;
  occurredOn: string;
  occurredAt: string | null;
  source: LifeEventSource;
  note: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export type LifeEventValues = Pick<LifeEventRecord, 'kind' | 'occurredOn' | 'occurredAt' | 'source' | 'note'>;

const toLifeEvent = (r: Selectable<Database['life_events']>): LifeEventRecord => ({
  id: r.id,
  organizationId: r.organization_id,
  participantId: r.participant_id,
  kind: r.kind as LifeEventKind,
  occurredOn: r.occurred_on,
  occurredAt: r.occurred_at,
  source: r.source as LifeEventSource,
  note: r.note,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: r.version,
});

export async function insertLifeEvent(
  db: Executor,
  e: LifeEventValues & { organizationId: string; participantId: string; createdBy: string; now: string },
): Promise<string> {
  const id = newId();
  await db
    .insertInto('life_events')
    .values({
      id,
      organization_id: e.organizationId,
      participant_id: e.participantId,
      kind: e.kind,
      occurred_on: e.occurredOn,
      occurred_at: e.occurredAt,
      source: e.source,
      note: e.note,
      created_by: e.createdBy,
      created_at: e.now,
      updated_at: e.now,
    })
    .execute();
  return id;
}

/** One life event of the organization (any participant): the caller checks participant access. */
export async function findLifeEvent(db: Executor, organizationId: string, id: string): Promise<LifeEventRecord | undefined> {
  const r = await db.selectFrom('life_events').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return r ? toLifeEvent(r) : undefined;
}

/** A participant's life events, newest first (by date, then time, then id). */
export async function listLifeEvents(db: Executor, organizationId: string, participantId: string): Promise<LifeEventRecord[]> {
  const rows = await db
    .selectFrom('life_events')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('participant_id', '=', participantId)
    .orderBy('occurred_on', 'desc')
    .orderBy('id', 'desc')
    .execute();
  // A known time orders the day's events; events with only a date come after the timed ones.
  return rows.map(toLifeEvent).sort((a, b) => cmpDesc(a.occurredOn, b.occurredOn) || cmpDesc(a.occurredAt ?? '', b.occurredAt ?? '') || cmpDesc(a.id, b.id));
}

const cmpDesc = (a: string, b: string): number => (a < b ? 1 : a > b ? -1 : 0);

/** Apply a change if `version` still matches; false when it does not (someone saved first). */
export async function updateLifeEvent(db: Executor, organizationId: string, id: string, version: number, patch: Partial<LifeEventValues>, now: string): Promise<boolean> {
  const set: Updateable<Database['life_events']> = {};
  if (patch.kind !== undefined) set.kind = patch.kind;
  if (patch.occurredOn !== undefined) set.occurred_on = patch.occurredOn;
  if (patch.occurredAt !== undefined) set.occurred_at = patch.occurredAt;
  if (patch.source !== undefined) set.source = patch.source;
  if (patch.note !== undefined) set.note = patch.note;
  const res = await db
    .updateTable('life_events')
    .set({ ...set, updated_at: now, version: sql<number>`version + 1` })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

// ---- to-dos

export interface TodoRecord {
  id: string;
  organizationId: string;
  participantId: string | null;
  kind: TodoKind;
  ownerUserId: string;
  dueOn: string;
  dueTime: string | null;
  dueAt: string;
  severity: TodoSeverity;
  title: string;
  note: string | null;
  clearsOn: TodoClearsOn;
  sourceType: string | null;
  sourceId: string | null;
  status: TodoStatus;
  resolution: string | null;
  completedAt: string | null;
  completedBy: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

const toTodo = (r: Selectable<Database['todos']>): TodoRecord => ({
  id: r.id,
  organizationId: r.organization_id,
  participantId: r.participant_id,
  kind: r.kind as TodoKind,
  ownerUserId: r.owner_user_id,
  dueOn: r.due_on,
  dueTime: r.due_time,
  dueAt: r.due_at,
  severity: r.severity as TodoSeverity,
  title: r.title,
  note: r.note,
  clearsOn: r.clears_on as TodoClearsOn,
  sourceType: r.source_type,
  sourceId: r.source_id,
  status: r.status as TodoStatus,
  resolution: r.resolution,
  completedAt: r.completed_at,
  completedBy: r.completed_by,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: r.version,
});

export interface NewTodo {
  organizationId: string;
  participantId: string | null;
  kind: TodoKind;
  ownerUserId: string;
  dueOn: string;
  dueTime: string | null;
  dueAt: string;
  severity: TodoSeverity;
  title: string;
  note: string | null;
  clearsOn: TodoClearsOn;
  sourceType: string | null;
  sourceId: string | null;
  createdBy: string;
  now: string;
}

export async function insertTodo(db: Executor, t: NewTodo): Promise<string> {
  const id = newId();
  await db
    .insertInto('todos')
    .values({
      id,
      organization_id: t.organizationId,
      participant_id: t.participantId,
      kind: t.kind,
      owner_user_id: t.ownerUserId,
      due_on: t.dueOn,
      due_time: t.dueTime,
      due_at: t.dueAt,
      severity: t.severity,
      title: t.title,
      note: t.note,
      clears_on: t.clearsOn,
      source_type: t.sourceType,
      source_id: t.sourceId,
      status: 'open',
      created_by: t.createdBy,
      created_at: t.now,
      updated_at: t.now,
    })
    .execute();
  return id;
}

export async function findTodo(db: Executor, organizationId: string, id: string): Promise<TodoRecord | undefined> {
  const r = await db.selectFrom('todos').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return r ? toTodo(r) : undefined;
}

/** Most severe first, as a number SQL can sort by (the same expression on both databases). */
const severityRank = sql<number>`case severity when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end`;

/** A participant's to-dos: the open ones first (soonest due, most severe), then the closed ones, latest closed first. */
export async function listParticipantTodos(db: Executor, organizationId: string, participantId: string, limit: number): Promise<TodoRecord[]> {
  const rows = await db
    .selectFrom('todos')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('participant_id', '=', participantId)
    .orderBy(sql`case status when 'open' then 0 else 1 end`)
    .orderBy(sql`case status when 'open' then due_at else null end`)
    .orderBy(severityRank)
    .orderBy('completed_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toTodo);
}

/** To-dos of some owners (or the whole organization), soonest due first, then most severe. */
export async function listTodos(
  db: Executor,
  q: { organizationId: string; ownerUserIds: readonly string[] | 'all'; status: TodoStatus; dueBy?: string | undefined; limit: number },
): Promise<TodoRecord[]> {
  if (q.ownerUserIds !== 'all' && q.ownerUserIds.length === 0) return [];
  let query = db.selectFrom('todos').selectAll().where('organization_id', '=', q.organizationId).where('status', '=', q.status);
  if (q.ownerUserIds !== 'all') query = query.where('owner_user_id', 'in', q.ownerUserIds);
  if (q.dueBy) query = query.where('due_on', '<=', q.dueBy);
  const rows = await query.orderBy('due_at').orderBy(severityRank).orderBy('id').limit(q.limit).execute();
  return rows.map(toTodo);
}

export interface TodoPatch {
  ownerUserId?: string;
  dueOn?: string;
  dueTime?: string | null;
  dueAt?: string;
  severity?: TodoSeverity;
  title?: string;
  note?: string | null;
  status?: TodoStatus;
  resolution?: string | null;
  completedAt?: string | null;
  completedBy?: string | null;
}

/** Apply a change to an open to-do if `version` still matches. */
export async function updateTodo(db: Executor, organizationId: string, id: string, version: number, p: TodoPatch, now: string): Promise<boolean> {
  const set: Updateable<Database['todos']> = {};
  if (p.ownerUserId !== undefined) set.owner_user_id = p.ownerUserId;
  if (p.dueOn !== undefined) set.due_on = p.dueOn;
  if (p.dueTime !== undefined) set.due_time = p.dueTime;
  if (p.dueAt !== undefined) set.due_at = p.dueAt;
  if (p.severity !== undefined) set.severity = p.severity;
  if (p.title !== undefined) set.title = p.title;
  if (p.note !== undefined) set.note = p.note;
  if (p.status !== undefined) set.status = p.status;
  if (p.resolution !== undefined) set.resolution = p.resolution;
  if (p.completedAt !== undefined) set.completed_at = p.completedAt;
  if (p.completedBy !== undefined) set.completed_by = p.completedBy;
  const res = await db
    .updateTable('todos')
    .set({ ...set, updated_at: now, version: sql<number>`version + 1` })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/**
 * Complete every open to-do of a participant that `condition` clears, in one statement; the ids
 * it completed. Runs in the caller's transaction.
 */
export async function clearOpenTodos(
  db: Executor,
  c: { organizationId: string; participantId: string; condition: TodoClearsOn; by: string; now: string },
): Promise<string[]> {
  const ids = (
    await db
      .selectFrom('todos')
      .select('id')
      .where('organization_id', '=', c.organizationId)
      .where('participant_id', '=', c.participantId)
      .where('status', '=', 'open')
      .where('clears_on', '=', c.condition)
      .execute()
  ).map((r) => r.id);
  if (ids.length === 0) return [];
  await db
    .updateTable('todos')
    .set({ status: 'done', resolution: c.condition, completed_at: c.now, completed_by: c.by, updated_at: c.now, version: sql<number>`version + 1` })
    .where('organization_id', '=', c.organizationId)
    .where('id', 'in', ids)
    .where('status', '=', 'open')
    .execute();
  return ids;
}

/**
 * Open to-dos per participant, in one grouped query (for the caseload): how many are open, and how
 * many of those are overdue at `now` (`due_at <= now`). Participants with none are absent.
 */
export async function openTodoCounts(
  db: Executor,
  organizationId: string,
  participantIds: readonly string[],
  now: Date = new Date(),
): Promise<Map<string, { open: number; overdue: number }>> {
  const out = new Map<string, { open: number; overdue: number }>();
  if (participantIds.length === 0) return out;
  const iso = now.toISOString();
  // Chunks keep the parameter list under SQLite's and PostgreSQL's limits at any caseload size.
  for (let i = 0; i < participantIds.length; i += 500) {
    const chunk = participantIds.slice(i, i + 500);
    const rows = await db
      .selectFrom('todos')
      .select((eb) => [
        'participant_id',
        eb.fn.countAll<number>().as('open'),
        eb.fn.sum<number>(sql`case when due_at <= ${iso} then 1 else 0 end`).as('overdue'),
      ])
      .where('organization_id', '=', organizationId)
      .where('participant_id', 'in', chunk)
      .where('status', '=', 'open')
      .groupBy('participant_id')
      .execute();
    for (const r of rows) if (r.participant_id) out.set(r.participant_id, { open: Number(r.open), overdue: Number(r.overdue) });
  }
  return out;
}

// ---- people, for to-do owners and the names shown beside rows

/** Display names of staff, by id (ids that name nobody are left out). */
export async function staffNames(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

/** The members of the teams a supervisor supervises (not including the supervisor). */
export async function teamMembersOf(db: Executor, organizationId: string, supervisorUserId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('team_members as tm')
    .innerJoin('teams as t', 't.id', 'tm.team_id')
    .select('tm.user_id')
    .distinct()
    .where('t.organization_id', '=', organizationId)
    .where('t.supervisor_user_id', '=', supervisorUserId)
    .execute();
  return rows.map((r) => r.user_id);
}

/** Display names of participants, by id (preferred or first name and last name, else the alias). */
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

/** The time zone of the site of a participant's most recently started open episode, if it has one. */
export async function openEpisodeSiteTimeZone(db: Executor, organizationId: string, participantId: string): Promise<string | null> {
  const r = await db
    .selectFrom('episodes as e')
    .innerJoin('sites as s', 's.id', 'e.site_id')
    .select('s.time_zone')
    .where('e.organization_id', '=', organizationId)
    .where('e.participant_id', '=', participantId)
    .where('e.status', '<>', 'discharged')
    .orderBy('e.start_date', 'desc')
    .orderBy('e.id', 'desc')
    .executeTakeFirst();
  return r?.time_zone ?? null;
}

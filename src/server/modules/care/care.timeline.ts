/**
 * The care module's timeline providers: the participant's intake, episodes (start, discharge, and
 * their reassign / transfer / status events), life events, and to-dos (added, closed). Each reads
 * its own table by an index range on (organization_id, participant_id …) and returns its newest
 * `limit` items strictly before the cursor, ordered by (at, id) descending — exactly, so pages
 * neither skip nor repeat an item.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { localDate } from '../../platform/time.js';
import { startOfLocalDay } from './local-time.js';
import { staffNames } from './care.repository.js';
import type { TimelineItem, TimelineProvider, TimelineQuery } from './timeline.types.js';

/** (at, id) descending: the timeline's one order. */
export const newestFirst = (a: Pick<TimelineItem, 'at' | 'id'>, b: Pick<TimelineItem, 'at' | 'id'>): number =>
  a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;

/** Strictly older than the cursor in the timeline's order. */
export const isBefore = (item: Pick<TimelineItem, 'at' | 'id'>, before: TimelineQuery['before']): boolean =>
  !before || item.at < before.at || (item.at === before.at && item.id < before.id);

/** Keep the items before the cursor, newest first, at most `limit`: for providers that build items in memory. */
export const newestBefore = (items: TimelineItem[], q: TimelineQuery): TimelineItem[] => items.filter((i) => isBefore(i, q.before)).sort(newestFirst).slice(0, q.limit);

/**
 * The SQL condition "item strictly before the cursor" for items whose id is `prefix + <column id>`
 * and whose `at` is a timestamp column. When the cursor's id has another prefix, the ids of every
 * item here compare with it the same way (the prefixes end in ':' and differ before it), so a tie
 * on `at` is either all in or all out; with the same prefix, the record id breaks the tie.
 */
export function beforeCursor(atColumn: string, idColumn: string, prefix: string, before: NonNullable<TimelineQuery['before']>): RawBuilder<SqlBool> {
  const at = sql.ref(atColumn);
  if (before.id.startsWith(prefix)) {
    return sql<SqlBool>`(${at} < ${before.at} or (${at} = ${before.at} and ${sql.ref(idColumn)} < ${before.id.slice(prefix.length)}))`;
  }
  return prefix < before.id.slice(0, prefix.length) ? sql<SqlBool>`${at} <= ${before.at}` : sql<SqlBool>`${at} < ${before.at}`;
}

const label = (s: string) => s.replaceAll('_', ' ');

// ---- intake

const intake: TimelineProvider = {
  name: 'participants',
  kinds: ['participant'],
  async items(db, q) {
    const p = await db
      .selectFrom('participants')
      .select(['id', 'created_at', 'created_by', 'intake_setting'])
      .where('organization_id', '=', q.organizationId)
      .where('id', '=', q.participantId)
      .executeTakeFirst();
    if (!p) return [];
    const names = await staffNames(db, [p.created_by]);
    const item: TimelineItem = {
      id: `participant.intake:${p.id}`,
      kind: 'participant.intake',
      at: p.created_at,
      dateOnly: false,
      summary: 'Intake',
      details: { intakeSetting: p.intake_setting, by: names.get(p.created_by) ?? null },
      link: null,
      actorUserId: p.created_by,
    };
    return newestBefore([item], q);
  },
};

// ---- episodes: start and discharge from the episode rows, the rest from episode_events

const episodes: TimelineProvider = {
  name: 'episodes',
  kinds: ['episode'],
  async items(db, q) {
    // A person has a handful of episodes: all of them (one index range), the items built here.
    const rows = await db
      .selectFrom('episodes as e')
      .innerJoin('programs as p', 'p.id', 'e.program_id')
      .innerJoin('sites as s', 's.id', 'e.site_id')
      .select(['e.id', 'e.start_date', 'e.discharge_date', 'e.discharge_reason', 'e.status', 'e.created_by', 'p.name as program_name', 's.name as site_name'])
      .where('e.organization_id', '=', q.organizationId)
      .where('e.participant_id', '=', q.participantId)
      .execute();
    if (rows.length === 0) return [];
    const items: TimelineItem[] = [];
    for (const e of rows) {
      items.push({
        id: `episode.started:${e.id}`,
        kind: 'episode.started',
        at: startOfLocalDay(e.start_date, q.timeZone).toISOString(),
        dateOnly: true,
        summary: `Enrolled in ${e.program_name} at ${e.site_name}`,
        details: { date: e.start_date, programName: e.program_name, siteName: e.site_name },
        link: null,
        actorUserId: e.created_by,
      });
      if (e.status === 'discharged' && e.discharge_date) {
        items.push({
          id: `episode.discharged:${e.id}`,
          kind: 'episode.discharged',
          at: startOfLocalDay(e.discharge_date, q.timeZone).toISOString(),
          dateOnly: true,
          summary: `Discharged from ${e.program_name}${e.discharge_reason ? ` (${label(e.discharge_reason)})` : ''}`,
          details: { date: e.discharge_date, programName: e.program_name, reason: e.discharge_reason },
          link: null,
          actorUserId: null,
        });
      }
    }
    const prefix = 'episode_event:';
    // Their events: by (organization_id, episode_id, occurred_at), newest `limit` before the cursor.
    // A discharge is the episode's own item above, so the status change to discharged is not repeated.
    let eventsQuery = db
      .selectFrom('episode_events')
      .select(['id', 'kind', 'from_value', 'to_value', 'actor_user_id', 'occurred_at'])
      .where('organization_id', '=', q.organizationId)
      .where(
        'episode_id',
        'in',
        rows.map((r) => r.id),
      )
      .where((eb) => eb.or([eb('kind', '<>', 'status'), eb('to_value', 'is', null), eb('to_value', '<>', 'discharged')]));
    const { before } = q;
    if (before) eventsQuery = eventsQuery.where(beforeCursor('occurred_at', 'id', prefix, before));
    const events = await eventsQuery.orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
    const staffIds = events.flatMap((ev) => [ev.actor_user_id, ...(ev.kind === 'reassign' ? [ev.from_value, ev.to_value] : [])]).filter((x): x is string => !!x);
    const siteIds = events.flatMap((ev) => (ev.kind === 'transfer' ? [ev.from_value, ev.to_value] : [])).filter((x): x is string => !!x);
    const names = await staffNames(db, staffIds);
    const sites = siteIds.length
      ? new Map((await db.selectFrom('sites').select(['id', 'name']).where('organization_id', '=', q.organizationId).where('id', 'in', siteIds).execute()).map((s) => [s.id, s.name]))
      : new Map<string, string>();
    const name = (m: Map<string, string>, id: string | null) => (id ? (m.get(id) ?? null) : null);
    for (const ev of events) {
      const by = names.get(ev.actor_user_id) ?? null;
      const base = { id: `${prefix}${ev.id}`, at: ev.occurred_at, dateOnly: false, link: null, actorUserId: ev.actor_user_id };
      if (ev.kind === 'reassign') {
        const to = name(names, ev.to_value);
        items.push({ ...base, kind: 'episode.reassigned', summary: `Assigned to ${to ?? 'another coach'}`, details: { fromCoachName: name(names, ev.from_value), toCoachName: to, by } });
      } else if (ev.kind === 'transfer') {
        const to = name(sites, ev.to_value);
        items.push({ ...base, kind: 'episode.transferred', summary: `Moved to ${to ?? 'another site'}`, details: { fromSiteName: name(sites, ev.from_value), toSiteName: to, by } });
      } else {
        items.push({ ...base, kind: 'episode.status', summary: `Status changed to ${label(ev.to_value ?? '')}`, details: { from: ev.from_value, to: ev.to_value, by } });
      }
    }
    return newestBefore(items, q);
  },
};

// ---- life events

/**
 * A life event is at its time when known, else at the start of its date in the organization's
 * time zone (a known time falls on its date there: the use case checks it). So every event dated
 * before the cursor's local date D is older than every event dated D, and events dated after D
 * are newer than the cursor: D's events are compared exactly, and the older ones come by date
 * (the newest `limit` of them and the whole of the last date reached, whose order within the day
 * is settled here).
 */
const lifeEvents: TimelineProvider = {
  name: 'life_events',
  kinds: ['life_event'],
  async items(db, q) {
    const base = db
      .selectFrom('life_events')
      .select(['id', 'kind', 'occurred_on', 'occurred_at', 'source', 'note', 'created_by'])
      .where('organization_id', '=', q.organizationId)
      .where('participant_id', '=', q.participantId);
    const cursorDay = q.before ? localDate(new Date(q.before.at), q.timeZone) : undefined;
    const sameDay = cursorDay ? await base.where('occurred_on', '=', cursorDay).execute() : [];
    const older = await (cursorDay ? base.where('occurred_on', '<', cursorDay) : base).orderBy('occurred_on', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
    const lastDay = older.length === q.limit ? older[older.length - 1]!.occurred_on : undefined;
    const boundary = lastDay ? await base.where('occurred_on', '=', lastDay).execute() : [];
    const rows = new Map([...sameDay, ...older, ...boundary].map((r) => [r.id, r]));
    const names = await staffNames(db, [...rows.values()].map((r) => r.created_by));
    const items = [...rows.values()].map(
      (r): TimelineItem => ({
        id: `life_event:${r.id}`,
        kind: `life_event.${r.kind}`,
        at: r.occurred_at ?? startOfLocalDay(r.occurred_on, q.timeZone).toISOString(),
        dateOnly: r.occurred_at === null,
        summary: `${label(r.kind).replace(/^./, (c) => c.toUpperCase())} (${label(r.source)})`,
        details: { lifeEventId: r.id, lifeEventKind: r.kind, date: r.occurred_on, source: r.source, hasNote: r.note !== null, by: names.get(r.created_by) ?? null },
        link: null,
        actorUserId: r.created_by,
      }),
    );
    return newestBefore(items, q);
  },
};

// ---- to-dos: added (at created_at) and closed (at completed_at)

const todos: TimelineProvider = {
  name: 'todos',
  kinds: ['todo'],
  async items(db, q) {
    const { before } = q;
    const base = db
      .selectFrom('todos')
      .select(['id', 'kind', 'due_on', 'due_time', 'severity', 'status', 'resolution', 'owner_user_id', 'created_by', 'created_at', 'completed_at', 'completed_by'])
      .where('organization_id', '=', q.organizationId)
      .where('participant_id', '=', q.participantId);
    const addedPrefix = 'todo.added:';
    const closedPrefix = 'todo.closed:';
    let added = base;
    if (before) added = added.where(beforeCursor('created_at', 'id', addedPrefix, before));
    let closed = base.where('status', '<>', 'open').where('completed_at', 'is not', null);
    if (before) closed = closed.where(beforeCursor('completed_at', 'id', closedPrefix, before));
    const [a, c] = await Promise.all([
      added.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute(),
      closed.orderBy('completed_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute(),
    ]);
    const names = await staffNames(db, [...a, ...c].flatMap((r) => [r.owner_user_id, r.created_by, r.completed_by ?? '']).filter(Boolean));
    const items: TimelineItem[] = [
      ...a.map(
        (r): TimelineItem => ({
          id: `${addedPrefix}${r.id}`,
          kind: 'todo.added',
          at: r.created_at,
          dateOnly: false,
          summary: `${label(r.kind).replace(/^./, (x) => x.toUpperCase())} added, due ${r.due_on}${r.due_time ? ` ${r.due_time}` : ''}`,
          details: { todoId: r.id, todoKind: r.kind, dueOn: r.due_on, dueTime: r.due_time, severity: r.severity, ownerName: names.get(r.owner_user_id) ?? null, by: names.get(r.created_by) ?? null },
          link: null,
          actorUserId: r.created_by,
        }),
      ),
      ...c.map(
        (r): TimelineItem => ({
          id: `${closedPrefix}${r.id}`,
          kind: r.status === 'done' ? 'todo.done' : 'todo.cancelled',
          at: r.completed_at!,
          dateOnly: false,
          summary: `${label(r.kind).replace(/^./, (x) => x.toUpperCase())} ${r.status === 'done' ? 'done' : 'cancelled'}`,
          details: { todoId: r.id, todoKind: r.kind, dueOn: r.due_on, resolution: r.resolution, by: r.completed_by ? (names.get(r.completed_by) ?? null) : null },
          link: null,
          actorUserId: r.completed_by,
        }),
      ),
    ];
    return newestBefore(items, q);
  },
};

export const careTimelineProviders: TimelineProvider[] = [intake, episodes, lifeEvents, todos];

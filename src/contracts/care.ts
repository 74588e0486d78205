/**
 * Life events, to-dos and the participant timeline: the shared care mechanisms later capabilities
 * plug into. Life events are things that happened in a person's life that the program should know
 * about (a return to use, an overdose, an ED visit…), recorded without judgement and with where the
 * fact came from. To-dos are the coach's work list (not FHIR Task). The timeline merges every
 * module's items at read time.
 */
import { z } from 'zod';
import { Id, Version } from './common.js';
import { IsoDate } from './participants.js';

const choose = <T extends readonly [string, ...string[]]>(values: T, what: string) => z.enum(values, { message: `Choose ${what} from the list` });
const Text = (max: number, what: string) => z.string().trim().min(1, `Enter ${what}`).max(max, `Use at most ${max} characters`);

// ---- life events

/** What happened. Add a kind here (and its words in the web's care i18n) to extend the list. */
export const LIFE_EVENT_KINDS = ['return_to_use', 'overdose', 'ed_visit', 'hospital_admission', 'incarceration', 'housing_change'] as const;
/** Where the fact came from: Lodestar is non-clinical, so a fact says who told us. */
export const LIFE_EVENT_SOURCES = ['participant_reported', 'staff_observed', 'clinician_verified', 'records'] as const;
export type LifeEventKind = (typeof LIFE_EVENT_KINDS)[number];
export type LifeEventSource = (typeof LIFE_EVENT_SOURCES)[number];

/** An instant with its offset, e.g. 2026-11-27T03:10:00Z or 2026-11-26T22:10:00-05:00 (stored in UTC). */
const Instant = z.iso.datetime({ offset: true, message: 'Enter a date and time like 2026-11-27T03:10:00Z' });

export const CreateLifeEventBody = z.object({
  kind: choose(LIFE_EVENT_KINDS, 'what happened'),
  /** The local date it happened (the organization's time zone); not in the future. */
  occurredOn: IsoDate,
  /** When it happened, if known; it must fall on `occurredOn` in the organization's time zone. */
  occurredAt: Instant.nullable().optional(),
  source: choose(LIFE_EVENT_SOURCES, 'where this came from'),
  note: Text(1000, 'a note, or leave it out').nullable().optional(),
});

export const UpdateLifeEventBody = z.object({
  version: Version,
  kind: choose(LIFE_EVENT_KINDS, 'what happened').optional(),
  occurredOn: IsoDate.optional(),
  occurredAt: Instant.nullable().optional(),
  source: choose(LIFE_EVENT_SOURCES, 'where this came from').optional(),
  note: Text(1000, 'a note, or leave it out').nullable().optional(),
});

export const LifeEvent = z.object({
  id: z.string(),
  participantId: z.string(),
  kind: z.enum(LIFE_EVENT_KINDS),
  occurredOn: z.string(),
  occurredAt: z.string().nullable(),
  source: z.enum(LIFE_EVENT_SOURCES),
  note: z.string().nullable(),
  createdBy: z.string(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
/** Newest first (by date, then time). */
export const LifeEventList = z.object({ lifeEvents: z.array(LifeEvent) });

// ---- to-dos

/** What a to-do is for. Only follow-ups are made over HTTP today; later modules create the others. */
/** `outreach`: a step of a post-overdose follow-up plan; `re_engagement`: trying again after someone became unreachable. */
export const TODO_KINDS = ['follow_up', 'outreach', 're_engagement', 'referral', 'plan_review', 'alert', 'insurance'] as const;
export const TODO_SEVERITIES = ['low', 'normal', 'high', 'urgent'] as const;
/** What clears an open to-do: a person (`manual`), or the first contact that reaches the participant. */
export const TODO_CLEARS_ON = ['manual', 'contact_reached'] as const;
export const TODO_STATUSES = ['open', 'done', 'cancelled'] as const;
export type TodoKind = (typeof TODO_KINDS)[number];
export type TodoSeverity = (typeof TODO_SEVERITIES)[number];
export type TodoClearsOn = (typeof TODO_CLEARS_ON)[number];
export type TodoStatus = (typeof TODO_STATUSES)[number];

/** A local time of day, 24-hour HH:MM. */
export const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Enter a time like 09:30 or 14:00');

/** A follow-up for a participant. */
export const CreateTodoBody = z.object({
  /** The local date it is due (the participant's site's time zone, else the organization's). */
  dueOn: IsoDate,
  /** An optional local time on that date; without one, it is due by the end of the day. */
  dueTime: LocalTime.nullable().optional(),
  severity: choose(TODO_SEVERITIES, 'how urgent it is').default('normal'),
  title: Text(200, 'what to do'),
  note: Text(2000, 'a note, or leave it out').nullable().optional(),
  /** Whose list it goes on: the caller by default; a supervisor may choose a coach of their team. */
  ownerUserId: Id.optional(),
  clearsOn: choose(TODO_CLEARS_ON, 'what clears it').default('manual'),
});

export const UpdateTodoBody = z.object({
  version: Version,
  dueOn: IsoDate.optional(),
  dueTime: LocalTime.nullable().optional(),
  severity: choose(TODO_SEVERITIES, 'how urgent it is').optional(),
  title: Text(200, 'what to do').optional(),
  note: Text(2000, 'a note, or leave it out').nullable().optional(),
  ownerUserId: Id.optional(),
  /** `done` completes it, `cancelled` drops it; a closed to-do cannot change again (409 todo.closed). */
  status: z.enum(['done', 'cancelled'], { message: 'Choose done or cancelled' }).optional(),
});

export const Todo = z.object({
  id: z.string(),
  kind: z.enum(TODO_KINDS),
  participantId: z.string().nullable(),
  /** The participant's display name, when the caller may see them (lists only). */
  participantName: z.string().nullable(),
  ownerUserId: z.string(),
  ownerName: z.string().nullable(),
  dueOn: z.string(),
  dueTime: z.string().nullable(),
  /** The instant it becomes overdue: the due time, or the start of the next local day. */
  dueAt: z.string(),
  /** Open and past `dueAt` at the time of the request. */
  overdue: z.boolean(),
  severity: z.enum(TODO_SEVERITIES),
  title: z.string(),
  note: z.string().nullable(),
  clearsOn: z.enum(TODO_CLEARS_ON),
  source: z.object({ type: z.string(), id: z.string().nullable() }).nullable(),
  status: z.enum(TODO_STATUSES),
  resolution: z.string().nullable(),
  completedAt: z.string().nullable(),
  completedBy: z.string().nullable(),
  createdBy: z.string(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const TodoList = z.object({
  todos: z.array(Todo),
  /** More matched than were returned (the first 200, soonest due). */
  truncated: z.boolean(),
});

/**
 * `GET /api/v1/todos`: `owner=me` (default) is the caller's list; `owner=team` is a supervisor's
 * team (every member of a team they supervise, and themselves) or, for a program manager, the
 * whole organization. Sorted by when they fall due, then the most severe first.
 */
export const TodoListQuery = z.object({
  owner: z.enum(['me', 'team'], { message: 'Choose me or team' }).default('me'),
  status: z.enum(TODO_STATUSES, { message: 'Choose open, done or cancelled' }).default('open'),
  /** Only those due on or before this local date. */
  dueBy: IsoDate.optional(),
});

// ---- timeline

/** The opaque paging cursor: base64url of `<at>\n<id>` of the last item of a page. */
export function encodeTimelineCursor(c: { at: string; id: string }): string {
  return btoa(`${c.at}\n${c.id}`).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export function decodeTimelineCursor(cursor: string): { at: string; id: string } | undefined {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) return undefined;
  let text: string;
  try {
    text = atob(cursor.replaceAll('-', '+').replaceAll('_', '/'));
  } catch {
    return undefined;
  }
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\n([^\n:]{1,60}:[^\n]{1,100})$/.exec(text);
  if (!m || Number.isNaN(Date.parse(m[1]!))) return undefined;
  return { at: m[1]!, id: m[2]! };
}

/** A kind family (`life_event`) or an exact kind (`life_event.overdose`). */
const KindPattern = /^[a-z_]+(\.[a-z_]+)?$/;

export const TimelineQuery = z.object({
  /** The `nextCursor` of the page before; absent: the newest items. */
  before: z
    .string()
    .max(400)
    .refine((c) => decodeTimelineCursor(c) !== undefined, 'Use the nextCursor of the previous page')
    .optional(),
  limit: z.coerce.number({ message: 'Enter a number from 1 to 100' }).int('Enter a whole number').min(1, 'Enter a number from 1 to 100').max(100, 'Enter a number from 1 to 100').default(30),
  /** Comma-separated kinds or kind families, e.g. `life_event,todo`. */
  kinds: z
    .string()
    .max(500)
    .refine((k) => k.split(',').every((x) => KindPattern.test(x)), 'List kinds separated by commas, like life_event,todo')
    .optional(),
});

export const TimelineItem = z.object({
  id: z.string(),
  kind: z.string(),
  at: z.string(),
  dateOnly: z.boolean(),
  summary: z.string(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  link: z.string().nullable(),
  actorUserId: z.string().nullable(),
});
export const TimelinePage = z.object({
  /** Newest first, by (at, id). */
  items: z.array(TimelineItem),
  /** Pass as `before` for the next (older) page; null when there is nothing older. */
  nextCursor: z.string().nullable(),
});

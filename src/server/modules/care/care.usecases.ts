/**
 * Rules for life events, to-dos and the timeline. Everything about a participant first passes
 * `requireParticipant` (another organization's: 404; outside the caller's scope: 403). Reads of
 * participant data are audited with ids only; writes are audited in their transaction.
 *
 * Dates people see are local: a life event's date in the organization's time zone; a to-do's due
 * date (and optional time) in the time zone of the participant's site (their open episode's), else
 * the organization's. A to-do's `due_at` is the instant it becomes overdue: its due time, or the
 * start of the day after its due date.
 */
import type { z } from 'zod';
import type { CreateLifeEventBody, CreateTodoBody, TodoClearsOn, TodoKind, TodoListQuery, TodoSeverity, UpdateLifeEventBody, UpdateTodoBody } from '../../../contracts/care.js';
import { decodeTimelineCursor, encodeTimelineCursor } from '../../../contracts/care.js';
import type { Ctx } from '../../platform/http/context.js';
import { AppError, errors } from '../../platform/errors.js';
import { localDate } from '../../platform/time.js';
import { findUserById, rolesIn } from '../users/users.repository.js';
import { idsInScope } from '../participants/participants.repository.js';
import { requireParticipant, requireParticipantAccess, scopeOf } from '../participants/participants.access.js';
import { TIMELINE_PROVIDERS } from '../../timeline.js';
import * as repo from './care.repository.js';
import { presentLifeEvent, presentTodo, type TodoView } from './care.presenters.js';
import { nextDate, startOfLocalDay, zonedToUtc } from './local-time.js';
import { readTimeline } from './timeline.read.js';
import { createFollowUpPlan, lifeEventAnchor } from '../ed/follow-up-plan.js';
import { advanceEdVisit, organizationZone, refreshContactSummary } from '../encounters/contact-summary.js';
import type { TimelineItem } from './timeline.types.js';

const organizationTimeZone = (ctx: Ctx): Promise<string> => organizationZone(ctx.db, ctx.actor.organizationId);

// ---- life events

async function checkLifeEventDates(ctx: Ctx, v: { occurredOn: string; occurredAt: string | null }, fields: { on: boolean; at: boolean }): Promise<void> {
  const tz = await organizationTimeZone(ctx);
  const now = ctx.clock.now();
  if (v.occurredOn > localDate(now, tz)) throw errors.invalid(fields.on ? 'occurredOn' : 'occurredAt', 'Enter a date that is today or in the past');
  if (v.occurredAt) {
    if (v.occurredAt > now.toISOString()) throw errors.invalid('occurredAt', 'Enter a time that has already passed');
    // The timeline orders an event by its time when known, else by its date: the two must agree.
    if (localDate(new Date(v.occurredAt), tz) !== v.occurredOn) {
      throw errors.invalid(fields.at ? 'occurredAt' : 'occurredOn', 'Enter a time on the date it happened, or leave the time out');
    }
  }
}

const toUtc = (instant: string | null | undefined): string | null | undefined => (instant ? new Date(instant).toISOString() : instant);

/** `opts.followUpPlan: false`: the caller makes the plan itself (the ED bedside flow, on completion). */
export async function createLifeEvent(ctx: Ctx, participantId: string, input: z.output<typeof CreateLifeEventBody>, opts: { followUpPlan?: boolean } = {}): Promise<repo.LifeEventRecord> {
  await requireParticipant(ctx, participantId);
  const values: repo.LifeEventValues = {
    kind: input.kind,
    occurredOn: input.occurredOn,
    occurredAt: toUtc(input.occurredAt) ?? null,
    source: input.source,
    note: input.note ?? null,
  };
  await checkLifeEventDates(ctx, values, { on: true, at: true });
  const id = await repo.insertLifeEvent(ctx.db, { ...values, organizationId: ctx.actor.organizationId, participantId, createdBy: ctx.actor.userId, now: ctx.clock.now().toISOString() });
  await ctx.audit({ action: 'life_event.create', targetType: 'life_event', targetIds: [id, participantId], details: { kind: values.kind } });
  if (values.kind === 'ed_visit') await advanceEdVisit(ctx.db, ctx.actor.organizationId, participantId, values.occurredOn, await organizationTimeZone(ctx));
  // An overdose or ED visit starts the post-overdose follow-up plan again.
  if ((values.kind === 'overdose' || values.kind === 'ed_visit') && opts.followUpPlan !== false) {
    await createFollowUpPlan(ctx, { participantId, anchorAt: lifeEventAnchor(values, await organizationTimeZone(ctx)), source: { type: 'life_event', id } });
  }
  return (await repo.findLifeEvent(ctx.db, ctx.actor.organizationId, id))!;
}

export async function listLifeEvents(ctx: Ctx, participantId: string): Promise<repo.LifeEventRecord[]> {
  const { grantId } = await requireParticipantAccess(ctx, participantId);
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [participantId], details: { part: 'life_events', ...(grantId && { breakGlassGrantId: grantId }) } });
  return repo.listLifeEvents(ctx.db, ctx.actor.organizationId, participantId);
}

/** A life event the caller may see (404 for another organization's, the participant's gate otherwise). */
export async function requireLifeEvent(ctx: Ctx, id: string): Promise<repo.LifeEventRecord> {
  const e = await repo.findLifeEvent(ctx.db, ctx.actor.organizationId, id);
  if (!e) throw errors.notFound('life event');
  await requireParticipant(ctx, e.participantId);
  return e;
}

export async function updateLifeEvent(ctx: Ctx, id: string, input: z.output<typeof UpdateLifeEventBody>): Promise<repo.LifeEventRecord> {
  const current = await requireLifeEvent(ctx, id);
  const { version, ...rest } = input;
  const patch = Object.fromEntries(Object.entries({ ...rest, occurredAt: toUtc(rest.occurredAt) }).filter(([, v]) => v !== undefined)) as Partial<repo.LifeEventValues>;
  const merged = { ...current, ...patch };
  if (patch.occurredOn !== undefined || patch.occurredAt !== undefined) {
    await checkLifeEventDates(ctx, merged, { on: patch.occurredOn !== undefined, at: patch.occurredAt !== undefined });
  }
  if (!(await repo.updateLifeEvent(ctx.db, ctx.actor.organizationId, id, version, patch, ctx.clock.now().toISOString()))) {
    const now = (await repo.findLifeEvent(ctx.db, ctx.actor.organizationId, id))!;
    throw errors.conflict(presentLifeEvent(now), now.version);
  }
  await ctx.audit({ action: 'life_event.update', targetType: 'life_event', targetIds: [id, current.participantId], details: { fields: Object.keys(patch) } });
  if ((current.kind === 'ed_visit' || merged.kind === 'ed_visit') && (merged.kind !== current.kind || merged.occurredOn !== current.occurredOn)) {
    await refreshContactSummary(ctx.db, ctx.actor.organizationId, current.participantId, await organizationTimeZone(ctx));
  }
  return (await repo.findLifeEvent(ctx.db, ctx.actor.organizationId, id))!;
}

// ---- to-dos

/** The time zone a participant's to-dos are due in: their open episode's site's, else the organization's. */
async function todoTimeZone(ctx: Ctx, participantId: string | null): Promise<string> {
  const site = participantId ? await repo.openEpisodeSiteTimeZone(ctx.db, ctx.actor.organizationId, participantId) : null;
  return site ?? (await organizationTimeZone(ctx));
}

/** The instant a to-do falls due (see the file comment). */
export function dueInstant(dueOn: string, dueTime: string | null, timeZone: string): string {
  return (dueTime ? zonedToUtc(dueOn, dueTime, timeZone) : startOfLocalDay(nextDate(dueOn), timeZone)).toISOString();
}

const isProgramManager = (ctx: Ctx) => ctx.actor.roles.includes('program_manager');

/** Does the caller supervise a team `userId` is a member of? */
async function supervises(ctx: Ctx, userId: string): Promise<boolean> {
  if (!ctx.actor.roles.includes('supervisor')) return false;
  return (await repo.teamMembersOf(ctx.db, ctx.actor.organizationId, ctx.actor.userId)).includes(userId);
}

/**
 * Putting a to-do on someone else's list: a program manager may choose anyone who can carry one,
 * a supervisor a member of a team they supervise. The owner must be an active coach or
 * supervisor of this organization. (Anyone holding todos.manage may keep a to-do for themselves.)
 */
async function requireAssignable(ctx: Ctx, ownerUserId: string): Promise<void> {
  if (ownerUserId === ctx.actor.userId) return;
  const roles = await rolesIn(ctx.db, ownerUserId, ctx.actor.organizationId);
  if (!roles.includes('coach') && !roles.includes('supervisor')) throw errors.invalid('ownerUserId', 'Choose a coach or supervisor of this organization');
  if ((await findUserById(ctx.db, ownerUserId))?.status !== 'active') throw errors.invalid('ownerUserId', 'This person’s account is disabled. Choose someone active');
  if (!isProgramManager(ctx) && !(await supervises(ctx, ownerUserId))) {
    throw errors.invalid('ownerUserId', 'You can give a to-do only to yourself or to a member of a team you supervise');
  }
}

/** May the caller change this to-do? Its owner, a supervisor of the owner's team, a program manager. */
async function mayManage(ctx: Ctx, t: repo.TodoRecord): Promise<boolean> {
  return t.ownerUserId === ctx.actor.userId || isProgramManager(ctx) || (await supervises(ctx, t.ownerUserId));
}

const forbiddenTodo = () => new AppError('auth.forbidden', 'This to-do is on someone else’s list. Ask them or their supervisor to change it.');
const closedTodo = () => new AppError('todo.closed', 'This to-do is already closed. Add a new one if there is more to do.');

async function viewsOf(ctx: Ctx, todos: repo.TodoRecord[], visibleParticipants?: ReadonlySet<string>): Promise<TodoView[]> {
  const owners = await repo.staffNames(ctx.db, todos.map((t) => t.ownerUserId));
  const pids = todos.map((t) => t.participantId).filter((p): p is string => !!p && (!visibleParticipants || visibleParticipants.has(p)));
  const names = await repo.participantNames(ctx.db, ctx.actor.organizationId, pids);
  return todos.map((todo) => ({ todo, ownerName: owners.get(todo.ownerUserId) ?? null, participantName: todo.participantId ? (names.get(todo.participantId) ?? null) : null }));
}

const viewOf = async (ctx: Ctx, t: repo.TodoRecord): Promise<TodoView> => (await viewsOf(ctx, [t]))[0]!;

export interface NewTodoInput {
  participantId: string | null;
  kind: TodoKind;
  ownerUserId: string;
  dueOn: string;
  dueTime: string | null;
  severity: TodoSeverity;
  title: string;
  note: string | null;
  clearsOn: TodoClearsOn;
  /** What made it (e.g. `{ type: 'encounter', id }`), or null when a person added it. */
  source: { type: string; id: string | null } | null;
}

/**
 * Put a to-do on a list, in the caller's transaction, audited. For other modules (an ED visit's
 * follow-up schedule, a referral…): the caller has already checked access to the participant.
 */
export async function addTodo(ctx: Ctx, t: NewTodoInput): Promise<repo.TodoRecord> {
  const tz = await todoTimeZone(ctx, t.participantId);
  const id = await repo.insertTodo(ctx.db, {
    ...t,
    organizationId: ctx.actor.organizationId,
    dueAt: dueInstant(t.dueOn, t.dueTime, tz),
    sourceType: t.source?.type ?? null,
    sourceId: t.source?.id ?? null,
    createdBy: ctx.actor.userId,
    now: ctx.clock.now().toISOString(),
  });
  await ctx.audit({ action: 'todo.create', targetType: 'todo', targetIds: t.participantId ? [id, t.participantId] : [id], details: { kind: t.kind } });
  return (await repo.findTodo(ctx.db, ctx.actor.organizationId, id))!;
}

/** `POST /participants/:id/todos`: a follow-up, on the caller's list unless they assign it. */
export async function createFollowUp(ctx: Ctx, participantId: string, input: z.output<typeof CreateTodoBody>): Promise<TodoView> {
  await requireParticipant(ctx, participantId);
  const ownerUserId = input.ownerUserId ?? ctx.actor.userId;
  await requireAssignable(ctx, ownerUserId);
  const dueTime = input.dueTime ?? null;
  if (input.dueOn < localDate(ctx.clock.now(), await todoTimeZone(ctx, participantId))) throw errors.invalid('dueOn', 'Enter a due date that is today or later');
  const todo = await addTodo(ctx, {
    participantId,
    kind: 'follow_up',
    ownerUserId,
    dueOn: input.dueOn,
    dueTime,
    severity: input.severity,
    title: input.title,
    note: input.note ?? null,
    clearsOn: input.clearsOn,
    source: null,
  });
  return viewOf(ctx, todo);
}

/** A participant's to-dos (open first), whoever's list they are on. */
export async function listParticipantTodos(ctx: Ctx, participantId: string): Promise<TodoView[]> {
  const { grantId } = await requireParticipantAccess(ctx, participantId);
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [participantId], details: { part: 'todos', ...(grantId && { breakGlassGrantId: grantId }) } });
  return viewsOf(ctx, await repo.listParticipantTodos(ctx.db, ctx.actor.organizationId, participantId, 200));
}

export const TODO_LIST_LIMIT = 200;

/** The caller's list, or their team's (supervisors) or the organization's (program managers). */
export async function listTodos(ctx: Ctx, q: z.output<typeof TodoListQuery>): Promise<{ views: TodoView[]; truncated: boolean }> {
  let owners: readonly string[] | 'all' = [ctx.actor.userId];
  if (q.owner === 'team') {
    if (isProgramManager(ctx)) owners = 'all';
    else if (ctx.actor.roles.includes('supervisor')) owners = [ctx.actor.userId, ...(await repo.teamMembersOf(ctx.db, ctx.actor.organizationId, ctx.actor.userId))];
    else throw new AppError('auth.forbidden', 'Only supervisors and program managers can see a team’s to-dos.');
  }
  const rows = await repo.listTodos(ctx.db, { organizationId: ctx.actor.organizationId, ownerUserIds: owners, status: q.status, dueBy: q.dueBy, limit: TODO_LIST_LIMIT + 1 });
  const todos = rows.slice(0, TODO_LIST_LIMIT);
  const participantIds = [...new Set(todos.map((t) => t.participantId).filter((p): p is string => !!p))];
  // Names only of people the caller may see (owners see their people; a supervisor's team's
  // people are theirs too, unless since discharged or moved).
  const visible = await idsInScope(ctx.db, scopeOf(ctx), participantIds);
  if (participantIds.length) await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: participantIds, details: { part: 'todos', owner: q.owner } });
  return { views: await viewsOf(ctx, todos, visible), truncated: rows.length > TODO_LIST_LIMIT };
}

/** A to-do the caller may change (404: another organization's; 403: someone else's list, or a participant out of scope). */
async function requireManagedTodo(ctx: Ctx, id: string): Promise<repo.TodoRecord> {
  const t = await repo.findTodo(ctx.db, ctx.actor.organizationId, id);
  if (!t) throw errors.notFound('to-do');
  if (!(await mayManage(ctx, t))) {
    ctx.auditDenied({ action: 'todo.update', targetType: 'todo', targetIds: t.participantId ? [id, t.participantId] : [id], details: { reason: 'not_owner' } });
    throw forbiddenTodo();
  }
  if (t.participantId) await requireParticipant(ctx, t.participantId);
  return t;
}

export async function updateTodo(ctx: Ctx, id: string, input: z.output<typeof UpdateTodoBody>): Promise<TodoView> {
  const current = await requireManagedTodo(ctx, id);
  if (current.status !== 'open') throw closedTodo();
  const now = ctx.clock.now();
  const patch: repo.TodoPatch = {};
  if (input.ownerUserId !== undefined && input.ownerUserId !== current.ownerUserId) {
    await requireAssignable(ctx, input.ownerUserId);
    patch.ownerUserId = input.ownerUserId;
  }
  if (input.severity !== undefined) patch.severity = input.severity;
  if (input.title !== undefined) patch.title = input.title;
  if (input.note !== undefined) patch.note = input.note;
  if (input.dueOn !== undefined || input.dueTime !== undefined) {
    const tz = await todoTimeZone(ctx, current.participantId);
    const dueOn = input.dueOn ?? current.dueOn;
    const dueTime = input.dueTime === undefined ? current.dueTime : input.dueTime;
    if (input.dueOn !== undefined && input.dueOn !== current.dueOn && dueOn < localDate(now, tz)) throw errors.invalid('dueOn', 'Enter a due date that is today or later');
    Object.assign(patch, { dueOn, dueTime, dueAt: dueInstant(dueOn, dueTime, tz) });
  }
  if (input.status !== undefined) {
    Object.assign(patch, { status: input.status, resolution: input.status === 'done' ? 'manual' : 'cancelled', completedAt: now.toISOString(), completedBy: ctx.actor.userId });
  }
  if (!(await repo.updateTodo(ctx.db, ctx.actor.organizationId, id, input.version, patch, now.toISOString()))) {
    const latest = (await repo.findTodo(ctx.db, ctx.actor.organizationId, id))!;
    if (latest.status !== 'open') throw closedTodo();
    throw errors.conflict(presentTodo(await viewOf(ctx, latest), now), latest.version);
  }
  await ctx.audit({
    action: 'todo.update',
    targetType: 'todo',
    targetIds: current.participantId ? [id, current.participantId] : [id],
    details: { fields: Object.keys(patch), ...(input.status && { status: input.status }) },
  });
  return viewOf(ctx, (await repo.findTodo(ctx.db, ctx.actor.organizationId, id))!);
}

/**
 * Complete the participant's open to-dos that `condition` clears (e.g. a contact that reached
 * them clears `contact_reached` follow-ups), with resolution = the condition. For other modules,
 * inside their write: the caller has already checked access to the participant. The ids cleared.
 */
export async function clearTodos(ctx: Ctx, c: { participantId: string; condition: Exclude<TodoClearsOn, 'manual'> }): Promise<string[]> {
  const ids = await repo.clearOpenTodos(ctx.db, {
    organizationId: ctx.actor.organizationId,
    participantId: c.participantId,
    condition: c.condition,
    by: ctx.actor.userId,
    now: ctx.clock.now().toISOString(),
  });
  if (ids.length) await ctx.audit({ action: 'todo.clear', targetType: 'todo', targetIds: [...ids, c.participantId], details: { condition: c.condition, count: ids.length } });
  return ids;
}

// ---- timeline

/** A page of the participant's timeline, newest first, and the cursor of the next (older) page. */
export async function participantTimeline(
  ctx: Ctx,
  participantId: string,
  q: { before?: string | undefined; limit: number; kinds?: string | undefined },
): Promise<{ items: TimelineItem[]; nextCursor: string | null }> {
  const before = q.before === undefined ? undefined : decodeTimelineCursor(q.before);
  if (q.before !== undefined && !before) throw errors.invalid('query.before', 'Use the nextCursor of the previous page');
  const { grantId } = await requireParticipantAccess(ctx, participantId);
  const kinds = q.kinds ? [...new Set(q.kinds.split(','))] : undefined;
  const items = await readTimeline(
    ctx.db,
    TIMELINE_PROVIDERS,
    { organizationId: ctx.actor.organizationId, participantId, timeZone: await organizationTimeZone(ctx), before, limit: q.limit + 1 },
    kinds,
  );
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [participantId], details: { part: 'timeline', ...(grantId && { breakGlassGrantId: grantId }) } });
  const page = items.slice(0, q.limit);
  const last = page[page.length - 1];
  return { items: page, nextCursor: items.length > q.limit && last ? encodeTimelineCursor(last) : null };
}

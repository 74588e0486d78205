/**
 * The post-overdose follow-up plan: outreach to-dos at the program's schedule after an ED
 * encounter, overdose or ED visit.
 *
 * - The schedule is the program's `follow_up_schedule` (hours after the anchor) for the
 *   participant's open episode, else DEFAULT_FOLLOW_UP_SCHEDULE (24 h, 72 h, 7, 14, 30 days).
 * - Each step is an `outreach` to-do on the assigned coach's list (else the caller's), `high`
 *   for the first two steps, cleared by hand (`manual`): each step stays open until the
 *   encounter that answers it (linked by its todoId) closes it, so one contact never wipes the
 *   whole plan.
 * - Each step is due at anchor + offset moved INTO the participant's contact window (local
 *   HH:MM, default 09:00–19:00) in the time zone of their site, else the organization's: before
 *   the window that day → the window's start; at or after its end → the next day's start. A
 *   window that wraps midnight (22:00–06:00) works the same way. Daylight-saving safe: local
 *   dates and times are turned into instants by care/local-time.ts.
 * - Steps already in the past (a life event recorded late) are not made one by one: they become
 *   one step due now (moved into the window), titled after the latest of them.
 * - No plan for someone who has not agreed to be contacted (no participation consent in force)
 *   or who asked not to be contacted (do not contact): outreach would go against their word.
 *   The caller learns it from the empty list.
 */
import { DEFAULT_CONTACT_WINDOW, DEFAULT_FOLLOW_UP_SCHEDULE } from '../../../contracts/ed.js';
import type { Ctx } from '../../platform/http/context.js';
import { localDate } from '../../platform/time.js';
import { listConsents } from '../consents/consents.repository.js';
import { consentStatus } from '../consents/consents.words.js';
import { requireParticipant } from '../participants/participants.access.js';
import { addTodo } from '../care/care.usecases.js';
import { findLifeEvent } from '../care/care.repository.js';
import { nextDate, offsetAt, zonedToUtc } from '../care/local-time.js';
import * as repo from './ed.repository.js';

export interface FollowUpPlanInput {
  participantId: string;
  /** The instant the schedule counts from (the bedside encounter's end, or the event). */
  anchorAt: string;
  /** What started it. */
  source: { type: 'ed_visit' | 'life_event'; id: string };
}

const HOUR = 3_600_000;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The local date and HH:MM of an instant in a time zone. */
export function localDateTime(instant: Date, timeZone: string): { date: string; time: string } {
  const ms = instant.getTime();
  const wall = new Date(ms + offsetAt(ms, timeZone)).toISOString();
  return { date: wall.slice(0, 10), time: wall.slice(11, 16) };
}

/** The program's schedule, if it is a usable list of positive hours; else the default. */
export function scheduleOf(stored: string | null): number[] {
  if (stored) {
    try {
      const parsed: unknown = JSON.parse(stored);
      if (Array.isArray(parsed) && parsed.length && parsed.every((h) => typeof h === 'number' && Number.isFinite(h) && h > 0)) {
        return [...(parsed as number[])].sort((a, b) => a - b);
      }
    } catch {
      // fall through to the default
    }
  }
  return [...DEFAULT_FOLLOW_UP_SCHEDULE];
}

/**
 * The local date and time a step falls due: `instant` moved into the window (see the file
 * comment). Pure: the rule tests call it directly.
 */
export function intoContactWindow(instant: Date, timeZone: string, window: { start: string; end: string }): { date: string; time: string } {
  const { date, time } = localDateTime(instant, timeZone);
  const { start, end } = window;
  if (start === end) return { date, time }; // a window of the whole day
  if (start < end) {
    if (time < start) return { date, time: start };
    if (time >= end) return { date: nextDate(date), time: start };
    return { date, time };
  }
  // Wraps midnight: open from `start` to midnight and from midnight to `end`.
  if (time >= end && time < start) return { date, time: start };
  return { date, time };
}

/** "24 hours", "3 days"… for the to-do's title. */
function offsetLabel(hours: number): string {
  if (hours <= 72 || hours % 24 !== 0) return hours === 1 ? '1 hour' : `${hours} hours`;
  return `${hours / 24} days`;
}

async function sourceLabel(ctx: Ctx, source: FollowUpPlanInput['source']): Promise<string> {
  if (source.type === 'ed_visit') return 'the ED visit';
  const event = await findLifeEvent(ctx.db, ctx.actor.organizationId, source.id);
  return event?.kind === 'overdose' ? 'the overdose' : 'the ED visit';
}

/** Creates the plan's outreach to-dos; returns their ids. */
export async function createFollowUpPlan(ctx: Ctx, input: FollowUpPlanInput): Promise<string[]> {
  await requireParticipant(ctx, input.participantId);
  const facts = await repo.followUpFacts(ctx.db, ctx.actor.organizationId, input.participantId);
  const timeZone = facts.siteTimeZone ?? facts.organizationTimeZone;
  if (facts.doNotContact) return [];
  const today = localDate(ctx.clock.now(), facts.organizationTimeZone);
  const participation = await listConsents(ctx.db, ctx.actor.organizationId, input.participantId, ['participation']);
  if (!participation.some((c) => consentStatus(c, today) === 'active')) return [];
  const window = {
    start: facts.contactWindowStart && HHMM.test(facts.contactWindowStart) ? facts.contactWindowStart : DEFAULT_CONTACT_WINDOW.start,
    end: facts.contactWindowEnd && HHMM.test(facts.contactWindowEnd) ? facts.contactWindowEnd : DEFAULT_CONTACT_WINDOW.end,
  };
  const owner =
    facts.assignedCoachUserId && (await repo.canCarryTodos(ctx.db, ctx.actor.organizationId, facts.assignedCoachUserId)) ? facts.assignedCoachUserId : ctx.actor.userId;
  const anchor = Date.parse(input.anchorAt);
  const now = ctx.clock.now().getTime();
  const what = await sourceLabel(ctx, input.source);

  // Steps already past collapse into one due now, named after the latest of them.
  const offsets = scheduleOf(facts.followUpSchedule);
  const past = offsets.filter((h) => anchor + h * HOUR <= now);
  const steps = [...(past.length ? [{ hours: past[past.length - 1]!, at: now }] : []), ...offsets.filter((h) => anchor + h * HOUR > now).map((h) => ({ hours: h, at: anchor + h * HOUR }))];

  const ids: string[] = [];
  for (const [i, step] of steps.entries()) {
    const due = intoContactWindow(new Date(step.at), timeZone, window);
    const todo = await addTodo(ctx, {
      participantId: input.participantId,
      kind: 'outreach',
      ownerUserId: owner,
      dueOn: due.date,
      dueTime: due.time,
      severity: i < 2 ? 'high' : 'normal',
      title: `Reach out: ${offsetLabel(step.hours)} after ${what}`,
      note: null,
      clearsOn: 'manual',
      source: input.source,
    });
    ids.push(todo.id);
  }
  await ctx.audit({
    action: 'follow_up_plan.create',
    targetType: 'participant',
    targetIds: [input.participantId],
    details: { sourceType: input.source.type, sourceId: input.source.id, steps: ids.length },
  });
  return ids;
}

/** The anchor of a life event's plan: its time, else local noon of its date. */
export const lifeEventAnchor = (e: { occurredOn: string; occurredAt: string | null }, timeZone: string): string =>
  e.occurredAt ?? zonedToUtc(e.occurredOn, '12:00', timeZone).toISOString();

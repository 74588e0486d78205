/**
 * Check-ins, their alerts, and milestones (issue 6).
 *
 * Recording a check-in may raise alerts: cravings at or above the alert level of the participant's
 * program (the program of their newest open episode; `CRAVINGS_ALERT_THRESHOLD`, 7, without one),
 * MOUD not taken as planned at this check-in and the one before, use or an overdose since the last
 * check-in. A saved BARC-10 response 10 points or more below the previous total raises one too
 * (`barc10Saved`, called by questionnaires). Each alert is ONE to-do of kind `alert` on the
 * participant's coach's list (the caller's when no coach is assigned), due today, that clears
 * when a contact that reached the person is logged (`contact_reached`). An overdose reported is
 * only flagged: no life event is created from it.
 *
 * Milestones: the automatic series from the recovery start date and from the earliest MOUD start
 * (see `milestoneSeries`), and custom ones; a celebration is logged once per milestone.
 */
import type { z } from 'zod';
import { BARC10_SHARP_DROP } from '../../../contracts/questionnaires.js';
import {
  CRAVINGS_ALERT_THRESHOLD,
  milestoneSeries,
  plusMonths,
  seriesStep,
  type CelebrateMilestoneBody,
  type CheckIn,
  type CheckInAlertReason,
  type CheckInTrend,
  type CreateCheckInBody,
  type CreatedCelebration,
  type CreatedCheckIn,
  type CreatedMilestone,
  type CreateMilestoneBody,
  type Milestone,
  type MilestoneList,
} from '../../../contracts/checkins.js';
import type { Ctx } from '../../platform/http/context.js';
import { errors } from '../../platform/errors.js';
import { localDate } from '../../platform/time.js';
import { requireParticipant, requireParticipantAccess } from '../participants/participants.access.js';
import { organizationTimeZone } from '../directory/directory.repository.js';
import { addTodo } from '../care/care.usecases.js';
import * as repo from './checkins.repository.js';

const org = (ctx: Ctx) => ctx.actor.organizationId;
const today = async (ctx: Ctx) => localDate(ctx.clock.now(), await organizationTimeZone(ctx.db, org(ctx)));

const presentCheckIn = (c: repo.CheckInRecord): z.infer<typeof CheckIn> => ({ ...c });

// ---- alerts

/** The alerts a check-in raises, given the one before it and the program's cravings alert level (pure). */
export function checkInAlerts(
  c: Pick<repo.CheckInRecord, 'cravings' | 'moudTaken' | 'useSinceLast' | 'overdoseSinceLast'>,
  previous: Pick<repo.CheckInRecord, 'moudTaken'> | undefined,
  cravingsThreshold: number,
): CheckInAlertReason[] {
  const out: CheckInAlertReason[] = [];
  if (c.cravings >= cravingsThreshold) out.push('high_cravings');
  if (c.moudTaken === 'no' && previous?.moudTaken === 'no') out.push('missed_moud_twice');
  if (c.useSinceLast) out.push('use_reported');
  if (c.overdoseSinceLast) out.push('overdose_reported');
  return out;
}

const REASON_WORDS: Record<CheckInAlertReason, (n: { cravings?: number; drop?: number }) => string> = {
  high_cravings: (n) => `cravings at ${n.cravings} of 10`,
  missed_moud_twice: () => 'medication not taken as planned at two check-ins in a row',
  use_reported: () => 'use since the last check-in',
  overdose_reported: () => 'an overdose since the last check-in',
  barc10_drop: (n) => `BARC-10 total down ${n.drop} points`,
};

/** One alert to-do for the reasons given, on the coach's list, due today, cleared by a contact that reaches the person. */
async function raiseAlert(ctx: Ctx, participantId: string, reasons: CheckInAlertReason[], source: { type: string; id: string }, n: { cravings?: number; drop?: number }): Promise<string> {
  const owner = (await repo.coachOf(ctx.db, org(ctx), participantId)) ?? ctx.actor.userId;
  const todo = await addTodo(ctx, {
    participantId,
    kind: 'alert',
    ownerUserId: owner,
    dueOn: await today(ctx),
    dueTime: null,
    severity: reasons.includes('overdose_reported') ? 'urgent' : 'high',
    title: `Reach out: ${reasons.map((r) => REASON_WORDS[r](n)).join('; ')}`.slice(0, 200),
    note: null,
    clearsOn: 'contact_reached',
    source,
  });
  return todo.id;
}

/**
 * Called when a BARC-10 response is saved (inside its write): an alert when its total is 10 or
 * more points below the previous response's. Returns the alert to-do's id, if one was raised.
 */
export async function barc10Saved(ctx: Ctx, participantId: string, responseId: string): Promise<string | undefined> {
  const { current, previous } = await repo.previousBarc10(ctx.db, org(ctx), participantId, responseId);
  if (current === null || previous === null || previous - current < BARC10_SHARP_DROP) return undefined;
  return raiseAlert(ctx, participantId, ['barc10_drop'], { type: 'questionnaire_response', id: responseId }, { drop: previous - current });
}

// ---- check-ins

export async function recordCheckIn(ctx: Ctx, participantId: string, input: z.output<typeof CreateCheckInBody>): Promise<z.infer<typeof CreatedCheckIn>> {
  await requireParticipant(ctx, participantId);
  return saveCheckIn(ctx, participantId, input, 'coach');
}

/** Store a check-in and raise its alerts (the caller has checked who may: the coach above, or a participant's one-time link). */
export async function saveCheckIn(ctx: Ctx, participantId: string, input: z.output<typeof CreateCheckInBody>, source: 'coach' | 'participant_link'): Promise<z.infer<typeof CreatedCheckIn>> {
  const now = ctx.clock.now();
  const day = await today(ctx);
  const checkedInOn = input.checkedInOn ?? day;
  if (checkedInOn > day) throw errors.invalid('checkedInOn', 'Enter a date that is today or in the past');
  const encounterId = input.encounterId ?? null;
  if (encounterId && !(await repo.encounterOf(ctx.db, org(ctx), participantId, encounterId))) throw errors.invalid('encounterId', 'Choose an encounter with this person');
  const previous = await repo.previousCheckIn(ctx.db, org(ctx), participantId, checkedInOn, now.toISOString());
  const threshold = (await repo.cravingsThresholdOf(ctx.db, org(ctx), participantId)) ?? CRAVINGS_ALERT_THRESHOLD;
  const alerts = checkInAlerts(input, previous, threshold);
  const id = await repo.insertCheckIn(ctx.db, {
    organizationId: org(ctx),
    participantId,
    encounterId,
    checkedInOn,
    mood: input.mood,
    cravings: input.cravings,
    moudTaken: input.moudTaken,
    useSinceLast: input.useSinceLast,
    overdoseSinceLast: input.overdoseSinceLast,
    goingWell: input.goingWell ?? null,
    needsToday: input.needsToday ?? null,
    alerts,
    cravingsAlertThreshold: threshold,
    source,
    createdBy: ctx.actor.userId,
    now: now.toISOString(),
  });
  const alertTodoId = alerts.length ? await raiseAlert(ctx, participantId, alerts, { type: 'check_in', id }, { cravings: input.cravings }) : null;
  await ctx.audit({
    action: 'check_in.create',
    targetType: 'check_in',
    targetIds: [id, participantId],
    details: { alerts: alerts.length, ...(alertTodoId && { todoId: alertTodoId }), ...(encounterId && { encounterId }) },
  });
  return { ...presentCheckIn((await repo.findCheckIn(ctx.db, org(ctx), id))!), alertTodoId };
}

export async function listCheckIns(ctx: Ctx, participantId: string): Promise<{ checkIns: z.infer<typeof CheckIn>[] }> {
  const { grantId } = await requireParticipantAccess(ctx, participantId);
  const rows = await repo.listCheckIns(ctx.db, org(ctx), participantId);
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [participantId], details: { part: 'check_ins', ...(grantId && { breakGlassGrantId: grantId }) } });
  return { checkIns: rows.map(presentCheckIn) };
}

/** Mood and cravings over time, oldest first. */
export async function checkInTrend(ctx: Ctx, participantId: string): Promise<z.infer<typeof CheckInTrend>> {
  const { grantId } = await requireParticipantAccess(ctx, participantId);
  const rows = (await repo.listCheckIns(ctx.db, org(ctx), participantId)).reverse();
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [participantId], details: { part: 'check_in_trend', ...(grantId && { breakGlassGrantId: grantId }) } });
  const last = rows.at(-1);
  return {
    points: rows.map((r) => ({ checkInId: r.id, checkedInOn: r.checkedInOn, mood: r.mood, cravings: r.cravings })),
    latest: last ? { checkedInOn: last.checkedInOn, mood: last.mood, cravings: last.cravings } : null,
  };
}

// ---- milestones

/** Upcoming milestones listed per series. */
const UPCOMING_PER_SERIES = 3;

export async function listMilestones(ctx: Ctx, participantId: string): Promise<z.infer<typeof MilestoneList>> {
  const { participant, grantId } = await requireParticipantAccess(ctx, participantId);
  const day = await today(ctx);
  const moudStart = (await repo.moudStartDates(ctx.db, org(ctx), [participantId])).get(participantId) ?? null;
  const custom = await repo.listMilestones(ctx.db, org(ctx), participantId);
  const celebrations = new Map((await repo.listCelebrations(ctx.db, org(ctx), participantId)).map((c) => [repo.celebrationKey(c.kind, c.anchor, c.milestoneOn), c]));
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [participantId], details: { part: 'milestones', ...(grantId && { breakGlassGrantId: grantId }) } });
  const celebrationOf = (kind: string, anchor: string, on: string) => {
    const c = celebrations.get(repo.celebrationKey(kind, anchor, on));
    return c ? { id: c.id, celebratedBy: c.celebratedBy, celebratedAt: c.celebratedAt, note: c.note } : null;
  };
  const all: z.infer<typeof Milestone>[] = [];
  const upcoming: z.infer<typeof Milestone>[] = [];
  for (const [kind, start] of [['recovery', participant.recoveryStartDate ?? null], ['moud', moudStart]] as const) {
    if (!start) continue;
    const steps = milestoneSeries(start, plusMonths(day, 24));
    for (const s of steps) {
      const m = { kind, anchor: s.anchor, customKind: null, label: null, on: s.on, celebration: celebrationOf(kind, s.anchor, s.on) };
      if (s.on <= day) all.push(m);
    }
    upcoming.push(...steps.filter((s) => s.on > day).slice(0, UPCOMING_PER_SERIES).map((s) => ({ kind, anchor: s.anchor, customKind: null, label: null, on: s.on, celebration: celebrationOf(kind, s.anchor, s.on) })));
  }
  for (const c of custom) all.push({ kind: 'custom', anchor: c.id, customKind: c.kind, label: c.label, on: c.reachedOn, celebration: celebrationOf('custom', c.id, c.reachedOn) });
  all.sort((a, b) => b.on.localeCompare(a.on));
  upcoming.sort((a, b) => a.on.localeCompare(b.on));
  return { recoveryStartDate: participant.recoveryStartDate ?? null, moudStartDate: moudStart, past: all, upcoming };
}

export async function addMilestone(ctx: Ctx, participantId: string, input: z.output<typeof CreateMilestoneBody>): Promise<z.infer<typeof CreatedMilestone>> {
  const p = await requireParticipant(ctx, participantId);
  if (input.reachedOn > (await today(ctx))) throw errors.invalid('reachedOn', 'Enter a date that is today or in the past');
  const born = p.dateOfBirth ?? (p.birthYear ? `${p.birthYear}-01-01` : null);
  if (born && input.reachedOn < born) throw errors.invalid('reachedOn', 'Enter a date after the date of birth');
  const now = ctx.clock.now().toISOString();
  const id = await repo.insertMilestone(ctx.db, { organizationId: org(ctx), participantId, kind: input.kind, label: input.label ?? null, reachedOn: input.reachedOn, createdBy: ctx.actor.userId, now });
  await ctx.audit({ action: 'milestone.create', targetType: 'milestone', targetIds: [id, participantId], details: { kind: input.kind } });
  const m = (await repo.findMilestone(ctx.db, org(ctx), id))!;
  return { id: m.id, kind: m.kind, label: m.label, reachedOn: m.reachedOn, createdBy: m.createdBy, createdAt: m.createdAt };
}

/** Celebrations may be logged up to this many days before the milestone (a celebration planned a week ahead). */
const CELEBRATE_AHEAD_DAYS = 7;

export async function celebrate(ctx: Ctx, participantId: string, input: z.output<typeof CelebrateMilestoneBody>): Promise<z.infer<typeof CreatedCelebration>> {
  const p = await requireParticipant(ctx, participantId);
  const day = await today(ctx);
  if (input.kind === 'custom') {
    const m = await repo.findMilestone(ctx.db, org(ctx), input.anchor);
    if (!m || m.participantId !== participantId) throw errors.invalid('anchor', 'Choose one of this person’s milestones');
    if (m.reachedOn !== input.on) throw errors.invalid('on', `This milestone is dated ${m.reachedOn}`);
  } else {
    const start = input.kind === 'recovery' ? (p.recoveryStartDate ?? null) : ((await repo.moudStartDates(ctx.db, org(ctx), [participantId])).get(participantId) ?? null);
    if (!start) throw errors.invalid('kind', input.kind === 'recovery' ? 'Record a recovery start date first' : 'Record a MOUD start date first');
    const step = seriesStep(start, input.anchor);
    if (!step) throw errors.invalid('anchor', 'Choose a milestone like 24h, 7d, 30d, 60d, 90d, 6m, 9m, 1y, 18m or 2y');
    if (step.on !== input.on) throw errors.invalid('on', `This milestone falls on ${step.on}`);
  }
  const ahead = new Date(Date.parse(`${day}T00:00:00Z`) + CELEBRATE_AHEAD_DAYS * 86_400_000).toISOString().slice(0, 10);
  if (input.on > ahead) throw errors.invalid('on', 'Log a celebration at most a week before the milestone');
  const key = repo.celebrationKey(input.kind, input.anchor, input.on);
  if ((await repo.listCelebrations(ctx.db, org(ctx), participantId)).some((c) => repo.celebrationKey(c.kind, c.anchor, c.milestoneOn) === key)) {
    throw errors.duplicate('anchor', 'This milestone has already been celebrated');
  }
  const now = ctx.clock.now().toISOString();
  const id = await repo.insertCelebration(ctx.db, { organizationId: org(ctx), participantId, kind: input.kind, anchor: input.anchor, milestoneOn: input.on, note: input.note ?? null, by: ctx.actor.userId, now });
  await ctx.audit({ action: 'milestone.celebrate', targetType: 'milestone_celebration', targetIds: [id, participantId], details: { kind: input.kind, anchor: input.kind === 'custom' ? 'custom' : input.anchor } });
  return { id, kind: input.kind, anchor: input.anchor, on: input.on, note: input.note ?? null, celebratedBy: ctx.actor.userId, celebratedAt: now };
}

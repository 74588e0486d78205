/**
 * Rules for federal (SAMHSA GPRA-style) interviews and the follow-up tracker. Everything about a
 * participant first passes `requireParticipant` (another organization's: 404; outside the
 * caller's scope: 403); reads are audited as `participant.read` (`part: 'federal_interviews'`,
 * the tracker with the ids it lists), writes in their transaction as `federal_interview.create`,
 * `.update`, `.delete` with ids and codes only.
 *
 * Recording (dates are local to the organization):
 * - the date is today or earlier, and not before the person's birth (date, else year);
 * - one intake per episode (409 `record.duplicate` naming `kind`); an interview without an episode
 *   goes with the person's current episode unless `episodeId: null` says it has none;
 * - a 6-month follow-up needs an intake before it (strictly), a discharge interview an intake on or
 *   before its day (400 naming `kind` when there is no intake, `conductedOn` when it is later);
 * - a correction or a removal may not leave a follow-up or discharge without its intake.
 *
 * The follow-up of each intake is due at intake + 6 months, in the window −30/+60 days
 * (contracts `followUpWindow`, the same rule as the measure `federal_follow_up`).
 */
import { addDays } from '../caseload/dates.js';
import type { z } from 'zod';
import {
  FEDERAL_FOLLOW_UP_RULE,
  followUpStatus,
  followUpWindow,
  type CreateFederalInterviewBody,
  type DeleteFederalInterviewBody,
  type FederalFollowUpTracker,
  type FederalInterview,
  type FederalInterviewKind,
  type FederalInterviewList,
  type FollowUpDue,
  type FollowUpStatus,
  type TrackerQuery,
  type TrackerRow,
  type UpdateFederalInterviewBody,
} from '../../../contracts/federal-follow-up.js';
import { plusMonths } from '../../../contracts/checkins.js';
import type { Ctx } from '../../platform/http/context.js';
import { errors } from '../../platform/errors.js';
import { localDate } from '../../platform/time.js';
import { findOrganization } from '../organizations/organizations.repository.js';
import { requireParticipant, requireParticipantAccess, scopeOf } from '../participants/participants.access.js';
import type { ParticipantRecord } from '../participants/participants.repository.js';
import * as repo from './federal-follow-up.repository.js';

type Interview = z.infer<typeof FederalInterview>;
type Due = z.infer<typeof FollowUpDue>;
type Row = z.infer<typeof TrackerRow>;

const org = (ctx: Ctx) => ctx.actor.organizationId;

async function todayAt(ctx: Ctx): Promise<string> {
  const tz = (await findOrganization(ctx.db, org(ctx)))?.timeZone ?? 'UTC';
  return localDate(ctx.clock.now(), tz);
}


function present(r: repo.InterviewRecord, names: Map<string, string>): Interview {
  return {
    id: r.id,
    participantId: r.participantId,
    episodeId: r.episodeId,
    kind: r.kind,
    conductedOn: r.conductedOn,
    recordedBy: r.recordedBy,
    recordedByName: names.get(r.recordedBy) ?? null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    version: r.version,
  };
}

/** Each intake's follow-up: due date, window, and where it stands today. */
export function followUpsOf(interviews: readonly Pick<repo.InterviewRecord, 'id' | 'kind' | 'conductedOn' | 'episodeId'>[], today: string): Due[] {
  const followUps = interviews.filter((i) => i.kind === 'six_month_follow_up').map((i) => i.conductedOn);
  return interviews
    .filter((i) => i.kind === 'intake')
    .map((i) => {
      const w = followUpWindow(i.conductedOn);
      return { intakeId: i.id, intakeOn: i.conductedOn, episodeId: i.episodeId, ...w, ...followUpStatus(w, followUps, today) };
    });
}

// ---- the rules

type Candidate = { id: string; kind: FederalInterviewKind; conductedOn: string; episodeId: string | null };

function checkDate(p: ParticipantRecord, conductedOn: string, today: string): void {
  if (conductedOn > today) throw errors.invalid('conductedOn', 'Enter a date that is today or in the past');
  if ((p.dateOfBirth && conductedOn < p.dateOfBirth) || (!p.dateOfBirth && p.birthYear != null && Number(conductedOn.slice(0, 4)) < p.birthYear)) {
    throw errors.invalid('conductedOn', 'Enter a date after the person was born');
  }
}

/** An intake this interview may follow: strictly before a follow-up, on or before a discharge interview. */
const intakeFor = (c: Candidate, others: readonly Candidate[]) =>
  others.some((o) => o.kind === 'intake' && (c.kind === 'six_month_follow_up' ? o.conductedOn < c.conductedOn : o.conductedOn <= c.conductedOn));

/** `c` among `others` (the person's other interviews): one intake per episode; a follow-up or discharge after an intake. */
function checkPlace(c: Candidate, others: readonly Candidate[]): void {
  if (c.kind === 'intake') {
    const twin = others.find((o) => o.kind === 'intake' && o.episodeId === c.episodeId);
    if (twin) throw errors.duplicate('kind', `This ${c.episodeId ? 'episode' : 'person'} already has an intake interview (${twin.conductedOn}). Correct that one instead of adding another.`);
    return;
  }
  if (intakeFor(c, others)) return;
  const what = c.kind === 'six_month_follow_up' ? 'A 6-month follow-up' : 'A discharge interview';
  if (!others.some((o) => o.kind === 'intake')) throw errors.invalid('kind', `${what} needs an intake interview first. Record the intake interview before it.`);
  throw errors.invalid('conductedOn', `${what} comes after the intake interview. Enter a date after the intake.`);
}

/** After changing or removing an intake: every follow-up and discharge interview still has one before it. */
function checkDependents(all: readonly Candidate[], path: string): void {
  const orphan = all.find((c) => c.kind !== 'intake' && !intakeFor(c, all));
  if (orphan) throw errors.invalid(path, `The ${orphan.kind === 'six_month_follow_up' ? '6-month follow-up' : 'discharge interview'} on ${orphan.conductedOn} needs an intake before it. Change or remove that interview first.`);
}

async function resolveEpisode(ctx: Ctx, participantId: string, episodeId: string | null | undefined): Promise<string | null> {
  if (episodeId === undefined) return repo.currentEpisodeOf(ctx.db, org(ctx), participantId);
  if (episodeId === null) return null;
  if (!(await repo.episodeOf(ctx.db, org(ctx), participantId, episodeId))) throw errors.invalid('episodeId', 'Choose an episode of this person');
  return episodeId;
}

async function view(ctx: Ctx, id: string): Promise<Interview> {
  const r = (await repo.findInterview(ctx.db, org(ctx), id))!;
  return present(r, await repo.staffNames(ctx.db, [r.recordedBy]));
}

/** An interview that is not removed, of a participant the caller may work with. */
async function requireInterview(ctx: Ctx, id: string): Promise<{ interview: repo.InterviewRecord; participant: ParticipantRecord }> {
  const interview = await repo.findInterview(ctx.db, org(ctx), id);
  if (!interview || interview.deletedAt) throw errors.notFound('interview');
  const participant = await requireParticipant(ctx, interview.participantId);
  return { interview, participant };
}

// ---- writes

export async function recordInterview(ctx: Ctx, participantId: string, input: z.output<typeof CreateFederalInterviewBody>): Promise<Interview> {
  const p = await requireParticipant(ctx, participantId);
  const today = await todayAt(ctx);
  checkDate(p, input.conductedOn, today);
  const episodeId = await resolveEpisode(ctx, participantId, input.episodeId);
  const existing = await repo.listInterviews(ctx.db, org(ctx), participantId);
  checkPlace({ id: '', kind: input.kind, conductedOn: input.conductedOn, episodeId }, existing);
  const id = await repo.insertInterview(ctx.db, { organizationId: org(ctx), participantId, episodeId, kind: input.kind, conductedOn: input.conductedOn, recordedBy: ctx.actor.userId, now: ctx.clock.now().toISOString() });
  await ctx.audit({ action: 'federal_interview.create', targetType: 'federal_interview', targetIds: [id, participantId], details: { kind: input.kind, ...(episodeId && { episodeId }) } });
  return view(ctx, id);
}

export async function correctInterview(ctx: Ctx, id: string, input: z.output<typeof UpdateFederalInterviewBody>): Promise<Interview> {
  const { interview: current, participant } = await requireInterview(ctx, id);
  const today = await todayAt(ctx);
  const next: Candidate = {
    id,
    kind: input.kind ?? current.kind,
    conductedOn: input.conductedOn ?? current.conductedOn,
    episodeId: input.episodeId === undefined ? current.episodeId : await resolveEpisode(ctx, current.participantId, input.episodeId),
  };
  if (input.conductedOn !== undefined) checkDate(participant, next.conductedOn, today);
  const others = (await repo.listInterviews(ctx.db, org(ctx), current.participantId)).filter((o) => o.id !== id);
  checkPlace(next, others);
  if (current.kind === 'intake') checkDependents([...others, next], input.kind !== undefined && input.kind !== 'intake' ? 'kind' : 'conductedOn');
  if (!(await repo.updateInterview(ctx.db, org(ctx), id, input.version, next, ctx.clock.now().toISOString()))) {
    const latest = await view(ctx, id);
    throw errors.conflict(latest, latest.version);
  }
  const fields = (['kind', 'conductedOn', 'episodeId'] as const).filter((k) => input[k] !== undefined);
  await ctx.audit({ action: 'federal_interview.update', targetType: 'federal_interview', targetIds: [id, current.participantId], details: { fields, kind: next.kind } });
  return view(ctx, id);
}

/** Remove an interview recorded in error: kept with `deleted_at`, left out of every list and measure. */
export async function removeInterview(ctx: Ctx, id: string, input: z.output<typeof DeleteFederalInterviewBody>): Promise<{ ok: true }> {
  const { interview: current } = await requireInterview(ctx, id);
  const others = (await repo.listInterviews(ctx.db, org(ctx), current.participantId)).filter((o) => o.id !== id);
  if (current.kind === 'intake') checkDependents(others, 'id');
  if (!(await repo.removeInterview(ctx.db, org(ctx), id, input.version, ctx.actor.userId, ctx.clock.now().toISOString()))) {
    const latest = await view(ctx, id);
    throw errors.conflict(latest, latest.version);
  }
  await ctx.audit({ action: 'federal_interview.delete', targetType: 'federal_interview', targetIds: [id, current.participantId], details: { kind: current.kind } });
  return { ok: true };
}

// ---- reads

/** A participant's interviews (newest first) and, for each intake, when the follow-up is due and where it stands. */
export async function listInterviews(ctx: Ctx, participantId: string): Promise<z.infer<typeof FederalInterviewList>> {
  const { grantId } = await requireParticipantAccess(ctx, participantId);
  const today = await todayAt(ctx);
  const rows = await repo.listInterviews(ctx.db, org(ctx), participantId);
  const names = await repo.staffNames(ctx.db, rows.map((r) => r.recordedBy));
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [participantId], details: { part: 'federal_interviews', ...(grantId && { breakGlassGrantId: grantId }) } });
  return { today, interviews: rows.map((r) => present(r, names)).reverse(), followUps: followUpsOf(rows, today) };
}

const STATUS_ORDER: Record<FollowUpStatus, number> = { in_window: 0, upcoming: 1, out_of_window: 2, completed: 3 };

/** The name the person goes by, with their last name so two Jamies can be told apart. */
const displayName = (r: repo.TrackerIntake): string => [r.preferredName ?? r.firstName ?? r.alias, r.lastName].filter(Boolean).join(' ');

const lastDayOf = (month: string): string => addDays(plusMonths(`${month}-01`, 1), -1);

/**
 * The tracker for a month: every intake (of the participants the caller may see: a coach's own, a
 * supervisor's teams, a program manager's organization) whose follow-up window overlaps the month,
 * with its due date, window, status today and coach. Needing action first: in window (closing
 * soonest first), then upcoming, out of window (closed without a follow-up), completed.
 */
export async function tracker(ctx: Ctx, q: z.output<typeof TrackerQuery>): Promise<z.infer<typeof FederalFollowUpTracker>> {
  const today = await todayAt(ctx);
  const month = q.month ?? today.slice(0, 7);
  const monthFrom = `${month}-01`;
  const monthThrough = lastDayOf(month);
  const rule = FEDERAL_FOLLOW_UP_RULE;
  // Intakes whose window (due − 30 … due + 60, due = intake + 6 months) can touch the month; a few days' margin for month ends, then exact.
  const intakeFrom = addDays(plusMonths(addDays(monthFrom, -rule.windowAfterDays), -rule.dueMonths), -3);
  const intakeThrough = addDays(plusMonths(addDays(monthThrough, rule.windowBeforeDays), -rule.dueMonths), 3);
  const scope = scopeOf(ctx);
  const intakes = (await repo.intakesBetween(ctx.db, scope, intakeFrom, intakeThrough))
    .map((i) => ({ i, w: followUpWindow(i.intakeOn) }))
    .filter(({ w }) => w.windowFrom <= monthThrough && w.windowThrough >= monthFrom);
  const participantIds = [...new Set(intakes.map(({ i }) => i.participantId))];
  const earliestWindow = intakes.reduce((min, { w }) => (w.windowFrom < min ? w.windowFrom : min), monthFrom);
  const [followUps, coaches] = await Promise.all([repo.followUpsOf(ctx.db, org(ctx), participantIds, earliestWindow), repo.coachesOf(ctx.db, org(ctx), participantIds)]);

  const rows: Row[] = intakes.map(({ i, w }) => {
    const episodes = coaches.get(i.participantId) ?? [];
    const coach = episodes.find((e) => e.open) ?? episodes.find((e) => e.episodeId === i.episodeId);
    return {
      participantId: i.participantId,
      displayName: displayName(i),
      intakeId: i.intakeId,
      intakeOn: i.intakeOn,
      episodeId: i.episodeId,
      ...w,
      ...followUpStatus(w, followUps.get(i.participantId) ?? [], today),
      dueThisMonth: w.dueOn >= monthFrom && w.dueOn <= monthThrough,
      coachUserId: coach?.coachUserId ?? null,
      coachName: coach?.coachUserId ? coach.coachName : null,
    };
  });
  rows.sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      (a.status === 'in_window' ? a.windowThrough.localeCompare(b.windowThrough) : a.dueOn.localeCompare(b.dueOn)) ||
      a.displayName.localeCompare(b.displayName, undefined, { sensitivity: 'base' }) ||
      a.intakeId.localeCompare(b.intakeId),
  );
  const count = (s: FollowUpStatus) => rows.filter((r) => r.status === s).length;
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: participantIds, details: { part: 'federal_follow_up_tracker', month } });
  return {
    month,
    monthFrom,
    monthThrough,
    today,
    target: rule.target,
    scope: scope.all ? 'organization' : scope.asSupervisor ? 'team' : 'caseload',
    counts: { dueThisMonth: rows.filter((r) => r.dueThisMonth).length, upcoming: count('upcoming'), inWindow: count('in_window'), outOfWindow: count('out_of_window'), completed: count('completed') },
    rows,
  };
}

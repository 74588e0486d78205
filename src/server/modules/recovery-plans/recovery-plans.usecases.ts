/**
 * Rules for recovery plans. Everything about a participant first passes `requireParticipant`
 * (another organization's plan or person: 404; outside the caller's scope: 403); reads are audited
 * as `participant.read` with a `part`, writes in their transaction with ids, numbers and field
 * names only (never the goal text).
 *
 * - One plan per episode (a second: 409 record.duplicate naming `episodeId`); a plan is made for an
 *   open episode, and a plan of a discharged episode is no longer edited (409 episode.discharged).
 * - Every saved change is a new numbered version (a snapshot of the goals); goals, steps and notes
 *   keep their ids; an id the plan does not have is refused naming its path; a progress note is not
 *   dated in the future.
 * - Agreement is recorded for the current version; reviews too. Each agreement or review puts the
 *   next `plan_review` to-do on the coach's list (closing the open one), as many days later as the
 *   plan's episode's program says (`planReviewDays`; PLAN_REVIEW_DAYS, 90, by default). A new plan
 *   gets its first review to-do that many days after it is made.
 */
import type { z } from 'zod';
import {
  PLAN_REVIEW_DAYS,
  type AgreementBody,
  type CreateRecoveryPlanBody,
  type Goal,
  type GoalInput,
  type PlanVersion,
  type PlanVersionList,
  type PrintablePlan,
  type PRINT_LANGUAGES,
  type RecoveryPlan,
  type ReviewBody,
  type UpdateRecoveryPlanBody,
} from '../../../contracts/recovery-plans.js';
import type { Ctx } from '../../platform/http/context.js';
import { AppError, errors } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { localDate } from '../../platform/time.js';
import { requireParticipant, requireParticipantAccess } from '../participants/participants.access.js';
import { organizationTimeZone } from '../directory/directory.repository.js';
import { addDays } from '../caseload/dates.js';
import { addTodo } from '../care/care.usecases.js';
import * as careRepo from '../care/care.repository.js';
import type { ParticipantRecord } from '../participants/participants.repository.js';
import * as repo from './recovery-plans.repository.js';
import { printablePlan } from './recovery-plans.print.js';

type Plan = z.infer<typeof RecoveryPlan>;
const org = (ctx: Ctx) => ctx.actor.organizationId;

async function today(ctx: Ctx): Promise<string> {
  return localDate(ctx.clock.now(), await organizationTimeZone(ctx.db, org(ctx)));
}

async function present(ctx: Ctx, p: repo.PlanRecord): Promise<Plan> {
  const agreements = await repo.agreementsOf(ctx.db, org(ctx), p.id);
  const review = await repo.lastReviewOf(ctx.db, org(ctx), p.id);
  const todo = await repo.openReviewTodo(ctx.db, org(ctx), p.id);
  const agreement = agreements.find((a) => a.planVersion === p.planVersion);
  return {
    id: p.id,
    participantId: p.participantId,
    episodeId: p.episodeId,
    planVersion: p.planVersion,
    goals: p.goals,
    agreement: agreement ?? null,
    lastAgreedVersion: agreements.length ? Math.max(...agreements.map((a) => a.planVersion)) : null,
    lastReview: review ?? null,
    nextReviewOn: todo?.dueOn ?? null,
    reviewTodoId: todo?.id ?? null,
    createdBy: p.createdBy,
    createdAt: p.createdAt,
    updatedBy: p.updatedBy,
    updatedAt: p.updatedAt,
    version: p.version,
  };
}

/**
 * The goals as stored: ids kept or given, each id one the plan already has (in the same goal for
 * steps and notes), no note dated after today.
 */
function normalize(input: z.output<typeof GoalInput>[], current: readonly Goal[], todayIs: string): Goal[] {
  const goalsById = new Map(current.map((g) => [g.id, g]));
  const seen = new Set<string>();
  const fresh = (id: string | undefined, known: ReadonlySet<string>, path: string): string => {
    if (id === undefined) return newId();
    if (!known.has(id) || seen.has(id)) throw errors.invalid(path, 'This plan has no such item. Leave the id out for a new one.');
    seen.add(id);
    return id;
  };
  return input.map((g, i) => {
    const id = fresh(g.id, new Set(goalsById.keys()), `goals.${i}.id`);
    const before = goalsById.get(id);
    const stepIds = new Set(before?.steps.map((s) => s.id) ?? []);
    const noteIds = new Set(before?.notes.map((n) => n.id) ?? []);
    return {
      id,
      text: g.text,
      domain: g.domain,
      status: g.status,
      steps: g.steps.map((s, j) => ({ id: fresh(s.id, stepIds, `goals.${i}.steps.${j}.id`), text: s.text, owner: s.owner, ownerName: s.owner === 'other' ? (s.ownerName ?? null) : null, dueOn: s.dueOn ?? null, done: s.done })),
      notes: g.notes.map((n, j) => {
        if (n.on > todayIs) throw errors.invalid(`goals.${i}.notes.${j}.on`, 'Date the note today or earlier');
        return { id: fresh(n.id, noteIds, `goals.${i}.notes.${j}.id`), on: n.on, text: n.text };
      }),
    };
  });
}

/** The plan of `id` in the caller's organization, after the participant check. */
async function planFor(ctx: Ctx, id: string, reading: boolean): Promise<{ plan: repo.PlanRecord; grantId?: string | undefined; participant: ParticipantRecord }> {
  const plan = await repo.findPlan(ctx.db, org(ctx), id);
  if (!plan) throw errors.notFound('recovery plan');
  if (reading) {
    const access = await requireParticipantAccess(ctx, plan.participantId);
    return { plan, grantId: access.grantId, participant: access.participant };
  }
  return { plan, participant: await requireParticipant(ctx, plan.participantId) };
}

async function editable(ctx: Ctx, plan: repo.PlanRecord, version: number): Promise<void> {
  const episode = await repo.episodeOf(ctx.db, org(ctx), plan.participantId, plan.episodeId);
  if (episode?.status === 'discharged') throw new AppError('episode.discharged', 'This plan belongs to an episode that has ended. Start a plan in the current episode.');
  if (version !== plan.version) throw errors.conflict(await present(ctx, plan), plan.version);
}

// ---- the plan-review to-do

async function closeReviewTodo(ctx: Ctx, plan: repo.PlanRecord, resolution: string): Promise<void> {
  const todo = await repo.openReviewTodo(ctx.db, org(ctx), plan.id);
  if (!todo) return;
  const now = ctx.clock.now().toISOString();
  const patch = { status: 'done', resolution, completedAt: now, completedBy: ctx.actor.userId } as const;
  if (await careRepo.updateTodo(ctx.db, org(ctx), todo.id, todo.version, patch, now)) {
    await ctx.audit({ action: 'todo.update', targetType: 'todo', targetIds: [todo.id, plan.participantId], details: { fields: Object.keys(patch), via: 'recovery_plan', status: 'done' } });
  }
}

/** The day of the next review: the days between reviews of the episode's program after `from`. */
const reviewDayAfter = (from: string, episode: { planReviewDays: number } | undefined): string => addDays(from, episode?.planReviewDays ?? PLAN_REVIEW_DAYS);

/** The next review to-do, on the episode's coach's list (else the caller's). */
async function scheduleReview(ctx: Ctx, plan: repo.PlanRecord, from: string): Promise<string> {
  const episode = await repo.episodeOf(ctx.db, org(ctx), plan.participantId, plan.episodeId);
  const dueOn = reviewDayAfter(from, episode);
  await addTodo(ctx, {
    participantId: plan.participantId,
    kind: 'plan_review',
    ownerUserId: episode?.coachUserId ?? ctx.actor.userId,
    dueOn,
    dueTime: null,
    severity: 'normal',
    title: 'Review the recovery plan together',
    note: null,
    clearsOn: 'manual',
    source: { type: repo.TODO_SOURCE, id: plan.id },
  });
  return dueOn;
}

// ---- plans

export async function createPlan(ctx: Ctx, participantId: string, input: z.output<typeof CreateRecoveryPlanBody>): Promise<Plan> {
  await requireParticipant(ctx, participantId);
  let episodeId = input.episodeId;
  if (episodeId) {
    const episode = await repo.episodeOf(ctx.db, org(ctx), participantId, episodeId);
    if (!episode) throw errors.invalid('episodeId', 'Choose an episode of this person');
    if (episode.status === 'discharged') throw new AppError('episode.discharged', 'This episode has ended. Make the plan in the current episode.', { fields: [{ path: 'episodeId', message: 'This episode has ended' }] });
  } else {
    episodeId = await repo.openEpisodeOf(ctx.db, org(ctx), participantId);
    if (!episodeId) throw errors.invalid('episodeId', 'This person has no open episode. Enroll them first.');
  }
  const existing = await repo.planOfEpisode(ctx.db, org(ctx), episodeId);
  if (existing) throw new AppError('record.duplicate', 'This episode already has a recovery plan. Open it and change it instead.', { fields: [{ path: 'episodeId', message: 'This episode already has a plan' }], details: { planId: existing.id } });
  const todayIs = await today(ctx);
  const goals = normalize(input.goals, [], todayIs);
  const id = await repo.insertPlan(ctx.db, { organizationId: org(ctx), participantId, episodeId, goals, createdBy: ctx.actor.userId, now: ctx.clock.now().toISOString() });
  await ctx.audit({ action: 'recovery_plan.create', targetType: 'recovery_plan', targetIds: [id, participantId], details: { episodeId, planVersion: 1, goals: goals.length } });
  const plan = (await repo.findPlan(ctx.db, org(ctx), id))!;
  await scheduleReview(ctx, plan, todayIs);
  return present(ctx, plan);
}

/** A participant's plans (one per episode), newest first. */
export async function listPlans(ctx: Ctx, participantId: string): Promise<{ plans: Plan[] }> {
  const { grantId } = await requireParticipantAccess(ctx, participantId);
  const plans = await repo.plansOf(ctx.db, org(ctx), participantId);
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [participantId], details: { part: 'recovery_plans', ...(grantId && { breakGlassGrantId: grantId }) } });
  const out: Plan[] = [];
  for (const p of plans) out.push(await present(ctx, p));
  return { plans: out };
}

export async function getPlan(ctx: Ctx, id: string): Promise<Plan> {
  const { plan, grantId } = await planFor(ctx, id, true);
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [plan.participantId], details: { part: 'recovery_plan', planId: plan.id, ...(grantId && { breakGlassGrantId: grantId }) } });
  return present(ctx, plan);
}

export async function updatePlan(ctx: Ctx, id: string, input: z.output<typeof UpdateRecoveryPlanBody>): Promise<Plan> {
  const { plan } = await planFor(ctx, id, false);
  await editable(ctx, plan, input.version);
  const goals = normalize(input.goals, plan.goals, await today(ctx));
  const number = await repo.updatePlan(ctx.db, plan, input.version, goals, ctx.actor.userId, ctx.clock.now().toISOString());
  if (number === undefined) {
    const current = (await repo.findPlan(ctx.db, org(ctx), id))!;
    throw errors.conflict(await present(ctx, current), current.version);
  }
  await ctx.audit({ action: 'recovery_plan.update', targetType: 'recovery_plan', targetIds: [plan.id, plan.participantId], details: { fields: ['goals'], planVersion: number, goals: goals.length } });
  return present(ctx, (await repo.findPlan(ctx.db, org(ctx), id))!);
}

// ---- versions

export async function listVersions(ctx: Ctx, id: string): Promise<z.infer<typeof PlanVersionList>> {
  const { plan, grantId } = await planFor(ctx, id, true);
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [plan.participantId], details: { part: 'recovery_plan_versions', planId: plan.id, ...(grantId && { breakGlassGrantId: grantId }) } });
  const agreed = new Set((await repo.agreementsOf(ctx.db, org(ctx), plan.id)).map((a) => a.planVersion));
  const versions = await repo.listVersions(ctx.db, org(ctx), plan.id);
  return { planId: plan.id, versions: versions.map((v) => ({ number: v.number, goals: v.goals.length, createdBy: v.createdBy, createdAt: v.createdAt, agreed: agreed.has(v.number) })) };
}

export async function getVersion(ctx: Ctx, id: string, number: number): Promise<z.infer<typeof PlanVersion>> {
  const { plan, grantId } = await planFor(ctx, id, true);
  const v = await repo.findVersion(ctx.db, org(ctx), plan.id, number);
  if (!v) throw errors.notFound('plan version');
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [plan.participantId], details: { part: 'recovery_plan_version', planId: plan.id, planVersion: number, ...(grantId && { breakGlassGrantId: grantId }) } });
  const agreements = (await repo.agreementsOf(ctx.db, org(ctx), plan.id)).filter((a) => a.planVersion === number);
  return { planId: plan.id, number: v.number, current: v.number === plan.planVersion, goals: v.goals, agreements, createdBy: v.createdBy, createdAt: v.createdAt };
}

// ---- agreement and reviews

export async function agree(ctx: Ctx, id: string, input: z.output<typeof AgreementBody>): Promise<Plan> {
  const { plan } = await planFor(ctx, id, false);
  await editable(ctx, plan, input.version);
  const todayIs = await today(ctx);
  const agreedOn = input.agreedOn ?? todayIs;
  if (agreedOn > todayIs) throw errors.invalid('agreedOn', 'Enter a date that is today or in the past');
  if (agreedOn < localDate(new Date(plan.updatedAt), await organizationTimeZone(ctx.db, org(ctx)))) {
    throw errors.invalid('agreedOn', 'This version of the plan was saved after that date');
  }
  const agreementId = await repo.insertAgreement(ctx.db, {
    organizationId: org(ctx),
    participantId: plan.participantId,
    planId: plan.id,
    planVersion: plan.planVersion,
    method: input.method,
    data: input.method === 'verbal' ? null : (input.data ?? null),
    attested: input.attested === true,
    witnessName: input.witnessName ?? null,
    agreedOn,
    recordedBy: ctx.actor.userId,
    now: ctx.clock.now().toISOString(),
  });
  await ctx.audit({ action: 'recovery_plan.agree', targetType: 'recovery_plan', targetIds: [plan.id, plan.participantId, agreementId], details: { planVersion: plan.planVersion, method: input.method } });
  await closeReviewTodo(ctx, plan, 'plan_agreed');
  await scheduleReview(ctx, plan, agreedOn);
  return present(ctx, plan);
}

export async function review(ctx: Ctx, id: string, input: z.output<typeof ReviewBody>): Promise<Plan> {
  const { plan } = await planFor(ctx, id, false);
  await editable(ctx, plan, input.version);
  const todayIs = await today(ctx);
  const reviewedOn = input.reviewedOn ?? todayIs;
  if (reviewedOn > todayIs) throw errors.invalid('reviewedOn', 'Enter a date that is today or in the past');
  const nextReviewOn = reviewDayAfter(reviewedOn, await repo.episodeOf(ctx.db, org(ctx), plan.participantId, plan.episodeId));
  const reviewId = await repo.insertReview(ctx.db, {
    organizationId: org(ctx),
    participantId: plan.participantId,
    planId: plan.id,
    planVersion: plan.planVersion,
    reviewedOn,
    note: input.note ?? null,
    nextReviewOn,
    recordedBy: ctx.actor.userId,
    now: ctx.clock.now().toISOString(),
  });
  await ctx.audit({ action: 'recovery_plan.review', targetType: 'recovery_plan', targetIds: [plan.id, plan.participantId, reviewId], details: { planVersion: plan.planVersion, fields: input.note ? ['reviewedOn', 'note'] : ['reviewedOn'] } });
  await closeReviewTodo(ctx, plan, 'plan_reviewed');
  await scheduleReview(ctx, plan, reviewedOn);
  return present(ctx, plan);
}

// ---- printable copy

export async function print(ctx: Ctx, id: string, language: (typeof PRINT_LANGUAGES)[number]): Promise<z.infer<typeof PrintablePlan>> {
  const { plan, grantId, participant } = await planFor(ctx, id, true);
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [plan.participantId], details: { part: 'recovery_plan_print', planId: plan.id, language, ...(grantId && { breakGlassGrantId: grantId }) } });
  const agreement = (await repo.agreementsOf(ctx.db, org(ctx), plan.id)).find((a) => a.planVersion === plan.planVersion);
  const todo = await repo.openReviewTodo(ctx.db, org(ctx), plan.id);
  const tz = await organizationTimeZone(ctx.db, org(ctx));
  return printablePlan(plan, {
    language,
    participantName: participant.preferredName ?? participant.firstName ?? '',
    savedOn: localDate(new Date(plan.updatedAt), tz),
    agreement,
    nextReviewOn: todo?.dueOn ?? null,
  });
}

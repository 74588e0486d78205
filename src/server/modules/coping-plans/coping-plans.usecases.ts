/**
 * Rules for coping (cravings-and-triggers) and safety plans. Everything first passes
 * `requireParticipant` (another organization's person: 404; outside the caller's scope: 403); reads
 * are audited as `participant.read` with a `part`, writes in their transaction with ids, numbers and
 * field names only (never the participant's words).
 *
 * - One current plan of each kind per participant; the first save (version 0) makes version 1, each
 *   later save the next numbered version (a snapshot); a stale `version` is 409 with the current plan.
 * - The safety plan always starts its crisis contacts with the 988 Lifeline (not stored); the steps
 *   after an overdose are the default ones in plain words unless changed.
 */
import type { z } from 'zod';
import type {
  CopingPlan,
  CopingPlanContent,
  CopingPlanVersion,
  PlanKind,
  PlanVersionList,
  PrintableCopingPlan,
  PrintableSafetyPlan,
  PrintLanguage,
  PutCopingPlanBody,
  PutSafetyPlanBody,
  SafetyPlan,
  SafetyPlanContent,
  SafetyPlanVersion,
} from '../../../contracts/coping-plans.js';
import type { Ctx } from '../../platform/http/context.js';
import { errors } from '../../platform/errors.js';
import { localDate } from '../../platform/time.js';
import { requireParticipant, requireParticipantAccess } from '../participants/participants.access.js';
import { organizationTimeZone } from '../directory/directory.repository.js';
import * as repo from './coping-plans.repository.js';
import { DEFAULT_OVERDOSE_STEPS, LIFELINE, printableCopingPlan, printableSafetyPlan } from './coping-plans.print.js';

type Coping = z.infer<typeof CopingPlan>;
type Safety = z.infer<typeof SafetyPlan>;
const org = (ctx: Ctx) => ctx.actor.organizationId;

const EMPTY_COPING: CopingPlanContent = { triggers: [], warningSigns: [], copingStrategies: [], peopleToCall: [], safePlaces: [], reasonsForRecovery: [] };
const EMPTY_SAFETY: SafetyPlanContent = { crisisContacts: [], naloxoneOnHand: 'unknown', naloxoneKnownBy: [], overdoseSteps: null };
const COPING_FIELDS = Object.keys(EMPTY_COPING) as (keyof CopingPlanContent)[];
const SAFETY_FIELDS = Object.keys(EMPTY_SAFETY) as (keyof SafetyPlanContent)[];
const AUDIT_TARGET = { coping: 'coping_plan', safety: 'safety_plan' } as const;

function meta(participantId: string, p: repo.PlanRecord | undefined) {
  return {
    participantId,
    planVersion: p?.planVersion ?? 0,
    createdBy: p?.createdBy ?? null,
    createdAt: p?.createdAt ?? null,
    updatedBy: p?.updatedBy ?? null,
    updatedAt: p?.updatedAt ?? null,
    version: p?.version ?? 0,
  };
}

const copingOf = (p: repo.PlanRecord | undefined, content = p?.content): CopingPlanContent => ({ ...EMPTY_COPING, ...(content as Partial<CopingPlanContent> | undefined) });
const safetyOf = (p: repo.PlanRecord | undefined, content = p?.content): SafetyPlanContent => ({ ...EMPTY_SAFETY, ...(content as Partial<SafetyPlanContent> | undefined) });

function presentCoping(participantId: string, p: repo.PlanRecord | undefined, content?: unknown): Coping {
  return { ...meta(participantId, p), ...copingOf(p, content ?? p?.content) };
}

function presentSafety(participantId: string, p: repo.PlanRecord | undefined, content?: unknown): Safety {
  const c = safetyOf(p, content ?? p?.content);
  return {
    ...meta(participantId, p),
    crisisContacts: [{ kind: 'lifeline', ...LIFELINE }, ...c.crisisContacts.map((x) => ({ ...x, text: null }))],
    naloxoneOnHand: c.naloxoneOnHand,
    naloxoneKnownBy: c.naloxoneKnownBy,
    overdoseSteps: c.overdoseSteps ?? [...DEFAULT_OVERDOSE_STEPS.en],
    overdoseStepsAreDefault: c.overdoseSteps === null,
  };
}

const present = (kind: PlanKind, participantId: string, p: repo.PlanRecord | undefined, content?: unknown): Coping | Safety =>
  kind === 'coping' ? presentCoping(participantId, p, content) : presentSafety(participantId, p, content);

async function readable(ctx: Ctx, participantId: string, part: string, extra: Record<string, string | number> = {}) {
  const access = await requireParticipantAccess(ctx, participantId);
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [participantId], details: { part, ...extra, ...(access.grantId && { breakGlassGrantId: access.grantId }) } });
  return access.participant;
}

export async function getCopingPlan(ctx: Ctx, participantId: string): Promise<Coping> {
  await readable(ctx, participantId, 'coping_plan');
  return presentCoping(participantId, await repo.currentPlan(ctx.db, org(ctx), participantId, 'coping'));
}

export async function getSafetyPlan(ctx: Ctx, participantId: string): Promise<Safety> {
  await readable(ctx, participantId, 'safety_plan');
  return presentSafety(participantId, await repo.currentPlan(ctx.db, org(ctx), participantId, 'safety'));
}

/** Save `content` as the next version (version 0: the first save); 409 with the current plan when stale. */
async function save(ctx: Ctx, kind: PlanKind, participantId: string, version: number, content: object, fields: string[]): Promise<repo.PlanRecord> {
  await requireParticipant(ctx, participantId);
  if (version === 0) await repo.lockParticipant(ctx.db, org(ctx), participantId);
  const current = await repo.currentPlan(ctx.db, org(ctx), participantId, kind);
  const now = ctx.clock.now().toISOString();
  const stale = async () => {
    const fresh = await repo.currentPlan(ctx.db, org(ctx), participantId, kind);
    return errors.conflict(present(kind, participantId, fresh), fresh?.version ?? 0);
  };
  if ((current?.version ?? 0) !== version) throw await stale();
  let planId: string;
  let planVersion: number;
  if (!current) {
    planId = await repo.insertPlan(ctx.db, { organizationId: org(ctx), participantId, kind, content, createdBy: ctx.actor.userId, now });
    planVersion = 1;
  } else {
    const n = await repo.updatePlan(ctx.db, current, version, content, ctx.actor.userId, now);
    if (n === undefined) throw await stale();
    planId = current.id;
    planVersion = n;
  }
  await ctx.audit({ action: `${AUDIT_TARGET[kind]}.update`, targetType: AUDIT_TARGET[kind], targetIds: [planId, participantId], details: { fields, planVersion } });
  return (await repo.currentPlan(ctx.db, org(ctx), participantId, kind))!;
}

/** The field names whose content differs from the current plan (all of them on the first save). */
function changed<T extends object>(before: T, after: T, keys: (keyof T)[], first: boolean): string[] {
  return keys.filter((k) => first || JSON.stringify(before[k]) !== JSON.stringify(after[k])).map(String);
}

export async function putCopingPlan(ctx: Ctx, participantId: string, input: z.output<typeof PutCopingPlanBody>): Promise<Coping> {
  const content: CopingPlanContent = {
    triggers: input.triggers,
    warningSigns: input.warningSigns,
    copingStrategies: input.copingStrategies,
    peopleToCall: input.peopleToCall.map((p) => ({ name: p.name, phone: p.phone })),
    safePlaces: input.safePlaces,
    reasonsForRecovery: input.reasonsForRecovery,
  };
  const before = await repo.currentPlan(ctx.db, org(ctx), participantId, 'coping');
  const fields = changed(copingOf(before), content, COPING_FIELDS, !before);
  return presentCoping(participantId, await save(ctx, 'coping', participantId, input.version, content, fields));
}

export async function putSafetyPlan(ctx: Ctx, participantId: string, input: z.output<typeof PutSafetyPlanBody>): Promise<Safety> {
  const content: SafetyPlanContent = {
    crisisContacts: input.crisisContacts.flatMap((x) => (x.kind === 'lifeline' ? [] : [{ kind: x.kind, name: x.name, phone: x.phone }])),
    naloxoneOnHand: input.naloxoneOnHand,
    naloxoneKnownBy: input.naloxoneKnownBy,
    overdoseSteps: input.overdoseSteps,
  };
  const before = await repo.currentPlan(ctx.db, org(ctx), participantId, 'safety');
  const fields = changed(safetyOf(before), content, SAFETY_FIELDS, !before);
  return presentSafety(participantId, await save(ctx, 'safety', participantId, input.version, content, fields));
}

// ---- versions

async function planForVersions(ctx: Ctx, kind: PlanKind, participantId: string, part: string, extra: Record<string, number> = {}) {
  await readable(ctx, participantId, part, extra);
  const plan = await repo.currentPlan(ctx.db, org(ctx), participantId, kind);
  return plan;
}

export async function listVersions(ctx: Ctx, kind: PlanKind, participantId: string): Promise<z.infer<typeof PlanVersionList>> {
  const plan = await planForVersions(ctx, kind, participantId, `${AUDIT_TARGET[kind]}_versions`);
  if (!plan) return { versions: [] };
  return { versions: (await repo.listVersions(ctx.db, org(ctx), plan.id)).map((v) => ({ number: v.number, createdBy: v.createdBy, createdAt: v.createdAt })) };
}

async function versionOf(ctx: Ctx, kind: PlanKind, participantId: string, number: number) {
  const plan = await planForVersions(ctx, kind, participantId, `${AUDIT_TARGET[kind]}_version`, { planVersion: number });
  const v = plan && (await repo.findVersion(ctx.db, org(ctx), plan.id, number));
  if (!plan || !v) throw errors.notFound('plan version');
  return { plan, v, head: { number: v.number, current: v.number === plan.planVersion, createdBy: v.createdBy, createdAt: v.createdAt } };
}

export async function getCopingVersion(ctx: Ctx, participantId: string, number: number): Promise<z.infer<typeof CopingPlanVersion>> {
  const { plan, v, head } = await versionOf(ctx, 'coping', participantId, number);
  return { ...head, plan: { ...presentCoping(participantId, plan, v.content), planVersion: v.number } };
}

export async function getSafetyVersion(ctx: Ctx, participantId: string, number: number): Promise<z.infer<typeof SafetyPlanVersion>> {
  const { plan, v, head } = await versionOf(ctx, 'safety', participantId, number);
  return { ...head, plan: { ...presentSafety(participantId, plan, v.content), planVersion: v.number } };
}

// ---- printable copies

async function printMeta(ctx: Ctx, kind: PlanKind, participantId: string, language: PrintLanguage, shared?: { preferredName: string | null; firstName: string | null }) {
  const participant = shared ?? (await readable(ctx, participantId, `${AUDIT_TARGET[kind]}_print`, { language }));
  const plan = await repo.currentPlan(ctx.db, org(ctx), participantId, kind);
  const tz = await organizationTimeZone(ctx.db, org(ctx));
  return {
    plan,
    meta: {
      language,
      participantName: participant.preferredName ?? participant.firstName ?? '',
      saved: plan ? { number: plan.planVersion, on: localDate(new Date(plan.updatedAt), tz) } : null,
    },
  };
}

export async function printCopingPlan(ctx: Ctx, participantId: string, language: PrintLanguage): Promise<z.infer<typeof PrintableCopingPlan>> {
  const { plan, meta: m } = await printMeta(ctx, 'coping', participantId, language);
  return printableCopingPlan(copingOf(plan), m);
}

export async function printSafetyPlan(ctx: Ctx, participantId: string, language: PrintLanguage): Promise<z.infer<typeof PrintableSafetyPlan>> {
  const { plan, meta: m } = await printMeta(ctx, 'safety', participantId, language);
  return printableSafetyPlan(safetyOf(plan), m);
}

/**
 * The plan as the participant reads it from a link the coach shared (the link is the permission;
 * its use case audits the read). Undefined when the plan was never saved.
 */
export async function sharedPlan(
  ctx: Ctx,
  kind: PlanKind,
  participant: { id: string; preferredName: string | null; firstName: string | null },
  language: PrintLanguage,
): Promise<{ coping: z.infer<typeof PrintableCopingPlan> } | { safety: z.infer<typeof PrintableSafetyPlan> } | undefined> {
  const { plan, meta: m } = await printMeta(ctx, kind, participant.id, language, participant);
  if (!plan) return undefined;
  return kind === 'coping' ? { coping: printableCopingPlan(copingOf(plan), m) } : { safety: printableSafetyPlan(safetyOf(plan), m) };
}

/** Whether the plan of this kind has been saved at least once. */
export async function planSaved(ctx: Ctx, kind: PlanKind, participantId: string): Promise<boolean> {
  return (await repo.currentPlan(ctx.db, org(ctx), participantId, kind)) !== undefined;
}

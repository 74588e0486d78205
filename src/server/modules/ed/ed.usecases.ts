/**
 * Rules of the ED bedside visit. Every use case passes the participant's gate first (another
 * organization's: 404; outside the caller's scope: 403). Reads are audited with ids only; writes
 * are audited inside their transaction.
 *
 * - Starting a visit records the `ed_visit` life event (source staff_observed, on the local date
 *   of the ED arrival, else today) WITHOUT a follow-up plan: the visit makes its own on completion.
 * - Times must have passed (a few minutes of clock skew allowed) and be in order: the peer
 *   arrives after being requested; discharge comes after ED arrival and after the peer arrived.
 * - Saying yes to follow-up is verbal consent to be contacted: when the participant has no active
 *   participation consent, one is recorded with the witness named (`witnessName` is then required).
 *   It never authorizes sending information to a clinic (that needs the disclosure consent).
 * - Completing writes the bedside encounter (in person, ED, reached, signed) and the follow-up plan
 *   anchored at the encounter's end. The bedside encounter is part of the visit: it answers none
 *   of the plan's to-dos.
 */
import type { z } from 'zod';
import type { StartEdVisitBody, UpdateEdVisitBody } from '../../../contracts/ed.js';
import type { Ctx } from '../../platform/http/context.js';
import { AppError, errors } from '../../platform/errors.js';
import { localDate } from '../../platform/time.js';
import { createLifeEvent } from '../care/care.usecases.js';
import { listConsents } from '../consents/consents.repository.js';
import { consentStatus } from '../consents/consents.words.js';
import { recordParticipationConsent } from '../consents/consents.usecases.js';
import { requireParticipant, requireParticipantAccess } from '../participants/participants.access.js';
import { MAX_DURATION_MINUTES } from '../../../contracts/encounters.js';
import { createFollowUpPlan } from './follow-up-plan.js';
import { presentEdVisit } from './ed.presenters.js';
import * as repo from './ed.repository.js';
import * as encounters from '../encounters/encounters.repository.js';
import { advanceContactSummary } from '../encounters/contact-summary.js';

const SKEW_MS = 5 * 60_000;
const TIME_FIELDS = ['edArrivedAt', 'peerRequestedAt', 'peerArrivedAt', 'dischargedAt'] as const;

type Fields = Omit<z.output<typeof StartEdVisitBody>, 'witnessName'>;

export interface EdVisitView {
  visit: repo.EdVisitRecord;
  plan: repo.PlanTodo[];
}

const toUtc = (v: string | null | undefined) => (v ? new Date(v).toISOString() : v);

/** The body's fields as a patch: instants in UTC, undefined left out. */
function patchOf(input: Fields): Partial<repo.EdVisitValues> {
  const p: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (v === undefined || k === 'version' || k === 'witnessName') continue;
    p[k] = (TIME_FIELDS as readonly string[]).includes(k) ? toUtc(v as string | null) : v;
  }
  return p;
}

/** The rules on the merged values; `changed` names the fields this request set (errors name one of them when possible). */
function checkValues(ctx: Ctx, v: repo.EdVisitValues, changed: ReadonlySet<string>): void {
  const now = ctx.clock.now().getTime();
  for (const f of TIME_FIELDS) {
    const at = v[f];
    if (changed.has(f) && at && Date.parse(at) > now + SKEW_MS) throw errors.invalid(f, 'Enter a time that has already passed');
  }
  const pick = (a: string, b: string) => (changed.has(b) || !changed.has(a) ? b : a);
  if (v.peerRequestedAt && v.peerArrivedAt && v.peerArrivedAt < v.peerRequestedAt) {
    throw errors.invalid(pick('peerRequestedAt', 'peerArrivedAt'), 'The time you arrived must be after the time you were asked to come');
  }
  if (v.dischargedAt && v.edArrivedAt && v.dischargedAt < v.edArrivedAt) {
    throw errors.invalid(pick('edArrivedAt', 'dischargedAt'), 'Discharge must be after arrival at the ED');
  }
  if (v.dischargedAt && v.peerArrivedAt && v.dischargedAt < v.peerArrivedAt) {
    throw errors.invalid(pick('peerArrivedAt', 'dischargedAt'), 'Discharge must be after you arrived at the bedside');
  }
  if (v.referralAccepted === true && v.referralOffered === false) {
    throw errors.invalid(pick('referralOffered', 'referralAccepted'), 'A referral can be accepted only if it was offered');
  }
}

const EMPTY: repo.EdVisitValues = {
  edArrivedAt: null,
  peerRequestedAt: null,
  peerArrivedAt: null,
  overdose: null,
  substance: null,
  naloxoneAdministered: null,
  naloxoneKitGiven: null,
  moudStarted: null,
  referralOffered: null,
  referralAccepted: null,
  warmHandoffTo: null,
  consentToFollowUp: null,
  bestContactMethod: null,
  bestContactTime: null,
  dischargedAt: null,
};

/** When the participant says yes to follow-up and has no active participation consent, record the verbal one. */
async function recordVerbalConsentIfNeeded(ctx: Ctx, participantId: string, witnessName: string | undefined, timeZone: string): Promise<void> {
  const today = localDate(ctx.clock.now(), timeZone);
  const consents = await listConsents(ctx.db, ctx.actor.organizationId, participantId, ['participation']);
  if (consents.some((c) => consentStatus(c, today) === 'active')) return;
  if (!witnessName) throw errors.invalid('witnessName', 'Enter the name of the person who witnessed the verbal consent');
  await recordParticipationConsent(ctx, participantId, { method: 'verbal', witnessName });
}

async function viewOf(ctx: Ctx, visit: repo.EdVisitRecord): Promise<EdVisitView> {
  const plans = await repo.planTodos(ctx.db, ctx.actor.organizationId, 'ed_visit', [visit.id]);
  return { visit, plan: plans.get(visit.id) ?? [] };
}

export async function startEdVisit(ctx: Ctx, participantId: string, input: z.output<typeof StartEdVisitBody>): Promise<EdVisitView> {
  await requireParticipant(ctx, participantId);
  const patch = patchOf(input);
  checkValues(ctx, { ...EMPTY, ...patch }, new Set(Object.keys(patch)));
  const facts = await repo.followUpFacts(ctx.db, ctx.actor.organizationId, participantId);
  const orgTz = facts.organizationTimeZone;
  const arrived = patch.edArrivedAt ?? null;
  // A few minutes of skew may put "now" on a phone ahead of the server: the life event takes the earlier.
  const occurredAt = arrived && arrived > ctx.clock.now().toISOString() ? ctx.clock.now().toISOString() : arrived;
  const event = await createLifeEvent(
    ctx,
    participantId,
    { kind: 'ed_visit', occurredOn: localDate(occurredAt ? new Date(occurredAt) : ctx.clock.now(), orgTz), occurredAt, source: 'staff_observed', note: null },
    { followUpPlan: false },
  );
  if (patch.consentToFollowUp === true) await recordVerbalConsentIfNeeded(ctx, participantId, input.witnessName, orgTz);
  const id = await repo.insertEdVisit(ctx.db, {
    ...patch,
    organizationId: ctx.actor.organizationId,
    participantId,
    lifeEventId: event.id,
    siteId: facts.siteId,
    createdBy: ctx.actor.userId,
    now: ctx.clock.now().toISOString(),
  });
  await ctx.audit({ action: 'ed_visit.create', targetType: 'ed_visit', targetIds: [id, participantId], details: { fields: Object.keys(patch) } });
  return viewOf(ctx, (await repo.findEdVisit(ctx.db, ctx.actor.organizationId, id))!);
}

/** A visit the caller may see: 404 for another organization's, the participant's gate otherwise. */
async function requireEdVisit(ctx: Ctx, id: string): Promise<{ visit: repo.EdVisitRecord; grantId?: string }> {
  const visit = await repo.findEdVisit(ctx.db, ctx.actor.organizationId, id);
  if (!visit) throw errors.notFound('ED visit');
  const { grantId } = await requireParticipantAccess(ctx, visit.participantId);
  return { visit, ...(grantId && { grantId }) };
}

const completedVisit = () => new AppError('record.conflict', 'This visit is complete. Add what you learn later as a new contact note.');

export async function getEdVisit(ctx: Ctx, id: string): Promise<EdVisitView> {
  const { visit, grantId } = await requireEdVisit(ctx, id);
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [visit.participantId], details: { part: 'ed_visit', edVisitId: id, ...(grantId && { breakGlassGrantId: grantId }) } });
  return viewOf(ctx, visit);
}

export async function listEdVisits(ctx: Ctx, participantId: string): Promise<EdVisitView[]> {
  const { grantId } = await requireParticipantAccess(ctx, participantId);
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [participantId], details: { part: 'ed_visits', ...(grantId && { breakGlassGrantId: grantId }) } });
  const visits = await repo.listEdVisits(ctx.db, ctx.actor.organizationId, participantId);
  const plans = await repo.planTodos(ctx.db, ctx.actor.organizationId, 'ed_visit', visits.map((v) => v.id));
  return visits.map((visit) => ({ visit, plan: plans.get(visit.id) ?? [] }));
}

export async function updateEdVisit(ctx: Ctx, id: string, input: z.output<typeof UpdateEdVisitBody>): Promise<EdVisitView> {
  const { visit: current } = await requireEdVisit(ctx, id);
  if (current.status !== 'open') throw completedVisit();
  const patch = patchOf(input);
  const merged = { ...current, ...patch };
  checkValues(ctx, merged, new Set(Object.keys(patch)));
  if (patch.consentToFollowUp === true && current.consentToFollowUp !== true) {
    await recordVerbalConsentIfNeeded(ctx, current.participantId, input.witnessName, (await repo.followUpFacts(ctx.db, ctx.actor.organizationId, current.participantId)).organizationTimeZone);
  }
  const now = ctx.clock.now().toISOString();
  if (!(await repo.updateEdVisit(ctx.db, ctx.actor.organizationId, id, input.version, patch, now))) {
    const latest = (await repo.findEdVisit(ctx.db, ctx.actor.organizationId, id))!;
    if (latest.status !== 'open') throw completedVisit();
    const view = await viewOf(ctx, latest);
    throw errors.conflict(presentEdVisit(view.visit, view.plan), latest.version);
  }
  await ctx.audit({ action: 'ed_visit.update', targetType: 'ed_visit', targetIds: [id, current.participantId], details: { fields: Object.keys(patch) } });
  return viewOf(ctx, (await repo.findEdVisit(ctx.db, ctx.actor.organizationId, id))!);
}

/** The services the bedside encounter records, from what the visit says happened. */
function servicesOf(v: repo.EdVisitValues): string[] {
  const s = ['crisis_support'];
  if (v.referralOffered) s.push('treatment_navigation');
  if (v.moudStarted && v.moudStarted !== 'none') s.push('moud_support');
  if (v.naloxoneKitGiven) s.push('naloxone_kit');
  return s;
}

export async function completeEdVisit(ctx: Ctx, id: string): Promise<EdVisitView> {
  const { visit } = await requireEdVisit(ctx, id);
  if (visit.status !== 'open') {
    const view = await viewOf(ctx, visit);
    throw new AppError('record.conflict', 'This visit is already complete.', { details: { current: presentEdVisit(view.visit, view.plan), version: visit.version } });
  }
  if (!visit.peerArrivedAt) throw errors.invalid('peerArrivedAt', 'Enter when you arrived at the bedside before completing the visit');
  const now = ctx.clock.now().toISOString();
  const endedAt = visit.dischargedAt ?? now;
  if (endedAt < visit.peerArrivedAt) throw errors.invalid('peerArrivedAt', 'The time you arrived must be before the end of the visit');
  if (Date.parse(endedAt) - Date.parse(visit.peerArrivedAt) > MAX_DURATION_MINUTES * 60_000) {
    throw errors.invalid('dischargedAt', 'A bedside visit cannot last more than 24 hours. Check the times');
  }
  const facts = await repo.followUpFacts(ctx.db, ctx.actor.organizationId, visit.participantId);
  // The bedside contact: in person, in the ED, reached, signed by its author — through the
  // encounters repository like any other contact.
  const encounterId = await encounters.insertEncounter(ctx.db, {
    organizationId: ctx.actor.organizationId,
    participantId: visit.participantId,
    episodeId: facts.episodeId,
    groupId: null,
    type: 'ed_bedside',
    mode: 'in_person',
    setting: 'ed',
    placeOfService: '23',
    startedAt: visit.peerArrivedAt,
    endedAt,
    durationMinutes: Math.round((Date.parse(endedAt) - Date.parse(visit.peerArrivedAt)) / 60_000),
    reached: true,
    attemptOutcome: null,
    services: servicesOf(visit),
    participantWords: null,
    note: null,
    noteFlags: [],
    authorUserId: ctx.actor.userId,
    authorCredential: (await encounters.authorFacts(ctx.db, ctx.actor.userId)).credential,
    status: 'signed',
    signedAt: now,
    reviewStatus: 'none',
    reviewReason: null,
    todoId: null,
    lifeEventId: visit.lifeEventId,
    now,
  });
  if (!(await repo.markCompleted(ctx.db, ctx.actor.organizationId, id, encounterId, now))) throw completedVisit();
  if (facts.episodeId) await encounters.advanceLastContact(ctx.db, ctx.actor.organizationId, facts.episodeId, endedAt);
  await advanceContactSummary(ctx.db, ctx.actor.organizationId, visit.participantId, { type: 'ed_bedside', reached: true, startedAt: visit.peerArrivedAt });
  await ctx.audit({ action: 'encounter.create', targetType: 'encounter', targetIds: [encounterId, visit.participantId], details: { type: 'ed_bedside', edVisitId: id } });
  await createFollowUpPlan(ctx, { participantId: visit.participantId, anchorAt: endedAt, source: { type: 'ed_visit', id } });
  await ctx.audit({ action: 'ed_visit.complete', targetType: 'ed_visit', targetIds: [id, visit.participantId], details: { encounterId } });
  return viewOf(ctx, (await repo.findEdVisit(ctx.db, ctx.actor.organizationId, id))!);
}

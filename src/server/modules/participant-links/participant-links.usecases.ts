/**
 * Participants' one-time links (issue 6; contract: contracts/participant-links.ts).
 *
 * The coach's side (signed in): make a link for a participant they may see (`requireParticipant`),
 * list a participant's links with how each stands, turn one off. A new link replaces the earlier
 * open one of the same kind (the same questionnaire), as a new password link does.
 *
 * The participant's side (no account; the secret is the permission): open, then answer once.
 * `resolveLink` turns the secret into the link or a friendly refusal: unknown → 404; turned off,
 * answered or past its 7 days → 410 with `link.revoked`, `link.used` or `link.expired`. Answering
 * runs in one transaction that first marks the link used (`consume`): a validation error rolls
 * that back, so the person can correct the answer; a second answer finds it used. What the
 * participant writes is stored with source `participant_link` and created by the coach who made
 * the link; its audit rows have no actor and say `via: 'participant_link'` with the link's id.
 */
import type { z } from 'zod';
import {
  LINK_TTL_DAYS,
  type CreatedLink,
  type CreateLinkBody,
  type LinkCheckInBody,
  type LinkPurpose,
  type LinkQuestionnaireAnswerBody,
  type LinkStatus,
  type OpenedLink,
  type ParticipantLink,
} from '../../../contracts/participant-links.js';
import { MOUD_TAKEN } from '../../../contracts/checkins.js';
import type { Ctx } from '../../platform/http/context.js';
import type { Executor } from '../../platform/db/database.js';
import { AppError, errors } from '../../platform/errors.js';
import { hashToken, newToken } from '../../platform/ids.js';
import { enqueueMessage, type ClaimedMessage, type Rendered, type Renderer } from '../../platform/messaging/outbox.js';
import { requireParticipant, requireParticipantAccess } from '../participants/participants.access.js';
import { contactFacts } from '../appointments/appointments.repository.js';
import { reachableNow, reminderChannel } from '../appointments/appointments.reminders.js';
import { definitionForLink, saveAnswers } from '../questionnaires/questionnaires.usecases.js';
import { definitionsById } from '../questionnaires/questionnaires.repository.js';
import { saveCheckIn } from '../checkins/checkins.usecases.js';
import { planSaved, sharedPlan } from '../coping-plans/coping-plans.usecases.js';
import * as repo from './participant-links.repository.js';

export const LINK_TEMPLATE = 'participant_link';
const DAY_MS = 86_400_000;
const ANSWER_PURPOSES: readonly LinkPurpose[] = ['questionnaire', 'check_in'];
const PLAN_KIND = { coping_plan: 'coping', safety_plan: 'safety' } as const;

const org = (ctx: Ctx) => ctx.actor.organizationId;

/** The address a participant opens: the secret in the fragment, which browsers never send to a server. */
export const linkUrl = (publicUrl: string, token: string): string => `${publicUrl}/l#token=${token}`;

export function statusOf(l: Pick<repo.LinkRecord, 'purpose' | 'revokedAt' | 'usedAt' | 'expiresAt' | 'openedAt'>, now: Date): LinkStatus {
  if (l.revokedAt) return 'revoked';
  if (l.usedAt) return 'answered';
  if (Date.parse(l.expiresAt) <= now.getTime()) return 'expired';
  return l.openedAt ? 'opened' : 'waiting';
}

function present(l: repo.LinkView, now: Date): z.infer<typeof ParticipantLink> {
  const alerts = l.alerts ? (JSON.parse(l.alerts) as unknown[]).length : 0;
  return {
    id: l.id,
    participantId: l.participantId,
    purpose: l.purpose,
    questionnaireKey: l.questionnaireKey,
    questionnaireTitle: l.questionnaireTitle,
    questionnaireVersion: l.questionnaireVersion,
    language: l.language,
    delivery: l.delivery,
    messageStatus: l.messageStatus,
    channel: l.channel,
    status: statusOf(l, now),
    createdBy: l.createdBy,
    createdAt: l.createdAt,
    expiresAt: l.expiresAt,
    openedAt: l.openedAt,
    answeredAt: l.usedAt,
    revokedAt: l.revokedAt,
    result: l.resultType && l.resultId ? { type: l.resultType, id: l.resultId, score: l.score, alerts } : null,
  };
}

const NO_CHANNEL_WORDS = {
  do_not_contact: 'This person asked not to be contacted. Show the code for them to scan instead.',
  no_channel: 'There is no phone number that may be texted and no email address. Show the code for them to scan instead.',
} as const;

// ---- the coach's side

export async function createLink(ctx: Ctx, participantId: string, input: z.output<typeof CreateLinkBody>, publicUrl: string): Promise<z.infer<typeof CreatedLink>> {
  await requireParticipant(ctx, participantId);
  let definitionId: string | null = null;
  let definitionKey: string | null = null;
  if (input.purpose === 'questionnaire') {
    const def = await definitionForLink(ctx, input.questionnaireKey!, input.language);
    if (!def) throw errors.invalid('questionnaireKey', 'There is no questionnaire with this key');
    definitionId = def.id;
    definitionKey = def.key;
  }
  if (input.purpose === 'coping_plan' || input.purpose === 'safety_plan') {
    if (!(await planSaved(ctx, PLAN_KIND[input.purpose], participantId))) {
      throw errors.invalid('purpose', input.purpose === 'coping_plan' ? 'Save the coping plan before sharing it' : 'Save the safety plan before sharing it');
    }
  }
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  let channel: 'sms' | 'email' | null = null;
  if (input.delivery === 'message') {
    const facts = await contactFacts(ctx.db, org(ctx), participantId);
    const allowed = facts ? reminderChannel(facts) : ({ none: 'no_channel' } as const);
    if ('none' in allowed) throw errors.invalid('delivery', NO_CHANNEL_WORDS[allowed.none]);
    channel = allowed.channel;
  }
  // A new link replaces the earlier open one of the same kind.
  const replaced = await repo.revoke(ctx.db, org(ctx), ctx.actor.userId, nowIso, { participantId, purpose: input.purpose, definitionKey });
  const token = input.delivery === 'code' ? newToken() : null;
  const outboxMessageId = channel
    ? await enqueueMessage(ctx.db, { organizationId: org(ctx), participantId, appointmentId: null, template: LINK_TEMPLATE, channel, sendAt: nowIso, createdBy: ctx.actor.userId, now: nowIso })
    : null;
  const id = await repo.insertLink(ctx.db, {
    organizationId: org(ctx),
    participantId,
    purpose: input.purpose,
    definitionId,
    language: input.language,
    delivery: input.delivery,
    outboxMessageId,
    tokenHash: token ? hashToken(token) : null,
    createdBy: ctx.actor.userId,
    now: nowIso,
    expiresAt: new Date(now.getTime() + LINK_TTL_DAYS * DAY_MS).toISOString(),
  });
  await ctx.audit({
    action: 'participant_link.create',
    targetType: 'participant_link',
    targetIds: [id, participantId],
    details: { purpose: input.purpose, delivery: input.delivery, language: input.language, ...(definitionKey && { key: definitionKey }), ...(channel && { channel }), ...(replaced.length && { replaced: replaced.length }) },
  });
  const link = present((await repo.findLinkView(ctx.db, org(ctx), id))!, now);
  return { ...link, token, url: token ? linkUrl(publicUrl, token) : null };
}

export async function listLinks(ctx: Ctx, participantId: string): Promise<{ links: z.infer<typeof ParticipantLink>[] }> {
  const { grantId } = await requireParticipantAccess(ctx, participantId);
  const rows = await repo.listLinks(ctx.db, org(ctx), participantId);
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [participantId], details: { part: 'links', ...(grantId && { breakGlassGrantId: grantId }) } });
  const now = ctx.clock.now();
  return { links: rows.map((r) => present(r, now)) };
}

export async function revokeLink(ctx: Ctx, id: string): Promise<z.infer<typeof ParticipantLink>> {
  const link = await repo.findLinkView(ctx.db, org(ctx), id);
  if (!link) throw errors.notFound('link');
  await requireParticipant(ctx, link.participantId);
  const now = ctx.clock.now();
  const status = statusOf(link, now);
  if (status === 'answered') throw new AppError('link.closed', 'This link was already answered; there is nothing to turn off.');
  if (status === 'waiting' || status === 'opened') {
    await repo.revoke(ctx.db, org(ctx), ctx.actor.userId, now.toISOString(), { id });
    await ctx.audit({ action: 'participant_link.revoke', targetType: 'participant_link', targetIds: [id, link.participantId], details: { purpose: link.purpose } });
  }
  return present((await repo.findLinkView(ctx.db, org(ctx), id))!, now);
}

// ---- the participant's side

const GONE = {
  'link.revoked': 'This link was turned off. Ask your coach for a new one.',
  'link.used': 'This link was already used. Thank you: your answers reached your coach.',
  'link.expired': 'This link has expired. Ask your coach for a new one.',
} as const;

/** The link a secret opens, or a friendly refusal (404 unknown; 410 turned off, answered, or expired). */
export async function resolveLink(db: Executor, token: string, now: Date): Promise<repo.LinkRecord> {
  const link = await repo.findByTokenHash(db, hashToken(token));
  if (!link) throw new AppError('record.not_found', 'This link does not work. Check that the whole address was copied, or ask your coach for a new one.');
  if (link.revokedAt) throw new AppError('link.revoked', GONE['link.revoked']);
  if (link.usedAt) throw new AppError('link.used', GONE['link.used']);
  if (Date.parse(link.expiresAt) <= now.getTime()) throw new AppError('link.expired', GONE['link.expired']);
  return link;
}

/**
 * What the page shows: a greeting with the preferred name (else the first name), the organization,
 * and the form or the plan. Opening does not use the link up. `ctx` acts for the link.
 */
export async function openLink(ctx: Ctx, link: repo.LinkRecord): Promise<z.infer<typeof OpenedLink>> {
  const facts = await repo.greetingFacts(ctx.db, link.organizationId, link.participantId);
  if (!facts) throw new AppError('record.not_found', 'This link does not work. Ask your coach for a new one.');
  await repo.markOpened(ctx.db, link.id, ctx.clock.now().toISOString());
  const out: z.infer<typeof OpenedLink> = {
    purpose: link.purpose,
    language: link.language,
    greetingName: facts.preferredName ?? facts.firstName,
    organizationName: facts.organizationName,
    expiresAt: link.expiresAt,
    questionnaire: null,
    checkIn: null,
    copingPlan: null,
    safetyPlan: null,
  };
  if (link.purpose === 'questionnaire') {
    const def = (await definitionsById(ctx.db, [link.definitionId!])).get(link.definitionId!)!;
    out.questionnaire = { key: def.key, version: def.version, language: def.language, title: def.title, source: def.source, items: def.items, scoring: def.scoring };
  } else if (link.purpose === 'check_in') {
    out.checkIn = { moudTakenChoices: [...MOUD_TAKEN] };
  } else {
    const kind = PLAN_KIND[link.purpose];
    const plan = await sharedPlan(ctx, kind, { id: link.participantId, preferredName: facts.preferredName, firstName: facts.firstName }, link.language);
    if (!plan) throw new AppError('link.revoked', GONE['link.revoked']);
    if ('coping' in plan) out.copingPlan = plan.coping;
    else out.safetyPlan = plan.safety;
    await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [link.participantId], details: { part: `shared_${link.purpose}` } });
  }
  await ctx.audit({ action: 'participant_link.open', targetType: 'participant_link', targetIds: [link.id, link.participantId], details: { purpose: link.purpose } });
  return out;
}

async function useUp(ctx: Ctx, link: repo.LinkRecord, purpose: LinkPurpose): Promise<void> {
  if (link.purpose !== purpose) {
    throw errors.invalid('token', ANSWER_PURPOSES.includes(link.purpose) ? 'This link is for a different form' : 'This link is for reading a plan, not for answers');
  }
  if (!(await repo.consume(ctx.db, link.id, ctx.clock.now().toISOString()))) {
    // Someone answered (or the coach turned it off) between reading the link and now.
    const again = await repo.findById(ctx.db, link.id);
    const code = again?.revokedAt ? 'link.revoked' : again?.usedAt ? 'link.used' : 'link.expired';
    throw new AppError(code, GONE[code]);
  }
}

export async function answerQuestionnaire(ctx: Ctx, link: repo.LinkRecord, input: z.output<typeof LinkQuestionnaireAnswerBody>): Promise<{ ok: true }> {
  await useUp(ctx, link, 'questionnaire');
  const def = (await definitionsById(ctx.db, [link.definitionId!])).get(link.definitionId!)!;
  const saved = await saveAnswers(ctx, link.participantId, def, { answers: input.answers, encounterId: null, source: 'participant_link' });
  await repo.setResult(ctx.db, link.id, 'questionnaire_response', saved.id);
  await ctx.audit({ action: 'participant_link.answer', targetType: 'participant_link', targetIds: [link.id, link.participantId, saved.id], details: { purpose: link.purpose, key: def.key } });
  return { ok: true };
}

export async function answerCheckIn(ctx: Ctx, link: repo.LinkRecord, input: z.output<typeof LinkCheckInBody>): Promise<{ ok: true }> {
  await useUp(ctx, link, 'check_in');
  const { token: _token, ...checkIn } = input;
  void _token;
  const saved = await saveCheckIn(ctx, link.participantId, checkIn, 'participant_link');
  await repo.setResult(ctx.db, link.id, 'check_in', saved.id);
  await ctx.audit({ action: 'participant_link.answer', targetType: 'participant_link', targetIds: [link.id, link.participantId, saved.id], details: { purpose: link.purpose, alerts: saved.alerts.length } });
  return { ok: true };
}

// ---- the message

/** The text: who it is from and that it expires; never what it is about (anyone may see a phone's screen). */
export function linkMessageText(url: string, language: 'en' | 'es'): { subject: string; body: string } {
  return language === 'es'
    ? { subject: 'Un enlace de su coach', body: `Su coach le envió un enlace. Funciona por ${LINK_TTL_DAYS} días: ${url}` }
    : { subject: 'A link from your coach', body: `Your coach sent you a link. It works for ${LINK_TTL_DAYS} days: ${url}` };
}

/**
 * The outbox renderer for link messages, run at send time: the link must still be open and the
 * participant's rules must still allow the channel; it waits for their contact window (cancelled
 * when the window opens only after the link expires). The secret is made now, so it exists only
 * in the message sent: the outbox keeps the text with the secret masked.
 */
export function linkRenderer(publicUrl: string): Renderer {
  return async (db: Executor, m: ClaimedMessage, now: Date): Promise<Rendered> => {
    const link = await repo.findByMessage(db, m.organizationId, m.id);
    if (!link) return { cancel: 'no_link' };
    const status = statusOf(link, now);
    if (status !== 'waiting' && status !== 'opened') return { cancel: `link_${status}` };
    const reach = await reachableNow(db, m, now, Date.parse(link.expiresAt));
    if (!('to' in reach)) return reach;
    const token = newToken();
    if (!(await repo.setTokenForMessage(db, link.id, hashToken(token), now.toISOString()))) return { cancel: 'link_closed' };
    const text = linkMessageText(linkUrl(publicUrl, token), link.language);
    const stored = linkMessageText(linkUrl(publicUrl, '…'), link.language);
    return { send: { to: reach.to, language: link.language, ...text, storedBody: stored.body } };
  };
}

/**
 * The disclosure gate: the one way information about a participant leaves the organization.
 * Every module that sends something out (a referral, a summary to a clinic, an export) calls
 * `disclose()` (or `discloseMany()` for an export covering many people) inside its write
 * transaction, and sends exactly the payload it gets back.
 *
 * Without a legal basis other than consent, an ACTIVE disclosure consent must cover it (42 CFR
 * 2.31, 2.33): not revoked, not expired on today's local date, signed on or before today, never a
 * participation consent (and never a verbal one: the contract refuses those); its recipients
 * cover the recipient, its purposes the purpose, its categories every category sent. Then agreed
 * restriction requests (§2.26) are checked: a matching one refuses. The exceptions that need no
 * consent (medical emergency §2.51, court order §2.61–2.67, audit or evaluation §2.53, research
 * §2.52) need a written detail, and agreed restrictions do not bind them (HIPAA 164.522(a)(1)(iii)
 * and (v): emergencies and disclosures required by law).
 *
 * On success the payload is frozen as sent, stamped with the §2.32 notice (the short form plus a
 * clear description of the consent or the legal basis), and recorded in `disclosures` — the
 * accounting (§2.24–2.25, HIPAA 164.528), never updated or deleted — and in the audit trail.
 *
 * Recipient matching (kept small on purpose):
 *
 * | the consent names                | covers a recipient that is                                     |
 * |----------------------------------|----------------------------------------------------------------|
 * | organization                     | an organization with the same refId (when both have one), else the same normalized name |
 * | person                           | a person with the same normalized name                          |
 * | class treating_providers         | an organization of type treating_provider                        |
 * | class health_plans               | an organization of type health_plan                              |
 * | class program_operations         | any organization or person, for the purpose operations only      |
 *
 * Purposes: a consent for treatment also covers care coordination (a kind of treatment).
 */
import { PURPOSE_OF_USE, type DisclosureRecipient, type Recipient, type REFUSAL_REASONS } from '../../../contracts/consents.js';
import type { Ctx } from '../../platform/http/context.js';
import { AppError, errors } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { localDate } from '../../platform/time.js';
import { findParticipant, normalizeName } from '../participants/participants.repository.js';
import * as repo from './consents.repository.js';
import { consentStatus, describeExpiration, KIND_DESCRIPTIONS, PURPOSE_DESCRIPTIONS } from './consents.words.js';

export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export interface DiscloseInput {
  participantId: string;
  recipient: DisclosureRecipient;
  purpose: repo.Purpose;
  categories: readonly repo.Category[];
  /** Exactly what is sent; frozen as JSON in the accounting. */
  payload: unknown;
  /** Absent or 'consent': an active consent must cover the disclosure. */
  legalBasis?: repo.LegalBasis | undefined;
  /** Required for every basis other than consent: the emergency, the order, the audit, the approval. */
  legalBasisDetail?: string | undefined;
  /** Disclosures made together (one export) share a batch id. */
  batchId?: string | undefined;
}

export interface DisclosureMade {
  id: string;
  notice: string;
  payload: unknown;
  disclosedAt: string;
  consentId: string | null;
  legalBasis: repo.LegalBasis;
  purposeOfUse: string;
}

export type Verdict = { ok: true; consent: repo.ConsentRecord } | { ok: false; reason: RefusalReason; missingCategories?: repo.Category[] };

/** 42 CFR 2.32: the short form of the notice that goes with every disclosure. */
export const PART2_NOTICE = '42 CFR part 2 prohibits unauthorized use or disclosure of these records.';

const LEGAL_BASIS_WORDS: Record<Exclude<repo.LegalBasis, 'consent'>, string> = {
  medical_emergency: 'a medical emergency (42 CFR 2.51)',
  court_order: 'a court order (42 CFR 2.61–2.67)',
  audit_evaluation: 'an audit or evaluation (42 CFR 2.53)',
  research: 'research (42 CFR 2.52)',
};

const REFUSAL_MESSAGES: Record<RefusalReason, string> = {
  no_consent: 'There is no signed consent to share this person’s information. Record a consent first.',
  consent_revoked: 'The consent that covered this was revoked, so nothing can be shared under it.',
  consent_expired: 'The consent that covered this has expired. Record a new consent first.',
  recipient_not_covered: 'No active consent names this recipient.',
  purpose_not_covered: 'The consent for this recipient does not cover this purpose.',
  categories_not_covered: 'The consent for this recipient does not cover all of this information.',
  restricted: 'The person asked to restrict this disclosure, and the program agreed to it.',
};

const sameName = (a: string, b: string) => normalizeName(a) === normalizeName(b);

/** Does a recipient named in a consent (or a restriction) cover this recipient, for this purpose? */
export function recipientCovers(named: Recipient, to: DisclosureRecipient, purpose: repo.Purpose): boolean {
  switch (named.kind) {
    case 'organization':
      if (to.kind !== 'organization') return false;
      if (named.refId && to.refId) return named.refId === to.refId;
      return sameName(named.name, to.name);
    case 'person':
      return to.kind === 'person' && sameName(named.name, to.name);
    case 'class':
      switch (named.class) {
        case 'treating_providers':
          return to.kind === 'organization' && to.type === 'treating_provider';
        case 'health_plans':
          return to.kind === 'organization' && to.type === 'health_plan';
        case 'program_operations':
          return purpose === 'operations';
      }
  }
}

/** Care coordination is a kind of treatment: a consent (or restriction) for treatment covers it. */
export const purposeCovered = (purposes: readonly repo.Purpose[], purpose: repo.Purpose): boolean =>
  purposes.includes(purpose) || (purpose === 'care_coordination' && purposes.includes('treatment'));

/**
 * The decision, from the participant's consents and agreed restrictions (pure: tested on its own
 * and through the routes). When nothing covers the request, the most helpful reason: a consent
 * that would have covered it but is revoked or expired; else how far the best active consent got.
 */
export function evaluate(
  consents: readonly repo.ConsentRecord[],
  restrictions: readonly repo.RestrictionRecord[],
  req: { recipient: DisclosureRecipient; purpose: repo.Purpose; categories: readonly repo.Category[] },
  today: string,
): Verdict {
  const checks = consents
    .filter((c) => c.kind !== 'participation' && c.signedOn <= today)
    .map((c) => {
      const recipient = c.recipients.some((r) => recipientCovers(r, req.recipient, req.purpose));
      const purpose = purposeCovered(c.purposes, req.purpose);
      const missing = req.categories.filter((k) => !c.categories.includes(k));
      return { c, state: consentStatus(c, today), recipient, purpose, missing, full: recipient && purpose && missing.length === 0 };
    })
    .sort((a, b) => (a.c.signedOn === b.c.signedOn ? (a.c.id < b.c.id ? 1 : -1) : a.c.signedOn < b.c.signedOn ? 1 : -1));
  if (checks.length === 0) return { ok: false, reason: 'no_consent' };

  const good = checks.find((k) => k.state === 'active' && k.full);
  if (good) {
    const restricted = restrictions.some(
      (r) =>
        r.status === 'agreed' &&
        (r.recipient === null || recipientCovers(r.recipient, req.recipient, req.purpose)) &&
        (r.categories.length === 0 || r.categories.some((k) => req.categories.includes(k))) &&
        (r.purposes.length === 0 || purposeCovered(r.purposes, req.purpose)),
    );
    return restricted ? { ok: false, reason: 'restricted' } : { ok: true, consent: good.c };
  }

  const inactiveReason = (ks: typeof checks): RefusalReason | undefined =>
    ks.some((k) => k.state === 'revoked') ? 'consent_revoked' : ks.length ? 'consent_expired' : undefined;
  const fullInactive = inactiveReason(checks.filter((k) => k.full));
  if (fullInactive) return { ok: false, reason: fullInactive };
  const active = checks.filter((k) => k.state === 'active');
  if (active.length === 0) return { ok: false, reason: inactiveReason(checks.filter((k) => k.recipient)) ?? 'recipient_not_covered' };
  const closest = active.filter((k) => k.recipient && k.purpose).sort((a, b) => a.missing.length - b.missing.length)[0];
  if (closest) return { ok: false, reason: 'categories_not_covered', missingCategories: closest.missing };
  if (active.some((k) => k.recipient)) return { ok: false, reason: 'purpose_not_covered' };
  return { ok: false, reason: 'recipient_not_covered' };
}

export function consentNotice(c: repo.ConsentRecord): string {
  const purposes = c.purposes.map((p) => PURPOSE_DESCRIPTIONS[p]).join(', ');
  return (
    `${PART2_NOTICE}\n` +
    `Disclosed with the written consent of the person: consent ${c.id} (${KIND_DESCRIPTIONS[c.kind]}), ` +
    `signed ${c.signedOn}, for ${purposes}; ${describeExpiration(c)}.`
  );
}

function legalBasisNotice(basis: Exclude<repo.LegalBasis, 'consent'>, detail: string): string {
  return `${PART2_NOTICE}\nDisclosed without consent under ${LEGAL_BASIS_WORDS[basis]}: ${detail}.`;
}

/** The refusal, recorded as a denied attempt (it stays when the caller's transaction rolls back). */
function refuse(ctx: Ctx, participantId: string, v: Extract<Verdict, { ok: false }>): AppError {
  ctx.auditDenied({ action: 'disclosure.create', targetType: 'participant', targetIds: [participantId], details: { reason: v.reason } });
  return new AppError('disclosure.refused', REFUSAL_MESSAGES[v.reason], {
    details: { reason: v.reason, ...(v.missingCategories && { missingCategories: v.missingCategories }) },
  });
}

/** Disclose one participant's information, or refuse with 422 disclosure.refused (see the file comment). */
export async function disclose(ctx: Ctx, input: DiscloseInput): Promise<DisclosureMade> {
  const organizationId = ctx.actor.organizationId;
  const participant = await findParticipant(ctx.db, organizationId, input.participantId);
  if (!participant) throw errors.notFound('person');
  const categories = [...new Set(input.categories)];
  if (categories.length === 0) throw errors.invalid('categories', 'Choose at least one kind of information');
  const legalBasis = input.legalBasis ?? 'consent';
  const org = (await repo.organizationConsentFacts(ctx.db, organizationId))!;
  const now = ctx.clock.now();

  let consentId: string | null = null;
  let notice: string;
  if (legalBasis === 'consent') {
    const today = localDate(now, org.timeZone);
    const consents = await repo.listConsents(ctx.db, organizationId, input.participantId, ['disclosure_tpo', 'disclosure_specific']);
    const restrictions = await repo.listRestrictions(ctx.db, organizationId, input.participantId, 'agreed');
    const verdict = evaluate(consents, restrictions, { recipient: input.recipient, purpose: input.purpose, categories }, today);
    if (!verdict.ok) throw refuse(ctx, input.participantId, verdict);
    consentId = verdict.consent.id;
    notice = consentNotice(verdict.consent);
  } else {
    const detail = input.legalBasisDetail?.trim();
    if (!detail) throw errors.invalid('legalBasisDetail', 'Describe the emergency, order, audit or research approval');
    notice = legalBasisNotice(legalBasis, detail);
  }

  const frozen = JSON.stringify(input.payload ?? null);
  const disclosedAt = now.toISOString();
  const purposeOfUse = PURPOSE_OF_USE[input.purpose];
  const id = await repo.insertDisclosure(ctx.db, {
    organizationId,
    participantId: input.participantId,
    disclosedAt,
    recipient: input.recipient,
    categories,
    purpose: input.purpose,
    purposeOfUse,
    consentId,
    legalBasis,
    legalBasisDetail: legalBasis === 'consent' ? null : (input.legalBasisDetail?.trim() ?? null),
    payload: frozen,
    notice,
    batchId: input.batchId ?? null,
    disclosedBy: ctx.actor.userId,
  });
  await ctx.audit({
    action: 'disclosure.create',
    targetType: 'disclosure',
    targetIds: [id, input.participantId],
    details: { purpose: input.purpose, purposeOfUse, legalBasis, consentId, categories, ...(input.batchId && { batchId: input.batchId }) },
  });
  return { id, notice, payload: JSON.parse(frozen) as unknown, disclosedAt, consentId, legalBasis, purposeOfUse };
}

export type ManyOutcome =
  | { participantId: string; outcome: 'disclosed'; disclosure: DisclosureMade }
  | { participantId: string; outcome: 'refused'; reason: RefusalReason | 'not_found'; missingCategories?: repo.Category[] };

/**
 * An export covering many participants: each is checked on its own, and a refusal does not stop
 * the others. All share one batch id (given, or made here). Errors other than a refusal (a bad
 * legal basis detail) stop the whole export.
 */
export async function discloseMany(ctx: Ctx, items: readonly (Omit<DiscloseInput, 'batchId'> & { batchId?: string })[], batchId: string = newId()): Promise<ManyOutcome[]> {
  const out: ManyOutcome[] = [];
  for (const item of items) {
    try {
      out.push({ participantId: item.participantId, outcome: 'disclosed', disclosure: await disclose(ctx, { ...item, batchId }) });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.code === 'record.not_found') {
        out.push({ participantId: item.participantId, outcome: 'refused', reason: 'not_found' });
      } else if (err.code === 'disclosure.refused') {
        const d = err.details as { reason: RefusalReason; missingCategories?: repo.Category[] };
        out.push({ participantId: item.participantId, outcome: 'refused', reason: d.reason, ...(d.missingCategories && { missingCategories: d.missingCategories }) });
      } else {
        throw err;
      }
    }
  }
  return out;
}

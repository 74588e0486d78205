/**
 * Rules for consents (42 CFR 2.31), minors (§2.14), revocation, restriction requests (§2.26),
 * disclosures through the gate and the accounting (§2.24–2.25). Every use case that touches a
 * participant calls `requireParticipant` first (404 another organization, 403 out of scope).
 * Reads are audited with ids only; writes are audited in their transaction.
 */
import type { z } from 'zod';
import type {
  AccountingQuery,
  CreateConsentBody,
  CreateDisclosureBody,
  CreateRestrictionBody,
  DecideRestrictionBody,
  EndRestrictionBody,
  RevokeConsentBody,
  SignatureInput,
  UpdateConsentSettingsBody,
} from '../../../contracts/consents.js';
import type { Ctx } from '../../platform/http/context.js';
import { AppError, errors, type FieldError } from '../../platform/errors.js';
import { localDate } from '../../platform/time.js';
import type { ParticipantRecord } from '../participants/participants.repository.js';
import { requireParticipant } from '../participants/participants.access.js';
import * as repo from './consents.repository.js';
import { disclose, type DisclosureMade } from './disclosure-gate.js';
import { consentStatus } from './consents.words.js';
import { presentConsent, presentRestriction } from './consents.presenters.js';

type Body = z.output<typeof CreateConsentBody>;

async function orgFacts(ctx: Ctx) {
  const org = await repo.organizationConsentFacts(ctx.db, ctx.actor.organizationId);
  if (!org) throw errors.notFound('organization');
  return org;
}

const todayIn = (ctx: Ctx, timeZone: string) => localDate(ctx.clock.now(), timeZone);

export interface ConsentWithSignatures {
  consent: repo.ConsentRecord;
  signatures: repo.SignatureRecord[];
  today: string;
}

// ---- consents

/** Whole years on a date, from a date of birth, else from a birth year (year difference); null when unknown. */
export function ageOn(p: Pick<ParticipantRecord, 'dateOfBirth' | 'birthYear'>, on: string): number | null {
  const year = Number(on.slice(0, 4));
  if (p.dateOfBirth) {
    const [y, m, d] = p.dateOfBirth.split('-').map(Number) as [number, number, number];
    const monthDay = Number(on.slice(5, 7)) * 100 + Number(on.slice(8, 10));
    return year - y - (monthDay < m * 100 + d ? 1 : 0);
  }
  return p.birthYear != null ? year - p.birthYear : null;
}

const missingElement = (fields: FieldError[]) =>
  new AppError('consent.missing_element', `This consent is missing ${fields.length === 1 ? 'a required element' : 'required elements'} (42 CFR 2.31): ${fields.map((f) => f.message).join(' ')}`, { fields });

const signerNotAllowed = (path: string, message: string) => new AppError('consent.signer_not_allowed', message, { fields: [{ path, message }] });

function signatureGaps(s: SignatureInput, key: 'signature' | 'coSignature'): FieldError[] {
  const gaps: FieldError[] = [];
  if (s.method === 'verbal') {
    if (!s.witnessName) gaps.push({ path: `${key}.witnessName`, message: 'Verbal consent needs the name of the staff member who witnessed it.' });
  } else {
    if (!s.data?.trim()) gaps.push({ path: `${key}.data`, message: s.method === 'drawn' ? 'Draw the signature.' : 'Type the name as the signature.' });
    // "I confirm this is my signature."
    if (s.attested !== true) gaps.push({ path: `${key}.attested`, message: 'The signer must confirm this is their signature.' });
  }
  if (s.signerRole !== 'participant' && !s.legalBasis) {
    gaps.push({ path: `${key}.legalBasis`, message: 'Someone signing for the participant must give the legal basis (for example guardianship papers).' });
  }
  return gaps;
}

/**
 * §2.14 and who may sign. Minors (under 18 on the signing date): with 'minor_consents' the
 * minor's own signature governs (a parent or guardian alone is refused; no co-signer); with
 * 'parent_required' the minor signs and a parent or guardian co-signs. Adults sign themselves, or
 * a guardian or personal representative signs with a legal basis; no co-signer. Unknown age: adult.
 */
function checkSigners(rule: repo.MinorConsentRule, age: number | null, sig: SignatureInput, co: SignatureInput | null): void {
  const minor = age !== null && age < 18;
  if (minor) {
    if (sig.signerRole !== 'participant') {
      throw signerNotAllowed(
        'signature.signerRole',
        rule === 'minor_consents'
          ? 'This participant is a minor who consents for themselves (42 CFR 2.14): the participant signs, not a parent or guardian alone.'
          : 'This participant is a minor: the participant signs, and a parent or guardian signs beside them.',
      );
    }
    if (rule === 'parent_required') {
      if (!co) throw signerNotAllowed('coSignature', 'This organization requires a parent or guardian to sign beside a minor (42 CFR 2.14).');
      if (co.signerRole !== 'parent' && co.signerRole !== 'guardian') throw signerNotAllowed('coSignature.signerRole', 'The co-signer of a minor’s consent must be a parent or guardian.');
    } else if (co) {
      throw signerNotAllowed('coSignature', 'Where a minor consents for themselves, only the minor signs (42 CFR 2.14).');
    }
    return;
  }
  if (sig.signerRole === 'parent') {
    throw signerNotAllowed('signature.signerRole', 'An adult signs for themselves, or a guardian or personal representative signs with a legal basis.');
  }
  if (co) throw signerNotAllowed('coSignature', 'Only a minor’s consent may have a co-signer.');
}

/** Record a consent: every §2.31 element, the signer rules, its signature rows, in one transaction. */
export async function createConsent(ctx: Ctx, participantId: string, input: Body): Promise<ConsentWithSignatures> {
  const participant = await requireParticipant(ctx, participantId);
  const org = await orgFacts(ctx);
  const today = todayIn(ctx, org.timeZone);
  const participation = input.kind === 'participation';
  // A participation consent is to and for the program itself.
  const recipients = input.recipients ?? (participation ? [{ kind: 'organization' as const, name: org.name, type: 'other' as const }] : []);
  const purposes = input.purposes ?? (participation ? ['treatment' as const] : []);

  // 42 CFR 2.31(a): each element, named by its body field. The patient is the participant (implicit).
  const gaps: FieldError[] = [];
  if (!input.categories?.length) gaps.push({ path: 'categories', message: 'Describe the information to be shared: choose at least one kind.' });
  if (!recipients.length) gaps.push({ path: 'recipients', message: 'Name at least one recipient.' });
  if (!purposes.length) gaps.push({ path: 'purposes', message: 'Choose at least one purpose.' });
  if (input.rightToRevokeExplained !== true) gaps.push({ path: 'rightToRevokeExplained', message: 'Confirm the person was told of the right to revoke and how.' });
  if (!input.expiresOn && !input.expirationEvent) gaps.push({ path: 'expiresOn', message: 'Give an expiration date or event.' });
  if (input.kind === 'disclosure_tpo') {
    // §2.31(a)(4)(iii)(B) and (a)(9): the HIPAA redisclosure statement and the consequences of refusing.
    if (input.redisclosureStatementGiven !== true) gaps.push({ path: 'redisclosureStatementGiven', message: 'Confirm the person was told the records may be redisclosed under HIPAA.' });
    if (input.refusalConsequencesExplained !== true) gaps.push({ path: 'refusalConsequencesExplained', message: 'Confirm the person was told what refusing to sign means.' });
  }
  if (!input.signedOn) gaps.push({ path: 'signedOn', message: 'Give the date it was signed.' });
  if (!input.signature) gaps.push({ path: 'signature', message: 'The consent needs a signature.' });
  else gaps.push(...signatureGaps(input.signature, 'signature'));
  if (input.coSignature) gaps.push(...signatureGaps(input.coSignature, 'coSignature'));
  if (gaps.length) throw missingElement(gaps);
  const signedOn = input.signedOn!;
  const signature = input.signature!;

  if (signedOn > today) throw errors.invalid('signedOn', 'Enter the date it was signed: today or earlier');
  if (input.expiresOn && input.expiresOn <= signedOn) throw errors.invalid('expiresOn', 'Enter an expiration date after the date it was signed');
  checkSigners(org.minorConsentRule, ageOn(participant, signedOn), signature, input.coSignature ?? null);

  const now = ctx.clock.now().toISOString();
  const id = await repo.insertConsent(
    ctx.db,
    {
      organizationId: ctx.actor.organizationId,
      participantId,
      kind: input.kind,
      discloser: input.discloser ?? org.name,
      categories: [...new Set(input.categories)],
      recipients,
      purposes: [...new Set(purposes)],
      expiresOn: input.expiresOn ?? null,
      expirationEvent: input.expirationEvent ?? null,
      rightToRevokeExplained: true,
      redisclosureStatementGiven: input.redisclosureStatementGiven === true,
      refusalConsequencesExplained: input.refusalConsequencesExplained === true,
      formLanguage: input.formLanguage ?? 'en',
      signedOn,
      createdBy: ctx.actor.userId,
    },
    now,
  );
  for (const s of [signature, ...(input.coSignature ? [input.coSignature] : [])]) {
    await repo.insertSignature(ctx.db, ctx.actor.organizationId, {
      consentId: id,
      signerRole: s.signerRole,
      signerName: s.signerName,
      legalBasis: s.legalBasis ?? null,
      method: s.method,
      data: s.method === 'verbal' ? null : (s.data ?? null),
      attested: s.attested === true,
      witnessName: s.method === 'verbal' ? (s.witnessName ?? null) : null,
      signedAt: now,
      recordedBy: ctx.actor.userId,
    });
  }
  const consent = (await repo.findConsent(ctx.db, ctx.actor.organizationId, id))!;
  if (participation && consentStatus(consent, today) === 'active') await repo.setFollowUpFlag(ctx.db, ctx.actor.organizationId, participantId, true, now);
  await ctx.audit({ action: 'consent.create', targetType: 'consent', targetIds: [id, participantId], details: { kind: input.kind, signatures: input.coSignature ? 2 : 1 } });
  return { consent, signatures: await repo.listSignatures(ctx.db, ctx.actor.organizationId, id), today };
}

export type ParticipationConsentInput =
  | { method: 'verbal'; witnessName: string; signedOn?: string; signerName?: string }
  | { method: 'typed' | 'drawn'; data: string; attested: true; signerName?: string; signedOn?: string };

/**
 * Consent to take part and to be contacted, as brief intake records it (call it inside the
 * intake's transaction, after the participant exists). The brief intake script tells the person
 * about the right to revoke; the consent lasts until the end of their participation. Keeps the
 * participant's `consent_to_follow_up` flag in step. It never authorizes a disclosure.
 */
export async function recordParticipationConsent(ctx: Ctx, participantId: string, input: ParticipationConsentInput): Promise<repo.ConsentRecord> {
  const participant = await requireParticipant(ctx, participantId);
  const signerName =
    input.signerName ?? ([participant.firstName, participant.lastName].filter(Boolean).join(' ') || participant.alias || participant.preferredName || 'Participant');
  const signature: SignatureInput =
    input.method === 'verbal'
      ? { method: 'verbal', witnessName: input.witnessName, signerRole: 'participant', signerName }
      : { method: input.method, data: input.data, attested: input.attested, signerRole: 'participant', signerName };
  const org = await orgFacts(ctx);
  const r = await createConsent(ctx, participantId, {
    kind: 'participation',
    categories: ['demographics_contact'],
    rightToRevokeExplained: true,
    expirationEvent: 'the end of participation in the program',
    signedOn: input.signedOn ?? todayIn(ctx, org.timeZone),
    signature,
  });
  return r.consent;
}

async function requireConsent(ctx: Ctx, id: string): Promise<repo.ConsentRecord> {
  const c = await repo.findConsent(ctx.db, ctx.actor.organizationId, id);
  if (!c) throw errors.notFound('consent');
  await requireParticipant(ctx, c.participantId);
  return c;
}

export async function listConsents(ctx: Ctx, participantId: string): Promise<{ consents: repo.ConsentRecord[]; today: string }> {
  await requireParticipant(ctx, participantId);
  const org = await orgFacts(ctx);
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [participantId], details: { part: 'consents' } });
  return { consents: await repo.listConsents(ctx.db, ctx.actor.organizationId, participantId), today: todayIn(ctx, org.timeZone) };
}

export async function getConsent(ctx: Ctx, id: string): Promise<ConsentWithSignatures> {
  const consent = await requireConsent(ctx, id);
  const org = await orgFacts(ctx);
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [consent.participantId], details: { part: 'consent', consentId: id } });
  return { consent, signatures: await repo.listSignatures(ctx.db, ctx.actor.organizationId, id), today: todayIn(ctx, org.timeZone) };
}

const alreadyRevoked = () => new AppError('consent.revoked', 'This consent is already revoked. What was shared before stays in the accounting.');

/** Revocation stops future disclosures at once (the gate reads it in the same database). */
export async function revokeConsent(ctx: Ctx, id: string, input: z.output<typeof RevokeConsentBody>): Promise<ConsentWithSignatures> {
  const current = await requireConsent(ctx, id);
  if (current.revokedAt) throw alreadyRevoked();
  const org = await orgFacts(ctx);
  const today = todayIn(ctx, org.timeZone);
  if (input.revokedOn > today) throw errors.invalid('revokedOn', 'Enter the date it was revoked: today or earlier');
  if (input.revokedOn < current.signedOn) throw errors.invalid('revokedOn', 'Enter a date on or after the date it was signed');
  const now = ctx.clock.now().toISOString();
  const ok = await repo.revokeConsent(ctx.db, ctx.actor.organizationId, id, input.version, { revokedOn: input.revokedOn, method: input.method, note: input.note ?? null, revokedBy: ctx.actor.userId }, now);
  if (!ok) {
    const latest = (await repo.findConsent(ctx.db, ctx.actor.organizationId, id))!;
    if (latest.revokedAt) throw alreadyRevoked();
    throw errors.conflict(presentConsent(latest, today), latest.version);
  }
  if (current.kind === 'participation') {
    const others = await repo.listConsents(ctx.db, ctx.actor.organizationId, current.participantId, ['participation']);
    if (!others.some((c) => consentStatus(c, today) === 'active')) await repo.setFollowUpFlag(ctx.db, ctx.actor.organizationId, current.participantId, false, now);
  }
  await ctx.audit({ action: 'consent.revoke', targetType: 'consent', targetIds: [id, current.participantId], details: { kind: current.kind, method: input.method } });
  return { consent: (await repo.findConsent(ctx.db, ctx.actor.organizationId, id))!, signatures: await repo.listSignatures(ctx.db, ctx.actor.organizationId, id), today };
}

// ---- the organization's rule for minors

export async function getConsentSettings(ctx: Ctx): Promise<{ minorConsentRule: repo.MinorConsentRule; version: number }> {
  const org = await orgFacts(ctx);
  return { minorConsentRule: org.minorConsentRule, version: org.version };
}

export async function updateConsentSettings(ctx: Ctx, input: z.output<typeof UpdateConsentSettingsBody>): Promise<{ minorConsentRule: repo.MinorConsentRule; version: number }> {
  const before = await orgFacts(ctx);
  const ok = await repo.setMinorConsentRule(ctx.db, ctx.actor.organizationId, input.minorConsentRule, input.version, ctx.clock.now().toISOString());
  if (!ok) throw errors.conflict({ minorConsentRule: before.minorConsentRule, version: before.version }, before.version);
  await ctx.audit({
    action: 'organization.consent_settings',
    targetType: 'organization',
    targetIds: [ctx.actor.organizationId],
    details: { minorConsentRule: input.minorConsentRule, from: before.minorConsentRule },
  });
  return getConsentSettings(ctx);
}

// ---- restriction requests (§2.26)

/**
 * A restriction toward a health plan (recipient type health_plan, or the class health_plans) for
 * services paid in full out of pocket must be agreed (HIPAA 164.522(a)(1)(vi), carried into Part 2
 * by the 2024 rule).
 */
export function mustAgree(r: Pick<repo.RestrictionRecord, 'recipient' | 'paidOutOfPocket'>): boolean {
  if (!r.paidOutOfPocket || !r.recipient) return false;
  return (r.recipient.kind === 'organization' && r.recipient.type === 'health_plan') || (r.recipient.kind === 'class' && r.recipient.class === 'health_plans');
}

export async function createRestriction(ctx: Ctx, participantId: string, input: z.output<typeof CreateRestrictionBody>): Promise<repo.RestrictionRecord> {
  await requireParticipant(ctx, participantId);
  const org = await orgFacts(ctx);
  const today = todayIn(ctx, org.timeZone);
  const requestedOn = input.requestedOn ?? today;
  if (requestedOn > today) throw errors.invalid('requestedOn', 'Enter the date it was asked for: today or earlier');
  const id = await repo.insertRestriction(
    ctx.db,
    {
      organizationId: ctx.actor.organizationId,
      participantId,
      requestedOn,
      description: input.description,
      recipient: input.recipient,
      categories: [...new Set(input.categories)],
      purposes: [...new Set(input.purposes)],
      paidOutOfPocket: input.paidOutOfPocket,
      createdBy: ctx.actor.userId,
    },
    ctx.clock.now().toISOString(),
  );
  await ctx.audit({ action: 'restriction.create', targetType: 'restriction', targetIds: [id, participantId] });
  return (await repo.findRestriction(ctx.db, ctx.actor.organizationId, id))!;
}

export async function listRestrictions(ctx: Ctx, participantId: string): Promise<repo.RestrictionRecord[]> {
  await requireParticipant(ctx, participantId);
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [participantId], details: { part: 'restrictions' } });
  return repo.listRestrictions(ctx.db, ctx.actor.organizationId, participantId);
}

async function requireRestriction(ctx: Ctx, id: string): Promise<repo.RestrictionRecord> {
  const r = await repo.findRestriction(ctx.db, ctx.actor.organizationId, id);
  if (!r) throw errors.notFound('restriction request');
  await requireParticipant(ctx, r.participantId);
  return r;
}

async function saveRestriction(ctx: Ctx, current: repo.RestrictionRecord, version: number, patch: Parameters<typeof repo.updateRestriction>[4]): Promise<repo.RestrictionRecord> {
  const ok = await repo.updateRestriction(ctx.db, ctx.actor.organizationId, current.id, version, patch, ctx.clock.now().toISOString());
  const latest = (await repo.findRestriction(ctx.db, ctx.actor.organizationId, current.id))!;
  if (!ok) throw errors.conflict(presentRestriction(latest), latest.version);
  return latest;
}

export async function decideRestriction(ctx: Ctx, id: string, input: z.output<typeof DecideRestrictionBody>): Promise<repo.RestrictionRecord> {
  const current = await requireRestriction(ctx, id);
  if (current.status !== 'pending') throw errors.invalid('decision', `This request was already ${current.status}`);
  if (input.decision === 'declined' && mustAgree(current)) {
    throw new AppError('restriction.must_agree', 'A request not to share with a health plan about services the person paid for in full must be agreed.', {
      fields: [{ path: 'decision', message: 'This request must be agreed' }],
    });
  }
  const now = ctx.clock.now().toISOString();
  const saved = await saveRestriction(ctx, current, input.version, { status: input.decision, decisionReason: input.reason ?? null, decidedAt: now, decidedBy: ctx.actor.userId });
  await ctx.audit({ action: 'restriction.decide', targetType: 'restriction', targetIds: [id, current.participantId], details: { decision: input.decision } });
  return saved;
}

/** End a pending or agreed restriction (from then on the gate no longer applies it). Ending twice is a no-op. */
export async function endRestriction(ctx: Ctx, id: string, input: z.output<typeof EndRestrictionBody>): Promise<repo.RestrictionRecord> {
  const current = await requireRestriction(ctx, id);
  if (current.status === 'ended') return current;
  if (current.status === 'declined') throw errors.invalid('version', 'A declined request has nothing to end');
  const saved = await saveRestriction(ctx, current, input.version, { status: 'ended', endedAt: ctx.clock.now().toISOString() });
  await ctx.audit({ action: 'restriction.end', targetType: 'restriction', targetIds: [id, current.participantId], details: { from: current.status } });
  return saved;
}

// ---- disclosures and the accounting

/** What a summary for a recipient holds, for the categories chosen (more as modules arrive). */
export function summaryFor(categories: readonly repo.Category[], p: ParticipantRecord): Record<string, unknown> {
  const out: Record<string, unknown> = { categories: [...categories] };
  if (categories.includes('demographics_contact')) {
    out.demographicsContact = { firstName: p.firstName, lastName: p.lastName, preferredName: p.preferredName, dateOfBirth: p.dateOfBirth, phone: p.phone };
  }
  if (categories.includes('moud')) out.moud = { currentMoud: p.currentMoud, source: p.moudSource };
  if (categories.includes('substance_use_history')) {
    out.substanceUseHistory = { primarySubstance: p.primarySubstance, secondarySubstance: p.secondarySubstance, routeOfUse: p.routeOfUse };
  }
  return out;
}

/** A coach records sending a summary: built from the record, limited to the categories, through the gate. */
export async function createDisclosure(ctx: Ctx, participantId: string, input: z.output<typeof CreateDisclosureBody>): Promise<DisclosureMade> {
  const participant = await requireParticipant(ctx, participantId);
  return disclose(ctx, {
    participantId,
    recipient: input.recipient,
    purpose: input.purpose,
    categories: input.categories,
    payload: summaryFor([...new Set(input.categories)], participant),
    legalBasis: input.legalBasis,
    legalBasisDetail: input.legalBasisDetail,
  });
}

const DAY = 86_400_000;
const shiftDate = (d: string, days: number) => new Date(Date.parse(`${d}T00:00:00Z`) + days * DAY).toISOString();

/** The accounting between two local dates (inclusive), newest first, with who disclosed. */
export async function accounting(
  ctx: Ctx,
  participantId: string,
  q: z.output<typeof AccountingQuery>,
): Promise<{ items: repo.DisclosureRecord[]; names: Map<string, string> }> {
  await requireParticipant(ctx, participantId);
  if (q.from && q.to && q.from > q.to) throw errors.invalid('to', 'Enter an end date on or after the start date');
  const org = await orgFacts(ctx);
  // A day wider in UTC on each side than any time zone, then exactly by the local date.
  const range = { ...(q.from && { from: shiftDate(q.from, -1) }), ...(q.to && { to: shiftDate(q.to, 2) }) };
  const items = (await repo.listDisclosures(ctx.db, ctx.actor.organizationId, participantId, range)).filter((d) => {
    const day = localDate(new Date(d.disclosedAt), org.timeZone);
    return (!q.from || day >= q.from) && (!q.to || day <= q.to);
  });
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [participantId], details: { part: 'disclosures', results: items.length } });
  return { items, names: await repo.displayNames(ctx.db, items.map((d) => d.disclosedBy)) };
}

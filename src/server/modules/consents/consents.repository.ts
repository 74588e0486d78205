/**
 * All SQL about consents, their signatures, restriction requests and disclosures. Every query is
 * filtered by organization; rows never leave this file (records do). JSON columns are text.
 * Disclosures are only ever inserted: the accounting keeps every row (at least six years).
 */
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import type {
  CONSENT_KINDS,
  DisclosureRecipient,
  FORM_LANGUAGES,
  INFO_CATEGORIES,
  LEGAL_BASES,
  PURPOSES,
  Recipient,
  REVOCATION_METHODS,
  RESTRICTION_STATUSES,
  SIGNATURE_METHODS,
  SIGNER_ROLES,
  MINOR_CONSENT_RULES,
  Restriction,
} from '../../../contracts/consents.js';
import type { Executor } from '../../platform/db/database.js';
import type { ConsentsTable, ConsentSignaturesTable, DisclosuresTable, RestrictionRequestsTable } from '../../platform/db/tables.js';
import { newId } from '../../platform/ids.js';

export type ConsentKind = (typeof CONSENT_KINDS)[number];
export type Category = (typeof INFO_CATEGORIES)[number];
export type Purpose = (typeof PURPOSES)[number];
export type LegalBasis = (typeof LEGAL_BASES)[number];
export type MinorConsentRule = (typeof MINOR_CONSENT_RULES)[number];

const json = <T>(v: string | null): T => JSON.parse(v ?? 'null') as T;
const flag = (v: unknown): boolean => Number(v) === 1;

// ---- consents

export interface ConsentRecord {
  id: string;
  organizationId: string;
  participantId: string;
  kind: ConsentKind;
  discloser: string;
  categories: Category[];
  recipients: Recipient[];
  purposes: Purpose[];
  expiresOn: string | null;
  expirationEvent: string | null;
  rightToRevokeExplained: boolean;
  redisclosureStatementGiven: boolean;
  refusalConsequencesExplained: boolean;
  formLanguage: (typeof FORM_LANGUAGES)[number];
  signedOn: string;
  revokedAt: string | null;
  revokedOn: string | null;
  revocationMethod: (typeof REVOCATION_METHODS)[number] | null;
  revocationNote: string | null;
  revokedBy: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

const toConsent = (r: Selectable<ConsentsTable>): ConsentRecord => ({
  id: r.id,
  organizationId: r.organization_id,
  participantId: r.participant_id,
  kind: r.kind as ConsentKind,
  discloser: r.discloser,
  categories: json(r.categories),
  recipients: json(r.recipients),
  purposes: json(r.purposes),
  expiresOn: r.expires_on,
  expirationEvent: r.expiration_event,
  rightToRevokeExplained: flag(r.right_to_revoke_explained),
  redisclosureStatementGiven: flag(r.redisclosure_statement_given),
  refusalConsequencesExplained: flag(r.refusal_consequences_explained),
  formLanguage: r.form_language as ConsentRecord['formLanguage'],
  signedOn: r.signed_on,
  revokedAt: r.revoked_at,
  revokedOn: r.revoked_on,
  revocationMethod: r.revocation_method as ConsentRecord['revocationMethod'],
  revocationNote: r.revocation_note,
  revokedBy: r.revoked_by,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: Number(r.version),
});

export type NewConsent = Omit<ConsentRecord, 'id' | 'revokedAt' | 'revokedOn' | 'revocationMethod' | 'revocationNote' | 'revokedBy' | 'createdAt' | 'updatedAt' | 'version'>;

export async function insertConsent(db: Executor, c: NewConsent, now: string): Promise<string> {
  const id = newId();
  await db
    .insertInto('consents')
    .values({
      id,
      organization_id: c.organizationId,
      participant_id: c.participantId,
      kind: c.kind,
      discloser: c.discloser,
      categories: JSON.stringify(c.categories),
      recipients: JSON.stringify(c.recipients),
      purposes: JSON.stringify(c.purposes),
      expires_on: c.expiresOn,
      expiration_event: c.expirationEvent,
      right_to_revoke_explained: c.rightToRevokeExplained ? 1 : 0,
      redisclosure_statement_given: c.redisclosureStatementGiven ? 1 : 0,
      refusal_consequences_explained: c.refusalConsequencesExplained ? 1 : 0,
      form_language: c.formLanguage,
      signed_on: c.signedOn,
      created_by: c.createdBy,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

export async function findConsent(db: Executor, organizationId: string, id: string): Promise<ConsentRecord | undefined> {
  const r = await db.selectFrom('consents').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return r ? toConsent(r) : undefined;
}

/** A participant's consents, newest signed first. */
export async function listConsents(db: Executor, organizationId: string, participantId: string, kinds?: readonly ConsentKind[]): Promise<ConsentRecord[]> {
  let q = db.selectFrom('consents').selectAll().where('organization_id', '=', organizationId).where('participant_id', '=', participantId);
  if (kinds) q = q.where('kind', 'in', kinds);
  const rows = await q.orderBy('signed_on', 'desc').orderBy('id', 'desc').execute();
  return rows.map(toConsent);
}

/** Revoke once: only a consent not yet revoked, at the version the caller saw. */
export async function revokeConsent(
  db: Executor,
  organizationId: string,
  id: string,
  version: number,
  r: { revokedOn: string; method: string; note: string | null; revokedBy: string },
  now: string,
): Promise<boolean> {
  const res = await db
    .updateTable('consents')
    .set((eb) => ({
      revoked_at: now,
      revoked_on: r.revokedOn,
      revocation_method: r.method,
      revocation_note: r.note,
      revoked_by: r.revokedBy,
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

// ---- signatures

export interface SignatureRecord {
  id: string;
  consentId: string;
  signerRole: (typeof SIGNER_ROLES)[number];
  signerName: string;
  legalBasis: string | null;
  method: (typeof SIGNATURE_METHODS)[number];
  data: string | null;
  attested: boolean;
  witnessName: string | null;
  signedAt: string;
  recordedBy: string;
}

const toSignature = (r: Selectable<ConsentSignaturesTable>): SignatureRecord => ({
  id: r.id,
  consentId: r.consent_id,
  signerRole: r.signer_role as SignatureRecord['signerRole'],
  signerName: r.signer_name,
  legalBasis: r.legal_basis,
  method: r.method as SignatureRecord['method'],
  data: r.signature_data,
  attested: flag(r.attested),
  witnessName: r.witness_name,
  signedAt: r.signed_at,
  recordedBy: r.recorded_by,
});

export async function insertSignature(db: Executor, organizationId: string, s: Omit<SignatureRecord, 'id'>): Promise<string> {
  const id = newId();
  await db
    .insertInto('consent_signatures')
    .values({
      id,
      organization_id: organizationId,
      consent_id: s.consentId,
      signer_role: s.signerRole,
      signer_name: s.signerName,
      legal_basis: s.legalBasis,
      method: s.method,
      signature_data: s.data,
      attested: s.attested ? 1 : 0,
      witness_name: s.witnessName,
      signed_at: s.signedAt,
      recorded_by: s.recordedBy,
    })
    .execute();
  return id;
}

export async function listSignatures(db: Executor, organizationId: string, consentId: string): Promise<SignatureRecord[]> {
  const rows = await db
    .selectFrom('consent_signatures')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('consent_id', '=', consentId)
    .orderBy('id')
    .execute();
  return rows.map(toSignature);
}

// ---- the participant's legacy flag and facts the rules need

/** Keep `participants.consent_to_follow_up` in step with the participation consents. */
export async function setFollowUpFlag(db: Executor, organizationId: string, participantId: string, on: boolean, now: string): Promise<void> {
  await db
    .updateTable('participants')
    .set({ consent_to_follow_up: on ? 1 : 0, consent_to_follow_up_at: on ? now : null })
    .where('organization_id', '=', organizationId)
    .where('id', '=', participantId)
    .execute();
}

export async function organizationConsentFacts(db: Executor, organizationId: string): Promise<{ name: string; timeZone: string; minorConsentRule: MinorConsentRule; version: number } | undefined> {
  const r = await db
    .selectFrom('organizations')
    .select(['name', 'time_zone', 'minor_consent_rule', 'version'])
    .where('id', '=', organizationId)
    .executeTakeFirst();
  return r ? { name: r.name, timeZone: r.time_zone, minorConsentRule: r.minor_consent_rule as MinorConsentRule, version: Number(r.version) } : undefined;
}

/** Change the rule for minors; with a version, only at that version. Bumps the organization's version. */
export async function setMinorConsentRule(db: Executor, organizationId: string, rule: MinorConsentRule, version: number | undefined, now: string): Promise<boolean> {
  let q = db
    .updateTable('organizations')
    .set((eb) => ({ minor_consent_rule: rule, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', organizationId);
  if (version !== undefined) q = q.where('version', '=', version);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function displayNames(db: Executor, userIds: readonly string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', [...new Set(userIds)]).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

// ---- restriction requests

export type RestrictionRecord = z.output<typeof Restriction> & { organizationId: string };
export type RestrictionStatus = (typeof RESTRICTION_STATUSES)[number];

const toRestriction = (r: Selectable<RestrictionRequestsTable>): RestrictionRecord => ({
  id: r.id,
  organizationId: r.organization_id,
  participantId: r.participant_id,
  requestedOn: r.requested_on,
  description: r.description,
  recipient: json(r.recipient),
  categories: json(r.categories),
  purposes: json(r.purposes),
  paidOutOfPocket: flag(r.paid_out_of_pocket),
  status: r.status as RestrictionStatus,
  decisionReason: r.decision_reason,
  decidedAt: r.decided_at,
  decidedBy: r.decided_by,
  endedAt: r.ended_at,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: Number(r.version),
});

export async function insertRestriction(
  db: Executor,
  r: Pick<RestrictionRecord, 'organizationId' | 'participantId' | 'requestedOn' | 'description' | 'recipient' | 'categories' | 'purposes' | 'paidOutOfPocket' | 'createdBy'>,
  now: string,
): Promise<string> {
  const id = newId();
  await db
    .insertInto('restriction_requests')
    .values({
      id,
      organization_id: r.organizationId,
      participant_id: r.participantId,
      requested_on: r.requestedOn,
      description: r.description,
      recipient: r.recipient ? JSON.stringify(r.recipient) : null,
      categories: JSON.stringify(r.categories),
      purposes: JSON.stringify(r.purposes),
      paid_out_of_pocket: r.paidOutOfPocket ? 1 : 0,
      status: 'pending',
      created_by: r.createdBy,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

export async function findRestriction(db: Executor, organizationId: string, id: string): Promise<RestrictionRecord | undefined> {
  const r = await db.selectFrom('restriction_requests').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return r ? toRestriction(r) : undefined;
}

export async function listRestrictions(db: Executor, organizationId: string, participantId: string, status?: RestrictionStatus): Promise<RestrictionRecord[]> {
  let q = db.selectFrom('restriction_requests').selectAll().where('organization_id', '=', organizationId).where('participant_id', '=', participantId);
  if (status) q = q.where('status', '=', status);
  const rows = await q.orderBy('id', 'desc').execute();
  return rows.map(toRestriction);
}

export async function updateRestriction(
  db: Executor,
  organizationId: string,
  id: string,
  version: number,
  patch: { status: RestrictionStatus; decisionReason?: string | null; decidedAt?: string; decidedBy?: string; endedAt?: string },
  now: string,
): Promise<boolean> {
  const res = await db
    .updateTable('restriction_requests')
    .set((eb) => ({
      status: patch.status,
      ...(patch.decisionReason !== undefined && { decision_reason: patch.decisionReason }),
      ...(patch.decidedAt !== undefined && { decided_at: patch.decidedAt }),
      ...(patch.decidedBy !== undefined && { decided_by: patch.decidedBy }),
      ...(patch.endedAt !== undefined && { ended_at: patch.endedAt }),
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

// ---- disclosures

export interface DisclosureRecord {
  id: string;
  organizationId: string;
  participantId: string;
  disclosedAt: string;
  recipient: DisclosureRecipient;
  categories: Category[];
  purpose: Purpose;
  purposeOfUse: string;
  consentId: string | null;
  legalBasis: LegalBasis;
  legalBasisDetail: string | null;
  payload: string;
  notice: string;
  batchId: string | null;
  disclosedBy: string;
}

const toDisclosure = (r: Selectable<DisclosuresTable>): DisclosureRecord => ({
  id: r.id,
  organizationId: r.organization_id,
  participantId: r.participant_id,
  disclosedAt: r.disclosed_at,
  recipient: json(r.recipient),
  categories: json(r.categories),
  purpose: r.purpose as Purpose,
  purposeOfUse: r.purpose_of_use,
  consentId: r.consent_id,
  legalBasis: r.legal_basis as LegalBasis,
  legalBasisDetail: r.legal_basis_detail,
  payload: r.payload,
  notice: r.notice,
  batchId: r.batch_id,
  disclosedBy: r.disclosed_by,
});

export async function insertDisclosure(db: Executor, d: Omit<DisclosureRecord, 'id'>): Promise<string> {
  const id = newId();
  await db
    .insertInto('disclosures')
    .values({
      id,
      organization_id: d.organizationId,
      participant_id: d.participantId,
      disclosed_at: d.disclosedAt,
      recipient: JSON.stringify(d.recipient),
      categories: JSON.stringify(d.categories),
      purpose: d.purpose,
      purpose_of_use: d.purposeOfUse,
      consent_id: d.consentId,
      legal_basis: d.legalBasis,
      legal_basis_detail: d.legalBasisDetail,
      payload: d.payload,
      notice: d.notice,
      batch_id: d.batchId,
      disclosed_by: d.disclosedBy,
    })
    .execute();
  return id;
}

/** The accounting: a participant's disclosures between two instants (inclusive from, exclusive to), newest first. */
export async function listDisclosures(db: Executor, organizationId: string, participantId: string, range: { from?: string; to?: string } = {}): Promise<DisclosureRecord[]> {
  let q = db.selectFrom('disclosures').selectAll().where('organization_id', '=', organizationId).where('participant_id', '=', participantId);
  if (range.from) q = q.where('disclosed_at', '>=', range.from);
  if (range.to) q = q.where('disclosed_at', '<', range.to);
  const rows = await q.orderBy('disclosed_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map(toDisclosure);
}

// ---- timeline reads (newest first, at most `limit`, strictly before a cursor)

export interface TimelineRow {
  id: string;
  at: string;
  actor: string | null;
  values: Record<string, string | null>;
}

type TimelineSource = 'signed' | 'revoked' | 'disclosed';

/**
 * Rows of one timeline source at or before `atOrBefore` (ties at exactly that instant are all
 * returned: the caller compares item ids), newest first.
 */
export async function timelineRows(
  db: Executor,
  source: TimelineSource,
  q: { organizationId: string; participantId: string; before?: string | undefined; tieAt?: string | undefined; limit: number },
): Promise<TimelineRow[]> {
  if (source === 'disclosed') {
    let s = db
      .selectFrom('disclosures')
      .select(['id', 'disclosed_at', 'disclosed_by', 'purpose', 'legal_basis', 'consent_id', 'recipient', 'categories'])
      .where('organization_id', '=', q.organizationId)
      .where('participant_id', '=', q.participantId);
    if (q.tieAt) s = s.where('disclosed_at', '=', q.tieAt);
    else if (q.before) s = s.where('disclosed_at', '<', q.before);
    const rows = await s.orderBy('disclosed_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
    return rows.map((r) => ({
      id: r.id,
      at: r.disclosed_at,
      actor: r.disclosed_by,
      values: { purpose: r.purpose, legalBasis: r.legal_basis, consentId: r.consent_id, recipient: r.recipient, categories: r.categories },
    }));
  }
  const col = source === 'signed' ? 'created_at' : 'revoked_at';
  let s = db
    .selectFrom('consents')
    .select(['id', 'created_at', 'revoked_at', 'created_by', 'revoked_by', 'kind', 'signed_on', 'revoked_on', 'revocation_method', 'expires_on'])
    .where('organization_id', '=', q.organizationId)
    .where('participant_id', '=', q.participantId)
    .where(col, 'is not', null);
  if (q.tieAt) s = s.where(col, '=', q.tieAt);
  else if (q.before) s = s.where(col, '<', q.before);
  const rows = await s.orderBy(col, 'desc').orderBy('id', 'desc').limit(q.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    at: (source === 'signed' ? r.created_at : r.revoked_at)!,
    actor: source === 'signed' ? r.created_by : r.revoked_by,
    values: { kind: r.kind, signedOn: r.signed_on, revokedOn: r.revoked_on, revocationMethod: r.revocation_method, expiresOn: r.expires_on },
  }));
}

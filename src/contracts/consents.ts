/**
 * 42 CFR Part 2 consents (§2.31), restriction requests (§2.26), disclosures and the accounting of
 * disclosures (§2.24–2.25 with HIPAA 164.528). The shapes only: which elements are *missing* from
 * a consent is a rule of the server (422 consent.missing_element naming each one), so most §2.31
 * elements are optional here and a malformed value is what the contract refuses (400).
 */
import { z } from 'zod';
import { Version } from './common.js';
import { IsoDate } from './participants.js';

export const CONSENT_KINDS = ['participation', 'disclosure_tpo', 'disclosure_specific'] as const;
/** What may be disclosed, described in plain words on the form (§2.31(a)(3)). */
export const INFO_CATEGORIES = ['demographics_contact', 'substance_use_history', 'moud', 'encounter_summaries', 'recovery_plan', 'assessments'] as const;
export const RECIPIENT_ORG_TYPES = ['treating_provider', 'health_plan', 'community_service', 'other'] as const;
/** Classes a single TPO consent may name instead of named recipients (§2.31(a)(4)(i)). */
export const RECIPIENT_CLASSES = ['treating_providers', 'health_plans', 'program_operations'] as const;
export const PURPOSES = ['treatment', 'care_coordination', 'payment', 'operations', 'participant_request', 'support_network', 'research'] as const;
/** Each purpose as its FHIR v3 PurposeOfUse code (care coordination is a kind of treatment). */
export const PURPOSE_OF_USE = {
  treatment: 'TREAT',
  care_coordination: 'COC',
  payment: 'HPAYMT',
  operations: 'HOPERAT',
  participant_request: 'PATRQT',
  support_network: 'SUPNWK',
  research: 'HRESCH',
} as const satisfies Record<(typeof PURPOSES)[number], string>;
export const SIGNATURE_METHODS = ['drawn', 'typed', 'verbal'] as const;
export const SIGNER_ROLES = ['participant', 'parent', 'guardian', 'personal_representative'] as const;
export const CONSENT_STATUSES = ['active', 'expired', 'revoked'] as const;
export const REVOCATION_METHODS = ['written', 'verbal'] as const;
export const FORM_LANGUAGES = ['en', 'es'] as const;
/** Why a disclosure may happen: a consent, or an exception of Part 2 that needs no consent. */
export const LEGAL_BASES = ['consent', 'medical_emergency', 'court_order', 'audit_evaluation', 'research'] as const;
export const MINOR_CONSENT_RULES = ['minor_consents', 'parent_required'] as const;
export const RESTRICTION_STATUSES = ['pending', 'agreed', 'declined', 'ended'] as const;
export const REFUSAL_REASONS = [
  'no_consent',
  'consent_revoked',
  'consent_expired',
  'recipient_not_covered',
  'purpose_not_covered',
  'categories_not_covered',
  'restricted',
] as const;
/** A drawn signature (SVG path data) may be at most this many characters. */
export const MAX_SIGNATURE_DATA = 100_000;

const choose = <T extends readonly [string, ...string[]]>(values: T, what: string) => z.enum(values, { message: `Choose ${what} from the list` });
const Text = (max: number, what: string) => z.string().trim().min(1, `Enter ${what}`).max(max, `Use at most ${max} characters`);

export const OrganizationRecipient = z.object({
  kind: z.literal('organization'),
  name: Text(200, 'the organization’s name'),
  type: choose(RECIPIENT_ORG_TYPES, 'a type of organization'),
  /** The organization's id in the resource directory, when known. */
  refId: Text(100, 'a reference').optional(),
});
export const PersonRecipient = z.object({
  kind: z.literal('person'),
  name: Text(200, 'the person’s name'),
  organization: Text(200, 'an organization').optional(),
});
export const ClassRecipient = z.object({
  kind: z.literal('class'),
  class: choose(RECIPIENT_CLASSES, 'a class of recipients'),
});
export const Recipient = z.discriminatedUnion('kind', [OrganizationRecipient, PersonRecipient, ClassRecipient], { message: 'Choose an organization, a person or a class of recipients' });
export type Recipient = z.infer<typeof Recipient>;
/** Whom something is actually sent to: never a class. */
export const DisclosureRecipient = z.discriminatedUnion('kind', [OrganizationRecipient, PersonRecipient], { message: 'Choose an organization or a person' });
export type DisclosureRecipient = z.infer<typeof DisclosureRecipient>;

/** SVG path commands and numbers only: a drawn signature is never markup. */
const SVG_PATH = /^[MLHVCSQTAZmlhvcsqtaz0-9eE.,\s-]*$/;

export const SignatureInput = z.object({
  method: choose(SIGNATURE_METHODS, 'how the person signed'),
  /** Drawn: SVG path data; typed: the name as typed. */
  data: z.string().max(MAX_SIGNATURE_DATA, 'This signature is too large. Clear it and sign again').optional(),
  /** "I confirm this is my signature." */
  attested: z.boolean().optional(),
  witnessName: Text(120, 'the witness’s name').optional(),
  signerRole: choose(SIGNER_ROLES, 'who is signing'),
  signerName: Text(120, 'the signer’s name'),
  /** Why someone other than the participant may sign (court order, guardianship papers, …). */
  legalBasis: Text(300, 'the legal basis').optional(),
});
export type SignatureInput = z.infer<typeof SignatureInput>;

export const CreateConsentBody = z
  .object({
    kind: choose(CONSENT_KINDS, 'a kind of consent'),
    /** Who discloses; defaults to the organization's name. */
    discloser: Text(200, 'who discloses').optional(),
    categories: z.array(choose(INFO_CATEGORIES, 'categories of information')).max(INFO_CATEGORIES.length).optional(),
    recipients: z.array(Recipient).max(20, 'Name at most 20 recipients').optional(),
    purposes: z.array(choose(PURPOSES, 'purposes')).max(PURPOSES.length).optional(),
    rightToRevokeExplained: z.boolean().optional(),
    redisclosureStatementGiven: z.boolean().optional(),
    refusalConsequencesExplained: z.boolean().optional(),
    expiresOn: IsoDate.nullable().optional(),
    /** "End of treatment"; a TPO consent may say "none". */
    expirationEvent: Text(200, 'an expiration event').nullable().optional(),
    signedOn: IsoDate.optional(),
    formLanguage: choose(FORM_LANGUAGES, 'a language').optional(),
    signature: SignatureInput.optional(),
    /** A parent or guardian who signs beside a minor, where the organization requires it (§2.14). */
    coSignature: SignatureInput.nullable().optional(),
  })
  .superRefine((b, ctx) => {
    b.recipients?.forEach((r, i) => {
      if (r.kind === 'class' && b.kind !== 'disclosure_tpo') {
        ctx.addIssue({ code: 'custom', path: ['recipients', i, 'class'], message: 'Only a consent for treatment, payment and operations may name a class of recipients' });
      }
    });
    if (b.expirationEvent?.toLowerCase() === 'none' && b.kind !== 'disclosure_tpo') {
      ctx.addIssue({ code: 'custom', path: ['expirationEvent'], message: 'Only a consent for treatment, payment and operations may have no expiration' });
    }
    // 42 CFR 2.31: verbal consent never authorizes a disclosure.
    for (const [key, s] of [['signature', b.signature], ['coSignature', b.coSignature]] as const) {
      if (!s) continue;
      if (s.method === 'verbal' && b.kind !== 'participation') {
        ctx.addIssue({ code: 'custom', path: [key, 'method'], message: 'A consent to disclose must be signed (drawn or typed); verbal consent is only for taking part in the program' });
      }
      if (s.method === 'drawn' && s.data !== undefined && !SVG_PATH.test(s.data)) {
        ctx.addIssue({ code: 'custom', path: [key, 'data'], message: 'The drawn signature could not be read. Clear it and sign again' });
      }
    }
  });
export type CreateConsentBody = z.infer<typeof CreateConsentBody>;

export const RevokeConsentBody = z.object({
  revokedOn: IsoDate,
  method: choose(REVOCATION_METHODS, 'how the person revoked'),
  note: Text(1000, 'a note').optional(),
  version: Version,
});

export const Signature = z.object({
  id: z.string(),
  signerRole: z.enum(SIGNER_ROLES),
  signerName: z.string(),
  legalBasis: z.string().nullable(),
  method: z.enum(SIGNATURE_METHODS),
  data: z.string().nullable(),
  attested: z.boolean(),
  witnessName: z.string().nullable(),
  signedAt: z.string(),
  recordedBy: z.string(),
});

export const Consent = z.object({
  id: z.string(),
  participantId: z.string(),
  kind: z.enum(CONSENT_KINDS),
  status: z.enum(CONSENT_STATUSES),
  discloser: z.string(),
  categories: z.array(z.enum(INFO_CATEGORIES)),
  recipients: z.array(Recipient),
  purposes: z.array(z.enum(PURPOSES)),
  expiresOn: z.string().nullable(),
  expirationEvent: z.string().nullable(),
  rightToRevokeExplained: z.boolean(),
  redisclosureStatementGiven: z.boolean(),
  refusalConsequencesExplained: z.boolean(),
  formLanguage: z.enum(FORM_LANGUAGES),
  signedOn: z.string(),
  revokedAt: z.string().nullable(),
  revokedOn: z.string().nullable(),
  revocationMethod: z.enum(REVOCATION_METHODS).nullable(),
  revocationNote: z.string().nullable(),
  revokedBy: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
export type Consent = z.infer<typeof Consent>;
export const ConsentWithSignatures = Consent.extend({ signatures: z.array(Signature) });
export const ConsentList = z.object({ consents: z.array(Consent) });

// ---- restriction requests (§2.26)

export const CreateRestrictionBody = z.object({
  description: Text(1000, 'what the person asked for'),
  /** Toward whom (null: anyone). */
  recipient: Recipient.nullable().default(null),
  /** Empty: all information. */
  categories: z.array(choose(INFO_CATEGORIES, 'categories of information')).max(INFO_CATEGORIES.length).default([]),
  /** Empty: every purpose. */
  purposes: z.array(choose(PURPOSES, 'purposes')).max(PURPOSES.length).default([]),
  /** Services paid in full out of pocket (a health plan restriction must then be agreed). */
  paidOutOfPocket: z.boolean().default(false),
  /** Defaults to today. */
  requestedOn: IsoDate.optional(),
});

export const DecideRestrictionBody = z
  .object({
    decision: z.enum(['agreed', 'declined'], { message: 'Choose agree or decline' }),
    reason: Text(1000, 'a reason').optional(),
    version: Version,
  })
  .superRefine((b, ctx) => {
    if (b.decision === 'declined' && !b.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Say why the request is declined' });
  });

export const EndRestrictionBody = z.object({ version: Version });

export const Restriction = z.object({
  id: z.string(),
  participantId: z.string(),
  requestedOn: z.string(),
  description: z.string(),
  recipient: Recipient.nullable(),
  categories: z.array(z.enum(INFO_CATEGORIES)),
  purposes: z.array(z.enum(PURPOSES)),
  paidOutOfPocket: z.boolean(),
  status: z.enum(RESTRICTION_STATUSES),
  decisionReason: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  endedAt: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
export const RestrictionList = z.object({ restrictions: z.array(Restriction) });

// ---- disclosures and the accounting

export const CreateDisclosureBody = z
  .object({
    recipient: DisclosureRecipient,
    purpose: choose(PURPOSES, 'a purpose'),
    categories: z.array(choose(INFO_CATEGORIES, 'categories of information')).min(1, 'Choose at least one kind of information').max(INFO_CATEGORIES.length),
    /** Absent or 'consent': an active consent must cover it. */
    legalBasis: choose(LEGAL_BASES, 'a legal basis').optional(),
    legalBasisDetail: Text(500, 'the details of the legal basis').optional(),
  })
  .superRefine((b, ctx) => {
    if (b.legalBasis && b.legalBasis !== 'consent' && !b.legalBasisDetail) {
      ctx.addIssue({ code: 'custom', path: ['legalBasisDetail'], message: 'Describe the emergency, order, audit or research approval' });
    }
  });

export const DisclosureResult = z.object({
  id: z.string(),
  notice: z.string(),
  payload: z.unknown(),
  disclosedAt: z.string(),
  consentId: z.string().nullable(),
  legalBasis: z.enum(LEGAL_BASES),
  purposeOfUse: z.string(),
});

export const AccountingQuery = z.object({
  from: IsoDate.optional(),
  to: IsoDate.optional(),
});

export const AccountingEntry = z.object({
  id: z.string(),
  disclosedAt: z.string(),
  recipient: DisclosureRecipient,
  categories: z.array(z.enum(INFO_CATEGORIES)),
  purpose: z.enum(PURPOSES),
  purposeOfUse: z.string(),
  consentId: z.string().nullable(),
  legalBasis: z.enum(LEGAL_BASES),
  legalBasisDetail: z.string().nullable(),
  notice: z.string(),
  batchId: z.string().nullable(),
  disclosedBy: z.string(),
  disclosedByName: z.string().nullable(),
});
export const Accounting = z.object({ disclosures: z.array(AccountingEntry) });

// ---- the organization's rule for minors (§2.14)

export const ConsentSettings = z.object({ minorConsentRule: z.enum(MINOR_CONSENT_RULES), version: z.number() });
export const UpdateConsentSettingsBody = z.object({
  minorConsentRule: choose(MINOR_CONSENT_RULES, 'a rule for minors'),
  version: Version.optional(),
});

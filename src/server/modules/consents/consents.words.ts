/**
 * Plain English for what a consent says, used in the §2.32 notice stamped on disclosures and in
 * the timeline (the interface words its own from i18n). Also the derived status of a consent.
 */
import type { CONSENT_STATUSES } from '../../../contracts/consents.js';
import type { Category, ConsentKind, ConsentRecord, Purpose } from './consents.repository.js';

export const KIND_DESCRIPTIONS: Record<ConsentKind, string> = {
  participation: 'consent to take part in peer recovery support and to be contacted',
  disclosure_tpo: 'consent to share for treatment, payment and health care operations',
  disclosure_specific: 'consent to share with named recipients',
};

export const PURPOSE_DESCRIPTIONS: Record<Purpose, string> = {
  treatment: 'treatment',
  care_coordination: 'care coordination',
  payment: 'payment',
  operations: 'health care operations',
  participant_request: 'the person’s own request',
  support_network: 'the person’s support network',
  research: 'research',
};

export const CATEGORY_DESCRIPTIONS: Record<Category, string> = {
  demographics_contact: 'name, date of birth and contact details',
  substance_use_history: 'substance use history',
  moud: 'medication for opioid use disorder',
  encounter_summaries: 'summaries of contacts with the peer recovery coach',
  recovery_plan: 'recovery plan',
  assessments: 'assessments and questionnaires',
};

/** "expires on 2027-05-01", "expires at end of treatment", "does not expire (it lasts until revoked)". */
export function describeExpiration(c: Pick<ConsentRecord, 'expiresOn' | 'expirationEvent'>): string {
  const parts: string[] = [];
  if (c.expiresOn) parts.push(`on ${c.expiresOn}`);
  if (c.expirationEvent && c.expirationEvent.toLowerCase() !== 'none') parts.push(`at ${c.expirationEvent}`);
  if (parts.length === 0) return 'does not expire (it lasts until revoked)';
  return `expires ${parts.join(' or ')}, whichever comes first`.replace(/, whichever comes first$/, parts.length > 1 ? ', whichever comes first' : '');
}

export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

/** Revoked, else expired when its expiration date is before today (local), else active. */
export function consentStatus(c: Pick<ConsentRecord, 'revokedAt' | 'expiresOn'>, today: string): ConsentStatus {
  if (c.revokedAt) return 'revoked';
  if (c.expiresOn && c.expiresOn < today) return 'expired';
  return 'active';
}

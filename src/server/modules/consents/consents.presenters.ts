/** Records → API shapes (contracts/consents.ts). The organization id stays inside; status is derived on the local date. */
import type { z } from 'zod';
import type { AccountingEntry, Consent, ConsentWithSignatures, Restriction, Signature } from '../../../contracts/consents.js';
import type { ConsentRecord, DisclosureRecord, RestrictionRecord, SignatureRecord } from './consents.repository.js';
import { consentStatus } from './consents.words.js';

export const presentConsent = ({ organizationId: _org, ...c }: ConsentRecord, today: string): z.output<typeof Consent> => ({
  ...c,
  status: consentStatus(c, today),
});

export const presentSignature = ({ consentId: _consent, ...s }: SignatureRecord): z.output<typeof Signature> => s;

export const presentConsentWithSignatures = (r: { consent: ConsentRecord; signatures: SignatureRecord[]; today: string }): z.output<typeof ConsentWithSignatures> => ({
  ...presentConsent(r.consent, r.today),
  signatures: r.signatures.map(presentSignature),
});

export const presentRestriction = ({ organizationId: _org, ...r }: RestrictionRecord): z.output<typeof Restriction> => r;

export const presentAccountingEntry = (d: DisclosureRecord, names: Map<string, string>): z.output<typeof AccountingEntry> => ({
  id: d.id,
  disclosedAt: d.disclosedAt,
  recipient: d.recipient,
  categories: d.categories,
  purpose: d.purpose,
  purposeOfUse: d.purposeOfUse,
  consentId: d.consentId,
  legalBasis: d.legalBasis,
  legalBasisDetail: d.legalBasisDetail,
  notice: d.notice,
  batchId: d.batchId,
  disclosedBy: d.disclosedBy,
  disclosedByName: names.get(d.disclosedBy) ?? null,
});

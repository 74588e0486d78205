/**
 * Builders for consents and restriction requests, through the real repository (the rules are
 * tested through the routes; these make the records other tests stand on).
 */
import type { Recipient } from '../../src/contracts/consents.js';
import type { Db } from '../../src/server/platform/db/database.js';
import * as repo from '../../src/server/modules/consents/consents.repository.js';

export const CLINIC: Extract<Recipient, { kind: 'organization' }> = { kind: 'organization', name: 'Harbor Clinic', type: 'treating_provider' };

/** A signed disclosure consent (typed, attested) naming Harbor Clinic for treatment, MOUD and contact details, unless told otherwise. */
export async function buildConsent(
  db: Db,
  c: {
    organizationId: string;
    participantId: string;
    createdBy: string;
    kind?: repo.ConsentKind;
    recipients?: Recipient[];
    purposes?: repo.Purpose[];
    categories?: repo.Category[];
    signedOn?: string;
    expiresOn?: string | null;
    expirationEvent?: string | null;
  },
): Promise<string> {
  const now = new Date().toISOString();
  const id = await repo.insertConsent(
    db,
    {
      organizationId: c.organizationId,
      participantId: c.participantId,
      kind: c.kind ?? 'disclosure_specific',
      discloser: 'Harbor Light Recovery',
      categories: c.categories ?? ['demographics_contact', 'moud'],
      recipients: c.recipients ?? [CLINIC],
      purposes: c.purposes ?? ['treatment'],
      expiresOn: c.expiresOn === undefined ? '2027-11-01' : c.expiresOn,
      expirationEvent: c.expirationEvent ?? null,
      rightToRevokeExplained: true,
      redisclosureStatementGiven: c.kind === 'disclosure_tpo',
      refusalConsequencesExplained: c.kind === 'disclosure_tpo',
      formLanguage: 'en',
      signedOn: c.signedOn ?? '2026-11-01',
      createdBy: c.createdBy,
    },
    now,
  );
  await repo.insertSignature(db, c.organizationId, {
    consentId: id,
    signerRole: 'participant',
    signerName: 'Rosa Test',
    legalBasis: null,
    method: 'typed',
    data: 'Rosa Test',
    attested: true,
    witnessName: null,
    signedAt: now,
    recordedBy: c.createdBy,
  });
  return id;
}

/** A pending restriction request (toward anyone, all information, every purpose, unless told otherwise). */
export async function buildRestriction(
  db: Db,
  r: { organizationId: string; participantId: string; createdBy: string; recipient?: Recipient | null; categories?: repo.Category[]; purposes?: repo.Purpose[]; paidOutOfPocket?: boolean },
): Promise<string> {
  return repo.insertRestriction(
    db,
    {
      organizationId: r.organizationId,
      participantId: r.participantId,
      requestedOn: '2026-11-20',
      description: 'Please do not share this',
      recipient: r.recipient ?? null,
      categories: r.categories ?? [],
      purposes: r.purposes ?? [],
      paidOutOfPocket: r.paidOutOfPocket ?? false,
      createdBy: r.createdBy,
    },
    new Date().toISOString(),
  );
}

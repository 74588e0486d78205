/**
 * Consent and disclosure items for the participant timeline (see care/timeline.types.ts): a
 * consent signed (when it was recorded), a consent revoked (when the revocation was recorded),
 * and a disclosure made. Each provider returns its own newest `limit` items strictly before the
 * cursor (at, id), newest first. Details carry codes, dates and ids, never notes.
 */
import type { TimelineItem, TimelineProvider, TimelineQuery } from '../care/timeline.types.js';
import type { Executor } from '../../platform/db/database.js';
import { timelineRows, type TimelineRow } from './consents.repository.js';

type Source = Parameters<typeof timelineRows>[1];

/** Items strictly before the cursor: older instants, or the same instant with a smaller item id. */
async function newest(db: Executor, source: Source, q: TimelineQuery, toItem: (r: TimelineRow) => TimelineItem): Promise<TimelineItem[]> {
  const base = { organizationId: q.organizationId, participantId: q.participantId, limit: q.limit };
  if (q.limit <= 0) return [];
  const before = q.before;
  const older = (await timelineRows(db, source, { ...base, before: before?.at })).map(toItem);
  if (!before) return older;
  // Ties at exactly the cursor's instant are rare; take them all and compare item ids.
  const ties = (await timelineRows(db, source, { ...base, tieAt: before.at, limit: 1000 })).map(toItem).filter((i) => i.id < before.id);
  return [...ties, ...older]
    .sort((a, b) => (a.at === b.at ? (a.id < b.id ? 1 : -1) : a.at < b.at ? 1 : -1))
    .slice(0, q.limit);
}

const KIND_WORDS: Record<string, string> = {
  participation: 'Consent to take part',
  disclosure_tpo: 'Consent to share for treatment, payment and operations',
  disclosure_specific: 'Consent to share with named recipients',
};

const signed: TimelineProvider = {
  name: 'consents.signed',
  items: (db, q) =>
    newest(db, 'signed', q, (r) => ({
      id: `consent.signed:${r.id}`,
      kind: 'consent.signed',
      at: r.at,
      dateOnly: false,
      summary: `${KIND_WORDS[r.values.kind ?? ''] ?? 'Consent'} signed`,
      details: { consentId: r.id, consentKind: r.values.kind ?? null, signedOn: r.values.signedOn ?? null, expiresOn: r.values.expiresOn ?? null },
      link: `/participants/${q.participantId}/consents/${r.id}/print`,
      actorUserId: r.actor,
    })),
};

const revoked: TimelineProvider = {
  name: 'consents.revoked',
  items: (db, q) =>
    newest(db, 'revoked', q, (r) => ({
      id: `consent.revoked:${r.id}`,
      kind: 'consent.revoked',
      at: r.at,
      dateOnly: false,
      summary: `${KIND_WORDS[r.values.kind ?? ''] ?? 'Consent'} revoked`,
      details: { consentId: r.id, consentKind: r.values.kind ?? null, revokedOn: r.values.revokedOn ?? null, method: r.values.revocationMethod ?? null },
      link: `/participants/${q.participantId}/consents/${r.id}/print`,
      actorUserId: r.actor,
    })),
};

const disclosed: TimelineProvider = {
  name: 'disclosures',
  items: (db, q) =>
    newest(db, 'disclosed', q, (r) => {
      const recipient = JSON.parse(r.values.recipient ?? '{}') as { name?: string };
      const categories = JSON.parse(r.values.categories ?? '[]') as string[];
      return {
        id: `disclosure.made:${r.id}`,
        kind: 'disclosure.made',
        at: r.at,
        dateOnly: false,
        summary: `Information shared with ${recipient.name ?? 'a recipient'}`,
        details: {
          disclosureId: r.id,
          recipientName: recipient.name ?? null,
          purpose: r.values.purpose ?? null,
          legalBasis: r.values.legalBasis ?? null,
          consentId: r.values.consentId ?? null,
          categories: categories.length,
        },
        link: `/participants/${q.participantId}/consents/disclosures`,
        actorUserId: r.actor,
      };
    }),
};

export const consentTimelineProviders: TimelineProvider[] = [signed, revoked, disclosed];

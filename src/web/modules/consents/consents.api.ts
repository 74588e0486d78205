/** Requests of the consent pages: consents, revocation, restriction requests, the accounting. */
import type { z } from 'zod';
// Types only: the schemas (and zod) stay out of the bundle every phone downloads.
import type {
  Accounting,
  AccountingEntry,
  Consent,
  ConsentList,
  ConsentWithSignatures,
  CreateConsentBody,
  CreateRestrictionBody,
  DecideRestrictionBody,
  Recipient,
  Restriction,
  RestrictionList,
  RevokeConsentBody,
} from '../../../contracts/consents';
import { api } from '../../app/api';

export type ConsentT = z.infer<typeof Consent>;
export type ConsentFullT = z.infer<typeof ConsentWithSignatures>;
export type RestrictionT = z.infer<typeof Restriction>;
export type AccountingEntryT = z.infer<typeof AccountingEntry>;
export type RecipientT = z.infer<typeof Recipient>;
export type CreateConsentT = z.input<typeof CreateConsentBody>;

export const consentKeys = {
  consents: (participantId: string) => ['participants', participantId, 'consents'] as const,
  consent: (id: string) => ['consents', id] as const,
  restrictions: (participantId: string) => ['participants', participantId, 'restrictions'] as const,
  accounting: (participantId: string, from: string, to: string) => ['participants', participantId, 'disclosures', from, to] as const,
};

const enc = encodeURIComponent;

export const listConsents = async (participantId: string) => (await api.get<z.infer<typeof ConsentList>>(`/api/v1/participants/${enc(participantId)}/consents`)).consents;
export const getConsent = (id: string) => api.get<ConsentFullT>(`/api/v1/consents/${enc(id)}`);
export const createConsent = (participantId: string, body: CreateConsentT, idempotencyKey: string) =>
  api.post<ConsentFullT>(`/api/v1/participants/${enc(participantId)}/consents`, body, { idempotencyKey });
export const revokeConsent = (id: string, body: z.input<typeof RevokeConsentBody>) => api.post<ConsentFullT>(`/api/v1/consents/${enc(id)}/revoke`, body);

export const listRestrictions = async (participantId: string) =>
  (await api.get<z.infer<typeof RestrictionList>>(`/api/v1/participants/${enc(participantId)}/restrictions`)).restrictions;
export const createRestriction = (participantId: string, body: z.input<typeof CreateRestrictionBody>, idempotencyKey: string) =>
  api.post<RestrictionT>(`/api/v1/participants/${enc(participantId)}/restrictions`, body, { idempotencyKey });
export const decideRestriction = (id: string, body: z.input<typeof DecideRestrictionBody>) => api.post<RestrictionT>(`/api/v1/restrictions/${enc(id)}/decide`, body);
export const endRestriction = (id: string, version: number) => api.post<RestrictionT>(`/api/v1/restrictions/${enc(id)}/end`, { version });

/** The accounting between two local dates (either may be empty). */
export const getAccounting = async (participantId: string, from: string, to: string) => {
  const q = new URLSearchParams();
  if (from) q.set('from', from);
  if (to) q.set('to', to);
  const qs = q.toString();
  return (await api.get<z.infer<typeof Accounting>>(`/api/v1/participants/${enc(participantId)}/disclosures${qs ? `?${qs}` : ''}`)).disclosures;
};

/** A recipient in a few words (organization or person name, or the class key for the caller to translate). */
export function recipientName(r: RecipientT): string {
  if (r.kind === 'class') return r.class;
  if (r.kind === 'person') return r.organization ? `${r.name} (${r.organization})` : r.name;
  return r.name;
}

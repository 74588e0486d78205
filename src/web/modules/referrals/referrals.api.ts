/**
 * Requests of the referral pages: a participant's referrals, one referral (status, send, linkage,
 * edit), the partner's inbox and its answers, partner accounts and the follow-up setting.
 * Types only from the contract: zod stays out of the bundle every phone downloads.
 */
import type { z } from 'zod';
import type {
  CreateReferralBody,
  PartnerAccount,
  PartnerAccountList,
  PartnerAttendanceBody,
  PartnerInbox,
  PartnerReferral,
  PartnerScheduleBody,
  RecordLinkageBody,
  Referral,
  ReferralList,
  ReferralSettings,
  ReferralStatus,
  ReferralStatusBody,
  SendReferralBody,
  UpdateReferralBody,
  UpdateReferralSettingsBody,
} from '../../../contracts/referrals';
import { api, isApiError } from '../../app/api';
import { referralsEn } from './i18n';

export type ReferralT = Referral;
export type ReferralSummaryT = z.infer<typeof ReferralList>['referrals'][number];
export type PartnerInboxT = z.infer<typeof PartnerInbox>;
export type PartnerReferralT = z.infer<typeof PartnerReferral>;
export type PartnerAccountT = z.infer<typeof PartnerAccount>;
export type ReferralSettingsT = z.infer<typeof ReferralSettings>;
export type ReferralEventT = ReferralT['events'][number];
export type SharedCopyT = NonNullable<ReferralT['shared']>;
export type { ReferralStatus };
export type InboxView = 'open' | 'closed' | 'all';

/** The codes, from the words for them (the contract's lists would bring zod into the bundle). */
export const URGENCIES = Object.keys(referralsEn.urgencies) as ReferralT['urgency'][];
export const LINKAGE_KINDS = Object.keys(referralsEn.linkageKinds) as NonNullable<ReferralT['linkage']>['kind'][];
export const LINKAGE_SOURCES = Object.keys(referralsEn.linkageSources) as NonNullable<ReferralT['linkage']>['source'][];
/** Moving to these needs a reason (the contract's rule). */
export const NEEDS_REASON: readonly ReferralStatus[] = ['rejected', 'cancelled', 'failed'];

/** The server's permissions the pages look at (it checks every request again). */
export const PERMISSIONS = {
  read: 'referrals.read',
  manage: 'referrals.manage',
  settings: 'referrals.settings',
  partnerAccounts: 'partner_accounts.manage',
  inbox: 'partner.referrals',
} as const;

export const referralKeys = {
  /** Under the participant's key: refreshing the participant refreshes these, and a change here refreshes the timeline. */
  participant: (participantId: string) => ['participants', participantId] as const,
  list: (participantId: string) => ['participants', participantId, 'referrals'] as const,
  referral: (id: string) => ['referrals', id] as const,
  inbox: (view: InboxView) => ['partner', 'inbox', view] as const,
  inboxAll: ['partner', 'inbox'] as const,
  partnerReferral: (id: string) => ['partner', 'referral', id] as const,
  accounts: ['referrals', 'partner-accounts'] as const,
  settings: ['referrals', 'settings'] as const,
};

const enc = encodeURIComponent;

export const listReferrals = async (participantId: string) => (await api.get<z.infer<typeof ReferralList>>(`/api/v1/participants/${enc(participantId)}/referrals`)).referrals;
export const createReferral = (participantId: string, body: z.input<typeof CreateReferralBody>, idempotencyKey: string) =>
  api.post<ReferralT>(`/api/v1/participants/${enc(participantId)}/referrals`, body, { idempotencyKey });
export const getReferral = (id: string) => api.get<ReferralT>(`/api/v1/referrals/${enc(id)}`);
export const updateReferral = (id: string, body: z.input<typeof UpdateReferralBody>) => api.patch<ReferralT>(`/api/v1/referrals/${enc(id)}`, body);
export const changeReferralStatus = (id: string, body: z.input<typeof ReferralStatusBody>) => api.post<ReferralT>(`/api/v1/referrals/${enc(id)}/status`, body);
export const sendReferral = (id: string, body: z.input<typeof SendReferralBody>) => api.post<ReferralT>(`/api/v1/referrals/${enc(id)}/send`, body);
export const recordLinkage = (id: string, body: z.input<typeof RecordLinkageBody>) => api.post<ReferralT>(`/api/v1/referrals/${enc(id)}/linkage`, body);

export const getSettings = () => api.get<ReferralSettingsT>('/api/v1/organization/referral-settings');
export const updateSettings = (body: z.input<typeof UpdateReferralSettingsBody>) => api.patch<ReferralSettingsT>('/api/v1/organization/referral-settings', body);

export const listPartnerAccounts = async () => (await api.get<z.infer<typeof PartnerAccountList>>('/api/v1/partner-accounts')).accounts;
export const linkPartnerAccount = (userId: string, directoryOrganizationId: string | null) => api.put<PartnerAccountT>(`/api/v1/partner-accounts/${enc(userId)}`, { directoryOrganizationId });

export const getInbox = (view: InboxView, after?: string | null) =>
  api.get<PartnerInboxT>(`/api/v1/partner/referrals?view=${view}${after ? `&after=${enc(after)}` : ''}`);
export const getPartnerReferral = (id: string) => api.get<PartnerReferralT>(`/api/v1/partner/referrals/${enc(id)}`);
export const answerReferral = (id: string, body: z.input<typeof ReferralStatusBody>) => api.post<PartnerReferralT>(`/api/v1/partner/referrals/${enc(id)}/status`, body);
export const bookFirstVisit = (id: string, body: z.input<typeof PartnerScheduleBody>) => api.post<PartnerReferralT>(`/api/v1/partner/referrals/${enc(id)}/appointment`, body);
export const confirmAttendance = (id: string, body: z.input<typeof PartnerAttendanceBody>) => api.post<PartnerReferralT>(`/api/v1/partner/referrals/${enc(id)}/attendance`, body);

/** A 403 from the disclosure gate: why no consent covers this sending. */
export interface ConsentRefusal {
  reason: string;
  missingCategories: string[];
}

export function consentRefusalOf(err: unknown): ConsentRefusal | undefined {
  if (!isApiError(err) || err.code !== 'referral.consent_required') return undefined;
  const d = err.details ?? {};
  const reason = typeof d.reason === 'string' ? d.reason : 'no_consent';
  const missing = Array.isArray(d.missingCategories) ? d.missingCategories.filter((c): c is string => typeof c === 'string') : [];
  return { reason, missingCategories: missing };
}

/** A 409 the lifecycle gave: the statuses it allows from here. */
export function transitionRefusalOf(err: unknown): ReferralStatus[] | undefined {
  if (!isApiError(err) || err.code !== 'referral.transition_not_allowed') return undefined;
  const allowed = err.details?.allowed;
  return Array.isArray(allowed) ? (allowed.filter((s) => typeof s === 'string') as ReferralStatus[]) : [];
}

/** Today's local date in the browser. */
export const localToday = (): string => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

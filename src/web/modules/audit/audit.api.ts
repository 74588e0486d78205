/** Requests of the audit trail: search (terms in the body, never the address) and verification. */
import type { z } from 'zod';
import type { AuditSearchBody, AuditSearchResponse, AuditVerifyResponse } from '../../../contracts/audit';
import { api } from '../../app/api';

export type AuditTerms = Omit<z.input<typeof AuditSearchBody>, 'limit' | 'after'>;
export type AuditPage = z.infer<typeof AuditSearchResponse>;
export type AuditEventT = AuditPage['events'][number];
export type AuditVerifyT = z.infer<typeof AuditVerifyResponse>;

export const PAGE_SIZE = 50;

export const searchAudit = (terms: AuditTerms, after: string | undefined) =>
  api.post<AuditPage>('/api/v1/audit/search', { ...terms, limit: PAGE_SIZE, ...(after ? { after } : {}) });

export const verifyAudit = () => api.get<AuditVerifyT>('/api/v1/audit/verify');

/** Actions recorded today, offered as suggestions in the search form. */
export const KNOWN_ACTIONS = [
  'auth.sign_in',
  'auth.sign_out',
  'auth.mfa_verify',
  'auth.password_set',
  'account.password_change',
  'account.mfa_enable',
  'account.mfa_disable',
  'account.session_end',
  'account.sign_out_everywhere',
  'account.organization_switch',
  'user.create',
  'user.update',
  'user.password_reset_link',
  'user.unlock',
  'user.sessions_revoke',
  'membership.grant',
  'membership.change',
  'organization.create',
  'organization.update',
  'program.create',
  'program.update',
  'site.create',
  'site.update',
  'team.create',
  'team.update',
  'setup.complete',
  'audit.search',
  'audit.verify',
] as const;

/** Requests about the signed-in person's own account. */
import type { z } from 'zod';
import type { Me } from '../../../contracts/auth';
import type { ChangePasswordBody, MfaDisableBody, MfaSetupResponse, SessionList } from '../../../contracts/account';
import { api } from '../../app/api';

export type Session = z.infer<typeof SessionList>['sessions'][number];

export const changePassword = (body: z.input<typeof ChangePasswordBody>) => api.post<{ ok: true }>('/api/v1/me/password', body);

export const startMfaSetup = () => api.post<z.infer<typeof MfaSetupResponse>>('/api/v1/me/mfa/setup');

export const confirmMfa = (code: string) => api.post<Me>('/api/v1/me/mfa/confirm', { code });

export const disableMfa = (body: z.input<typeof MfaDisableBody>) => api.post<{ ok: true }>('/api/v1/me/mfa/disable', body);

export const SESSIONS_KEY = ['me', 'sessions'] as const;

export const listSessions = async (): Promise<Session[]> => (await api.get<z.infer<typeof SessionList>>('/api/v1/me/sessions')).sessions;

export const endSession = (id: string) => api.delete<{ ok: true }>(`/api/v1/me/sessions/${encodeURIComponent(id)}`);

export const signOutEverywhere = () => api.post<{ revoked: number }>('/api/v1/me/sign-out-everywhere');

export const switchOrganization = (organizationId: string) => api.post<Me>('/api/v1/me/organization', { organizationId });

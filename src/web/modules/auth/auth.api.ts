/** Requests of signing in: password, the code step, first-run setup, setting a password from a link. */
import type { z } from 'zod';
import type { Me, ResetPasswordBody, SetupBody, SetupStatus, SignInBody } from '../../../contracts/auth';
import { api } from '../../app/api';

export const signIn = (body: z.input<typeof SignInBody>) => api.post<Me>('/api/v1/auth/sign-in', body, { quietAuth: true });

export const verifyCode = (code: string) => api.post<Me>('/api/v1/auth/mfa/verify', { code }, { quietAuth: true });

export const setupStatus = () => api.get<z.infer<typeof SetupStatus>>('/api/v1/setup/status');

export const completeSetup = (body: z.input<typeof SetupBody>, idempotencyKey: string) =>
  api.post<Me>('/api/v1/setup', body, { idempotencyKey, quietAuth: true });

export const setPasswordWithLink = (body: z.input<typeof ResetPasswordBody>) =>
  api.post<{ ok: true }>('/api/v1/auth/reset-password', body, { quietAuth: true });

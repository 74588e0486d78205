/** The signed-in person's own account: password, MFA, sessions, organization. */
import { z } from 'zod';
import { Id } from './common.js';

export const ChangePasswordBody = z.object({
  currentPassword: z.string().min(1, 'Enter your current password').max(1024),
  newPassword: z.string().max(1024),
});

export const MfaSetupResponse = z.object({
  secret: z.string(),
  otpauthUri: z.string(),
  qrSvg: z.string(),
});

export const MfaConfirmBody = z.object({
  code: z.string().trim().regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app'),
});

export const MfaDisableBody = z.object({
  password: z.string().min(1, 'Enter your password').max(1024),
  code: z.string().trim().regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app'),
});

export const SessionSummary = z.object({
  id: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  userAgent: z.string().nullable(),
  ip: z.string().nullable(),
  current: z.boolean(),
});
export const SessionList = z.object({ sessions: z.array(SessionSummary) });

export const SwitchOrganizationBody = z.object({ organizationId: Id });

export const PreferencesBody = z.object({ locale: z.enum(['en', 'es']) });

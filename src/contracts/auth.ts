/** Sign-in, MFA, first-run setup and password reset. */
import { z } from 'zod';
import { Email, Name, TimeZone } from './common.js';
import { Role } from './roles.js';

export const CsrfResponse = z.object({ csrfToken: z.string() });

export const SignInBody = z.object({
  email: Email,
  password: z.string().min(1, 'Enter your password').max(1024),
});

export const MfaState = z.enum(['verified', 'pending', 'enroll']);

export const Me = z.object({
  user: z.object({
    id: z.string(),
    email: z.string(),
    displayName: z.string(),
    locale: z.string(),
    mfaEnabled: z.boolean(),
    isPlatformAdmin: z.boolean(),
  }),
  session: z.object({
    mfaState: MfaState,
    expiresAt: z.string(),
    idleTimeoutSeconds: z.number().int(),
  }),
  organization: z
    .object({ id: z.string(), name: z.string(), timeZone: z.string(), requireMfa: z.boolean() })
    .nullable(),
  organizations: z.array(z.object({ id: z.string(), name: z.string() })),
  roles: z.array(Role),
  permissions: z.array(z.string()),
});
export type Me = z.infer<typeof Me>;

export const MfaVerifyBody = z.object({
  code: z.string().trim().regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app'),
});

export const SetupStatus = z.object({ needsSetup: z.boolean() });

export const SetupBody = z.object({
  token: z.string().min(10, 'The setup link is incomplete. Copy the whole link from the server output.').max(200),
  organization: z.object({ name: Name(200), timeZone: TimeZone }),
  admin: z.object({ displayName: Name(), email: Email, password: z.string().max(1024) }),
});

export const ResetPasswordBody = z.object({
  token: z.string().min(10, 'The reset link is incomplete').max(200),
  password: z.string().max(1024),
});

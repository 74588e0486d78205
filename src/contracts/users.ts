/** Staff accounts and their roles in the current organization. */
import { z } from 'zod';
import { Email, Name, Version } from './common.js';
import { Role } from './roles.js';

export const User = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  roles: z.array(Role),
  status: z.enum(['active', 'disabled']),
  mfaEnabled: z.boolean(),
  lockedUntil: z.string().nullable(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type User = z.infer<typeof User>;

export const UserList = z.object({ users: z.array(User) });

export const CreateUserBody = z.object({
  email: Email,
  displayName: Name(),
  roles: z.array(Role).min(1, 'Choose at least one role').max(6),
});

export const UpdateUserBody = z.object({
  version: Version,
  displayName: Name().optional(),
  roles: z.array(Role).min(1, 'Choose at least one role').max(6).optional(),
  status: z.enum(['active', 'disabled']).optional(),
});

/** A new account or a reset gets a one-time link; the admin passes it on. */
export const OneTimeLink = z.object({ url: z.string(), expiresAt: z.string() });
export const CreateUserResponse = z.object({
  user: User,
  /** The one-time link to give the person; null when none is shown (see `linkWithheld`). */
  setPasswordLink: OneTimeLink.nullable(),
  /**
   * Why no link: `existing_account` — the person already has a Lodestar account (another
   * organization) and signs in with their own password; `already_shown` — a retried request,
   * whose link was shown the first time and is never stored.
   */
  linkWithheld: z.enum(['existing_account', 'already_shown']).nullable(),
});

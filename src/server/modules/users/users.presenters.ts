/** Records → API shapes (contracts/users.ts). Password hashes, MFA secrets and sign-in counters never leave the server. */
import type { z } from 'zod';
import type { User } from '../../../contracts/users.js';
import type { OrgUser } from './users.repository.js';

export const presentUser = (u: OrgUser): z.output<typeof User> => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
  roles: [...u.roles].sort(),
  status: u.status,
  mfaEnabled: u.mfaEnabled,
  lockedUntil: u.lockedUntil,
  version: u.version,
  createdAt: u.createdAt,
  updatedAt: u.updatedAt,
});

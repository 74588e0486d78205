/**
 * Permissions: each domain declares its own in `<domain>.policies.ts` with `definePermissions`,
 * naming the roles that hold each one; `src/server/permissions.ts` gathers them into the registry
 * that routes check against and that the generated security tests read.
 */
import type { Role } from '../../../contracts/roles.js';

export type PermissionMap<P extends string> = Readonly<Record<P, readonly Role[]>>;

export function definePermissions<const P extends string>(map: Record<P, readonly Role[]>): PermissionMap<P> {
  return map;
}

export function rolesGrant(registry: Readonly<Record<string, readonly Role[]>>, permission: string, roles: Iterable<Role>): boolean {
  const allowed = registry[permission];
  if (!allowed) return false;
  for (const r of roles) if (allowed.includes(r)) return true;
  return false;
}

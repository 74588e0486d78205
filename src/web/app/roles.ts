/**
 * Roles as people read them, and which parts of Lodestar each role uses. The server decides
 * what a person may do (Me.permissions); this only decides what to show in the navigation.
 */
import type { Me } from '../../contracts/auth';
// Types only: the schemas (and zod) stay out of the bundle every phone downloads.
import type { Role } from '../../contracts/roles';

export type { Role };

/** i18n keys of the role names shown to people. */
export const ROLE_LABEL = {
  admin: 'roles.admin',
  privacy_officer: 'roles.privacy_officer',
  program_manager: 'roles.program_manager',
  supervisor: 'roles.supervisor',
  coach: 'roles.coach',
  partner: 'roles.partner',
} as const satisfies Record<Role, string>;

export const ROLE_HINT = {
  admin: 'roleHints.admin',
  privacy_officer: 'roleHints.privacy_officer',
  program_manager: 'roleHints.program_manager',
  supervisor: 'roleHints.supervisor',
  coach: 'roleHints.coach',
  partner: 'roleHints.partner',
} as const satisfies Record<Role, string>;

export type Area = 'today' | 'participants' | 'directory' | 'partner' | 'reports' | 'team' | 'admin' | 'audit';

export interface NavItem {
  area: Area;
  to: string;
  /** Not built yet: the page says what is coming. */
  comingSoon: boolean;
  roles?: readonly Role[];
  permission?: string;
}

export const NAV_ITEMS: readonly NavItem[] = [
  // A partner's start page is its inbox (the home page sends it there).
  { area: 'today', to: '/', comingSoon: false, roles: ['admin', 'privacy_officer', 'program_manager', 'supervisor', 'coach'] },
  { area: 'participants', to: '/participants', comingSoon: false, roles: ['coach', 'supervisor', 'program_manager'] },
  { area: 'directory', to: '/directory', comingSoon: false, roles: ['coach', 'supervisor', 'program_manager', 'admin'] },
  { area: 'partner', to: '/partner', comingSoon: false, roles: ['partner'] },
  { area: 'reports', to: '/reports', comingSoon: false, roles: ['program_manager', 'supervisor', 'admin'] },
  { area: 'team', to: '/team', comingSoon: false, roles: ['supervisor', 'program_manager'] },
  { area: 'admin', to: '/admin', comingSoon: false, permission: 'users.manage' },
  { area: 'audit', to: '/audit', comingSoon: false, permission: 'audit.search' },
];

export function mayUse(me: Me, item: NavItem): boolean {
  if (item.permission && !me.permissions.includes(item.permission)) return false;
  if (item.roles && !me.roles.some((r) => item.roles!.includes(r))) return false;
  return true;
}

export const navFor = (me: Me): NavItem[] => NAV_ITEMS.filter((i) => mayUse(me, i));

export const navItem = (area: Area): NavItem => NAV_ITEMS.find((i) => i.area === area)!;

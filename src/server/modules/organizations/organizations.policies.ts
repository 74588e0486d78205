/** Who may see and change the organization's structure. */
import { definePermissions } from '../../platform/auth/permissions.js';

const staff = ['admin', 'privacy_officer', 'program_manager', 'supervisor', 'coach'] as const;

export const organizationPermissions = definePermissions({
  'organization.read': staff,
  'organization.update': ['admin'],
  'programs.read': staff,
  'programs.manage': ['admin'],
  'sites.read': staff,
  'sites.manage': ['admin'],
  'teams.read': staff,
  'teams.manage': ['admin'],
});

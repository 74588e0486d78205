/** Who may see and manage staff accounts. Supervisors see their colleagues; only admins change them. */
import { definePermissions } from '../../platform/auth/permissions.js';

export const userPermissions = definePermissions({
  'users.read': ['admin', 'privacy_officer', 'program_manager', 'supervisor'],
  'users.manage': ['admin'],
});

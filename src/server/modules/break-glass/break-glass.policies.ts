/**
 * Who may work with break-the-glass grants and notifications. Asking for a grant is for the
 * roles that read participants within a scope (`BREAK_GLASS_ROLES` in participants.access.ts);
 * reviewing the log is the privacy officer's and the program manager's. Ending a grant early is
 * for its holder or a privacy officer (the use case checks which grant). Notifications need only
 * a session in the organization: everyone reads their own.
 */
import { definePermissions } from '../../platform/auth/permissions.js';

export const breakGlassPermissions = definePermissions({
  'participants.break_glass': ['supervisor', 'coach'],
  'access_grants.review': ['privacy_officer', 'program_manager'],
  'access_grants.end': ['privacy_officer', 'supervisor', 'coach'],
});

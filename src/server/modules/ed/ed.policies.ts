/** Who may work with the ED bedside visit and the post-overdose follow-up plan. */
import { definePermissions } from '../../platform/auth/permissions.js';

export const edPermissions = definePermissions({
  'ed_visits.read': ['privacy_officer', 'program_manager', 'supervisor', 'coach'],
  'ed_visits.manage': ['program_manager', 'supervisor', 'coach'],
});

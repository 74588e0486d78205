/**
 * Who may merge two records of the same person: the program manager (who sees every record)
 * and the admin (who sees none: the merge answers ids and counts, never participant details).
 */
import { definePermissions } from '../../platform/auth/permissions.js';

export const mergePermissions = definePermissions({
  'participants.merge': ['admin', 'program_manager'],
});

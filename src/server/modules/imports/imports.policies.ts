/**
 * Who may import program history: an import writes many participants' records at once, so it
 * belongs with the people who set up and run the program — admins and program managers. Coaches
 * and supervisors log history one record at a time; privacy officers and partners have no need.
 */
import { definePermissions } from '../../platform/auth/permissions.js';

export const importsPermissions = definePermissions({
  'imports.run': ['admin', 'program_manager'],
});

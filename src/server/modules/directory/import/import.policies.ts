/**
 * Who may import and export the resource directory (HSDS 3.0 JSON and CSV, Meeting Guide,
 * FindTreatment.gov). The directory holds no participant data, but an import rewrites many entries
 * at once and an export hands the whole directory to someone outside: both belong with the people
 * who own the directory (`directory.manage`): program managers, and admins who set up a small
 * organization. Coaches and supervisors search it; privacy officers and partners have no need.
 */
import { definePermissions } from '../../../platform/auth/permissions.js';

export const directoryImportPermissions = definePermissions({
  'directory.import': ['admin', 'program_manager'],
  'directory.export': ['admin', 'program_manager'],
});

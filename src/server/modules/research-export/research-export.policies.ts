/**
 * Who may export the de-identified research dataset: the roles that answer for the whole
 * organization's data (PRODUCT.md: the program manager "exports the de-identified dataset for the
 * university partner"; the privacy officer oversees what leaves). Coaches and supervisors see only
 * a caseload or a team, admins and partners no participant data at all: none of them exports.
 */
import { definePermissions } from '../../platform/auth/permissions.js';

export const researchExportPermissions = definePermissions({
  'research.export': ['privacy_officer', 'program_manager'],
});

/**
 * Who may work with the caseload and its signals. Listing a caseload is `caseload.read`
 * (coaches and supervisors); which caseload a caller may list is narrower still
 * (caseload.usecases.ts). The summary names nobody: counts for program managers (the
 * organization) and supervisors (their teams).
 */
import { definePermissions } from '../../platform/auth/permissions.js';

export const caseloadPermissions = definePermissions({
  'caseload.read': ['supervisor', 'coach'],
  'caseload.summary': ['program_manager', 'supervisor'],
});

/**
 * Who may search, read and edit the resource directory, flag and verify entries, report pharmacy
 * stock and capacity. The directory holds no participant data.
 *
 * - `directory.read`: everyone whose work is finding the right door (coach, supervisor, program
 *   manager) and the admin who sets the organization up. Privacy officers and partners have no
 *   need (minimum necessary; a partner sees only referrals addressed to it).
 * - `directory.report`: the people on the phone with clinics and pharmacies every day (coach,
 *   supervisor, program manager) report capacity, buprenorphine stock and "this entry is wrong";
 *   each report records who and when, and capacity keeps its history.
 * - `directory.manage`: program managers own the directory (PRODUCT.md); admins too, who set up a
 *   small organization and its sites' places on the map. Editing, deleting and verifying (which
 *   clears the flags) are theirs.
 */
import { definePermissions } from '../../platform/auth/permissions.js';

export const directoryPermissions = definePermissions({
  'directory.read': ['admin', 'program_manager', 'supervisor', 'coach'],
  'directory.report': ['program_manager', 'supervisor', 'coach'],
  'directory.manage': ['admin', 'program_manager'],
});

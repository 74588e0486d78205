/** Who may import and export the resource directory (HSDS 3.0 JSON and CSV, Meeting Guide, FindTreatment.gov). */
import { definePermissions } from '../../../platform/auth/permissions.js';

export const directoryImportPermissions = definePermissions({});

/** Who may work with the caseload and its signals. */
import { definePermissions } from '../../platform/auth/permissions.js';

export const caseloadPermissions = definePermissions({});

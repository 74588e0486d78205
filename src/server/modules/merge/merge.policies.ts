/** Who may work with merging participant records. */
import { definePermissions } from '../../platform/auth/permissions.js';

export const mergePermissions = definePermissions({});

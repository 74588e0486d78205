/** Who may search, read and edit the resource directory, flag and verify entries, report pharmacy stock and capacity. */
import { definePermissions } from '../../platform/auth/permissions.js';

export const directoryPermissions = definePermissions({});

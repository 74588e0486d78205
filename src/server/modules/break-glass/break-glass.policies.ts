/** Who may work with break-the-glass grants and notifications. */
import { definePermissions } from '../../platform/auth/permissions.js';

export const breakGlassPermissions = definePermissions({});

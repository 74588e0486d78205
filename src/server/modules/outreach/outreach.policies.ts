/** Who may work with the today view, contact cadence, the unreachable workflow and the supervisor view. */
import { definePermissions } from '../../platform/auth/permissions.js';

export const outreachPermissions = definePermissions({});

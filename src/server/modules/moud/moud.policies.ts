/** Who may work with MOUD access (medications, fills, OTP enrollment, barriers) and insurance navigation tasks. */
import { definePermissions } from '../../platform/auth/permissions.js';

export const moudPermissions = definePermissions({});

/** Who may work with consents, restriction requests and disclosures. */
import { definePermissions } from '../../platform/auth/permissions.js';

export const consentPermissions = definePermissions({});

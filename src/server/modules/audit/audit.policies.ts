/** The audit trail is for the privacy officer and admins (45 CFR 164.312(b) audit controls). */
import { definePermissions } from '../../platform/auth/permissions.js';

export const auditPermissions = definePermissions({
  'audit.search': ['admin', 'privacy_officer'],
  'audit.verify': ['admin', 'privacy_officer'],
});

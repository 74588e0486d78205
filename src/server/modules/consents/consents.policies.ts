/**
 * Who may work with consents, restriction requests and disclosures. Admins and partners hold
 * none of the participant permissions (they never see participant records); an admin and the
 * privacy officer set the organization's rule for minors (§2.14). Which participants a holder
 * may reach is narrower still: every use case passes `requireParticipant` first.
 */
import { definePermissions } from '../../platform/auth/permissions.js';

export const consentPermissions = definePermissions({
  'consents.read': ['privacy_officer', 'program_manager', 'supervisor', 'coach'],
  /** Record and revoke consents; record restriction requests. */
  'consents.manage': ['program_manager', 'supervisor', 'coach'],
  /** Agree to, decline or end a restriction request (§2.26). */
  'restrictions.decide': ['privacy_officer', 'program_manager'],
  'disclosures.create': ['program_manager', 'supervisor', 'coach'],
  /** The accounting of disclosures (§2.24–2.25). */
  'disclosures.read': ['privacy_officer', 'program_manager', 'supervisor', 'coach'],
  'consents.settings': ['admin', 'privacy_officer'],
});

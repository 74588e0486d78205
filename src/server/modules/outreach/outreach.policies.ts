/**
 * Who may work with the today view, contact cadence, the unreachable workflow and the supervisor
 * view. Which participants a caller may act on is narrower still: every use case on an episode
 * passes `requireParticipant` first. Privacy officers see the audit trail, not the outreach work
 * (minimum necessary), so they hold none of these.
 */
import { definePermissions } from '../../platform/auth/permissions.js';

export const outreachPermissions = definePermissions({
  'today.read': ['supervisor', 'coach'],
  'outreach.read': ['program_manager', 'supervisor', 'coach'],
  'outreach.manage': ['program_manager', 'supervisor', 'coach'],
  'team.outreach': ['program_manager', 'supervisor'],
});

/**
 * Who may work with recovery plans. Privacy officers read them (as they read the rest of the
 * record); coaches, supervisors and program managers make and change them, record the
 * participant's agreement and the reviews. Which participants is narrower still: every use case
 * passes `requireParticipant` first. Admins and partners hold no participant permissions.
 */
import { definePermissions } from '../../platform/auth/permissions.js';

export const recoveryPlansPermissions = definePermissions({
  'recovery_plans.read': ['privacy_officer', 'program_manager', 'supervisor', 'coach'],
  'recovery_plans.write': ['program_manager', 'supervisor', 'coach'],
});

/**
 * Who may work with check-ins and milestones. Privacy officers read them (as they read the rest
 * of the record); coaches, supervisors and program managers record check-ins, add milestones and
 * log celebrations. Which participants is narrower still: every use case passes
 * `requireParticipant` first. Admins and partners hold no participant permissions.
 */
import { definePermissions } from '../../platform/auth/permissions.js';

export const checkinsPermissions = definePermissions({
  'checkins.read': ['privacy_officer', 'program_manager', 'supervisor', 'coach'],
  'checkins.write': ['program_manager', 'supervisor', 'coach'],
});

/**
 * Who may work with coping (cravings-and-triggers) and safety plans. Privacy officers read them (as
 * they read the rest of the record); coaches, supervisors and program managers make and change them.
 * Which participants is narrower still: every use case passes `requireParticipant` first. Admins
 * and partners hold no participant permissions.
 */
import { definePermissions } from '../../platform/auth/permissions.js';

export const copingPlansPermissions = definePermissions({
  'coping_plans.read': ['privacy_officer', 'program_manager', 'supervisor', 'coach'],
  'coping_plans.write': ['program_manager', 'supervisor', 'coach'],
});

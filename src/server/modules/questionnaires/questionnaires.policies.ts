/**
 * Who may work with questionnaires (BARC-10, the social-needs screen, a program's own). Privacy
 * officers read responses (as they read the rest of the record); coaches, supervisors and program
 * managers ask them. Which participants is narrower still: every use case passes
 * `requireParticipant` first. Admins and partners hold no participant permissions.
 */
import { definePermissions } from '../../platform/auth/permissions.js';

export const questionnairesPermissions = definePermissions({
  'questionnaires.read': ['privacy_officer', 'program_manager', 'supervisor', 'coach'],
  'questionnaires.answer': ['program_manager', 'supervisor', 'coach'],
});

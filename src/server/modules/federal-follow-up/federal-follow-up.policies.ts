/**
 * Who may work with federal (GPRA-style) interviews. Privacy officers read them (as they read the
 * rest of the record); coaches, supervisors and program managers record and correct them and use
 * the follow-up tracker (a work list: a coach's own people, a supervisor's teams, a program
 * manager's organization). Which participants is narrower still: every use case passes
 * `requireParticipant`, and the tracker lists only the caller's scope. Admins and partners hold
 * no participant permissions.
 */
import { definePermissions } from '../../platform/auth/permissions.js';

export const federalFollowUpPermissions = definePermissions({
  'federal_interviews.read': ['privacy_officer', 'program_manager', 'supervisor', 'coach'],
  'federal_interviews.manage': ['program_manager', 'supervisor', 'coach'],
  'federal_follow_up.tracker': ['program_manager', 'supervisor', 'coach'],
});

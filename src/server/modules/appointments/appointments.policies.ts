/**
 * Who may work with appointments, reminders and calendar feeds. Which participants a caller may
 * act on is narrower still: every use case on an appointment passes `requireParticipant` first.
 * Privacy officers read appointments (as they read encounters and the timeline) but do not
 * book them; the outbox list (failed and pending reminders, ids only) is for those who follow up
 * on a team's work; calendar feeds belong to people who have appointments on their calendar.
 */
import { definePermissions } from '../../platform/auth/permissions.js';

export const appointmentsPermissions = definePermissions({
  'appointments.read': ['privacy_officer', 'program_manager', 'supervisor', 'coach'],
  'appointments.manage': ['program_manager', 'supervisor', 'coach'],
  'calendar_feed.manage': ['supervisor', 'coach'],
  'outbox.read': ['program_manager', 'supervisor'],
  'outbox.manage': ['program_manager', 'supervisor'],
});

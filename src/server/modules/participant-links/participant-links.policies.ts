/**
 * Who may make, see and turn off participants' one-time links: those who work with the person
 * (coaches, supervisors, program managers); privacy officers see them. Which participants is
 * narrower still: every use case passes `requireParticipant` first. The participant's own side
 * needs no account: the link's secret is the permission.
 */
import { definePermissions } from '../../platform/auth/permissions.js';

export const participantLinksPermissions = definePermissions({
  'participant_links.read': ['privacy_officer', 'program_manager', 'supervisor', 'coach'],
  'participant_links.send': ['program_manager', 'supervisor', 'coach'],
});

/**
 * Who may touch participant records. Admins and partners hold none of these: they run the
 * organization or receive referrals, and never see participant records here. Which participants
 * a holder may see is narrower still: `participantScope` in participants.repository.ts.
 */
import { definePermissions } from '../../platform/auth/permissions.js';

export const participantPermissions = definePermissions({
  'participants.read': ['privacy_officer', 'program_manager', 'supervisor', 'coach'],
  'participants.create': ['program_manager', 'supervisor', 'coach'],
  'participants.update': ['program_manager', 'supervisor', 'coach'],
  'episodes.manage': ['program_manager', 'supervisor', 'coach'],
  'episodes.reassign': ['program_manager', 'supervisor'],
});

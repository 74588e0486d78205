/**
 * Who may work with encounters, addenda and the note review queue. Admins hold only
 * `encounters.delete` (they never see participants: a deletion is resolved by organization and
 * leaves a tombstone). Which participants a holder may see is narrower still (`participantScope`).
 */
import { definePermissions } from '../../platform/auth/permissions.js';

export const encounterPermissions = definePermissions({
  'encounters.read': ['privacy_officer', 'program_manager', 'supervisor', 'coach'],
  'encounters.log': ['program_manager', 'supervisor', 'coach'],
  'encounters.review': ['supervisor', 'program_manager'],
  'encounters.delete': ['admin', 'program_manager'],
});

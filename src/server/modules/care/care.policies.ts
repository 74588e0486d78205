/**
 * Who may work with life events, to-dos and the timeline. Admins and partners hold none: they
 * never see participant records. Which participants a holder may see is narrower still
 * (`participantScope`); whose to-dos they may change is the use cases' rule (the owner, a
 * supervisor of the owner's team, a program manager).
 */
import { definePermissions } from '../../platform/auth/permissions.js';

export const carePermissions = definePermissions({
  'life_events.read': ['privacy_officer', 'program_manager', 'supervisor', 'coach'],
  'life_events.manage': ['program_manager', 'supervisor', 'coach'],
  'todos.read': ['coach', 'supervisor', 'program_manager'],
  'todos.manage': ['coach', 'supervisor', 'program_manager'],
  'timeline.read': ['privacy_officer', 'program_manager', 'supervisor', 'coach'],
});

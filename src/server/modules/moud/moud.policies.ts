/**
 * Who may work with MOUD access (medications, fills, OTP enrollment, barriers) and insurance
 * navigation tasks: the people who work with participants. Which participants is narrower still:
 * every use case passes `requireParticipant` first. Privacy officers see the audit trail, not the
 * medication record (minimum necessary); admins and partners hold no participant permissions.
 */
import { definePermissions } from '../../platform/auth/permissions.js';

export const moudPermissions = definePermissions({
  'moud.read': ['program_manager', 'supervisor', 'coach'],
  'moud.manage': ['program_manager', 'supervisor', 'coach'],
});

/**
 * Who may see the measures (issue 7). `measures.read`: the figures — program managers (the
 * organization's dashboard and funder reports), supervisors (their teams' participants only) and
 * admins (aggregates only: an admin reads no participant records, so counts under 11 are hidden
 * for them). `measures.cases`: the drill-down to the participants and events behind a figure,
 * for the roles that read records and work with outcomes. Privacy officers read the audit trail,
 * not outcome figures (minimum necessary); coaches and partners hold neither.
 */
import { definePermissions } from '../../platform/auth/permissions.js';

export const measuresPermissions = definePermissions({
  'measures.read': ['admin', 'program_manager', 'supervisor'],
  'measures.cases': ['program_manager', 'supervisor'],
});

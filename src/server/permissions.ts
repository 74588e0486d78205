/**
 * The permission registry: every domain's `*.policies.ts`, gathered. Routes name a permission
 * from here (`can('sites.manage')`), the guard checks it before the handler runs, and the
 * generated security tests (test/security) read it to try every route with a role that lacks it.
 */
import type { Role } from '../contracts/roles.js';
import { organizationPermissions } from './modules/organizations/organizations.policies.js';
import { userPermissions } from './modules/users/users.policies.js';
import { auditPermissions } from './modules/audit/audit.policies.js';
import { participantPermissions } from './modules/participants/participants.policies.js';
import { consentPermissions } from './modules/consents/consents.policies.js';
import { breakGlassPermissions } from './modules/break-glass/break-glass.policies.js';
import { mergePermissions } from './modules/merge/merge.policies.js';
import { carePermissions } from './modules/care/care.policies.js';
import { caseloadPermissions } from './modules/caseload/caseload.policies.js';
import { encounterPermissions } from './modules/encounters/encounters.policies.js';
import { edPermissions } from './modules/ed/ed.policies.js';
import { outreachPermissions } from './modules/outreach/outreach.policies.js';
import { directoryPermissions } from './modules/directory/directory.policies.js';
import { directoryImportPermissions } from './modules/directory/import/import.policies.js';
import { appointmentsPermissions } from './modules/appointments/appointments.policies.js';
import { referralsPermissions } from './modules/referrals/referrals.policies.js';
import { moudPermissions } from './modules/moud/moud.policies.js';
import { questionnairesPermissions } from './modules/questionnaires/questionnaires.policies.js';
import { recoveryPlansPermissions } from './modules/recovery-plans/recovery-plans.policies.js';
import { copingPlansPermissions } from './modules/coping-plans/coping-plans.policies.js';
import { checkinsPermissions } from './modules/checkins/checkins.policies.js';
import { participantLinksPermissions } from './modules/participant-links/participant-links.policies.js';
import { measuresPermissions } from './modules/measures/measures.policies.js';
import { researchExportPermissions } from './modules/research-export/research-export.policies.js';
import { federalFollowUpPermissions } from './modules/federal-follow-up/federal-follow-up.policies.js';
import { importsPermissions } from './modules/imports/imports.policies.js';

export const PERMISSIONS = {
  ...organizationPermissions,
  ...userPermissions,
  ...auditPermissions,
  ...participantPermissions,
  ...consentPermissions,
  ...breakGlassPermissions,
  ...mergePermissions,
  ...carePermissions,
  ...caseloadPermissions,
  ...encounterPermissions,
  ...edPermissions,
  ...outreachPermissions,
  ...directoryPermissions,
  ...directoryImportPermissions,
  ...appointmentsPermissions,
  ...referralsPermissions,
  ...moudPermissions,
  ...questionnairesPermissions,
  ...recoveryPlansPermissions,
  ...copingPlansPermissions,
  ...checkinsPermissions,
  ...participantLinksPermissions,
  ...measuresPermissions,
  ...researchExportPermissions,
  ...federalFollowUpPermissions,
  ...importsPermissions,
} as const;

export type Permission = keyof typeof PERMISSIONS;

export function permissionsOf(roles: readonly Role[]): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => PERMISSIONS[p].some((r) => roles.includes(r)));
}

/** Names of the kinds of site (contracts/organizations.ts SITE_KINDS). */
import { SITE_KINDS } from '../../../../contracts/organizations';

export type SiteKindT = (typeof SITE_KINDS)[number];
export { SITE_KINDS };

export const SITE_KIND_LABEL = {
  emergency_department: 'admin.sites.kinds.emergency_department',
  hospital: 'admin.sites.kinds.hospital',
  outpatient_clinic: 'admin.sites.kinds.outpatient_clinic',
  residential: 'admin.sites.kinds.residential',
  rco: 'admin.sites.kinds.rco',
  telehealth: 'admin.sites.kinds.telehealth',
  community: 'admin.sites.kinds.community',
  other: 'admin.sites.kinds.other',
} as const satisfies Record<SiteKindT, string>;

/** Records → API shapes (contracts/organizations.ts). Internal columns never leave the server. */
import type { z } from 'zod';
import type { Organization, Program, Site, Team } from '../../../contracts/organizations.js';
import type { OrganizationRecord, ProgramRecord, SiteRecord, TeamRecord } from './organizations.repository.js';

export const presentOrganization = (o: OrganizationRecord): z.output<typeof Organization> => ({
  id: o.id,
  name: o.name,
  timeZone: o.timeZone,
  requireMfa: o.requireMfa,
  version: o.version,
  createdAt: o.createdAt,
  updatedAt: o.updatedAt,
});

export const presentProgram = (p: ProgramRecord): z.output<typeof Program> => ({
  id: p.id,
  name: p.name,
  description: p.description,
  active: p.active,
  cravingsAlertThreshold: p.cravingsAlertThreshold,
  planReviewDays: p.planReviewDays,
  edVisitCostCents: p.edVisitCostCents,
  inpatientDayCostCents: p.inpatientDayCostCents,
  peerHourCostCents: p.peerHourCostCents,
  baselineEdRevisitPercent: p.baselineEdRevisitPercent,
  version: p.version,
  createdAt: p.createdAt,
  updatedAt: p.updatedAt,
});

export const presentSite = (s: SiteRecord, orgTimeZone: string): z.output<typeof Site> => ({
  id: s.id,
  programId: s.programId,
  name: s.name,
  kind: s.kind,
  timeZone: s.timeZone,
  effectiveTimeZone: s.timeZone ?? orgTimeZone,
  address: s.address,
  active: s.active,
  version: s.version,
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
});

export const presentTeam = (t: TeamRecord): z.output<typeof Team> => ({
  id: t.id,
  name: t.name,
  siteId: t.siteId,
  supervisorUserId: t.supervisorUserId,
  memberUserIds: t.memberUserIds,
  version: t.version,
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
});

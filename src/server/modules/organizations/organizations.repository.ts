/** All SQL about organizations, programs, sites and teams. */
import type { Executor } from '../../platform/db/database.js';
import { newId } from '../../platform/ids.js';
import type { SiteKind } from './organizations.types.js';

export interface OrganizationRecord {
  id: string;
  name: string;
  timeZone: string;
  requireMfa: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}
export interface ProgramRecord {
  id: string;
  organizationId: string;
  name: string;
  description: string | null;
  active: boolean;
  cravingsAlertThreshold: number;
  planReviewDays: number;
  edVisitCostCents: number | null;
  inpatientDayCostCents: number | null;
  peerHourCostCents: number | null;
  baselineEdRevisitPercent: number | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}
export interface SiteRecord {
  id: string;
  organizationId: string;
  programId: string | null;
  name: string;
  kind: SiteKind;
  timeZone: string | null;
  address: string | null;
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}
export interface TeamRecord {
  id: string;
  organizationId: string;
  siteId: string | null;
  name: string;
  supervisorUserId: string | null;
  memberUserIds: string[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

// ---- organizations

export async function insertOrganization(db: Executor, o: { name: string; timeZone: string; requireMfa: boolean; now: string }): Promise<string> {
  const id = newId();
  await db
    .insertInto('organizations')
    .values({ id, name: o.name, time_zone: o.timeZone, require_mfa: o.requireMfa ? 1 : 0, created_at: o.now, updated_at: o.now })
    .execute();
  return id;
}

const orgColumns = ['id', 'name', 'time_zone', 'require_mfa', 'version', 'created_at', 'updated_at'] as const;
type OrgRow = { id: string; name: string; time_zone: string; require_mfa: number; version: number; created_at: string; updated_at: string };
const toOrg = (r: OrgRow): OrganizationRecord => ({
  id: r.id,
  name: r.name,
  timeZone: r.time_zone,
  requireMfa: r.require_mfa === 1,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function findOrganization(db: Executor, id: string): Promise<OrganizationRecord | undefined> {
  const r = await db.selectFrom('organizations').select(orgColumns).where('id', '=', id).executeTakeFirst();
  return r ? toOrg(r) : undefined;
}

export async function listOrganizations(db: Executor): Promise<OrganizationRecord[]> {
  const rows = await db.selectFrom('organizations').select(orgColumns).orderBy('name').execute();
  return rows.map(toOrg);
}

export async function updateOrganization(
  db: Executor,
  id: string,
  version: number,
  patch: { name?: string | undefined; timeZone?: string | undefined; requireMfa?: boolean | undefined },
  now: string,
): Promise<boolean> {
  const res = await db
    .updateTable('organizations')
    .set((eb) => ({
      updated_at: now,
      version: eb('version', '+', 1),
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.timeZone !== undefined && { time_zone: patch.timeZone }),
      ...(patch.requireMfa !== undefined && { require_mfa: patch.requireMfa ? 1 : 0 }),
    }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

// ---- programs

const programColumns = ['id', 'organization_id', 'name', 'description', 'active', 'cravings_alert_threshold', 'plan_review_days', 'ed_visit_cost_cents', 'inpatient_day_cost_cents', 'peer_hour_cost_cents', 'baseline_ed_revisit_percent', 'version', 'created_at', 'updated_at'] as const;
type ProgramRow = {
  id: string;
  organization_id: string;
  name: string;
  description: string | null;
  active: number;
  cravings_alert_threshold: number;
  plan_review_days: number;
  ed_visit_cost_cents: number | null;
  inpatient_day_cost_cents: number | null;
  peer_hour_cost_cents: number | null;
  baseline_ed_revisit_percent: number | null;
  version: number;
  created_at: string;
  updated_at: string;
};
const numberOrNull = (x: number | null) => (x === null ? null : Number(x));

/** The cost model's settings as columns (only those given). */
type ProgramCosts = { edVisitCostCents?: number | null | undefined; inpatientDayCostCents?: number | null | undefined; peerHourCostCents?: number | null | undefined; baselineEdRevisitPercent?: number | null | undefined };
const costColumns = (p: ProgramCosts) => ({
  ...(p.edVisitCostCents !== undefined && { ed_visit_cost_cents: p.edVisitCostCents }),
  ...(p.inpatientDayCostCents !== undefined && { inpatient_day_cost_cents: p.inpatientDayCostCents }),
  ...(p.peerHourCostCents !== undefined && { peer_hour_cost_cents: p.peerHourCostCents }),
  ...(p.baselineEdRevisitPercent !== undefined && { baseline_ed_revisit_percent: p.baselineEdRevisitPercent }),
});

const toProgram = (r: ProgramRow): ProgramRecord => ({
  id: r.id,
  organizationId: r.organization_id,
  name: r.name,
  description: r.description,
  active: r.active === 1,
  cravingsAlertThreshold: Number(r.cravings_alert_threshold),
  planReviewDays: Number(r.plan_review_days),
  edVisitCostCents: numberOrNull(r.ed_visit_cost_cents),
  inpatientDayCostCents: numberOrNull(r.inpatient_day_cost_cents),
  peerHourCostCents: numberOrNull(r.peer_hour_cost_cents),
  baselineEdRevisitPercent: numberOrNull(r.baseline_ed_revisit_percent),
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function insertProgram(
  db: Executor,
  organizationId: string,
  p: { name: string; description: string | null; cravingsAlertThreshold?: number | undefined; planReviewDays?: number | undefined } & ProgramCosts,
  now: string,
): Promise<string> {
  const id = newId();
  await db
    .insertInto('programs')
    .values({
      id,
      organization_id: organizationId,
      name: p.name,
      description: p.description,
      active: 1,
      ...(p.cravingsAlertThreshold !== undefined && { cravings_alert_threshold: p.cravingsAlertThreshold }),
      ...(p.planReviewDays !== undefined && { plan_review_days: p.planReviewDays }),
      ...costColumns(p),
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

export async function listPrograms(db: Executor, organizationId: string): Promise<ProgramRecord[]> {
  return (await db.selectFrom('programs').select(programColumns).where('organization_id', '=', organizationId).orderBy('name').execute()).map(toProgram);
}

export async function findProgram(db: Executor, organizationId: string, id: string): Promise<ProgramRecord | undefined> {
  const r = await db.selectFrom('programs').select(programColumns).where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return r ? toProgram(r) : undefined;
}

export async function updateProgram(
  db: Executor,
  organizationId: string,
  id: string,
  version: number,
  patch: {
    name?: string | undefined;
    description?: string | null | undefined;
    active?: boolean | undefined;
    cravingsAlertThreshold?: number | undefined;
    planReviewDays?: number | undefined;
  } & ProgramCosts,
  now: string,
): Promise<boolean> {
  const res = await db
    .updateTable('programs')
    .set((eb) => ({
      updated_at: now,
      version: eb('version', '+', 1),
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.description !== undefined && { description: patch.description }),
      ...(patch.active !== undefined && { active: patch.active ? 1 : 0 }),
      ...(patch.cravingsAlertThreshold !== undefined && { cravings_alert_threshold: patch.cravingsAlertThreshold }),
      ...(patch.planReviewDays !== undefined && { plan_review_days: patch.planReviewDays }),
      ...costColumns(patch),
    }))
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

// ---- sites

const siteColumns = ['id', 'organization_id', 'program_id', 'name', 'kind', 'time_zone', 'address', 'active', 'version', 'created_at', 'updated_at'] as const;
type SiteRow = {
  id: string;
  organization_id: string;
  program_id: string | null;
  name: string;
  kind: string;
  time_zone: string | null;
  address: string | null;
  active: number;
  version: number;
  created_at: string;
  updated_at: string;
};
const toSite = (r: SiteRow): SiteRecord => ({
  id: r.id,
  organizationId: r.organization_id,
  programId: r.program_id,
  name: r.name,
  kind: r.kind as SiteKind,
  timeZone: r.time_zone,
  address: r.address,
  active: r.active === 1,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function insertSite(
  db: Executor,
  organizationId: string,
  s: { name: string; kind: SiteKind; programId: string | null; timeZone: string | null; address: string | null },
  now: string,
): Promise<string> {
  const id = newId();
  await db
    .insertInto('sites')
    .values({
      id,
      organization_id: organizationId,
      program_id: s.programId,
      name: s.name,
      kind: s.kind,
      time_zone: s.timeZone,
      address: s.address,
      active: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

export async function listSites(db: Executor, organizationId: string): Promise<SiteRecord[]> {
  return (await db.selectFrom('sites').select(siteColumns).where('organization_id', '=', organizationId).orderBy('name').execute()).map(toSite);
}

export async function findSite(db: Executor, organizationId: string, id: string): Promise<SiteRecord | undefined> {
  const r = await db.selectFrom('sites').select(siteColumns).where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return r ? toSite(r) : undefined;
}

export async function updateSite(
  db: Executor,
  organizationId: string,
  id: string,
  version: number,
  patch: {
    name?: string | undefined;
    kind?: SiteKind | undefined;
    programId?: string | null | undefined;
    timeZone?: string | null | undefined;
    address?: string | null | undefined;
    active?: boolean | undefined;
  },
  now: string,
): Promise<boolean> {
  const res = await db
    .updateTable('sites')
    .set((eb) => ({
      updated_at: now,
      version: eb('version', '+', 1),
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.kind !== undefined && { kind: patch.kind }),
      ...(patch.programId !== undefined && { program_id: patch.programId }),
      ...(patch.timeZone !== undefined && { time_zone: patch.timeZone }),
      ...(patch.address !== undefined && { address: patch.address }),
      ...(patch.active !== undefined && { active: patch.active ? 1 : 0 }),
    }))
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

// ---- teams

const teamColumns = ['id', 'organization_id', 'site_id', 'name', 'supervisor_user_id', 'version', 'created_at', 'updated_at'] as const;

async function withMembers(
  db: Executor,
  rows: {
    id: string;
    organization_id: string;
    site_id: string | null;
    name: string;
    supervisor_user_id: string | null;
    version: number;
    created_at: string;
    updated_at: string;
  }[],
): Promise<TeamRecord[]> {
  if (rows.length === 0) return [];
  const members = await db
    .selectFrom('team_members')
    .select(['team_id', 'user_id'])
    .where(
      'team_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('user_id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    organizationId: r.organization_id,
    siteId: r.site_id,
    name: r.name,
    supervisorUserId: r.supervisor_user_id,
    memberUserIds: members.filter((m) => m.team_id === r.id).map((m) => m.user_id),
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

export async function listTeams(db: Executor, organizationId: string): Promise<TeamRecord[]> {
  const rows = await db.selectFrom('teams').select(teamColumns).where('organization_id', '=', organizationId).orderBy('name').execute();
  return withMembers(db, rows);
}

export async function findTeam(db: Executor, organizationId: string, id: string): Promise<TeamRecord | undefined> {
  const rows = await db.selectFrom('teams').select(teamColumns).where('organization_id', '=', organizationId).where('id', '=', id).execute();
  return (await withMembers(db, rows))[0];
}

export async function insertTeam(
  db: Executor,
  organizationId: string,
  t: { name: string; siteId: string | null; supervisorUserId: string | null },
  now: string,
): Promise<string> {
  const id = newId();
  await db
    .insertInto('teams')
    .values({ id, organization_id: organizationId, site_id: t.siteId, name: t.name, supervisor_user_id: t.supervisorUserId, created_at: now, updated_at: now })
    .execute();
  return id;
}

export async function updateTeam(
  db: Executor,
  organizationId: string,
  id: string,
  version: number,
  patch: { name?: string | undefined; siteId?: string | null | undefined; supervisorUserId?: string | null | undefined },
  now: string,
): Promise<boolean> {
  const res = await db
    .updateTable('teams')
    .set((eb) => ({
      updated_at: now,
      version: eb('version', '+', 1),
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.siteId !== undefined && { site_id: patch.siteId }),
      ...(patch.supervisorUserId !== undefined && { supervisor_user_id: patch.supervisorUserId }),
    }))
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function setTeamMembers(db: Executor, organizationId: string, teamId: string, userIds: readonly string[], now: string): Promise<void> {
  await db.deleteFrom('team_members').where('team_id', '=', teamId).execute();
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return;
  await db
    .insertInto('team_members')
    .values(unique.map((user_id) => ({ team_id: teamId, user_id, organization_id: organizationId, created_at: now })))
    .execute();
}

/**
 * Rules for the organization's structure: organizations (tenant boundary, time zone, MFA rule),
 * programs, sites (which may override the time zone) and teams (a supervisor and coaches).
 * Every record is read and written within the actor's organization; another organization's
 * record is simply not found.
 */
import type { z } from 'zod';
import type {
  CreateOrganizationBody,
  CreateProgramBody,
  CreateSiteBody,
  CreateTeamBody,
  UpdateOrganizationBody,
  UpdateProgramBody,
  UpdateSiteBody,
  UpdateTeamBody,
} from '../../../contracts/organizations.js';
import type { Ctx } from '../../platform/http/context.js';
import { errors } from '../../platform/errors.js';
import * as repo from './organizations.repository.js';
import { rolesIn, setRoles } from '../users/users.repository.js';
import { requireEnrollmentIn } from '../../platform/auth/sessions.js';
import { presentOrganization, presentProgram, presentSite, presentTeam } from './organizations.presenters.js';

const changed = (patch: Record<string, unknown>): string[] => Object.keys(patch).filter((k) => k !== 'version' && patch[k] !== undefined);

/*
 * A stale update answers 409 with the record as it is now, in its API shape (never the row: no
 * internal columns). It is read again after the failed update: when two saves race on
 * PostgreSQL, the loser's earlier read predates the winner's commit.
 */

// ---- organizations

export async function createOrganization(ctx: Ctx, input: z.output<typeof CreateOrganizationBody>): Promise<repo.OrganizationRecord> {
  const now = ctx.clock.now().toISOString();
  const id = await repo.insertOrganization(ctx.db, { ...input, now });
  // Whoever creates an organization administers it until they hand it over.
  await setRoles(ctx.db, ctx.actor.userId, id, ['admin'], now);
  await ctx.audit({ organizationId: id, action: 'organization.create', targetType: 'organization', targetIds: [id] });
  await ctx.audit({ organizationId: id, action: 'membership.grant', targetType: 'user', targetIds: [ctx.actor.userId], details: { roles: ['admin'] } });
  return (await repo.findOrganization(ctx.db, id))!;
}

export const listAllOrganizations = (ctx: Ctx): Promise<repo.OrganizationRecord[]> => repo.listOrganizations(ctx.db);

export async function getCurrentOrganization(ctx: Ctx): Promise<repo.OrganizationRecord> {
  const org = await repo.findOrganization(ctx.db, ctx.actor.organizationId);
  if (!org) throw errors.notFound('organization');
  return org;
}

export async function updateCurrentOrganization(ctx: Ctx, input: z.output<typeof UpdateOrganizationBody>): Promise<repo.OrganizationRecord> {
  const id = ctx.actor.organizationId;
  const ok = await repo.updateOrganization(ctx.db, id, input.version, input, ctx.clock.now().toISOString());
  const current = await repo.findOrganization(ctx.db, id);
  if (!current) throw errors.notFound('organization');
  if (!ok) throw errors.conflict(presentOrganization(current), current.version);
  // Requiring MFA applies at once, not at the next sign-in: people without MFA who are signed in
  // here must enrol before they can do anything else (in this same transaction).
  const sentToEnrol = input.requireMfa === true ? await requireEnrollmentIn(ctx.db, id, ctx.clock.now()) : 0;
  await ctx.audit({
    action: 'organization.update',
    targetType: 'organization',
    targetIds: [id],
    details: { fields: changed(input), ...(sentToEnrol > 0 && { sessionsSentToMfaEnrollment: sentToEnrol }) },
  });
  return current;
}

// ---- programs

export const listPrograms = (ctx: Ctx): Promise<repo.ProgramRecord[]> => repo.listPrograms(ctx.db, ctx.actor.organizationId);

export async function getProgram(ctx: Ctx, id: string): Promise<repo.ProgramRecord> {
  const p = await repo.findProgram(ctx.db, ctx.actor.organizationId, id);
  if (!p) throw errors.notFound('program');
  return p;
}

export async function createProgram(ctx: Ctx, input: z.output<typeof CreateProgramBody>): Promise<repo.ProgramRecord> {
  const id = await repo.insertProgram(ctx.db, ctx.actor.organizationId, input, ctx.clock.now().toISOString());
  await ctx.audit({ action: 'program.create', targetType: 'program', targetIds: [id] });
  return getProgram(ctx, id);
}

export async function updateProgram(ctx: Ctx, id: string, input: z.output<typeof UpdateProgramBody>): Promise<repo.ProgramRecord> {
  await getProgram(ctx, id);
  const ok = await repo.updateProgram(ctx.db, ctx.actor.organizationId, id, input.version, input, ctx.clock.now().toISOString());
  if (!ok) {
    const current = await getProgram(ctx, id);
    throw errors.conflict(presentProgram(current), current.version);
  }
  await ctx.audit({ action: 'program.update', targetType: 'program', targetIds: [id], details: { fields: changed(input) } });
  return getProgram(ctx, id);
}

// ---- sites

export const listSites = (ctx: Ctx): Promise<repo.SiteRecord[]> => repo.listSites(ctx.db, ctx.actor.organizationId);

export async function getSite(ctx: Ctx, id: string): Promise<repo.SiteRecord> {
  const s = await repo.findSite(ctx.db, ctx.actor.organizationId, id);
  if (!s) throw errors.notFound('site');
  return s;
}

async function requireProgram(ctx: Ctx, programId: string | null | undefined): Promise<void> {
  if (!programId) return;
  if (!(await repo.findProgram(ctx.db, ctx.actor.organizationId, programId))) {
    throw errors.invalid('programId', 'Choose a program of this organization');
  }
}

export async function createSite(ctx: Ctx, input: z.output<typeof CreateSiteBody>): Promise<repo.SiteRecord> {
  await requireProgram(ctx, input.programId);
  const id = await repo.insertSite(ctx.db, ctx.actor.organizationId, input, ctx.clock.now().toISOString());
  await ctx.audit({ action: 'site.create', targetType: 'site', targetIds: [id] });
  return getSite(ctx, id);
}

export async function updateSite(ctx: Ctx, id: string, input: z.output<typeof UpdateSiteBody>): Promise<repo.SiteRecord> {
  await getSite(ctx, id);
  await requireProgram(ctx, input.programId);
  const ok = await repo.updateSite(ctx.db, ctx.actor.organizationId, id, input.version, input, ctx.clock.now().toISOString());
  if (!ok) {
    const current = await getSite(ctx, id);
    throw errors.conflict(presentSite(current, (await getCurrentOrganization(ctx)).timeZone), current.version);
  }
  await ctx.audit({ action: 'site.update', targetType: 'site', targetIds: [id], details: { fields: changed(input) } });
  return getSite(ctx, id);
}

// ---- teams

export const listTeams = (ctx: Ctx): Promise<repo.TeamRecord[]> => repo.listTeams(ctx.db, ctx.actor.organizationId);

export async function getTeam(ctx: Ctx, id: string): Promise<repo.TeamRecord> {
  const t = await repo.findTeam(ctx.db, ctx.actor.organizationId, id);
  if (!t) throw errors.notFound('team');
  return t;
}

async function checkTeamRefs(
  ctx: Ctx,
  input: { siteId?: string | null | undefined; supervisorUserId?: string | null | undefined; memberUserIds?: string[] | undefined },
): Promise<void> {
  const org = ctx.actor.organizationId;
  if (input.siteId && !(await repo.findSite(ctx.db, org, input.siteId))) throw errors.invalid('siteId', 'Choose a site of this organization');
  if (input.supervisorUserId) {
    const roles = await rolesIn(ctx.db, input.supervisorUserId, org);
    if (!roles.includes('supervisor')) throw errors.invalid('supervisorUserId', 'Choose a person with the supervisor role');
  }
  for (const [i, userId] of (input.memberUserIds ?? []).entries()) {
    if ((await rolesIn(ctx.db, userId, org)).length === 0) throw errors.invalid(`memberUserIds.${i}`, 'Choose people of this organization');
  }
}

export async function createTeam(ctx: Ctx, input: z.output<typeof CreateTeamBody>): Promise<repo.TeamRecord> {
  await checkTeamRefs(ctx, input);
  const now = ctx.clock.now().toISOString();
  const id = await repo.insertTeam(ctx.db, ctx.actor.organizationId, input, now);
  await repo.setTeamMembers(ctx.db, ctx.actor.organizationId, id, input.memberUserIds, now);
  await ctx.audit({ action: 'team.create', targetType: 'team', targetIds: [id] });
  return getTeam(ctx, id);
}

export async function updateTeam(ctx: Ctx, id: string, input: z.output<typeof UpdateTeamBody>): Promise<repo.TeamRecord> {
  await getTeam(ctx, id);
  await checkTeamRefs(ctx, input);
  const now = ctx.clock.now().toISOString();
  const ok = await repo.updateTeam(ctx.db, ctx.actor.organizationId, id, input.version, input, now);
  if (!ok) {
    const current = await getTeam(ctx, id);
    throw errors.conflict(presentTeam(current), current.version);
  }
  if (input.memberUserIds) await repo.setTeamMembers(ctx.db, ctx.actor.organizationId, id, input.memberUserIds, now);
  await ctx.audit({ action: 'team.update', targetType: 'team', targetIds: [id], details: { fields: changed(input) } });
  return getTeam(ctx, id);
}

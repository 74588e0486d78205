/** HTTP for organizations, programs, sites and teams: access → validate → use case → presenter. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams } from '../../../contracts/common.js';
import {
  CreateOrganizationBody,
  CreateProgramBody,
  CreateSiteBody,
  CreateTeamBody,
  Organization,
  OrganizationList,
  Program,
  ProgramList,
  Site,
  SiteList,
  Team,
  TeamList,
  UpdateOrganizationBody,
  UpdateProgramBody,
  UpdateSiteBody,
  UpdateTeamBody,
} from '../../../contracts/organizations.js';
import { can, platformAdmin } from '../../platform/http/access.js';
import { read, write } from '../../platform/http/context.js';
import * as uc from './organizations.usecases.js';
import { presentOrganization, presentProgram, presentSite, presentTeam } from './organizations.presenters.js';

export const organizationRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['organizations'];

  app.get('/api/v1/organizations', {
    schema: { tags, summary: 'All organizations of this deployment', response: { 200: OrganizationList } },
    config: { access: platformAdmin },
  }, async (req) => read(req, async (ctx) => ({ organizations: (await uc.listAllOrganizations(ctx)).map(presentOrganization) })));

  app.post('/api/v1/organizations', {
    schema: { tags, summary: 'Create an organization (you become its admin)', body: CreateOrganizationBody, response: { 201: Organization } },
    config: { access: platformAdmin },
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, async (ctx) => presentOrganization(await uc.createOrganization(ctx, req.body)));
  });

  app.get('/api/v1/organization', {
    schema: { tags, summary: 'The current organization', response: { 200: Organization } },
    config: { access: can('organization.read') },
  }, async (req) => read(req, async (ctx) => presentOrganization(await uc.getCurrentOrganization(ctx))));

  app.patch('/api/v1/organization', {
    schema: { tags, summary: 'Change the current organization', body: UpdateOrganizationBody, response: { 200: Organization } },
    config: { access: can('organization.update') },
  }, async (req, reply) => write(req, reply, async (ctx) => presentOrganization(await uc.updateCurrentOrganization(ctx, req.body))));

  // ---- programs
  app.get('/api/v1/programs', {
    schema: { tags, summary: 'Programs', response: { 200: ProgramList } },
    config: { access: can('programs.read') },
  }, async (req) => read(req, async (ctx) => ({ programs: (await uc.listPrograms(ctx)).map(presentProgram) })));

  app.post('/api/v1/programs', {
    schema: { tags, summary: 'Create a program', body: CreateProgramBody, response: { 201: Program } },
    config: { access: can('programs.manage') },
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, async (ctx) => presentProgram(await uc.createProgram(ctx, req.body)));
  });

  app.get('/api/v1/programs/:id', {
    schema: { tags, summary: 'One program', params: IdParams, response: { 200: Program } },
    config: { access: can('programs.read') },
  }, async (req) => read(req, async (ctx) => presentProgram(await uc.getProgram(ctx, req.params.id))));

  app.patch('/api/v1/programs/:id', {
    schema: { tags, summary: 'Change a program', params: IdParams, body: UpdateProgramBody, response: { 200: Program } },
    config: { access: can('programs.manage') },
  }, async (req, reply) => write(req, reply, async (ctx) => presentProgram(await uc.updateProgram(ctx, req.params.id, req.body))));

  // ---- sites
  app.get('/api/v1/sites', {
    schema: { tags, summary: 'Sites', response: { 200: SiteList } },
    config: { access: can('sites.read') },
  }, async (req) =>
    read(req, async (ctx) => {
      const org = await uc.getCurrentOrganization(ctx);
      return { sites: (await uc.listSites(ctx)).map((s) => presentSite(s, org.timeZone)) };
    }));

  app.post('/api/v1/sites', {
    schema: { tags, summary: 'Create a site', body: CreateSiteBody, response: { 201: Site } },
    config: { access: can('sites.manage') },
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, async (ctx) => presentSite(await uc.createSite(ctx, req.body), (await uc.getCurrentOrganization(ctx)).timeZone));
  });

  app.get('/api/v1/sites/:id', {
    schema: { tags, summary: 'One site', params: IdParams, response: { 200: Site } },
    config: { access: can('sites.read') },
  }, async (req) => read(req, async (ctx) => presentSite(await uc.getSite(ctx, req.params.id), (await uc.getCurrentOrganization(ctx)).timeZone)));

  app.patch('/api/v1/sites/:id', {
    schema: { tags, summary: 'Change a site', params: IdParams, body: UpdateSiteBody, response: { 200: Site } },
    config: { access: can('sites.manage') },
  }, async (req, reply) =>
    write(req, reply, async (ctx) => presentSite(await uc.updateSite(ctx, req.params.id, req.body), (await uc.getCurrentOrganization(ctx)).timeZone)));

  // ---- teams
  app.get('/api/v1/teams', {
    schema: { tags, summary: 'Teams', response: { 200: TeamList } },
    config: { access: can('teams.read') },
  }, async (req) => read(req, async (ctx) => ({ teams: (await uc.listTeams(ctx)).map(presentTeam) })));

  app.post('/api/v1/teams', {
    schema: { tags, summary: 'Create a team', body: CreateTeamBody, response: { 201: Team } },
    config: { access: can('teams.manage') },
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, async (ctx) => presentTeam(await uc.createTeam(ctx, req.body)));
  });

  app.get('/api/v1/teams/:id', {
    schema: { tags, summary: 'One team', params: IdParams, response: { 200: Team } },
    config: { access: can('teams.read') },
  }, async (req) => read(req, async (ctx) => presentTeam(await uc.getTeam(ctx, req.params.id))));

  app.patch('/api/v1/teams/:id', {
    schema: { tags, summary: 'Change a team', params: IdParams, body: UpdateTeamBody, response: { 200: Team } },
    config: { access: can('teams.manage') },
  }, async (req, reply) => write(req, reply, async (ctx) => presentTeam(await uc.updateTeam(ctx, req.params.id, req.body))));
};

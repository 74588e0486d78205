/** HTTP for the today view, contact cadence, the unreachable workflow and the supervisor view: access → validate → use case → presenter. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams } from '../../../contracts/common.js';
import { Cadence, EpisodeOutreach, MarkUnreachableBody, MarkUnreachableResult, TeamOutreach, Today, UpdateCadenceBody } from '../../../contracts/outreach.js';
import { can } from '../../platform/http/access.js';
import { read, write } from '../../platform/http/context.js';
import * as uc from './outreach.usecases.js';

export const outreachRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['outreach'];

  app.get('/api/v1/today', {
    schema: { tags, summary: 'Your open to-dos due today or overdue, most urgent first, with how to reach each person', response: { 200: Today } },
    config: { access: can('today.read') },
  }, async (req) => read(req, (ctx) => uc.today(ctx)));

  app.patch('/api/v1/episodes/:id/cadence', {
    schema: { tags, summary: "Set an episode's contact cadence in days (null: the program's)", params: IdParams, body: UpdateCadenceBody, response: { 200: Cadence } },
    config: { access: can('outreach.manage') },
  }, async (req, reply) => write(req, reply, (ctx) => uc.updateCadence(ctx, req.params.id, req.body)));

  app.get('/api/v1/episodes/:id/outreach', {
    schema: { tags, summary: 'Recent failed attempts, channels tried and not yet tried, and whether to propose marking the episode unreachable', params: IdParams, response: { 200: EpisodeOutreach } },
    config: { access: can('outreach.read') },
  }, async (req) => read(req, (ctx) => uc.outreachOf(ctx, req.params.id)));

  app.post('/api/v1/episodes/:id/unreachable', {
    schema: { tags, summary: 'Mark an episode unreachable (the coach’s decision, with the reason); schedules re-engagement at 30 and 60 days', params: IdParams, body: MarkUnreachableBody, response: { 200: MarkUnreachableResult } },
    config: { access: can('outreach.manage') },
  }, async (req, reply) => write(req, reply, (ctx) => uc.markUnreachable(ctx, req.params.id, req.body)));

  app.get('/api/v1/team/outreach', {
    schema: { tags, summary: 'Per coach: open episodes, overdue contacts, attempts and successful contacts (30 days), people at risk after an ED visit', response: { 200: TeamOutreach } },
    config: { access: can('team.outreach') },
  }, async (req) => read(req, (ctx) => uc.teamOutreach(ctx)));
};

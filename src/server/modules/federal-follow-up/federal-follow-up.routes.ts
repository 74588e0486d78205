/** HTTP for federal (GPRA-style) interviews and the 6-month follow-up tracker: access → validate → use case. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams, Ok } from '../../../contracts/common.js';
import {
  CreateFederalInterviewBody,
  DeleteFederalInterviewBody,
  FederalFollowUpTracker,
  FederalInterview,
  FederalInterviewList,
  TrackerQuery,
  UpdateFederalInterviewBody,
} from '../../../contracts/federal-follow-up.js';
import { can } from '../../platform/http/access.js';
import { read, write } from '../../platform/http/context.js';
import * as uc from './federal-follow-up.usecases.js';

export const federalFollowUpRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['federal-follow-up'];
  const manage = { access: can('federal_interviews.manage') };

  app.get('/api/v1/participants/:id/federal-interviews', {
    schema: { tags, summary: "A participant's federal interviews (intake, 6-month follow-up, discharge) and when each follow-up is due", params: IdParams, response: { 200: FederalInterviewList } },
    config: { access: can('federal_interviews.read') },
  }, async (req) => read(req, (ctx) => uc.listInterviews(ctx, req.params.id)));

  app.post('/api/v1/participants/:id/federal-interviews', {
    schema: { tags, summary: 'Record a federal interview conducted with the participant', params: IdParams, body: CreateFederalInterviewBody, response: { 201: FederalInterview } },
    config: manage,
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, (ctx) => uc.recordInterview(ctx, req.params.id, req.body));
  });

  app.patch('/api/v1/federal-interviews/:id', {
    schema: { tags, summary: 'Correct a federal interview (kind, date, episode)', params: IdParams, body: UpdateFederalInterviewBody, response: { 200: FederalInterview } },
    config: manage,
  }, async (req, reply) => write(req, reply, (ctx) => uc.correctInterview(ctx, req.params.id, req.body)));

  app.delete('/api/v1/federal-interviews/:id', {
    schema: { tags, summary: 'Remove a federal interview recorded in error (kept, audited, left out of every figure)', params: IdParams, body: DeleteFederalInterviewBody, response: { 200: Ok } },
    config: manage,
  }, async (req, reply) => write(req, reply, (ctx) => uc.removeInterview(ctx, req.params.id, req.body)));

  app.get('/api/v1/federal-follow-up/tracker', {
    schema: { tags, summary: 'Who is due for the 6-month follow-up in a month, who is in window, who is out of window', querystring: TrackerQuery, response: { 200: FederalFollowUpTracker } },
    config: { access: can('federal_follow_up.tracker') },
  }, async (req) => read(req, (ctx) => uc.tracker(ctx, req.query)));
};

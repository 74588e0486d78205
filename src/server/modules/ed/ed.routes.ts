/** HTTP for the ED bedside visit and the post-overdose follow-up plan: access → validate → use case → presenter. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams } from '../../../contracts/common.js';
import { EdVisit, EdVisitList, StartEdVisitBody, UpdateEdVisitBody } from '../../../contracts/ed.js';
import { can } from '../../platform/http/access.js';
import { read, write } from '../../platform/http/context.js';
import * as uc from './ed.usecases.js';
import { presentEdVisit } from './ed.presenters.js';

const present = (v: uc.EdVisitView) => presentEdVisit(v.visit, v.plan);

export const edRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['ed'];

  app.get('/api/v1/participants/:id/ed-visits', {
    schema: { tags, summary: "A participant's ED visits, newest first", params: IdParams, response: { 200: EdVisitList } },
    config: { access: can('ed_visits.read') },
  }, async (req) => read(req, async (ctx) => ({ edVisits: (await uc.listEdVisits(ctx, req.params.id)).map(present) })));

  app.post('/api/v1/participants/:id/ed-visits', {
    schema: { tags, summary: 'Start an ED visit at the bedside (records the ED-visit life event)', params: IdParams, body: StartEdVisitBody, response: { 201: EdVisit } },
    config: { access: can('ed_visits.manage') },
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, async (ctx) => present(await uc.startEdVisit(ctx, req.params.id, req.body)));
  });

  app.get('/api/v1/ed-visits/:id', {
    schema: { tags, summary: 'An ED visit, with its follow-up plan once completed', params: IdParams, response: { 200: EdVisit } },
    config: { access: can('ed_visits.read') },
  }, async (req) => read(req, async (ctx) => present(await uc.getEdVisit(ctx, req.params.id))));

  app.patch('/api/v1/ed-visits/:id', {
    schema: { tags, summary: 'Fill in an open ED visit (carries its version)', params: IdParams, body: UpdateEdVisitBody, response: { 200: EdVisit } },
    config: { access: can('ed_visits.manage') },
  }, async (req, reply) => write(req, reply, async (ctx) => present(await uc.updateEdVisit(ctx, req.params.id, req.body))));

  app.post('/api/v1/ed-visits/:id/complete', {
    schema: { tags, summary: 'Complete the visit: the bedside encounter and the follow-up plan', params: IdParams, response: { 200: EdVisit } },
    config: { access: can('ed_visits.manage') },
  }, async (req, reply) => write(req, reply, async (ctx) => present(await uc.completeEdVisit(ctx, req.params.id))));
};

/** HTTP for recovery plans (the plan, its versions, agreement, reviews, the printable copy): access → validate → use case. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams } from '../../../contracts/common.js';
import {
  AgreementBody,
  CreateRecoveryPlanBody,
  PlanVersion,
  PlanVersionList,
  PlanVersionParams,
  PrintablePlan,
  PrintQuery,
  RecoveryPlan,
  RecoveryPlanList,
  ReviewBody,
  UpdateRecoveryPlanBody,
} from '../../../contracts/recovery-plans.js';
import { can } from '../../platform/http/access.js';
import { read, write } from '../../platform/http/context.js';
import * as uc from './recovery-plans.usecases.js';

export const recoveryPlansRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['recovery-plans'];
  const read_ = { access: can('recovery_plans.read') };
  const write_ = { access: can('recovery_plans.write') };

  app.post('/api/v1/participants/:id/recovery-plans', {
    schema: { tags, summary: "Start the recovery plan of the participant's episode (the open one unless named); version 1", params: IdParams, body: CreateRecoveryPlanBody, response: { 201: RecoveryPlan } },
    config: write_,
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, (ctx) => uc.createPlan(ctx, req.params.id, req.body));
  });

  app.get('/api/v1/participants/:id/recovery-plans', {
    schema: { tags, summary: "A participant's recovery plans, one per episode, newest first", params: IdParams, response: { 200: RecoveryPlanList } },
    config: read_,
  }, async (req) => read(req, (ctx) => uc.listPlans(ctx, req.params.id)));

  app.get('/api/v1/recovery-plans/:id', {
    schema: { tags, summary: 'A recovery plan as it is now, with its agreement and next review', params: IdParams, response: { 200: RecoveryPlan } },
    config: read_,
  }, async (req) => read(req, (ctx) => uc.getPlan(ctx, req.params.id)));

  app.put('/api/v1/recovery-plans/:id', {
    schema: { tags, summary: 'Save the goals as a new version of the plan (send the record version)', params: IdParams, body: UpdateRecoveryPlanBody, response: { 200: RecoveryPlan } },
    config: write_,
  }, async (req, reply) => write(req, reply, (ctx) => uc.updatePlan(ctx, req.params.id, req.body)));

  app.get('/api/v1/recovery-plans/:id/versions', {
    schema: { tags, summary: "The plan's versions, newest first", params: IdParams, response: { 200: PlanVersionList } },
    config: read_,
  }, async (req) => read(req, (ctx) => uc.listVersions(ctx, req.params.id)));

  app.get('/api/v1/recovery-plans/:id/versions/:n', {
    schema: { tags, summary: 'One earlier (or the current) version of the plan, with its agreements', params: PlanVersionParams, response: { 200: PlanVersion } },
    config: read_,
  }, async (req) => read(req, (ctx) => uc.getVersion(ctx, req.params.id, req.params.n)));

  app.post('/api/v1/recovery-plans/:id/agreements', {
    schema: { tags, summary: "Record the participant's agreement to the current version (signature, or verbal with a witness)", params: IdParams, body: AgreementBody, response: { 201: RecoveryPlan } },
    config: write_,
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, (ctx) => uc.agree(ctx, req.params.id, req.body));
  });

  app.post('/api/v1/recovery-plans/:id/reviews', {
    schema: { tags, summary: 'Record a plan review: closes the review to-do and schedules the next', params: IdParams, body: ReviewBody, response: { 201: RecoveryPlan } },
    config: write_,
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, (ctx) => uc.review(ctx, req.params.id, req.body));
  });

  app.get('/api/v1/recovery-plans/:id/print', {
    schema: { tags, summary: 'The plan in plain words for a printed copy, in English or Spanish', params: IdParams, querystring: PrintQuery, response: { 200: PrintablePlan } },
    config: read_,
  }, async (req) => read(req, (ctx) => uc.print(ctx, req.params.id, req.query.language)));
};

/** HTTP for coping (cravings-and-triggers) and safety plans of a participant: access → validate → use case. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams } from '../../../contracts/common.js';
import {
  CopingPlan,
  CopingPlanVersion,
  PlanVersionList,
  PlanVersionParams,
  PrintableCopingPlan,
  PrintableSafetyPlan,
  PrintQuery,
  PutCopingPlanBody,
  PutSafetyPlanBody,
  SafetyPlan,
  SafetyPlanVersion,
} from '../../../contracts/coping-plans.js';
import { can } from '../../platform/http/access.js';
import { read, write } from '../../platform/http/context.js';
import * as uc from './coping-plans.usecases.js';

export const copingPlansRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['coping-plans'];
  const read_ = { access: can('coping_plans.read') };
  const write_ = { access: can('coping_plans.write') };
  const base = '/api/v1/participants/:id';

  app.get(`${base}/coping-plan`, {
    schema: { tags, summary: "The participant's cravings-and-triggers plan (version 0: not saved yet)", params: IdParams, response: { 200: CopingPlan } },
    config: read_,
  }, async (req) => read(req, (ctx) => uc.getCopingPlan(ctx, req.params.id)));

  app.put(`${base}/coping-plan`, {
    schema: { tags, summary: 'Save the cravings-and-triggers plan as a new version (send the record version, 0 the first time)', params: IdParams, body: PutCopingPlanBody, response: { 200: CopingPlan } },
    config: write_,
  }, async (req, reply) => write(req, reply, (ctx) => uc.putCopingPlan(ctx, req.params.id, req.body)));

  app.get(`${base}/coping-plan/versions`, {
    schema: { tags, summary: "The cravings-and-triggers plan's versions, newest first", params: IdParams, response: { 200: PlanVersionList } },
    config: read_,
  }, async (req) => read(req, (ctx) => uc.listVersions(ctx, 'coping', req.params.id)));

  app.get(`${base}/coping-plan/versions/:n`, {
    schema: { tags, summary: 'One version of the cravings-and-triggers plan', params: PlanVersionParams, response: { 200: CopingPlanVersion } },
    config: read_,
  }, async (req) => read(req, (ctx) => uc.getCopingVersion(ctx, req.params.id, req.params.n)));

  app.get(`${base}/coping-plan/print`, {
    schema: { tags, summary: 'The cravings-and-triggers plan in plain words for a printed copy, in English or Spanish', params: IdParams, querystring: PrintQuery, response: { 200: PrintableCopingPlan } },
    config: read_,
  }, async (req) => read(req, (ctx) => uc.printCopingPlan(ctx, req.params.id, req.query.language)));

  app.get(`${base}/safety-plan`, {
    schema: { tags, summary: "The participant's safety plan (988 always first; version 0: not saved yet)", params: IdParams, response: { 200: SafetyPlan } },
    config: read_,
  }, async (req) => read(req, (ctx) => uc.getSafetyPlan(ctx, req.params.id)));

  app.put(`${base}/safety-plan`, {
    schema: { tags, summary: 'Save the safety plan as a new version (send the record version, 0 the first time)', params: IdParams, body: PutSafetyPlanBody, response: { 200: SafetyPlan } },
    config: write_,
  }, async (req, reply) => write(req, reply, (ctx) => uc.putSafetyPlan(ctx, req.params.id, req.body)));

  app.get(`${base}/safety-plan/versions`, {
    schema: { tags, summary: "The safety plan's versions, newest first", params: IdParams, response: { 200: PlanVersionList } },
    config: read_,
  }, async (req) => read(req, (ctx) => uc.listVersions(ctx, 'safety', req.params.id)));

  app.get(`${base}/safety-plan/versions/:n`, {
    schema: { tags, summary: 'One version of the safety plan', params: PlanVersionParams, response: { 200: SafetyPlanVersion } },
    config: read_,
  }, async (req) => read(req, (ctx) => uc.getSafetyVersion(ctx, req.params.id, req.params.n)));

  app.get(`${base}/safety-plan/print`, {
    schema: { tags, summary: 'The safety plan in plain words for a printed copy, in English or Spanish (988 and the overdose steps translated)', params: IdParams, querystring: PrintQuery, response: { 200: PrintableSafetyPlan } },
    config: read_,
  }, async (req) => read(req, (ctx) => uc.printSafetyPlan(ctx, req.params.id, req.query.language)));
};

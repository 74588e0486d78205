/** HTTP for questionnaires (definitions, responses, the BARC-10 trend): access → validate → use case. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams } from '../../../contracts/common.js';
import {
  Barc10Trend,
  CreateQuestionnaireResponseBody,
  CreatedQuestionnaireResponse,
  QuestionnaireList,
  QuestionnaireListQuery,
  QuestionnaireResponseList,
  QuestionnaireResponseQuery,
} from '../../../contracts/questionnaires.js';
import { can } from '../../platform/http/access.js';
import { read, write } from '../../platform/http/context.js';
import * as uc from './questionnaires.usecases.js';

export const questionnairesRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['questionnaires'];

  app.get('/api/v1/questionnaires', {
    schema: { tags, summary: 'The questionnaires available (current version of each, with items and scoring)', querystring: QuestionnaireListQuery, response: { 200: QuestionnaireList } },
    config: { access: can('questionnaires.read') },
  }, async (req) => read(req, (ctx) => uc.listQuestionnaires(ctx, req.query.language)));

  app.post('/api/v1/participants/:id/questionnaire-responses', {
    schema: { tags, summary: 'Record answers to a questionnaire; the score, flags and (for a screen) suggested services come back', params: IdParams, body: CreateQuestionnaireResponseBody, response: { 201: CreatedQuestionnaireResponse } },
    config: { access: can('questionnaires.answer') },
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, (ctx) => uc.answer(ctx, req.params.id, req.body));
  });

  app.get('/api/v1/participants/:id/questionnaire-responses', {
    schema: { tags, summary: "A participant's questionnaire responses (to one questionnaire with ?key=), newest first", params: IdParams, querystring: QuestionnaireResponseQuery, response: { 200: QuestionnaireResponseList } },
    config: { access: can('questionnaires.read') },
  }, async (req) => read(req, (ctx) => uc.listResponses(ctx, req.params.id, req.query.key)));

  app.get('/api/v1/participants/:id/barc10-trend', {
    schema: { tags, summary: 'BARC-10 totals over time, change since the first, and any drop of 10 points or more', params: IdParams, response: { 200: Barc10Trend } },
    config: { access: can('questionnaires.read') },
  }, async (req) => read(req, (ctx) => uc.barc10Trend(ctx, req.params.id)));
};

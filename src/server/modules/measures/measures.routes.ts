/** HTTP for the measures: access → validate → use case. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { MeasureCasesQuery, MeasureCasesResponse, MeasureIdParams, MeasuresQuery, MeasuresResponse } from '../../../contracts/measures.js';
import { can } from '../../platform/http/access.js';
import { read } from '../../platform/http/context.js';
import { getMeasureCases, getMeasures } from './measures.usecases.js';

export const measuresRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['measures'];

  app.get('/api/v1/measures', {
    schema: {
      tags,
      summary: 'Every outcome and process measure for a period (local dates) and filters, with definitions; counts under 11 hidden for roles without record access',
      querystring: MeasuresQuery,
      response: { 200: MeasuresResponse },
    },
    config: { access: can('measures.read') },
  }, async (req) => read(req, (ctx) => getMeasures(ctx, req.query)));

  app.get('/api/v1/measures/:measureId/cases', {
    schema: {
      tags,
      summary: 'The participants and events behind one measure (ids, dates and names), each with its part in every figure',
      params: MeasureIdParams,
      querystring: MeasureCasesQuery,
      response: { 200: MeasureCasesResponse },
    },
    config: { access: can('measures.cases') },
  }, async (req) => read(req, (ctx) => getMeasureCases(ctx, req.params.measureId, req.query)));
};

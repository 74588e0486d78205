/** HTTP for the measures: access → validate → use case. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { MeasureCasesQuery, MeasureCasesResponse, MeasureIdParams, MeasuresQuery, MeasuresResponse, MeasureTrendsQuery, MeasureTrendsResponse } from '../../../contracts/measures.js';
import { can } from '../../platform/http/access.js';
import { read } from '../../platform/http/context.js';
import { getMeasureCases, getMeasures, getMeasureTrends } from './measures.usecases.js';

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

  app.get('/api/v1/measures/trends', {
    schema: {
      tags,
      summary: 'Chosen figures (measure.figure) for each month of the period; counts under 11 hidden for roles without record access',
      querystring: MeasureTrendsQuery,
      response: { 200: MeasureTrendsResponse },
    },
    config: { access: can('measures.read') },
  }, async (req) => read(req, (ctx) => getMeasureTrends(ctx, req.query)));

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

/** HTTP for the caseload and its signals: access → validate → use case → presenter. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Caseload, CaseloadQuery, CaseloadSummary } from '../../../contracts/caseload.js';
import { can } from '../../platform/http/access.js';
import { read } from '../../platform/http/context.js';
import { caseloadSummary, listCaseload } from './caseload.usecases.js';

export const caseloadRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['caseload'];

  app.get('/api/v1/caseload', {
    schema: {
      tags,
      summary: 'Open episodes with their signals, most urgent first: your own, or (supervisors) a coach of your teams or the whole team',
      querystring: CaseloadQuery,
      response: { 200: Caseload },
    },
    config: { access: can('caseload.read') },
  }, async (req) => read(req, async (ctx) => ({ items: await listCaseload(ctx, req.query) })));

  app.get('/api/v1/caseload/summary', {
    schema: { tags, summary: 'Counts of open episodes by site, coach, status and flag (the organization, or your teams)', response: { 200: CaseloadSummary } },
    config: { access: can('caseload.summary') },
  }, async (req) => read(req, (ctx) => caseloadSummary(ctx)));
};

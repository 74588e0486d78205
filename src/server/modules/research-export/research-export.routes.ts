/** HTTP for the de-identified research export and its data dictionary: access → validate → use case → presenter. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ResearchExport, ResearchExportDictionary, ResearchExportQuery } from '../../../contracts/research-export.js';
import { can } from '../../platform/http/access.js';
import { read, write } from '../../platform/http/context.js';
import { researchExport } from './research-export.usecases.js';
import { dictionary } from './research-export.dictionary.js';
import { toCsv } from './research-export.csv.js';

export const researchExportRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['research-export'];

  // A GET that writes its audit event through write(): the event commits with the same
  // transaction that read the data, before anything is sent.
  app.get('/api/v1/research-export', {
    schema: {
      tags,
      summary: 'The de-identified line-level dataset (HIPAA Safe Harbor) for the episodes enrolled in the years from…to: JSON with every table, or one table as CSV; purpose and recipient are recorded in the audit trail',
      querystring: ResearchExportQuery,
      // No response schema: the answer is JSON or CSV. The JSON is parsed through the contract
      // below instead, which drops any key the contract does not name.
    },
    config: { access: can('research.export') },
  }, async (req, reply) => {
    const data = await write(req, reply, (ctx) => researchExport(ctx, req.query));
    void reply.header('cache-control', 'no-store');
    if (req.query.format === 'csv' && req.query.table) {
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="research-export-${req.query.table}.csv"`).send(toCsv(data, req.query.table));
    }
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(ResearchExport.parse(data)));
  });

  app.get('/api/v1/research-export/dictionary', {
    schema: { tags, summary: 'The data dictionary of the research export: every column, what it means and how it was de-identified, and the 18 Safe Harbor identifiers', response: { 200: ResearchExportDictionary } },
    config: { access: can('research.export') },
  }, async (req) => read(req, () => Promise.resolve(dictionary())));
};

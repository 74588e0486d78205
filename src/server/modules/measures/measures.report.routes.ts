/**
 * HTTP for the measures' exports and the funder report (issue 7): the figures as CSV, the
 * report as JSON (the web page) and as a PDF. access → validate → use case → file.
 *
 * The two files are GETs that compute through read() and then write their export event through
 * write(): it commits before anything is sent (measures.export.ts says why not in one transaction).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { MeasuresQuery } from '../../../contracts/measures.js';
import { FunderReport, FunderReportPdfQuery, FunderReportQuery } from '../../../contracts/measures-report.js';
import { can } from '../../platform/http/access.js';
import { read, write } from '../../platform/http/context.js';
import { exportMeasuresCsv, recordExport } from './measures.export.js';
import { exportFunderReport, getFunderReport, reportFilename } from './measures.report.js';
import { funderReportPdf } from './measures.report.pdf.js';

export const measuresReportRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['measures'];

  app.get('/api/v1/measures.csv', {
    schema: {
      tags,
      summary: 'The figures of GET /api/v1/measures as CSV, one row per figure (same query, scope and suppression); audited as an export',
      querystring: MeasuresQuery,
    },
    config: { access: can('measures.read') },
  }, async (req, reply) => {
    const { csv, filename, events } = await read(req, (ctx) => exportMeasuresCsv(ctx, req.query));
    await write(req, reply, (ctx) => recordExport(ctx, events));
    return reply.header('cache-control', 'no-store').type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).send(csv);
  });

  app.get('/api/v1/measures/report', {
    schema: {
      tags,
      summary: 'The quarterly funder report for a quarter (2026-Q3) or a period, optionally one program: every measure with its figures, intervals, definition, comparisons and target',
      querystring: FunderReportQuery,
      response: { 200: FunderReport },
    },
    config: { access: can('measures.read') },
  }, async (req) => read(req, (ctx) => getFunderReport(ctx, req.query)));

  app.get('/api/v1/measures/report.pdf', {
    schema: {
      tags,
      summary: 'The quarterly funder report as a PDF (US Letter or A4); audited as an export',
      querystring: FunderReportPdfQuery,
    },
    config: { access: can('measures.read') },
  }, async (req, reply) => {
    const { paper, ...query } = req.query;
    const { report, events } = await read(req, (ctx) => exportFunderReport(ctx, query));
    const pdf = await funderReportPdf(report, { paper, now: req.server.deps.clock.now() });
    await write(req, reply, (ctx) => recordExport(ctx, events));
    return reply.header('cache-control', 'no-store').type('application/pdf').header('content-disposition', `attachment; filename="${reportFilename(report)}"`).send(pdf);
  });
};

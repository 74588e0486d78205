/**
 * HTTP for importing program history from CSV (participants, encounters) with a column mapping:
 * access → validate → use case. The history file itself is imported with `lodestar import`
 * (imports.cli.ts); both go through imports.usecases.ts.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CsvImportBody, CsvPreview, CsvPreviewBody, IMPORT_MAX_BYTES, ImportResult } from '../../../contracts/imports.js';
import { can } from '../../platform/http/access.js';
import { read, write } from '../../platform/http/context.js';
import { importCsv, previewCsv } from './imports.csv.js';

export const importsRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['imports'];
  // A CSV of a few years of contacts is several megabytes: more than the default body limit.
  const bodyLimit = IMPORT_MAX_BYTES + 64 * 1024;

  app.post('/api/v1/imports/csv/preview', {
    bodyLimit,
    schema: { tags, summary: 'Read a CSV file’s columns and first rows, with a suggested mapping of columns to fields (nothing is stored)', body: CsvPreviewBody, response: { 200: CsvPreview } },
    config: { access: can('imports.run') },
  }, async (req) => read(req, () => Promise.resolve(previewCsv(req.body.kind, req.body.csv))));

  app.post('/api/v1/imports/csv', {
    bodyLimit,
    schema: { tags, summary: 'Import participants or encounters from CSV with a column mapping: checked whole, then all or nothing; dryRun checks and counts only', body: CsvImportBody, response: { 200: ImportResult } },
    config: { access: can('imports.run') },
  }, async (req, reply) =>
    write(req, reply, (ctx) =>
      importCsv({ db: ctx.db, clock: ctx.clock, organizationId: ctx.actor.organizationId, actorUserId: ctx.actor.userId, audit: ctx.audit, via: 'csv' }, req.body),
    ));
};

/** HTTP for import and export of the resource directory (HSDS 3.0 JSON and CSV, Meeting Guide, FindTreatment.gov): access → validate → use case → presenter. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ExportQuery, IMPORT_MAX_BYTES, ImportBody, ImportResult } from '../../../../contracts/directory-import.js';
import { can } from '../../../platform/http/access.js';
import { read, write } from '../../../platform/http/context.js';
import * as uc from './import.usecases.js';

export const directoryImportRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['directory'];

  app.post('/api/v1/directory/imports', {
    // A state's file is a few megabytes: this route alone takes more than the default body limit.
    bodyLimit: IMPORT_MAX_BYTES,
    schema: {
      tags,
      summary: 'Import a directory file (HSDS JSON, HSDS CSV zip in base64, Meeting Guide, FindTreatment.gov): all or nothing; dryRun shows what would change',
      body: ImportBody,
      response: { 200: ImportResult },
    },
    config: { access: can('directory.import') },
  }, async (req, reply) => write(req, reply, (ctx) => uc.importDirectory(ctx, req.body)));

  app.get('/api/v1/directory/export', {
    schema: {
      tags,
      summary: 'The whole directory as HSDS 3.0: one JSON organization list, or the CSV data package as a zip',
      querystring: ExportQuery,
    },
    config: { access: can('directory.export') },
  }, async (req, reply) => {
    const file = await read(req, (ctx) => uc.exportDirectory(ctx, req.query.format));
    return reply.type(file.type).header('content-disposition', `attachment; filename="${file.filename}"`).header('cache-control', 'no-store').send(file.body);
  });
};

/** HTTP for import and export the resource directory (HSDS 3.0 JSON and CSV, Meeting Guide, FindTreatment.gov): access → validate → use case → presenter. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const directoryImportRoutes: FastifyPluginAsyncZod = async (app) => {
  void app;
};

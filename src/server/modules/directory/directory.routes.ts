/** HTTP for search, read and edit the resource directory, flag and verify entries, report pharmacy stock and capacity: access → validate → use case → presenter. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const directoryRoutes: FastifyPluginAsyncZod = async (app) => {
  void app;
};

/** HTTP for work with MOUD access (medications, fills, OTP enrollment, barriers) and insurance navigation tasks: access → validate → use case → presenter. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const moudRoutes: FastifyPluginAsyncZod = async (app) => {
  void app;
};

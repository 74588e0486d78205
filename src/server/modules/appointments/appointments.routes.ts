/** HTTP for work with appointments, reminders and calendar feeds: access → validate → use case → presenter. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const appointmentsRoutes: FastifyPluginAsyncZod = async (app) => {
  void app;
};

/** Liveness with a database check, for load balancers and monitoring. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pingDatabase } from '../../platform/db/database.js';

export const systemRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/healthz', {
    schema: {
      tags: ['system'],
      summary: 'Health: the process answers and the database responds',
      response: { 200: z.object({ status: z.literal('ok'), database: z.literal('ok') }), 503: z.object({ status: z.literal('unavailable'), database: z.literal('unreachable') }) },
    },
  }, async (_req, reply) => {
    try {
      await pingDatabase(app.deps.db);
      return { status: 'ok' as const, database: 'ok' as const };
    } catch (err) {
      app.log.error({ err }, 'health check: database unreachable');
      return reply.code(503).send({ status: 'unavailable' as const, database: 'unreachable' as const });
    }
  });
};

/** HTTP for merging participant records: access → validate → use case → presenter. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const mergeRoutes: FastifyPluginAsyncZod = async () => {};

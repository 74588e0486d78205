/** HTTP for the caseload and its signals: access → validate → use case → presenter. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const caseloadRoutes: FastifyPluginAsyncZod = async () => {};

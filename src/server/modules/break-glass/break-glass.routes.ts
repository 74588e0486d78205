/** HTTP for break-the-glass grants and notifications: access → validate → use case → presenter. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const breakGlassRoutes: FastifyPluginAsyncZod = async () => {};

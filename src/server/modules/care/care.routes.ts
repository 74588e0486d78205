/** HTTP for life events, to-dos and the timeline: access → validate → use case → presenter. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const careRoutes: FastifyPluginAsyncZod = async () => {};

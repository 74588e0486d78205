/** HTTP for the ED bedside visit and the post-overdose follow-up plan: access → validate → use case → presenter. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const edRoutes: FastifyPluginAsyncZod = async () => {};

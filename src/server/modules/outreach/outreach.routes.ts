/** HTTP for the today view, contact cadence, the unreachable workflow and the supervisor view: access → validate → use case → presenter. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const outreachRoutes: FastifyPluginAsyncZod = async () => {};

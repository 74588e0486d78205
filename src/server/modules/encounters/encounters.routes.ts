/** HTTP for encounters, addenda and the note review queue: access → validate → use case → presenter. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const encounterRoutes: FastifyPluginAsyncZod = async () => {};

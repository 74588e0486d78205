/** HTTP for consents, restriction requests and disclosures: access → validate → use case → presenter. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const consentRoutes: FastifyPluginAsyncZod = async () => {};

/** The OpenAPI 3 document (`/api/openapi.json`) and browsable docs (`/api/docs`), from the zod contracts. */
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Lodestar API',
        version: '1',
        description:
          'JSON API of Lodestar. Sign in with POST /api/v1/auth/sign-in (session cookie). Every POST, PUT, PATCH and DELETE ' +
          'needs the X-CSRF-Token header from GET /api/v1/auth/csrf. Creating requests accept an Idempotency-Key header. ' +
          'Errors always have the shape { "error": { "code", "message", "fields"?, "details"? } }.',
      },
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'lodestar_session' } },
      },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { deepLinking: false } });
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());
}

/**
 * Builds the Fastify app from its dependencies (database, clock, config). Nothing here reads the
 * environment or opens connections: `main.ts` and the tests do that and pass them in.
 *
 * The path of a request: security headers → session from cookie → access check (401/403) →
 * CSRF check on state changes → body parse and validation (400) → idempotency → handler
 * (use case in a transaction, with its audit rows) → presenter → response.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import csrf from '@fastify/csrf-protection';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './platform/config.js';
import type { Clock } from './platform/clock.js';
import type { Db, Dialect } from './platform/db/database.js';
import type { AuditReadBuffer } from './platform/audit/read-buffer.js';
import { AppError, errors } from './platform/errors.js';
import { errorHandler } from './platform/http/error-handler.js';
import { loggerOptions, type LogStream } from './platform/http/logging.js';
import { newId } from './platform/ids.js';
import { loadSession, touchSession, SESSION_COOKIE, type SessionInfo } from './platform/auth/sessions.js';
import { beginIdempotent, releaseIdempotent } from './platform/http/idempotency.js';
import { databaseRateLimitStore } from './platform/http/rate-limit-store.js';
import { rolesGrant } from './platform/auth/permissions.js';
import { PERMISSIONS } from './permissions.js';
import type { Access } from './platform/http/access.js';
import { registerOpenApi } from './platform/http/openapi.js';
import { systemRoutes } from './modules/system/system.routes.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { accountRoutes } from './modules/account/account.routes.js';
import { organizationRoutes } from './modules/organizations/organizations.routes.js';
import { userRoutes } from './modules/users/users.routes.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { participantRoutes } from './modules/participants/participants.routes.js';
import { consentRoutes } from './modules/consents/consents.routes.js';
import { breakGlassRoutes } from './modules/break-glass/break-glass.routes.js';
import { mergeRoutes } from './modules/merge/merge.routes.js';
import { careRoutes } from './modules/care/care.routes.js';
import { caseloadRoutes } from './modules/caseload/caseload.routes.js';
import { encounterRoutes } from './modules/encounters/encounters.routes.js';
import { edRoutes } from './modules/ed/ed.routes.js';
import { outreachRoutes } from './modules/outreach/outreach.routes.js';
import { directoryRoutes } from './modules/directory/directory.routes.js';
import { directoryImportRoutes } from './modules/directory/import/import.routes.js';
import { appointmentsRoutes } from './modules/appointments/appointments.routes.js';
import { referralsRoutes } from './modules/referrals/referrals.routes.js';
import { moudRoutes } from './modules/moud/moud.routes.js';
import { questionnairesRoutes } from './modules/questionnaires/questionnaires.routes.js';
import { recoveryPlansRoutes } from './modules/recovery-plans/recovery-plans.routes.js';
import { copingPlansRoutes } from './modules/coping-plans/coping-plans.routes.js';
import { checkinsRoutes } from './modules/checkins/checkins.routes.js';
import { participantLinksRoutes } from './modules/participant-links/participant-links.routes.js';
import { measuresRoutes } from './modules/measures/measures.routes.js';
import { importsRoutes } from './modules/imports/imports.routes.js';
import { measuresReportRoutes } from './modules/measures/measures.report.routes.js';
import { researchExportRoutes } from './modules/research-export/research-export.routes.js';
import { federalFollowUpRoutes } from './modules/federal-follow-up/federal-follow-up.routes.js';

export interface AppDeps {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  config: Config;
  /** Signs audit checkpoints; kept outside the database. */
  auditKey: string;
  auditReads: AuditReadBuffer;
  /** Where log lines go instead of stdout; tests pass one to read what was logged. */
  logStream?: LogStream;
}

export interface RegisteredRoute {
  method: string;
  url: string;
  access: Access;
  hasBody: boolean;
  hasParams: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
    /** Every /api route with its access rule; the generated security tests read this. */
    apiRoutes: RegisteredRoute[];
  }
  interface FastifyRequest {
    session: SessionInfo | undefined;
  }
}

export type App = FastifyInstance;

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function buildApp(deps: AppDeps): Promise<App> {
  const { config } = deps;
  const app = Fastify({
    logger: loggerOptions(config.logLevel, deps.logStream),
    genReqId: () => newId(),
    requestIdHeader: false,
    trustProxy: config.trustProxy,
    bodyLimit: config.bodyLimit,
    // Errors Fastify raises before routing (a malformed URL) get the house error shape too.
    // (The framework's message quotes the URL, so it is not passed on.)
    frameworkErrors: (_error, _request, reply) => {
      void (reply as FastifyReply)
        .code(400)
        .send(new AppError('validation.failed', 'The address is not valid.', { fields: [{ path: 'url', message: 'Check the address' }] }).toBody());
    },
  }).withTypeProvider<ZodTypeProvider>();

  // JSON as Fastify parses it (prototype poisoning refused), and no NUL characters anywhere:
  // PostgreSQL cannot store them, and no person types one.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    void parseJson(request, body as string, (err, parsed: unknown) => {
      if (err) return done(err);
      const path = nulPath(parsed);
      if (path !== undefined) {
        return done(new AppError('validation.failed', 'Remove the invisible control character from this field.', { fields: [{ path, message: 'Remove the invisible control character' }] }));
      }
      done(null, parsed);
    });
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.decorate('deps', deps);
  app.decorate('apiRoutes', [] as RegisteredRoute[]);
  app.decorateRequest('session', undefined);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1')) return;
    const access = route.config?.access;
    if (!access) throw new Error(`Route ${String(route.method)} ${route.url} declares no access rule`);
    if (access.kind === 'permission' && !(access.permission in PERMISSIONS)) {
      throw new Error(`Route ${String(route.method)} ${route.url} names unknown permission ${access.permission}`);
    }
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      app.apiRoutes.push({
        method,
        url: route.url,
        access,
        hasBody: Boolean(route.schema?.body),
        hasParams: route.url.includes(':'),
      });
    }
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: config.secureCookies ? [] : null,
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: config.secureCookies,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cookie);
  await app.register(csrf, {
    cookieKey: 'lodestar_csrf',
    cookieOpts: { httpOnly: true, sameSite: 'strict', secure: config.secureCookies, path: '/' },
    getToken: (req: FastifyRequest) => {
      const v = req.headers['x-csrf-token'];
      return Array.isArray(v) ? v[0] : v;
    },
  });
  await app.register(rateLimit, {
    global: false,
    // Counted in the database, so a limit holds across every process behind a load balancer.
    store: databaseRateLimitStore(deps.db, deps.clock),
    errorResponseBuilder: () => new AppError('request.rate_limited', 'Too many attempts. Wait a minute and try again.'),
  });
  await registerOpenApi(app);

  // Session → access → CSRF, before the body is even parsed.
  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access;
    if (!access) return;
    const token = request.cookies[SESSION_COOKIE];
    const now = deps.clock.now();
    if (token) {
      request.session = await loadSession(deps.db, token, now, config.sessionIdleMs);
      if (request.session) await touchSession(deps.db, request.session, now);
    }
    checkAccess(access, request.session);
    if (STATE_CHANGING.has(request.method)) {
      await new Promise<void>((resolve, reject) => {
        app.csrfProtection(request, reply, (err?: Error) => (err ? reject(err) : resolve()));
      });
    }
  });

  app.addHook('preHandler', async (request, reply) => {
    if (!request.routeOptions.config.access) return;
    await beginIdempotent(deps.db, request, reply, deps.clock.now());
  });

  // API answers may carry personal data: no browser or proxy cache keeps them.
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    return payload;
  });

  // A write that did not go through write() (or failed) settles its idempotency key here.
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.idempotencyId) return payload;
    if (reply.statusCode >= 400) {
      await releaseIdempotent(deps.db, request);
    } else {
      await deps.db
        .updateTable('idempotency_keys')
        .set({ status_code: reply.statusCode, response_body: typeof payload === 'string' ? payload : 'null' })
        .where('id', '=', request.idempotencyId)
        .execute();
      request.idempotencyId = undefined;
    }
    return payload;
  });

  await app.register(systemRoutes);
  await app.register(authRoutes);
  await app.register(accountRoutes);
  await app.register(organizationRoutes);
  await app.register(userRoutes);
  await app.register(auditRoutes);
  await app.register(participantRoutes);
  await app.register(consentRoutes);
  await app.register(breakGlassRoutes);
  await app.register(mergeRoutes);
  await app.register(careRoutes);
  await app.register(caseloadRoutes);
  await app.register(encounterRoutes);
  await app.register(edRoutes);
  await app.register(outreachRoutes);
  await app.register(directoryRoutes);
  await app.register(directoryImportRoutes);
  await app.register(appointmentsRoutes);
  await app.register(referralsRoutes);
  await app.register(moudRoutes);
  await app.register(questionnairesRoutes);
  await app.register(recoveryPlansRoutes);
  await app.register(copingPlansRoutes);
  await app.register(checkinsRoutes);
  await app.register(participantLinksRoutes);
  await app.register(measuresRoutes);
  await app.register(importsRoutes);
  await app.register(measuresReportRoutes);
  await app.register(researchExportRoutes);
  await app.register(federalFollowUpRoutes);

  await serveWeb(app, config.webDist);
  return app;
}

/** The path of the first string (or key) holding a NUL character, e.g. `admin.name`. */
function nulPath(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'body' : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const here = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return here;
    const found = nulPath(inner, here);
    if (found !== undefined) return found;
  }
  return undefined;
}

function checkAccess(access: Access, session: SessionInfo | undefined): void {
  switch (access.kind) {
    case 'public':
      return;
    case 'signed_in':
      if (!session) throw errors.unauthenticated();
      if (!access.partial) requireFullSession(session);
      return;
    case 'platform_admin':
      if (!session) throw errors.unauthenticated();
      requireFullSession(session);
      if (!session.user.isPlatformAdmin) throw errors.forbidden();
      return;
    case 'permission':
      if (!session) throw errors.unauthenticated();
      requireFullSession(session);
      if (!session.organizationId || !rolesGrant(PERMISSIONS, access.permission, session.roles)) throw errors.forbidden();
      return;
  }
}

function requireFullSession(session: SessionInfo): void {
  if (session.mfaState === 'pending') throw new AppError('auth.mfa_required', 'Enter the code from your authenticator app to continue.');
  if (session.mfaState === 'enroll') {
    throw new AppError('auth.mfa_enrollment_required', 'Your organization requires two-step verification. Set it up to continue.');
  }
}

/** The built web app, with index.html for any page route (the client routes it). */
async function serveWeb(app: App, webDist: string): Promise<void> {
  const index = path.join(webDist, 'index.html');
  const hasWeb = fs.existsSync(index);
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webDist,
      wildcard: false,
      index: false,
      cacheControl: false,
      // Vite names built assets by content hash: they never change, so phones keep them.
      setHeaders: (res, filePath) => {
        void res.header('cache-control', filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? '/';
    const isApi = url.startsWith('/api') || url === '/healthz';
    if (!isApi && hasWeb && (request.method === 'GET' || request.method === 'HEAD')) {
      return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').sendFile('index.html');
    }
    return reply.code(404).send(new AppError('route.not_found', 'There is nothing at this address.').toBody());
  });
}

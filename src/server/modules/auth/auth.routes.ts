/** HTTP for signing in and out, the MFA step, first-run setup and password links. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { normalizeIP } from '@fastify/rate-limit';
import { Ok } from '../../../contracts/common.js';
import { CsrfResponse, Me, MfaVerifyBody, ResetPasswordBody, SetupBody, SetupStatus, SignInBody } from '../../../contracts/auth.js';
import { partiallySignedIn, publicAccess } from '../../platform/http/access.js';
import { SESSION_COOKIE, loadSession } from '../../platform/auth/sessions.js';
import { AppError, errors } from '../../platform/errors.js';
import type { App } from '../../app.js';
import * as uc from './auth.usecases.js';

export const metaOf = (req: FastifyRequest): uc.RequestMeta => ({ requestId: req.id, ip: req.ip, userAgent: req.headers['user-agent'] });

/** The session cookie: HttpOnly, SameSite=Lax, Secure over TLS; the server enforces expiry. */
export function setSessionCookie(app: App, reply: FastifyReply, token: string): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: app.deps.config.secureCookies,
    path: '/',
  });
}

export function clearSessionCookie(app: App, reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: app.deps.config.secureCookies, path: '/' });
}

/** Describe the session a token opens (used right after sign-in, when the request has none yet). */
async function meFor(app: App, token: string) {
  const { db, clock, config } = app.deps;
  const session = await loadSession(db, token, clock.now(), config.sessionIdleMs);
  if (!session) throw errors.unauthenticated();
  return uc.describeSession(db, session, config);
}

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['auth'];
  const deps = app.deps;

  app.get('/api/v1/auth/csrf', {
    schema: { tags, summary: 'A CSRF token to send as X-CSRF-Token on every state-changing request', response: { 200: CsrfResponse } },
    config: { access: publicAccess },
  }, async (_req, reply) => ({ csrfToken: reply.generateCsrf() }));

  /*
   * Sign-in has two limits a minute. 20 per address AND email: many people behind one NAT
   * address (a hospital) do not share 20, while one account cannot be hammered from one place
   * (and its lockout stops guessing anyway). And 200 per address whatever the email: a ceiling on
   * trying many accounts from one place. The plugin takes one limit per route: the per-email one
   * is the route's (at preHandler, once the body is parsed and validated); the per-address
   * ceiling is checked by hand in the route's onRequest, before the body is read.
   */
  const signInsPerAddress = app.createRateLimit({ max: 200, timeWindow: '1 minute' });
  const emailOf = (body: unknown): string =>
    typeof body === 'object' && body !== null && 'email' in body && typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';

  app.post('/api/v1/auth/sign-in', {
    schema: { tags, summary: 'Sign in with email and password', body: SignInBody, response: { 200: Me } },
    config: {
      access: publicAccess,
      rateLimit: { max: 20, timeWindow: '1 minute', hook: 'preHandler', keyGenerator: (req) => `${normalizeIP(req.ip)} ${emailOf(req.body)}` },
    },
    onRequest: async (req, reply) => {
      const limit = await signInsPerAddress(req);
      if (!limit.isAllowed && limit.isExceeded) {
        void reply.header('retry-after', limit.ttlInSeconds);
        throw new AppError('request.rate_limited', 'Too many attempts. Wait a minute and try again.');
      }
    },
  }, async (req, reply) => {
    const { token } = await uc.signIn(deps, req.body, metaOf(req));
    setSessionCookie(app, reply, token);
    return meFor(app, token);
  });

  app.post('/api/v1/auth/mfa/verify', {
    schema: { tags, summary: 'Second step: the code from an authenticator app', body: MfaVerifyBody, response: { 200: Me } },
    config: { access: partiallySignedIn, rateLimit: { max: 20, timeWindow: '1 minute' } },
  }, async (req, reply) => {
    const { token } = await uc.verifyMfa(deps, req.session!, req.body.code, metaOf(req));
    setSessionCookie(app, reply, token);
    return meFor(app, token);
  });

  app.post('/api/v1/auth/sign-out', {
    schema: { tags, summary: 'End this session', response: { 200: Ok } },
    config: { access: partiallySignedIn },
  }, async (req, reply) => {
    await uc.signOut(deps, req.session!, metaOf(req));
    clearSessionCookie(app, reply);
    return { ok: true as const };
  });

  app.get('/api/v1/me', {
    schema: { tags, summary: 'Who is signed in, where, and what they may do', response: { 200: Me } },
    config: { access: partiallySignedIn },
  }, async (req) => uc.describeSession(deps.db, req.session!, deps.config));

  app.get('/api/v1/setup/status', {
    schema: { tags, summary: 'Whether Lodestar still needs its first administrator', response: { 200: SetupStatus } },
    config: { access: publicAccess },
  }, async () => ({ needsSetup: await uc.needsSetup(deps.db) }));

  app.post('/api/v1/setup', {
    schema: { tags, summary: 'Create the first organization and administrator with the one-time setup token', body: SetupBody, response: { 201: Me } },
    config: { access: publicAccess, rateLimit: { max: 10, timeWindow: '1 minute' } },
  }, async (req, reply) => {
    const { token } = await uc.completeSetup(deps, req.body, metaOf(req));
    setSessionCookie(app, reply, token);
    reply.code(201);
    return meFor(app, token);
  });

  app.post('/api/v1/auth/reset-password', {
    schema: { tags, summary: 'Set a password with a one-time link', body: ResetPasswordBody, response: { 200: Ok } },
    config: { access: publicAccess, rateLimit: { max: 10, timeWindow: '1 minute' } },
  }, async (req) => {
    await uc.resetPasswordWithToken(deps, req.body, metaOf(req));
    return { ok: true as const };
  });
};

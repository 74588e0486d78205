/** HTTP for the signed-in person's own account. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Ok } from '../../../contracts/common.js';
import { Me } from '../../../contracts/auth.js';
import {
  ChangePasswordBody,
  MfaConfirmBody,
  MfaDisableBody,
  MfaSetupResponse,
  PreferencesBody,
  SessionList,
  SwitchOrganizationBody,
} from '../../../contracts/account.js';
import { partiallySignedIn, signedIn } from '../../platform/http/access.js';
import { loadSession, SESSION_COOKIE } from '../../platform/auth/sessions.js';
import { AppError } from '../../platform/errors.js';
import { clearSessionCookie, metaOf, setSessionCookie } from '../auth/auth.routes.js';
import { describeSession } from '../auth/auth.usecases.js';
import * as uc from './account.usecases.js';

export const accountRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['account'];
  const deps = app.deps;

  app.post('/api/v1/me/password', {
    schema: { tags, summary: 'Change your password (other sessions end)', body: ChangePasswordBody, response: { 200: Ok } },
    config: { access: signedIn, rateLimit: { max: 10, timeWindow: '1 minute' } },
  }, async (req) => {
    await uc.changePassword(deps, req.session!, req.body, metaOf(req));
    return { ok: true as const };
  });

  // Enrolment is open to a session that is waiting for it (organization requires MFA).
  app.post('/api/v1/me/mfa/setup', {
    schema: { tags, summary: 'Start two-step verification: a secret and QR code', response: { 200: MfaSetupResponse } },
    config: { access: partiallySignedIn },
  }, async (req) => {
    if (req.session!.mfaState === 'pending') throw new AppError('auth.mfa_required', 'Enter the code from your authenticator app first.');
    return uc.startMfaSetup(deps, req.session!);
  });

  app.post('/api/v1/me/mfa/confirm', {
    schema: { tags, summary: 'Finish two-step verification with a first code', body: MfaConfirmBody, response: { 200: Me } },
    config: { access: partiallySignedIn, rateLimit: { max: 20, timeWindow: '1 minute' } },
  }, async (req, reply) => {
    if (req.session!.mfaState === 'pending') throw new AppError('auth.mfa_required', 'Enter the code from your authenticator app first.');
    const { token } = await uc.confirmMfa(deps, req.session!, req.body.code, metaOf(req));
    if (token) setSessionCookie(app, reply, token);
    const current = token ?? req.cookies[SESSION_COOKIE] ?? '';
    const session = await loadSession(deps.db, current, deps.clock.now(), deps.config.sessionIdleMs);
    return describeSession(deps.db, session!, deps.config);
  });

  app.post('/api/v1/me/mfa/disable', {
    schema: { tags, summary: 'Turn two-step verification off', body: MfaDisableBody, response: { 200: Ok } },
    config: { access: signedIn, rateLimit: { max: 10, timeWindow: '1 minute' } },
  }, async (req) => {
    await uc.disableMfa(deps, req.session!, req.body, metaOf(req));
    return { ok: true as const };
  });

  app.get('/api/v1/me/sessions', {
    schema: { tags, summary: 'Your signed-in sessions', response: { 200: SessionList } },
    config: { access: signedIn },
  }, async (req) => ({ sessions: await uc.listSessions(deps, req.session!) }));

  app.delete('/api/v1/me/sessions/:sessionId', {
    schema: { tags, summary: 'End one of your sessions', params: z.object({ sessionId: z.string().regex(/^[0-9a-f]{16}$/, 'Must be a session id') }), response: { 200: Ok } },
    config: { access: signedIn },
  }, async (req, reply) => {
    await uc.endSession(deps, req.session!, req.params.sessionId, metaOf(req));
    if (req.session!.id.startsWith(req.params.sessionId)) clearSessionCookie(app, reply);
    return { ok: true as const };
  });

  app.post('/api/v1/me/sign-out-everywhere', {
    schema: { tags, summary: 'End all your sessions, this one included', response: { 200: z.object({ revoked: z.number() }) } },
    config: { access: signedIn },
  }, async (req, reply) => {
    const revoked = await uc.endAllSessions(deps, req.session!, metaOf(req));
    clearSessionCookie(app, reply);
    return { revoked };
  });

  app.post('/api/v1/me/organization', {
    schema: { tags, summary: 'Work in another of your organizations', body: SwitchOrganizationBody, response: { 200: Me } },
    config: { access: signedIn },
  }, async (req) => {
    await uc.switchOrganization(deps, req.session!, req.body.organizationId, metaOf(req));
    const session = await loadSession(deps.db, req.cookies[SESSION_COOKIE] ?? '', deps.clock.now(), deps.config.sessionIdleMs);
    return describeSession(deps.db, session!, deps.config);
  });

  app.patch('/api/v1/me/preferences', {
    schema: { tags, summary: 'Your language', body: PreferencesBody, response: { 200: Ok } },
    config: { access: signedIn },
  }, async (req) => {
    await uc.setLocale(deps, req.session!, req.body.locale);
    return { ok: true as const };
  });
};

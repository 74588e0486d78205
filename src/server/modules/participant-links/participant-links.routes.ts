/**
 * HTTP for participants' one-time links. The coach's routes: access → validate → use case. The
 * participant's routes are public (the secret is the permission), rate limited, POST only (the
 * secret travels in the body, never in an address or a log), and act through `linkCtx`: audit
 * rows with no actor that name the link.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { IdParams } from '../../../contracts/common.js';
import { CreatedLink, CreateLinkBody, LinkAnswered, LinkCheckInBody, LinkList, LinkQuestionnaireAnswerBody, OpenedLink, OpenLinkBody, ParticipantLink } from '../../../contracts/participant-links.js';
import { can, publicAccess } from '../../platform/http/access.js';
import { read, write, type Ctx } from '../../platform/http/context.js';
import type { Executor } from '../../platform/db/database.js';
import { appendAudit } from '../../platform/audit/audit.js';
import type { LinkRecord } from './participant-links.repository.js';
import * as uc from './participant-links.usecases.js';

/** A use-case context acting for a link: the coach who made it is the creator of what it writes; the audit has no actor. */
function linkCtx(req: FastifyRequest, db: Executor, link: LinkRecord): Ctx {
  const { clock, auditReads } = req.server.deps;
  const entry = (e: Parameters<Ctx['audit']>[0], outcome: 'success' | 'denied') => ({
    ...e,
    outcome: e.outcome ?? outcome,
    organizationId: e.organizationId === undefined ? link.organizationId : e.organizationId,
    actorUserId: null,
    requestId: req.id,
    ip: req.ip,
    details: { ...e.details, via: 'participant_link', linkId: link.id },
  });
  return {
    db,
    clock,
    actor: { userId: link.createdBy, organizationId: link.organizationId, roles: [], isPlatformAdmin: false, sessionId: `link:${link.id}` },
    audit: (e) => appendAudit(db, clock, [entry(e, 'success')]),
    auditDenied: (e) => auditReads.record(entry(e, 'denied')),
  };
}

/** Resolve the secret and run `fn` for its link, in one transaction (the answer, its use of the link and their audit commit together). */
function asLink<T>(req: FastifyRequest, token: string, fn: (ctx: Ctx, link: LinkRecord) => Promise<T>): Promise<T> {
  const { db, clock } = req.server.deps;
  return db.transaction().execute(async (trx) => {
    const link = await uc.resolveLink(trx, token, clock.now());
    return fn(linkCtx(req, trx, link), link);
  });
}

export const participantLinksRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['participant links'];
  const publicUrl = app.deps.config.publicUrl;

  app.post('/api/v1/participants/:id/links', {
    schema: { tags, summary: 'Make a one-time link for the participant (a questionnaire, a check-in, or their coping or safety plan), sent as a message or shown as a code', params: IdParams, body: CreateLinkBody, response: { 201: CreatedLink } },
    config: { access: can('participant_links.send') },
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, (ctx) => uc.createLink(ctx, req.params.id, req.body, publicUrl), { replayAs: (r) => ({ ...r, token: null, url: null }) });
  });

  app.get('/api/v1/participants/:id/links', {
    schema: { tags, summary: "A participant's links, newest first, with how each stands (waiting, opened, answered, expired, turned off)", params: IdParams, response: { 200: LinkList } },
    config: { access: can('participant_links.read') },
  }, async (req) => read(req, (ctx) => uc.listLinks(ctx, req.params.id)));

  app.post('/api/v1/participant-links/:id/revoke', {
    schema: { tags, summary: 'Turn a link off (it stops working at once; a message not yet sent is not sent)', params: IdParams, response: { 200: ParticipantLink } },
    config: { access: can('participant_links.send') },
  }, async (req, reply) => write(req, reply, (ctx) => uc.revokeLink(ctx, req.params.id)));

  // ---- the participant's side: public by the secret

  const limited = { access: publicAccess, rateLimit: { max: 30, timeWindow: '1 minute' } };

  app.post('/api/v1/link/open', {
    schema: { tags, summary: 'Open a link (no account): a greeting, and the form or the plan. Expired, used or turned-off links answer 410', body: OpenLinkBody, response: { 200: OpenedLink } },
    config: limited,
  }, async (req) => asLink(req, req.body.token, uc.openLink));

  app.post('/api/v1/link/questionnaire', {
    schema: { tags, summary: 'Answer the questionnaire a link asks (once)', body: LinkQuestionnaireAnswerBody, response: { 201: LinkAnswered } },
    config: limited,
  }, async (req, reply) => reply.code(201).send(await asLink(req, req.body.token, (ctx, link) => uc.answerQuestionnaire(ctx, link, req.body))));

  app.post('/api/v1/link/check-in', {
    schema: { tags, summary: 'Answer the check-in a link asks (once)', body: LinkCheckInBody, response: { 201: LinkAnswered } },
    config: limited,
  }, async (req, reply) => reply.code(201).send(await asLink(req, req.body.token, (ctx, link) => uc.answerCheckIn(ctx, link, req.body))));
};

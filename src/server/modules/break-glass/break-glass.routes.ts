/** HTTP for break-the-glass grants and notifications: access → validate → use case → presenter. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams } from '../../../contracts/common.js';
import { AccessGrant, AccessGrantList, AccessGrantsQuery, BreakGlassBody, BreakGlassResponse, Notification, NotificationList } from '../../../contracts/access.js';
import { can, signedIn } from '../../platform/http/access.js';
import { read, write } from '../../platform/http/context.js';
import * as uc from './break-glass.usecases.js';
import { presentGrant, presentNotification } from './break-glass.presenters.js';

export const breakGlassRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['break-glass'];

  app.post('/api/v1/participants/:id/break-glass', {
    schema: {
      tags,
      summary: 'Emergency access to a record outside your caseload or team, for 60 minutes (a reason is required; your supervisor and the privacy officer are told)',
      params: IdParams,
      body: BreakGlassBody,
      response: { 200: BreakGlassResponse, 201: BreakGlassResponse },
    },
    config: { access: can('participants.break_glass') },
  }, async (req, reply) =>
    write(req, reply, async (ctx) => {
      const r = await uc.breakGlass(ctx, req.params.id, req.body);
      reply.code(r.created ? 201 : 200);
      return { grantId: r.grantId, expiresAt: r.expiresAt };
    }));

  app.get('/api/v1/access-grants', {
    schema: { tags, summary: 'The break-the-glass log for a period (local dates, both included), newest first', querystring: AccessGrantsQuery, response: { 200: AccessGrantList } },
    config: { access: can('access_grants.review') },
  }, async (req) => read(req, async (ctx) => ({ grants: (await uc.listGrants(ctx, req.query)).map((g) => presentGrant(g, ctx.clock.now())) })));

  app.post('/api/v1/access-grants/:id/end', {
    schema: { tags, summary: 'End a break-the-glass grant early (its holder, or a privacy officer)', params: IdParams, response: { 200: AccessGrant } },
    config: { access: can('access_grants.end') },
  }, async (req, reply) => write(req, reply, async (ctx) => presentGrant(await uc.endGrant(ctx, req.params.id), ctx.clock.now())));

  app.get('/api/v1/notifications', {
    schema: { tags, summary: 'Your notices, newest first, with the number unread', response: { 200: NotificationList } },
    config: { access: signedIn },
  }, async (req) =>
    read(req, async (ctx) => {
      const r = await uc.listNotifications(ctx);
      return { notifications: r.notifications.map(presentNotification), unread: r.unread };
    }));

  app.post('/api/v1/notifications/:id/read', {
    schema: { tags, summary: 'Mark one of your notices read', params: IdParams, response: { 200: Notification } },
    config: { access: signedIn },
  }, async (req, reply) => write(req, reply, async (ctx) => presentNotification(await uc.readNotification(ctx, req.params.id))));
};

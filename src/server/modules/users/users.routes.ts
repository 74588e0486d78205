/** HTTP for staff accounts. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, Ok } from '../../../contracts/common.js';
import { CreateUserBody, CreateUserResponse, OneTimeLink, UpdateUserBody, User, UserList } from '../../../contracts/users.js';
import { can } from '../../platform/http/access.js';
import { read, write } from '../../platform/http/context.js';
import * as uc from './users.usecases.js';
import { presentUser } from './users.presenters.js';

export const userRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['users'];
  const publicUrl = app.deps.config.publicUrl;

  app.get('/api/v1/users', {
    schema: { tags, summary: 'Staff of the current organization', response: { 200: UserList } },
    config: { access: can('users.read') },
  }, async (req) => read(req, async (ctx) => ({ users: (await uc.listUsers(ctx)).map(presentUser) })));

  app.post('/api/v1/users', {
    schema: {
      tags,
      summary: 'Add a person; returns a one-time link to set their password',
      body: CreateUserBody,
      response: { 201: CreateUserResponse },
    },
    config: { access: can('users.manage') },
  }, async (req, reply) => {
    reply.code(201);
    return write(
      req,
      reply,
      async (ctx) => {
        const { user, link } = await uc.createUser(ctx, req.body, publicUrl);
        return { user: presentUser(user), setPasswordLink: link, linkWithheld: link ? null : ('existing_account' as const) };
      },
      // A retry gets the account but not the live link: make a new one with password-reset.
      { replayAs: (r) => ({ ...r, setPasswordLink: null, linkWithheld: r.linkWithheld ?? 'already_shown' }) },
    );
  });

  app.get('/api/v1/users/:id', {
    schema: { tags, summary: 'One person', params: IdParams, response: { 200: User } },
    config: { access: can('users.read') },
  }, async (req) => read(req, async (ctx) => presentUser(await uc.getUser(ctx, req.params.id))));

  app.patch('/api/v1/users/:id', {
    schema: { tags, summary: 'Change name, roles or status', params: IdParams, body: UpdateUserBody, response: { 200: User } },
    config: { access: can('users.manage') },
  }, async (req, reply) => write(req, reply, async (ctx) => presentUser(await uc.updateUser(ctx, req.params.id, req.body))));

  app.post('/api/v1/users/:id/password-reset', {
    schema: { tags, summary: 'A one-time link for the person to set a new password', params: IdParams, response: { 201: OneTimeLink } },
    config: { access: can('users.manage') },
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, (ctx) => uc.resetPassword(ctx, req.params.id, publicUrl), { replayAs: (r) => ({ ...r, url: '' }) });
  });

  app.delete('/api/v1/users/:id', {
    schema: { tags, summary: 'Remove a person from this organization (their account and other organizations stay)', params: IdParams, response: { 200: Ok } },
    config: { access: can('users.manage') },
  }, async (req, reply) =>
    write(req, reply, async (ctx) => {
      await uc.removeFromOrganization(ctx, req.params.id);
      return { ok: true as const };
    }));

  app.post('/api/v1/users/:id/unlock', {
    schema: { tags, summary: 'Lift a temporary sign-in lockout', params: IdParams, response: { 200: User } },
    config: { access: can('users.manage') },
  }, async (req, reply) => write(req, reply, async (ctx) => presentUser(await uc.unlockUser(ctx, req.params.id))));

  app.post('/api/v1/users/:id/sign-out-everywhere', {
    schema: { tags, summary: 'End every session of this person', params: IdParams, response: { 200: z.object({ revoked: z.number() }) } },
    config: { access: can('users.manage') },
  }, async (req, reply) => write(req, reply, async (ctx) => ({ revoked: await uc.signOutUserEverywhere(ctx, req.params.id) })));
};

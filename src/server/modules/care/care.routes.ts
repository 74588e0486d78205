/** HTTP for life events, to-dos and the timeline: access → validate → use case → presenter. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams } from '../../../contracts/common.js';
import {
  CreateLifeEventBody,
  CreateTodoBody,
  LifeEvent,
  LifeEventList,
  TimelinePage,
  TimelineQuery,
  Todo,
  TodoList,
  TodoListQuery,
  UpdateLifeEventBody,
  UpdateTodoBody,
} from '../../../contracts/care.js';
import { can } from '../../platform/http/access.js';
import { read, write } from '../../platform/http/context.js';
import * as uc from './care.usecases.js';
import { presentLifeEvent, presentTodo } from './care.presenters.js';

export const careRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['care'];

  // ---- life events

  app.get('/api/v1/participants/:id/life-events', {
    schema: { tags, summary: "A participant's life events, newest first", params: IdParams, response: { 200: LifeEventList } },
    config: { access: can('life_events.read') },
  }, async (req) => read(req, async (ctx) => ({ lifeEvents: (await uc.listLifeEvents(ctx, req.params.id)).map(presentLifeEvent) })));

  app.post('/api/v1/participants/:id/life-events', {
    schema: { tags, summary: 'Record a life event (a return to use, an overdose, an ED visit…)', params: IdParams, body: CreateLifeEventBody, response: { 201: LifeEvent } },
    config: { access: can('life_events.manage') },
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, async (ctx) => presentLifeEvent(await uc.createLifeEvent(ctx, req.params.id, req.body)));
  });

  app.patch('/api/v1/life-events/:id', {
    schema: { tags, summary: 'Correct a life event', params: IdParams, body: UpdateLifeEventBody, response: { 200: LifeEvent } },
    config: { access: can('life_events.manage') },
  }, async (req, reply) => write(req, reply, async (ctx) => presentLifeEvent(await uc.updateLifeEvent(ctx, req.params.id, req.body))));

  // ---- to-dos

  app.get('/api/v1/participants/:id/todos', {
    schema: { tags, summary: "A participant's to-dos, open ones first", params: IdParams, response: { 200: TodoList } },
    config: { access: can('todos.read') },
  }, async (req) =>
    read(req, async (ctx) => {
      const now = ctx.clock.now();
      return { todos: (await uc.listParticipantTodos(ctx, req.params.id)).map((v) => presentTodo(v, now)), truncated: false };
    }));

  app.post('/api/v1/participants/:id/todos', {
    schema: { tags, summary: 'Add a follow-up for a participant', params: IdParams, body: CreateTodoBody, response: { 201: Todo } },
    config: { access: can('todos.manage') },
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, async (ctx) => presentTodo(await uc.createFollowUp(ctx, req.params.id, req.body), ctx.clock.now()));
  });

  app.get('/api/v1/todos', {
    schema: { tags, summary: 'Your to-dos (or your team’s), soonest due first', querystring: TodoListQuery, response: { 200: TodoList } },
    config: { access: can('todos.read') },
  }, async (req) =>
    read(req, async (ctx) => {
      const { views, truncated } = await uc.listTodos(ctx, req.query);
      const now = ctx.clock.now();
      return { todos: views.map((v) => presentTodo(v, now)), truncated };
    }));

  app.patch('/api/v1/todos/:id', {
    schema: { tags, summary: 'Reschedule, change, complete or cancel a to-do', params: IdParams, body: UpdateTodoBody, response: { 200: Todo } },
    config: { access: can('todos.manage') },
  }, async (req, reply) => write(req, reply, async (ctx) => presentTodo(await uc.updateTodo(ctx, req.params.id, req.body), ctx.clock.now())));

  // ---- timeline

  app.get('/api/v1/participants/:id/timeline', {
    schema: { tags, summary: "A participant's timeline, newest first, a page at a time", params: IdParams, querystring: TimelineQuery, response: { 200: TimelinePage } },
    config: { access: can('timeline.read') },
  }, async (req) => read(req, async (ctx) => uc.participantTimeline(ctx, req.params.id, req.query)));
};

/** Route cases for life events, to-dos and the timeline (see ../route-cases.ts). */
import { can } from '../../../src/server/platform/http/access.js';
import { insertLifeEvent, insertTodo } from '../../../src/server/modules/care/care.repository.js';
import type { TestApp } from '../../helpers/app.js';
import { foreignParticipant, participantOf, type RouteCase } from '../case-types.js';

const NOW = '2026-11-27T15:00:00.000Z';

const lifeEventFor = (t: TestApp, organizationId: string, participantId: string, createdBy: string) =>
  insertLifeEvent(t.db, { organizationId, participantId, createdBy, kind: 'ed_visit', occurredOn: '2026-11-20', occurredAt: null, source: 'records', note: null, now: NOW });

const todoFor = (t: TestApp, organizationId: string, participantId: string, ownerUserId: string) =>
  insertTodo(t.db, {
    organizationId,
    participantId,
    kind: 'follow_up',
    ownerUserId,
    dueOn: '2026-11-28',
    dueTime: null,
    dueAt: '2026-11-29T05:00:00.000Z',
    severity: 'normal',
    title: 'Call about the clinic visit',
    note: null,
    clearsOn: 'manual',
    sourceType: null,
    sourceId: null,
    createdBy: ownerUserId,
    now: NOW,
  });

/** A participant of another organization with a record made by one of its coaches. */
const foreignOwner = async (t: TestApp, org: string) => {
  const p = await foreignParticipant(t, org);
  const owner = (await t.db.selectFrom('participants').select('created_by').where('id', '=', p.id).executeTakeFirstOrThrow()).created_by;
  return { ...p, owner };
};

export const careCases: Record<string, RouteCase> = {
  'GET /api/v1/participants/:id/life-events': {
    access: can('life_events.read'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/participants/${(await participantOf(t, organizationId, caller.user)).id}/life-events` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}/life-events` }),
  },
  'POST /api/v1/participants/:id/life-events': {
    access: can('life_events.manage'),
    status: 201,
    valid: async ({ t, organizationId, caller }) => ({
      url: `/api/v1/participants/${(await participantOf(t, organizationId, caller.user)).id}/life-events`,
      body: { kind: 'overdose', occurredOn: '2026-11-20', source: 'participant_reported' },
    }),
    foreign: async ({ t, otherOrganizationId }) => ({
      url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}/life-events`,
      body: { kind: 'overdose', occurredOn: '2026-11-20', source: 'participant_reported' },
    }),
    invalid: { body: { kind: 'relapse', occurredOn: '2026-11-20', source: 'participant_reported' }, path: 'kind' },
  },
  'PATCH /api/v1/life-events/:id': {
    access: can('life_events.manage'),
    valid: async ({ t, organizationId, caller }) => {
      const p = await participantOf(t, organizationId, caller.user);
      return { url: `/api/v1/life-events/${await lifeEventFor(t, organizationId, p.id, caller.user.id)}`, body: { version: 1, source: 'clinician_verified' } };
    },
    foreign: async ({ t, otherOrganizationId }) => {
      const p = await foreignOwner(t, otherOrganizationId);
      return { url: `/api/v1/life-events/${await lifeEventFor(t, otherOrganizationId, p.id, p.owner)}`, body: { version: 1, source: 'clinician_verified' } };
    },
    invalid: { body: { version: 1, occurredOn: '20 Nov' }, path: 'occurredOn' },
  },
  'GET /api/v1/participants/:id/todos': {
    access: can('todos.read'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/participants/${(await participantOf(t, organizationId, caller.user)).id}/todos` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}/todos` }),
  },
  'POST /api/v1/participants/:id/todos': {
    access: can('todos.manage'),
    status: 201,
    valid: async ({ t, organizationId, caller }) => ({
      url: `/api/v1/participants/${(await participantOf(t, organizationId, caller.user)).id}/todos`,
      body: { dueOn: '2026-11-28', title: 'Call about the clinic visit' },
    }),
    foreign: async ({ t, otherOrganizationId }) => ({
      url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}/todos`,
      body: { dueOn: '2026-11-28', title: 'Call about the clinic visit' },
    }),
    invalid: { body: { dueOn: 'tomorrow', title: 'Call' }, path: 'dueOn' },
  },
  'GET /api/v1/todos': {
    access: can('todos.read'),
    valid: () => Promise.resolve({ url: '/api/v1/todos' }),
  },
  'PATCH /api/v1/todos/:id': {
    access: can('todos.manage'),
    valid: async ({ t, organizationId, caller }) => {
      const p = await participantOf(t, organizationId, caller.user);
      return { url: `/api/v1/todos/${await todoFor(t, organizationId, p.id, caller.user.id)}`, body: { version: 1, severity: 'high' } };
    },
    foreign: async ({ t, otherOrganizationId }) => {
      const p = await foreignOwner(t, otherOrganizationId);
      return { url: `/api/v1/todos/${await todoFor(t, otherOrganizationId, p.id, p.owner)}`, body: { version: 1, severity: 'high' } };
    },
    invalid: { body: { version: 1, severity: 'extreme' }, path: 'severity' },
  },
  'GET /api/v1/participants/:id/timeline': {
    access: can('timeline.read'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/participants/${(await participantOf(t, organizationId, caller.user)).id}/timeline?limit=10` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}/timeline?limit=10` }),
  },
};

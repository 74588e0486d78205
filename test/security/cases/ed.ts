/** Route cases for the ED bedside visit and the post-overdose follow-up plan (see ../route-cases.ts). */
import { can } from '../../../src/server/platform/http/access.js';
import { insertLifeEvent } from '../../../src/server/modules/care/care.repository.js';
import { insertEdVisit } from '../../../src/server/modules/ed/ed.repository.js';
import type { TestApp } from '../../helpers/app.js';
import { foreignParticipant, participantOf, type RouteCase } from '../case-types.js';

const NOW = '2026-11-27T15:00:00.000Z'; // the matrix's fixed clock

/** An open ED visit (with the peer already at the bedside) for a participant, made straight through the repositories. */
async function visitFor(t: TestApp, organizationId: string, participantId: string) {
  const createdBy = (await t.db.selectFrom('participants').select('created_by').where('id', '=', participantId).executeTakeFirstOrThrow()).created_by;
  const lifeEventId = await insertLifeEvent(t.db, { organizationId, participantId, createdBy, kind: 'ed_visit', occurredOn: '2026-11-27', occurredAt: '2026-11-27T13:00:00.000Z', source: 'staff_observed', note: null, now: NOW });
  return insertEdVisit(t.db, {
    organizationId,
    participantId,
    lifeEventId,
    siteId: null,
    createdBy,
    now: NOW,
    edArrivedAt: '2026-11-27T13:00:00.000Z',
    peerRequestedAt: '2026-11-27T13:20:00.000Z',
    peerArrivedAt: '2026-11-27T13:50:00.000Z',
  });
}

const mine = async ({ t, organizationId, caller }: Parameters<RouteCase['valid']>[0]) => visitFor(t, organizationId, (await participantOf(t, organizationId, caller.user)).id);
const theirs = async ({ t, otherOrganizationId }: Parameters<RouteCase['valid']>[0]) => visitFor(t, otherOrganizationId, (await foreignParticipant(t, otherOrganizationId)).id);

export const edCases: Record<string, RouteCase> = {
  'GET /api/v1/participants/:id/ed-visits': {
    access: can('ed_visits.read'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/participants/${(await participantOf(t, organizationId, caller.user)).id}/ed-visits` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}/ed-visits` }),
  },
  'POST /api/v1/participants/:id/ed-visits': {
    access: can('ed_visits.manage'),
    status: 201,
    valid: async ({ t, organizationId, caller }) => ({
      url: `/api/v1/participants/${(await participantOf(t, organizationId, caller.user)).id}/ed-visits`,
      body: { edArrivedAt: '2026-11-27T13:00:00Z', peerRequestedAt: '2026-11-27T13:20:00Z' },
    }),
    foreign: async ({ t, otherOrganizationId }) => ({
      url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}/ed-visits`,
      body: { edArrivedAt: '2026-11-27T13:00:00Z' },
    }),
    invalid: { body: { moudStarted: 'suboxone' }, path: 'moudStarted' },
  },
  'GET /api/v1/ed-visits/:id': {
    access: can('ed_visits.read'),
    valid: async (ctx) => ({ url: `/api/v1/ed-visits/${await mine(ctx)}` }),
    foreign: async (ctx) => ({ url: `/api/v1/ed-visits/${await theirs(ctx)}` }),
  },
  'PATCH /api/v1/ed-visits/:id': {
    access: can('ed_visits.manage'),
    valid: async (ctx) => ({ url: `/api/v1/ed-visits/${await mine(ctx)}`, body: { version: 1, overdose: true, substance: 'fentanyl' } }),
    foreign: async (ctx) => ({ url: `/api/v1/ed-visits/${await theirs(ctx)}`, body: { version: 1, overdose: true } }),
    invalid: { body: { version: 1, peerArrivedAt: 'half past one' }, path: 'peerArrivedAt' },
  },
  'POST /api/v1/ed-visits/:id/complete': {
    access: can('ed_visits.manage'),
    valid: async (ctx) => ({ url: `/api/v1/ed-visits/${await mine(ctx)}/complete` }),
    foreign: async (ctx) => ({ url: `/api/v1/ed-visits/${await theirs(ctx)}/complete` }),
  },
};

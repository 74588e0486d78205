/** Route cases for the today view, contact cadence, the unreachable workflow and the supervisor view (see ../route-cases.ts). */
import { can } from '../../../src/server/platform/http/access.js';
import { foreignParticipant, participantOf, type RouteCase } from '../case-types.js';

export const outreachCases: Record<string, RouteCase> = {
  'GET /api/v1/today': {
    access: can('today.read'),
    valid: () => Promise.resolve({ url: '/api/v1/today' }),
  },
  'PATCH /api/v1/episodes/:id/cadence': {
    access: can('outreach.manage'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/episodes/${(await participantOf(t, organizationId, caller.user)).episodeId}/cadence`, body: { cadenceDays: 14, version: 1 } }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/episodes/${(await foreignParticipant(t, otherOrganizationId)).episodeId}/cadence`, body: { cadenceDays: 14, version: 1 } }),
    invalid: { body: { cadenceDays: 91, version: 1 }, path: 'cadenceDays' },
  },
  'GET /api/v1/episodes/:id/outreach': {
    access: can('outreach.read'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/episodes/${(await participantOf(t, organizationId, caller.user)).episodeId}/outreach` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/episodes/${(await foreignParticipant(t, otherOrganizationId)).episodeId}/outreach` }),
  },
  'POST /api/v1/episodes/:id/unreachable': {
    access: can('outreach.manage'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/episodes/${(await participantOf(t, organizationId, caller.user)).episodeId}/unreachable`, body: { reason: 'No answer by phone or text for two weeks', version: 1 } }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/episodes/${(await foreignParticipant(t, otherOrganizationId)).episodeId}/unreachable`, body: { reason: 'No answer', version: 1 } }),
    invalid: { body: { reason: '', version: 1 }, path: 'reason' },
  },
  'GET /api/v1/team/outreach': {
    access: can('team.outreach'),
    valid: () => Promise.resolve({ url: '/api/v1/team/outreach' }),
  },
};

/** Route cases for check-ins and milestones (see ../route-cases.ts). */
import { can } from '../../../src/server/platform/http/access.js';
import { insertMilestone } from '../../../src/server/modules/checkins/checkins.repository.js';
import { buildUser } from '../../helpers/factories.js';
import { foreignParticipant, participantOf, type RouteCase } from '../case-types.js';

const checkIn = { mood: 3, cravings: 2, moudTaken: 'yes', useSinceLast: false, overdoseSinceLast: false };
const milestone = { kind: 'job', reachedOn: '2026-01-05' };

export const checkinsCases: Record<string, RouteCase> = {
  'POST /api/v1/participants/:id/check-ins': {
    access: can('checkins.write'),
    status: 201,
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/participants/${(await participantOf(t, organizationId, caller.user)).id}/check-ins`, body: checkIn }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}/check-ins`, body: checkIn }),
    invalid: { body: { ...checkIn, cravings: 11 }, path: 'cravings' },
  },
  'GET /api/v1/participants/:id/check-ins': {
    access: can('checkins.read'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/participants/${(await participantOf(t, organizationId, caller.user)).id}/check-ins` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}/check-ins` }),
  },
  'GET /api/v1/participants/:id/check-in-trend': {
    access: can('checkins.read'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/participants/${(await participantOf(t, organizationId, caller.user)).id}/check-in-trend` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}/check-in-trend` }),
  },
  'GET /api/v1/participants/:id/milestones': {
    access: can('checkins.read'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/participants/${(await participantOf(t, organizationId, caller.user)).id}/milestones` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}/milestones` }),
  },
  'POST /api/v1/participants/:id/milestones': {
    access: can('checkins.write'),
    status: 201,
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/participants/${(await participantOf(t, organizationId, caller.user)).id}/milestones`, body: milestone }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}/milestones`, body: milestone }),
    invalid: { body: { kind: 'other', reachedOn: '2026-01-05' }, path: 'label' },
  },
  'POST /api/v1/participants/:id/milestones/celebrations': {
    access: can('checkins.write'),
    status: 201,
    valid: async ({ t, organizationId, caller }) => {
      const p = await participantOf(t, organizationId, caller.user);
      const id = await insertMilestone(t.db, { organizationId, participantId: p.id, kind: 'job', label: null, reachedOn: '2026-01-05', createdBy: caller.user.id, now: new Date().toISOString() });
      return { url: `/api/v1/participants/${p.id}/milestones/celebrations`, body: { kind: 'custom', anchor: id, on: '2026-01-05' } };
    },
    foreign: async ({ t, otherOrganizationId }) => {
      const p = await foreignParticipant(t, otherOrganizationId);
      const someone = await buildUser(t.db, { organizationId: otherOrganizationId, roles: ['coach'] });
      const id = await insertMilestone(t.db, { organizationId: otherOrganizationId, participantId: p.id, kind: 'job', label: null, reachedOn: '2026-01-05', createdBy: someone.id, now: new Date().toISOString() });
      return { url: `/api/v1/participants/${p.id}/milestones/celebrations`, body: { kind: 'custom', anchor: id, on: '2026-01-05' } };
    },
    invalid: { body: { kind: 'someday', anchor: '30d', on: '2026-01-05' }, path: 'kind' },
  },
};

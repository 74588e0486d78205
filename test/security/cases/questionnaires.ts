/** Route cases for questionnaires (see ../route-cases.ts). */
import { can } from '../../../src/server/platform/http/access.js';
import { foreignParticipant, participantOf, type RouteCase } from '../case-types.js';

const barc10 = (value: number) => ({ key: 'barc10', version: 1, answers: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`q${i + 1}`, value])) });

export const questionnairesCases: Record<string, RouteCase> = {
  'GET /api/v1/questionnaires': {
    access: can('questionnaires.read'),
    valid: async () => ({ url: '/api/v1/questionnaires' }),
  },
  'POST /api/v1/participants/:id/questionnaire-responses': {
    access: can('questionnaires.answer'),
    status: 201,
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/participants/${(await participantOf(t, organizationId, caller.user)).id}/questionnaire-responses`, body: barc10(4) }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}/questionnaire-responses`, body: barc10(4) }),
    invalid: { body: { key: 'barc10', answers: { q1: 4 } }, path: 'version' },
  },
  'GET /api/v1/participants/:id/questionnaire-responses': {
    access: can('questionnaires.read'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/participants/${(await participantOf(t, organizationId, caller.user)).id}/questionnaire-responses?key=barc10` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}/questionnaire-responses?key=barc10` }),
  },
  'GET /api/v1/participants/:id/barc10-trend': {
    access: can('questionnaires.read'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/participants/${(await participantOf(t, organizationId, caller.user)).id}/barc10-trend` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}/barc10-trend` }),
  },
};

/** Route cases for federal (GPRA-style) interviews and the follow-up tracker (see ../route-cases.ts). */
import { can } from '../../../src/server/platform/http/access.js';
import type { TestApp } from '../../helpers/app.js';
import { buildUser } from '../../helpers/factories.js';
import { insertInterview } from '../../../src/server/modules/federal-follow-up/federal-follow-up.repository.js';
import { foreignParticipant, participantOf, type CaseContext, type RouteCase } from '../case-types.js';

/** A participant of `org` (the caller's, when given: one they may see) with an intake interview. */
async function interviewOf(t: TestApp, org: string, caller?: CaseContext['caller']['user']) {
  const someone = caller ?? (await buildUser(t.db, { organizationId: org, roles: ['coach'] }));
  const p = caller ? await participantOf(t, org, caller) : await foreignParticipant(t, org);
  const interviewId = await insertInterview(t.db, { organizationId: org, participantId: p.id, episodeId: p.episodeId, kind: 'intake', conductedOn: '2025-06-02', recordedBy: someone.id, now: new Date().toISOString() });
  return { participantId: p.id, interviewId };
}
const mine = ({ t, organizationId, caller }: CaseContext) => interviewOf(t, organizationId, caller.user);
const theirs = ({ t, otherOrganizationId }: CaseContext) => interviewOf(t, otherOrganizationId);

export const federalFollowUpCases: Record<string, RouteCase> = {
  'GET /api/v1/participants/:id/federal-interviews': {
    access: can('federal_interviews.read'),
    valid: async (ctx) => ({ url: `/api/v1/participants/${(await mine(ctx)).participantId}/federal-interviews` }),
    foreign: async (ctx) => ({ url: `/api/v1/participants/${(await theirs(ctx)).participantId}/federal-interviews` }),
  },
  'POST /api/v1/participants/:id/federal-interviews': {
    access: can('federal_interviews.manage'),
    status: 201,
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/participants/${(await participantOf(t, organizationId, caller.user)).id}/federal-interviews`, body: { kind: 'intake', conductedOn: '2025-06-01' } }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}/federal-interviews`, body: { kind: 'intake', conductedOn: '2025-06-01' } }),
    invalid: { body: { kind: 'gpra', conductedOn: '2025-06-01' }, path: 'kind' },
  },
  'PATCH /api/v1/federal-interviews/:id': {
    access: can('federal_interviews.manage'),
    valid: async (ctx) => ({ url: `/api/v1/federal-interviews/${(await mine(ctx)).interviewId}`, body: { conductedOn: '2025-06-01', version: 1 } }),
    foreign: async (ctx) => ({ url: `/api/v1/federal-interviews/${(await theirs(ctx)).interviewId}`, body: { conductedOn: '2025-06-01', version: 1 } }),
    invalid: { body: { conductedOn: '2025-02-30', version: 1 }, path: 'conductedOn' },
  },
  'DELETE /api/v1/federal-interviews/:id': {
    access: can('federal_interviews.manage'),
    valid: async (ctx) => ({ url: `/api/v1/federal-interviews/${(await mine(ctx)).interviewId}`, body: { version: 1 } }),
    foreign: async (ctx) => ({ url: `/api/v1/federal-interviews/${(await theirs(ctx)).interviewId}`, body: { version: 1 } }),
    invalid: { body: { version: 0 }, path: 'version' },
  },
  'GET /api/v1/federal-follow-up/tracker': {
    access: can('federal_follow_up.tracker'),
    valid: () => Promise.resolve({ url: '/api/v1/federal-follow-up/tracker?month=2025-12' }),
  },
};

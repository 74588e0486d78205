/** Route cases for encounters, addenda and the note review queue (see ../route-cases.ts). */
import { randomUUID } from 'node:crypto';
import { can } from '../../../src/server/platform/http/access.js';
import type { TestApp } from '../../helpers/app.js';
import { buildEpisode, buildParticipant, buildSite, buildTeamAt, buildUser, type BuiltUser } from '../../helpers/factories.js';
import { encounterRow } from '../../helpers/encounters.js';
import { foreignParticipant, participantOf, type RouteCase } from '../case-types.js';

const body = (o: Record<string, unknown> = {}) => ({ type: 'check_in', mode: 'phone', setting: 'telehealth', startedAt: '2026-11-27T14:00:00Z', reached: true, sign: true, ...o });

/** A participant of another organization with an encounter its coach wrote. */
const foreignEncounter = async (t: TestApp, org: string, o: { status?: 'draft' | 'signed'; reviewStatus?: 'none' | 'pending' } = {}) => {
  const p = await foreignParticipant(t, org);
  const author = (await t.db.selectFrom('participants').select('created_by').where('id', '=', p.id).executeTakeFirstOrThrow()).created_by;
  return encounterRow(t.db, { organizationId: org, participantId: p.id, authorUserId: author, ...o });
};

/** The caller's own encounter with a participant they may see. */
const ownEncounter = async (t: TestApp, org: string, caller: BuiltUser, o: { status?: 'draft' | 'signed' } = {}) => {
  const p = await participantOf(t, org, caller);
  return encounterRow(t.db, { organizationId: org, participantId: p.id, authorUserId: caller.id, ...o });
};

/** A note waiting for review, written by a coach of a team the caller supervises, about one of the coach's people. */
const pendingForReviewer = async (t: TestApp, org: string, caller: BuiltUser) => {
  const coach = await buildUser(t.db, { organizationId: org, roles: ['coach'] });
  const siteId = await buildSite(t.db, org);
  await buildTeamAt(t.db, org, { siteId, supervisorUserId: caller.id, memberUserIds: [coach.id] });
  const participantId = await buildParticipant(t.db, { organizationId: org, createdBy: coach.id });
  await buildEpisode(t.db, { organizationId: org, participantId, createdBy: coach.id, siteId, assignedCoachUserId: coach.id });
  return encounterRow(t.db, { organizationId: org, participantId, authorUserId: coach.id, reviewStatus: 'pending', reviewReason: 'coach' });
};

/** An encounter in the caller's organization (for deletion, which admins may do without seeing participants). */
const someEncounter = async (t: TestApp, org: string) => {
  const coach = await buildUser(t.db, { organizationId: org, roles: ['coach'] });
  const participantId = await buildParticipant(t.db, { organizationId: org, createdBy: coach.id });
  return encounterRow(t.db, { organizationId: org, participantId, authorUserId: coach.id });
};

export const encounterCases: Record<string, RouteCase> = {
  'GET /api/v1/participants/:id/encounters': {
    access: can('encounters.read'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/participants/${(await participantOf(t, organizationId, caller.user)).id}/encounters` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}/encounters` }),
  },
  'POST /api/v1/participants/:id/encounters': {
    access: can('encounters.log'),
    status: 201,
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/participants/${(await participantOf(t, organizationId, caller.user)).id}/encounters`, body: body() }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}/encounters`, body: body() }),
    invalid: { body: body({ type: 'outreach_attempt', reached: true }), path: 'reached' },
  },
  'POST /api/v1/encounters/group': {
    access: can('encounters.log'),
    status: 201,
    valid: async ({ t, organizationId, caller }) => ({
      url: '/api/v1/encounters/group',
      body: body({ type: 'group', mode: 'in_person', setting: 'rco_community', participantIds: [(await participantOf(t, organizationId, caller.user)).id] }),
    }),
    foreign: async ({ t, otherOrganizationId }) => ({
      url: '/api/v1/encounters/group',
      body: body({ type: 'group', mode: 'in_person', setting: 'rco_community', participantIds: [(await foreignParticipant(t, otherOrganizationId)).id] }),
    }),
    missing: () => Promise.resolve({ url: '/api/v1/encounters/group', body: body({ type: 'group', mode: 'in_person', setting: 'rco_community', participantIds: [randomUUID()] }) }),
    invalid: { body: body({ type: 'group', participantIds: [] }), path: 'participantIds' },
  },
  'GET /api/v1/encounters/defaults': {
    access: can('encounters.log'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/encounters/defaults?participantId=${(await participantOf(t, organizationId, caller.user)).id}` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/encounters/defaults?participantId=${(await foreignParticipant(t, otherOrganizationId)).id}` }),
    missing: () => Promise.resolve({ url: `/api/v1/encounters/defaults?participantId=${randomUUID()}` }),
  },
  'GET /api/v1/encounters/review-queue': {
    access: can('encounters.review'),
    valid: () => Promise.resolve({ url: '/api/v1/encounters/review-queue' }),
  },
  'GET /api/v1/encounters/:id': {
    access: can('encounters.read'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/encounters/${await ownEncounter(t, organizationId, caller.user)}` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/encounters/${await foreignEncounter(t, otherOrganizationId)}` }),
  },
  'PATCH /api/v1/encounters/:id': {
    access: can('encounters.log'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/encounters/${await ownEncounter(t, organizationId, caller.user, { status: 'draft' })}`, body: { version: 1, note: 'Met at the library.' } }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/encounters/${await foreignEncounter(t, otherOrganizationId, { status: 'draft' })}`, body: { version: 1, note: 'Met at the library.' } }),
    invalid: { body: { version: 1, mode: 'pigeon' }, path: 'mode' },
  },
  'POST /api/v1/encounters/:id/addenda': {
    access: can('encounters.log'),
    status: 201,
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/encounters/${await ownEncounter(t, organizationId, caller.user)}/addenda`, body: { text: 'She called back later that day.' } }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/encounters/${await foreignEncounter(t, otherOrganizationId)}/addenda`, body: { text: 'She called back later that day.' } }),
    invalid: { body: { text: '   ' }, path: 'text' },
  },
  'POST /api/v1/encounters/:id/review': {
    access: can('encounters.review'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/encounters/${await pendingForReviewer(t, organizationId, caller.user)}/review`, body: { decision: 'cosign' } }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/encounters/${await foreignEncounter(t, otherOrganizationId, { reviewStatus: 'pending' })}/review`, body: { decision: 'cosign' } }),
    invalid: { body: { decision: 'return' }, path: 'comment' },
  },
  'DELETE /api/v1/encounters/:id': {
    access: can('encounters.delete'),
    valid: async ({ t, organizationId }) => ({ url: `/api/v1/encounters/${await someEncounter(t, organizationId)}`, body: { reason: 'Logged for the wrong person' } }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/encounters/${await foreignEncounter(t, otherOrganizationId)}`, body: { reason: 'Logged for the wrong person' } }),
    invalid: { body: { reason: '' }, path: 'reason' },
  },
};

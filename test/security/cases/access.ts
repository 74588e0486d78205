/** Route cases for break-the-glass, notifications and merging participant records (see ../route-cases.ts). */
import { can, signedIn } from '../../../src/server/platform/http/access.js';
import { insertGrant, insertNotifications } from '../../../src/server/modules/break-glass/break-glass.repository.js';
import type { TestApp } from '../../helpers/app.js';
import { buildEpisode, buildParticipant, buildUser } from '../../helpers/factories.js';
import { foreignParticipant, type RouteCase } from '../case-types.js';

const REASON = 'Paged to the emergency department for this person tonight';

/** A participant of `org` that no caller of the matrix sees: enrolled with another coach, at a site of no team of theirs. */
const outOfScope = async (t: TestApp, org: string) => {
  const coach = await buildUser(t.db, { organizationId: org, roles: ['coach'] });
  const id = await buildParticipant(t.db, { organizationId: org, createdBy: coach.id });
  await buildEpisode(t.db, { organizationId: org, participantId: id, createdBy: coach.id, assignedCoachUserId: coach.id });
  return id;
};

/** A live grant held by `userId` (the caller, or someone of another organization). */
const grantOf = async (t: TestApp, org: string, userId?: string) => {
  const holder = userId ?? (await buildUser(t.db, { organizationId: org, roles: ['coach'] })).id;
  const participantId = await outOfScope(t, org);
  const now = t.clock.now();
  return insertGrant(t.db, {
    organizationId: org,
    userId: holder,
    participantId,
    reason: REASON,
    grantedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 3_600_000).toISOString(),
  });
};

const noticeFor = async (t: TestApp, org: string, userId?: string) => {
  const to = userId ?? (await buildUser(t.db, { organizationId: org, roles: ['supervisor'] })).id;
  const actor = await buildUser(t.db, { organizationId: org, roles: ['coach'] });
  const [id] = await insertNotifications(t.db, org, [to], { kind: 'break_glass', actorUserId: actor.id, participantId: await outOfScope(t, org), referenceId: null, createdAt: t.clock.now().toISOString() });
  return id!;
};

export const accessCases: Record<string, RouteCase> = {
  'POST /api/v1/participants/:id/break-glass': {
    access: can('participants.break_glass'),
    status: 201,
    valid: async ({ t, organizationId }) => ({ url: `/api/v1/participants/${await outOfScope(t, organizationId)}/break-glass`, body: { reason: REASON } }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}/break-glass`, body: { reason: REASON } }),
    invalid: { body: { reason: 'urgent' }, path: 'reason' },
  },
  'GET /api/v1/access-grants': {
    access: can('access_grants.review'),
    valid: () => Promise.resolve({ url: '/api/v1/access-grants?from=2026-01-01&to=2026-12-31' }),
  },
  'POST /api/v1/access-grants/:id/end': {
    access: can('access_grants.end'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/access-grants/${await grantOf(t, organizationId, caller.user.id)}/end` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/access-grants/${await grantOf(t, otherOrganizationId)}/end` }),
  },
  'GET /api/v1/notifications': {
    access: signedIn,
    valid: () => Promise.resolve({ url: '/api/v1/notifications' }),
  },
  'POST /api/v1/notifications/:id/read': {
    access: signedIn,
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/notifications/${await noticeFor(t, organizationId, caller.user.id)}/read` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/notifications/${await noticeFor(t, otherOrganizationId)}/read` }),
  },
  'POST /api/v1/participants/:id/merge': {
    access: can('participants.merge'),
    valid: async ({ t, organizationId }) => {
      const coach = await buildUser(t.db, { organizationId, roles: ['coach'] });
      const duplicate = await buildParticipant(t.db, { organizationId, createdBy: coach.id });
      const survivor = await buildParticipant(t.db, { organizationId, createdBy: coach.id });
      return { url: `/api/v1/participants/${duplicate}/merge`, body: { intoId: survivor, reason: 'Same person, entered twice at intake', version: 1, intoVersion: 1 } };
    },
    foreign: async ({ t, otherOrganizationId }) => {
      const a = await foreignParticipant(t, otherOrganizationId);
      const b = await foreignParticipant(t, otherOrganizationId);
      return { url: `/api/v1/participants/${a.id}/merge`, body: { intoId: b.id, reason: 'Same person, entered twice at intake', version: 1, intoVersion: 1 } };
    },
    invalid: { body: { intoId: 'someone', reason: 'Same person, entered twice at intake', version: 1, intoVersion: 1 }, path: 'intoId' },
  },
};

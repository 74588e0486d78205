/** Route cases for participants' one-time links (see ../route-cases.ts). */
import { can, publicAccess } from '../../../src/server/platform/http/access.js';
import { hashToken, newToken } from '../../../src/server/platform/ids.js';
import type { LinkPurpose } from '../../../src/contracts/participant-links.js';
import type { TestApp } from '../../helpers/app.js';
import { buildUser } from '../../helpers/factories.js';
import { insertLink } from '../../../src/server/modules/participant-links/participant-links.repository.js';
import { BARC10_V1 } from '../../../src/server/modules/questionnaires/questionnaires.shipped.js';
import { foreignParticipant, participantOf, type CaseContext, type RouteCase } from '../case-types.js';

/** A link for a participant of `org` (one the caller may see, when given); its secret comes back. */
async function linkOf(t: TestApp, org: string, purpose: LinkPurpose, caller?: CaseContext['caller']['user']) {
  const someone = caller ?? (await buildUser(t.db, { organizationId: org, roles: ['coach'] }));
  const p = caller ? await participantOf(t, org, caller) : await foreignParticipant(t, org);
  const token = newToken();
  const now = new Date();
  const id = await insertLink(t.db, {
    organizationId: org,
    participantId: p.id,
    purpose,
    definitionId: purpose === 'questionnaire' ? BARC10_V1.id : null,
    language: 'en',
    delivery: 'code',
    outboxMessageId: null,
    tokenHash: hashToken(token),
    createdBy: someone.id,
    now: now.toISOString(),
    expiresAt: new Date(now.getTime() + 7 * 86_400_000).toISOString(),
  });
  return { id, token, participantId: p.id };
}

const checkIn = { mood: 4, cravings: 2, moudTaken: 'yes', useSinceLast: false, overdoseSinceLast: false };

export const participantLinksCases: Record<string, RouteCase> = {
  'POST /api/v1/participants/:id/links': {
    access: can('participant_links.send'),
    status: 201,
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/participants/${(await participantOf(t, organizationId, caller.user)).id}/links`, body: { purpose: 'check_in', delivery: 'code' } }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}/links`, body: { purpose: 'check_in', delivery: 'code' } }),
    invalid: { body: { purpose: 'diary', delivery: 'code' }, path: 'purpose' },
  },
  'GET /api/v1/participants/:id/links': {
    access: can('participant_links.read'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/participants/${(await linkOf(t, organizationId, 'check_in', caller.user)).participantId}/links` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/participants/${(await linkOf(t, otherOrganizationId, 'check_in')).participantId}/links` }),
  },
  'POST /api/v1/participant-links/:id/revoke': {
    access: can('participant_links.send'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/participant-links/${(await linkOf(t, organizationId, 'check_in', caller.user)).id}/revoke` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/participant-links/${(await linkOf(t, otherOrganizationId, 'check_in')).id}/revoke` }),
  },
  'POST /api/v1/link/open': {
    access: publicAccess,
    valid: async ({ t, organizationId }) => ({ url: '/api/v1/link/open', body: { token: (await linkOf(t, organizationId, 'check_in')).token } }),
    invalid: { body: { token: 'short' }, path: 'token' },
  },
  'POST /api/v1/link/questionnaire': {
    access: publicAccess,
    status: 201,
    valid: async ({ t, organizationId }) => ({
      url: '/api/v1/link/questionnaire',
      body: { token: (await linkOf(t, organizationId, 'questionnaire')).token, answers: Object.fromEntries(BARC10_V1.items.map((i) => [i.id, 4])) },
    }),
    invalid: { body: { token: newToken(), answers: 'all good' }, path: 'answers' },
  },
  'POST /api/v1/link/check-in': {
    access: publicAccess,
    status: 201,
    valid: async ({ t, organizationId }) => ({ url: '/api/v1/link/check-in', body: { token: (await linkOf(t, organizationId, 'check_in')).token, ...checkIn } }),
    invalid: { body: { token: newToken(), ...checkIn, mood: 9 }, path: 'mood' },
  },
};

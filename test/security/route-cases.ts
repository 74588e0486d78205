/**
 * One entry per /api/v1 route: what the generated security matrix (route-matrix.test.ts) needs to
 * call it. A new route without an entry here fails the suite, and so does an entry whose route
 * is gone.
 *
 * - `access`: the rule the route must declare. Written down twice on purpose: a route that
 *   silently loses its permission (or becomes public) fails the matrix.
 * - `valid(ctx)`: a request that succeeds for a caller the route admits, with any records it
 *   needs created in the caller's organization; `status` is what it answers (200 by default).
 * - `foreign(ctx)`: for routes that name a record (`:id`), the same request pointed at a record
 *   of another organization (`ctx.otherOrganizationId`). The matrix sends the same request with
 *   a fresh random id (`missingParam`) and expects the two answers to be identical.
 * - `invalid`: for routes with a body, a body the contract refuses and the field it names.
 * - `caller`: when the route needs a particular kind of session (an MFA code still due).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { can, partiallySignedIn, platformAdmin, publicAccess, signedIn } from '../../src/server/platform/http/access.js';
import { issueToken } from '../../src/server/platform/auth/one-time-tokens.js';
import { findOrganization, findProgram, findSite, findTeam } from '../../src/server/modules/organizations/organizations.repository.js';
import { findUserById, setRoles } from '../../src/server/modules/users/users.repository.js';
import type { TestApp } from '../helpers/app.js';
import { buildOrganization, buildProgram, buildSite, buildTeam, buildUser } from '../helpers/factories.js';
import { sessionFor, totpCode } from '../helpers/sessions.js';
import { foreignParticipant, participantOf, type RouteCase } from './case-types.js';
import { accessCases } from './cases/access.js';
import { careCases } from './cases/care.js';
import { caseloadCases } from './cases/caseload.js';
import { consentCases } from './cases/consents.js';
import { encounterCases } from './cases/encounters.js';
import { edCases } from './cases/ed.js';
import { outreachCases } from './cases/outreach.js';
import { directoryCases } from './cases/directory.js';
import { directoryImportCases } from './cases/directory-import.js';
import { importsCases } from './cases/imports.js';
import { appointmentsCases } from './cases/appointments.js';
import { moudCases } from './cases/moud.js';
import { referralsCases } from './cases/referrals.js';
import { questionnairesCases } from './cases/questionnaires.js';
import { checkinsCases } from './cases/checkins.js';
import { recoveryPlansCases } from './cases/recovery-plans.js';
import { copingPlansCases } from './cases/coping-plans.js';
import { participantLinksCases } from './cases/participant-links.js';
import { researchExportCases } from './cases/research-export.js';
import { measuresCases } from './cases/measures.js';
import { measuresReportCases } from './cases/measures-report.js';
import { federalFollowUpCases } from './cases/federal-follow-up.js';

export type { CaseContext, CaseRequest, RouteCase } from './case-types.js';

const STRONG_PASSWORD = 'lantern orchard quietly 2026';
const suffix = () => randomBytes(3).toString('hex');

async function version(find: Promise<{ version: number } | undefined>): Promise<number> {
  const record = await find;
  if (!record) throw new Error('route case: record not found');
  return record.version;
}

/** A program, site or team route pair (`/things` and `/things/:id`) has the same shape. */
const programOf = async (t: TestApp, org: string) => {
  const id = await buildProgram(t.db, org);
  return { id, version: await version(findProgram(t.db, org, id)) };
};
const siteOf = async (t: TestApp, org: string) => {
  const id = await buildSite(t.db, org);
  return { id, version: await version(findSite(t.db, org, id)) };
};
const teamOf = async (t: TestApp, org: string) => {
  const id = await buildTeam(t.db, org);
  return { id, version: await version(findTeam(t.db, org, id)) };
};
const personOf = async (t: TestApp, org: string) => {
  const user = await buildUser(t.db, { organizationId: org, roles: ['coach'] });
  return { id: user.id, version: await version(findUserById(t.db, user.id)) };
};

/** `POST /users/:id/<action>` routes: a colleague in the caller's organization or another. */
const userAction = (action: string, status: number): RouteCase => ({
  access: can('users.manage'),
  status,
  valid: async ({ t, organizationId }) => ({ url: `/api/v1/users/${(await personOf(t, organizationId)).id}/${action}` }),
  foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/users/${(await personOf(t, otherOrganizationId)).id}/${action}` }),
});

export const ROUTE_CASES: Record<string, RouteCase> = {
  // ---- auth (public, or a session that may still owe its MFA code)
  'GET /api/v1/auth/csrf': {
    access: publicAccess,
    valid: () => Promise.resolve({ url: '/api/v1/auth/csrf' }),
  },
  'POST /api/v1/auth/sign-in': {
    access: publicAccess,
    valid: ({ caller }) => Promise.resolve({ url: '/api/v1/auth/sign-in', body: { email: caller.user.email, password: caller.user.password } }),
    invalid: { body: { email: 'not-an-email', password: 'x' }, path: 'email' },
  },
  'POST /api/v1/auth/mfa/verify': {
    access: partiallySignedIn,
    caller: { mfa: true, mfaState: 'pending' },
    valid: async ({ t, caller }) => ({ url: '/api/v1/auth/mfa/verify', body: { code: await totpCode(caller.user.mfaSecret!, t.clock.now()) } }),
    invalid: { body: { code: '12' }, path: 'code' },
  },
  'POST /api/v1/auth/sign-out': {
    access: partiallySignedIn,
    valid: () => Promise.resolve({ url: '/api/v1/auth/sign-out' }),
  },
  'GET /api/v1/me': {
    access: partiallySignedIn,
    valid: () => Promise.resolve({ url: '/api/v1/me' }),
  },
  'GET /api/v1/setup/status': {
    access: publicAccess,
    valid: () => Promise.resolve({ url: '/api/v1/setup/status' }),
  },
  'POST /api/v1/setup': {
    access: publicAccess,
    // The matrix's database already has people, so a well-formed setup is refused as done.
    status: 409,
    code: 'setup.already_done',
    valid: () =>
      Promise.resolve({
        url: '/api/v1/setup',
        body: {
          token: 'x'.repeat(32),
          organization: { name: 'Harbor Light', timeZone: 'America/New_York' },
          admin: { displayName: 'Sam Rivera', email: `setup-${suffix()}@example.org`, password: STRONG_PASSWORD },
        },
      }),
    invalid: {
      body: {
        token: 'x'.repeat(32),
        organization: { name: 'Harbor Light', timeZone: 'Mars/Olympus_Mons' },
        admin: { displayName: 'Sam Rivera', email: 'sam@example.org', password: STRONG_PASSWORD },
      },
      path: 'organization.timeZone',
    },
  },
  'POST /api/v1/auth/reset-password': {
    access: publicAccess,
    valid: async ({ t, organizationId, caller }) => {
      const { token } = await issueToken(t.db, { purpose: 'password_reset', userId: caller.user.id, organizationId, createdBy: null, now: t.clock.now() });
      return { url: '/api/v1/auth/reset-password', body: { token, password: STRONG_PASSWORD } };
    },
    invalid: { body: { token: 'short', password: STRONG_PASSWORD }, path: 'token' },
  },

  // ---- the signed-in person's own account
  'POST /api/v1/me/password': {
    access: signedIn,
    valid: ({ caller }) => Promise.resolve({ url: '/api/v1/me/password', body: { currentPassword: caller.user.password, newPassword: STRONG_PASSWORD } }),
    invalid: { body: { currentPassword: '', newPassword: STRONG_PASSWORD }, path: 'currentPassword' },
  },
  'POST /api/v1/me/mfa/setup': {
    access: partiallySignedIn,
    valid: () => Promise.resolve({ url: '/api/v1/me/mfa/setup' }),
  },
  'POST /api/v1/me/mfa/confirm': {
    access: partiallySignedIn,
    valid: async ({ t, caller }) => {
      const setup = await caller.client.post('/api/v1/me/mfa/setup');
      if (setup.statusCode !== 200) throw new Error(`route case: mfa setup answered ${setup.statusCode}`);
      const { secret } = setup.json<{ secret: string }>();
      return { url: '/api/v1/me/mfa/confirm', body: { code: await totpCode(secret, t.clock.now()) } };
    },
    invalid: { body: { code: 'abcdef' }, path: 'code' },
  },
  'POST /api/v1/me/mfa/disable': {
    access: signedIn,
    caller: { mfa: true },
    valid: async ({ t, caller }) => ({
      url: '/api/v1/me/mfa/disable',
      body: { password: caller.user.password, code: await totpCode(caller.user.mfaSecret!, t.clock.now()) },
    }),
    invalid: { body: { password: 'x', code: '1234567' }, path: 'code' },
  },
  'GET /api/v1/me/sessions': {
    access: signedIn,
    valid: () => Promise.resolve({ url: '/api/v1/me/sessions' }),
  },
  'DELETE /api/v1/me/sessions/:sessionId': {
    access: signedIn,
    // Public session ids are the first 16 hex digits of the stored hash.
    missingParam: () => randomBytes(8).toString('hex'),
    valid: async ({ t, caller }) => {
      const other = await sessionFor(t, caller.user);
      return { url: `/api/v1/me/sessions/${other.sessionId.slice(0, 16)}` };
    },
    foreign: async ({ t, otherOrganizationId }) => {
      const someoneElse = await buildUser(t.db, { organizationId: otherOrganizationId });
      const theirs = await sessionFor(t, someoneElse);
      return { url: `/api/v1/me/sessions/${theirs.sessionId.slice(0, 16)}` };
    },
  },
  'POST /api/v1/me/sign-out-everywhere': {
    access: signedIn,
    valid: () => Promise.resolve({ url: '/api/v1/me/sign-out-everywhere' }),
  },
  'POST /api/v1/me/organization': {
    access: signedIn,
    valid: async ({ t, caller }) => {
      const second = await buildOrganization(t.db);
      await setRoles(t.db, caller.user.id, second.id, ['coach'], t.clock.now().toISOString());
      return { url: '/api/v1/me/organization', body: { organizationId: second.id } };
    },
    // An organization the caller does not belong to is as unknown as one that does not exist.
    foreign: ({ otherOrganizationId }) => Promise.resolve({ url: '/api/v1/me/organization', body: { organizationId: otherOrganizationId } }),
    missing: () => Promise.resolve({ url: '/api/v1/me/organization', body: { organizationId: randomUUID() } }),
    invalid: { body: { organizationId: 'harbor-light' }, path: 'organizationId' },
  },
  'PATCH /api/v1/me/preferences': {
    access: signedIn,
    valid: () => Promise.resolve({ url: '/api/v1/me/preferences', body: { locale: 'es' } }),
    invalid: { body: { locale: 'tlh' }, path: 'locale' },
  },

  // ---- organizations
  'GET /api/v1/organizations': {
    access: platformAdmin,
    valid: () => Promise.resolve({ url: '/api/v1/organizations' }),
  },
  'POST /api/v1/organizations': {
    access: platformAdmin,
    status: 201,
    valid: () => Promise.resolve({ url: '/api/v1/organizations', body: { name: `Northwind Recovery ${suffix()}`, timeZone: 'America/Chicago' } }),
    invalid: { body: { name: 'Northwind Recovery', timeZone: 'Central Time' }, path: 'timeZone' },
  },
  'GET /api/v1/organization': {
    access: can('organization.read'),
    valid: () => Promise.resolve({ url: '/api/v1/organization' }),
  },
  'PATCH /api/v1/organization': {
    access: can('organization.update'),
    valid: async ({ t, organizationId }) => ({
      url: '/api/v1/organization',
      body: { version: await version(findOrganization(t.db, organizationId)), name: 'Harbor Light Renamed' },
    }),
    invalid: { body: { version: 1, timeZone: 'Eastern' }, path: 'timeZone' },
  },

  // ---- programs
  'GET /api/v1/programs': {
    access: can('programs.read'),
    valid: () => Promise.resolve({ url: '/api/v1/programs' }),
  },
  'POST /api/v1/programs': {
    access: can('programs.manage'),
    status: 201,
    valid: () => Promise.resolve({ url: '/api/v1/programs', body: { name: 'ED peer support' } }),
    invalid: { body: { name: '   ' }, path: 'name' },
  },
  'GET /api/v1/programs/:id': {
    access: can('programs.read'),
    valid: async ({ t, organizationId }) => ({ url: `/api/v1/programs/${(await programOf(t, organizationId)).id}` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/programs/${(await programOf(t, otherOrganizationId)).id}` }),
  },
  'PATCH /api/v1/programs/:id': {
    access: can('programs.manage'),
    valid: async ({ t, organizationId }) => {
      const p = await programOf(t, organizationId);
      return { url: `/api/v1/programs/${p.id}`, body: { version: p.version, name: 'Renamed program' } };
    },
    foreign: async ({ t, otherOrganizationId }) => {
      const p = await programOf(t, otherOrganizationId);
      return { url: `/api/v1/programs/${p.id}`, body: { version: p.version, name: 'Renamed program' } };
    },
    invalid: { body: { version: 0, name: 'Renamed program' }, path: 'version' },
  },

  // ---- sites
  'GET /api/v1/sites': {
    access: can('sites.read'),
    valid: () => Promise.resolve({ url: '/api/v1/sites' }),
  },
  'POST /api/v1/sites': {
    access: can('sites.manage'),
    status: 201,
    valid: () => Promise.resolve({ url: '/api/v1/sites', body: { name: 'Mercy General ED', kind: 'emergency_department' } }),
    invalid: { body: { name: 'Mercy General ED', kind: 'spaceport' }, path: 'kind' },
  },
  'GET /api/v1/sites/:id': {
    access: can('sites.read'),
    valid: async ({ t, organizationId }) => ({ url: `/api/v1/sites/${(await siteOf(t, organizationId)).id}` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/sites/${(await siteOf(t, otherOrganizationId)).id}` }),
  },
  'PATCH /api/v1/sites/:id': {
    access: can('sites.manage'),
    valid: async ({ t, organizationId }) => {
      const s = await siteOf(t, organizationId);
      return { url: `/api/v1/sites/${s.id}`, body: { version: s.version, name: 'Renamed site' } };
    },
    foreign: async ({ t, otherOrganizationId }) => {
      const s = await siteOf(t, otherOrganizationId);
      return { url: `/api/v1/sites/${s.id}`, body: { version: s.version, name: 'Renamed site' } };
    },
    invalid: { body: { version: 1, timeZone: 'Mars/Olympus_Mons' }, path: 'timeZone' },
  },

  // ---- teams
  'GET /api/v1/teams': {
    access: can('teams.read'),
    valid: () => Promise.resolve({ url: '/api/v1/teams' }),
  },
  'POST /api/v1/teams': {
    access: can('teams.manage'),
    status: 201,
    valid: () => Promise.resolve({ url: '/api/v1/teams', body: { name: 'Night shift' } }),
    invalid: { body: { name: 'Night shift', memberUserIds: ['not-an-id'] }, path: 'memberUserIds.0' },
  },
  'GET /api/v1/teams/:id': {
    access: can('teams.read'),
    valid: async ({ t, organizationId }) => ({ url: `/api/v1/teams/${(await teamOf(t, organizationId)).id}` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/teams/${(await teamOf(t, otherOrganizationId)).id}` }),
  },
  'PATCH /api/v1/teams/:id': {
    access: can('teams.manage'),
    valid: async ({ t, organizationId }) => {
      const team = await teamOf(t, organizationId);
      return { url: `/api/v1/teams/${team.id}`, body: { version: team.version, name: 'Renamed team' } };
    },
    foreign: async ({ t, otherOrganizationId }) => {
      const team = await teamOf(t, otherOrganizationId);
      return { url: `/api/v1/teams/${team.id}`, body: { version: team.version, name: 'Renamed team' } };
    },
    invalid: { body: { version: 1, supervisorUserId: 'someone' }, path: 'supervisorUserId' },
  },

  // ---- users
  'GET /api/v1/users': {
    access: can('users.read'),
    valid: () => Promise.resolve({ url: '/api/v1/users' }),
  },
  'POST /api/v1/users': {
    access: can('users.manage'),
    status: 201,
    valid: () => Promise.resolve({ url: '/api/v1/users', body: { email: `new-${suffix()}@example.org`, displayName: 'Jordan Avery', roles: ['coach'] } }),
    invalid: { body: { email: 'jordan.example.org', displayName: 'Jordan Avery', roles: ['coach'] }, path: 'email' },
  },
  'GET /api/v1/users/:id': {
    access: can('users.read'),
    valid: async ({ t, organizationId }) => ({ url: `/api/v1/users/${(await personOf(t, organizationId)).id}` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/users/${(await personOf(t, otherOrganizationId)).id}` }),
  },
  'PATCH /api/v1/users/:id': {
    access: can('users.manage'),
    valid: async ({ t, organizationId }) => {
      const p = await personOf(t, organizationId);
      return { url: `/api/v1/users/${p.id}`, body: { version: p.version, displayName: 'Jordan A.' } };
    },
    foreign: async ({ t, otherOrganizationId }) => {
      const p = await personOf(t, otherOrganizationId);
      return { url: `/api/v1/users/${p.id}`, body: { version: p.version, displayName: 'Jordan A.' } };
    },
    invalid: { body: { version: 1, roles: ['wizard'] }, path: 'roles.0' },
  },
  'DELETE /api/v1/users/:id': {
    access: can('users.manage'),
    valid: async ({ t, organizationId }) => ({ url: `/api/v1/users/${(await personOf(t, organizationId)).id}` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/users/${(await personOf(t, otherOrganizationId)).id}` }),
  },
  'POST /api/v1/users/:id/password-reset': userAction('password-reset', 201),
  'POST /api/v1/users/:id/unlock': userAction('unlock', 200),
  'POST /api/v1/users/:id/sign-out-everywhere': userAction('sign-out-everywhere', 200),

  // ---- audit
  'POST /api/v1/audit/search': {
    access: can('audit.search'),
    valid: () => Promise.resolve({ url: '/api/v1/audit/search', body: { limit: 10 } }),
    invalid: { body: { limit: 0 }, path: 'limit' },
  },
  'GET /api/v1/audit/verify': {
    access: can('audit.verify'),
    valid: () => Promise.resolve({ url: '/api/v1/audit/verify' }),
  },

  // ---- participants and episodes
  'POST /api/v1/participants': {
    access: can('participants.create'),
    status: 201,
    valid: () => Promise.resolve({ url: '/api/v1/participants', body: { firstName: 'Rosa', intakeSetting: 'emergency_department', consentToFollowUp: true, consentWitnessName: 'Nurse Kim' } }),
    invalid: { body: { lastName: 'Lopez' }, path: 'firstName' },
  },
  'GET /api/v1/participants/:id': {
    access: can('participants.read'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/participants/${(await participantOf(t, organizationId, caller.user)).id}` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}` }),
  },
  'PATCH /api/v1/participants/:id': {
    access: can('participants.update'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/participants/${(await participantOf(t, organizationId, caller.user)).id}`, body: { version: 1, preferredName: 'Ro' } }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}`, body: { version: 1, preferredName: 'Ro' } }),
    invalid: { body: { version: 1, dateOfBirth: '1990-13-45' }, path: 'dateOfBirth' },
  },
  'POST /api/v1/participants/search': {
    access: can('participants.read'),
    valid: () => Promise.resolve({ url: '/api/v1/participants/search', body: { query: 'rosa' } }),
    invalid: { body: {}, path: 'query' },
  },
  'POST /api/v1/participants/duplicates': {
    access: can('participants.create'),
    valid: () => Promise.resolve({ url: '/api/v1/participants/duplicates', body: { firstName: 'Rosa', dateOfBirth: '1990-04-12' } }),
    invalid: { body: { firstName: 'Rosa' }, path: 'dateOfBirth' },
  },
  'GET /api/v1/participants/:id/episodes': {
    access: can('participants.read'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/participants/${(await participantOf(t, organizationId, caller.user)).id}/episodes` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}/episodes` }),
  },
  'POST /api/v1/participants/:id/episodes': {
    access: can('episodes.manage'),
    status: 201,
    valid: async ({ t, organizationId, caller }) => {
      const p = await participantOf(t, organizationId, caller.user);
      return { url: `/api/v1/participants/${p.id}/episodes`, body: { programId: await buildProgram(t.db, organizationId), siteId: p.siteId } };
    },
    foreign: async ({ t, organizationId, otherOrganizationId }) => ({
      url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}/episodes`,
      body: { programId: await buildProgram(t.db, organizationId), siteId: await buildSite(t.db, organizationId) },
    }),
    invalid: { body: { programId: 'not-an-id', siteId: randomUUID() }, path: 'programId' },
  },
  'PATCH /api/v1/episodes/:id': {
    access: can('episodes.manage'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/episodes/${(await participantOf(t, organizationId, caller.user)).episodeId}`, body: { version: 1, status: 'on_hold' } }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/episodes/${(await foreignParticipant(t, otherOrganizationId)).episodeId}`, body: { version: 1, status: 'on_hold' } }),
    invalid: { body: { version: 1, status: 'gone' }, path: 'status' },
  },
  'POST /api/v1/episodes/:id/reassign': {
    access: can('episodes.reassign'),
    valid: async ({ t, organizationId, caller }) => ({
      url: `/api/v1/episodes/${(await participantOf(t, organizationId, caller.user)).episodeId}/reassign`,
      body: { toCoachUserId: (await buildUser(t.db, { organizationId, roles: ['coach'] })).id, reason: 'Balancing caseloads' },
    }),
    foreign: async ({ t, organizationId, otherOrganizationId }) => ({
      url: `/api/v1/episodes/${(await foreignParticipant(t, otherOrganizationId)).episodeId}/reassign`,
      body: { toCoachUserId: (await buildUser(t.db, { organizationId, roles: ['coach'] })).id, reason: 'Balancing caseloads' },
    }),
    invalid: { body: { toCoachUserId: 'someone', reason: 'Balancing caseloads' }, path: 'toCoachUserId' },
  },
  'POST /api/v1/episodes/:id/transfer': {
    access: can('episodes.manage'),
    valid: async ({ t, organizationId, caller }) => ({
      url: `/api/v1/episodes/${(await participantOf(t, organizationId, caller.user)).episodeId}/transfer`,
      body: { toSiteId: await buildSite(t.db, organizationId), reason: 'Closer to home' },
    }),
    foreign: async ({ t, organizationId, otherOrganizationId }) => ({
      url: `/api/v1/episodes/${(await foreignParticipant(t, otherOrganizationId)).episodeId}/transfer`,
      body: { toSiteId: await buildSite(t.db, organizationId), reason: 'Closer to home' },
    }),
    invalid: { body: { toSiteId: randomUUID(), reason: '' }, path: 'reason' },
  },
  ...caseloadCases,
  ...consentCases,
  ...accessCases,
  ...careCases,
  ...encounterCases,
  ...edCases,
  ...outreachCases,
  ...directoryCases,
  ...directoryImportCases,
  ...appointmentsCases,
  ...moudCases,
  ...referralsCases,
  ...questionnairesCases,
  ...checkinsCases,
  ...recoveryPlansCases,
  ...copingPlansCases,
  ...participantLinksCases,
  ...researchExportCases,
  ...measuresCases,
  ...measuresReportCases,
  ...federalFollowUpCases,
  ...importsCases,
};

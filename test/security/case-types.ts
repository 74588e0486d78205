/**
 * What a route case is (see route-cases.ts), and the participants most cases need. Each module's
 * cases live in `cases/<module>.ts` and are gathered in route-cases.ts.
 */
import type { Access } from '../../src/server/platform/http/access.js';
import type { MfaState } from '../../src/server/platform/auth/sessions.js';
import type { TestApp, TestClient } from '../helpers/app.js';
import { buildEpisode, buildParticipant, buildSite, buildTeamAt, buildUser, type BuiltUser } from '../helpers/factories.js';

export interface CaseContext {
  t: TestApp;
  /** The caller's organization: valid requests point at records made here. */
  organizationId: string;
  /** Another organization, for requests that reach across the tenant boundary. */
  otherOrganizationId: string;
  /** Who the matrix calls as (for public routes: a person who exists, with no session in use). */
  caller: { user: BuiltUser; client: TestClient; sessionId: string };
}

export interface CaseRequest {
  url: string;
  body?: unknown;
}

export interface RouteCase {
  access: Access;
  valid: (ctx: CaseContext) => Promise<CaseRequest>;
  status?: number;
  /** When the valid request cannot succeed in a shared database, the error code it answers instead. */
  code?: string;
  foreign?: (ctx: CaseContext) => Promise<CaseRequest>;
  /** A value for each route parameter that names nothing (default: a random UUID). */
  missingParam?: () => string;
  /** For a record named in the body rather than the URL: the request naming nothing. */
  missing?: (ctx: CaseContext) => Promise<CaseRequest>;
  invalid?: { body: unknown; path: string };
  caller?: { mfa?: boolean; mfaState?: MfaState };
}

/**
 * A participant the caller may see whatever role grants them the route: enrolled, unassigned, at
 * the site of a team the caller belongs to (and supervises, when a supervisor).
 */
export const participantOf = async (t: TestApp, org: string, caller: BuiltUser) => {
  const siteId = await buildSite(t.db, org);
  await buildTeamAt(t.db, org, { siteId, supervisorUserId: caller.roles.includes('supervisor') ? caller.id : null, memberUserIds: [caller.id] });
  const id = await buildParticipant(t.db, { organizationId: org, createdBy: caller.id });
  const episode = await buildEpisode(t.db, { organizationId: org, participantId: id, createdBy: caller.id, siteId });
  return { id, episodeId: episode.id, siteId };
};
/** An enrolled participant of another organization. */
export const foreignParticipant = async (t: TestApp, org: string) => {
  const someone = await buildUser(t.db, { organizationId: org, roles: ['coach'] });
  const id = await buildParticipant(t.db, { organizationId: org, createdBy: someone.id });
  const episode = await buildEpisode(t.db, { organizationId: org, participantId: id, createdBy: someone.id, assignedCoachUserId: someone.id });
  return { id, episodeId: episode.id };
};


/**
 * Factories: real rows through the real repositories, with sensible defaults. Each test makes its
 * own organization, so tests never depend on each other.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/server/platform/db/database.js';
import type { Role } from '../../src/contracts/roles.js';
import { insertOrganization, insertSite, insertProgram, insertTeam, setTeamMembers } from '../../src/server/modules/organizations/organizations.repository.js';
import { insertUser, setRoles, updateUser } from '../../src/server/modules/users/users.repository.js';
import { hashPassword } from '../../src/server/platform/auth/passwords.js';
import { newTotpSecret } from '../../src/server/platform/auth/totp.js';
import type { TestApp, TestClient } from './app.js';
import { insertEpisode, insertParticipant, type ParticipantValues } from '../../src/server/modules/participants/participants.repository.js';

export const DEFAULT_PASSWORD = 'correct horse battery staple';

let defaultHash: Promise<string> | undefined;
const passwordHashFor = (password: string) => (password === DEFAULT_PASSWORD ? (defaultHash ??= hashPassword(DEFAULT_PASSWORD)) : hashPassword(password));

const unique = () => randomBytes(4).toString('hex');
const NOW = () => new Date().toISOString();

export async function buildOrganization(db: Db, o: { name?: string; timeZone?: string; requireMfa?: boolean } = {}): Promise<{ id: string; name: string; timeZone: string }> {
  const name = o.name ?? `Harbor Light Recovery ${unique()}`;
  const timeZone = o.timeZone ?? 'America/New_York';
  const id = await insertOrganization(db, { name, timeZone, requireMfa: o.requireMfa ?? false, now: NOW() });
  return { id, name, timeZone };
}

export interface BuiltUser {
  id: string;
  email: string;
  password: string;
  organizationId: string;
  roles: Role[];
  mfaSecret: string | undefined;
}

export async function buildUser(
  db: Db,
  u: { organizationId: string; roles?: Role[]; email?: string; displayName?: string; password?: string; mfa?: boolean; platformAdmin?: boolean },
): Promise<BuiltUser> {
  const password = u.password ?? DEFAULT_PASSWORD;
  const email = u.email ?? `staff-${unique()}@example.org`;
  const roles = u.roles ?? ['coach'];
  const now = NOW();
  const id = await insertUser(db, {
    email,
    displayName: u.displayName ?? `Test Person ${unique()}`,
    passwordHash: await passwordHashFor(password),
    isPlatformAdmin: u.platformAdmin ?? false,
    now,
  });
  await setRoles(db, id, u.organizationId, roles, now);
  let mfaSecret: string | undefined;
  if (u.mfa) {
    mfaSecret = newTotpSecret();
    await updateUser(db, id, { mfaSecret, mfaEnabled: true }, now);
  }
  return { id, email, password, organizationId: u.organizationId, roles, mfaSecret };
}

export async function buildSite(db: Db, organizationId: string, s: { name?: string; kind?: string } = {}): Promise<string> {
  return insertSite(
    db,
    organizationId,
    { name: s.name ?? `Site ${unique()}`, kind: (s.kind ?? 'emergency_department') as never, programId: null, timeZone: null, address: null },
    NOW(),
  );
}

export async function buildProgram(db: Db, organizationId: string): Promise<string> {
  return insertProgram(db, organizationId, { name: `Program ${unique()}`, description: null }, NOW());
}

export async function buildTeam(db: Db, organizationId: string, t: { supervisorUserId?: string | null; memberUserIds?: string[] } = {}): Promise<string> {
  const id = await insertTeam(db, organizationId, { name: `Team ${unique()}`, siteId: null, supervisorUserId: t.supervisorUserId ?? null }, NOW());
  await setTeamMembers(db, organizationId, id, t.memberUserIds ?? [], NOW());
  return id;
}

/** Sign a client in with email and password; throws if the server refuses. */
export async function signIn(client: TestClient, user: { email: string; password: string }): Promise<void> {
  const res = await client.post('/api/v1/auth/sign-in', { email: user.email, password: user.password });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
}

/** A new organization with a signed-in user holding `roles`. */
export async function signedInAs(t: TestApp, roles: Role[], org?: { id: string }): Promise<{ client: TestClient; user: BuiltUser; organizationId: string }> {
  const organizationId = org?.id ?? (await buildOrganization(t.db)).id;
  const user = await buildUser(t.db, { organizationId, roles });
  const client = t.client();
  await signIn(client, user);
  return { client, user, organizationId };
}

/** A participant made by `createdBy` (a brief intake by default), through the real repository. */
export async function buildParticipant(
  db: Db,
  p: { organizationId: string; createdBy: string; values?: ParticipantValues },
): Promise<string> {
  return insertParticipant(db, {
    organizationId: p.organizationId,
    createdBy: p.createdBy,
    values: { firstName: 'Rosa', lastName: `Test${unique()}`, ...p.values },
    now: NOW(),
  });
}

/** An active episode (program and site made when not given), assigned to `assignedCoachUserId` or to no one. */
export async function buildEpisode(
  db: Db,
  e: { organizationId: string; participantId: string; createdBy: string; programId?: string; siteId?: string; assignedCoachUserId?: string | null; startDate?: string },
): Promise<{ id: string; programId: string; siteId: string }> {
  const programId = e.programId ?? (await buildProgram(db, e.organizationId));
  const siteId = e.siteId ?? (await buildSite(db, e.organizationId));
  const id = await insertEpisode(db, {
    organizationId: e.organizationId,
    participantId: e.participantId,
    programId,
    siteId,
    startDate: e.startDate ?? '2026-11-01',
    referralSource: null,
    assignedCoachUserId: e.assignedCoachUserId ?? null,
    createdBy: e.createdBy,
    now: NOW(),
  });
  return { id, programId, siteId };
}

/** A team at a site, with a supervisor and members. */
export async function buildTeamAt(db: Db, organizationId: string, t: { siteId: string; supervisorUserId?: string | null; memberUserIds?: string[] }): Promise<string> {
  const id = await insertTeam(db, organizationId, { name: `Team ${unique()}`, siteId: t.siteId, supervisorUserId: t.supervisorUserId ?? null }, NOW());
  await setTeamMembers(db, organizationId, id, t.memberUserIds ?? [], NOW());
  return id;
}

/**
 * A small, clearly fictional program for demos: one organization with sites, a program, a team,
 * and one person per role. Passwords are random and printed once. Later capabilities extend
 * this seed (participants, encounters, …) as they land.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { Db } from '../../platform/db/database.js';
import type { Clock } from '../../platform/clock.js';
import type { Role } from '../../../contracts/roles.js';
import { appendAudit } from '../../platform/audit/audit.js';
import { hashPassword } from '../../platform/auth/passwords.js';
import { insertOrganization, insertProgram, insertSite, insertTeam, listOrganizations, setTeamMembers } from '../organizations/organizations.repository.js';
import { insertUser, setRoles } from '../users/users.repository.js';

export const DEMO_DATABASE_URL = 'sqlite:./data/demo.db';
export const DEMO_ORGANIZATION = 'Northstar Peer Recovery (demo)';

export interface DemoLogin {
  role: Role;
  email: string;
  password: string;
}

const PEOPLE: { role: Role; name: string; email: string }[] = [
  { role: 'admin', name: 'Avery Demo-Admin', email: 'admin@demo.lodestar.invalid' },
  { role: 'privacy_officer', name: 'Parker Demo-Privacy', email: 'privacy@demo.lodestar.invalid' },
  { role: 'program_manager', name: 'Morgan Demo-Manager', email: 'manager@demo.lodestar.invalid' },
  { role: 'supervisor', name: 'Sam Demo-Supervisor', email: 'supervisor@demo.lodestar.invalid' },
  { role: 'coach', name: 'Casey Demo-Coach', email: 'coach@demo.lodestar.invalid' },
  { role: 'coach', name: 'Jordan Demo-Coach', email: 'coach2@demo.lodestar.invalid' },
  { role: 'partner', name: 'Riley Demo-Partner', email: 'partner@demo.lodestar.invalid' },
];

/** Three random words and a number: easy to type on a phone, far from any common password. */
function demoPassword(): string {
  const words = ['harbor', 'lantern', 'meadow', 'compass', 'river', 'summit', 'anchor', 'willow', 'beacon', 'orchard', 'prairie', 'canyon'];
  const b = randomBytes(4);
  return `${words[b[0]! % words.length]}-${words[b[1]! % words.length]}-${words[b[2]! % words.length]}-${(b[3]! % 90) + 10}`;
}

/** Remove an earlier demo database file so every demo starts fresh. */
export function resetDemoFile(url: string): void {
  if (!url.startsWith('sqlite:')) return;
  const file = url.slice('sqlite:'.length);
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
}

export async function seedDemo(db: Db, clock: Clock): Promise<DemoLogin[]> {
  const real = await db.selectFrom('users').select('id').where('email', 'not like', '%@demo.lodestar.invalid').limit(1).execute();
  if (real.length > 0) {
    throw new Error('This database holds real accounts; demo people with printed passwords never go into it. Use `npm run demo`, which uses its own database.');
  }
  if ((await listOrganizations(db)).some((o) => o.name === DEMO_ORGANIZATION)) {
    throw new Error('This database already holds the demo program. Use `lodestar demo`, which starts from a fresh demo database.');
  }
  const logins = PEOPLE.map((p) => ({ role: p.role, email: p.email, password: demoPassword() }));
  const hashes = await Promise.all(logins.map((l) => hashPassword(l.password)));
  await db.transaction().execute(async (trx) => {
    const now = clock.now().toISOString();
    const orgId = await insertOrganization(trx, { name: DEMO_ORGANIZATION, timeZone: 'America/New_York', requireMfa: false, now });
    const programId = await insertProgram(trx, orgId, { name: 'ED Peer Bridge', description: 'Peer recovery coaches in the emergency department, with follow-up for 90 days.' }, now);
    const edId = await insertSite(trx, orgId, { name: 'Riverside General — Emergency Department', kind: 'emergency_department', programId, timeZone: null, address: '100 Example Avenue, Springfield' }, now);
    await insertSite(trx, orgId, { name: 'Harbor Street Recovery Community Center', kind: 'rco', programId, timeZone: null, address: '22 Harbor Street, Springfield' }, now);
    await insertSite(trx, orgId, { name: 'Northstar Telehealth', kind: 'telehealth', programId, timeZone: 'America/Chicago', address: null }, now);
    const ids: string[] = [];
    for (const [i, p] of PEOPLE.entries()) {
      const id = await insertUser(trx, { email: p.email, displayName: p.name, passwordHash: hashes[i]!, isPlatformAdmin: false, now });
      await setRoles(trx, id, orgId, [p.role], now);
      ids.push(id);
    }
    const supervisorId = ids[PEOPLE.findIndex((p) => p.role === 'supervisor')]!;
    const coachIds = PEOPLE.flatMap((p, i) => (p.role === 'coach' ? [ids[i]!] : []));
    const teamId = await insertTeam(trx, orgId, { name: 'ED Bridge Team', siteId: edId, supervisorUserId: supervisorId }, now);
    await setTeamMembers(trx, orgId, teamId, coachIds, now);
    await appendAudit(trx, clock, [
      { organizationId: orgId, actorUserId: null, action: 'demo.seed', outcome: 'success', targetType: 'organization', targetIds: [orgId] },
    ]);
  });
  return logins;
}

/**
 * A small, clearly fictional program for demos: one organization with sites, a program, a team,
 * one person per role, and a few fictional participants on the coaches' caseloads — made through
 * the real use cases (brief and full intake, consents, life events, follow-ups), so the demo shows
 * what the app does and every row is audited like any other. Passwords are random and printed
 * once. Later capabilities extend this seed as they land: a small fictional directory around the
 * ED, and a referral waiting in the demo partner's inbox.
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
import type { Ctx } from '../../platform/http/context.js';
import type { Tx } from '../../platform/db/database.js';
import { BriefIntakeBody, UpdateParticipantBody } from '../../../contracts/participants.js';
import { CreateConsentBody } from '../../../contracts/consents.js';
import { CreateLifeEventBody, CreateTodoBody } from '../../../contracts/care.js';
import { createParticipant, updateParticipant } from '../participants/participants.usecases.js';
import { createConsent } from '../consents/consents.usecases.js';
import { createFollowUp, createLifeEvent } from '../care/care.usecases.js';
import { localDate } from '../../platform/time.js';
import { generateDirectory } from '../directory/directory.generate.js';
import { setSitePoint } from '../directory/directory.repository.js';
import { CreateReferralBody } from '../../../contracts/referrals.js';
import { createReferral } from '../referrals/referrals.usecases.js';
import { setPartnerLink } from '../referrals/referrals.repository.js';

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
    // A fictional directory around the ED (in Alder Falls), and the demo partner receiving for a
    // clinic there that starts buprenorphine.
    await generateDirectory(trx, orgId, { services: 150, seed: 5 });
    await setSitePoint(trx, orgId, edId, { latitude: 40.27, longitude: -76.88 }, null, now);
    const clinic = await trx
      .selectFrom('directory_services as s')
      .innerJoin('directory_organizations as o', 'o.id', 's.directory_organization_id')
      .innerJoin('directory_search_rows as r', 'r.service_id', 's.id')
      .select(['s.id as serviceId', 'o.id as orgId', 'r.latitude', 'r.longitude', 's.service_types'])
      .where('s.organization_id', '=', orgId)
      .where('o.type', '=', 'treating_provider')
      .where('s.service_types', 'like', '%buprenorphine%')
      .where('s.insurance', 'like', '%medicaid%')
      .execute();
    const near = (r: { latitude: number | null; longitude: number | null }) => ((r.latitude ?? 0) - 40.27) ** 2 + ((r.longitude ?? 0) + 76.88) ** 2;
    // Nearest, preferring a clinic that starts buprenorphine the same day over a residential program.
    const rank = (r: { service_types: string }) => (r.service_types.includes('same_day_induction') ? 0 : r.service_types.includes('residential') ? 2 : 1);
    const chosen = clinic.sort((a, b) => rank(a) - rank(b) || near(a) - near(b))[0]!;
    const partnerId = ids[PEOPLE.findIndex((p) => p.role === 'partner')]!;
    await setPartnerLink(trx, orgId, partnerId, chosen.orgId, partnerId, now);
    await seedParticipants(trx, clock, { organizationId: orgId, programId, siteId: edId, coachIds: coachIds as [string, string], clinicServiceId: chosen.serviceId });
    await appendAudit(trx, clock, [
      { organizationId: orgId, actorUserId: null, action: 'demo.seed', outcome: 'success', targetType: 'organization', targetIds: [orgId] },
    ]);
  });
  return logins;
}

/** A use-case context acting as one of the demo coaches, inside the seed's transaction. */
function coachContext(trx: Tx, clock: Clock, organizationId: string, userId: string): Ctx {
  return {
    db: trx,
    clock,
    actor: { userId, organizationId, roles: ['coach'], isPlatformAdmin: false, sessionId: 'demo-seed' },
    audit: (e) => appendAudit(trx, clock, [{ ...e, outcome: e.outcome ?? 'success', organizationId: e.organizationId ?? organizationId, actorUserId: userId }]),
    auditDenied: () => undefined,
  };
}

/**
 * Six fictional people (phones in the 555-01xx range kept for fiction), enough to show the
 * caseload's signals: a recent overdose, an emergency department visit, a milestone coming, a
 * follow-up overdue, no consent to follow-up on file, and someone on the second coach's caseload.
 */
async function seedParticipants(trx: Tx, clock: Clock, o: { organizationId: string; programId: string; siteId: string; coachIds: [string, string]; clinicServiceId: string }): Promise<void> {
  const casey = coachContext(trx, clock, o.organizationId, o.coachIds[0]);
  const jordan = coachContext(trx, clock, o.organizationId, o.coachIds[1]);
  const today = localDate(clock.now(), 'America/New_York');
  const day = (n: number) => new Date(Date.parse(`${today}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  const enroll = { programId: o.programId, siteId: o.siteId };
  const verbal = { consentToFollowUp: true, consentWitnessName: 'Pat Demo-Nurse' };

  const jamie = await createParticipant(casey, BriefIntakeBody.parse({ firstName: 'Jamie', lastName: 'Rivera', ageAtIntake: 29, phone: '555-201-0142', preferredContactMethod: 'text', intakeSetting: 'emergency_department', referralSource: 'ED nurse', ...verbal, ...enroll }));
  await createLifeEvent(casey, jamie.id, CreateLifeEventBody.parse({ kind: 'ed_visit', occurredOn: day(-1), source: 'records' }));
  await createFollowUp(casey, jamie.id, CreateTodoBody.parse({ dueOn: day(1), title: 'Call to check in after the clinic visit', clearsOn: 'contact_reached' }));

  const marcus = await createParticipant(casey, BriefIntakeBody.parse({ firstName: 'Marcus', lastName: 'Hill', dateOfBirth: '1991-03-08', phone: '555-201-0157', preferredContactMethod: 'phone', intakeSetting: 'emergency_department', ...verbal, ...enroll }));
  await createLifeEvent(casey, marcus.id, CreateLifeEventBody.parse({ kind: 'overdose', occurredOn: day(-10), source: 'participant_reported' }));
  await createConsent(
    casey,
    marcus.id,
    CreateConsentBody.parse({
      kind: 'disclosure_tpo',
      categories: ['demographics_contact', 'moud', 'encounter_summaries'],
      recipients: [{ kind: 'class', class: 'treating_providers' }, { kind: 'class', class: 'health_plans' }],
      purposes: ['treatment', 'payment', 'operations'],
      expirationEvent: 'none',
      rightToRevokeExplained: true,
      redisclosureStatementGiven: true,
      refusalConsequencesExplained: true,
      signedOn: today,
      signature: { method: 'typed', data: 'Marcus Hill', attested: true, signerRole: 'participant', signerName: 'Marcus Hill' },
    }),
  );
  // Sent to the demo partner's clinic under that consent: the partner's inbox has it waiting.
  await createReferral(
    casey,
    marcus.id,
    CreateReferralBody.parse({ directoryServiceId: o.clinicServiceId, reason: 'Wants to start buprenorphine this week', urgency: 'urgent', send: true, categories: ['demographics_contact', 'moud'], notesForReceiver: 'Best reached by phone after 10 AM.' }),
  );

  const rosa = await createParticipant(casey, BriefIntakeBody.parse({ firstName: 'Rosa', lastName: 'Núñez', dateOfBirth: '1984-11-30', phone: '555-201-0163', preferredContactMethod: 'text', intakeSetting: 'rco', ...verbal, ...enroll }));
  await updateParticipant(
    casey,
    rosa.id,
    UpdateParticipantBody.parse({
      version: rosa.version,
      intakeLevel: 'full',
      preferredName: 'Rosie',
      pronouns: 'she/her',
      language: 'Spanish',
      hasOud: true,
      hasOudSource: 'participant_reported',
      currentMoud: 'buprenorphine',
      moudSource: 'participant_reported',
      recoveryStartDate: day(-87),
      strengthsAndHopes: 'Wants to get back to work at the bakery and see her kids on weekends.',
    }),
  );

  const dee = await createParticipant(casey, BriefIntakeBody.parse({ alias: 'Dee', ageAtIntake: 41, intakeSetting: 'emergency_department', consentToFollowUp: false, ...enroll }));
  await createFollowUp(casey, dee.id, CreateTodoBody.parse({ dueOn: today, severity: 'high', title: 'Ask again about staying in touch' }));

  await createParticipant(jordan, BriefIntakeBody.parse({ firstName: 'Tyrone', lastName: 'Baker', ageAtIntake: 52, phone: '555-201-0171', preferredContactMethod: 'phone', intakeSetting: 'outpatient', ...verbal, ...enroll }));
  await createParticipant(jordan, BriefIntakeBody.parse({ firstName: 'Linh', lastName: 'Tran', ageAtIntake: 24, intakeSetting: 'community', ...verbal, ...enroll }));
}

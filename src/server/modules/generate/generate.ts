/**
 * Synthetic data at scale, for benchmarks and trying the app with a realistic volume: one clearly
 * fictional organization with a program, sites, teams of coaches and supervisors, and N
 * participants, each with one episode of care, their consents, life events, to-dos and
 * encounters; a fictional resource directory (`generateDirectory`), partner accounts for a few
 * treating providers in it, appointments, MOUD courses with fills and OTP enrollment periods, and
 * closed-loop referrals (`generate.navigation.ts`). Deterministic for a seed: names, dates of
 * birth, phones, settings, assignments, dates and statuses, and with the same clock the bulk rows'
 * ids too (`generate.ids.ts`; the few rows the repositories and `generateDirectory` write get
 * random ids, and the directory's timestamps are the system's). Names come from short fixed lists
 * of common names, and every phone number is in the 555-0100…555-0199 range reserved for fiction.
 * Rows go in with multi-row inserts inside one transaction — on SQLite given the raw handle
 * (`opts.sqlite`), through prepared statements with foreign-key checks, measure triggers and
 * (for a new database) syncing held off until the load is done (generate.bulk.ts) — and one
 * `generate.run` audit event records what was made.
 */
import type { Db, Tx } from '../../platform/db/database.js';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/tables.js';
import { CompiledQuery, type Insertable } from 'kysely';
import type { SiteKind } from '../organizations/organizations.types.js';
import { Phone } from '../../../contracts/participants.js';
import { appendAudit, GENESIS_HASH } from '../../platform/audit/audit.js';
import { buildAudit } from './generate.audit.js';
import { hashPassword } from '../../platform/auth/passwords.js';
import { generatedIds } from './generate.ids.js';
import { insertOrganization, insertProgram, insertSite, insertTeam, listOrganizations, setTeamMembers } from '../organizations/organizations.repository.js';
import { insertUser, setRoles } from '../users/users.repository.js';
import { searchKey, nameTokens } from '../participants/participants.repository.js';
import { endOfLocalDay } from '../care/local-time.js';
import { generateDirectory } from '../directory/directory.generate.js';
import type { ConsentRecord } from '../consents/consents.repository.js';
import { buildNavigation, type DirectoryService, type NavigationCounts, type NavPerson } from './generate.navigation.js';
import { buildStory, emptyStoryCounts, type StoryCounts, type StoryRows } from './generate.outcomes.js';
import { localDate } from '../../platform/time.js';
import { LOADED_TABLES, withDeferredIndexes } from './generate.indexes.js';
import { analyzeLoaded, batchRows, raiseYoungGeneration, withBulkLoad, type SqliteBulkWriter } from './generate.bulk.js';
import type SQLite from 'better-sqlite3';

const GENERATED_TIME_ZONE = 'America/New_York';

export const GENERATED_ORGANIZATION = 'Generated Recovery Network (synthetic)';
export const GENERATED_DOMAIN = 'generated.lodestar.invalid';
const DEMO_DOMAIN = 'demo.lodestar.invalid';

export interface GenerateOptions {
  participants: number;
  seed: number;
  /** Every generated account gets this password. */
  password: string;
  /** Services in the generated directory (default: one per 10 participants, at least 50). */
  directoryServices?: number;
  /** Partner accounts, one per treating-provider directory organization (default: one per 500 participants, 3 to 50). */
  partners?: number;
  /** Years of history: episodes start up to this long ago (default 1). */
  years?: number;
  /** Participants per coach (default 50). */
  participantsPerCoach?: number;
  /** Appointments and referrals per person, as multiples of the one-year defaults (default 1 each). */
  volume?: { appointments?: number; referrals?: number };
  /**
   * One organization of a network (generate.scale.ts): its number (0-based) and how many there
   * are. With more than one, names and logins carry the number (`Generated Recovery Network 03
   * (synthetic)`, `o03-coach-0001@…`), and only the first checks the database is new.
   */
  organization?: { index: number; count: number };
  /** Refresh the planner's statistics when done (default true; a network does it once at the end). */
  analyze?: boolean;
  /** Build the loaded tables' secondary indexes after loading (default true; a network does it once for all). */
  deferIndexes?: boolean;
  /**
   * SQLite: the database's better-sqlite3 handle (`DatabaseHandle.sqlite`). With it rows go in
   * through prepared statements on the handle and the load runs with the bulk settings of
   * generate.bulk.ts; without it (and on PostgreSQL) through Kysely. Same rows either way.
   */
  sqlite?: SQLite.Database;
  /** Write the audit events the generated writes imply (default true; false only to measure without them). */
  audit?: boolean;
  /** The bulk writer `withBulkLoad` made (a network shares one across organizations); set by generateProgram and generateNetwork. */
  writer?: SqliteBulkWriter;
}

export interface GenerateCounts extends NavigationCounts, StoryCounts {
  sites: number;
  teams: number;
  coaches: number;
  supervisors: number;
  participants: number;
  fullIntakes: number;
  episodes: number;
  activeEpisodes: number;
  consents: number;
  todos: number;
  directoryOrganizations: number;
  directoryServices: number;
  /** Audit events the generated writes imply (the run's own `generate.run` aside), and their target rows (generate.audit.ts). */
  auditEvents: number;
  auditTargets: number;
  /** Every row written (directory, search and audit rows included), for rows per second. */
  rows: number;
}

export interface GenerateResult {
  organizationId: string;
  organizationName: string;
  managerEmail: string;
  adminEmail: string;
  coachEmails: string[];
  supervisorEmails: string[];
  /** Partner logins (each receives for one directory organization), the one with the most sent referrals first. */
  partnerEmails: string[];
  counts: GenerateCounts;
  seconds: number;
}

/** mulberry32: a tiny, good-enough seeded PRNG (uniform in [0, 1)). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
function weighted<T extends string>(rng: Rng, table: readonly (readonly [T, number])[]): T {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let r = rng() * total;
  for (const [v, w] of table) {
    r -= w;
    if (r < 0) return v;
  }
  return table[table.length - 1]![0];
}

const FIRST_NAMES = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Barbara', 'Richard', 'Susan',
  'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Christopher', 'Karen', 'Charles', 'Lisa', 'Daniel', 'Nancy', 'Matthew', 'Betty', 'Anthony', 'Sandra',
  'Mark', 'Ashley', 'Donald', 'Kimberly', 'Steven', 'Emily', 'Andrew', 'Donna', 'Joshua', 'Michelle', 'Kevin', 'Carol', 'Brian', 'Amanda',
  'Jose', 'Maria', 'Luis', 'Ana', 'Carlos', 'Rosa', 'Juan', 'Sofia', 'Tyrone', 'Keisha', 'Darnell', 'Aaliyah', 'Minh', 'Linh', 'Wei', 'Mei',
  'Jordan', 'Taylor', 'Casey', 'Riley', 'Alex', 'Morgan', 'Jamie', 'Avery',
] as const;
const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez',
  'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark',
  'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green',
  'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts', 'Gomez', 'Phillips', 'Evans', 'Turner', 'Diaz',
  'Parker', 'Cruz', 'Edwards', 'Collins', 'Reyes', 'Stewart', 'Morris', 'Morales', 'Murphy', 'Cook', 'Rogers', 'Gutierrez', 'Ortiz', 'Morgan',
  'Cooper', 'Peterson', 'Bailey', 'Reed', 'Kelly', 'Howard', 'Ramos', 'Kim', 'Cox', 'Ward', 'Richardson', 'Watson', 'Brooks', 'Chavez', 'Wood',
  "O'Brien", 'Núñez', 'Peña', 'Tran', 'Le', 'Pham', 'Begay', 'Yazzie',
] as const;
const NICKNAMES = ['J', 'Red', 'Sunny', 'Bird', 'Chief', 'Smiley', 'Tiny', 'Doc'] as const;
/** Area codes in use across the US; the exchange is always 555 and the line 0100–0199 (fiction). */
const AREA_CODES = ['201', '212', '215', '305', '312', '404', '412', '415', '503', '505', '602', '614', '617', '702', '713', '808', '904', '919', '973'] as const;
const SITE_KINDS: readonly SiteKind[] = ['emergency_department', 'rco', 'outpatient_clinic'];
const SITE_LABEL: Record<string, string> = { emergency_department: 'Emergency Department', rco: 'Recovery Community Center', outpatient_clinic: 'Outpatient Clinic' };
const TOWNS = ['Springfield', 'Riverton', 'Fairview', 'Lakeside', 'Maple Grove', 'Cedar Falls', 'Brookhaven', 'Oak Ridge'] as const;

const INTAKE_SETTINGS = [
  ['emergency_department', 38], ['rco', 16], ['outpatient', 14], ['community', 10], ['hospital', 8], ['jail_or_court', 6], ['telehealth', 4], ['residential', 3], ['other', 1],
] as const;
const CONTACT_METHODS = [['phone', 45], ['text', 35], ['in_person', 10], ['email', 4], ['none', 6]] as const;
const REFERRALS = [['Emergency department physician', 35], ['Self', 20], ['Family member', 12], ['Outpatient clinic', 10], ['Drug court', 8], ['Outreach team', 10], ['Shelter staff', 5]] as const;
const DISCHARGE_REASONS = [['goals_met', 35], ['lost_contact', 30], ['declined_further_services', 12], ['transferred', 10], ['moved', 6], ['incarcerated', 4], ['other', 3]] as const;
const HOUSING = [['stable', 40], ['unstably_housed', 25], ['homeless_sheltered', 15], ['homeless_unsheltered', 12], ['institution', 3], ['unknown', 5]] as const;
const INSURANCE = [['medicaid', 55], ['medicare', 8], ['private', 12], ['uninsured', 15], ['pending_application', 5], ['unknown', 5]] as const;
const SUBSTANCE = [['opioids_fentanyl', 40], ['opioids_heroin', 12], ['opioids_prescription', 6], ['stimulants_methamphetamine', 14], ['stimulants_cocaine', 8], ['alcohol', 15], ['cannabis', 2], ['benzodiazepines', 2], ['unknown', 1]] as const;
const MOUD = [['none', 45], ['buprenorphine', 30], ['methadone', 15], ['naltrexone', 5], ['unknown', 5]] as const;
const EMPLOYMENT = [['unemployed_looking', 30], ['unemployed_not_looking', 15], ['part_time', 15], ['full_time', 15], ['disabled', 12], ['student', 3], ['retired', 5], ['unknown', 5]] as const;
const RACE = [['white', 55], ['black_or_african_american', 25], ['american_indian_or_alaska_native', 5], ['asian', 4], ['native_hawaiian_or_pacific_islander', 1], ['prefer_not_to_say', 10]] as const;
const ETHNICITY = [['not_hispanic_or_latino', 75], ['hispanic_or_latino', 18], ['prefer_not_to_say', 7]] as const;
const SEX = [['male', 58], ['female', 40], ['intersex', 1], ['prefer_not_to_say', 1]] as const;
const PRONOUNS = [['he/him', 55], ['she/her', 38], ['they/them', 7]] as const;
const LANGUAGES = [['English', 85], ['Spanish', 11], ['Vietnamese', 2], ['Navajo', 2]] as const;

/**
 * Multi-row inserts. On SQLite with the raw handle (`opts.sqlite`), through the bulk writer's
 * prepared statements (generate.bulk.ts). Otherwise Kysely compiles the first statement of each
 * shape; the same SQL then runs with each batch's values (compiling every batch again was a tenth
 * of the generator's time). A batch with a row that leaves a column out goes through Kysely as it
 * is (its DEFAULT applies). Both paths write the same rows (generate.bulk.test.ts).
 */
async function insertInBatches<T extends keyof Database>(trx: Tx, table: T, rows: Insertable<Database[T]>[], writer?: SqliteBulkWriter): Promise<number> {
  if (rows.length === 0) return 0;
  writer?.track(table, rows);
  if (writer?.insert(table, rows)) return rows.length;
  const size = batchRows(Object.keys(rows[0]!).length);
  const compiled = new Map<number, { sql: string; columns: string[] }>();
  for (let i = 0; i < rows.length; i += size) {
    const batch = rows.slice(i, i + size);
    let shape = compiled.get(batch.length);
    if (!shape) {
      const text = trx.insertInto(table).values(batch).compile().sql;
      const list = text.slice(text.indexOf('(') + 1, text.indexOf(') values'));
      shape = { sql: text, columns: list.split(', ').map((c) => c.slice(1, -1)) };
      compiled.set(batch.length, shape);
    }
    const params: unknown[] = [];
    let complete = true;
    for (const row of batch as Record<string, unknown>[]) {
      for (const c of shape.columns) {
        const v = row[c];
        if (v === undefined) complete = false;
        params.push(v);
      }
      if (!complete || Object.keys(row).length !== shape.columns.length) {
        complete = false;
        break;
      }
    }
    if (complete) await trx.executeQuery(CompiledQuery.raw(shape.sql, params));
    else await trx.insertInto(table).values(batch).execute();
  }
  return rows.length;
}

/** The external ids `generateDirectory` gives (`gen-o-12`, `gen-s-340`) in the order it made them. */
const externalOrder = (id: string | null): number => Number(id?.slice(id.lastIndexOf('-') + 1) ?? 0);

/** The generated directory as the navigation builder needs it: services with their organization and first place, in generation order. */
async function readDirectory(trx: Tx, organizationId: string): Promise<{ services: DirectoryService[]; rows: number }> {
  const orgs = await trx.selectFrom('directory_organizations').select(['id', 'name', 'type']).where('organization_id', '=', organizationId).execute();
  const byId = new Map(orgs.map((o) => [o.id, { id: o.id, name: o.name, type: o.type }]));
  const services = await trx
    .selectFrom('directory_services')
    .select(['id', 'name', 'directory_organization_id', 'service_types', 'external_id'])
    .where('organization_id', '=', organizationId)
    .execute();
  const places = await trx
    .selectFrom('directory_service_at_location as sal')
    .innerJoin('directory_locations as l', 'l.id', 'sal.location_id')
    .select(['sal.service_id', 'l.address_1', 'l.city', 'l.external_id'])
    .where('sal.organization_id', '=', organizationId)
    .execute();
  places.sort((a, b) => (a.external_id ?? '').localeCompare(b.external_id ?? ''));
  const placeOf = new Map<string, string>();
  for (const p of places) if (!placeOf.has(p.service_id)) placeOf.set(p.service_id, [p.address_1, p.city].filter(Boolean).join(', '));
  services.sort((a, b) => externalOrder(a.external_id) - externalOrder(b.external_id));
  let rows = 0;
  for (const table of ['directory_organizations', 'directory_services', 'directory_locations', 'directory_service_at_location', 'directory_schedules', 'directory_phones', 'directory_search_rows', 'directory_search_tokens'] as const) {
    const r = await trx.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('organization_id', '=', organizationId).executeTakeFirstOrThrow();
    rows += Number(r.n);
  }
  const hours = await trx
    .selectFrom('directory_search_hours as h')
    .innerJoin('directory_search_rows as r', 'r.id', 'h.row_id')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('r.organization_id', '=', organizationId)
    .executeTakeFirstOrThrow();
  rows += Number(hours.n);
  return {
    services: services.map((s) => ({
      id: s.id,
      name: s.name,
      org: byId.get(s.directory_organization_id)!,
      types: JSON.parse(s.service_types) as string[],
      place: placeOf.get(s.id) ?? null,
    })),
    rows,
  };
}

const isoDate = (d: Date): string => d.toISOString().slice(0, 10);
const daysBefore = (d: Date, days: number): Date => new Date(d.getTime() - days * 86_400_000);

/** Refuses a database holding real (non-generated, non-demo) accounts, or the generated program already. */
export async function assertGeneratable(db: Db): Promise<void> {
  const real = await db
    .selectFrom('users')
    .select('id')
    .where('email', 'not like', `%@${GENERATED_DOMAIN}`)
    .where('email', 'not like', `%@${DEMO_DOMAIN}`)
    .limit(1)
    .execute();
  if (real.length > 0) {
    throw new Error('This database holds real accounts; generated people with a shared password never go into it. Point DATABASE_URL at a new, empty database.');
  }
  if ((await listOrganizations(db)).some((o) => o.name === GENERATED_ORGANIZATION || /^Generated Recovery Network \d+ \(synthetic\)$/.test(o.name))) {
    throw new Error('This database already holds the generated program. Generate into a new, empty database.');
  }
}

/** The name of generated organization `index` of `count` (one organization keeps the plain name). */
export function generatedOrganizationName(index: number, count: number): string {
  return count > 1 ? `Generated Recovery Network ${String(index + 1).padStart(2, '0')} (synthetic)` : GENERATED_ORGANIZATION;
}

export async function generateProgram(db: Db, clock: Clock, opts: GenerateOptions): Promise<GenerateResult> {
  if (opts.deferIndexes === false) return generateOne(db, clock, opts);
  let result: GenerateResult | undefined;
  const started = performance.now();
  raiseYoungGeneration();
  await withBulkLoad(opts.sqlite, LOADED_TABLES, (writer) =>
    withDeferredIndexes(db, LOADED_TABLES, async () => {
      result = await generateOne(db, clock, { ...opts, analyze: false, ...(writer && { writer }) });
    }),
  );
  if (opts.analyze !== false) await analyzeLoaded(db, opts.sqlite);
  return { ...result!, seconds: (performance.now() - started) / 1000 };
}

async function generateOne(db: Db, clock: Clock, opts: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now();
  const n = Math.max(0, Math.floor(opts.participants));
  const network = opts.organization ?? { index: 0, count: 1 };
  const organizationName = generatedOrganizationName(network.index, network.count);
  const prefix = network.count > 1 ? `o${String(network.index + 1).padStart(2, '0')}-` : '';
  const years = opts.years ?? 1;
  if (network.index === 0) await assertGeneratable(db);
  else if ((await listOrganizations(db)).some((o) => o.name === organizationName)) throw new Error(`This database already holds ${organizationName}.`);
  const rng = mulberry32(opts.seed);
  // A second stream for consents, life events and to-dos, so adding them left the people the
  // first stream makes unchanged for a seed.
  const care = mulberry32(opts.seed ^ 0x9e3779b9);
  // A third for encounters (added after consents and to-dos; the earlier streams stay as they were).
  const contact = mulberry32(opts.seed ^ 0x85ebca6b);
  const passwordHash = await hashPassword(opts.password);
  // Ids from the seed (UUIDv7 at the clock's now): the same seed and clock give the same rows, ids included.
  // Each organization of a network counts its ids from its own range, so ids never collide.
  const newId = generatedIds(opts.seed, clock.now().getTime(), network.index * Math.floor(0xffffffff / Math.max(1, network.count)));

  const siteCount = Math.max(2, Math.ceil(n / 400));
  const coachCount = Math.max(2, Math.ceil(n / (opts.participantsPerCoach ?? 50)));
  const supervisorCount = Math.max(1, Math.ceil(coachCount / 8));
  const email = (local: string) => `${prefix}${local}@${GENERATED_DOMAIN}`;
  const pad = (i: number, width: number) => String(i + 1).padStart(width, '0');
  const coachEmails = Array.from({ length: coachCount }, (_, i) => email(`coach-${pad(i, 4)}`));
  const supervisorEmails = Array.from({ length: supervisorCount }, (_, i) => email(`supervisor-${pad(i, 3)}`));
  const managerEmail = email('manager');
  const adminEmail = email('admin');
  const counts: GenerateCounts = {
    ...emptyStoryCounts(),
    sites: siteCount, teams: siteCount, coaches: coachCount, supervisors: supervisorCount, participants: n, fullIntakes: 0, episodes: n, activeEpisodes: 0, consents: 0, todos: 0,
    directoryOrganizations: 0, directoryServices: 0, partners: 0, appointments: 0, moudCourses: 0, moudFills: 0, otpEnrollments: 0, referrals: 0, sentReferrals: 0, linkedReferrals: 0, referralEvents: 0, disclosures: 0, referralTodos: 0, auditEvents: 0, auditTargets: 0, rows: 0,
  };
  let partnerEmails: string[] = [];
  const writer = opts.writer;

  const organizationId = await db.transaction().execute(async (trx) => {
    const nowDate = clock.now();
    const now = nowDate.toISOString();
    const orgId = await insertOrganization(trx, { name: organizationName, timeZone: GENERATED_TIME_ZONE, requireMfa: false, now });
    const programId = await insertProgram(trx, orgId, { name: 'Peer Bridge (synthetic)', description: 'Generated program for benchmarks and volume testing; every person in it is fictional.' }, now);
    // Written through the repositories (organization, program, admin and manager with their roles, sites, teams, team members) and the audit event.
    counts.rows += 1 + 1 + 4 + siteCount * 2 + coachCount + 1;

    // The resource directory the referrals, appointments and MOUD records point into.
    const directory = await generateDirectory(trx, orgId, { services: opts.directoryServices ?? Math.max(50, Math.ceil(n / 10)), seed: opts.seed });
    counts.directoryOrganizations = directory.organizations;
    counts.directoryServices = directory.services;

    // People: one admin, one program manager, supervisors and coaches, all with the same password.
    const userRows: Insertable<Database['users']>[] = [];
    const membershipRows: Insertable<Database['memberships']>[] = [];
    const addUser = (address: string, name: string, role: string): string => {
      const id = newId();
      userRows.push({
        id, email: address, display_name: name, password_hash: passwordHash, password_changed_at: now, mfa_secret: null, mfa_enabled: 0, mfa_last_step: null,
        locked_until: null, is_platform_admin: 0, status: 'active', locale: 'en', created_at: now, updated_at: now,
      });
      membershipRows.push({ id: newId(), organization_id: orgId, user_id: id, role, created_at: now });
      return id;
    };
    // The admin and manager go through the repositories (same rows as the bulk path).
    const adminId = await insertUser(trx, { email: adminEmail, displayName: 'Generated Admin (synthetic)', passwordHash, isPlatformAdmin: false, now });
    await setRoles(trx, adminId, orgId, ['admin'], now);
    const managerId = await insertUser(trx, { email: managerEmail, displayName: 'Generated Manager (synthetic)', passwordHash, isPlatformAdmin: false, now });
    await setRoles(trx, managerId, orgId, ['program_manager'], now);
    const supervisorIds = supervisorEmails.map((e, i) => addUser(e, `Supervisor ${pad(i, 3)} (synthetic)`, 'supervisor'));
    const coachIds = coachEmails.map((e, i) => addUser(e, `Coach ${pad(i, 4)} (synthetic)`, 'coach'));
    counts.rows += await insertInBatches(trx, 'users', userRows, writer);
    counts.rows += await insertInBatches(trx, 'memberships', membershipRows, writer);

    // Sites, one team each; coaches dealt round-robin so every team has at least one.
    const sites: { id: string; coaches: string[] }[] = [];
    for (let s = 0; s < siteCount; s++) {
      const kind = SITE_KINDS[s % SITE_KINDS.length]!;
      const town = TOWNS[s % TOWNS.length]!;
      const siteId = await insertSite(trx, orgId, { name: `${town} ${SITE_LABEL[kind]} ${pad(s, 2)} (synthetic)`, kind, programId, timeZone: null, address: `${100 + s} Example Avenue, ${town}` }, now);
      sites.push({ id: siteId, coaches: [] });
    }
    coachIds.forEach((id, i) => sites[i % siteCount]!.coaches.push(id));
    for (const [s, site] of sites.entries()) {
      const teamId = await insertTeam(trx, orgId, { name: `Team ${pad(s, 2)} (synthetic)`, siteId: site.id, supervisorUserId: supervisorIds[s % supervisorCount]! }, now);
      await setTeamMembers(trx, orgId, teamId, site.coaches, now);
    }

    // Participants and their episodes.
    const participantRows: Insertable<Database['participants']>[] = [];
    const episodeRows: Insertable<Database['episodes']>[] = [];
    const consentRows: Insertable<Database['consents']>[] = [];
    const signatureRows: Insertable<Database['consent_signatures']>[] = [];
    const lifeEventRows: Insertable<Database['life_events']>[] = [];
    const todoRows: Insertable<Database['todos']>[] = [];
    const encounterRows: Insertable<Database['encounters']>[] = [];
    const story: StoryRows = { encounters: encounterRows, lifeEvents: lifeEventRows, edVisits: [], responses: [], checkIns: [] };
    const storyContext = { organizationId: orgId, timeZone: GENERATED_TIME_ZONE, now: nowDate, today: localDate(nowDate, GENERATED_TIME_ZONE), id: newId, rng: contact, rows: story, counts };
    const people: NavPerson[] = [];
    for (let i = 0; i < n; i++) {
      const site = sites[Math.floor(rng() * siteCount)]!;
      const firstName = pick(rng, FIRST_NAMES);
      const lastName = pick(rng, LAST_NAMES);
      const alias = rng() < 0.05 ? pick(rng, NICKNAMES) : null;
      const ageDays = Math.floor((18 + rng() * 52) * 365.25);
      const dob = isoDate(daysBefore(nowDate, ageDays));
      const phone = rng() < 0.85 ? Phone.parse(`${pick(rng, AREA_CODES)}-555-01${String(Math.floor(rng() * 100)).padStart(2, '0')}`) : null;
      const contact = phone ? weighted(rng, CONTACT_METHODS) : weighted(rng, [['in_person', 60], ['email', 10], ['none', 30]] as const);
      const setting = weighted(rng, INTAKE_SETTINGS);
      const referral = weighted(rng, REFERRALS);
      const consent = rng() < 0.9;
      const full = rng() < 0.6;
      const startDaysAgo = Math.floor(rng() * 365 * years);
      let active = rng() < 0.8;
      const coachId = pick(rng, site.coaches);
      const f = <T extends string>(table: readonly (readonly [T, number])[]): T | null => (full ? weighted(rng, table) : null);
      const preferredName = full && rng() < 0.15 ? pick(rng, FIRST_NAMES) : null;
      const sex = f(SEX);
      const race = full ? JSON.stringify([weighted(rng, RACE)]) : '[]';
      const moud = f(MOUD);
      const town = full ? pick(rng, TOWNS) : null;
      const flag = (p: number): 0 | 1 => (full && rng() < p ? 1 : 0);
      const participantId = newId();
      if (full) counts.fullIntakes++;
      participantRows.push({
        id: participantId,
        organization_id: orgId,
        intake_level: full ? 'full' : 'brief',
        first_name: firstName,
        last_name: lastName,
        alias,
        date_of_birth: dob,
        birth_year: null,
        dob_estimated: 0,
        phone,
        preferred_contact_method: contact,
        intake_setting: setting,
        referral_source: referral,
        consent_to_follow_up: consent ? 1 : 0,
        consent_to_follow_up_at: consent ? now : null,
        search_name: searchKey({ firstName, lastName, alias, preferredName }),
        preferred_name: preferredName,
        pronouns: f(PRONOUNS),
        language: f(LANGUAGES),
        email: null,
        ok_voicemail: flag(0.6),
        ok_text: flag(0.7),
        safe_times: null,
        do_not_contact: 0,
        emergency_contact_name: null,
        emergency_contact_relationship: null,
        emergency_contact_phone: null,
        address_line: null,
        city: town,
        state: null,
        zip: null,
        housing_status: f(HOUSING),
        insurance_type: f(INSURANCE),
        insurance_member_id: null,
        primary_substance: f(SUBSTANCE),
        secondary_substance: null,
        route_of_use: null,
        has_oud: null,
        has_oud_source: null,
        current_moud: moud,
        moud_source: moud && moud !== 'none' && moud !== 'unknown' ? 'participant_reported' : null,
        recovery_start_date: full && care() < 0.5 ? isoDate(daysBefore(nowDate, Math.floor(care() * 900))) : null,
        employment: f(EMPLOYMENT),
        justice_involved: flag(0.2),
        pregnant_or_postpartum: sex === 'female' ? flag(0.08) : 0,
        youth: 0,
        veteran: flag(0.07),
        co_occurring_mental_health: flag(0.4),
        race,
        ethnicity: f(ETHNICITY),
        sex_at_birth: sex,
        gender_identity: null,
        strengths_and_hopes: null,
        merged_into_id: null,
        created_by: coachId,
        created_at: now,
        updated_at: now,
      });
      let dischargeReason: string | null = active ? null : weighted(rng, DISCHARGE_REASONS);
      const startDate = isoDate(daysBefore(nowDate, startDaysAgo));
      let dischargeDate = active ? null : isoDate(daysBefore(nowDate, Math.floor(rng() * startDaysAgo)));
      const episodeId = newId();
      // The person's course: contacts, ED visits, outcomes, and when they reach treatment.
      const course = buildStory(storyContext, { participantId, episodeId, coachId, siteId: site.id, setting, full, consent, moud, startDate, dischargeDate });
      if (course.deceased) {
        active = false;
        dischargeDate = course.deceased.dischargeOn;
        dischargeReason = 'deceased';
      }
      if (active) counts.activeEpisodes++;
      episodeRows.push({
        id: episodeId,
        organization_id: orgId,
        participant_id: participantId,
        program_id: programId,
        site_id: site.id,
        start_date: startDate,
        referral_source: referral,
        assigned_coach_user_id: coachId,
        status: active ? 'active' : 'discharged',
        discharge_date: dischargeDate,
        discharge_reason: dischargeReason,
        last_contact_at: course.lastContact,
        created_by: coachId,
        created_at: now,
        updated_at: now,
      });
      const disclosureConsents: ConsentRecord[] = [];
      addCareHistory({ participantId, coachId, consent, full, active, startDaysAgo, startDate, disclosureConsents });
      people.push({
        participantId, coachId, episodeStart: startDate, dischargeDate, active, full, participant: participantRows[participantRows.length - 1]!, disclosureConsents,
        treatmentFrom: course.treatmentFrom, linkOn: course.linkOn,
      });
    }

    /** Consents (verbal participation; a typed TPO consent for some), life events and follow-ups. */
    function addCareHistory(x: { participantId: string; coachId: string; consent: boolean; full: boolean; active: boolean; startDaysAgo: number; startDate: string; disclosureConsents: ConsentRecord[] }): void {
      const base = { organization_id: orgId, participant_id: x.participantId, created_by: x.coachId, created_at: now, updated_at: now };
      const addConsent = (kind: string, method: 'verbal' | 'typed', fields: { categories: string[]; recipients: unknown[]; purposes: string[]; expirationEvent: string | null }) => {
        const id = newId();
        consentRows.push({
          ...base, id, kind, discloser: organizationName, categories: JSON.stringify(fields.categories), recipients: JSON.stringify(fields.recipients),
          purposes: JSON.stringify(fields.purposes), expires_on: null, expiration_event: fields.expirationEvent, right_to_revoke_explained: 1,
          redisclosure_statement_given: kind === 'disclosure_tpo' ? 1 : 0, refusal_consequences_explained: kind === 'disclosure_tpo' ? 1 : 0,
          form_language: 'en', signed_on: x.startDate, revoked_at: null, revoked_on: null, revocation_method: null, revocation_note: null, revoked_by: null,
        });
        // The gate's view of a disclosure consent, for the referrals sent under it.
        if (kind !== 'participation') {
          x.disclosureConsents.push({
            id, organizationId: orgId, participantId: x.participantId, kind: kind as ConsentRecord['kind'], discloser: organizationName,
            categories: fields.categories as ConsentRecord['categories'], recipients: fields.recipients as ConsentRecord['recipients'], purposes: fields.purposes as ConsentRecord['purposes'],
            expiresOn: null, expirationEvent: fields.expirationEvent, rightToRevokeExplained: true, redisclosureStatementGiven: true, refusalConsequencesExplained: true,
            formLanguage: 'en', signedOn: x.startDate, revokedAt: null, revokedOn: null, revocationMethod: null, revocationNote: null, revokedBy: null,
            createdBy: x.coachId, createdAt: now, updatedAt: now, version: 1,
          });
        }
        signatureRows.push({
          id: newId(), organization_id: orgId, consent_id: id, signer_role: 'participant', signer_name: 'Participant (synthetic)', legal_basis: null, method,
          signature_data: method === 'typed' ? 'Participant (synthetic)' : null, attested: method === 'typed' ? 1 : 0,
          witness_name: method === 'verbal' ? 'Witness (synthetic)' : null, signed_at: now, recorded_by: x.coachId,
        });
        counts.consents++;
      };
      if (x.consent) {
        addConsent('participation', 'verbal', { categories: ['demographics_contact'], recipients: [{ kind: 'organization', name: organizationName, type: 'other' }], purposes: ['treatment'], expirationEvent: 'end of peer services' });
      }
      if (x.consent && x.full && care() < 0.35) {
        addConsent('disclosure_tpo', 'typed', {
          categories: ['demographics_contact', 'substance_use_history', 'moud', 'encounter_summaries'],
          recipients: [{ kind: 'class', class: 'treating_providers' }, { kind: 'class', class: 'health_plans' }],
          purposes: ['treatment', 'payment', 'operations'],
          expirationEvent: 'none',
        });
      }
      const lifeEvent = (kind: string, daysAgo: number, source: string) => {
        lifeEventRows.push({ ...base, id: newId(), kind, occurred_on: isoDate(daysBefore(nowDate, daysAgo)), occurred_at: null, source, note: null });
        counts.lifeEvents++;
      };
      // (ED visits, admissions, returns to use and overdoses are part of the person's course: generate.outcomes.ts.)
      if (care() < 0.08) lifeEvent('housing_change', Math.floor(care() * (x.startDaysAgo + 1)), 'participant_reported');
      if (x.active) {
        const dueIn = Math.floor(care() * 15) - 7;
        const due = new Date(nowDate.getTime() + dueIn * 86_400_000);
        todoRows.push({
          ...base, id: newId(), kind: 'follow_up', owner_user_id: x.coachId, due_on: isoDate(due), due_time: null, due_at: `${isoDate(due)}T05:00:00.000Z`,
          severity: weighted(care, [['normal', 70], ['high', 20], ['urgent', 5], ['low', 5]] as const), title: 'Check in', note: null, clears_on: 'contact_reached',
          source_type: null, source_id: null, status: 'open', resolution: null, completed_at: null, completed_by: null,
        });
        counts.todos++;
      }
    }
    // Each person's contact summary, by the rule the real writes follow (encounters/contact-summary.ts).
    const summary = new Map<string, { lastEd: string | null; lastFollowUp: string | null }>();
    const at = (id: string) => summary.get(id) ?? (summary.set(id, { lastEd: null, lastFollowUp: null }), summary.get(id)!);
    const later = (a: string | null, b: string) => (a && a >= b ? a : b);
    for (const e of encounterRows) {
      if (e.deleted_at) continue;
      const s = at(e.participant_id);
      if (e.type === 'ed_bedside') s.lastEd = later(s.lastEd, e.started_at);
      else if (e.reached === 1) s.lastFollowUp = later(s.lastFollowUp, e.started_at);
    }
    for (const le of lifeEventRows) {
      if (le.kind === 'ed_visit') at(le.participant_id).lastEd = later(at(le.participant_id).lastEd, endOfLocalDay(le.occurred_on, GENERATED_TIME_ZONE).toISOString());
    }
    for (const p of participantRows) {
      const s = summary.get(p.id);
      p.last_ed_at = s?.lastEd ?? null;
      p.last_follow_up_at = s?.lastFollowUp ?? null;
    }

    // Treatment navigation: partner accounts, appointments, MOUD (which sets current_moud on the
    // participant rows, so before they go in) and referrals.
    const dir = await readDirectory(trx, orgId);
    counts.rows += dir.rows;
    const { referral_follow_up_days: followUpDays } = await trx.selectFrom('organizations').select('referral_follow_up_days').where('id', '=', orgId).executeTakeFirstOrThrow();
    const nav = buildNavigation({
      organizationId: orgId, organizationName, timeZone: GENERATED_TIME_ZONE, now: nowDate, seed: opts.seed, followUpDays: Number(followUpDays),
      people, services: dir.services, adminId, passwordHash, partnerCount: opts.partners ?? Math.min(50, Math.max(3, Math.ceil(n / 500))), email, id: newId,
      volume: { appointments: opts.volume?.appointments ?? 1, referrals: opts.volume?.referrals ?? 1 },
    });
    Object.assign(counts, nav.counts);

    partnerEmails = nav.partnerEmails;

    const insert = async <T extends keyof Database>(table: T, rows: Insertable<Database[T]>[]) => {
      counts.rows += await insertInBatches(trx, table, rows, writer);
    };
    await insert('users', nav.rows.users);
    await insert('memberships', nav.rows.memberships);
    await insert('participants', participantRows);
    await insert(
      'participant_name_tokens',
      participantRows.flatMap((r) => nameTokens(r.search_name).map((token) => ({ organization_id: orgId, token, participant_id: r.id }))),
    );
    await insert('episodes', episodeRows);
    await insert('consents', consentRows);
    await insert('consent_signatures', signatureRows);
    await insert('life_events', lifeEventRows);
    await insert('todos', todoRows);
    await insert('todos', nav.rows.todos);
    await insert('encounters', encounterRows);
    await insert('ed_visits', story.edVisits);
    await insert('questionnaire_responses', story.responses);
    await insert('check_ins', story.checkIns);
    await insert('partner_links', nav.rows.partnerLinks);
    await insert('disclosures', nav.rows.disclosures);
    await insert('appointments', nav.rows.appointments);
    await insert('moud_courses', nav.rows.courses);
    await insert('moud_fills', nav.rows.fills);
    await insert('moud_otp_enrollments', nav.rows.enrollments);
    await insert('referrals', nav.rows.referrals);
    await insert('referral_events', nav.rows.referralEvents);

    // The audit events the app would have appended for these writes, then the chain's head moved
    // to the last one so the run's own event below links to it (generate.audit.ts).
    if (opts.audit !== false) {
      const head = await trx.selectFrom('audit_chains').select(['last_seq', 'last_hash']).where('chain_id', '=', orgId).executeTakeFirst();
      const audit = buildAudit({
        organizationId: orgId, now, id: newId, head: { lastSeq: Number(head?.last_seq ?? 0), lastHash: head?.last_hash ?? GENESIS_HASH },
        writes: { participants: participantRows, episodes: episodeRows, consents: consentRows, todos: todoRows, story, nav: nav.rows },
      });
      await insert('audit_events', audit.events);
      await insert('audit_event_targets', audit.targets);
      if (head) await trx.updateTable('audit_chains').set({ last_seq: audit.lastSeq, last_hash: audit.lastHash, updated_at: now }).where('chain_id', '=', orgId).execute();
      else await trx.insertInto('audit_chains').values({ chain_id: orgId, last_seq: audit.lastSeq, last_hash: audit.lastHash, updated_at: now }).execute();
      counts.auditEvents = audit.events.length;
      counts.auditTargets = audit.targets.length;
    }

    writer?.flushMeasures(orgId);
    await appendAudit(trx, clock, [
      { organizationId: orgId, actorUserId: null, action: 'generate.run', outcome: 'success', targetType: 'organization', targetIds: [orgId], details: { seed: opts.seed, ...counts } },
    ]);
    return orgId;
  });

  // Planner statistics for what was just loaded: without them PostgreSQL plans the first
  // minutes of queries blind (autovacuum has not caught up), and SQLite until its optimize.
  if (opts.analyze !== false) await analyzeLoaded(db, opts.sqlite);
  return { organizationId, organizationName, managerEmail, adminEmail, coachEmails, supervisorEmails, partnerEmails, counts, seconds: (performance.now() - started) / 1000 };
}

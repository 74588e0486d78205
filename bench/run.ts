/**
 * `npm run bench`: start a real Lodestar server in its own process, sign in as a real user, and
 * load it from this process over loopback with autocannon. For each scenario: warm-up, the
 * maximum sustainable throughput, then latency at a fixed request rate. Prints one table and
 * writes JSON under bench/results/. The load generator shares the machine's cores with the
 * server: read the figures with that in mind.
 *
 *   npm run bench -- [--scenarios me,healthz,site-create] [--duration 10] [--rate 500] [--db sqlite|postgres]
 *                    [--participants 10000] [--directory 20000] [--seed 1]
 *
 * Before the server starts, `generateProgram` fills the database with a synthetic program of
 * --participants people (sites, teams, coaches, episodes, appointments, MOUD records, referrals)
 * and its fictional directory: --directory services when a directory scenario runs, else the
 * generator's default (one per 10 participants); the participant scenarios (caseload,
 * participant-get, participant-timeline, participant-search) sign in as its generated coach or
 * manager, `partner-inbox` as the generated partner with the most referrals, `referral-create`
 * as the coach.
 *
 * Measures (issue 7, "Scale"): `measures-recompute` runs in this process before the server
 * starts — a full recompute of every measure for the last year of the generated program straight
 * from the source tables, then through the kept facts (cold: everything read and stored; warm:
 * read as stored; after one participant changed), and a kept answer — and checks all give the
 * same figures. `measures-dashboard` is GET /api/v1/measures for that year as the generated
 * program manager, at 20 requests per second whatever --rate says.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/server/platform/db/database.js';
import { migrateToLatest } from '../src/server/migrations/index.js';
import { hashPassword } from '../src/server/platform/auth/passwords.js';
import { systemClock } from '../src/server/platform/clock.js';
import { generateProgram } from '../src/server/modules/generate/generate.js';
import { insertUser, setRoles } from '../src/server/modules/users/users.repository.js';
import { freshDatabaseUrl } from '../test/helpers/db.js';
import { localDate } from '../src/server/platform/time.js';
import { addDays } from '../src/server/modules/measures/measures.dates.js';
import { loadMeasureFacts, organizationTimeZone } from '../src/server/modules/measures/measures.loader.js';
import { cachedFacts, cachedResult } from '../src/server/modules/measures/measures.cache.js';
import { computeMeasures, historyNeeds, presentMeasures, resolveAllParameters } from '../src/server/modules/measures/measures.results.js';
import type { Db } from '../src/server/platform/db/database.js';
import { DEFAULT_PG_URL } from '../test/helpers/environment.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    scenarios: { type: 'string', default: 'me,healthz,site-create' },
    duration: { type: 'string', default: '10' },
    rate: { type: 'string', default: '500' },
    db: { type: 'string', default: 'sqlite' },
    participants: { type: 'string', default: '10000' },
    /** Directory services generated when a directory scenario runs (a state's directory: 20,000). */
    directory: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '1' },
  },
});
const duration = Number(values.duration);
const rate = Number(values.rate);
const PASSWORD = 'bench password for a fictional admin';

type Persona = 'admin' | 'coach' | 'manager' | 'supervisor' | 'partner';
interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Changes each request before it is sent (the next participant id, the next name prefix). */
  setupRequest?: (req: autocannon.Request) => autocannon.Request;
}
/** What the generated dataset offers the scenarios. */
interface Dataset {
  participantIds: string[];
  lastNamePrefixes: string[];
  /** The open episodes' participants of the coach the scenarios sign in as. */
  coachParticipantIds: string[];
  /** Treating-provider services of the directory, to refer to. */
  referralServiceIds: string[];
  /** The last year of the generated program, in its local dates. */
  measuresPeriod: { from: string; to: string };
}
interface Scenario {
  name: string;
  describe: string;
  /** Who signs in for it (default: the bench admin). */
  as?: Persona;
  /** A fixed request rate of its own (instead of --rate). */
  rate?: number;
  request: (auth: Auth, data: Dataset) => BenchRequest;
}
interface Auth {
  cookie: string;
  csrf: string;
}

const SCENARIOS: Scenario[] = [
  { name: 'me', describe: 'GET /api/v1/me (authenticated)', request: (a) => ({ method: 'GET', path: '/api/v1/me', headers: { cookie: a.cookie } }) },
  { name: 'healthz', describe: 'GET /healthz (database ping)', request: () => ({ method: 'GET', path: '/healthz', headers: {} }) },
  {
    name: 'site-create',
    describe: 'POST /api/v1/sites (durable write + audit row)',
    request: (a) => ({
      method: 'POST',
      path: '/api/v1/sites',
      headers: { cookie: a.cookie, 'x-csrf-token': a.csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bench site', kind: 'rco' }),
    }),
  },
  {
    name: 'caseload',
    describe: 'GET /api/v1/caseload (a generated coach’s open episodes)',
    as: 'coach',
    request: (a) => ({ method: 'GET', path: '/api/v1/caseload', headers: { cookie: a.cookie } }),
  },
  {
    name: 'participant-get',
    describe: 'GET /api/v1/participants/:id (program manager, cycling through every id; read audited)',
    as: 'manager',
    request: (a, data) => {
      let next = 0;
      return {
        method: 'GET',
        path: `/api/v1/participants/${data.participantIds[0]!}`,
        headers: { cookie: a.cookie },
        setupRequest: (req) => ({ ...req, path: `/api/v1/participants/${data.participantIds[next++ % data.participantIds.length]!}` }),
      };
    },
  },
  {
    name: 'participant-timeline',
    describe: 'GET /api/v1/participants/:id/timeline (program manager, first page, cycling through every id; read audited)',
    as: 'manager',
    request: (a, data) => {
      let next = 0;
      const path = () => `/api/v1/participants/${data.participantIds[next++ % data.participantIds.length]!}/timeline`;
      return { method: 'GET', path: path(), headers: { cookie: a.cookie }, setupRequest: (req) => ({ ...req, path: path() }) };
    },
  },
  {
    name: 'encounter-log',
    describe: 'POST /api/v1/participants/:id/encounters (a coach logs a reached check-in, signed: durable write + audit)',
    as: 'coach',
    request: (a, data) => {
      let next = 0;
      const path = () => `/api/v1/participants/${data.coachParticipantIds[next++ % data.coachParticipantIds.length]!}/encounters`;
      const body = () => {
        const end = Date.now() - 60_000;
        return JSON.stringify({
          type: 'check_in',
          mode: 'phone',
          setting: 'telehealth',
          startedAt: new Date(end - 15 * 60_000).toISOString(),
          endedAt: new Date(end).toISOString(),
          reached: true,
          services: ['recovery_planning'],
          note: 'Talked through the week; feeling steadier and planning to go to the Thursday meeting.',
          sign: true,
        });
      };
      return {
        method: 'POST',
        path: path(),
        headers: { cookie: a.cookie, 'x-csrf-token': a.csrf, 'content-type': 'application/json' },
        body: body(),
        setupRequest: (req) => ({ ...req, path: path(), body: body() }),
      };
    },
  },
  {
    name: 'today',
    describe: "GET /api/v1/today (a coach's to-dos due today or overdue)",
    as: 'coach',
    request: (a) => ({ method: 'GET', path: '/api/v1/today', headers: { cookie: a.cookie } }),
  },
  {
    name: 'team-outreach',
    describe: 'GET /api/v1/team/outreach (the supervisor view: per coach overdue, attempts vs contacts, people at risk)',
    as: 'supervisor',
    request: (a) => ({ method: 'GET', path: '/api/v1/team/outreach', headers: { cookie: a.cookie } }),
  },
  {
    name: 'directory-search',
    describe: 'POST /api/v1/directory/search (coach: filters and a point, sorted by distance; cycling through towns and filters)',
    as: 'coach',
    request: (a) => {
      // Points near the generated towns, and the searches coaches make most.
      const points = [[40.27, -76.88], [40.44, -79.99], [40.04, -76.31], [41.41, -75.66], [40.61, -75.47], [39.96, -75.6], [40.79, -77.86], [41.24, -77.0]] as const;
      const filters: Record<string, unknown>[] = [
        { serviceTypes: ['buprenorphine'], insurance: ['medicaid'], acceptingNew: true },
        { serviceTypes: ['mutual_aid_na'], openNow: false },
        { text: 'pharmacy' },
        { serviceTypes: ['otp_methadone'] },
        { serviceTypes: ['buprenorphine', 'same_day_induction'], openNow: true },
        {},
      ];
      let next = 0;
      const bodyFor = () => {
        const [latitude, longitude] = points[next % points.length]!;
        const body = JSON.stringify({ ...filters[next % filters.length], point: { latitude: latitude + 0.01 * (next % 7), longitude }, limit: 20 });
        next += 1;
        return body;
      };
      return {
        method: 'POST',
        path: '/api/v1/directory/search',
        headers: { cookie: a.cookie, 'x-csrf-token': a.csrf, 'content-type': 'application/json' },
        body: bodyFor(),
        setupRequest: (req) => ({ ...req, body: bodyFor() }),
      };
    },
  },
  {
    name: 'partner-inbox',
    describe: 'GET /api/v1/partner/referrals (the generated partner with the most referrals: open ones, first page)',
    as: 'partner',
    request: (a) => ({ method: 'GET', path: '/api/v1/partner/referrals', headers: { cookie: a.cookie } }),
  },
  {
    name: 'referral-create',
    describe: 'POST /api/v1/participants/:id/referrals (a coach logs a referral to a directory service: referral, event, follow-up to-do, audit)',
    as: 'coach',
    request: (a, data) => {
      let next = 0;
      const path = () => `/api/v1/participants/${data.coachParticipantIds[next % data.coachParticipantIds.length]!}/referrals`;
      const body = () => JSON.stringify({ directoryServiceId: data.referralServiceIds[next++ % data.referralServiceIds.length]!, reason: 'Buprenorphine prescriber near home', urgency: 'routine', send: false });
      return {
        method: 'POST',
        path: path(),
        headers: { cookie: a.cookie, 'x-csrf-token': a.csrf, 'content-type': 'application/json' },
        body: body(),
        setupRequest: (req) => ({ ...req, path: path(), body: body() }),
      };
    },
  },
  {
    name: 'measures-dashboard',
    describe: 'GET /api/v1/measures (program manager, every measure for the last year; kept answers, audited) at 20 req/s',
    as: 'manager',
    rate: 20,
    request: (a, data) => ({ method: 'GET', path: `/api/v1/measures?from=${data.measuresPeriod.from}&to=${data.measuresPeriod.to}`, headers: { cookie: a.cookie } }),
  },
  {
    name: 'participant-search',
    describe: 'POST /api/v1/participants/search (program manager, last-name prefix, cycling)',
    as: 'manager',
    request: (a, data) => {
      let next = 0;
      const bodyFor = () => JSON.stringify({ query: data.lastNamePrefixes[next++ % data.lastNamePrefixes.length]! });
      return {
        method: 'POST',
        path: '/api/v1/participants/search',
        headers: { cookie: a.cookie, 'x-csrf-token': a.csrf, 'content-type': 'application/json' },
        body: bodyFor(),
        setupRequest: (req) => ({ ...req, body: bodyFor() }),
      };
    },
  },
];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForHealth(base: string, child: ChildProcess): Promise<void> {
  // Up to 60 s: a start on a machine shared with other work can take far longer than usual.
  for (let i = 0; i < 2400; i++) {
    if (child.exitCode !== null) throw new Error('server exited during start');
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('server did not become healthy in 60 s');
}

async function signIn(base: string, email: string, password: string): Promise<Auth> {
  const csrfRes = await fetch(`${base}/api/v1/auth/csrf`);
  const csrfCookie = csrfRes.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/v1/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken, cookie: csrfCookie },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const session = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { cookie: `${csrfCookie}; ${session}`, csrf: csrfToken };
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

/**
 * `measures-recompute`: every measure for `period`, timed in this process — straight from the
 * source tables (the loader), then through the kept facts cold, warm and after one participant
 * changed, and a kept answer. Throws if any path gives other figures than the loader.
 */
async function measuresRecompute(db: Db, organizationId: string, period: { from: string; to: string }) {
  const params = resolveAllParameters({});
  const history = historyNeeds(params);
  const now = () => new Date().toISOString();
  const seconds = (t: number) => Math.round(performance.now() - t) / 1000;
  const figures = (people: Parameters<typeof computeMeasures>[0]) => {
    const t = performance.now();
    const out = JSON.stringify(presentMeasures(computeMeasures(people, period, params), params, { suppress: false }));
    return { out, computeSeconds: seconds(t) };
  };
  let t = performance.now();
  const loaded = await loadMeasureFacts(db, organizationId, { period, history });
  const direct = { readSeconds: seconds(t), ...figures(loaded.people) };
  const contacts = loaded.people.reduce((n, p) => n + p.contacts.length, 0);
  const timed = async (check = true) => {
    const t0 = performance.now();
    const kept = await cachedFacts(db, organizationId, { period, history, now: now() });
    const readSeconds = seconds(t0);
    const f = figures(kept.people);
    if (check && f.out !== direct.out) throw new Error('measures-recompute: the kept facts give other figures than the loader');
    return { readSeconds, computeSeconds: f.computeSeconds, refreshed: kept.refreshed };
  };
  const cold = await timed();
  const warm = await timed();
  // One participant changes (a contact is logged): the triggers mark them; only they are read again.
  const one = await db.selectFrom('encounters').select(['id', 'reached']).where('organization_id', '=', organizationId).orderBy('id').executeTakeFirstOrThrow();
  await db.updateTable('encounters').set({ reached: one.reached === 1 ? 0 : 1 }).where('id', '=', one.id).execute();
  const afterChange = await timed(false);
  // Changed back: the figures are the loader's again (checked).
  await db.updateTable('encounters').set({ reached: one.reached }).where('id', '=', one.id).execute();
  await timed();
  t = performance.now();
  await cachedResult(db, organizationId, { bench: period }, now(), async () => JSON.parse(direct.out) as unknown);
  const resultMiss = seconds(t);
  t = performance.now();
  const kept = await cachedResult(db, organizationId, { bench: period }, now(), () => Promise.reject(new Error('should be kept')));
  const resultHit = seconds(t);
  if (!kept.hit) throw new Error('measures-recompute: the kept answer was not found');
  return { period, participants: loaded.people.length, contactsInFacts: contacts, direct: { readSeconds: direct.readSeconds, computeSeconds: direct.computeSeconds }, cold, warm, afterChange, resultMiss, resultHit, timeZone: await organizationTimeZone(db, organizationId) };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function load(base: string, req: BenchRequest, opts: { duration: number; rate?: number; connections: number }) {
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections: opts.connections,
        duration: opts.duration,
        ...(opts.rate ? { overallRate: opts.rate } : {}),
        requests: [{ method: req.method, path: req.path, headers: req.headers, ...(req.body ? { body: req.body } : {}), ...(req.setupRequest ? { setupRequest: req.setupRequest } : {}) }],
      },
      (err, res) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(res)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });
  times.sort((a, b) => a - b);
  return {
    requestsPerSecond: Math.round(result.requests.average),
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    p50: round1(percentile(times, 50)),
    p95: round1(percentile(times, 95)),
    p99: round1(percentile(times, 99)),
  };
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lodestar-bench-'));
  let dbUrl: string;
  let dropDb = async () => {};
  if (values.db === 'postgres') {
    process.env.LODESTAR_TEST_PG_URL ??= DEFAULT_PG_URL;
    process.env.LODESTAR_TEST_DB = 'postgres';
    const fresh = await freshDatabaseUrl();
    dbUrl = fresh.url;
    dropDb = fresh.drop;
  } else {
    dbUrl = `sqlite:${path.join(tmp, 'bench.db')}`;
  }

  // A synthetic program (generated before any other account: the generator refuses real ones),
  // then a fictional bench admin in its organization, created through the real repositories.
  const email = 'bench-admin@bench.lodestar.invalid';
  const h = openDatabase(dbUrl);
  await migrateToLatest(h.db);
  const directoryScenario = values.scenarios.split(',').some((name) => name.trim().startsWith('directory'));
  const generated = await generateProgram(h.db, systemClock, {
    participants: Number(values.participants),
    seed: Number(values.seed),
    password: PASSWORD,
    ...(directoryScenario && { directoryServices: Number(values.directory) }),
  });
  const gc = generated.counts;
  console.log(
    `Generated ${gc.participants} participants, ${gc.coaches} coaches, ${gc.sites} sites, a directory of ${gc.directoryServices} services, ${gc.appointments} appointments, ` +
      `${gc.moudFills} MOUD fills, ${gc.referrals} referrals (${gc.sentReferrals} sent) in ${generated.seconds.toFixed(2)} s (${gc.rows} rows, ${Math.round(gc.rows / Math.max(generated.seconds, 0.001))} rows/s)`,
  );
  const orgId = generated.organizationId;
  const now = new Date().toISOString();
  const userId = await insertUser(h.db, { email, displayName: 'Bench Admin', passwordHash: await hashPassword(PASSWORD), isPlatformAdmin: true, now });
  await setRoles(h.db, userId, orgId, ['admin'], now);
  const participantIds = (await h.db.selectFrom('participants').select('id').where('organization_id', '=', orgId).orderBy('id').execute()).map((r) => r.id);
  // Shuffled deterministically so consecutive reads do not walk the index in order.
  for (let i = participantIds.length - 1; i > 0; i--) {
    const j = (i * 2654435761) % (i + 1);
    [participantIds[i], participantIds[j]] = [participantIds[j]!, participantIds[i]!];
  }
  const lastNames = await h.db.selectFrom('participants').select('last_name').distinct().where('organization_id', '=', orgId).execute();
  const lastNamePrefixes = [...new Set(lastNames.map((r) => (r.last_name ?? '').slice(0, 3)).filter((p) => p.length === 3))].sort();
  const referralServiceIds = (
    await h.db
      .selectFrom('directory_services as s')
      .innerJoin('directory_organizations as o', 'o.id', 's.directory_organization_id')
      .select('s.id')
      .where('s.organization_id', '=', orgId)
      .where('o.type', '=', 'treating_provider')
      .orderBy('s.id')
      .execute()
  ).map((r) => r.id);
  const today = localDate(new Date(), await organizationTimeZone(h.db, orgId));
  const data: Dataset = { participantIds, lastNamePrefixes, coachParticipantIds: [], referralServiceIds, measuresPeriod: { from: addDays(today, -364), to: today } };
  const recompute = values.scenarios.split(',').some((name) => name.trim() === 'measures-recompute') ? await measuresRecompute(h.db, orgId, data.measuresPeriod) : null;
  if (recompute) console.log(`measures-recompute: ${JSON.stringify(recompute)}`);
  // The partner with the most referrals, and how many are addressed to it (sent) and open.
  const partnerEmail = generated.partnerEmails[0] ?? email;
  const partnerInbox = await h.db
    .selectFrom('referrals as r')
    .innerJoin('partner_links as l', (j) => j.onRef('l.directory_organization_id', '=', 'r.directory_organization_id').onRef('l.organization_id', '=', 'r.organization_id'))
    .innerJoin('users as u', 'u.id', 'l.user_id')
    .select([(eb) => eb.fn.countAll().as('all'), (eb) => eb.fn.sum(eb.case().when('r.status', 'in', ['requested', 'accepted', 'in_progress']).then(1).else(0).end()).as('open')])
    .where('u.email', '=', partnerEmail)
    .where('r.mode', '=', 'sent')
    .executeTakeFirst();
  // A coach with a typical caseload: the median of the generated coaches by open episodes.
  const loads = await h.db
    .selectFrom('episodes')
    .innerJoin('users', 'users.id', 'episodes.assigned_coach_user_id')
    .select(['users.email', (eb) => eb.fn.countAll().as('n')])
    .where('episodes.organization_id', '=', orgId)
    .where('episodes.status', '<>', 'discharged')
    .groupBy('users.email')
    .orderBy('n')
    .orderBy('users.email')
    .execute();
  const coach = loads[Math.floor(loads.length / 2)] ?? { email: generated.coachEmails[0]!, n: 0 };
  data.coachParticipantIds = (
    await h.db
      .selectFrom('episodes')
      .innerJoin('users', 'users.id', 'episodes.assigned_coach_user_id')
      .select('episodes.participant_id')
      .where('users.email', '=', coach.email)
      .where('episodes.status', '<>', 'discharged')
      .execute()
  ).map((r) => r.participant_id);
  // The supervisor of that coach's team, for the supervisor's views.
  const supervisor =
    (
      await h.db
        .selectFrom('team_members as tm')
        .innerJoin('teams as t', 't.id', 'tm.team_id')
        .innerJoin('users as c', 'c.id', 'tm.user_id')
        .innerJoin('users as s', 's.id', 't.supervisor_user_id')
        .select('s.email')
        .where('c.email', '=', coach.email)
        .executeTakeFirst()
    )?.email ?? generated.supervisorEmails[0]!;
  await h.destroy();

  // Cold start of `npm start` (web app already built): process spawn → first healthy response.
  const { buildWeb } = (await import('../scripts/build.mjs')) as { buildWeb: (o: { quiet: boolean }) => Promise<boolean> };
  await buildWeb({ quiet: true });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const server = spawn(process.execPath, [path.join(ROOT, 'scripts/start.mjs')], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), DATABASE_URL: dbUrl, LOG_LEVEL: 'warn', LODESTAR_AUDIT_KEY: 'bench-audit-key-0123456789abcdef0123456', PUBLIC_URL: base },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const results: Record<string, unknown>[] = [];
  try {
    await waitForHealth(base, server);
    const coldStartMs = Math.round(performance.now() - started);
    const emails: Record<Persona, string> = { admin: email, coach: coach.email, manager: generated.managerEmail, supervisor, partner: partnerEmail };
    const sessions = new Map<Persona, Auth>();
    const authAs = async (persona: Persona): Promise<Auth> => {
      const known = sessions.get(persona);
      if (known) return known;
      const auth = await signIn(base, emails[persona], PASSWORD);
      sessions.set(persona, auth);
      return auth;
    };
    const chosen = values.scenarios.split(',').map((s) => s.trim()).filter((s) => s !== 'measures-recompute');
    for (const name of chosen) {
      const scenario = SCENARIOS.find((s) => s.name === name);
      if (!scenario) throw new Error(`unknown scenario ${name}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
      const auth = await authAs(scenario.as ?? 'admin');
      const req = scenario.request(auth, data);
      // The dashboard's first request computes what the next ones find kept: made once, before the load.
      if (scenario.name === 'measures-dashboard') {
        const t0 = performance.now();
        const first = await fetch(`${base}${req.path}`, { headers: req.headers });
        if (!first.ok) throw new Error(`measures-dashboard: ${first.status} ${await first.text()}`);
        console.log(`measures-dashboard: first request (computes and keeps the answer) ${Math.round(performance.now() - t0)} ms`);
      }
      await load(base, req, { duration: 2, connections: 10 }); // warm-up
      const max = await load(base, req, { duration, connections: 10 });
      const fixed = await load(base, req, { duration, connections: 10, rate: scenario.rate ?? rate });
      results.push({ scenario: scenario.name, describe: scenario.describe, maxRequestsPerSecond: max.requestsPerSecond, fixedRate: scenario.rate ?? rate, ...fixed, maxRunErrors: max.errors + max.non2xx });
    }
    const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${values.db}`;
    console.log(`\nLodestar benchmark — ${machine}`);
    console.log('The load generator runs on the same cores as the server; figures are lower bounds for a dedicated server.\n');
    console.log(`cold start (npm start, web already built → first healthy response): ${coldStartMs} ms`);
    console.log(
      `dataset: ${generated.counts.participants} generated participants (seed ${values.seed}), ${generated.counts.coaches} coaches; caseload as ${coach.email} (${String(coach.n)} open episodes); ${lastNamePrefixes.length} last-name prefixes; ` +
        `partner inbox as ${partnerEmail} (${String(partnerInbox?.all ?? 0)} sent referrals, ${String(partnerInbox?.open ?? 0)} open)\n`,
    );
    const rows = results.map((r) => ({
      scenario: r.scenario,
      'max req/s': r.maxRequestsPerSecond,
      'fixed rate': `${String(r.fixedRate)}/s`,
      'achieved req/s': r.requestsPerSecond,
      'p50 ms': r.p50,
      'p95 ms': r.p95,
      'p99 ms': r.p99,
      'errors/non-2xx': `${String(r.errors)}/${String(r.non2xx)}`,
    }));
    console.table(rows);
    if (recompute) {
      const r = recompute;
      console.log(`\nmeasures-recompute: every measure for ${r.period.from}..${r.period.to} (${r.timeZone}), ${r.participants} participants, ${r.contactsInFacts} contacts in their facts; same figures on every path`);
      console.table([
        { path: 'loader (source tables)', 'read s': r.direct.readSeconds, 'compute s': r.direct.computeSeconds, 'participants read': r.participants },
        { path: 'kept facts, cold', 'read s': r.cold.readSeconds, 'compute s': r.cold.computeSeconds, 'participants read': r.cold.refreshed },
        { path: 'kept facts, warm', 'read s': r.warm.readSeconds, 'compute s': r.warm.computeSeconds, 'participants read': r.warm.refreshed },
        { path: 'kept facts, one changed', 'read s': r.afterChange.readSeconds, 'compute s': r.afterChange.computeSeconds, 'participants read': r.afterChange.refreshed },
      ]);
      console.log(`kept answer: stored in ${r.resultMiss} s, found in ${r.resultHit} s`);
    }
    const out = path.join(ROOT, 'bench/results', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(
      out,
      JSON.stringify(
        { machine, database: values.db, durationSeconds: duration, coldStartMs, dataset: { participants: generated.counts.participants, seed: Number(values.seed), generateSeconds: generated.seconds, counts: generated.counts }, results, ...(recompute && { measuresRecompute: recompute }) },
        null,
        2,
      ),
    );
    console.log(`\nWritten to ${path.relative(ROOT, out)}`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await dropDb();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main();

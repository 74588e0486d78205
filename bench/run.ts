/**
 * `npm run bench` (issue 8): the benchmark suite. For each database and size asked for, it gets a
 * generated program (`lodestar generate --scale`, kept between runs with --keep), starts a real
 * Lodestar server in its own process, signs in as real users of that program, and loads it over
 * loopback from a load generator in a THIRD process (bench/load.ts, autocannon). For each
 * scenario: warm-up, the maximum sustainable throughput, then latency at the issue's fixed rate;
 * for each read scenario the direct-SQL floor and the overhead over it (bench/direct.ts); for the
 * mixed workload the server's resident memory. Prints one table per run, PostgreSQL beside
 * SQLite, the growth from one size to the next, and writes everything as JSON under
 * bench/results/. Load generator, server and database share the machine's cores: the figures
 * are lower bounds for a dedicated server.
 *
 *   npm run bench -- [--scenarios table|all|a,b,…] [--scale rco|state|N[,…]] [--db sqlite[,postgres]]
 *                    [--duration 10] [--warmup 2] [--mixed-duration 60] [--rate 250] [--seed 1]
 *                    [--directory 20000] [--keep DIR] [--recompute-organizations all|N] [--smoke] [--out FILE]
 *
 * - `--scenarios table` (default) is the issue's table: caseload, participant-timeline,
 *   participant-search, encounter-log, directory-search, measures-recompute, measures-dashboard
 *   and mixed; `all` adds the rest of bench/scenarios.ts.
 * - `--keep DIR` keeps each generated SQLite database as DIR/<scale>-seed<N>.db and each
 *   PostgreSQL one as database lodestar_bench_<scale>_s<N>, and uses them again next time (the
 *   runs' own writes stay in them). A PostgreSQL dataset is copied from the kept SQLite file of the
 *   same size when there is one (`copy-to-postgres`: the same rows on both), else generated.
 * - The directory scenarios search a directory of --directory services (the issue: 20,000): the
 *   program's generated directory is topped up to that size when it is smaller.
 * - `measures-recompute` runs in this process, with the server stopped: every measure for the
 *   last year of every organization (`--recompute-organizations N`: the first N) straight from the
 *   source tables, then through the kept facts cold (cleared first), warm, and after one
 *   participant changed; all must give the same figures.
 * - `--smoke` (CI): short loads, few samples, a directory of 500 unless --directory says, no results
 *   file unless --out says, and a non-zero exit on any error or non-2xx answer.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { sql } from 'kysely';
import { openDatabase, type Db } from '../src/server/platform/db/database.js';
import { migrateToLatest } from '../src/server/migrations/index.js';
import { hashPassword } from '../src/server/platform/auth/passwords.js';
import { systemClock } from '../src/server/platform/clock.js';
import { generateNetwork, parseScale, type Scale } from '../src/server/modules/generate/generate.scale.js';
import { generateDirectory } from '../src/server/modules/directory/directory.generate.js';
import { copyToPostgres } from '../src/server/platform/db/copy.js';
import { insertUser, setRoles } from '../src/server/modules/users/users.repository.js';
import { localDate } from '../src/server/platform/time.js';
import { addDays } from '../src/server/modules/measures/measures.dates.js';
import { loadMeasureFacts, organizationTimeZone } from '../src/server/modules/measures/measures.loader.js';
import { cachedFacts, cachedResult } from '../src/server/modules/measures/measures.cache.js';
import { computeMeasures, historyNeeds, presentMeasures, resolveAllParameters } from '../src/server/modules/measures/measures.results.js';
import { DEFAULT_PG_URL } from '../test/helpers/environment.js';
import { MIXED, SCENARIOS, TABLE_SCENARIOS, loadRequests, scenarioNamed, type Auth, type Dataset, type Persona } from './scenarios.js';
import type { LoadJob, LoadStats } from './load.js';
import { directFloors, type Floor } from './direct.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    scenarios: { type: 'string', default: 'table' },
    scale: { type: 'string', default: 'rco' },
    db: { type: 'string', default: 'sqlite' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    'mixed-duration': { type: 'string', default: String(MIXED.durationSeconds) },
    rate: { type: 'string', default: '250' },
    seed: { type: 'string', default: '1' },
    directory: { type: 'string' },
    keep: { type: 'string' },
    'recompute-organizations': { type: 'string', default: 'all' },
    smoke: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const smoke = values.smoke;
const duration = smoke ? 1 : Number(values.duration);
const warmup = smoke ? 0 : Number(values.warmup);
const mixedDuration = smoke ? 2 : Number(values['mixed-duration']);
const defaultRate = Number(values.rate);
const seed = Number(values.seed);
const PASSWORD = 'bench password for a fictional admin';
const AUDIT_KEY = 'bench-audit-key-0123456789abcdef0123456';
const BENCH_ADMIN = 'bench-admin@bench.lodestar.invalid';
const CONNECTIONS = 10;

const scenarioNames: string[] =
  values.scenarios === 'table'
    ? [...TABLE_SCENARIOS]
    : values.scenarios === 'all'
      ? [...SCENARIOS.map((s) => s.name), 'measures-recompute', MIXED.name]
      : values.scenarios.split(',').map((s) => s.trim()).filter(Boolean);
for (const name of scenarioNames) if (name !== 'measures-recompute' && name !== MIXED.name) scenarioNamed(name);
const dbs = values.db.split(',').map((d) => d.trim());
for (const d of dbs) if (d !== 'sqlite' && d !== 'postgres') throw new Error(`--db takes sqlite and/or postgres, not ${d}`);
const scales: Scale[] = values.scale.split(',').map((s) => {
  const scale = parseScale(s.trim());
  if (scale === null) throw new Error(`--scale takes rco, state or a number of participants, not ${s}`);
  return scale;
});
const usesDirectory = scenarioNames.some((n) => n.startsWith('directory') || n === MIXED.name);

const round1 = (n: number): number => Math.round(n * 10) / 10;
const round2 = (n: number): number => Math.round(n * 100) / 100;
const seconds = (t: number) => Math.round(performance.now() - t) / 1000;

// ---------------------------------------------------------------------------------------------
// Datasets

interface Prepared {
  url: string;
  /** How the dataset came to be this run (generated, copied, or kept from an earlier run). */
  origin: string;
  generate?: { rows: number; seconds: number; rowsPerSecond: number };
  drop: () => Promise<void>;
}

const pgAdminUrl = () => process.env.LODESTAR_TEST_PG_URL ?? DEFAULT_PG_URL;
async function pgAdmin<T>(run: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: pgAdminUrl() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
const pgUrlOf = (name: string) => {
  const u = new URL(pgAdminUrl());
  u.pathname = `/${name}`;
  return u.toString();
};
const COMPLETE = 'lodestar bench dataset: complete';
/** Planner statistics of the dataset's own database (a fresh load has none until autovacuum runs). */
async function analyze(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

async function generateInto(url: string, scale: Scale): Promise<Prepared['generate']> {
  const h = openDatabase(url);
  try {
    await migrateToLatest(h.db);
    const r = await generateNetwork(h.db, systemClock, {
      scale,
      seed,
      password: PASSWORD,
      ...(h.sqlite && { sqlite: h.sqlite }),
      onOrganization: (o, index, plan) => console.log(`  organization ${index + 1} of ${plan.organizations}: ${o.counts.rows} rows in ${o.seconds.toFixed(1)} s`),
    });
    return { rows: r.rows, seconds: round1(r.seconds), rowsPerSecond: Math.round(r.rows / r.seconds) };
  } finally {
    await h.destroy();
  }
}

async function prepare(dbKind: string, scale: Scale, tmp: string): Promise<Prepared> {
  const label = String(scale);
  if (dbKind === 'sqlite') {
    const file = values.keep ? path.resolve(values.keep, `${label}-seed${seed}.db`) : path.join(tmp, `${label}.db`);
    const url = `sqlite:${file}`;
    if (values.keep && fs.existsSync(`${file}.complete`)) return { url, origin: `kept (${path.relative(ROOT, file)})`, drop: async () => {} };
    for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}.complete`]) fs.rmSync(f, { force: true });
    fs.mkdirSync(path.dirname(file), { recursive: true });
    console.log(`Generating ${label} into SQLite…`);
    const generate = await generateInto(url, scale);
    if (values.keep) fs.writeFileSync(`${file}.complete`, `${JSON.stringify(generate)}\n`);
    return { url, origin: 'generated', ...(generate && { generate }), drop: async () => {} };
  }
  const name = values.keep ? `lodestar_bench_${label}_s${seed}` : `lodestar_bench_${process.pid}_${label}`;
  const url = pgUrlOf(name);
  const drop = values.keep ? async () => {} : () => pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined);
  if (values.keep) {
    const kept = await pgAdmin((c) => c.query<{ comment: string | null }>(`SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`, [name]));
    if (kept.rows[0]?.comment === COMPLETE) {
      await analyze(url);
      return { url, origin: `kept (database ${name})`, drop };
    }
  }
  await pgAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  const sqliteFile = values.keep ? path.resolve(values.keep, `${label}-seed${seed}.db`) : null;
  let prepared: Prepared;
  if (sqliteFile && fs.existsSync(`${sqliteFile}.complete`)) {
    console.log(`Copying the kept ${label} SQLite dataset into PostgreSQL (copy-to-postgres, verified)…`);
    const t = performance.now();
    const report = await copyToPostgres({ from: `sqlite:${sqliteFile}`, to: url });
    prepared = { url, origin: `copied from ${path.relative(ROOT, sqliteFile)} (${report.rows} rows in ${seconds(t)} s)`, drop };
  } else {
    console.log(`Generating ${label} into PostgreSQL…`);
    const generate = await generateInto(url, scale);
    prepared = { url, origin: 'generated', ...(generate && { generate }), drop };
  }
  await analyze(url);
  if (values.keep) await pgAdmin((c) => c.query(`COMMENT ON DATABASE ${name} IS '${COMPLETE}'`));
  return prepared;
}

// ---------------------------------------------------------------------------------------------
// What the scenarios need from the dataset: the organization, its users, ids and prefixes

interface Inspected {
  organizationId: string;
  organizations: string[];
  data: Dataset;
  emails: Record<Persona, string>;
  counts: { participants: number; encounters: number; directoryServices: number; coachOpenEpisodes: number; partnerSentReferrals: number };
}

async function inspect(db: Db): Promise<Inspected> {
  const organizations = (await db.selectFrom('organizations').select('id').orderBy('id').execute()).map((r) => r.id);
  const orgId = organizations[0];
  if (!orgId) throw new Error('the dataset has no organization');
  const now = new Date().toISOString();
  // A fictional bench admin in the first organization, through the real repositories.
  const admin = await db.selectFrom('users').select('id').where('email', '=', BENCH_ADMIN).executeTakeFirst();
  const adminId = admin?.id ?? (await insertUser(db, { email: BENCH_ADMIN, displayName: 'Bench Admin', passwordHash: await hashPassword(PASSWORD), isPlatformAdmin: true, now }));
  await setRoles(db, adminId, orgId, ['admin'], now);

  if (usesDirectory) {
    const have = Number((await db.selectFrom('directory_services').select((eb) => eb.fn.countAll().as('n')).where('organization_id', '=', orgId).executeTakeFirstOrThrow()).n);
    const want = Number(values.directory ?? (smoke ? 500 : 20_000));
    if (have < want) {
      const t = performance.now();
      await db.transaction().execute((trx) => generateDirectory(trx, orgId, { services: want - have, seed: seed + have, externalIdPrefix: `bench${have}` }));
      console.log(`  directory topped up from ${have} to ${want} services in ${seconds(t)} s`);
    }
  }

  const participantIds = (await db.selectFrom('participants').select('id').where('organization_id', '=', orgId).orderBy('id').execute()).map((r) => r.id);
  // Shuffled deterministically so consecutive reads do not walk the index in order.
  for (let i = participantIds.length - 1; i > 0; i--) {
    const j = (i * 2654435761) % (i + 1);
    [participantIds[i], participantIds[j]] = [participantIds[j]!, participantIds[i]!];
  }
  const lastNames = await db.selectFrom('participants').select('last_name').distinct().where('organization_id', '=', orgId).execute();
  const lastNamePrefixes = [...new Set(lastNames.map((r) => (r.last_name ?? '').slice(0, 3)).filter((p) => p.length === 3))].sort();
  const referralServiceIds = (
    await db
      .selectFrom('directory_services as s')
      .innerJoin('directory_organizations as o', 'o.id', 's.directory_organization_id')
      .select('s.id')
      .where('s.organization_id', '=', orgId)
      .where('o.type', '=', 'treating_provider')
      .orderBy('s.id')
      .limit(2000)
      .execute()
  ).map((r) => r.id);
  const managerEmail = (
    await db
      .selectFrom('memberships as r')
      .innerJoin('users as u', 'u.id', 'r.user_id')
      .select('u.email')
      .where('r.organization_id', '=', orgId)
      .where('r.role', '=', 'program_manager')
      .orderBy('u.email')
      .executeTakeFirstOrThrow()
  ).email;
  // A coach with a typical caseload: the median of the organization's coaches by open episodes.
  const loads = await db
    .selectFrom('episodes')
    .innerJoin('users', 'users.id', 'episodes.assigned_coach_user_id')
    .select(['users.email', (eb) => eb.fn.countAll().as('n')])
    .where('episodes.organization_id', '=', orgId)
    .where('episodes.status', '<>', 'discharged')
    .groupBy('users.email')
    .orderBy('n')
    .orderBy('users.email')
    .execute();
  const coach = loads[Math.floor(loads.length / 2)];
  if (!coach) throw new Error('the dataset has no coach with open episodes');
  const coachParticipantIds = (
    await db
      .selectFrom('episodes')
      .innerJoin('users', 'users.id', 'episodes.assigned_coach_user_id')
      .select('episodes.participant_id')
      .where('users.email', '=', coach.email)
      .where('episodes.organization_id', '=', orgId)
      .where('episodes.status', '<>', 'discharged')
      .execute()
  ).map((r) => r.participant_id);
  const supervisor = await db
    .selectFrom('team_members as tm')
    .innerJoin('teams as t', 't.id', 'tm.team_id')
    .innerJoin('users as c', 'c.id', 'tm.user_id')
    .innerJoin('users as s', 's.id', 't.supervisor_user_id')
    .select('s.email')
    .where('c.email', '=', coach.email)
    .executeTakeFirst();
  // The partner with the most sent referrals.
  const partner = await db
    .selectFrom('referrals as r')
    .innerJoin('partner_links as l', (j) => j.onRef('l.directory_organization_id', '=', 'r.directory_organization_id').onRef('l.organization_id', '=', 'r.organization_id'))
    .innerJoin('users as u', 'u.id', 'l.user_id')
    .select(['u.email', (eb) => eb.fn.countAll().as('n')])
    .where('r.organization_id', '=', orgId)
    .where('r.mode', '=', 'sent')
    .groupBy('u.email')
    .orderBy('n', 'desc')
    .orderBy('u.email')
    .executeTakeFirst();
  const count = async (table: 'encounters' | 'directory_services') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('organization_id', '=', orgId).executeTakeFirstOrThrow()).n);
  const today = localDate(new Date(), await organizationTimeZone(db, orgId));
  return {
    organizationId: orgId,
    organizations,
    data: { participantIds, lastNamePrefixes, coachParticipantIds, referralServiceIds, measuresPeriod: { from: addDays(today, -364), to: today } },
    emails: { admin: BENCH_ADMIN, coach: coach.email, manager: managerEmail, supervisor: supervisor?.email ?? managerEmail, partner: partner?.email ?? BENCH_ADMIN },
    counts: {
      participants: participantIds.length,
      encounters: await count('encounters'),
      directoryServices: await count('directory_services'),
      coachOpenEpisodes: Number(coach.n),
      partnerSentReferrals: Number(partner?.n ?? 0),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// measures-recompute: every measure for a year, the whole network (issue 7 "Scale", issue 8)

async function measuresRecompute(db: Db, organizationIds: string[], period: { from: string; to: string }) {
  const params = resolveAllParameters({});
  const history = historyNeeds(params);
  const now = () => new Date().toISOString();
  const figures = (people: Parameters<typeof computeMeasures>[0]) => {
    const t = performance.now();
    const out = JSON.stringify(presentMeasures(computeMeasures(people, period, params), params, { suppress: false }));
    return { out, computeSeconds: seconds(t) };
  };
  const total = { read: 0, compute: 0 };
  const paths = { direct: { ...total }, cold: { ...total }, warm: { ...total } };
  const expected = new Map<string, string>();
  let participants = 0;
  let contacts = 0;
  for (const orgId of organizationIds) {
    const t = performance.now();
    const loaded = await loadMeasureFacts(db, orgId, { period, history });
    paths.direct.read += seconds(t);
    const f = figures(loaded.people);
    paths.direct.compute += f.computeSeconds;
    expected.set(orgId, f.out);
    participants += loaded.people.length;
    contacts += loaded.people.reduce((n, p) => n + p.contacts.length, 0);
  }
  const kept = async (orgId: string, into: typeof total | null) => {
    const t0 = performance.now();
    const k = await cachedFacts(db, orgId, { period, history, now: now() });
    const readSeconds = seconds(t0);
    const f = figures(k.people);
    if (into) {
      into.read += readSeconds;
      into.compute += f.computeSeconds;
      if (f.out !== expected.get(orgId)) throw new Error('measures-recompute: the kept facts give other figures than the loader');
    }
    return { readSeconds, computeSeconds: f.computeSeconds, refreshed: k.refreshed };
  };
  for (const orgId of organizationIds) {
    // Cold: whatever an earlier run kept is cleared first.
    await sql`DELETE FROM measure_facts WHERE organization_id = ${orgId}`.execute(db);
    await sql`DELETE FROM measure_fact_sets WHERE organization_id = ${orgId}`.execute(db);
    await kept(orgId, paths.cold);
  }
  for (const orgId of organizationIds) await kept(orgId, paths.warm);
  // One participant of the first organization changes (a contact is logged the other way): only they are read again.
  const first = organizationIds[0]!;
  const one = await db.selectFrom('encounters').select(['id', 'reached']).where('organization_id', '=', first).orderBy('id').executeTakeFirstOrThrow();
  await db.updateTable('encounters').set({ reached: one.reached === 1 ? 0 : 1 }).where('id', '=', one.id).execute();
  const afterChange = await kept(first, null);
  await db.updateTable('encounters').set({ reached: one.reached }).where('id', '=', one.id).execute();
  await kept(first, { read: 0, compute: 0 }); // changed back: the loader's figures again (checked)
  let t = performance.now();
  await cachedResult(db, first, { bench: period }, now(), async () => JSON.parse(expected.get(first)!) as unknown);
  const resultMiss = seconds(t);
  t = performance.now();
  const hit = await cachedResult(db, first, { bench: period }, now(), () => Promise.reject(new Error('should be kept')));
  const resultHit = seconds(t);
  if (!hit.hit) throw new Error('measures-recompute: the kept answer was not found');
  const r = (x: typeof total) => ({ readSeconds: round2(x.read), computeSeconds: round2(x.compute), totalSeconds: round2(x.read + x.compute) });
  return { period, organizations: organizationIds.length, participants, contactsInFacts: contacts, direct: r(paths.direct), cold: r(paths.cold), warm: r(paths.warm), afterChange, resultMiss, resultHit };
}

// ---------------------------------------------------------------------------------------------
// The server, the load generator, memory

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
  // Up to 120 s: a start on a machine shared with other work can take far longer than usual.
  for (let i = 0; i < 4800; i++) {
    if (child.exitCode !== null) throw new Error('server exited during start');
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('server did not become healthy in 120 s');
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
  if (!res.ok) throw new Error(`sign-in as a generated user failed: ${res.status} ${await res.text()}`);
  const session = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { cookie: `${csrfCookie}; ${session}`, csrf: csrfToken };
}

/** The server's resident memory now (MB), from /proc (Linux); NaN elsewhere. */
function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : NaN;
  } catch {
    return NaN;
  }
}

/** The load generator's process: one job at a time. */
class LoadGenerator {
  private readonly child = fork(path.join(ROOT, 'bench/load.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  run(job: LoadJob, serverPid: number): Promise<LoadStats & { peakRssMb: number }> {
    let peak = rssMb(serverPid);
    const sample = setInterval(() => (peak = Math.max(peak, rssMb(serverPid))), 200);
    return new Promise<LoadStats & { peakRssMb: number }>((resolve, reject) => {
      const onExit = () => reject(new Error('the load generator exited'));
      this.child.once('exit', onExit);
      this.child.once('message', (m: { ok: true; stats: LoadStats } | { ok: false; error: string }) => {
        this.child.off('exit', onExit);
        clearInterval(sample);
        if (m.ok) resolve({ ...m.stats, peakRssMb: Math.max(peak, rssMb(serverPid)) });
        else reject(new Error(`load generator: ${m.error}`));
      });
      this.child.send(job);
    });
  }
  close(): void {
    this.child.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------
// One run: one database, one size

interface ScenarioResult {
  scenario: string;
  describe: string;
  rate: number;
  target: { p95?: number; p99?: number } | null;
  max: LoadStats;
  fixed: LoadStats & { peakRssMb: number };
  floor: Floor | null;
  /** Server p50 at the fixed rate minus the direct-SQL floor (ms), and p50 divided by it. */
  overheadMs: number | null;
  overheadRatio: number | null;
  met: boolean | null;
}

interface RunResult {
  db: string;
  scale: string;
  dataset: Omit<Inspected, 'data' | 'emails' | 'organizationId' | 'organizations'>['counts'] & { organizations: number; origin: string; generate?: Prepared['generate'] };
  coldStartMs: number;
  idleRssMb: number;
  results: ScenarioResult[];
  measuresRecompute: Awaited<ReturnType<typeof measuresRecompute>> | null;
  errors: string[];
}

async function benchOne(dbKind: string, scale: Scale, tmp: string, load: LoadGenerator): Promise<RunResult> {
  console.log(`\n=== ${dbKind}, scale ${String(scale)} ===`);
  const prepared = await prepare(dbKind, scale, tmp);
  try {
    return await benchDataset(prepared, dbKind, scale, load);
  } finally {
    // Also after a failed run: a PostgreSQL dataset not kept is dropped, not left behind.
    await prepared.drop();
  }
}

async function benchDataset(prepared: Prepared, dbKind: string, scale: Scale, load: LoadGenerator): Promise<RunResult> {
  const h = openDatabase(prepared.url);
  let inspected: Inspected;
  let recompute: RunResult['measuresRecompute'] = null;
  try {
    await migrateToLatest(h.db);
    inspected = await inspect(h.db);
    if (scenarioNames.includes('measures-recompute')) {
      const n = values['recompute-organizations'] === 'all' ? inspected.organizations.length : Number(values['recompute-organizations']);
      console.log(`measures-recompute over ${n} organization(s)…`);
      recompute = await measuresRecompute(h.db, inspected.organizations.slice(0, n), inspected.data.measuresPeriod);
      console.log(`measures-recompute: ${JSON.stringify(recompute)}`);
    }
  } finally {
    await h.destroy();
  }
  const { data, emails } = inspected;

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const server = spawn(process.execPath, [path.join(ROOT, 'scripts/start.mjs')], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), DATABASE_URL: prepared.url, LOG_LEVEL: 'warn', LODESTAR_AUDIT_KEY: AUDIT_KEY, PUBLIC_URL: base },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const results: ScenarioResult[] = [];
  const errors: string[] = [];
  let coldStartMs = 0;
  let idleRssMb = NaN;
  const auths: Partial<Record<Persona, Auth>> = {};
  try {
    await waitForHealth(base, server);
    coldStartMs = Math.round(performance.now() - started);
    idleRssMb = rssMb(server.pid!);
    const loads = scenarioNames.filter((n) => n !== 'measures-recompute');
    const personas = new Set<Persona>(loads.flatMap((n) => (n === MIXED.name ? MIXED.parts : [n]).map((p) => scenarioNamed(p).as ?? 'admin')));
    for (const persona of personas) auths[persona] = await signIn(base, emails[persona], PASSWORD);
    for (const name of loads) {
      const mixed = name === MIXED.name;
      const scenario = mixed ? null : scenarioNamed(name);
      const rate = mixed ? MIXED.rate : (scenario!.rate ?? defaultRate);
      const job = (over: Partial<LoadJob>): LoadJob => ({ base, scenario: name, auths, data, duration, connections: mixed ? 2 * CONNECTIONS : CONNECTIONS, ...over });
      // The dashboard's first request computes what the next ones find kept: made once, before the load.
      if (name === 'measures-dashboard') {
        const [req] = loadRequests(name, auths, data);
        const t0 = performance.now();
        const first = await fetch(`${base}${req!.path}`, { headers: req!.headers });
        if (!first.ok) throw new Error(`measures-dashboard: ${first.status} ${await first.text()}`);
        console.log(`measures-dashboard: first request (computes and keeps the answer) ${Math.round(performance.now() - t0)} ms`);
      }
      if (warmup > 0) await load.run(job({ duration: warmup }), server.pid!);
      const max = await load.run(job({}), server.pid!);
      const fixed = await load.run(job({ rate, duration: mixed ? mixedDuration : duration }), server.pid!);
      const target: { p95?: number; p99?: number } | null = mixed ? { ...MIXED.target } : (scenario!.target ?? null);
      const met = target ? (target.p95 === undefined || fixed.p95 < target.p95) && (target.p99 === undefined || fixed.p99 < target.p99) && fixed.errors + fixed.non2xx === 0 : null;
      results.push({ scenario: name, describe: mixed ? MIXED.describe : scenario!.describe, rate, target, max, fixed, floor: null, overheadMs: null, overheadRatio: null, met });
      if (fixed.errors + fixed.non2xx > 0) errors.push(`${name}: ${fixed.errors} errors, ${fixed.non2xx} non-2xx at ${rate}/s`);
      console.log(`${name}: max ${max.requestsPerSecond}/s; at ${rate}/s p50 ${fixed.p50} p95 ${fixed.p95} p99 ${fixed.p99} ms, ${fixed.errors}/${fixed.non2xx} errors/non-2xx, server RSS up to ${fixed.peakRssMb} MB`);
    }
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => (server.exitCode !== null ? r(null) : server.once('exit', r)));
  }

  // The floor of each read scenario, with the server stopped (nothing else on the database).
  const reads = results.filter((r) => r.scenario !== MIXED.name && !scenarioNamed(r.scenario).write);
  if (reads.length > 0) {
    const floors = await directFloors(
      prepared.url,
      AUDIT_KEY,
      reads.map((r) => ({ name: r.scenario, request: loadRequests(r.scenario, auths, data)[0]! })),
      smoke ? { samples: 3, repeat: 3 } : {},
    );
    for (const r of reads) {
      const f = floors[r.scenario];
      if (!f) continue;
      r.floor = f;
      r.overheadMs = round2(r.fixed.p50 - f.directMs);
      r.overheadRatio = f.directMs > 0 ? round1(r.fixed.p50 / f.directMs) : null;
    }
  }
  return {
    db: dbKind,
    scale: String(scale),
    dataset: { ...inspected.counts, organizations: inspected.organizations.length, origin: prepared.origin, ...(prepared.generate && { generate: prepared.generate }) },
    coldStartMs,
    idleRssMb,
    results,
    measuresRecompute: recompute,
    errors,
  };
}

// ---------------------------------------------------------------------------------------------
// Printing

function printRun(run: RunResult): void {
  const d = run.dataset;
  console.log(`\n${run.db}, scale ${run.scale}: ${d.organizations} organization(s); the first has ${d.participants} participants, ${d.encounters} encounters, a directory of ${d.directoryServices} services (${d.origin})`);
  if (d.generate) console.log(`generated: ${d.generate.rows} rows in ${d.generate.seconds} s (${d.generate.rowsPerSecond} rows/s, secondary indexes included)`);
  console.log(`cold start (web built → first healthy response): ${run.coldStartMs} ms; server RSS idle ${run.idleRssMb} MB; caseload coach has ${d.coachOpenEpisodes} open episodes`);
  console.table(
    run.results.map((r) => ({
      scenario: r.scenario,
      target: r.target ? [r.target.p95 && `p95<${r.target.p95}`, r.target.p99 && `p99<${r.target.p99}`].filter(Boolean).join(' ') : '',
      'rate/s': r.rate,
      'achieved/s': r.fixed.requestsPerSecond,
      'p50 ms': r.fixed.p50,
      'p95 ms': r.fixed.p95,
      'p99 ms': r.fixed.p99,
      'err/non2xx': `${r.fixed.errors}/${r.fixed.non2xx}`,
      'max req/s': r.max.requestsPerSecond,
      'SQL floor ms': r.floor?.directMs ?? '',
      'in-process ms': r.floor?.injectMs ?? '',
      'overhead ms': r.overheadMs ?? '',
      '×floor': r.overheadRatio ?? '',
      'RSS MB': r.fixed.peakRssMb,
      met: r.met === null ? '' : r.met ? 'yes' : 'NO',
    })),
  );
  const m = run.measuresRecompute;
  if (m) {
    console.log(`measures-recompute: every measure for ${m.period.from}..${m.period.to}, ${m.organizations} organization(s), ${m.participants} participants, ${m.contactsInFacts} contacts (target: full recompute < 10 s)`);
    console.table([
      { path: 'source tables (loader)', ...m.direct },
      { path: 'kept facts, cold', ...m.cold },
      { path: 'kept facts, warm', ...m.warm },
      { path: 'one participant changed (first org)', readSeconds: m.afterChange.readSeconds, computeSeconds: m.afterChange.computeSeconds, totalSeconds: round2(m.afterChange.readSeconds + m.afterChange.computeSeconds) },
    ]);
  }
}

function printComparisons(runs: RunResult[]): void {
  const byKey = new Map(runs.map((r) => [`${r.db}|${r.scale}`, r]));
  const scaleNames = [...new Set(runs.map((r) => r.scale))];
  const dbNames = [...new Set(runs.map((r) => r.db))];
  if (dbNames.length > 1) {
    for (const scale of scaleNames) {
      console.log(`\nSide by side at scale ${scale}: p50 / p95 / p99 ms at the fixed rate (max req/s)`);
      const names = [...new Set(runs.filter((r) => r.scale === scale).flatMap((r) => r.results.map((x) => x.scenario)))];
      console.table(
        names.map((name) => {
          const row: Record<string, string> = { scenario: name };
          for (const db of dbNames) {
            const x = byKey.get(`${db}|${scale}`)?.results.find((r) => r.scenario === name);
            row[db] = x ? `${x.fixed.p50} / ${x.fixed.p95} / ${x.fixed.p99} (${x.max.requestsPerSecond})` : '';
          }
          return row;
        }),
      );
    }
  }
  if (scaleNames.length > 1) {
    const [small, large] = [scaleNames[0]!, scaleNames.at(-1)!];
    console.log(`\nGrowth from ${small} to ${large}: p50 and p95 at the fixed rate, ${large} ÷ ${small} (reads a coach makes should stay near 1)`);
    const rows: Record<string, string | number>[] = [];
    for (const db of dbNames) {
      const a = byKey.get(`${db}|${small}`);
      const b = byKey.get(`${db}|${large}`);
      if (!a || !b) continue;
      for (const x of b.results) {
        const y = a.results.find((r) => r.scenario === x.scenario);
        if (!y) continue;
        rows.push({ db, scenario: x.scenario, [`p50 ${small}`]: y.fixed.p50, [`p50 ${large}`]: x.fixed.p50, 'p50 ratio': round2(x.fixed.p50 / y.fixed.p50), 'p95 ratio': round2(x.fixed.p95 / y.fixed.p95), 'floor ratio': x.floor && y.floor ? round2(x.floor.directMs / y.floor.directMs) : '' });
      }
    }
    console.table(rows);
  }
}

async function main(): Promise<number> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lodestar-bench-'));
  const { buildWeb } = (await import('../scripts/build.mjs')) as { buildWeb: (o: { quiet: boolean }) => Promise<boolean> };
  await buildWeb({ quiet: true });
  const load = new LoadGenerator();
  const runs: RunResult[] = [];
  try {
    for (const scale of scales) for (const db of dbs) runs.push(await benchOne(db, scale, tmp, load));
  } finally {
    load.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`;
  console.log(`\nLodestar benchmark — ${machine}`);
  console.log('The load generator, the server and the database share these cores: figures are lower bounds for a dedicated server.');
  console.log(`Each load: ${warmup} s warm-up, ${duration} s as fast as it answers (max req/s, ${CONNECTIONS} connections), then ${duration} s at the fixed rate (the mixed workload: ${mixedDuration} s, ${2 * CONNECTIONS} connections).`);
  for (const run of runs) printRun(run);
  printComparisons(runs);
  const out = values.out ? path.resolve(values.out) : smoke ? null : path.join(ROOT, 'bench/results', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  if (out) {
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify({ machine, smoke, durationSeconds: duration, mixedDurationSeconds: mixedDuration, seed, scenarios: scenarioNames, runs }, null, 2)}\n`);
    console.log(`\nWritten to ${path.relative(ROOT, out)}`);
  }
  const errors = runs.flatMap((r) => r.errors.map((e) => `${r.db} ${r.scale}: ${e}`));
  if (errors.length > 0) console.log(`\nErrors:\n${errors.join('\n')}`);
  return smoke && errors.length > 0 ? 1 : 0;
}

process.exitCode = await main();

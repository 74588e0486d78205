/**
 * The benchmark's scenarios (issue 8): each is one request a real user of the generated program
 * makes, built from the dataset the runner read out of the generated database. Shared by the
 * runner (bench/run.ts: direct-SQL floor, first requests) and the load generator's own process
 * (bench/load.ts), which builds the same requests from the same inputs.
 *
 * `rate` is the fixed request rate of the table (requests per second); `p95`/`p99` its
 * latency target at `state` scale on SQLite, where the issue names one.
 */
import type autocannon from 'autocannon';

export type Persona = 'admin' | 'coach' | 'manager' | 'supervisor' | 'partner';
export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Changes each request before it is sent (the next participant id, the next name prefix). */
  setupRequest?: (req: autocannon.Request) => autocannon.Request;
}
/** What the generated dataset offers the scenarios. */
export interface Dataset {
  participantIds: string[];
  lastNamePrefixes: string[];
  /** The open episodes' participants of the coach the scenarios sign in as. */
  coachParticipantIds: string[];
  /** Treating-provider services of the directory, to refer to. */
  referralServiceIds: string[];
  /** The last year of the generated program, in its local dates. */
  measuresPeriod: { from: string; to: string };
}
export interface Scenario {
  name: string;
  describe: string;
  /** Who signs in for it (default: the bench admin). */
  as?: Persona;
  /** A fixed request rate of its own (instead of --rate): the table. */
  rate?: number;
  /** Latency targets of the table, at `state` scale on SQLite (ms). */
  target?: { p95?: number; p99?: number };
  /** A write (no direct-SQL floor: its statements would write). */
  write?: boolean;
  request: (auth: Auth, data: Dataset) => BenchRequest;
}
export interface Auth {
  cookie: string;
  csrf: string;
}

/**
 * A JSON POST as the signed-in user (session cookie and CSRF token). `next` gives each request's
 * path and body — called once for the first request, then before every later one — so a load
 * cycles through the dataset's ids and prefixes.
 */
function jsonPost(a: Auth, next: () => { path: string; body: string }): BenchRequest {
  const first = next();
  return {
    method: 'POST',
    ...first,
    headers: { cookie: a.cookie, 'x-csrf-token': a.csrf, 'content-type': 'application/json' },
    setupRequest: (req) => ({ ...req, ...next() }),
  };
}

export const SCENARIOS: Scenario[] = [
  { name: 'me', describe: 'GET /api/v1/me (authenticated)', request: (a) => ({ method: 'GET', path: '/api/v1/me', headers: { cookie: a.cookie } }) },
  { name: 'healthz', describe: 'GET /healthz (database ping)', request: () => ({ method: 'GET', path: '/healthz', headers: {} }) },
  {
    name: 'site-create',
    describe: 'POST /api/v1/sites (durable write + audit row)',
    write: true,
    request: (a) => jsonPost(a, () => ({ path: '/api/v1/sites', body: JSON.stringify({ name: 'Bench site', kind: 'rco' }) })),
  },
  {
    name: 'caseload',
    describe: 'GET /api/v1/caseload (a generated coach’s open episodes)',
    rate: 250,
    target: { p95: 25 },
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
    rate: 250,
    target: { p95: 25 },
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
    rate: 300,
    target: { p95: 30 },
    write: true,
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
      return jsonPost(a, () => ({ path: path(), body: body() }));
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
    rate: 100,
    target: { p95: 50 },
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
      return jsonPost(a, () => ({ path: '/api/v1/directory/search', body: bodyFor() }));
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
    write: true,
    as: 'coach',
    request: (a, data) => {
      let next = 0;
      const path = () => `/api/v1/participants/${data.coachParticipantIds[next % data.coachParticipantIds.length]!}/referrals`;
      const body = () => JSON.stringify({ directoryServiceId: data.referralServiceIds[next++ % data.referralServiceIds.length]!, reason: 'Buprenorphine prescriber near home', urgency: 'routine', send: false });
      // The path first: the referral's body moves `next` on after its path has read it.
      return jsonPost(a, () => ({ path: path(), body: body() }));
    },
  },
  {
    name: 'measures-dashboard',
    describe: 'GET /api/v1/measures (program manager, every measure for the last year; kept answers, audited) at 20 req/s',
    as: 'manager',
    rate: 20,
    target: { p95: 300 },
    request: (a, data) => ({ method: 'GET', path: `/api/v1/measures?from=${data.measuresPeriod.from}&to=${data.measuresPeriod.to}`, headers: { cookie: a.cookie } }),
  },
  {
    name: 'participant-search',
    describe: 'POST /api/v1/participants/search (program manager, last-name prefix, cycling)',
    rate: 250,
    target: { p95: 25 },
    as: 'manager',
    request: (a, data) => {
      let next = 0;
      const bodyFor = () => JSON.stringify({ query: data.lastNamePrefixes[next++ % data.lastNamePrefixes.length]! });
      return jsonPost(a, () => ({ path: '/api/v1/participants/search', body: bodyFor() }));
    },
  },
];


/**
 * The mixed workload of the table: 80% reads and 20% writes, each made as the user who
 * makes it in life, in this order on every connection (autocannon walks the list and starts
 * over), at 400 requests per second for 60 seconds: no errors, p99 under 100 ms.
 */
export const MIXED = {
  name: 'mixed',
  describe: 'mixed workload: 8 reads (caseload ×2, timeline ×2, search, participant, today, directory) to 2 writes (encounter, referral)',
  parts: ['caseload', 'participant-timeline', 'participant-search', 'participant-get', 'today', 'caseload', 'participant-timeline', 'directory-search', 'encounter-log', 'referral-create'],
  rate: 400,
  durationSeconds: 60,
  target: { p99: 100 },
  /** Resident memory of the server under this load. */
  rssTargetMb: 400,
} as const;

/** The scenarios the table names, in its order (`--scenarios table`, the default). */
export const TABLE_SCENARIOS = ['caseload', 'participant-timeline', 'participant-search', 'encounter-log', 'directory-search', 'measures-recompute', 'measures-dashboard', 'mixed'] as const;

/** A scenario by name, or an error naming the known ones. */
export function scenarioNamed(name: string): Scenario {
  const found = SCENARIOS.find((s) => s.name === name);
  if (!found) throw new Error(`unknown scenario ${name}; known: ${[...SCENARIOS.map((s) => s.name), 'measures-recompute', MIXED.name].join(', ')}`);
  return found;
}

/** The autocannon requests of a load: one scenario, or the mixed workload's parts, each signed in as its persona. */
export function loadRequests(name: string, auths: Partial<Record<Persona, Auth>>, data: Dataset): BenchRequest[] {
  const names: readonly string[] = name === MIXED.name ? MIXED.parts : [name];
  return names.map((n) => {
    const scenario = scenarioNamed(n);
    const auth = auths[scenario.as ?? 'admin'];
    if (!auth) throw new Error(`no session for ${scenario.as ?? 'admin'} (scenario ${n})`);
    return scenario.request(auth, data);
  });
}

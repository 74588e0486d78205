/**
 * The floor under a read scenario (issue 8, "the overhead"): the SQL the server runs for one
 * request, run directly against the database in one process — no HTTP, no Fastify, no Kysely.
 *
 * 1. The app is built in this process on the same database, with Kysely's query log recording
 *    every statement (SQL text and parameters) a request runs. Each scenario's request is made
 *    `samples` times through `app.inject` (cycling through ids and prefixes as the load does),
 *    and the statements of each are kept. Transaction control (begin, commit, savepoints) is
 *    left out.
 * 2. Each request's statements are then run again on a raw driver connection — better-sqlite3
 *    with the statements prepared once (as the server's statement cache does), or one pg client —
 *    `repeat` times; a request whose statements write (a session's last-seen time) runs inside a
 *    transaction that is rolled back, so the floor changes nothing. The floor of a scenario is the
 *    median over its requests of each request's median time.
 *
 * Reported beside each read scenario: floor, the in-process app time (`app.inject`, no socket),
 * and the server's p50 under load minus and divided by the floor.
 */
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { LogEvent } from 'kysely';
import { openDatabase } from '../src/server/platform/db/database.js';
import { buildApp } from '../src/server/app.js';
import { createAuditReadBuffer } from '../src/server/platform/audit/read-buffer.js';
import { systemClock } from '../src/server/platform/clock.js';
import { testConfig } from '../src/server/platform/config.js';
import type { BenchRequest } from './scenarios.js';

export interface Floor {
  /** Median of the requests' median direct-SQL time (ms). */
  directMs: number;
  /** Median of the requests' time through app.inject in this process (ms). */
  injectMs: number;
  /** Statements per request (mean), transaction control left out. */
  statements: number;
  samples: number;
}

interface Captured {
  sql: string;
  parameters: readonly unknown[];
}

const TRANSACTION_CONTROL = /^\s*(begin|commit|rollback|savepoint|release)\b/i;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor((s.length - 1) / 2)]!;
};
const round2 = (n: number): number => Math.round(n * 100) / 100;
/** A scenario's floor from each request's median direct time, its inject times and its statements. */
const floorOf = (times: number[], inject: number[], lists: Captured[][]): Floor => ({
  directMs: round2(median(times)),
  injectMs: round2(median(inject)),
  statements: round2(lists.reduce((n, l) => n + l.length, 0) / lists.length),
  samples: lists.length,
});

export async function directFloors(
  url: string,
  auditKey: string,
  scenarios: { name: string; request: BenchRequest }[],
  opts: { samples?: number; repeat?: number } = {},
): Promise<Record<string, Floor>> {
  const samples = opts.samples ?? 25;
  const repeat = opts.repeat ?? 15;
  let captured: Captured[] | null = null;
  const log = (e: LogEvent) => {
    if (captured && e.level === 'query' && !TRANSACTION_CONTROL.test(e.query.sql)) captured.push({ sql: e.query.sql, parameters: e.query.parameters });
  };
  const h = openDatabase(url, { log, poolSize: 1 });
  const auditReads = createAuditReadBuffer(h.db, systemClock, { flushMs: 3_600_000, maxBatch: 1_000_000 });
  const app = await buildApp({ db: h.db, dialect: h.dialect, clock: systemClock, config: testConfig({ auditKey, webDist: '/nonexistent' }), auditKey, auditReads });
  await app.ready();

  const perScenario = new Map<string, { lists: Captured[][]; inject: number[] }>();
  try {
    for (const { name, request } of scenarios) {
      const lists: Captured[][] = [];
      const inject: number[] = [];
      let req = { method: request.method, path: request.path, headers: request.headers, body: request.body } as { method: string; path: string; headers: Record<string, string>; body?: string };
      // One request unrecorded first: the statement cache and the pages warm up as under load.
      for (let i = -1; i < samples; i++) {
        if (i >= 0 && request.setupRequest) req = request.setupRequest(req as never) as unknown as typeof req;
        captured = [];
        const t = performance.now();
        const res = await app.inject({ method: req.method as 'GET', url: req.path, headers: req.headers, ...(req.body !== undefined && { payload: req.body }) });
        const ms = performance.now() - t;
        const list = captured;
        captured = null;
        if (res.statusCode >= 300) throw new Error(`direct floor: ${name} answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
        if (i >= 0) {
          lists.push(list);
          inject.push(ms);
        }
      }
      perScenario.set(name, { lists, inject });
    }
  } finally {
    await app.close();
    await auditReads.close();
    await h.destroy();
  }

  const floors: Record<string, Floor> = {};
  if (url.startsWith('sqlite:')) {
    const raw = new SQLite(url.slice('sqlite:'.length));
    raw.pragma('busy_timeout = 5000');
    const statements = new Map<string, SQLite.Statement>();
    const prepared = (text: string) => {
      let s = statements.get(text);
      if (!s) statements.set(text, (s = raw.prepare(text)));
      return s;
    };
    try {
      for (const [name, { lists, inject }] of perScenario) {
        const times = lists.map((list) => {
          const writes = list.some((q) => !prepared(q.sql).readonly);
          const once = () => {
            const t = performance.now();
            if (writes) raw.exec('BEGIN');
            for (const q of list) {
              const st = prepared(q.sql);
              if (st.reader) st.all(q.parameters);
              else st.run(q.parameters);
            }
            if (writes) raw.exec('ROLLBACK');
            return performance.now() - t;
          };
          once();
          return median(Array.from({ length: repeat }, once));
        });
        floors[name] = floorOf(times, inject, lists);
      }
    } finally {
      raw.close();
    }
  } else {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (const [name, { lists, inject }] of perScenario) {
        const times: number[] = [];
        for (const list of lists) {
          const writes = list.some((q) => /\b(insert|update|delete|merge)\b/i.test(q.sql));
          const once = async () => {
            const t = performance.now();
            if (writes) await client.query('BEGIN');
            for (const q of list) await client.query(q.sql, q.parameters as unknown[]);
            if (writes) await client.query('ROLLBACK');
            return performance.now() - t;
          };
          await once();
          const each: number[] = [];
          for (let i = 0; i < repeat; i++) each.push(await once());
          times.push(median(each));
        }
        floors[name] = floorOf(times, inject, lists);
      }
    } finally {
      await client.end();
    }
  }
  return floors;
}

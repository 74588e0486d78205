/**
 * `lodestar measures`, run as a real child process on a database holding the measure deck
 * (test/helpers/measures.ts): the JSON gives the same numerators, denominators and rates the API
 * gives; the text lists every measure; bad arguments exit 2 naming them.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshDatabaseUrl, testDialect } from '../helpers/db.js';
import { openDatabase } from '../../src/server/platform/db/database.js';
import { migrateToLatest } from '../../src/server/migrations/index.js';
import { buildDeck } from '../helpers/measures.js';
import { MEASURE_IDS } from '../../src/contracts/measures.js';
import type { TestApp } from '../helpers/app.js';

// Each test starts the CLI as a child process (tsx compiles the server on start): on a shared
// 2-core machine running the other suites beside it, that takes far longer than the usual 20 s.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../../bin/lodestar.mjs');
const KEY = 'cli-test-audit-key-0123456789abcdef0123';

interface Json {
  period: { from: string; to: string };
  timeZone: string;
  participants: number;
  measures: { id: string; figures: { key: string; numerator: number | null; denominator: number | null; rate: number | null; pending?: number }[] }[];
}

describe('lodestar measures', { timeout: 180_000 }, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lodestar-measures-cli-'));
  let url: string;
  let drop: () => Promise<void>;
  let organizationId: string;

  const lodestar = async (args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: url, LODESTAR_AUDIT_KEY: KEY, LOG_LEVEL: 'silent' }, timeout: 60_000 });
      return { code: 0, out: stdout, err: stderr };
    } catch (e) {
      const x = e as { code: number; stdout: string; stderr: string };
      return { code: x.code, out: x.stdout, err: x.stderr };
    }
  };

  beforeAll(async () => {
    if (testDialect() === 'sqlite') {
      url = `sqlite:${path.join(tmp, 'lodestar.db')}`;
      drop = () => Promise.resolve();
    } else {
      ({ url, drop } = await freshDatabaseUrl());
    }
    const h = openDatabase(url);
    try {
      await migrateToLatest(h.db);
      organizationId = (await buildDeck({ db: h.db } as TestApp)).organizationId;
    } finally {
      await h.destroy();
    }
  });
  afterAll(async () => {
    await drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('prints every measure as JSON, with the figures the rules give', async () => {
    const r = await lodestar(['measures', '--org', organizationId, '--from', '2026-01-01', '--to', '2026-06-30', '--json']);
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out) as Json;
    expect(json).toMatchObject({ period: { from: '2026-01-01', to: '2026-06-30' }, timeZone: 'America/Chicago', participants: 10 });
    expect(json.measures).toHaveLength(MEASURE_IDS.length);
    const fig = (m: string, k: string) => json.measures.find((x) => x.id === m)!.figures.find((f) => f.key === k)!;
    expect(fig('linkage', 'window_7')).toMatchObject({ numerator: 2, denominator: 6 });
    expect(fig('linkage', 'window_30')).toMatchObject({ numerator: 3, denominator: 5, pending: 1, rate: 0.6 });
    expect(fig('ed_follow_up', 'window_7')).toMatchObject({ numerator: 2, denominator: 4, rate: 0.5 });
  });

  it('prints a readable table', async () => {
    const r = await lodestar(['measures', '--org', organizationId, '--from', '2026-01-01', '--to', '2026-12-31']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('Linkage to treatment [linkage]');
    expect(r.out).toMatch(/Continuous for the treatment period\s+2\/3 {2}66\.7% \(95% CI/);
  });

  it('refuses bad arguments, naming them', async () => {
    const r = await lodestar(['measures', '--org', organizationId, '--from', '2026-06-30', '--to', '2026-01-01']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--to');
    const none = await lodestar(['measures', '--from', '2026-01-01', '--to', '2026-02-01']);
    expect(none.code).toBe(2);
    expect(none.err).toContain('--org');
    const unknown = await lodestar(['measures', '--org', '01936b2e-0000-7000-8000-000000000000', '--from', '2026-01-01', '--to', '2026-02-01']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('No organization');
  });
});

/**
 * The operator's command line, run as a real child process: migrate, create-admin, seed-demo,
 * audit checkpoint/verify, and an online backup whose copy restores and verifies.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { freshDatabaseUrl, testDialect } from '../helpers/db.js';
import { openDatabase } from '../../src/server/platform/db/database.js';

// Each test starts the CLI as a child process (tsx compiles the server on start): on a shared
// 2-core machine running the other suites beside it, that takes far longer than the usual 20 s.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../../bin/lodestar.mjs');
const KEY = 'cli-test-audit-key-0123456789abcdef0123';

describe('lodestar CLI', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lodestar-cli-'));
  let url: string;
  let drop: () => Promise<void>;

  /** Run the CLI; an `env` value of undefined removes that variable. */
  const lodestar = async (args: string[], env: Record<string, string | undefined> = {}) => {
    const merged: Record<string, string | undefined> = { ...process.env, DATABASE_URL: url, LODESTAR_AUDIT_KEY: KEY, LOG_LEVEL: 'silent', ...env };
    for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
    try {
      const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
        env: merged,
        timeout: 60_000,
      });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  beforeAll(async () => {
    if (testDialect() === 'sqlite') {
      url = `sqlite:${path.join(tmp, 'lodestar.db')}`;
      drop = () => Promise.resolve();
    } else {
      ({ url, drop } = await freshDatabaseUrl());
    }
  });
  afterAll(async () => {
    await drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('migrates, then reports the database up to date', async () => {
    const first = await lodestar(['migrate']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('0001-foundation');
    const again = await lodestar(['migrate']);
    expect(again.stdout).toContain('up to date');
  });

  it('creates an administrator with a one-time link and no password', async () => {
    const res = await lodestar(['create-admin', '--email', 'Ops@Example.org', '--name', 'Operator', '--organization', 'Lakeside RCO']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/\/reset-password#token=[\w-]{20,}/);
    const h = openDatabase(url);
    try {
      const user = await h.db.selectFrom('users').select(['email', 'password_hash', 'is_platform_admin']).where('email', '=', 'ops@example.org').executeTakeFirstOrThrow();
      expect(user.password_hash).toBeNull();
      // An organization's admin only: creating organizations takes --platform-admin.
      expect(user.is_platform_admin).toBe(0);
    } finally {
      await h.destroy();
    }
  });

  it('makes a platform administrator only when asked', async () => {
    const res = await lodestar(['create-admin', '--email', 'operator@example.org', '--name', 'Operator Two', '--organization', 'Lakeside RCO', '--platform-admin']);
    expect(res.code).toBe(0);
    const h = openDatabase(url);
    try {
      const user = await h.db.selectFrom('users').select('is_platform_admin').where('email', '=', 'operator@example.org').executeTakeFirstOrThrow();
      expect(user.is_platform_admin).toBe(1);
    } finally {
      await h.destroy();
    }
  });

  it('refuses create-admin without an email', async () => {
    const res = await lodestar(['create-admin', '--name', 'No Email']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--email');
  });

  it('seeds the demo program into its own database and prints a login per role — never into one with real accounts', async () => {
    const refused = await lodestar(['seed-demo']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('real accounts');
    const demo = testDialect() === 'sqlite' ? { url: `sqlite:${path.join(tmp, 'demo.db')}`, drop: () => Promise.resolve() } : await freshDatabaseUrl();
    try {
      const res = await lodestar(['seed-demo'], { DATABASE_URL: demo.url });
      expect(res.code, res.stderr).toBe(0);
      for (const role of ['admin', 'privacy_officer', 'program_manager', 'supervisor', 'coach', 'partner']) expect(res.stdout).toContain(role);
      expect(res.stdout).toContain('@demo.lodestar.invalid');
      expect((await lodestar(['seed-demo'], { DATABASE_URL: demo.url })).code).toBe(1); // not twice into one database
    } finally {
      await demo.drop();
    }
  });

  it('signs checkpoints, prints each chain’s signed head for archiving, and verifies the audit trail', async () => {
    const signed = await lodestar(['audit', 'checkpoint']);
    expect(signed.stdout).toMatch(/Signed [1-9]\d* checkpoint/);
    // chain id, seq, hash, signed at, signature: one line per chain, to keep outside the database.
    expect(signed.stdout).toMatch(/^\S+\t[1-9]\d*\t[0-9a-f]{64}\t\d{4}-\d\d-\d\dT\S+Z\t[0-9a-f]{64}$/m);
    const res = await lodestar(['audit', 'verify']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Audit trail intact');
    expect(res.stdout).toMatch(/the newest signed \d{4}-\d\d-\d\dT/);
    const wrongKey = await lodestar(['audit', 'verify'], { LODESTAR_AUDIT_KEY: 'not-the-key-0123456789abcdef0123456789' });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain('BROKEN');
  });

  it('never creates an audit key: without one, audit verify and audit checkpoint exit 2 and say what to set', async () => {
    const file = path.join(tmp, 'no-such-dir', 'audit.key');
    for (const sub of ['verify', 'checkpoint']) {
      const res = await lodestar(['audit', sub], { LODESTAR_AUDIT_KEY: undefined, LODESTAR_AUDIT_KEY_FILE: file });
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('LODESTAR_AUDIT_KEY');
      expect(res.stderr).not.toContain('BROKEN');
    }
    expect(fs.existsSync(file)).toBe(false);
  });

  it('backs up SQLite online; the copy restores and passes audit verify (PostgreSQL: refuses and points to pg_dump)', async () => {
    const target = path.join(tmp, 'backups', 'copy.db');
    const res = await lodestar(['backup', target]);
    if (testDialect() === 'postgres') {
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('pg_dump');
      return;
    }
    expect(res.code).toBe(0);
    expect(fs.existsSync(target)).toBe(true);
    const restored = await lodestar(['audit', 'verify'], { DATABASE_URL: `sqlite:${target}` });
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain('Audit trail intact');
    const h = openDatabase(`sqlite:${target}`);
    try {
      expect((await h.db.selectFrom('users').select('email').execute()).map((u) => u.email)).toContain('ops@example.org');
    } finally {
      await h.destroy();
    }
    expect((await lodestar(['backup', target])).code).toBe(1); // never overwrites
  });

  it('reports tampering with a non-zero exit', async () => {
    const h = openDatabase(url);
    try {
      if (testDialect() === 'postgres') await sql.raw('DROP TRIGGER audit_events_append_only ON audit_events').execute(h.db);
      else await sql.raw('DROP TRIGGER audit_events_no_update').execute(h.db);
      await h.db.updateTable('audit_events').set({ action: 'tampered' }).where('seq', '=', 1).execute();
    } finally {
      await h.destroy();
    }
    const res = await lodestar(['audit', 'verify']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/BROKEN at .+#1/);
  });

  it('generates the same synthetic participants for the same seed into fresh databases — never into one with real accounts', async () => {
    const refused = await lodestar(['generate', '--participants', '10']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('real accounts');
    const fresh = async (name: string) => (testDialect() === 'sqlite' ? { url: `sqlite:${path.join(tmp, name)}`, drop: () => Promise.resolve() } : freshDatabaseUrl());
    const rowsOf = async (dbUrl: string) => {
      const h = openDatabase(dbUrl);
      try {
        return await h.db
          .selectFrom('participants')
          .select(['search_name', 'first_name', 'last_name', 'alias', 'date_of_birth', 'phone', 'intake_level', 'intake_setting', 'preferred_contact_method'])
          .orderBy('search_name')
          .orderBy('date_of_birth')
          .orderBy('phone')
          .orderBy('intake_setting')
          .execute();
      } finally {
        await h.destroy();
      }
    };
    const [a, b] = [await fresh('generated-a.db'), await fresh('generated-b.db')];
    try {
      const first = await lodestar(['generate', '--participants', '300', '--seed', '7'], { DATABASE_URL: a.url });
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/Generated 300 participants/);
      expect(first.stdout).toMatch(/\d+ rows\/s/);
      expect(first.stdout).toContain('manager@generated.lodestar.invalid');
      const second = await lodestar(['generate', '--participants', '300', '--seed', '7', '--password', 'a shared password for fictional people'], { DATABASE_URL: b.url });
      expect(second.code, second.stderr).toBe(0);
      const rowsA = await rowsOf(a.url);
      expect(rowsA).toHaveLength(300);
      expect(await rowsOf(b.url)).toEqual(rowsA);
      expect((await lodestar(['generate', '--participants', '300', '--seed', '7'], { DATABASE_URL: b.url })).code).toBe(1); // not twice into one database
    } finally {
      await a.drop();
      await b.drop();
    }
  }, 180_000); // four CLI processes (each starts tsx) on a shared 2-core machine
});

/**
 * `lodestar directory import|export`, run as a real child process: a dry run that writes nothing,
 * an import (the shipped HSDS CSV example as a folder, a generated Meeting Guide feed), a refused
 * file that prints each bad row and exits 1, and an export to stdout that imports back unchanged.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshDatabaseUrl, testDialect } from '../helpers/db.js';
import { openDatabase } from '../../src/server/platform/db/database.js';
import { HSDS_DIR, findTreatmentExport, meetingGuideFeed } from '../fixtures/directory/feeds.js';

// Each test starts the CLI as a child process (tsx compiles the server on start): on a shared
// 2-core machine running the other suites beside it, that takes far longer than the usual 20 s.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../../bin/lodestar.mjs');
const KEY = 'cli-test-audit-key-0123456789abcdef0123';

// Each run starts Node with tsx: a few seconds apiece on a busy machine.
describe('lodestar directory', { timeout: 180_000 }, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lodestar-directory-cli-'));
  let url: string;
  let drop: () => Promise<void>;

  const lodestar = async (args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
        env: { ...process.env, DATABASE_URL: url, LODESTAR_AUDIT_KEY: KEY, LOG_LEVEL: 'silent' },
        timeout: 60_000,
        encoding: 'buffer',
        maxBuffer: 64 * 1024 * 1024,
      });
      return { code: 0, stdout, out: stdout.toString('utf8'), err: stderr.toString('utf8') };
    } catch (e) {
      const x = e as { code: number; stdout: Buffer; stderr: Buffer };
      return { code: x.code, stdout: x.stdout, out: x.stdout.toString('utf8'), err: x.stderr.toString('utf8') };
    }
  };
  const count = async (table: 'directory_services' | 'directory_organizations') => {
    const h = openDatabase(url);
    try {
      return Number((await h.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    } finally {
      await h.destroy();
    }
  };
  const write = (name: string, doc: unknown) => {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, JSON.stringify(doc));
    return file;
  };

  beforeAll(async () => {
    if (testDialect() === 'sqlite') {
      url = `sqlite:${path.join(tmp, 'lodestar.db')}`;
      drop = () => Promise.resolve();
    } else {
      ({ url, drop } = await freshDatabaseUrl());
    }
    const admin = await lodestar(['create-admin', '--email', 'ops@example.org', '--name', 'Operator', '--organization', 'Lakeside RCO']);
    expect(admin.code, admin.err).toBe(0);
  });
  afterAll(async () => {
    await drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('shows a dry run without writing, then imports a Meeting Guide feed into the only organization', async () => {
    const feed = write('meetings.json', meetingGuideFeed(6));
    const dry = await lodestar(['directory', 'import', feed, '--format', 'meeting-guide', '--fellowship', 'na', '--dry-run']);
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toContain('Dry run');
    expect(dry.out).toMatch(/services\s+6 to create/);
    expect(await count('directory_services')).toBe(0);

    const res = await lodestar(['directory', 'import', feed, '--format', 'meeting-guide', '--fellowship', 'na', '--organization', 'Lakeside RCO']);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toMatch(/services\s+6 created\s+0 updated\s+0 unchanged/);
    expect(await count('directory_services')).toBe(6);
  });

  it('imports the shipped HSDS CSV example from its folder, and reports what it left out', async () => {
    const res = await lodestar(['directory', 'import', path.join(HSDS_DIR, 'csv'), '--format', 'hsds-csv']);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toMatch(/services\s+1 created/);
    expect(res.out).toContain('funding.csv: this table is not part of the directory; left out');
  });

  it('refuses a file with bad rows: prints each one, exits 1, and changes nothing', async () => {
    const file = findTreatmentExport(3);
    file.rows[1]!.latitude = '123';
    file.rows[2]!.city = '';
    const before = await count('directory_services');
    const res = await lodestar(['directory', 'import', write('bad.json', file), '--format', 'findtreatment']);
    expect(res.code).toBe(1);
    expect(res.err).toContain('2 row(s) of the file cannot be imported, so nothing was changed');
    expect(res.err).toContain('findtreatment row 2: latitude 123 is outside −90…90');
    expect(res.err).toContain('findtreatment row 3: city is required');
    expect(await count('directory_services')).toBe(before);
  });

  it('exports to stdout (JSON, or the CSV package as a zip) and the export imports back unchanged', async () => {
    const out = await lodestar(['directory', 'export', '--format', 'hsds-json']);
    expect(out.code, out.err).toBe(0);
    const doc = JSON.parse(out.out) as { contents: unknown[] };
    expect(doc.contents.length).toBe(await count('directory_organizations'));
    const back = await lodestar(['directory', 'import', write('export.json', doc), '--format', 'hsds-json']);
    expect(back.code, back.err).toBe(0);
    expect(back.out).toMatch(/services\s+0 created\s+0 updated\s+7 unchanged/);

    const zip = await lodestar(['directory', 'export', '--format', 'hsds-csv']);
    expect(zip.code, zip.err).toBe(0);
    expect(zip.stdout.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    const zipFile = path.join(tmp, 'export.zip');
    fs.writeFileSync(zipFile, zip.stdout);
    const again = await lodestar(['directory', 'import', zipFile, '--format', 'hsds-csv']);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/services\s+0 created\s+0 updated\s+7 unchanged/);
  });

  it('explains what it needs', async () => {
    const wrong = await lodestar(['directory', 'import', write('x.json', []), '--format', 'excel']);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain('--format');
    expect((await lodestar(['directory', 'import', write('y.json', []), '--format', 'hsds-json', '--organization', 'Nowhere'])).err).toContain('No organization');
  });
});

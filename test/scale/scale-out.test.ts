/**
 * Scaling out (issue 8): TWO real Lodestar processes (test/scale/node.ts, child processes running
 * `startServer`) on ONE fresh PostgreSQL database serve the same people safely:
 *
 * - a session made on one process works on the other, and signing out on one ends it on both;
 * - a rate limit is shared: 20 sign-in attempts a minute in total, not 20 per process;
 * - due reminders are sent exactly once while both outbox workers poll (a local SMTP server
 *   counts what arrives);
 * - the same retried write (one Idempotency-Key) sent to both at once makes one to-do, and two
 *   people marking one episode unreachable at once make one pair of re-engagement to-dos;
 * - audited reads and writes through both keep every hash chain verifiable, and both signing a
 *   last checkpoint at the same moment does not fork the checkpoint chain.
 *
 * PostgreSQL only: SQLite is one process's embedded database. Required wherever the postgres
 * project runs (CI sets LODESTAR_REQUIRE_PG=1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { openDatabase, type DatabaseHandle } from '../../src/server/platform/db/database.js';
import { verifyAudit } from '../../src/server/platform/audit/checkpoints.js';
import { freshDatabaseUrl, testDialect } from '../helpers/db.js';
import { buildEpisode, buildOrganization, buildParticipant, buildUser, DEFAULT_PASSWORD, type BuiltUser } from '../helpers/factories.js';

const KEY = 'scale-out-test-audit-key-0123456789abcdef';
const NODE = path.join(import.meta.dirname, 'node.ts');

interface Node {
  name: string;
  url: string;
  child: ChildProcess;
  stderr: () => string;
}

function startNode(name: string, env: Record<string, string>): Promise<Node> {
  const child = spawn(process.execPath, ['--import', 'tsx', NODE], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'error', WEB_DIST: '/nonexistent', LODESTAR_AUDIT_KEY: KEY, LODESTAR_TEST_OUTBOX_MS: '100', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready (\S+)/.exec(out);
      if (m) resolve({ name, url: m[1]!, child, stderr: () => stderr });
    });
    child.on('exit', (code) => reject(new Error(`${name} exited (${code}) before it was ready: ${stderr}`)));
  });
}

function stopNode(node: Node): Promise<number | null> {
  if (node.child.exitCode !== null) return Promise.resolve(node.child.exitCode);
  return new Promise((resolve) => {
    node.child.once('exit', (code) => resolve(code));
    node.child.kill('SIGTERM');
  });
}

/** A browser-like client: keeps cookies across requests to ANY of the processes, sends the CSRF token. */
class Browser {
  private cookies = new Map<string, string>();
  private csrf: string | undefined;

  /** Another client holding the same cookies (a copied session cookie). */
  copy(): Browser {
    const other = new Browser();
    other.cookies = new Map(this.cookies);
    other.csrf = this.csrf;
    return other;
  }

  async request(node: Node, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: () => unknown; headers: Headers }> {
    const h: Record<string, string> = { ...headers };
    if (method !== 'GET') {
      this.csrf ??= await this.fetchCsrf(node);
      h['x-csrf-token'] = this.csrf;
    }
    if (this.cookies.size) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (body !== undefined) h['content-type'] = 'application/json';
    const res = await fetch(node.url + url, { method, headers: h, ...(body !== undefined && { body: JSON.stringify(body) }) });
    this.remember(res);
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: (): unknown => (text ? JSON.parse(text) : null) };
  }

  private async fetchCsrf(node: Node): Promise<string> {
    const res = await fetch(`${node.url}/api/v1/auth/csrf`, { headers: this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {} });
    this.remember(res);
    return ((await res.json()) as { csrfToken: string }).csrfToken;
  }

  private remember(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

const pg = testDialect() === 'postgres';

describe.runIf(pg)('two Lodestar processes on one PostgreSQL', () => {
  let db: DatabaseHandle;
  let drop: () => Promise<void>;
  let a: Node;
  let b: Node;
  let smtp: SMTPServer;
  const received: string[] = [];
  let organizationId: string;
  let coach: BuiltUser;

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, cb) {
        stream.on('data', () => undefined);
        stream.on('end', () => {
          for (const r of session.envelope.rcptTo) received.push(r.address);
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const smtpPort = (smtp.server.address() as AddressInfo).port;

    const fresh = await freshDatabaseUrl();
    drop = fresh.drop;
    // Both start at once on the empty database: both migrate (Kysely holds an advisory lock).
    const env = { DATABASE_URL: fresh.url, LODESTAR_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, LODESTAR_MAIL_FROM: 'reminders@lodestar.example' };
    [a, b] = await Promise.all([startNode('A', env), startNode('B', env)]);
    db = openDatabase(fresh.url, { poolSize: 4 });
    organizationId = (await buildOrganization(db.db)).id;
    coach = await buildUser(db.db, { organizationId, roles: ['coach'] });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a, b].filter(Boolean).map(stopNode));
    await db?.destroy();
    await drop?.();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  const signedIn = async (node: Node, user: BuiltUser = coach) => {
    const browser = new Browser();
    const res = await browser.request(node, 'POST', '/api/v1/auth/sign-in', { email: user.email, password: DEFAULT_PASSWORD });
    expect(res.status).toBe(200);
    return browser;
  };

  const assignedParticipant = async (values: Record<string, unknown> = {}) => {
    const participantId = await buildParticipant(db.db, { organizationId, createdBy: coach.id });
    if (Object.keys(values).length) await db.db.updateTable('participants').set(values).where('id', '=', participantId).execute();
    const episode = await buildEpisode(db.db, { organizationId, participantId, createdBy: coach.id, assignedCoachUserId: coach.id });
    return { participantId, episodeId: episode.id };
  };

  it('serves one signed-in person from either process; signing out on one ends the session on both', async () => {
    const browser = await signedIn(a);
    const onA = await browser.request(a, 'GET', '/api/v1/me');
    const onB = await browser.request(b, 'GET', '/api/v1/me');
    expect(onA.status).toBe(200);
    expect(onB.status).toBe(200);
    expect((onB.json() as { user: { id: string } }).user.id).toBe(coach.id);
    // A state change on B with the CSRF token A issued (the secret travels in the cookie); the
    // session it ends is refused on A too, even to someone still holding its cookie.
    const kept = browser.copy();
    expect((await browser.request(b, 'POST', '/api/v1/auth/sign-out')).status).toBe(200);
    expect((await kept.request(a, 'GET', '/api/v1/me')).status).toBe(401);
  });

  it('shares a rate limit: 20 sign-in attempts a minute for one address and email across both processes', async () => {
    const email = `nobody-${Date.now()}@example.org`;
    const browser = new Browser();
    const attempts = await Promise.all(
      Array.from({ length: 20 }, (_, i) => browser.request(i % 2 ? b : a, 'POST', '/api/v1/auth/sign-in', { email, password: 'not a real password' })),
    );
    expect(attempts.map((r) => r.status)).toEqual(Array(20).fill(401));
    for (const node of [a, b]) {
      const limited = await browser.request(node, 'POST', '/api/v1/auth/sign-in', { email, password: 'not a real password' });
      expect(limited.status, node.name).toBe(429);
      expect(limited.headers.get('retry-after')).toBeTruthy();
    }
    // The window is stored hashed: no address or email in the table.
    const keys = await db.db.selectFrom('rate_limits').select('key').execute();
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k) => /^[0-9a-f]{64}$/.test(k.key))).toBe(true);
  });

  it('sends each due reminder exactly once while both outbox workers poll', async () => {
    const browser = await signedIn(a);
    const n = 8;
    const emails: string[] = [];
    const startsAt = new Date(Date.now() + 3 * 3_600_000).toISOString(); // within a day: the reminder is due now
    for (let i = 0; i < n; i++) {
      const email = `reminder-${i}-${Date.now()}@example.org`;
      emails.push(email);
      const { participantId } = await assignedParticipant({ email });
      const res = await browser.request(i % 2 ? b : a, 'POST', `/api/v1/participants/${participantId}/appointments`, { kind: 'moud_induction', startsAt, remindParticipant: true });
      expect(res.status).toBe(201);
    }
    const deadline = Date.now() + 30_000;
    for (;;) {
      const pending = await db.db.selectFrom('outbox_messages').select('id').where('status', '!=', 'sent').where('organization_id', '=', organizationId).execute();
      if (pending.length === 0 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    // A few more passes of both workers after the last send: nothing goes out again.
    await new Promise((r) => setTimeout(r, 1_000));
    const rows = await db.db.selectFrom('outbox_messages').select(['status', 'attempts']).where('organization_id', '=', organizationId).execute();
    expect(rows).toHaveLength(n);
    expect(rows.every((r) => r.status === 'sent' && Number(r.attempts) === 1)).toBe(true);
    for (const email of emails) expect(received.filter((r) => r === email), email).toHaveLength(1);
  }, 60_000);

  it('makes one to-do from one retried write sent to both processes at once, and one re-engagement plan from two people marking an episode unreachable at once', async () => {
    const { participantId, episodeId } = await assignedParticipant();
    const one = await signedIn(a);
    const two = await signedIn(b);
    const key = `retry-${Date.now()}-abcdef`;
    const title = `Call back about the ride (${key})`;
    const body = { dueOn: '2099-01-05', title };
    const [r1, r2] = await Promise.all([
      one.request(a, 'POST', `/api/v1/participants/${participantId}/todos`, body, { 'idempotency-key': key }),
      one.request(b, 'POST', `/api/v1/participants/${participantId}/todos`, body, { 'idempotency-key': key }),
    ]);
    expect([r1.status, r2.status]).toContain(201);
    for (const r of [r1, r2]) expect([201, 409]).toContain(r.status);
    expect(await db.db.selectFrom('todos').select('id').where('title', '=', title).execute()).toHaveLength(1);

    const [u1, u2] = await Promise.all([
      one.request(a, 'POST', `/api/v1/episodes/${episodeId}/unreachable`, { reason: 'No answer on any channel for three weeks', version: 1 }),
      two.request(b, 'POST', `/api/v1/episodes/${episodeId}/unreachable`, { reason: 'No answer on any channel for three weeks', version: 1 }),
    ]);
    expect([u1.status, u2.status].sort()).toEqual([200, 409]);
    const reEngagement = await db.db.selectFrom('todos').select('id').where('participant_id', '=', participantId).where('kind', '=', 're_engagement').execute();
    expect(reEngagement).toHaveLength(2);
  }, 60_000);

  it('keeps every audit chain verifiable under concurrent audited reads and writes through both, and both signing at shutdown', async () => {
    const { participantId } = await assignedParticipant();
    const browsers = [await signedIn(a), await signedIn(b)];
    const before = Number((await db.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const work: Promise<{ status: number }>[] = [];
    for (let i = 0; i < 40; i++) {
      const node = i % 2 ? b : a;
      const browser = browsers[i % 2]!;
      work.push(
        i % 4 < 2
          ? browser.request(node, 'POST', `/api/v1/participants/${participantId}/todos`, { dueOn: '2099-02-01', title: `Check in (${i})` })
          : browser.request(node, 'GET', `/api/v1/participants/${participantId}`),
      );
    }
    const results = await Promise.all(work);
    expect(results.map((r) => r.status).filter((s) => s !== 200 && s !== 201)).toEqual([]);

    // Both stop at the same moment: both flush their batched reads and sign a last checkpoint.
    expect(await Promise.all([stopNode(a), stopNode(b)])).toEqual([0, 0]);
    const after = Number((await db.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    // 20 to-dos (one event each) and 20 reads (one event each), at the least.
    expect(after - before).toBeGreaterThanOrEqual(40);
    const report = await verifyAudit(db.db, KEY);
    expect(report.problem).toBeUndefined();
    expect(report.ok).toBe(true);
    const orgHead = report.heads.find((h) => h.chainId === organizationId)!;
    expect(orgHead.checkpointSeq).toBe(orgHead.lastSeq);
    // Never two checkpoints of one chain at one position (the signatures chain them).
    const cps = await db.db.selectFrom('audit_checkpoints').select(['chain_id', 'seq']).execute();
    expect(new Set(cps.map((c) => `${c.chain_id}#${c.seq}`)).size).toBe(cps.length);
  }, 60_000);
});

/**
 * The app in-process on a real, migrated database, and a small client that keeps cookies and
 * the CSRF token like a browser does. Requests go through `inject` — the full HTTP pipeline
 * without a socket.
 */
import type { LightMyRequestResponse } from 'fastify';
import { buildApp, type App, type AppDeps } from '../../src/server/app.js';
import { testConfig, type Config } from '../../src/server/platform/config.js';
import { fixedClock } from '../../src/server/platform/clock.js';
import { createAuditReadBuffer, type AuditReadBuffer } from '../../src/server/platform/audit/read-buffer.js';
import type { Db } from '../../src/server/platform/db/database.js';
import { createTestDatabase } from './db.js';

export const TEST_AUDIT_KEY = 'test-audit-key-0123456789abcdef0123456789';

export interface TestApp {
  app: App;
  db: Db;
  dialect: 'sqlite' | 'postgres';
  clock: ReturnType<typeof fixedClock>;
  config: Config;
  auditReads: AuditReadBuffer;
  client: () => TestClient;
  close: () => Promise<void>;
}

export async function createTestApp(opts: { now?: string; config?: Partial<Config>; logStream?: AppDeps['logStream'] } = {}): Promise<TestApp> {
  const handle = await createTestDatabase();
  const clock = fixedClock(opts.now ?? '2026-11-27T15:00:00.000Z');
  const config = testConfig({ auditKey: TEST_AUDIT_KEY, webDist: '/nonexistent', ...opts.config });
  const auditReads = createAuditReadBuffer(handle.db, clock, { flushMs: 50 });
  const app = await buildApp({
    db: handle.db,
    dialect: handle.dialect,
    clock,
    config,
    auditKey: TEST_AUDIT_KEY,
    auditReads,
    ...(opts.logStream && { logStream: opts.logStream }),
  });
  await app.ready();
  return {
    app,
    db: handle.db,
    dialect: handle.dialect,
    clock,
    config,
    auditReads,
    client: () => new TestClient(app),
    async close() {
      await app.close();
      await auditReads.close();
      await handle.drop();
    },
  };
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Send this string as the raw body (for malformed JSON tests). */
  raw?: string;
  /** Leave out the CSRF header. */
  noCsrf?: boolean;
}

export class TestClient {
  private cookies = new Map<string, string>();
  private csrf: Promise<string> | undefined;

  constructor(readonly app: App) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(res: LightMyRequestResponse): void {
    for (const c of res.cookies) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }

  /** One token per client, fetched once even when several requests start at the same moment. */
  csrfToken(): Promise<string> {
    this.csrf ??= this.app.inject({ method: 'GET', url: '/api/v1/auth/csrf', headers: { cookie: this.cookieHeader() } }).then((res) => {
      this.remember(res);
      return res.json<{ csrfToken: string }>().csrfToken;
    });
    return this.csrf;
  }

  async request(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown, opts: RequestOptions = {}): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...opts.headers };
    const cookie = this.cookieHeader();
    if (method !== 'GET' && !opts.noCsrf) headers['x-csrf-token'] = await this.csrfToken();
    const cookieNow = this.cookieHeader();
    if (cookieNow || cookie) headers.cookie = cookieNow;
    let payload: string | undefined;
    if (opts.raw !== undefined) {
      payload = opts.raw;
      headers['content-type'] ??= 'application/json';
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    }
    const res = await this.app.inject({ method, url, headers, ...(payload !== undefined && { payload }) });
    this.remember(res);
    return res;
  }

  get(url: string, opts?: RequestOptions) {
    return this.request('GET', url, undefined, opts);
  }
  post(url: string, body?: unknown, opts?: RequestOptions) {
    return this.request('POST', url, body ?? {}, opts);
  }
  patch(url: string, body?: unknown, opts?: RequestOptions) {
    return this.request('PATCH', url, body ?? {}, opts);
  }
  delete(url: string, opts?: RequestOptions) {
    return this.request('DELETE', url, undefined, opts);
  }

  hasSession(): boolean {
    return this.cookies.has('lodestar_session');
  }
  forgetSession(): void {
    this.cookies.delete('lodestar_session');
  }
  /** Carry a session made directly in the database (test/helpers/sessions.ts), as after sign-in. */
  useSession(token: string): void {
    this.cookies.set('lodestar_session', token);
  }
}

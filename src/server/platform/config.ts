/**
 * Configuration from the environment, validated once at boot. Every setting has a safe default
 * so that `npm start` needs none; README.md lists them all.
 */
import { z } from 'zod';
import path from 'node:path';

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** `sqlite:<file>` (default), `sqlite::memory:`, or a `postgres://` URL. */
  DATABASE_URL: z.string().default('sqlite:./data/lodestar.db'),
  /** The origin people reach Lodestar at; used for links and to decide on Secure cookies. */
  PUBLIC_URL: z.string().url().optional(),
  /** Key that signs audit checkpoints. Kept outside the database: this, or the file below. */
  LODESTAR_AUDIT_KEY: z.string().min(32).optional(),
  LODESTAR_AUDIT_KEY_FILE: z.string().default('./data/audit.key'),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_LOCKOUT_MINUTES: z.coerce.number().int().min(1).default(15),
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  WEB_DIST: z.string().default('./dist/web'),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string;
  publicUrl: string;
  secureCookies: boolean;
  auditKey: string | undefined;
  auditKeyFile: string;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  loginMaxFailures: number;
  loginLockoutMs: number;
  trustProxy: boolean;
  logLevel: string;
  bodyLimit: number;
  webDist: string;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const publicUrl = e.PUBLIC_URL ?? `http://localhost:${e.PORT}`;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    publicUrl: publicUrl.replace(/\/$/, ''),
    secureCookies: publicUrl.startsWith('https:'),
    auditKey: e.LODESTAR_AUDIT_KEY,
    auditKeyFile: path.resolve(e.LODESTAR_AUDIT_KEY_FILE),
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: e.SESSION_ABSOLUTE_HOURS * 3_600_000,
    loginMaxFailures: e.LOGIN_MAX_FAILURES,
    loginLockoutMs: e.LOGIN_LOCKOUT_MINUTES * 60_000,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    bodyLimit: e.BODY_LIMIT_BYTES,
    webDist: path.resolve(e.WEB_DIST),
  };
}

/** Defaults for tests: in-memory SQLite, a fixed audit key, quiet logs. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: 'sqlite::memory:' }),
    auditKey: 'test-audit-key-0123456789abcdef0123456789',
    ...overrides,
  };
}

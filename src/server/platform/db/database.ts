/**
 * Opens the database named by a URL: embedded SQLite (default) or PostgreSQL through a pool.
 * Both speak the same Kysely queries; the few differences live here and in `columns.ts`.
 */
import { Kysely, PostgresDialect, SqliteDialect, sql, type LogConfig, type Transaction } from 'kysely';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from './tables.js';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the database or a transaction: repositories take this. */
export type Executor = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  dialect: Dialect;
  /** For SQLite: the file path (undefined in memory). */
  file: string | undefined;
  /** The underlying better-sqlite3 handle, for backup and pragmas. */
  sqlite: SQLite.Database | undefined;
  destroy: () => Promise<void>;
}

// pg returns COUNT/SUM as strings and timestamps as Date: make both dialects return the same.
let pgParsersSet = false;
function setPgTypeParsers(): void {
  if (pgParsersSet) return;
  pgParsersSet = true;
  pg.types.setTypeParser(20, (v) => Number(v)); // int8
  pg.types.setTypeParser(1700, (v) => Number(v)); // numeric
  pg.types.setTypeParser(1184, (v) => new Date(v).toISOString()); // timestamptz
  pg.types.setTypeParser(1114, (v) => new Date(`${v}Z`).toISOString()); // timestamp
  pg.types.setTypeParser(1082, (v) => v); // date stays YYYY-MM-DD
}

/** SQLite durability settings (asserted by a test): WAL, FULL sync, foreign keys, busy timeout. */
export const SQLITE_PRAGMAS = {
  journal_mode: 'wal',
  synchronous: 2, // FULL: an acknowledged write survives power loss
  foreign_keys: 1,
  busy_timeout: 5000,
} as const;

/** `log`: Kysely's query log (the benchmark records the SQL a request runs, to time it directly). */
export function openDatabase(url: string, opts: { poolSize?: number; log?: LogConfig } = {}): DatabaseHandle {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    setPgTypeParsers();
    const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10 });
    // An idle connection that the server ends (restart, admin command, DROP DATABASE … FORCE)
    // makes the pool emit 'error'; with no listener that is an uncaught exception and the process
    // dies. The pool has already dropped that connection and opens a new one when needed.
    pool.on('error', () => undefined);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...(opts.log && { log: opts.log }) });
    return { db, dialect: 'postgres', file: undefined, sqlite: undefined, destroy: () => db.destroy() };
  }
  if (!url.startsWith('sqlite:')) {
    throw new Error('DATABASE_URL must start with sqlite: or postgres://');
  }
  const target = url.slice('sqlite:'.length);
  const memory = target === ':memory:' || target === '';
  const file = memory ? undefined : path.resolve(target);
  if (file) fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file ?? ':memory:');
  if (file) sqlite.pragma(`journal_mode = ${SQLITE_PRAGMAS.journal_mode}`);
  sqlite.pragma(`synchronous = ${SQLITE_PRAGMAS.synchronous}`);
  sqlite.pragma(`foreign_keys = ${SQLITE_PRAGMAS.foreign_keys}`);
  sqlite.pragma(`busy_timeout = ${SQLITE_PRAGMAS.busy_timeout}`);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }), ...(opts.log && { log: opts.log }) });
  return { db, dialect: 'sqlite', file, sqlite, destroy: () => db.destroy() };
}

/**
 * Kysely asks better-sqlite3 to prepare every query it runs, and preparing (parsing and planning)
 * costs more than running most of ours. The same few hundred SQL strings serve every request, so
 * the most recently used statements stay compiled. Safe because the one connection runs one
 * query at a time (Kysely's connection mutex), and SQLite re-plans a cached statement by itself
 * when the schema changes.
 */
export function withStatementCache(sqlite: SQLite.Database, size = 2000): { close: () => void; prepare: (sql: string) => SQLite.Statement } {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (text: string) => {
      const cached = cache.get(text);
      if (cached) {
        // Most recently used last: the first key is the one to evict.
        cache.delete(text);
        cache.set(text, cached);
        return cached;
      }
      const stmt = sqlite.prepare(text);
      cache.set(text, stmt);
      if (cache.size > size) cache.delete(cache.keys().next().value!);
      return stmt;
    },
  };
}

export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}

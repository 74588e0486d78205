/**
 * A fresh, migrated database for a test file: in-memory SQLite, or a new PostgreSQL database when
 * the suite runs in the `postgres` project. Dropped when the test file is done.
 */
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { openDatabase, type DatabaseHandle } from '../../src/server/platform/db/database.js';
import { migrateToLatest } from '../../src/server/migrations/index.js';

export const testDialect = (): 'sqlite' | 'postgres' => (process.env.LODESTAR_TEST_DB === 'postgres' ? 'postgres' : 'sqlite');

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** A database URL for a fresh, empty database of the current dialect, and a function to drop it. */
export async function freshDatabaseUrl(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (testDialect() === 'sqlite') return { url: 'sqlite::memory:', drop: () => Promise.resolve() };
  const adminUrl = process.env.LODESTAR_TEST_PG_URL;
  if (!adminUrl) throw new Error('LODESTAR_TEST_PG_URL is not set');
  const name = `lodestar_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export async function createTestDatabase(): Promise<DatabaseHandle & { drop: () => Promise<void> }> {
  const { url, drop } = await freshDatabaseUrl();
  const handle = openDatabase(url, { poolSize: 5 });
  await migrateToLatest(handle.db);
  return {
    ...handle,
    async drop() {
      await handle.destroy();
      await drop();
    },
  };
}

/** Which optional test backends this machine has: a PostgreSQL server and Debian's Chromium. */
import fs from 'node:fs';
import pg from 'pg';

export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

export async function probePostgres(): Promise<{ ok: true; url: string } | { ok: false; reason: string }> {
  const url = process.env.LODESTAR_TEST_PG_URL ?? DEFAULT_PG_URL;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return { ok: true, url };
  } catch (err) {
    return { ok: false, reason: `no PostgreSQL at ${url.replace(/\/\/[^@]*@/, '//')} (${(err as Error).message}); set LODESTAR_TEST_PG_URL` };
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function findChromium(): { ok: true; path: string } | { ok: false; reason: string } {
  const candidates = [process.env.LODESTAR_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  const found = candidates.find((p) => fs.existsSync(p));
  return found ? { ok: true, path: found } : { ok: false, reason: 'no Chromium at /usr/bin/chromium (apt-get install chromium, or set LODESTAR_CHROMIUM)' };
}

/**
 * The app's /api/v1 routes, read while the test file is collected (before any `beforeAll`), so
 * that the matrix can generate one test per route. Building the app touches no data, so an empty
 * in-memory SQLite is enough; the matrix checks that its test app has the same routes.
 */
import { buildApp, type RegisteredRoute } from '../../src/server/app.js';
import { fixedClock } from '../../src/server/platform/clock.js';
import { testConfig } from '../../src/server/platform/config.js';
import { openDatabase } from '../../src/server/platform/db/database.js';
import { createAuditReadBuffer } from '../../src/server/platform/audit/read-buffer.js';
import { TEST_AUDIT_KEY } from '../helpers/app.js';

export async function listApiRoutes(): Promise<RegisteredRoute[]> {
  const handle = openDatabase('sqlite::memory:');
  const clock = fixedClock('2026-01-01T00:00:00.000Z');
  const auditReads = createAuditReadBuffer(handle.db, clock);
  const app = await buildApp({
    db: handle.db,
    dialect: handle.dialect,
    clock,
    config: testConfig({ auditKey: TEST_AUDIT_KEY, webDist: '/nonexistent' }),
    auditKey: TEST_AUDIT_KEY,
    auditReads,
  });
  try {
    await app.ready();
    return [...app.apiRoutes];
  } finally {
    await app.close();
    await auditReads.close();
    await handle.destroy();
  }
}

export const routeKey = (r: { method: string; url: string }): string => `${r.method} ${r.url}`;

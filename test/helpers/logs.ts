/**
 * A test app whose log lines are captured instead of discarded, to check what the server writes
 * to its logs. Otherwise the same as `createTestApp` (real migrations, fixed clock).
 */
import { buildApp } from '../../src/server/app.js';
import { testConfig, type Config } from '../../src/server/platform/config.js';
import { fixedClock } from '../../src/server/platform/clock.js';
import { createAuditReadBuffer } from '../../src/server/platform/audit/read-buffer.js';
import { createTestDatabase } from './db.js';
import { TEST_AUDIT_KEY, TestClient, type TestApp } from './app.js';

export async function createLoggingTestApp(opts: { logLevel?: string; config?: Partial<Config> } = {}): Promise<TestApp & { logLines: string[] }> {
  const logLines: string[] = [];
  const handle = await createTestDatabase();
  const clock = fixedClock('2026-11-27T15:00:00.000Z');
  const config = testConfig({ auditKey: TEST_AUDIT_KEY, webDist: '/nonexistent', logLevel: opts.logLevel ?? 'info', ...opts.config });
  const auditReads = createAuditReadBuffer(handle.db, clock, { flushMs: 50 });
  const app = await buildApp({
    db: handle.db,
    dialect: handle.dialect,
    clock,
    config,
    auditKey: TEST_AUDIT_KEY,
    auditReads,
    logStream: { write: (line) => void logLines.push(line) },
  });
  await app.ready();
  return {
    app,
    db: handle.db,
    dialect: handle.dialect,
    clock,
    config,
    auditReads,
    logLines,
    client: () => new TestClient(app),
    async close() {
      await app.close();
      await auditReads.close();
      await handle.drop();
    },
  };
}

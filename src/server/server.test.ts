/**
 * Starting a server: the audit key is loaded before anything is served, and a missing key is
 * never silently replaced when that would make existing checkpoints look forged (SQLite) or give
 * each server its own key (PostgreSQL).
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshDatabaseUrl, testDialect } from '../../test/helpers/db.js';
import { testConfig } from './platform/config.js';
import { systemClock } from './platform/clock.js';
import { appendAudit } from './platform/audit/audit.js';
import { startServer } from './server.js';

describe('startServer and the audit key', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lodestar-server-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('creates a key file only for a new SQLite database; refuses to start without the key once checkpoints exist, and on PostgreSQL without LODESTAR_AUDIT_KEY', async () => {
    const db = testDialect() === 'sqlite' ? { url: `sqlite:${path.join(tmp, 'keyed.db')}`, drop: () => Promise.resolve() } : await freshDatabaseUrl();
    const file = path.join(tmp, 'keys', 'audit.key');
    const config = testConfig({ databaseUrl: db.url, auditKey: undefined, auditKeyFile: file });
    try {
      if (testDialect() === 'postgres') {
        // Several servers share one PostgreSQL: each creating its own key would make the others' checkpoints look forged.
        await expect(startServer(config, { listen: false })).rejects.toThrow(/LODESTAR_AUDIT_KEY/);
        expect(fs.existsSync(file)).toBe(false);
        const server = await startServer({ ...config, auditKey: 'shared-audit-key-0123456789abcdef0123456789' }, { listen: false });
        await server.close();
        return;
      }
      const first = await startServer(config, { listen: false });
      expect(fs.readFileSync(file, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
      await first.handle.db
        .transaction()
        .execute((trx) => appendAudit(trx, systemClock, [{ organizationId: null, actorUserId: null, action: 'test.event', outcome: 'success' }]));
      await first.close(); // signs a last checkpoint
      const again = await startServer(config, { listen: false }); // the same key file: fine
      await again.close();

      fs.rmSync(file);
      await expect(startServer(config, { listen: false })).rejects.toThrow(/checkpoints.*LODESTAR_AUDIT_KEY/);
      expect(fs.existsSync(file)).toBe(false);
    } finally {
      await db.drop();
    }
  });
});

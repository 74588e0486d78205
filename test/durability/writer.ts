/**
 * Child process for the crash test: writes rows (each with its audit row, in one transaction)
 * as fast as it can and prints each id only after the commit returned — an acknowledged write.
 */
import { openDatabase } from '../../src/server/platform/db/database.js';
import { migrateToLatest } from '../../src/server/migrations/index.js';
import { systemClock } from '../../src/server/platform/clock.js';
import { appendAudit } from '../../src/server/platform/audit/audit.js';
import { insertOrganization } from '../../src/server/modules/organizations/organizations.repository.js';

const url = process.argv[2];
if (!url) throw new Error('usage: writer.ts <database url>');
const h = openDatabase(url);
await migrateToLatest(h.db);
process.stdout.write('ready\n');
for (let i = 0; ; i++) {
  const id = await h.db.transaction().execute(async (trx) => {
    const orgId = await insertOrganization(trx, { name: `Durability ${i}`, timeZone: 'UTC', requireMfa: false, now: new Date().toISOString() });
    await appendAudit(trx, systemClock, [{ organizationId: orgId, actorUserId: null, action: 'organization.create', outcome: 'success', targetIds: [orgId] }]);
    return orgId;
  });
  process.stdout.write(`${id}\n`);
}

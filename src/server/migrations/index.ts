/**
 * The one list of migrations for both dialects, in order. Add a file `NNNN-name.ts` with
 * `up`/`down` and list it here. Schema changes only; data backfills are separate migrations.
 */
import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from '../platform/db/database.js';
import * as m0001 from './0001-foundation.js';
import * as m0002 from './0002-participants.js';
import * as m0003 from './0003-consent-and-care.js';
import * as m0004 from './0004-encounters.js';
import * as m0005 from './0005-outreach-summary.js';
import * as m0006 from './0006-directory.js';
import * as m0007 from './0007-appointments.js';
import * as m0008 from './0008-moud-access.js';
import * as m0009 from './0009-referrals.js';
import * as m0010 from './0010-search-token-points.js';
import * as m0011 from './0011-questionnaires.js';
import * as m0012 from './0012-milestones-checkins.js';
import * as m0013 from './0013-recovery-plans.js';
import * as m0014 from './0014-coping-safety-plans.js';
import * as m0015 from './0015-participant-links.js';
import * as m0016 from './0016-program-recovery-settings.js';
import * as m0017 from './0017-import-external-ids.js';
import * as m0018 from './0018-federal-interviews.js';
import * as m0019 from './0019-program-unit-costs.js';
import * as m0020 from './0020-measure-facts-cache.js';
import * as m0021 from './0021-scale-out.js';
import * as m0022 from './0022-measure-read-indexes.js';

export const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-participants': m0002,
  '0003-consent-and-care': m0003,
  '0004-encounters': m0004,
  '0005-outreach-summary': m0005,
  '0006-directory': m0006,
  '0007-appointments': m0007,
  '0008-moud-access': m0008,
  '0009-referrals': m0009,
  '0010-search-token-points': m0010,
  '0011-questionnaires': m0011,
  '0012-milestones-checkins': m0012,
  '0013-recovery-plans': m0013,
  '0014-coping-safety-plans': m0014,
  '0015-participant-links': m0015,
  '0016-program-recovery-settings': m0016,
  '0017-import-external-ids': m0017,
  '0018-federal-interviews': m0018,
  '0019-program-unit-costs': m0019,
  '0020-measure-facts-cache': m0020,
  '0021-scale-out': m0021,
  '0022-measure-read-indexes': m0022,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(`migration failed: ${JSON.stringify(error)}`);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

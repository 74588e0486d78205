/**
 * `lodestar import FILE --org ID [--dry-run] [--as EMAIL]`: a program's history from a Lodestar
 * history file (docs/IMPORT.md), all or nothing, in one transaction. The records are made by the
 * user `--as` names (a member of the organization), or by its first admin; the audit row names
 * them and carries counts only. A file with problems prints each by row and exits 1.
 */
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import { IMPORT_MAX_BYTES, type ImportRejected, type ImportResult } from '../../../contracts/imports.js';
import { loadConfig } from '../../platform/config.js';
import { systemClock } from '../../platform/clock.js';
import { openDatabase } from '../../platform/db/database.js';
import { migrateToLatest } from '../../migrations/index.js';
import { appendAudit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import { importHistory, readJson } from './imports.usecases.js';
import { importingUser, organizationOf } from './imports.repository.js';

export const IMPORT_HELP = `  import FILE --org ID [--dry-run] [--as EMAIL]
                             import a program's history (docs/IMPORT.md): checked whole, then all or
                             nothing; a re-import updates the records by their external ids;
                             --dry-run checks and counts without writing; --as names the staff
                             member the records are made by (default: the organization's first admin)`;

const USAGE = `Usage:\n${IMPORT_HELP}`;

export function printCounts(r: ImportResult): void {
  console.log(r.dryRun ? 'Dry run — nothing was written. The file would:' : 'Imported:');
  for (const [section, c] of Object.entries(r.counts)) {
    if (c.created + c.updated === 0) continue;
    console.log(`  ${section.padEnd(24)} ${String(c.created).padStart(6)} ${r.dryRun ? 'to create' : 'created'}  ${String(c.updated).padStart(6)} ${r.dryRun ? 'to update' : 'updated'}`);
  }
  console.log(`  ${'total'.padEnd(24)} ${String(r.total.created).padStart(6)} ${r.dryRun ? 'to create' : 'created'}  ${String(r.total.updated).padStart(6)} ${r.dryRun ? 'to update' : 'updated'}`);
}

export async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { org: { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, as: { type: 'string' } } });
  const target = positionals[0];
  if (!target || !values.org) {
    console.error([...(target ? [] : ['FILE: give the history file to import']), ...(values.org ? [] : ['--org: give the organization id']), '', USAGE].join('\n'));
    return 2;
  }
  let text: string;
  try {
    if (fs.statSync(target).size > IMPORT_MAX_BYTES) {
      console.error(`${target} is larger than ${IMPORT_MAX_BYTES / 1024 / 1024} MB: split it by year and import each part`);
      return 2;
    }
    text = fs.readFileSync(target, 'utf8');
  } catch (err) {
    console.error(`Cannot read ${target}: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  const config = loadConfig();
  const h = openDatabase(config.databaseUrl);
  try {
    await migrateToLatest(h.db);
    const org = await organizationOf(h.db, values.org);
    if (!org) {
      console.error(`No organization with id ${values.org}`);
      return 2;
    }
    const actorUserId = await importingUser(h.db, org.id, values.as);
    if (!actorUserId) {
      console.error(values.as ? '--as: no active member of this organization has that email' : 'This organization has no admin to import as: name a member with --as EMAIL');
      return 2;
    }
    const dryRun = values['dry-run'];
    try {
      const result = await h.db.transaction().execute(async (trx) => {
        const r = await importHistory(
          {
            db: trx,
            clock: systemClock,
            organizationId: org.id,
            actorUserId,
            via: 'cli',
            audit: (e) => appendAudit(trx, systemClock, [{ ...e, organizationId: org.id, actorUserId, outcome: e.outcome ?? 'success' }]),
          },
          readJson(text),
          { dryRun },
        );
        return r;
      });
      printCounts(result);
      return 0;
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'validation.failed') throw err;
      const report = err.details as ImportRejected | undefined;
      console.error(err.message);
      for (const p of report?.errors ?? []) console.error(`  ${p.path}: ${p.message}`);
      if (report && report.errorCount > report.errors.length) console.error(`  … and ${report.errorCount - report.errors.length} more`);
      // The refusal is recorded after the rolled-back transaction (counts only).
      await appendAudit(h.db, systemClock, [{ organizationId: org.id, actorUserId, action: 'import.apply', outcome: 'denied', targetType: 'organization', targetIds: [org.id], details: { via: 'cli', errorCount: report?.errorCount ?? 0 } }]);
      return 1;
    }
  } finally {
    await h.destroy();
  }
}

/**
 * `lodestar directory import <file> --format F [--organization O] [--label L] [--fellowship F] [--dry-run]`
 * and `lodestar directory export --format F [--organization O] > file`: the same import and export
 * as the HTTP routes, for an operator loading a state's file or scheduling a feed refresh. The
 * import is one transaction, audited (actor: none, the operator's command line); a file with bad
 * rows changes nothing, prints each bad row and exits 1. An HSDS CSV data package is a zip or a
 * folder of CSV files.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ExportQuery, ImportBody, type ImportRejected, type ImportResult } from '../../../../contracts/directory-import.js';
import { loadConfig } from '../../../platform/config.js';
import { systemClock } from '../../../platform/clock.js';
import { openDatabase, type Executor } from '../../../platform/db/database.js';
import { migrateToLatest } from '../../../migrations/index.js';
import { appendAudit } from '../../../platform/audit/audit.js';
import { AppError } from '../../../platform/errors.js';
import type { AuditInput } from '../../../platform/http/context.js';
import { writeZip } from './zip.js';
import { runExport, runImport, type ImportDeps } from './import.usecases.js';

export const DIRECTORY_HELP = `  directory import <file> --format F [--organization O] [--label L] [--fellowship F] [--dry-run]
                             import a directory file, all or nothing: F is hsds-json, hsds-csv (a zip or a
                             folder of CSV files), meeting-guide or findtreatment; O is the organization's
                             id or name (needed when there are several); --dry-run shows what would change
  directory export --format F [--organization O] > file
                             write the organization's directory as hsds-json or hsds-csv (a zip)`;

const USAGE = 'Usage: lodestar directory import <file> --format F [--organization O] [--label L] [--fellowship F] [--dry-run]\n       lodestar directory export --format F [--organization O] > file';

async function organizationOf(db: Executor, named: string | undefined): Promise<{ id: string } | string> {
  if (named) {
    const byId = await db.selectFrom('organizations').select('id').where('id', '=', named).executeTakeFirst();
    if (byId) return byId;
    const byName = await db.selectFrom('organizations').select('id').where('name', '=', named).execute();
    if (byName.length === 1) return byName[0]!;
    return byName.length ? `Several organizations are named “${named}”: give its id.` : `No organization has the id or name “${named}”.`;
  }
  const all = await db.selectFrom('organizations').select('id').limit(2).execute();
  if (all.length === 1) return all[0]!;
  return all.length ? 'This database has several organizations: name one with --organization.' : 'This database has no organization yet (lodestar create-admin makes one).';
}

/** The file as the import body's content: JSON text, or an HSDS CSV package as a zip in base64. */
function contentOf(file: string, format: string): { content: string; encoding: 'utf8' | 'base64' } {
  if (format === 'hsds-csv') {
    if (statSync(file).isDirectory()) {
      const files = Object.fromEntries(
        readdirSync(file)
          .filter((f) => f.endsWith('.csv') || f === 'datapackage.json')
          .map((f) => [f, readFileSync(path.join(file, f), 'utf8')]),
      );
      return { content: writeZip(files).toString('base64'), encoding: 'base64' };
    }
    return { content: readFileSync(file).toString('base64'), encoding: 'base64' };
  }
  return { content: readFileSync(file, 'utf8'), encoding: 'utf8' };
}

const line = (p: { file: string; row: number | null; id: string | null; field: string; message: string }) =>
  `  ${p.file}${p.row !== null ? ` row ${p.row}` : ''}${p.id ? ` (${p.id})` : ''}: ${p.field ? `${p.field} ` : ''}${p.message}`;

function printResult(r: ImportResult): void {
  console.log(`${r.dryRun ? 'Dry run — nothing was written. It would change' : 'Imported'} (${r.format}, source ${r.source}):`);
  for (const [kind, c] of Object.entries(r.counts)) {
    console.log(`  ${kind.padEnd(20)} ${String(c.created).padStart(6)} ${r.dryRun ? 'to create' : 'created'}  ${String(c.updated).padStart(6)} ${r.dryRun ? 'to update' : 'updated'}  ${String(c.unchanged).padStart(6)} unchanged${c.notInFile ? `  ${c.notInFile} of this source not in the file (left as they are)` : ''}`);
  }
  if (r.warningCount) {
    console.log(`\n${r.warningCount} thing(s) left out:`);
    for (const w of r.warnings) console.log(line(w));
    if (r.warningCount > r.warnings.length) console.log(`  … and ${r.warningCount - r.warnings.length} more`);
  }
}

export async function directoryCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'import' && sub !== 'export') {
    console.error(USAGE);
    return 2;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { format: { type: 'string' }, organization: { type: 'string' }, label: { type: 'string' }, fellowship: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
  });
  const config = loadConfig();
  const h = openDatabase(config.databaseUrl);
  try {
    await migrateToLatest(h.db);
    const org = await organizationOf(h.db, values.organization);
    if (typeof org === 'string') {
      console.error(org);
      return 2;
    }
    const rejected: AuditInput[] = [];
    const deps = (db: Executor): ImportDeps => ({
      db,
      clock: systemClock,
      organizationId: org.id,
      audit: (e) => appendAudit(db, systemClock, [{ ...e, organizationId: org.id, actorUserId: null, outcome: e.outcome ?? 'success', details: { ...e.details, via: 'cli' } }]),
    });

    if (sub === 'export') {
      const q = ExportQuery.safeParse({ format: values.format });
      if (!q.success) {
        console.error(`export needs --format hsds-json or --format hsds-csv\n\n${USAGE}`);
        return 2;
      }
      const file = await h.db.transaction().execute((trx) => runExport(deps(trx), q.data.format));
      await new Promise<void>((resolve, reject) => process.stdout.write(file.body, (err) => (err ? reject(err) : resolve())));
      return 0;
    }

    const target = positionals[0];
    if (!target || !values.format) {
      console.error(USAGE);
      return 2;
    }
    let body: z.output<typeof ImportBody>;
    try {
      body = ImportBody.parse({ format: values.format, ...contentOf(target, values.format), dryRun: values['dry-run'], ...(values.label && { label: values.label }), ...(values.fellowship && { fellowship: values.fellowship }) });
    } catch (err) {
      if (err instanceof z.ZodError) {
        console.error(err.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('\n'));
        return 2;
      }
      console.error(`Cannot read ${target}: ${err instanceof Error ? err.message : String(err)}`);
      return 2;
    }
    try {
      const result = await h.db.transaction().execute((trx) => runImport(deps(trx), body, (e) => void rejected.push(e)));
      printResult(result);
      return 0;
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'validation.failed') throw err;
      // The refusal is recorded after the rolled-back transaction, as the HTTP route does.
      await appendAudit(h.db, systemClock, rejected.map((e) => ({ ...e, organizationId: org.id, actorUserId: null, outcome: 'denied' as const, details: { ...e.details, via: 'cli' } })));
      const report = err.details as ImportRejected | undefined;
      console.error(err.message);
      if (report) {
        for (const p of report.errors) console.error(line(p));
        if (report.errorCount > report.errors.length) console.error(`  … and ${report.errorCount - report.errors.length} more`);
      } else for (const f of err.fields ?? []) console.error(`  ${f.path}: ${f.message}`);
      return 1;
    }
  } finally {
    await h.destroy();
  }
}

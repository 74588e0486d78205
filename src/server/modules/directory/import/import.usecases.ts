/**
 * Import and export of the resource directory. One import: decode the file, parse it into the
 * directory model (each format's own rules), refuse the whole file when any row is bad (400 with
 * the per-row report; nothing written), compare with the organization's directory, and — unless it
 * is a dry run — write the changes in the caller's one transaction and rebuild the search rows.
 * Each import (also a dry run and a refused file) and each export is audited with counts only: the
 * directory is not participant data, and the audit never carries names or addresses.
 *
 * The HTTP routes and the CLI (`lodestar directory import|export`) share `runImport`/`runExport`.
 */
import type { z } from 'zod';
import type { ExportFormat, ImportBody, ImportRejected, ImportResult } from '../../../../contracts/directory-import.js';
import { REPORT_LIMIT } from '../../../../contracts/directory-import.js';
import type { Executor } from '../../../platform/db/database.js';
import type { Clock } from '../../../platform/clock.js';
import type { Ctx } from '../../../platform/http/context.js';
import type { AuditInput } from '../../../platform/http/context.js';
import { AppError } from '../../../platform/errors.js';
import type { DirectoryModel, ParseResult, RowProblem } from './model.js';
import { parseHsdsCsv, parseHsdsJson, toHsdsCsv, toHsdsJson } from './hsds.js';
import { parseMeetingGuide } from './meeting-guide.js';
import { parseFindTreatment } from './findtreatment.js';
import { readZip, writeZip, ZipError } from './zip.js';
import { applyPlan, loadDirectory, type LoadedDirectory } from './import.repository.js';
import { planImport } from './plan.js';

type Body = z.output<typeof ImportBody>;

/** What a use case needs to run outside HTTP too (the CLI). */
export interface ImportDeps {
  db: Executor;
  clock: Clock;
  organizationId: string;
  /** Appends an audit event in the same transaction as the import. */
  audit: (entry: AuditInput) => Promise<void>;
}

/** The file as the parser needs it: JSON for the JSON formats, the tables of a zip for hsds-csv. */
function decode(body: Body): { json: unknown } | { files: Record<string, string> } {
  const bad = (message: string) => new AppError('validation.failed', message, { fields: [{ path: 'content', message }] });
  if (body.format === 'hsds-csv') {
    if (body.encoding !== 'base64') throw new AppError('validation.failed', 'An HSDS CSV data package is a zip archive sent in base64.', { fields: [{ path: 'encoding', message: 'Send the zip archive with encoding base64' }] });
    try {
      return { files: readZip(Buffer.from(body.content, 'base64'), { maxBytes: 256 * 1024 * 1024 }) };
    } catch (err) {
      if (err instanceof ZipError) throw bad(err.message);
      throw bad('The zip archive cannot be read.');
    }
  }
  const text = body.encoding === 'base64' ? Buffer.from(body.content, 'base64').toString('utf8') : body.content;
  try {
    return { json: JSON.parse(text.replace(/^\uFEFF/, '')) };
  } catch {
    throw bad('The file is not valid JSON.');
  }
}

export function parseFile(body: Body): ParseResult {
  const decoded = decode(body);
  switch (body.format) {
    case 'hsds-json':
      return parseHsdsJson((decoded as { json: unknown }).json);
    case 'hsds-csv':
      return parseHsdsCsv((decoded as { files: Record<string, string> }).files);
    case 'meeting-guide':
      return parseMeetingGuide((decoded as { json: unknown }).json, body.fellowship ? { fellowship: body.fellowship } : {});
    case 'findtreatment':
      return parseFindTreatment((decoded as { json: unknown }).json);
  }
}

const sourceOf = (body: Body) => (body.label ? `${body.format}:${body.label}` : body.format);
const describe = (p: RowProblem) => `${p.file}${p.row !== null ? ` row ${p.row}` : ''}${p.id ? ` (${p.id})` : ''}: ${p.field ? `${p.field} ` : ''}${p.message}`;

/**
 * Import one file into the organization's directory in the caller's transaction. Throws 400
 * `validation.failed` (details: `ImportRejected`) when any row is bad: nothing is written.
 * `onRejected` records the refusal (the HTTP route writes it outside the rolled-back transaction).
 */
export async function runImport(deps: ImportDeps, body: Body, onRejected: (entry: AuditInput) => void | Promise<void>): Promise<ImportResult> {
  const source = sourceOf(body);
  const parsed = parseFile(body);
  const warnings = parsed.warnings.slice(0, REPORT_LIMIT);
  if (parsed.errors.length) {
    await onRejected({ action: 'directory.import', targetType: 'directory', targetIds: [deps.organizationId], details: { format: body.format, source, dryRun: body.dryRun, rejected: true, errors: parsed.errors.length } });
    const details: ImportRejected = { errors: parsed.errors.slice(0, REPORT_LIMIT), errorCount: parsed.errors.length, warnings, warningCount: parsed.warnings.length };
    throw new AppError('validation.failed', `${parsed.errors.length} row(s) of the file cannot be imported, so nothing was changed. Correct them and import the file again.`, {
      fields: parsed.errors.slice(0, 50).map((p) => ({ path: 'content', message: describe(p) })),
      details,
    });
  }
  const current = await loadDirectory(deps.db, deps.organizationId);
  const planned = planImport(parsed.model, current, source, { matchLodestarIds: body.format === 'hsds-json' || body.format === 'hsds-csv' });
  if (!body.dryRun) await applyPlan(deps.db, deps.organizationId, source, planned.plan, deps.clock.now().toISOString());
  const counts = planned.counts;
  await deps.audit({
    action: 'directory.import',
    targetType: 'directory',
    targetIds: [deps.organizationId],
    details: { format: body.format, source, dryRun: body.dryRun, counts, warnings: parsed.warnings.length },
  });
  const changes = [...planned.changes.filter((c) => c.action !== 'unchanged'), ...planned.changes.filter((c) => c.action === 'unchanged')];
  return {
    format: body.format,
    source,
    dryRun: body.dryRun,
    applied: !body.dryRun,
    counts,
    changes: changes.slice(0, REPORT_LIMIT),
    changesTruncated: changes.length > REPORT_LIMIT,
    warnings,
    warningCount: parsed.warnings.length,
  };
}

export type Exported = { type: 'application/json'; filename: string; body: string } | { type: 'application/zip'; filename: string; body: Buffer };

/** The organization's whole directory in an HSDS format, audited with its counts. */
export async function runExport(deps: ImportDeps, format: ExportFormat): Promise<Exported> {
  const model = withHsdsIds(await loadDirectory(deps.db, deps.organizationId));
  await deps.audit({
    action: 'directory.export',
    targetType: 'directory',
    targetIds: [deps.organizationId],
    details: { format, organizations: model.organizations.length, services: model.services.length, locations: model.locations.length },
  });
  if (format === 'hsds-csv') return { type: 'application/zip', filename: 'directory-hsds.zip', body: writeZip(toHsdsCsv(model)) };
  return { type: 'application/json', filename: 'directory-hsds.json', body: `${JSON.stringify(toHsdsJson(model))}\n` };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * HSDS ids are UUIDs: each entry is exported under its external id when that is one (an HSDS
 * file's), else under its Lodestar id (a Meeting Guide slug, a FindTreatment key, an entry made
 * by hand) — which an HSDS import into the same organization matches again.
 */
function withHsdsIds(loaded: LoadedDirectory): DirectoryModel {
  const { model, refs } = loaded;
  const maps = {
    org: new Map(model.organizations.map((o, i) => [o.externalId, UUID.test(o.externalId) ? o.externalId : refs.organizations[i]!.id])),
    service: new Map(model.services.map((o, i) => [o.externalId, UUID.test(o.externalId) ? o.externalId : refs.services[i]!.id])),
    location: new Map(model.locations.map((o, i) => [o.externalId, UUID.test(o.externalId) ? o.externalId : refs.locations[i]!.id])),
  };
  return {
    organizations: model.organizations.map((o) => ({ ...o, externalId: maps.org.get(o.externalId)! })),
    services: model.services.map((s) => ({ ...s, externalId: maps.service.get(s.externalId)!, organizationExternalId: maps.org.get(s.organizationExternalId)! })),
    locations: model.locations.map((l) => ({ ...l, externalId: maps.location.get(l.externalId)!, organizationExternalId: l.organizationExternalId && maps.org.get(l.organizationExternalId)! })),
    serviceAtLocations: model.serviceAtLocations.map((x, i) => ({
      ...x,
      externalId: UUID.test(x.externalId) ? x.externalId : refs.serviceAtLocations[i]!.id,
      serviceExternalId: maps.service.get(x.serviceExternalId)!,
      locationExternalId: maps.location.get(x.locationExternalId)!,
    })),
  };
}

// ---- HTTP

const depsOf = (ctx: Ctx): ImportDeps => ({ db: ctx.db, clock: ctx.clock, organizationId: ctx.actor.organizationId, audit: ctx.audit });

export const importDirectory = (ctx: Ctx, body: Body): Promise<ImportResult> => runImport(depsOf(ctx), body, (e) => ctx.auditDenied(e));

export const exportDirectory = (ctx: Ctx, format: ExportFormat): Promise<Exported> => runExport(depsOf(ctx), format);

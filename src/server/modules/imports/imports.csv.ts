/**
 * CSV import of participants and encounters (issue 7): a spreadsheet's columns are mapped to the
 * history file's fields (docs/IMPORT.md), each row becomes a row of the history file, and the
 * file goes through the same checks and writes as `lodestar import`. Problems are reported by
 * the CSV's line and column (`line 4 (Birth date): …`), not by the converted row.
 */
import { CSV_FIELDS, CSV_MAX_PREVIEW_ROWS, CSV_REQUIRED, IMPORT_FORMAT, IMPORT_VERSION, type CsvImportBody, type CsvKind, type CsvPreview, type ImportProblem, type ImportResult } from '../../../contracts/imports.js';
import { AppError } from '../../platform/errors.js';
import { CsvError, parseCsv, type CsvTable } from '../directory/import/csv.js';
import { zonedToUtc } from '../care/local-time.js';
import { importHistory, rejected, type ImportDeps } from './imports.usecases.js';
import { organizationOf } from './imports.repository.js';

const BOOLEAN_FIELDS = new Set(['veteran', 'pregnantOrPostpartum', 'justiceInvolved', 'youth', 'reached']);
const NUMBER_FIELDS = new Set(['durationMinutes']);
const LIST_FIELDS = new Set(['race']);

function table(csv: string): CsvTable {
  try {
    return parseCsv(csv);
  } catch (err) {
    if (err instanceof CsvError) throw rejected([{ path: `line ${err.line}`, message: err.message }]);
    throw err;
  }
}

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
/** Other names spreadsheets use for a field. */
const ALIASES: Record<string, string[]> = {
  externalId: ['id', 'recordid', 'clientid', 'participantid', 'encounterid', 'contactid', 'externalid'],
  firstName: ['first', 'firstname', 'givenname'],
  lastName: ['last', 'lastname', 'surname', 'familyname'],
  dateOfBirth: ['dob', 'birthdate', 'dateofbirth'],
  phone: ['phone', 'phonenumber', 'mobile', 'cell'],
  email: ['email', 'emailaddress'],
  zip: ['zip', 'zipcode', 'postalcode'],
  insuranceType: ['insurance', 'insurancetype', 'payer'],
  primarySubstance: ['substance', 'primarysubstance'],
  sexAtBirth: ['sex', 'sexatbirth'],
  participant: ['participant', 'participantid', 'clientid', 'personid'],
  type: ['type', 'contacttype', 'encountertype'],
  startedAt: ['date', 'datetime', 'startedat', 'start', 'contactdate', 'when'],
  durationMinutes: ['duration', 'minutes', 'durationminutes'],
  reached: ['reached', 'successful', 'contactmade'],
  attemptOutcome: ['outcome', 'attemptoutcome'],
  note: ['note', 'notes', 'comment'],
  author: ['author', 'coach', 'staff', 'staffemail', 'coachemail'],
};

/** Field → header for each field whose name (or a usual alias) matches a column. */
export function suggestMapping(kind: CsvKind, headers: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const taken = new Set<string>();
  for (const field of CSV_FIELDS[kind]) {
    const names = new Set([squash(field), ...(ALIASES[field] ?? [])]);
    const header = headers.find((h) => !taken.has(h) && names.has(squash(h)));
    if (header) {
      out[field] = header;
      taken.add(header);
    }
  }
  return out;
}

export function previewCsv(kind: CsvKind, csv: string): CsvPreview {
  const t = table(csv);
  return {
    kind,
    headers: t.header,
    rows: t.rows.slice(0, CSV_MAX_PREVIEW_ROWS).map((r) => t.header.map((h) => r.values[h] ?? '')),
    rowCount: t.rows.length,
    fields: [...CSV_FIELDS[kind]],
    required: [...CSV_REQUIRED[kind]],
    suggested: suggestMapping(kind, t.header),
  };
}

/** A cell as the history file's value (problems are left to the contract, which names them). */
function cellValue(field: string, raw: string, timeZone: string): unknown {
  const v = raw.trim();
  if (BOOLEAN_FIELDS.has(field)) {
    const l = v.toLowerCase();
    if (['yes', 'y', 'true', '1'].includes(l)) return true;
    if (['no', 'n', 'false', '0'].includes(l)) return false;
    return v;
  }
  if (NUMBER_FIELDS.has(field)) return /^\d+$/.test(v) ? Number(v) : v;
  if (LIST_FIELDS.has(field)) return v.split(/[;|]/).map((x) => x.trim()).filter(Boolean);
  if (field === 'startedAt') {
    // A local date and time ("2026-02-03 10:15") is read in the organization's zone.
    const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})$/.exec(v);
    if (m) return zonedToUtc(m[1]!, m[2]!, timeZone).toISOString();
  }
  return v;
}

/** Map, convert and import (or check, with `dryRun`) a CSV of participants or encounters. */
export async function importCsv(deps: ImportDeps, body: CsvImportBody): Promise<ImportResult> {
  const fields = CSV_FIELDS[body.kind] as readonly string[];
  const problems: ImportProblem[] = [];
  for (const [field, header] of Object.entries(body.mapping)) {
    if (!fields.includes(field)) problems.push({ path: `mapping.${field}`, message: `${field} is not a field of ${body.kind}: choose from ${fields.join(', ')}` });
    else if (header === '') delete body.mapping[field];
  }
  for (const field of CSV_REQUIRED[body.kind]) if (!body.mapping[field]) problems.push({ path: `mapping.${field}`, message: `Choose the column that holds ${field}` });
  const t = table(body.csv);
  for (const [field, header] of Object.entries(body.mapping)) if (header && !t.header.includes(header)) problems.push({ path: `mapping.${field}`, message: `The file has no column "${header}"` });
  if (problems.length) throw rejected(problems);
  if (t.rows.length === 0) throw rejected([{ path: 'csv', message: 'The file has a header line but no rows' }]);

  const org = await organizationOf(deps.db, deps.organizationId);
  if (!org) throw new AppError('record.not_found', 'That organization was not found.');
  const section = body.kind;
  const rows = t.rows.map((r) => {
    const row: Record<string, unknown> = {};
    for (const [field, header] of Object.entries(body.mapping)) {
      const raw = r.values[header] ?? '';
      if (raw.trim() === '') continue; // an empty cell leaves the field out
      row[field] = cellValue(field, raw, org.timeZone);
    }
    return row;
  });
  const file = { format: IMPORT_FORMAT, version: IMPORT_VERSION, timeZone: org.timeZone, [section]: rows };
  try {
    return await importHistory(deps, file, { dryRun: body.dryRun });
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'validation.failed') throw err;
    // `participants[3].dateOfBirth` → `line 5 (Birth date)`.
    const header = (field: string | undefined) => (field ? body.mapping[field] : undefined);
    const details = err.details as { errors: ImportProblem[]; errorCount: number } | undefined;
    const mapped = (details?.errors ?? []).map((p) => {
      const m = /^(\w+)\[(\d+)\](?:\.(\w+))?/.exec(p.path);
      if (!m || m[1] !== section) return p;
      const line = t.rows[Number(m[2])]?.line;
      const column = header(m[3]);
      return { path: `line ${line}${column ? ` (${column})` : m[3] ? ` (${m[3]})` : ''}`, message: p.message };
    });
    throw new AppError('validation.failed', err.message, { details: { errorCount: details?.errorCount ?? mapped.length, errors: mapped } });
  }
}

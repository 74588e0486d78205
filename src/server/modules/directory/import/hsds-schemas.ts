/**
 * The HSDS 3.0 JSON schemas (copied into `hsds-schema/` with their licence), compiled once with ajv.
 * `validateHsds('service', value)` checks a nested API-shaped object (a service with its
 * organization, service_at_locations, phones, …); `validateHsdsRow('services.csv', row)` checks one
 * CSV row against the table's flat columns, with the columns a tabular file must carry
 * (`tabular_required`) required too, and text coerced to the column's type.
 *
 * The schemas carry non-standard keywords (`core`, `constraints`, `datapackage_metadata`, …), so ajv
 * runs with `strict: false`; `ajv-formats` adds uuid, email, uri and date-time.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: the ESM default import is its module.exports, which carries the plugin as `.default` too.
const addFormats = addFormatsModule.default;

const DIR = path.join(import.meta.dirname, 'hsds-schema');
const BASE = 'https://lodestar.invalid/hsds-3.0/';

type JsonSchema = { properties: Record<string, { type?: string; format?: string; enum?: unknown[] }>; required?: string[]; tabular_required?: string[] } & Record<string, unknown>;

export const HSDS_ENTITIES = ['organization', 'service', 'location', 'service_at_location', 'schedule', 'phone', 'address', 'language', 'attribute', 'taxonomy_term', 'accessibility'] as const;
export type HsdsEntity = (typeof HSDS_ENTITIES)[number];

/** The CSV file of each table the importer reads, and its schema. */
export const HSDS_TABLES = {
  'organizations.csv': 'organization',
  'services.csv': 'service',
  'locations.csv': 'location',
  'service_at_location.csv': 'service_at_location',
  'addresses.csv': 'address',
  'phones.csv': 'phone',
  'schedules.csv': 'schedule',
  'languages.csv': 'language',
  'attributes.csv': 'attribute',
  'taxonomy_terms.csv': 'taxonomy_term',
  'accessibility.csv': 'accessibility',
} as const satisfies Record<string, HsdsEntity>;
export type HsdsTable = keyof typeof HSDS_TABLES;

export interface SchemaProblem {
  /** JSON pointer-ish path inside the value, e.g. `service_at_locations/0/location/latitude` (empty: the value itself). */
  field: string;
  message: string;
}

let compiled:
  | { nested: Map<HsdsEntity, ValidateFunction>; rows: Map<HsdsTable, ValidateFunction>; columns: Map<HsdsTable, Record<string, string>>; keepEmpty: Map<HsdsTable, Set<string>> }
  | undefined;

function load() {
  if (compiled) return compiled;
  const schemas = new Map<string, JsonSchema>();
  for (const file of readdirSync(DIR)) {
    if (file.endsWith('.json')) schemas.set(file.slice(0, -5), JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as JsonSchema);
  }
  const nestedAjv = new Ajv({ strict: false, allErrors: true });
  addFormats(nestedAjv);
  for (const [name, schema] of schemas) nestedAjv.addSchema({ ...schema, $id: `${BASE}${name}.json` });
  const nested = new Map<HsdsEntity, ValidateFunction>();
  for (const e of HSDS_ENTITIES) nested.set(e, nestedAjv.getSchema(`${BASE}${e}.json`)!);

  const rowAjv = new Ajv({ strict: false, allErrors: true, coerceTypes: true });
  addFormats(rowAjv);
  const rows = new Map<HsdsTable, ValidateFunction>();
  const columns = new Map<HsdsTable, Record<string, string>>();
  const keepEmpty = new Map<HsdsTable, Set<string>>();
  for (const [table, entity] of Object.entries(HSDS_TABLES) as [HsdsTable, HsdsEntity][]) {
    const schema = schemas.get(entity)!;
    const flat: JsonSchema['properties'] = {};
    const types: Record<string, string> = {};
    for (const [k, v] of Object.entries(schema.properties)) {
      if (v.type === 'string' || v.type === 'number' || v.type === 'integer' || v.type === 'boolean') {
        flat[k] = { type: v.type, ...(v.format && { format: v.format }), ...(v.enum && { enum: v.enum }) };
        types[k] = v.type;
      }
    }
    const required = [...new Set([...(schema.required ?? []), ...(schema.tabular_required ?? [])])].filter((k) => k in flat);
    rows.set(table, rowAjv.compile({ type: 'object', properties: flat, required }));
    keepEmpty.set(table, new Set(required.filter((k) => flat[k]!.type === 'string' && !flat[k]!.format && !flat[k]!.enum)));
    columns.set(table, types);
  }
  compiled = { nested, rows, columns, keepEmpty };
  return compiled;
}

function problems(errors: ErrorObject[] | null | undefined): SchemaProblem[] {
  return (errors ?? []).map((e) => {
    const at = e.instancePath.replace(/^\//, '');
    if (e.keyword === 'required') {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      return { field: at ? `${at}/${missing}` : missing, message: 'is required' };
    }
    if (e.keyword === 'enum') return { field: at, message: `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}` };
    return { field: at, message: e.message ?? 'is not valid' };
  });
}

/** Check a nested HSDS object (the API shape) against its entity's schema. */
export function validateHsds(entity: HsdsEntity, value: unknown): SchemaProblem[] {
  const v = load().nested.get(entity)!;
  return v(value) ? [] : problems(v.errors);
}

/**
 * Check one CSV row (text values; empty cells are absent) against the table's columns. Returns the
 * row with numbers coerced, or the problems.
 */
export function validateHsdsRow(table: HsdsTable, values: Record<string, string>): { row: Record<string, string | number>; problems: SchemaProblem[] } {
  const c = load();
  const row: Record<string, string | number> = {};
  const v = c.rows.get(table)!;
  const keepEmpty = c.keepEmpty.get(table)!;
  // An empty cell is an absent value, except in a required text column (HSDS addresses require
  // address_1 and state_province, which a place may not have).
  for (const [k, val] of Object.entries(values)) if (val.trim() !== '' || keepEmpty.has(k)) row[k] = val;
  return v(row) ? { row, problems: [] } : { row, problems: problems(v.errors) };
}

/** The column names and JSON types of a table the importer reads (for the export's headers). */
export function hsdsColumns(table: HsdsTable): string[] {
  return Object.keys(load().columns.get(table)!);
}

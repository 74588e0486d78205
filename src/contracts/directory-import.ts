/**
 * Importing and exporting the resource directory: HSDS 3.0 JSON, the HSDS CSV data package (a
 * zip), Meeting Guide JSON feeds and the FindTreatment.gov JSON export. An import is all or
 * nothing: a file with any bad row changes nothing and the 400 answer's `details` carry the report
 * (`ImportRejected`); `dryRun` shows what would change without writing.
 */
import { z } from 'zod';

export const IMPORT_FORMATS = ['hsds-json', 'hsds-csv', 'meeting-guide', 'findtreatment'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const EXPORT_FORMATS = ['hsds-json', 'hsds-csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const FELLOWSHIPS = ['aa', 'na', 'smart', 'mars', 'all_recovery'] as const;

/** The largest file an import takes, in bytes of the request body (a state's FindTreatment export is a few MB). */
export const IMPORT_MAX_BYTES = 24 * 1024 * 1024;
/** At most this many problems (and changes) are listed; the counts are always complete. */
export const REPORT_LIMIT = 500;

/** `POST /api/v1/directory/imports` */
export const ImportBody = z.object({
  format: z.enum(IMPORT_FORMATS, { message: 'Choose a format: hsds-json, hsds-csv, meeting-guide or findtreatment' }),
  /** The file: JSON text, or for hsds-csv a zip archive in base64. */
  content: z.string({ message: 'Attach the file' }).min(1, 'The file is empty'),
  /** How `content` is written: utf8 text, or base64 bytes (hsds-csv is always a zip in base64). */
  encoding: z.enum(['utf8', 'base64']).default('utf8'),
  /**
   * Names the feed when an organization imports several of one format (two Meeting Guide feeds):
   * entries are matched on (format:label, external id). Lower-case letters, digits, dot, dash, underscore.
   */
  label: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,39}$/, 'Use up to 40 lower-case letters, digits, dots, dashes or underscores')
    .optional(),
  /** Meeting Guide feeds do not say whose meetings they list (AA when not given). */
  fellowship: z.enum(FELLOWSHIPS, { message: 'Choose aa, na, smart, mars or all_recovery' }).optional(),
  dryRun: z.boolean().default(false),
});
export type ImportBody = z.input<typeof ImportBody>;

export const RowProblem = z.object({
  /** The file or table (`services.csv`, `meeting-guide`, …). */
  file: z.string(),
  /** Row number (1-based; the CSV line) when the format has rows. */
  row: z.number().nullable(),
  /** The row's id in the file, when it has one. */
  id: z.string().nullable(),
  field: z.string(),
  message: z.string(),
});
export type RowProblem = z.infer<typeof RowProblem>;

const Counts = z.object({ created: z.number(), updated: z.number(), unchanged: z.number(), notInFile: z.number() });
export const ImportCounts = z.object({ organizations: Counts, locations: Counts, services: Counts, serviceAtLocations: Counts });

export const ImportResult = z.object({
  format: z.enum(IMPORT_FORMATS),
  /** What rows are matched on, with the external id: the format (and label). */
  source: z.string(),
  dryRun: z.boolean(),
  /** False for a dry run: nothing was written. */
  applied: z.boolean(),
  counts: ImportCounts,
  changes: z.array(z.object({ kind: z.enum(['organizations', 'locations', 'services', 'serviceAtLocations']), action: z.enum(['create', 'update', 'unchanged']), externalId: z.string(), name: z.string().nullable() })),
  changesTruncated: z.boolean(),
  /** What was left out without failing the file (unknown codes, unsupported schedules, …). */
  warnings: z.array(RowProblem),
  warningCount: z.number(),
});
export type ImportResult = z.infer<typeof ImportResult>;

/** `details` of the 400 answer to a file with bad rows. */
export const ImportRejected = z.object({
  errors: z.array(RowProblem),
  errorCount: z.number(),
  warnings: z.array(RowProblem),
  warningCount: z.number(),
});
export type ImportRejected = z.infer<typeof ImportRejected>;

/** `GET /api/v1/directory/export?format=…` */
export const ExportQuery = z.object({
  format: z.enum(EXPORT_FORMATS, { message: 'Choose a format: hsds-json or hsds-csv' }).default('hsds-json'),
});

/**
 * The de-identified research export (issue 7, "Exports"): a line-level dataset under HIPAA Safe
 * Harbor (45 CFR 164.514(b)(2)) and its data dictionary. The method is in docs/RESEARCH-EXPORT.md.
 *
 * The period is given in whole years (`from`, `to`: YYYY), not dates: a date window would let a
 * recipient who knows it work back from "days since enrollment" to an exact enrollment date, and
 * Safe Harbor keeps no date element finer than the year (164.514(b)(2)(i)(C)).
 */
import { z } from 'zod';

export const RESEARCH_EXPORT_TABLES = ['participants', 'episodes', 'events'] as const;
export type ResearchExportTable = (typeof RESEARCH_EXPORT_TABLES)[number];

export const RESEARCH_EXPORT_FORMATS = ['json', 'csv'] as const;

/** Why the dataset leaves the organization: recorded in the audit trail with the recipient. */
export const RESEARCH_EXPORT_PURPOSES = ['research', 'funder', 'quality_improvement', 'public_health'] as const;

/** The longest period one export covers, in enrollment years. */
export const RESEARCH_EXPORT_MAX_YEARS = 10;

/** Event kinds in the `events` table. */
export const RESEARCH_EVENT_KINDS = ['ed_visit', 'admission', 'overdose', 'return_to_use', 'encounter', 'referral', 'appointment', 'moud_fill', 'barc10'] as const;

const Year = z
  .string({ message: 'Enter a year like 2026' })
  .trim()
  .regex(/^\d{4}$/, 'Enter a year like 2026')
  .transform(Number)
  .refine((y) => y >= 1990 && y <= 2200, 'Enter a year like 2026');

export const ResearchExportQuery = z
  .object({
    /** First enrollment year of the cohort (episodes enrolled in `from`…`to`, both included). */
    from: Year,
    to: Year,
    format: z.enum(RESEARCH_EXPORT_FORMATS, { message: 'Choose json or csv' }).default('json'),
    /** CSV is one table per request. */
    table: z.enum(RESEARCH_EXPORT_TABLES, { message: 'Choose participants, episodes or events' }).optional(),
    purpose: z.enum(RESEARCH_EXPORT_PURPOSES, { message: 'Choose the purpose: research, funder, quality_improvement or public_health' }),
    /** Who receives the dataset (an organization or study team), recorded in the audit trail. */
    recipient: z
      .string({ message: 'Name who receives the dataset' })
      .trim()
      .min(2, 'Name who receives the dataset')
      .max(200, 'Use at most 200 characters'),
  })
  .superRefine((q, ctx) => {
    if (q.to < q.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'Choose an end year on or after the start year' });
    else if (q.to - q.from + 1 > RESEARCH_EXPORT_MAX_YEARS) ctx.addIssue({ code: 'custom', path: ['to'], message: `Choose at most ${RESEARCH_EXPORT_MAX_YEARS} years` });
    if (q.format === 'csv' && !q.table) ctx.addIssue({ code: 'custom', path: ['table'], message: 'Choose the table to download as CSV: participants, episodes or events' });
  });
export type ResearchExportQuery = z.output<typeof ResearchExportQuery>;

/** `year_of_birth`: a year, or "90+" for anyone who is or may be over 89 (164.514(b)(2)(i)(C)). */
export const ResearchParticipantRow = z.object({
  study_id: z.string(),
  year_of_birth: z.string().nullable(),
  sex: z.string().nullable(),
  race: z.string().nullable(),
  ethnicity: z.string().nullable(),
  insurance_type: z.string().nullable(),
  zip3: z.string().nullable(),
  enrollment_year: z.number().int(),
});

export const ResearchEpisodeRow = z.object({
  study_id: z.string(),
  episode_number: z.number().int(),
  enrollment_year: z.number().int(),
  days_to_discharge: z.number().int().nullable(),
  discharge_reason: z.string().nullable(),
});

export const ResearchEventRow = z.object({
  study_id: z.string(),
  episode_number: z.number().int(),
  kind: z.enum(RESEARCH_EVENT_KINDS),
  days_since_enrollment: z.number().int(),
  fatal: z.boolean().nullable(),
  encounter_type: z.string().nullable(),
  encounter_mode: z.string().nullable(),
  reached: z.boolean().nullable(),
  referral_status: z.string().nullable(),
  days_to_first_attended: z.number().int().nullable(),
  appointment_kind: z.string().nullable(),
  appointment_status: z.string().nullable(),
  medication: z.string().nullable(),
  days_supply: z.number().int().nullable(),
  barc10_total: z.number().int().nullable(),
});

export const ResearchExport = z.object({
  method: z.literal('hipaa_safe_harbor'),
  fromYear: z.number().int(),
  toYear: z.number().int(),
  purpose: z.enum(RESEARCH_EXPORT_PURPOSES),
  rowCounts: z.object({ participants: z.number().int(), episodes: z.number().int(), events: z.number().int() }),
  tables: z.object({
    participants: z.array(ResearchParticipantRow),
    episodes: z.array(ResearchEpisodeRow),
    events: z.array(ResearchEventRow),
  }),
});
export type ResearchExport = z.infer<typeof ResearchExport>;

export const DictionaryColumn = z.object({
  table: z.enum(RESEARCH_EXPORT_TABLES),
  name: z.string(),
  type: z.enum(['string', 'integer', 'boolean']),
  nullable: z.boolean(),
  meaning: z.string(),
  deidentification: z.string(),
  /** The allowed values, for coded columns. */
  values: z.array(z.string()).optional(),
});
export type DictionaryColumn = z.infer<typeof DictionaryColumn>;

export const SafeHarborIdentifier = z.object({
  /** The paragraph letter of 164.514(b)(2)(i), A–R. */
  code: z.string(),
  identifier: z.string(),
  handling: z.string(),
});

export const ResearchExportDictionary = z.object({
  method: z.literal('hipaa_safe_harbor'),
  columns: z.array(DictionaryColumn),
  identifiers: z.array(SafeHarborIdentifier),
  restrictedZip3: z.array(z.string()),
});
export type ResearchExportDictionary = z.infer<typeof ResearchExportDictionary>;

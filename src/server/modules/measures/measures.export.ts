/**
 * The measures as CSV (issue 7, "Exports: measures as CSV"): the figures of `GET /api/v1/measures`
 * for the same query, one row per figure and, with a breakdown, one per group of each figure
 * (MEASURES_CSV_COLUMNS), computed by `getMeasures` — same scope, same permission, same small-cell
 * suppression — and audited as an export.
 *
 * Audit: `getMeasures` records a `measures.read` event; an export holds that event back and
 * records it as `measures.export` with the format (`asExport`), so one export is one event. The
 * route writes it in its own transaction (write()) after computing and before sending: no file
 * leaves unrecorded, and the computation itself runs outside a write transaction (it reads, and
 * the kept measures — measures.cache.ts — open their own). The figures name nobody, so the event
 * targets the organization.
 *
 * CSV injection: a text cell that a spreadsheet would read as a formula (starting with = + - @,
 * a tab or a carriage return) gets a leading apostrophe (OWASP "CSV Injection"). Numbers are
 * written as numbers, so a negative change stays a number.
 */
import type { MeasuresQuery, MeasuresResponse } from '../../../contracts/measures.js';
import { MEASURES_CSV_COLUMNS } from '../../../contracts/measures-report.js';
import type { AuditInput, Ctx } from '../../platform/http/context.js';
import { getMeasures } from './measures.usecases.js';

export type ExportFormat = 'csv' | 'pdf';

/**
 * The use case context for an export: the same, with the `measures.read` event of the figures
 * held back in `events` as `measures.export` of this format, for the route to write before it
 * sends the file.
 */
export function asExport(ctx: Ctx, format: ExportFormat, details: Record<string, unknown> = {}): { ctx: Ctx; events: AuditInput[] } {
  const events: AuditInput[] = [];
  const audit: Ctx['audit'] = (e) => {
    if (e.action !== 'measures.read') return ctx.audit(e);
    events.push({ ...e, action: 'measures.export', details: { ...e.details, format, ...details } });
    return Promise.resolve();
  };
  return { ctx: { ...ctx, audit }, events };
}

/** Write the held export events (in the route's write transaction). */
export async function recordExport(ctx: Ctx, events: readonly AuditInput[]): Promise<void> {
  for (const e of events) await ctx.audit(e);
}

export async function exportMeasuresCsv(ctx: Ctx, q: MeasuresQuery): Promise<{ csv: string; filename: string; events: AuditInput[] }> {
  const exp = asExport(ctx, 'csv');
  const data = await getMeasures(exp.ctx, q);
  return { csv: measuresCsv(data), filename: `lodestar-measures-${data.period.from}-to-${data.period.to}.csv`, events: exp.events };
}

type Column = (typeof MEASURES_CSV_COLUMNS)[number];

/** Every figure of every measure as one CSV line (RFC 4180, CRLF), after a header of the column names. */
export function measuresCsv(data: MeasuresResponse): string {
  const rows: Partial<Record<Column, unknown>>[] = [];
  const by = data.breakdown?.by ?? null;
  for (const m of data.measures) {
    for (const f of m.figures) {
      const figure = { period_from: data.period.from, period_to: data.period.to, measure_id: m.id, measure_title: m.title, figure_key: f.key, figure_label: f.label, kind: f.kind, unit: f.unit };
      rows.push({
        ...figure,
        numerator: f.numerator,
        denominator: f.denominator,
        rate: f.rate,
        lower: f.lower,
        upper: f.upper,
        per: f.per,
        pending: f.pending,
        in_progress: f.inProgress,
        missing: f.missing,
        target: f.target,
        suppressed: f.suppressed,
      });
      for (const g of f.groups ?? []) {
        rows.push({ ...figure, breakdown: by, group: g.group, numerator: g.numerator, denominator: g.denominator, rate: g.rate, lower: g.lower, upper: g.upper, suppressed: g.suppressed });
      }
    }
  }
  const lines = [MEASURES_CSV_COLUMNS.map(csvCell), ...rows.map((r) => MEASURES_CSV_COLUMNS.map((c) => csvCell(r[c])))];
  return lines.map((cells) => cells.join(',')).join('\r\n') + '\r\n';
}

/** One cell: empty for null/undefined, numbers as they are, text quoted when needed and defused when a spreadsheet would run it. */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v !== 'string') return '';
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

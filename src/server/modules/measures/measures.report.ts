/**
 * The quarterly funder report (issue 7, "Dashboard and reports"): every measure for the caller's
 * organization (or one of its programs) over a quarter or a period, with its definition, the
 * date it was made and the statement that these are not HEDIS results. The web page
 * (/reports/funder) and the PDF (measures.report.pdf.ts) both show this one model.
 *
 * - The figures come from `getMeasures`: the same scope (a supervisor's teams), permission
 *   (`measures.read`) and small-cell suppression (roles without `measures.cases`) as the dashboard.
 * - The period: a quarter's dates are local to the organization. A quarter that has not ended
 *   stops today, like the dashboard's "this quarter" (a window that has not happened yet is not a
 *   miss); one that has not started is refused (400 naming `query.quarter`).
 * - Audit: reading the report is the `measures.read` of its figures; the PDF is an export
 *   (`measures.export`, format `pdf`, see measures.export.ts), written before the file is sent.
 */
import type { FunderReport, FunderReportQuery } from '../../../contracts/measures-report.js';
import { FUNDER_REPORT_STATEMENT, FUNDER_REPORT_SUPPRESSION_NOTE, quarterDates, quarterOf } from '../../../contracts/measures-report.js';
import type { AuditInput, Ctx } from '../../platform/http/context.js';
import { errors } from '../../platform/errors.js';
import { localDate } from '../../platform/time.js';
import { findOrganization, findProgram } from '../organizations/organizations.repository.js';
import { asExport } from './measures.export.js';
import { getMeasures } from './measures.usecases.js';

/** The period a report covers, as of `today` (local to the organization). */
export function reportPeriod(q: FunderReportQuery, today: string): FunderReport['period'] {
  if (q.quarter === undefined) return { from: q.from!, to: q.to!, quarter: null, toDate: false };
  const dates = quarterDates(q.quarter)!;
  if (dates.from > today) throw errors.invalid('query.quarter', `Choose a quarter that has started (this quarter is ${quarterOf(today)})`);
  return dates.to > today ? { from: dates.from, to: today, quarter: q.quarter, toDate: true } : { ...dates, quarter: q.quarter, toDate: false };
}

export async function getFunderReport(ctx: Ctx, q: FunderReportQuery): Promise<FunderReport> {
  const { organizationId } = ctx.actor;
  const organization = await findOrganization(ctx.db, organizationId);
  if (!organization) throw errors.notFound('organization');
  const today = localDate(ctx.clock.now(), organization.timeZone);
  const period = reportPeriod(q, today);
  // getMeasures checks the program (400 naming query.programId for one of another organization).
  const data = await getMeasures(ctx, { from: period.from, to: period.to, programId: q.programId });
  const program = q.programId ? await findProgram(ctx.db, organizationId, q.programId) : undefined;
  return {
    organization: { name: organization.name },
    program: program ? { id: program.id, name: program.name } : null,
    period,
    timeZone: data.timeZone,
    madeOn: today,
    scope: data.scope,
    suppressed: data.suppressed,
    participants: data.participants,
    measures: data.measures,
    notes: { statement: FUNDER_REPORT_STATEMENT, suppression: data.suppressed ? FUNDER_REPORT_SUPPRESSION_NOTE : null },
  };
}

/** The report for a PDF: the same, its read held back as an export event (measures.export.ts). */
export async function exportFunderReport(ctx: Ctx, q: FunderReportQuery): Promise<{ report: FunderReport; events: AuditInput[] }> {
  const exp = asExport(ctx, 'pdf', { report: 'funder', ...(q.quarter && { quarter: q.quarter }) });
  return { report: await getFunderReport(exp.ctx, q), events: exp.events };
}

/** A file name that names no person and no program: the period only. */
export function reportFilename(r: FunderReport): string {
  return `lodestar-funder-report-${r.period.quarter && !r.period.toDate ? r.period.quarter : `${r.period.from}-to-${r.period.to}`}.pdf`;
}

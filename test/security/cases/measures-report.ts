/** Route cases for the measures CSV and the funder report, as JSON and as a PDF (see ../route-cases.ts). */
import { can } from '../../../src/server/platform/http/access.js';
import type { RouteCase } from '../case-types.js';

export const measuresReportCases: Record<string, RouteCase> = {
  'GET /api/v1/measures.csv': {
    access: can('measures.read'),
    valid: () => Promise.resolve({ url: '/api/v1/measures.csv?from=2026-01-01&to=2026-06-30' }),
  },
  'GET /api/v1/measures/report': {
    access: can('measures.read'),
    valid: () => Promise.resolve({ url: '/api/v1/measures/report?quarter=2026-Q2' }),
  },
  'GET /api/v1/measures/report.pdf': {
    access: can('measures.read'),
    valid: () => Promise.resolve({ url: '/api/v1/measures/report.pdf?quarter=2026-Q2' }),
  },
};

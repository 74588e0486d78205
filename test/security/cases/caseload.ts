/** Route cases for the caseload and its summary (see ../route-cases.ts). */
import { can } from '../../../src/server/platform/http/access.js';
import type { RouteCase } from '../case-types.js';

export const caseloadCases: Record<string, RouteCase> = {
  'GET /api/v1/caseload': {
    access: can('caseload.read'),
    valid: () => Promise.resolve({ url: '/api/v1/caseload?sort=urgency' }),
  },
  'GET /api/v1/caseload/summary': {
    access: can('caseload.summary'),
    valid: () => Promise.resolve({ url: '/api/v1/caseload/summary' }),
  },
};

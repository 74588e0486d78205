/** Route cases for the measures and their drill-down (see ../route-cases.ts). */
import { can } from '../../../src/server/platform/http/access.js';
import type { RouteCase } from '../case-types.js';

const PERIOD = 'from=2026-01-01&to=2026-06-30';

export const measuresCases: Record<string, RouteCase> = {
  'GET /api/v1/measures': {
    access: can('measures.read'),
    valid: () => Promise.resolve({ url: `/api/v1/measures?${PERIOD}` }),
  },
  'GET /api/v1/measures/trends': {
    access: can('measures.read'),
    valid: () => Promise.resolve({ url: `/api/v1/measures/trends?${PERIOD}&figures=linkage.window_30,contacts_per_month.contacts` }),
  },
  'GET /api/v1/measures/:measureId/cases': {
    access: can('measures.cases'),
    valid: () => Promise.resolve({ url: `/api/v1/measures/linkage/cases?${PERIOD}` }),
    // A measure is not a record of an organization: what the matrix checks here is that a name
    // that is no measure answers 404 like any other (a filter naming another organization's
    // program is 400 naming it, like an unknown one: measures.routes.test.ts).
    foreign: () => Promise.resolve({ url: `/api/v1/measures/no_such_measure/cases?${PERIOD}` }),
  },
};

/** Route cases for the de-identified research export and its data dictionary (see ../route-cases.ts). */
import { can } from '../../../src/server/platform/http/access.js';
import type { RouteCase } from '../case-types.js';

export const researchExportCases: Record<string, RouteCase> = {
  'GET /api/v1/research-export': {
    access: can('research.export'),
    valid: () => Promise.resolve({ url: '/api/v1/research-export?from=2026&to=2026&purpose=research&recipient=Matrix%20University' }),
  },
  'GET /api/v1/research-export/dictionary': {
    access: can('research.export'),
    valid: () => Promise.resolve({ url: '/api/v1/research-export/dictionary' }),
  },
};

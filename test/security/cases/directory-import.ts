/** Route cases for import and export of the resource directory (HSDS 3.0 JSON and CSV, Meeting Guide, FindTreatment.gov) (see ../route-cases.ts). */
import { can } from '../../../src/server/platform/http/access.js';
import type { RouteCase } from '../case-types.js';

/** One fictional meeting: importing it again (another granted role) finds it unchanged, still 200. */
const meeting = JSON.stringify([{ slug: 'matrix-meeting', name: 'Matrix Morning Meeting', day: 1, time: '07:00', types: ['O'], formatted_address: '1 Main St, Springfield, PA 19064, USA' }]);

export const directoryImportCases: Record<string, RouteCase> = {
  'POST /api/v1/directory/imports': {
    access: can('directory.import'),
    valid: () => Promise.resolve({ url: '/api/v1/directory/imports', body: { format: 'meeting-guide', content: meeting } }),
    invalid: { body: { format: 'excel', content: meeting }, path: 'format' },
  },
  'GET /api/v1/directory/export': {
    access: can('directory.export'),
    valid: () => Promise.resolve({ url: '/api/v1/directory/export?format=hsds-json' }),
  },
};

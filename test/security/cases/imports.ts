/** Route cases for the CSV import of program history (see ../route-cases.ts). */
import { can } from '../../../src/server/platform/http/access.js';
import type { RouteCase } from '../case-types.js';

/** One fictional person: importing the file again (another granted role) updates the same record, still 200. */
const csv = 'Client ID,First name,Birth date\nSEC-1,Matrix,1990-01-02\n';

export const importsCases: Record<string, RouteCase> = {
  'POST /api/v1/imports/csv/preview': {
    access: can('imports.run'),
    valid: () => Promise.resolve({ url: '/api/v1/imports/csv/preview', body: { kind: 'participants', csv } }),
    invalid: { body: { kind: 'spreadsheet', csv }, path: 'kind' },
  },
  'POST /api/v1/imports/csv': {
    access: can('imports.run'),
    valid: () => Promise.resolve({ url: '/api/v1/imports/csv', body: { kind: 'participants', csv, mapping: { externalId: 'Client ID', firstName: 'First name', dateOfBirth: 'Birth date' }, dryRun: false } }),
    invalid: { body: { kind: 'participants', csv, mapping: { externalId: 'Client ID' }, dryRun: 'maybe' }, path: 'dryRun' },
  },
};

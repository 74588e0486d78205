/** Route cases for import and export the resource directory (HSDS 3.0 JSON and CSV, Meeting Guide, FindTreatment.gov) (see ../route-cases.ts). */
import type { RouteCase } from '../case-types.js';

export const directoryImportCases: Record<string, RouteCase> = {};

/** Route cases for search, read and edit the resource directory, flag and verify entries, report pharmacy stock and capacity (see ../route-cases.ts). */
import type { RouteCase } from '../case-types.js';

export const directoryCases: Record<string, RouteCase> = {};

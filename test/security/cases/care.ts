/** Route cases for life events, to-dos, the timeline and the caseload (see ../route-cases.ts). */
import type { RouteCase } from '../case-types.js';

export const careCases: Record<string, RouteCase> = {};

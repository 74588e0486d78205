/** Route cases for the today view, contact cadence, the unreachable workflow and the supervisor view (see ../route-cases.ts). */
import type { RouteCase } from '../case-types.js';

export const outreachCases: Record<string, RouteCase> = {};

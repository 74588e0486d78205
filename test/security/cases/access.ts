/** Route cases for break-the-glass, notifications and merging participant records (see ../route-cases.ts). */
import type { RouteCase } from '../case-types.js';

export const accessCases: Record<string, RouteCase> = {};

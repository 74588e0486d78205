/** Route cases for the ED bedside visit and the post-overdose follow-up plan (see ../route-cases.ts). */
import type { RouteCase } from '../case-types.js';

export const edCases: Record<string, RouteCase> = {};

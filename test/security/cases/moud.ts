/** Route cases for work with MOUD access (medications, fills, OTP enrollment, barriers) and insurance navigation tasks (see ../route-cases.ts). */
import type { RouteCase } from '../case-types.js';

export const moudCases: Record<string, RouteCase> = {};

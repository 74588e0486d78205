/** Route cases for encounters, addenda and the note review queue (see ../route-cases.ts). */
import type { RouteCase } from '../case-types.js';

export const encounterCases: Record<string, RouteCase> = {};

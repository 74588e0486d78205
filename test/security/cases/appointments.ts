/** Route cases for work with appointments, reminders and calendar feeds (see ../route-cases.ts). */
import type { RouteCase } from '../case-types.js';

export const appointmentsCases: Record<string, RouteCase> = {};

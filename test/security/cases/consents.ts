/** Route cases for consents, restriction requests and the accounting of disclosures (see ../route-cases.ts). */
import type { RouteCase } from '../case-types.js';

export const consentCases: Record<string, RouteCase> = {};

/** Route cases for recovery plans (see ../route-cases.ts). */
import { randomUUID } from 'node:crypto';
import { can } from '../../../src/server/platform/http/access.js';
import type { TestApp } from '../../helpers/app.js';
import { buildUser } from '../../helpers/factories.js';
import { insertPlan } from '../../../src/server/modules/recovery-plans/recovery-plans.repository.js';
import { foreignParticipant, participantOf, type CaseContext, type RouteCase } from '../case-types.js';

const goal = { text: 'Find steady work', domain: 'employment_education' };

/** A participant of `org` (one the caller may see, when given) with a plan of their episode. */
async function planOf(t: TestApp, org: string, caller?: CaseContext['caller']['user']) {
  const someone = caller ?? (await buildUser(t.db, { organizationId: org, roles: ['coach'] }));
  const p = caller ? await participantOf(t, org, caller) : await foreignParticipant(t, org);
  const goals = [{ id: '01900000-0000-7000-8000-0000000000a1', text: goal.text, domain: 'employment_education' as const, status: 'active' as const, steps: [], notes: [] }];
  const planId = await insertPlan(t.db, { organizationId: org, participantId: p.id, episodeId: p.episodeId, goals, createdBy: someone.id, now: new Date().toISOString() });
  return { participantId: p.id, planId };
}
const mine = ({ t, organizationId, caller }: CaseContext) => planOf(t, organizationId, caller.user);
const theirs = ({ t, otherOrganizationId }: CaseContext) => planOf(t, otherOrganizationId);

export const recoveryPlansCases: Record<string, RouteCase> = {
  'POST /api/v1/participants/:id/recovery-plans': {
    access: can('recovery_plans.write'),
    status: 201,
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/participants/${(await participantOf(t, organizationId, caller.user)).id}/recovery-plans`, body: { goals: [goal] } }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}/recovery-plans`, body: { goals: [goal] } }),
    invalid: { body: { goals: [{ text: 'Find steady work' }] }, path: 'goals.0.domain' },
  },
  'GET /api/v1/participants/:id/recovery-plans': {
    access: can('recovery_plans.read'),
    valid: async (ctx) => ({ url: `/api/v1/participants/${(await mine(ctx)).participantId}/recovery-plans` }),
    foreign: async (ctx) => ({ url: `/api/v1/participants/${(await theirs(ctx)).participantId}/recovery-plans` }),
  },
  'GET /api/v1/recovery-plans/:id': {
    access: can('recovery_plans.read'),
    valid: async (ctx) => ({ url: `/api/v1/recovery-plans/${(await mine(ctx)).planId}` }),
    foreign: async (ctx) => ({ url: `/api/v1/recovery-plans/${(await theirs(ctx)).planId}` }),
  },
  'PUT /api/v1/recovery-plans/:id': {
    access: can('recovery_plans.write'),
    valid: async (ctx) => ({ url: `/api/v1/recovery-plans/${(await mine(ctx)).planId}`, body: { goals: [goal], version: 1 } }),
    foreign: async (ctx) => ({ url: `/api/v1/recovery-plans/${(await theirs(ctx)).planId}`, body: { goals: [goal], version: 1 } }),
    invalid: { body: { goals: [{ ...goal, domain: 'hobbies' }], version: 1 }, path: 'goals.0.domain' },
  },
  'GET /api/v1/recovery-plans/:id/versions': {
    access: can('recovery_plans.read'),
    valid: async (ctx) => ({ url: `/api/v1/recovery-plans/${(await mine(ctx)).planId}/versions` }),
    foreign: async (ctx) => ({ url: `/api/v1/recovery-plans/${(await theirs(ctx)).planId}/versions` }),
  },
  'GET /api/v1/recovery-plans/:id/versions/:n': {
    access: can('recovery_plans.read'),
    valid: async (ctx) => ({ url: `/api/v1/recovery-plans/${(await mine(ctx)).planId}/versions/1` }),
    foreign: async (ctx) => ({ url: `/api/v1/recovery-plans/${(await theirs(ctx)).planId}/versions/1` }),
    // The version number stays a number; the plan id names nothing.
    missing: async () => ({ url: `/api/v1/recovery-plans/${randomUUID()}/versions/1` }),
  },
  'POST /api/v1/recovery-plans/:id/agreements': {
    access: can('recovery_plans.write'),
    status: 201,
    valid: async (ctx) => ({ url: `/api/v1/recovery-plans/${(await mine(ctx)).planId}/agreements`, body: { method: 'verbal', witnessName: 'Dana Lee', version: 1 } }),
    foreign: async (ctx) => ({ url: `/api/v1/recovery-plans/${(await theirs(ctx)).planId}/agreements`, body: { method: 'verbal', witnessName: 'Dana Lee', version: 1 } }),
    invalid: { body: { method: 'verbal', version: 1 }, path: 'witnessName' },
  },
  'POST /api/v1/recovery-plans/:id/reviews': {
    access: can('recovery_plans.write'),
    status: 201,
    valid: async (ctx) => ({ url: `/api/v1/recovery-plans/${(await mine(ctx)).planId}/reviews`, body: { version: 1 } }),
    foreign: async (ctx) => ({ url: `/api/v1/recovery-plans/${(await theirs(ctx)).planId}/reviews`, body: { version: 1 } }),
    invalid: { body: { reviewedOn: '2026-13-01', version: 1 }, path: 'reviewedOn' },
  },
  'GET /api/v1/recovery-plans/:id/print': {
    access: can('recovery_plans.read'),
    valid: async (ctx) => ({ url: `/api/v1/recovery-plans/${(await mine(ctx)).planId}/print?language=es` }),
    foreign: async (ctx) => ({ url: `/api/v1/recovery-plans/${(await theirs(ctx)).planId}/print?language=es` }),
  },
};

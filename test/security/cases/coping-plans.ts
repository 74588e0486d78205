/** Route cases for coping (cravings-and-triggers) and safety plans (see ../route-cases.ts). */
import { randomUUID } from 'node:crypto';
import { can } from '../../../src/server/platform/http/access.js';
import type { TestApp } from '../../helpers/app.js';
import { buildUser } from '../../helpers/factories.js';
import { insertPlan } from '../../../src/server/modules/coping-plans/coping-plans.repository.js';
import { foreignParticipant, participantOf, type CaseContext, type RouteCase } from '../case-types.js';

const coping = { triggers: ['Payday'], version: 0 };
const safety = { naloxoneOnHand: 'yes', version: 0 };

/** A participant of `org` (one the caller may see, when given) with both plans saved once. */
async function plansOf(t: TestApp, org: string, caller?: CaseContext['caller']['user']) {
  const someone = caller ?? (await buildUser(t.db, { organizationId: org, roles: ['coach'] }));
  const p = caller ? await participantOf(t, org, caller) : await foreignParticipant(t, org);
  const now = new Date().toISOString();
  await insertPlan(t.db, { organizationId: org, participantId: p.id, kind: 'coping', content: { triggers: ['Payday'] }, createdBy: someone.id, now });
  await insertPlan(t.db, { organizationId: org, participantId: p.id, kind: 'safety', content: { naloxoneOnHand: 'yes' }, createdBy: someone.id, now });
  return p.id;
}
const mine = ({ t, organizationId, caller }: CaseContext) => plansOf(t, organizationId, caller.user);
const theirs = ({ t, otherOrganizationId }: CaseContext) => plansOf(t, otherOrganizationId);
const fresh = async ({ t, organizationId, caller }: CaseContext) => (await participantOf(t, organizationId, caller.user)).id;
const freshForeign = async ({ t, otherOrganizationId }: CaseContext) => (await foreignParticipant(t, otherOrganizationId)).id;

function readCases(kind: 'coping-plan' | 'safety-plan'): Record<string, RouteCase> {
  const access = can('coping_plans.read');
  return {
    [`GET /api/v1/participants/:id/${kind}`]: {
      access,
      valid: async (ctx) => ({ url: `/api/v1/participants/${await mine(ctx)}/${kind}` }),
      foreign: async (ctx) => ({ url: `/api/v1/participants/${await theirs(ctx)}/${kind}` }),
    },
    [`GET /api/v1/participants/:id/${kind}/versions`]: {
      access,
      valid: async (ctx) => ({ url: `/api/v1/participants/${await mine(ctx)}/${kind}/versions` }),
      foreign: async (ctx) => ({ url: `/api/v1/participants/${await theirs(ctx)}/${kind}/versions` }),
    },
    [`GET /api/v1/participants/:id/${kind}/versions/:n`]: {
      access,
      valid: async (ctx) => ({ url: `/api/v1/participants/${await mine(ctx)}/${kind}/versions/1` }),
      foreign: async (ctx) => ({ url: `/api/v1/participants/${await theirs(ctx)}/${kind}/versions/1` }),
      // The version number stays a number; the participant id names nothing.
      missing: async () => ({ url: `/api/v1/participants/${randomUUID()}/${kind}/versions/1` }),
    },
    [`GET /api/v1/participants/:id/${kind}/print`]: {
      access,
      valid: async (ctx) => ({ url: `/api/v1/participants/${await mine(ctx)}/${kind}/print?language=es` }),
      foreign: async (ctx) => ({ url: `/api/v1/participants/${await theirs(ctx)}/${kind}/print?language=es` }),
    },
  };
}

export const copingPlansCases: Record<string, RouteCase> = {
  ...readCases('coping-plan'),
  ...readCases('safety-plan'),
  'PUT /api/v1/participants/:id/coping-plan': {
    access: can('coping_plans.write'),
    valid: async (ctx) => ({ url: `/api/v1/participants/${await fresh(ctx)}/coping-plan`, body: coping }),
    foreign: async (ctx) => ({ url: `/api/v1/participants/${await freshForeign(ctx)}/coping-plan`, body: coping }),
    invalid: { body: { peopleToCall: [{ name: 'Aunt Rosa', phone: 'call her' }], version: 0 }, path: 'peopleToCall.0.phone' },
  },
  'PUT /api/v1/participants/:id/safety-plan': {
    access: can('coping_plans.write'),
    valid: async (ctx) => ({ url: `/api/v1/participants/${await fresh(ctx)}/safety-plan`, body: safety }),
    foreign: async (ctx) => ({ url: `/api/v1/participants/${await freshForeign(ctx)}/safety-plan`, body: safety }),
    invalid: { body: { naloxoneOnHand: 'maybe', version: 0 }, path: 'naloxoneOnHand' },
  },
};

/** Route cases for work with MOUD access (medications, fills, OTP enrollment, barriers) and insurance navigation tasks (see ../route-cases.ts). */
import { can } from '../../../src/server/platform/http/access.js';
import type { TestApp } from '../../helpers/app.js';
import { buildUser } from '../../helpers/factories.js';
import { insertBarrier, insertCourse, insertEnrollment, insertFill, insertTask } from '../../../src/server/modules/moud/moud.repository.js';
import { foreignParticipant, participantOf, type CaseContext, type RouteCase } from '../case-types.js';

const NOW = () => new Date().toISOString();

/** A participant of `org` (the caller's, when given: one they may see) with a buprenorphine course, a methadone course, a fill, an enrollment, a barrier and a task. */
async function moudOf(t: TestApp, org: string, caller?: CaseContext['caller']['user']) {
  const someone = caller ?? (await buildUser(t.db, { organizationId: org, roles: ['coach'] }));
  const p = caller ? await participantOf(t, org, caller) : await foreignParticipant(t, org);
  const owned = { organizationId: org, participantId: p.id, createdBy: someone.id, now: NOW() };
  const base = { prescriber: null, prescriberServiceId: null, pharmacy: null, pharmacyServiceId: null, startedOn: '2026-01-05', status: 'active' as const, source: 'participant_reported' as const, verifiedBy: null };
  const courseId = await insertCourse(t.db, owned, { ...base, medication: 'buprenorphine', formulation: 'sublingual_film' });
  const methadoneId = await insertCourse(t.db, owned, { ...base, medication: 'methadone', formulation: 'oral_liquid' });
  const fillId = await insertFill(t.db, owned, { courseId, medication: 'buprenorphine', filledOn: '2026-01-05', daysSupply: 7, daysSupplyDefaulted: false, quantity: null, source: 'participant_reported', verifiedBy: null });
  const enrollmentId = await insertEnrollment(t.db, owned, { courseId: methadoneId, startedOn: '2026-01-05', endedOn: null, source: 'verified', verifiedBy: someone.id });
  const barrierId = await insertBarrier(t.db, owned, { courseId, kind: 'cost', detail: null, notedOn: '2026-01-05', source: 'participant_reported', verifiedBy: null });
  const taskId = await insertTask(t.db, owned, { kind: 'medicaid_renewal', detail: null, dueOn: null });
  return { participantId: p.id, courseId, methadoneId, fillId, enrollmentId, barrierId, taskId };
}
const mine = ({ t, organizationId, caller }: CaseContext) => moudOf(t, organizationId, caller.user);
const theirs = ({ t, otherOrganizationId }: CaseContext) => moudOf(t, otherOrganizationId);

export const moudCases: Record<string, RouteCase> = {
  'GET /api/v1/participants/:id/moud': {
    access: can('moud.read'),
    valid: async (ctx) => ({ url: `/api/v1/participants/${(await mine(ctx)).participantId}/moud` }),
    foreign: async (ctx) => ({ url: `/api/v1/participants/${(await theirs(ctx)).participantId}/moud` }),
  },
  'POST /api/v1/participants/:id/moud/courses': {
    access: can('moud.manage'),
    status: 201,
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/participants/${(await participantOf(t, organizationId, caller.user)).id}/moud/courses`, body: { medication: 'buprenorphine', formulation: 'sublingual_film', source: 'participant_reported' } }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}/moud/courses`, body: { medication: 'buprenorphine', formulation: 'sublingual_film', source: 'participant_reported' } }),
    invalid: { body: { medication: 'heroin', formulation: 'sublingual_film', source: 'participant_reported' }, path: 'medication' },
  },
  'PATCH /api/v1/moud/courses/:id': {
    access: can('moud.manage'),
    valid: async (ctx) => ({ url: `/api/v1/moud/courses/${(await mine(ctx)).courseId}`, body: { pharmacy: 'Elm Pharmacy', version: 1 } }),
    foreign: async (ctx) => ({ url: `/api/v1/moud/courses/${(await theirs(ctx)).courseId}`, body: { pharmacy: 'Elm Pharmacy', version: 1 } }),
    invalid: { body: { status: 'paused', version: 1 }, path: 'status' },
  },
  'POST /api/v1/participants/:id/moud/fills': {
    access: can('moud.manage'),
    status: 201,
    valid: async (ctx) => {
      const m = await mine(ctx);
      return { url: `/api/v1/participants/${m.participantId}/moud/fills`, body: { courseId: m.courseId, filledOn: '2026-01-12', daysSupply: 7, source: 'participant_reported' } };
    },
    foreign: async (ctx) => {
      const m = await theirs(ctx);
      return { url: `/api/v1/participants/${m.participantId}/moud/fills`, body: { courseId: m.courseId, filledOn: '2026-01-12', daysSupply: 7, source: 'participant_reported' } };
    },
    invalid: { body: { courseId: '01900000-0000-7000-8000-000000000000', filledOn: '2026-01-12', daysSupply: 400, source: 'participant_reported' }, path: 'daysSupply' },
  },
  'PATCH /api/v1/moud/fills/:id': {
    access: can('moud.manage'),
    valid: async (ctx) => ({ url: `/api/v1/moud/fills/${(await mine(ctx)).fillId}`, body: { daysSupply: 14, version: 1 } }),
    foreign: async (ctx) => ({ url: `/api/v1/moud/fills/${(await theirs(ctx)).fillId}`, body: { daysSupply: 14, version: 1 } }),
    invalid: { body: { daysSupply: 0, version: 1 }, path: 'daysSupply' },
  },
  'POST /api/v1/participants/:id/moud/enrollments': {
    access: can('moud.manage'),
    status: 201,
    valid: async (ctx) => {
      const m = await mine(ctx);
      return { url: `/api/v1/participants/${m.participantId}/moud/enrollments`, body: { courseId: m.methadoneId, startedOn: '2025-06-01', endedOn: '2025-09-01', source: 'verified' } };
    },
    foreign: async (ctx) => {
      const m = await theirs(ctx);
      return { url: `/api/v1/participants/${m.participantId}/moud/enrollments`, body: { courseId: m.methadoneId, startedOn: '2025-06-01', endedOn: '2025-09-01', source: 'verified' } };
    },
    invalid: { body: { courseId: '01900000-0000-7000-8000-000000000000', startedOn: '2025-06-31', source: 'verified' }, path: 'startedOn' },
  },
  'PATCH /api/v1/moud/enrollments/:id': {
    access: can('moud.manage'),
    valid: async (ctx) => ({ url: `/api/v1/moud/enrollments/${(await mine(ctx)).enrollmentId}`, body: { endedOn: '2026-01-10', version: 1 } }),
    foreign: async (ctx) => ({ url: `/api/v1/moud/enrollments/${(await theirs(ctx)).enrollmentId}`, body: { endedOn: '2026-01-10', version: 1 } }),
    invalid: { body: { endedOn: 'soon', version: 1 }, path: 'endedOn' },
  },
  'POST /api/v1/participants/:id/moud/barriers': {
    access: can('moud.manage'),
    status: 201,
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/participants/${(await participantOf(t, organizationId, caller.user)).id}/moud/barriers`, body: { kind: 'transportation', source: 'participant_reported' } }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}/moud/barriers`, body: { kind: 'transportation', source: 'participant_reported' } }),
    invalid: { body: { kind: 'weather', source: 'participant_reported' }, path: 'kind' },
  },
  'PATCH /api/v1/moud/barriers/:id': {
    access: can('moud.manage'),
    valid: async (ctx) => ({ url: `/api/v1/moud/barriers/${(await mine(ctx)).barrierId}`, body: { status: 'resolved', version: 1 } }),
    foreign: async (ctx) => ({ url: `/api/v1/moud/barriers/${(await theirs(ctx)).barrierId}`, body: { status: 'resolved', version: 1 } }),
    invalid: { body: { status: 'gone', version: 1 }, path: 'status' },
  },
  'POST /api/v1/participants/:id/insurance-tasks': {
    access: can('moud.manage'),
    status: 201,
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/participants/${(await participantOf(t, organizationId, caller.user)).id}/insurance-tasks`, body: { kind: 'medicaid_application' } }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}/insurance-tasks`, body: { kind: 'medicaid_application' } }),
    invalid: { body: { kind: 'medicare_part_z' }, path: 'kind' },
  },
  'PATCH /api/v1/insurance-tasks/:id': {
    access: can('moud.manage'),
    valid: async (ctx) => ({ url: `/api/v1/insurance-tasks/${(await mine(ctx)).taskId}`, body: { status: 'in_progress', version: 1 } }),
    foreign: async (ctx) => ({ url: `/api/v1/insurance-tasks/${(await theirs(ctx)).taskId}`, body: { status: 'in_progress', version: 1 } }),
    invalid: { body: { status: 'finished', version: 1 }, path: 'status' },
  },
};

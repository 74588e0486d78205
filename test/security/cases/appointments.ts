/** Route cases for work with appointments, reminders and calendar feeds (see ../route-cases.ts). */
import { can, publicAccess } from '../../../src/server/platform/http/access.js';
import { hashToken, newToken } from '../../../src/server/platform/ids.js';
import type { TestApp } from '../../helpers/app.js';
import { buildUser, type BuiltUser } from '../../helpers/factories.js';
import { foreignParticipant, participantOf, type RouteCase } from '../case-types.js';
import { enqueueMessage } from '../../../src/server/platform/messaging/outbox.js';
import { insertAppointment, insertFeed } from '../../../src/server/modules/appointments/appointments.repository.js';

const START = '2026-11-28T15:00:00.000Z'; // tomorrow, for the matrix's clock

const body = { kind: 'intake', startsAt: START };

async function appointmentFor(t: TestApp, organizationId: string, participantId: string, createdBy: string, startsAt = START): Promise<string> {
  return insertAppointment(t.db, {
    organizationId,
    participantId,
    kind: 'intake',
    startsAt,
    endsAt: null,
    place: null,
    directoryServiceId: null,
    telehealthUrl: null,
    providerName: null,
    transportNeeds: null,
    notes: null,
    coachUserId: createdBy,
    remindParticipant: false,
    reminderNamesPlace: false,
    rescheduledFromId: null,
    createdBy,
    now: new Date().toISOString(),
  });
}

const mine = async (t: TestApp, org: string, caller: BuiltUser, startsAt?: string) => {
  const p = await participantOf(t, org, caller);
  return appointmentFor(t, org, p.id, caller.id, startsAt);
};
const theirs = async (t: TestApp, org: string, startsAt?: string) => {
  const p = await foreignParticipant(t, org);
  const someone = await buildUser(t.db, { organizationId: org, roles: ['coach'] });
  return appointmentFor(t, org, p.id, someone.id, startsAt);
};

const failedMessage = async (t: TestApp, org: string) => {
  const someone = await buildUser(t.db, { organizationId: org, roles: ['coach'] });
  const p = await participantOf(t, org, someone);
  const id = await enqueueMessage(t.db, { organizationId: org, participantId: p.id, appointmentId: null, template: 'appointment_reminder', channel: 'sms', sendAt: START, createdBy: null, now: new Date().toISOString() });
  await t.db.updateTable('outbox_messages').set({ status: 'failed', attempts: 5, last_error: 'send_failed' }).where('id', '=', id).execute();
  return id;
};

export const appointmentsCases: Record<string, RouteCase> = {
  'GET /api/v1/participants/:id/appointments': {
    access: can('appointments.read'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/participants/${(await participantOf(t, organizationId, caller.user)).id}/appointments` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}/appointments` }),
  },
  'POST /api/v1/participants/:id/appointments': {
    access: can('appointments.manage'),
    status: 201,
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/participants/${(await participantOf(t, organizationId, caller.user)).id}/appointments`, body }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}/appointments`, body }),
    invalid: { body: { kind: 'dentist', startsAt: START }, path: 'kind' },
  },
  'GET /api/v1/appointments/:id': {
    access: can('appointments.read'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/appointments/${await mine(t, organizationId, caller.user)}` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/appointments/${await theirs(t, otherOrganizationId)}` }),
  },
  'PATCH /api/v1/appointments/:id': {
    access: can('appointments.manage'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/appointments/${await mine(t, organizationId, caller.user)}`, body: { version: 1, place: 'Main St' } }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/appointments/${await theirs(t, otherOrganizationId)}`, body: { version: 1, place: 'Main St' } }),
    invalid: { body: { version: 1, startsAt: START, endsAt: '2026-11-28T14:00:00.000Z' }, path: 'endsAt' },
  },
  'POST /api/v1/appointments/:id/status': {
    access: can('appointments.manage'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/appointments/${await mine(t, organizationId, caller.user, '2026-11-27T13:00:00.000Z')}/status`, body: { status: 'attended', version: 1 } }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/appointments/${await theirs(t, otherOrganizationId, '2026-11-27T13:00:00.000Z')}/status`, body: { status: 'attended', version: 1 } }),
    invalid: { body: { status: 'rescheduled', version: 1 }, path: 'status' },
  },
  'POST /api/v1/appointments/:id/reschedule': {
    access: can('appointments.manage'),
    status: 201,
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/appointments/${await mine(t, organizationId, caller.user)}/reschedule`, body: { startsAt: '2026-11-30T15:00:00.000Z', version: 1 } }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/appointments/${await theirs(t, otherOrganizationId)}/reschedule`, body: { startsAt: '2026-11-30T15:00:00.000Z', version: 1 } }),
    invalid: { body: { startsAt: 'tomorrow', version: 1 }, path: 'startsAt' },
  },
  'GET /api/v1/appointments/:id/ics': {
    access: can('appointments.read'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/appointments/${await mine(t, organizationId, caller.user)}/ics` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/appointments/${await theirs(t, otherOrganizationId)}/ics` }),
  },
  'GET /api/v1/calendar-feed': {
    access: can('calendar_feed.manage'),
    valid: () => Promise.resolve({ url: '/api/v1/calendar-feed' }),
  },
  'POST /api/v1/calendar-feed': {
    access: can('calendar_feed.manage'),
    status: 201,
    valid: () => Promise.resolve({ url: '/api/v1/calendar-feed', body: { showNames: false } }),
    invalid: { body: { showNames: 'yes' }, path: 'showNames' },
  },
  'DELETE /api/v1/calendar-feed': {
    access: can('calendar_feed.manage'),
    valid: () => Promise.resolve({ url: '/api/v1/calendar-feed' }),
  },
  'GET /api/v1/calendar-feeds/:token': {
    access: publicAccess,
    valid: async ({ t, organizationId }) => {
      const coach = await buildUser(t.db, { organizationId, roles: ['coach'] });
      const token = newToken();
      await insertFeed(t.db, { organizationId, userId: coach.id, tokenHash: hashToken(token), showNames: false, now: new Date().toISOString() });
      return { url: `/api/v1/calendar-feeds/${token}` };
    },
    // A token is not tied to the caller's organization: "another organization's" is a revoked one.
    foreign: async ({ t, otherOrganizationId }) => {
      const coach = await buildUser(t.db, { organizationId: otherOrganizationId, roles: ['coach'] });
      const token = newToken();
      await insertFeed(t.db, { organizationId: otherOrganizationId, userId: coach.id, tokenHash: hashToken(token), showNames: false, now: new Date().toISOString() });
      await t.db.updateTable('calendar_feeds').set({ revoked_at: new Date().toISOString() }).where('token_hash', '=', hashToken(token)).execute();
      return { url: `/api/v1/calendar-feeds/${token}` };
    },
    missingParam: newToken,
  },
  'GET /api/v1/outbox': {
    access: can('outbox.read'),
    valid: () => Promise.resolve({ url: '/api/v1/outbox?status=failed' }),
  },
  'POST /api/v1/outbox/:id/retry': {
    access: can('outbox.manage'),
    valid: async ({ t, organizationId }) => ({ url: `/api/v1/outbox/${await failedMessage(t, organizationId)}/retry` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/outbox/${await failedMessage(t, otherOrganizationId)}/retry` }),
  },
};

/** HTTP for work with appointments, reminders and calendar feeds: access → validate → use case → presenter. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams } from '../../../contracts/common.js';
import {
  Appointment,
  AppointmentList,
  AppointmentStatusBody,
  CalendarFeed,
  CreateAppointmentBody,
  CreateCalendarFeedBody,
  FeedTokenParams,
  OutboxList,
  OutboxMessage,
  OutboxQuery,
  RescheduleAppointmentBody,
  RescheduleResult,
  UpdateAppointmentBody,
} from '../../../contracts/appointments.js';
import { can, publicAccess } from '../../platform/http/access.js';
import { read, write } from '../../platform/http/context.js';
import { errors } from '../../platform/errors.js';
import * as uc from './appointments.usecases.js';
import { calendar } from './appointments.ics.js';

const ICS = 'text/calendar; charset=utf-8';

export const appointmentsRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['appointments'];

  app.get('/api/v1/participants/:id/appointments', {
    schema: { tags, summary: "A participant's appointments: upcoming (soonest first) and past", params: IdParams, response: { 200: AppointmentList } },
    config: { access: can('appointments.read') },
  }, async (req) => read(req, (ctx) => uc.listAppointments(ctx, req.params.id)));

  app.post('/api/v1/participants/:id/appointments', {
    schema: { tags, summary: 'Book an appointment (and, if asked, a reminder to the participant by their safe-contact rules)', params: IdParams, body: CreateAppointmentBody, response: { 201: Appointment } },
    config: { access: can('appointments.manage') },
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, (ctx) => uc.createAppointment(ctx, req.params.id, req.body));
  });

  app.get('/api/v1/appointments/:id', {
    schema: { tags, summary: 'One appointment, with its reminder', params: IdParams, response: { 200: Appointment } },
    config: { access: can('appointments.read') },
  }, async (req) => read(req, (ctx) => uc.getAppointment(ctx, req.params.id)));

  app.patch('/api/v1/appointments/:id', {
    schema: { tags, summary: 'Change an appointment (409 on a stale version)', params: IdParams, body: UpdateAppointmentBody, response: { 200: Appointment } },
    config: { access: can('appointments.manage') },
  }, async (req, reply) => write(req, reply, (ctx) => uc.updateAppointment(ctx, req.params.id, req.body)));

  app.post('/api/v1/appointments/:id/status', {
    schema: { tags, summary: 'Mark an appointment attended, missed or cancelled, and why', params: IdParams, body: AppointmentStatusBody, response: { 200: Appointment } },
    config: { access: can('appointments.manage') },
  }, async (req, reply) => write(req, reply, (ctx) => uc.changeStatus(ctx, req.params.id, req.body)));

  app.post('/api/v1/appointments/:id/reschedule', {
    schema: { tags, summary: 'Reschedule: the appointment stays as rescheduled and links the new one', params: IdParams, body: RescheduleAppointmentBody, response: { 201: RescheduleResult } },
    config: { access: can('appointments.manage') },
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, (ctx) => uc.reschedule(ctx, req.params.id, req.body));
  });

  app.get('/api/v1/appointments/:id/ics', {
    schema: { tags, summary: 'One appointment as an iCalendar (.ics) file, without the participant’s name', params: IdParams },
    config: { access: can('appointments.read') },
  }, async (req, reply) => {
    const a = await read(req, (ctx) => uc.appointmentIcs(ctx, req.params.id));
    const body = calendar([{ appointment: a, participantName: null }], req.server.deps.clock.now().toISOString(), 'Lodestar');
    return reply.type(ICS).header('content-disposition', 'attachment; filename="appointment.ics"').send(body);
  });

  // ---- the caller's calendar feed

  app.get('/api/v1/calendar-feed', {
    schema: { tags, summary: 'Whether you have a private calendar feed, and whether it shows names', response: { 200: CalendarFeed } },
    config: { access: can('calendar_feed.manage') },
  }, async (req) => read(req, (ctx) => uc.myFeed(ctx)));

  app.post('/api/v1/calendar-feed', {
    schema: { tags, summary: 'Make a new private calendar address (the old one stops working); shown once', body: CreateCalendarFeedBody, response: { 201: CalendarFeed } },
    config: { access: can('calendar_feed.manage') },
  }, async (req, reply) => {
    reply.code(201);
    // A retry with the same Idempotency-Key must not hand out the secret again.
    return write(req, reply, (ctx) => uc.createFeed(ctx, req.body, req.server.deps.config.publicUrl), { replayAs: (r) => ({ ...r, url: null }) });
  });

  app.delete('/api/v1/calendar-feed', {
    schema: { tags, summary: 'Turn off your calendar feed (its address stops working at once)', response: { 200: CalendarFeed } },
    config: { access: can('calendar_feed.manage') },
  }, async (req, reply) => write(req, reply, (ctx) => uc.revokeFeed(ctx)));

  // The feed itself: public by its secret (calendar apps send no cookies), rate limited, GET only.
  app.get('/api/v1/calendar-feeds/:token', {
    schema: { tags, summary: 'A coach’s private calendar feed (iCalendar), by its secret address', params: FeedTokenParams },
    config: { access: publicAccess, rateLimit: { max: 30, timeWindow: '1 minute' } },
  }, async (req, reply) => {
    const { db, clock, auditReads } = req.server.deps;
    const now = clock.now();
    const feed = await uc.feedCalendar(db, now, req.params.token, (e) =>
      auditReads.record({ ...e, action: 'participant.read', outcome: 'success', targetType: 'participant', requestId: req.id, ip: req.ip }),
    );
    if (!feed) throw errors.notFound('calendar');
    return reply.type(ICS).header('cache-control', 'no-store').send(calendar(feed.events, now.toISOString(), 'Lodestar appointments'));
  });

  // ---- the outbox

  app.get('/api/v1/outbox', {
    schema: { tags, summary: 'Messages to participants by status (failed by default): ids, channel, attempts, the error code', querystring: OutboxQuery, response: { 200: OutboxList } },
    config: { access: can('outbox.read') },
  }, async (req) => read(req, (ctx) => uc.listOutbox(ctx, req.query)));

  app.post('/api/v1/outbox/:id/retry', {
    schema: { tags, summary: 'Try a failed message again now', params: IdParams, response: { 200: OutboxMessage } },
    config: { access: can('outbox.manage') },
  }, async (req, reply) => write(req, reply, (ctx) => uc.retryOutboxMessage(ctx, req.params.id)));
};

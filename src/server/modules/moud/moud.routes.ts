/** HTTP for work with MOUD access (medications, fills, OTP enrollment, barriers) and insurance navigation tasks: access → validate → use case → presenter. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams } from '../../../contracts/common.js';
import {
  CreateInsuranceTaskBody,
  CreateMoudBarrierBody,
  CreateMoudCourseBody,
  CreateMoudFillBody,
  CreateOtpEnrollmentBody,
  InsuranceTask,
  MoudBarrier,
  MoudCourse,
  MoudFill,
  MoudSummary,
  OtpEnrollment,
  UpdateInsuranceTaskBody,
  UpdateMoudBarrierBody,
  UpdateMoudCourseBody,
  UpdateMoudFillBody,
  UpdateOtpEnrollmentBody,
} from '../../../contracts/moud.js';
import { can } from '../../platform/http/access.js';
import { read, write } from '../../platform/http/context.js';
import * as uc from './moud.usecases.js';

export const moudRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['moud'];
  const manage = { access: can('moud.manage') };

  app.get('/api/v1/participants/:id/moud', {
    schema: { tags, summary: "A participant's MOUD access: medications with fills or OTP enrollment, next refill due, barriers, insurance tasks", params: IdParams, response: { 200: MoudSummary } },
    config: { access: can('moud.read') },
  }, async (req) => read(req, (ctx) => uc.moudSummary(ctx, req.params.id)));

  app.post('/api/v1/participants/:id/moud/courses', {
    schema: { tags, summary: 'Record a medication (buprenorphine, methadone, naltrexone) with its prescriber or OTP and pharmacy', params: IdParams, body: CreateMoudCourseBody, response: { 201: MoudCourse } },
    config: manage,
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, (ctx) => uc.createCourse(ctx, req.params.id, req.body));
  });

  app.patch('/api/v1/moud/courses/:id', {
    schema: { tags, summary: 'Change a medication record (form, prescriber, pharmacy, status)', params: IdParams, body: UpdateMoudCourseBody, response: { 200: MoudCourse } },
    config: manage,
  }, async (req, reply) => write(req, reply, (ctx) => uc.updateCourse(ctx, req.params.id, req.body)));

  app.post('/api/v1/participants/:id/moud/fills', {
    schema: { tags, summary: 'Record a fill (date, days supply) of buprenorphine or naltrexone', params: IdParams, body: CreateMoudFillBody, response: { 201: MoudFill } },
    config: manage,
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, (ctx) => uc.createFill(ctx, req.params.id, req.body));
  });

  app.patch('/api/v1/moud/fills/:id', {
    schema: { tags, summary: 'Correct a fill', params: IdParams, body: UpdateMoudFillBody, response: { 200: MoudFill } },
    config: manage,
  }, async (req, reply) => write(req, reply, (ctx) => uc.updateFill(ctx, req.params.id, req.body)));

  app.post('/api/v1/participants/:id/moud/enrollments', {
    schema: { tags, summary: 'Record an OTP enrollment period (methadone)', params: IdParams, body: CreateOtpEnrollmentBody, response: { 201: OtpEnrollment } },
    config: manage,
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, (ctx) => uc.createEnrollment(ctx, req.params.id, req.body));
  });

  app.patch('/api/v1/moud/enrollments/:id', {
    schema: { tags, summary: 'End or correct an OTP enrollment period', params: IdParams, body: UpdateOtpEnrollmentBody, response: { 200: OtpEnrollment } },
    config: manage,
  }, async (req, reply) => write(req, reply, (ctx) => uc.updateEnrollment(ctx, req.params.id, req.body)));

  app.post('/api/v1/participants/:id/moud/barriers', {
    schema: { tags, summary: 'Record a barrier to getting MOUD (pharmacy out of stock, prior authorization, cost…)', params: IdParams, body: CreateMoudBarrierBody, response: { 201: MoudBarrier } },
    config: manage,
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, (ctx) => uc.createBarrier(ctx, req.params.id, req.body));
  });

  app.patch('/api/v1/moud/barriers/:id', {
    schema: { tags, summary: 'Resolve, reopen or change a barrier', params: IdParams, body: UpdateMoudBarrierBody, response: { 200: MoudBarrier } },
    config: manage,
  }, async (req, reply) => write(req, reply, (ctx) => uc.updateBarrier(ctx, req.params.id, req.body)));

  app.post('/api/v1/participants/:id/insurance-tasks', {
    schema: { tags, summary: 'Add an insurance navigation task; with a due date it goes on the coach’s to-do list', params: IdParams, body: CreateInsuranceTaskBody, response: { 201: InsuranceTask } },
    config: manage,
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, (ctx) => uc.createTask(ctx, req.params.id, req.body));
  });

  app.patch('/api/v1/insurance-tasks/:id', {
    schema: { tags, summary: 'Change an insurance navigation task (status, due date)', params: IdParams, body: UpdateInsuranceTaskBody, response: { 200: InsuranceTask } },
    config: manage,
  }, async (req, reply) => write(req, reply, (ctx) => uc.updateTask(ctx, req.params.id, req.body)));
};

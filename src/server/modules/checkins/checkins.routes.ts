/** HTTP for check-ins (with their alerts) and milestones: access → validate → use case. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams } from '../../../contracts/common.js';
import {
  CelebrateMilestoneBody,
  CheckInList,
  CheckInTrend,
  CreateCheckInBody,
  CreatedCelebration,
  CreatedCheckIn,
  CreatedMilestone,
  CreateMilestoneBody,
  MilestoneList,
} from '../../../contracts/checkins.js';
import { can } from '../../platform/http/access.js';
import { read, write } from '../../platform/http/context.js';
import * as uc from './checkins.usecases.js';

export const checkinsRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['check-ins'];

  app.post('/api/v1/participants/:id/check-ins', {
    schema: { tags, summary: 'Record a check-in (mood, cravings, MOUD taken, use or overdose since the last); alerts go on the coach’s list', params: IdParams, body: CreateCheckInBody, response: { 201: CreatedCheckIn } },
    config: { access: can('checkins.write') },
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, (ctx) => uc.recordCheckIn(ctx, req.params.id, req.body));
  });

  app.get('/api/v1/participants/:id/check-ins', {
    schema: { tags, summary: "A participant's check-ins, newest first", params: IdParams, response: { 200: CheckInList } },
    config: { access: can('checkins.read') },
  }, async (req) => read(req, (ctx) => uc.listCheckIns(ctx, req.params.id)));

  app.get('/api/v1/participants/:id/check-in-trend', {
    schema: { tags, summary: 'Mood and cravings over time, oldest first', params: IdParams, response: { 200: CheckInTrend } },
    config: { access: can('checkins.read') },
  }, async (req) => read(req, (ctx) => uc.checkInTrend(ctx, req.params.id)));

  app.get('/api/v1/participants/:id/milestones', {
    schema: { tags, summary: 'Milestones reached and coming (recovery and MOUD start series, custom ones), with celebrations', params: IdParams, response: { 200: MilestoneList } },
    config: { access: can('checkins.read') },
  }, async (req) => read(req, (ctx) => uc.listMilestones(ctx, req.params.id)));

  app.post('/api/v1/participants/:id/milestones', {
    schema: { tags, summary: 'Add a custom milestone (housing found, a job, family reunited, court completed, other)', params: IdParams, body: CreateMilestoneBody, response: { 201: CreatedMilestone } },
    config: { access: can('checkins.write') },
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, (ctx) => uc.addMilestone(ctx, req.params.id, req.body));
  });

  app.post('/api/v1/participants/:id/milestones/celebrations', {
    schema: { tags, summary: 'Log that a milestone was celebrated (it stops showing as coming)', params: IdParams, body: CelebrateMilestoneBody, response: { 201: CreatedCelebration } },
    config: { access: can('checkins.write') },
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, (ctx) => uc.celebrate(ctx, req.params.id, req.body));
  });
};

/** HTTP for encounters, addenda and the note review queue: access → validate → use case → presenter. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams } from '../../../contracts/common.js';
import {
  AddendumBody,
  CreateEncounterBody,
  DefaultsQuery,
  DeleteEncounterBody,
  Encounter,
  EncounterDefaults,
  EncounterList,
  EncounterListQuery,
  GroupEncounterBody,
  GroupEncounterResult,
  ReviewBody,
  ReviewQueue,
  UpdateEncounterBody,
} from '../../../contracts/encounters.js';
import { can } from '../../platform/http/access.js';
import { read, write } from '../../platform/http/context.js';
import * as uc from './encounters.usecases.js';

export const encounterRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['encounters'];

  app.get('/api/v1/participants/:id/encounters', {
    schema: { tags, summary: "A participant's encounters, newest first, a page at a time", params: IdParams, querystring: EncounterListQuery, response: { 200: EncounterList } },
    config: { access: can('encounters.read') },
  }, async (req) => read(req, async (ctx) => uc.listEncounters(ctx, req.params.id, req.query)));

  app.post('/api/v1/participants/:id/encounters', {
    schema: { tags, summary: 'Log a contact or an attempt (sign: true signs it at once)', params: IdParams, body: CreateEncounterBody, response: { 201: Encounter } },
    config: { access: can('encounters.log') },
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, async (ctx) => uc.logEncounter(ctx, req.params.id, req.body));
  });

  app.post('/api/v1/encounters/group', {
    schema: { tags, summary: 'Log a group encounter: one record per participant present, all or nothing', body: GroupEncounterBody, response: { 201: GroupEncounterResult } },
    config: { access: can('encounters.log') },
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, async (ctx) => uc.logGroupEncounter(ctx, req.body));
  });

  app.get('/api/v1/encounters/defaults', {
    schema: { tags, summary: 'Starting values for the phone form (your last encounter, their preferred contact method)', querystring: DefaultsQuery, response: { 200: EncounterDefaults } },
    config: { access: can('encounters.log') },
  }, async (req) => read(req, async (ctx) => uc.encounterDefaults(ctx, req.query.participantId)));

  app.get('/api/v1/encounters/review-queue', {
    schema: { tags, summary: 'Signed notes waiting for review (your teams’ coaches, or all for a program manager)', response: { 200: ReviewQueue } },
    config: { access: can('encounters.review') },
  }, async (req) => read(req, async (ctx) => uc.reviewQueue(ctx)));

  app.get('/api/v1/encounters/:id', {
    schema: { tags, summary: 'An encounter, with its addenda', params: IdParams, response: { 200: Encounter } },
    config: { access: can('encounters.read') },
  }, async (req) => read(req, async (ctx) => uc.getEncounter(ctx, req.params.id)));

  app.patch('/api/v1/encounters/:id', {
    schema: { tags, summary: 'Change or sign your draft (a signed note takes addenda instead)', params: IdParams, body: UpdateEncounterBody, response: { 200: Encounter } },
    config: { access: can('encounters.log') },
  }, async (req, reply) => write(req, reply, async (ctx) => uc.updateEncounter(ctx, req.params.id, req.body)));

  app.post('/api/v1/encounters/:id/addenda', {
    schema: { tags, summary: 'Add an addendum to a signed note', params: IdParams, body: AddendumBody, response: { 201: Encounter } },
    config: { access: can('encounters.log') },
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, async (ctx) => uc.addAddendum(ctx, req.params.id, req.body));
  });

  app.post('/api/v1/encounters/:id/review', {
    schema: { tags, summary: 'Co-sign a note, or return it with a comment', params: IdParams, body: ReviewBody, response: { 200: Encounter } },
    config: { access: can('encounters.review') },
  }, async (req, reply) => write(req, reply, async (ctx) => uc.reviewEncounter(ctx, req.params.id, req.body)));

  app.delete('/api/v1/encounters/:id', {
    schema: { tags, summary: 'Delete an encounter: it leaves an audited tombstone', params: IdParams, body: DeleteEncounterBody, response: { 200: Encounter } },
    config: { access: can('encounters.delete') },
  }, async (req, reply) => write(req, reply, async (ctx) => uc.deleteEncounter(ctx, req.params.id, req.body)));
};

/** HTTP for participants and episodes (the caseload is its own module): access → validate → use case → presenter. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams } from '../../../contracts/common.js';
import {
  BriefIntakeBody,
  CreateEpisodeBody,
  DuplicateCheckBody,
  DuplicateCheckResponse,
  Episode,
  EpisodeList,
  Participant,
  ParticipantSearchBody,
  ParticipantSearchResult,
  ReassignEpisodeBody,
  TransferEpisodeBody,
  UpdateEpisodeBody,
  UpdateParticipantBody,
} from '../../../contracts/participants.js';
import { can } from '../../platform/http/access.js';
import { read, write } from '../../platform/http/context.js';
import * as uc from './participants.usecases.js';
import { presentEpisode, presentParticipant, presentSummary } from './participants.presenters.js';

export const participantRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['participants'];

  app.post('/api/v1/participants', {
    schema: { tags, summary: 'Brief intake (optionally enrolling in a program at a site)', body: BriefIntakeBody, response: { 201: Participant } },
    config: { access: can('participants.create') },
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, async (ctx) => presentParticipant(await uc.createParticipant(ctx, req.body)));
  });

  app.get('/api/v1/participants/:id', {
    schema: { tags, summary: 'One participant', params: IdParams, response: { 200: Participant } },
    config: { access: can('participants.read') },
  }, async (req) =>
    read(req, async (ctx) => {
      const { participant, accessUntil } = await uc.getParticipant(ctx, req.params.id);
      return { ...presentParticipant(participant), ...(accessUntil && { accessUntil }) };
    }));

  app.patch('/api/v1/participants/:id', {
    schema: { tags, summary: 'Change a participant (full intake)', params: IdParams, body: UpdateParticipantBody, response: { 200: Participant } },
    config: { access: can('participants.update') },
  }, async (req, reply) => write(req, reply, async (ctx) => presentParticipant(await uc.updateParticipant(ctx, req.params.id, req.body))));

  app.post('/api/v1/participants/search', {
    schema: { tags, summary: 'Find participants by name, date of birth or phone (terms in the body)', body: ParticipantSearchBody, response: { 200: ParticipantSearchResult } },
    config: { access: can('participants.read') },
  }, async (req) => read(req, async (ctx) => ({ participants: (await uc.searchParticipants(ctx, req.body)).map(presentSummary) })));

  app.post('/api/v1/participants/duplicates', {
    schema: { tags, summary: 'Possible duplicates of a new participant', body: DuplicateCheckBody, response: { 200: DuplicateCheckResponse } },
    config: { access: can('participants.create') },
  }, async (req) =>
    read(req, async (ctx) => {
      const r = await uc.findDuplicates(ctx, req.body);
      return { matches: r.matches.map(presentSummary), outOfScopeMatches: r.outOfScopeMatches };
    }));

  app.get('/api/v1/participants/:id/episodes', {
    schema: { tags, summary: "A participant's episodes", params: IdParams, response: { 200: EpisodeList } },
    config: { access: can('participants.read') },
  }, async (req) => read(req, async (ctx) => ({ episodes: (await uc.listEpisodes(ctx, req.params.id)).map(presentEpisode) })));

  app.post('/api/v1/participants/:id/episodes', {
    schema: { tags, summary: 'Enroll a participant in a program at a site', params: IdParams, body: CreateEpisodeBody, response: { 201: Episode } },
    config: { access: can('episodes.manage') },
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, async (ctx) => presentEpisode(await uc.createEpisode(ctx, req.params.id, req.body)));
  });

  app.patch('/api/v1/episodes/:id', {
    schema: { tags, summary: "Change an episode's status, dates or discharge", params: IdParams, body: UpdateEpisodeBody, response: { 200: Episode } },
    config: { access: can('episodes.manage') },
  }, async (req, reply) => write(req, reply, async (ctx) => presentEpisode(await uc.updateEpisode(ctx, req.params.id, req.body))));

  app.post('/api/v1/episodes/:id/reassign', {
    schema: { tags, summary: 'Assign an episode to another coach', params: IdParams, body: ReassignEpisodeBody, response: { 200: Episode } },
    config: { access: can('episodes.reassign') },
  }, async (req, reply) => write(req, reply, async (ctx) => presentEpisode(await uc.reassignEpisode(ctx, req.params.id, req.body))));

  app.post('/api/v1/episodes/:id/transfer', {
    schema: { tags, summary: 'Move an episode to another site', params: IdParams, body: TransferEpisodeBody, response: { 200: Episode } },
    config: { access: can('episodes.manage') },
  }, async (req, reply) => write(req, reply, async (ctx) => presentEpisode(await uc.transferEpisode(ctx, req.params.id, req.body))));
};

/** HTTP for merging participant records: access → validate → use case → presenter. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams } from '../../../contracts/common.js';
import { MergeBody, MergeResponse } from '../../../contracts/access.js';
import { can } from '../../platform/http/access.js';
import { write } from '../../platform/http/context.js';
import { mergeParticipants } from './merge.usecases.js';

export const mergeRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/api/v1/participants/:id/merge', {
    schema: {
      tags: ['participants'],
      summary: 'Merge this record (a duplicate) into another record of the same person; every history item moves, nothing is deleted',
      params: IdParams,
      body: MergeBody,
      response: { 200: MergeResponse },
    },
    config: { access: can('participants.merge') },
  }, async (req, reply) => write(req, reply, async (ctx) => mergeParticipants(ctx, req.params.id, req.body)));
};

/**
 * Audit search and verification for the privacy officer and admins. Search terms travel in the
 * request body, never the URL. Searching the trail is itself audited.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AuditSearchBody, AuditSearchResponse, AuditVerifyResponse } from '../../../contracts/audit.js';
import { can } from '../../platform/http/access.js';
import { read } from '../../platform/http/context.js';
import { searchTrail, verifyOrganizationTrail } from './audit.usecases.js';

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['audit'];

  app.post('/api/v1/audit/search', {
    schema: { tags, summary: 'Search the audit trail of the current organization (platform admins: or the system chain)', body: AuditSearchBody, response: { 200: AuditSearchResponse } },
    config: { access: can('audit.search') },
  }, async (req) => read(req, (ctx) => searchTrail(ctx, req.body)));

  // Verification reads the whole chain: rate limited so it cannot be used to load the database.
  app.get('/api/v1/audit/verify', {
    schema: { tags, summary: 'Check the hash chain and signed checkpoints of the current organization', response: { 200: AuditVerifyResponse } },
    config: { access: can('audit.verify'), rateLimit: { max: 6, timeWindow: '1 minute' } },
  }, async (req) => read(req, (ctx) => verifyOrganizationTrail(ctx, app.deps.auditKey)));
};

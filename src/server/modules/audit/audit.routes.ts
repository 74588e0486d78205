/**
 * Audit search and verification for the privacy officer and admins. Search terms travel in the
 * request body, never the URL. Searching the trail is itself audited.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AuditSearchBody, AuditSearchResponse, AuditVerifyResponse } from '../../../contracts/audit.js';
import { can } from '../../platform/http/access.js';
import { read } from '../../platform/http/context.js';
import { verifyAudit } from '../../platform/audit/checkpoints.js';
import { searchAudit } from './audit.repository.js';

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['audit'];

  app.post('/api/v1/audit/search', {
    schema: { tags, summary: 'Search the audit trail of the current organization', body: AuditSearchBody, response: { 200: AuditSearchResponse } },
    config: { access: can('audit.search') },
  }, async (req) =>
    read(req, async (ctx) => {
      const events = await searchAudit(ctx.db, { ...req.body, organizationId: ctx.actor.organizationId });
      const filters = Object.keys(req.body).filter((k) => k !== 'limit');
      await ctx.audit({ action: 'audit.search', details: { filters, results: events.length } });
      const last = events.at(-1);
      return { events, next: events.length === req.body.limit && last ? last.id : null };
    }));

  app.get('/api/v1/audit/verify', {
    schema: { tags, summary: 'Check the hash chains and signed checkpoints of the whole trail', response: { 200: AuditVerifyResponse } },
    config: { access: can('audit.verify') },
  }, async (req) =>
    read(req, async (ctx) => {
      const report = await verifyAudit(app.deps.db, app.deps.auditKey);
      await ctx.audit({ action: 'audit.verify', details: { ok: report.ok } });
      return report;
    }));
};

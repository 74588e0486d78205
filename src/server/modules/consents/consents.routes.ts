/** HTTP for consents, restriction requests and disclosures: access → validate → use case → presenter. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams } from '../../../contracts/common.js';
import {
  Accounting,
  AccountingQuery,
  ConsentList,
  ConsentSettings,
  ConsentWithSignatures,
  CreateConsentBody,
  CreateDisclosureBody,
  CreateRestrictionBody,
  DecideRestrictionBody,
  DisclosureResult,
  EndRestrictionBody,
  Restriction,
  RestrictionList,
  RevokeConsentBody,
  UpdateConsentSettingsBody,
} from '../../../contracts/consents.js';
import { can } from '../../platform/http/access.js';
import { read, write } from '../../platform/http/context.js';
import * as uc from './consents.usecases.js';
import { presentAccountingEntry, presentConsent, presentConsentWithSignatures, presentRestriction } from './consents.presenters.js';

export const consentRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['consents'];

  // ---- consents (42 CFR 2.31)
  app.get('/api/v1/participants/:id/consents', {
    schema: { tags, summary: "A participant's consents, newest signed first", params: IdParams, response: { 200: ConsentList } },
    config: { access: can('consents.read') },
  }, async (req) =>
    read(req, async (ctx) => {
      const r = await uc.listConsents(ctx, req.params.id);
      return { consents: r.consents.map((c) => presentConsent(c, r.today)) };
    }));

  app.post('/api/v1/participants/:id/consents', {
    schema: { tags, summary: 'Record a signed consent (every 42 CFR 2.31 element required)', params: IdParams, body: CreateConsentBody, response: { 201: ConsentWithSignatures } },
    config: { access: can('consents.manage') },
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, async (ctx) => presentConsentWithSignatures(await uc.createConsent(ctx, req.params.id, req.body)));
  });

  app.get('/api/v1/consents/:id', {
    schema: { tags, summary: 'One consent with its signatures', params: IdParams, response: { 200: ConsentWithSignatures } },
    config: { access: can('consents.read') },
  }, async (req) => read(req, async (ctx) => presentConsentWithSignatures(await uc.getConsent(ctx, req.params.id))));

  app.post('/api/v1/consents/:id/revoke', {
    schema: { tags, summary: 'Revoke a consent: no disclosure under it from now on', params: IdParams, body: RevokeConsentBody, response: { 200: ConsentWithSignatures } },
    config: { access: can('consents.manage') },
  }, async (req, reply) => write(req, reply, async (ctx) => presentConsentWithSignatures(await uc.revokeConsent(ctx, req.params.id, req.body))));

  // ---- the organization's rule for minors (§2.14)
  app.get('/api/v1/organization/consent-settings', {
    schema: { tags, summary: "The organization's rule for minors' consent", response: { 200: ConsentSettings } },
    config: { access: can('consents.settings') },
  }, async (req) => read(req, (ctx) => uc.getConsentSettings(ctx)));

  app.patch('/api/v1/organization/consent-settings', {
    schema: { tags, summary: "Change the organization's rule for minors' consent", body: UpdateConsentSettingsBody, response: { 200: ConsentSettings } },
    config: { access: can('consents.settings') },
  }, async (req, reply) => write(req, reply, (ctx) => uc.updateConsentSettings(ctx, req.body)));

  // ---- restriction requests (§2.26)
  app.get('/api/v1/participants/:id/restrictions', {
    schema: { tags, summary: "A participant's restriction requests", params: IdParams, response: { 200: RestrictionList } },
    config: { access: can('consents.read') },
  }, async (req) => read(req, async (ctx) => ({ restrictions: (await uc.listRestrictions(ctx, req.params.id)).map(presentRestriction) })));

  app.post('/api/v1/participants/:id/restrictions', {
    schema: { tags, summary: 'Record a restriction request', params: IdParams, body: CreateRestrictionBody, response: { 201: Restriction } },
    config: { access: can('consents.manage') },
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, async (ctx) => presentRestriction(await uc.createRestriction(ctx, req.params.id, req.body)));
  });

  app.post('/api/v1/restrictions/:id/decide', {
    schema: { tags, summary: 'Agree to or decline a restriction request', params: IdParams, body: DecideRestrictionBody, response: { 200: Restriction } },
    config: { access: can('restrictions.decide') },
  }, async (req, reply) => write(req, reply, async (ctx) => presentRestriction(await uc.decideRestriction(ctx, req.params.id, req.body))));

  app.post('/api/v1/restrictions/:id/end', {
    schema: { tags, summary: 'End a restriction', params: IdParams, body: EndRestrictionBody, response: { 200: Restriction } },
    config: { access: can('restrictions.decide') },
  }, async (req, reply) => write(req, reply, async (ctx) => presentRestriction(await uc.endRestriction(ctx, req.params.id, req.body))));

  // ---- disclosures and the accounting (§2.24–2.25)
  app.post('/api/v1/participants/:id/disclosures', {
    schema: { tags, summary: 'Share a summary with a recipient, through the disclosure gate', params: IdParams, body: CreateDisclosureBody, response: { 201: DisclosureResult } },
    config: { access: can('disclosures.create') },
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, (ctx) => uc.createDisclosure(ctx, req.params.id, req.body));
  });

  app.get('/api/v1/participants/:id/disclosures', {
    schema: { tags, summary: 'The accounting of disclosures, by local dates (from and to inclusive)', params: IdParams, querystring: AccountingQuery, response: { 200: Accounting } },
    config: { access: can('disclosures.read') },
  }, async (req) =>
    read(req, async (ctx) => {
      const r = await uc.accounting(ctx, req.params.id, req.query);
      return { disclosures: r.items.map((d) => presentAccountingEntry(d, r.names)) };
    }));
};

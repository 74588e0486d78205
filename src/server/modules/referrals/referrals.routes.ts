/** HTTP for closed-loop referrals and the partner inbox: access → validate → use case → presenter. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams } from '../../../contracts/common.js';
import {
  CreateReferralBody,
  PartnerAccount,
  PartnerAccountList,
  PartnerAttendanceBody,
  PartnerInbox,
  PartnerInboxQuery,
  PartnerLinkBody,
  PartnerReferral,
  PartnerScheduleBody,
  RecordLinkageBody,
  Referral,
  ReferralList,
  ReferralSettings,
  ReferralStatusBody,
  SendReferralBody,
  UpdateReferralBody,
  UpdateReferralSettingsBody,
} from '../../../contracts/referrals.js';
import { can } from '../../platform/http/access.js';
import { read, write } from '../../platform/http/context.js';
import * as uc from './referrals.usecases.js';

export const referralsRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['referrals'];

  app.get('/api/v1/participants/:id/referrals', {
    schema: { tags, summary: "A participant's referrals, newest first", params: IdParams, response: { 200: ReferralList } },
    config: { access: can('referrals.read') },
  }, async (req) => read(req, (ctx) => uc.listReferrals(ctx, req.params.id)));

  app.post('/api/v1/participants/:id/referrals', {
    schema: { tags, summary: 'Refer a participant: logged (the coach made the call) or sent through the disclosure gate (403 referral.consent_required without a covering consent)', params: IdParams, body: CreateReferralBody, response: { 201: Referral } },
    config: { access: can('referrals.manage') },
  }, async (req, reply) => {
    reply.code(201);
    return write(req, reply, (ctx) => uc.createReferral(ctx, req.params.id, req.body));
  });

  app.get('/api/v1/referrals/:id', {
    schema: { tags, summary: 'One referral: receiver, status and its history, what was shared (with the notice), linkage', params: IdParams, response: { 200: Referral } },
    config: { access: can('referrals.read') },
  }, async (req) => read(req, (ctx) => uc.getReferral(ctx, req.params.id)));

  app.patch('/api/v1/referrals/:id', {
    schema: { tags, summary: 'Change the reason, urgency or note of a referral not yet sent (409 on a stale version)', params: IdParams, body: UpdateReferralBody, response: { 200: Referral } },
    config: { access: can('referrals.manage') },
  }, async (req, reply) => write(req, reply, (ctx) => uc.updateReferral(ctx, req.params.id, req.body)));

  app.post('/api/v1/referrals/:id/status', {
    schema: { tags, summary: 'Move a referral along its lifecycle (409 referral.transition_not_allowed names the allowed moves)', params: IdParams, body: ReferralStatusBody, response: { 200: Referral } },
    config: { access: can('referrals.manage') },
  }, async (req, reply) => write(req, reply, (ctx) => uc.changeStatus(ctx, req.params.id, req.body)));

  app.post('/api/v1/referrals/:id/send', {
    schema: { tags, summary: 'Send a draft or logged referral, or share an update, through the disclosure gate', params: IdParams, body: SendReferralBody, response: { 200: Referral } },
    config: { access: can('referrals.manage') },
  }, async (req, reply) => write(req, reply, (ctx) => uc.sendReferral(ctx, req.params.id, req.body)));

  app.post('/api/v1/referrals/:id/linkage', {
    schema: { tags, summary: 'Record linkage (attended, or started MOUD) with its date and source; an open referral completes', params: IdParams, body: RecordLinkageBody, response: { 200: Referral } },
    config: { access: can('referrals.manage') },
  }, async (req, reply) => write(req, reply, (ctx) => uc.recordLinkage(ctx, req.params.id, req.body)));

  // ---- the partner inbox

  app.get('/api/v1/partner/referrals', {
    schema: { tags, summary: 'Referrals sent to your organization (partner accounts), newest first', querystring: PartnerInboxQuery, response: { 200: PartnerInbox } },
    config: { access: can('partner.referrals') },
  }, async (req) => read(req, (ctx) => uc.partnerInbox(ctx, req.query)));

  app.get('/api/v1/partner/referrals/:id', {
    schema: { tags, summary: 'One referral sent to your organization: what was shared, with its notice', params: IdParams, response: { 200: PartnerReferral } },
    config: { access: can('partner.referrals') },
  }, async (req) => read(req, (ctx) => uc.partnerReferral(ctx, req.params.id)));

  app.post('/api/v1/partner/referrals/:id/status', {
    schema: { tags, summary: 'Accept, decline (with a reason), start, complete or fail a referral sent to you', params: IdParams, body: ReferralStatusBody, response: { 200: PartnerReferral } },
    config: { access: can('partner.referrals') },
  }, async (req, reply) => write(req, reply, (ctx) => uc.partnerChangeStatus(ctx, req.params.id, req.body)));

  app.post('/api/v1/partner/referrals/:id/appointment', {
    schema: { tags, summary: 'Book the first visit (accepts the referral if needed); it goes on the coach’s calendar', params: IdParams, body: PartnerScheduleBody, response: { 200: PartnerReferral } },
    config: { access: can('partner.referrals') },
  }, async (req, reply) => write(req, reply, (ctx) => uc.partnerSchedule(ctx, req.params.id, req.body)));

  app.post('/api/v1/partner/referrals/:id/attendance', {
    schema: { tags, summary: 'Say whether the person came: attended closes the loop with linkage', params: IdParams, body: PartnerAttendanceBody, response: { 200: PartnerReferral } },
    config: { access: can('partner.referrals') },
  }, async (req, reply) => write(req, reply, (ctx) => uc.partnerAttendance(ctx, req.params.id, req.body)));

  // ---- partner accounts and settings

  app.get('/api/v1/partner-accounts', {
    schema: { tags, summary: 'Partner accounts and the directory organization each receives for', response: { 200: PartnerAccountList } },
    config: { access: can('partner_accounts.manage') },
  }, async (req) => read(req, (ctx) => uc.listPartnerAccounts(ctx)));

  app.put('/api/v1/partner-accounts/:id', {
    schema: { tags, summary: 'Link a partner account to a directory organization (null unlinks)', params: IdParams, body: PartnerLinkBody, response: { 200: PartnerAccount } },
    config: { access: can('partner_accounts.manage') },
  }, async (req, reply) => write(req, reply, (ctx) => uc.linkPartnerAccount(ctx, req.params.id, req.body)));

  app.get('/api/v1/organization/referral-settings', {
    schema: { tags, summary: 'Days before a referral without outcome becomes a follow-up to-do', response: { 200: ReferralSettings } },
    config: { access: can('referrals.settings') },
  }, async (req) => read(req, (ctx) => uc.getSettings(ctx)));

  app.patch('/api/v1/organization/referral-settings', {
    schema: { tags, summary: 'Change the follow-up days (409 on a stale version)', body: UpdateReferralSettingsBody, response: { 200: ReferralSettings } },
    config: { access: can('referrals.settings') },
  }, async (req, reply) => write(req, reply, (ctx) => uc.updateSettings(ctx, req.body)));
};

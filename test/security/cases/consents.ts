/** Route cases for consents, restriction requests and the accounting of disclosures (see ../route-cases.ts). */
import { can } from '../../../src/server/platform/http/access.js';
import type { TestApp } from '../../helpers/app.js';
import type { BuiltUser } from '../../helpers/factories.js';
import { buildConsent, buildRestriction, CLINIC } from '../../helpers/consents.js';
import { foreignParticipant, participantOf, type CaseContext, type RouteCase } from '../case-types.js';

const CONSENT_BODY = {
  kind: 'disclosure_specific',
  categories: ['moud'],
  recipients: [CLINIC],
  purposes: ['treatment'],
  rightToRevokeExplained: true,
  expiresOn: '2027-11-20',
  signedOn: '2026-11-20',
  signature: { method: 'typed', data: 'Rosa Test', attested: true, signerRole: 'participant', signerName: 'Rosa Test' },
};
const DISCLOSURE_BODY = { recipient: CLINIC, purpose: 'treatment', categories: ['moud'] };

/** A participant the caller may see, with a consent naming Harbor Clinic. */
async function consentOf(t: TestApp, org: string, caller: BuiltUser) {
  const p = await participantOf(t, org, caller);
  return { participantId: p.id, consentId: await buildConsent(t.db, { organizationId: org, participantId: p.id, createdBy: caller.id }) };
}
async function foreignConsent(ctx: CaseContext) {
  const p = await foreignParticipant(ctx.t, ctx.otherOrganizationId);
  return buildConsent(ctx.t.db, { organizationId: ctx.otherOrganizationId, participantId: p.id, createdBy: ctx.caller.user.id });
}
async function restrictionOf(t: TestApp, org: string, caller: BuiltUser) {
  const p = await participantOf(t, org, caller);
  return buildRestriction(t.db, { organizationId: org, participantId: p.id, createdBy: caller.id });
}
async function foreignRestriction(ctx: CaseContext) {
  const p = await foreignParticipant(ctx.t, ctx.otherOrganizationId);
  return buildRestriction(ctx.t.db, { organizationId: ctx.otherOrganizationId, participantId: p.id, createdBy: ctx.caller.user.id });
}
const participantUrl = async ({ t, organizationId, caller }: CaseContext, tail: string) => `/api/v1/participants/${(await participantOf(t, organizationId, caller.user)).id}/${tail}`;
const foreignUrl = async ({ t, otherOrganizationId }: CaseContext, tail: string) => `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}/${tail}`;

export const consentCases: Record<string, RouteCase> = {
  'GET /api/v1/participants/:id/consents': {
    access: can('consents.read'),
    valid: async (ctx) => ({ url: await participantUrl(ctx, 'consents') }),
    foreign: async (ctx) => ({ url: await foreignUrl(ctx, 'consents') }),
  },
  'POST /api/v1/participants/:id/consents': {
    access: can('consents.manage'),
    status: 201,
    valid: async (ctx) => ({ url: await participantUrl(ctx, 'consents'), body: CONSENT_BODY }),
    foreign: async (ctx) => ({ url: await foreignUrl(ctx, 'consents'), body: CONSENT_BODY }),
    invalid: { body: { ...CONSENT_BODY, kind: 'general_release' }, path: 'kind' },
  },
  'GET /api/v1/consents/:id': {
    access: can('consents.read'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/consents/${(await consentOf(t, organizationId, caller.user)).consentId}` }),
    foreign: async (ctx) => ({ url: `/api/v1/consents/${await foreignConsent(ctx)}` }),
  },
  'POST /api/v1/consents/:id/revoke': {
    access: can('consents.manage'),
    valid: async ({ t, organizationId, caller }) => ({
      url: `/api/v1/consents/${(await consentOf(t, organizationId, caller.user)).consentId}/revoke`,
      body: { revokedOn: '2026-11-27', method: 'written', version: 1 },
    }),
    foreign: async (ctx) => ({ url: `/api/v1/consents/${await foreignConsent(ctx)}/revoke`, body: { revokedOn: '2026-11-27', method: 'written', version: 1 } }),
    invalid: { body: { revokedOn: 'yesterday', method: 'written', version: 1 }, path: 'revokedOn' },
  },
  'GET /api/v1/organization/consent-settings': {
    access: can('consents.settings'),
    valid: () => Promise.resolve({ url: '/api/v1/organization/consent-settings' }),
  },
  'PATCH /api/v1/organization/consent-settings': {
    access: can('consents.settings'),
    valid: () => Promise.resolve({ url: '/api/v1/organization/consent-settings', body: { minorConsentRule: 'parent_required' } }),
    invalid: { body: { minorConsentRule: 'whoever_signs' }, path: 'minorConsentRule' },
  },
  'GET /api/v1/participants/:id/restrictions': {
    access: can('consents.read'),
    valid: async (ctx) => ({ url: await participantUrl(ctx, 'restrictions') }),
    foreign: async (ctx) => ({ url: await foreignUrl(ctx, 'restrictions') }),
  },
  'POST /api/v1/participants/:id/restrictions': {
    access: can('consents.manage'),
    status: 201,
    valid: async (ctx) => ({ url: await participantUrl(ctx, 'restrictions'), body: { description: 'Not to my former employer', recipient: { kind: 'person', name: 'Sam Ortiz' } } }),
    foreign: async (ctx) => ({ url: await foreignUrl(ctx, 'restrictions'), body: { description: 'Not to my former employer' } }),
    invalid: { body: { description: '' }, path: 'description' },
  },
  'POST /api/v1/restrictions/:id/decide': {
    access: can('restrictions.decide'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/restrictions/${await restrictionOf(t, organizationId, caller.user)}/decide`, body: { decision: 'agreed', version: 1 } }),
    foreign: async (ctx) => ({ url: `/api/v1/restrictions/${await foreignRestriction(ctx)}/decide`, body: { decision: 'agreed', version: 1 } }),
    invalid: { body: { decision: 'maybe', version: 1 }, path: 'decision' },
  },
  'POST /api/v1/restrictions/:id/end': {
    access: can('restrictions.decide'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/restrictions/${await restrictionOf(t, organizationId, caller.user)}/end`, body: { version: 1 } }),
    foreign: async (ctx) => ({ url: `/api/v1/restrictions/${await foreignRestriction(ctx)}/end`, body: { version: 1 } }),
    invalid: { body: { version: 'one' }, path: 'version' },
  },
  'POST /api/v1/participants/:id/disclosures': {
    access: can('disclosures.create'),
    status: 201,
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/participants/${(await consentOf(t, organizationId, caller.user)).participantId}/disclosures`, body: DISCLOSURE_BODY }),
    foreign: async (ctx) => ({ url: await foreignUrl(ctx, 'disclosures'), body: DISCLOSURE_BODY }),
    invalid: { body: { ...DISCLOSURE_BODY, purpose: 'marketing' }, path: 'purpose' },
  },
  'GET /api/v1/participants/:id/disclosures': {
    access: can('disclosures.read'),
    valid: async (ctx) => ({ url: `${await participantUrl(ctx, 'disclosures')}?from=2026-01-01&to=2026-11-27` }),
    foreign: async (ctx) => ({ url: `${await foreignUrl(ctx, 'disclosures')}?from=2026-01-01&to=2026-11-27` }),
  },
};

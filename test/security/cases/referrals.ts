/** Route cases for referrals and the partner inbox (see ../route-cases.ts). */
import { can } from '../../../src/server/platform/http/access.js';
import type { TestApp } from '../../helpers/app.js';
import { buildUser, type BuiltUser } from '../../helpers/factories.js';
import { foreignParticipant, participantOf, type RouteCase } from '../case-types.js';
import { insertOrganization, insertService } from '../../../src/server/modules/directory/directory.repository.js';
import { insertDisclosure } from '../../../src/server/modules/consents/consents.repository.js';
import { findOrganization } from '../../../src/server/modules/organizations/organizations.repository.js';
import { localDate } from '../../../src/server/platform/time.js';
import { insertEvent, insertReferral, setPartnerLink, updateReferral } from '../../../src/server/modules/referrals/referrals.repository.js';

const now = () => new Date().toISOString();
/** Today in the organization's time zone (a linkage date may not be after it, nor before the referral was made). */
const localToday = async (t: TestApp, org: string) => localDate(new Date(), (await findOrganization(t.db, org))!.timeZone);

async function serviceIn(t: TestApp, org: string): Promise<{ serviceId: string; orgId: string }> {
  const orgId = await insertOrganization(t.db, org, { name: 'Harbor Clinic', type: 'treating_provider' }, now());
  const serviceId = await insertService(t.db, org, { directoryOrganizationId: orgId, name: 'Buprenorphine clinic', serviceTypes: ['buprenorphine'] }, now());
  return { serviceId, orgId };
}

/** A referral of a participant: logged, or sent (with its accounting row) to the directory organization. */
async function referralFor(t: TestApp, org: string, participantId: string, by: string, o: { sent?: boolean; receiver?: { serviceId: string; orgId: string } } = {}): Promise<string> {
  const receiver = o.receiver ?? (await serviceIn(t, org));
  const id = await insertReferral(t.db, {
    organizationId: org,
    participantId,
    directoryServiceId: receiver.serviceId,
    directoryOrganizationId: receiver.orgId,
    receiverName: 'Harbor Clinic',
    receiverType: 'treating_provider',
    serviceName: 'Buprenorphine clinic',
    receiverContact: null,
    mode: 'logged',
    reason: 'Start buprenorphine',
    urgency: 'routine',
    notesForReceiver: null,
    status: 'requested',
    coachUserId: by,
    createdBy: by,
    now: now(),
  });
  await insertEvent(t.db, { organizationId: org, referralId: id, participantId, kind: 'created', fromStatus: null, toStatus: 'requested', reason: null, actorKind: 'staff', actorUserId: by, at: now() });
  if (o.sent) {
    const disclosureId = await insertDisclosure(t.db, {
      organizationId: org,
      participantId,
      disclosedAt: now(),
      recipient: { kind: 'organization', name: 'Harbor Clinic', type: 'treating_provider', refId: receiver.orgId },
      categories: ['moud'],
      purpose: 'treatment',
      purposeOfUse: 'TREAT',
      consentId: null,
      legalBasis: 'medical_emergency',
      legalBasisDetail: 'test',
      payload: JSON.stringify({ referral: { id, reason: 'Start buprenorphine' } }),
      notice: '42 CFR part 2 prohibits unauthorized use or disclosure of these records.',
      batchId: null,
      disclosedBy: by,
    });
    // Stays at version 1 for the cases' bodies: set the sent columns without bumping it.
    await updateReferral(t.db, org, id, 1, { mode: 'sent', disclosureId, sentAt: now() }, now());
    await t.db.updateTable('referrals').set({ version: 1 }).where('id', '=', id).execute();
  }
  return id;
}

const mine = async (t: TestApp, org: string, caller: BuiltUser) => referralFor(t, org, (await participantOf(t, org, caller)).id, caller.id);
const theirs = async (t: TestApp, org: string) => {
  const p = await foreignParticipant(t, org);
  const someone = await buildUser(t.db, { organizationId: org, roles: ['coach'] });
  return referralFor(t, org, p.id, someone.id, { sent: true });
};

/** A sent referral addressed to the organization the calling partner is linked to. */
const toPartner = async (t: TestApp, org: string, partner: BuiltUser) => {
  const receiver = await serviceIn(t, org);
  await setPartnerLink(t.db, org, partner.id, receiver.orgId, partner.id, now());
  const coach = await buildUser(t.db, { organizationId: org, roles: ['coach'] });
  const p = await participantOf(t, org, coach);
  return referralFor(t, org, p.id, coach.id, { sent: true, receiver });
};

const LATER = '2099-12-01T15:00:00.000Z';

export const referralsCases: Record<string, RouteCase> = {
  'GET /api/v1/participants/:id/referrals': {
    access: can('referrals.read'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/participants/${(await participantOf(t, organizationId, caller.user)).id}/referrals` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}/referrals` }),
  },
  'POST /api/v1/participants/:id/referrals': {
    access: can('referrals.manage'),
    status: 201,
    valid: async ({ t, organizationId, caller }) => ({
      url: `/api/v1/participants/${(await participantOf(t, organizationId, caller.user)).id}/referrals`,
      body: { directoryServiceId: (await serviceIn(t, organizationId)).serviceId, reason: 'Start buprenorphine', send: false },
    }),
    foreign: async ({ t, otherOrganizationId }) => ({
      url: `/api/v1/participants/${(await foreignParticipant(t, otherOrganizationId)).id}/referrals`,
      body: { outside: { name: 'Legal aid', type: 'community_service' }, reason: 'Court date', send: false },
    }),
    invalid: { body: { reason: 'x', send: false }, path: 'directoryServiceId' },
  },
  'GET /api/v1/referrals/:id': {
    access: can('referrals.read'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/referrals/${await mine(t, organizationId, caller.user)}` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/referrals/${await theirs(t, otherOrganizationId)}` }),
  },
  'PATCH /api/v1/referrals/:id': {
    access: can('referrals.manage'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/referrals/${await mine(t, organizationId, caller.user)}`, body: { urgency: 'urgent', version: 1 } }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/referrals/${await theirs(t, otherOrganizationId)}`, body: { urgency: 'urgent', version: 1 } }),
    invalid: { body: { urgency: 'whenever', version: 1 }, path: 'urgency' },
  },
  'POST /api/v1/referrals/:id/status': {
    access: can('referrals.manage'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/referrals/${await mine(t, organizationId, caller.user)}/status`, body: { status: 'accepted', version: 1 } }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/referrals/${await theirs(t, otherOrganizationId)}/status`, body: { status: 'accepted', version: 1 } }),
    invalid: { body: { status: 'cancelled', version: 1 }, path: 'reason' },
  },
  'POST /api/v1/referrals/:id/send': {
    access: can('referrals.manage'),
    // No consent covers the clinic in the matrix's world: the gate refuses, as it must.
    code: 'referral.consent_required',
    status: 403,
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/referrals/${await mine(t, organizationId, caller.user)}/send`, body: { categories: ['moud'], version: 1 } }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/referrals/${await theirs(t, otherOrganizationId)}/send`, body: { categories: ['moud'], version: 1 } }),
    invalid: { body: { categories: [], version: 1 }, path: 'categories' },
  },
  'POST /api/v1/referrals/:id/linkage': {
    access: can('referrals.manage'),
    valid: async ({ t, organizationId, caller }) => ({
      url: `/api/v1/referrals/${await mine(t, organizationId, caller.user)}/linkage`,
      body: { kind: 'appointment_attended', on: await localToday(t, organizationId), source: 'participant_reported', version: 1 },
    }),
    foreign: async ({ t, otherOrganizationId }) => ({
      url: `/api/v1/referrals/${await theirs(t, otherOrganizationId)}/linkage`,
      body: { kind: 'appointment_attended', on: '2026-11-20', source: 'participant_reported', version: 1 },
    }),
    invalid: { body: { kind: 'moud_started', on: 'soon', source: 'records', version: 1 }, path: 'on' },
  },
  'GET /api/v1/partner/referrals': {
    access: can('partner.referrals'),
    valid: async ({ t, organizationId, caller }) => {
      await toPartner(t, organizationId, caller.user);
      return { url: '/api/v1/partner/referrals' };
    },
  },
  'GET /api/v1/partner/referrals/:id': {
    access: can('partner.referrals'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/partner/referrals/${await toPartner(t, organizationId, caller.user)}` }),
    foreign: async ({ t, organizationId, otherOrganizationId, caller }) => {
      await toPartner(t, organizationId, caller.user);
      return { url: `/api/v1/partner/referrals/${await theirs(t, otherOrganizationId)}` };
    },
  },
  'POST /api/v1/partner/referrals/:id/status': {
    access: can('partner.referrals'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/partner/referrals/${await toPartner(t, organizationId, caller.user)}/status`, body: { status: 'accepted', version: 1 } }),
    foreign: async ({ t, organizationId, otherOrganizationId, caller }) => {
      await toPartner(t, organizationId, caller.user);
      return { url: `/api/v1/partner/referrals/${await theirs(t, otherOrganizationId)}/status`, body: { status: 'accepted', version: 1 } };
    },
    invalid: { body: { status: 'rejected', version: 1 }, path: 'reason' },
  },
  'POST /api/v1/partner/referrals/:id/appointment': {
    access: can('partner.referrals'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/partner/referrals/${await toPartner(t, organizationId, caller.user)}/appointment`, body: { startsAt: LATER, version: 1 } }),
    foreign: async ({ t, organizationId, otherOrganizationId, caller }) => {
      await toPartner(t, organizationId, caller.user);
      return { url: `/api/v1/partner/referrals/${await theirs(t, otherOrganizationId)}/appointment`, body: { startsAt: LATER, version: 1 } };
    },
    invalid: { body: { startsAt: 'tomorrow', version: 1 }, path: 'startsAt' },
  },
  'POST /api/v1/partner/referrals/:id/attendance': {
    access: can('partner.referrals'),
    valid: async ({ t, organizationId, caller }) => ({ url: `/api/v1/partner/referrals/${await toPartner(t, organizationId, caller.user)}/attendance`, body: { attended: true, version: 1 } }),
    foreign: async ({ t, organizationId, otherOrganizationId, caller }) => {
      await toPartner(t, organizationId, caller.user);
      return { url: `/api/v1/partner/referrals/${await theirs(t, otherOrganizationId)}/attendance`, body: { attended: true, version: 1 } };
    },
    invalid: { body: { version: 1 }, path: 'attended' },
  },
  'GET /api/v1/partner-accounts': {
    access: can('partner_accounts.manage'),
    valid: async () => ({ url: '/api/v1/partner-accounts' }),
  },
  'PUT /api/v1/partner-accounts/:id': {
    access: can('partner_accounts.manage'),
    valid: async ({ t, organizationId }) => {
      const partner = await buildUser(t.db, { organizationId, roles: ['partner'] });
      return { url: `/api/v1/partner-accounts/${partner.id}`, body: { directoryOrganizationId: (await serviceIn(t, organizationId)).orgId } };
    },
    foreign: async ({ t, otherOrganizationId }) => {
      const partner = await buildUser(t.db, { organizationId: otherOrganizationId, roles: ['partner'] });
      return { url: `/api/v1/partner-accounts/${partner.id}`, body: { directoryOrganizationId: null } };
    },
    invalid: { body: { directoryOrganizationId: 'nope' }, path: 'directoryOrganizationId' },
  },
  'GET /api/v1/organization/referral-settings': {
    access: can('referrals.settings'),
    valid: async () => ({ url: '/api/v1/organization/referral-settings' }),
  },
  'PATCH /api/v1/organization/referral-settings': {
    access: can('referrals.settings'),
    valid: async ({ t, organizationId }) => {
      const org = await t.db.selectFrom('organizations').select('version').where('id', '=', organizationId).executeTakeFirstOrThrow();
      return { url: '/api/v1/organization/referral-settings', body: { followUpDays: 10, version: org.version } };
    },
    invalid: { body: { followUpDays: 500, version: 1 }, path: 'followUpDays' },
  },
};

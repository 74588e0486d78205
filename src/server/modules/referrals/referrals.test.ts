/**
 * Closed-loop referrals through the HTTP API on a real database with a fixed clock (New York):
 * logged and sent referrals, the disclosure gate (403 with the reason, the frozen copy and its
 * notice, the accounting, revocation), the lifecycle (409 naming the allowed moves), the partner
 * inbox (only its own organization's sent referrals; accept, book, confirm attendance), linkage
 * (from the partner, the coach, or an attended appointment), the follow-up to-do, and the timeline.
 */
import type { z } from 'zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../contracts/common.js';
import type { PartnerInbox, PartnerReferral, Referral, ReferralList, ReferralSettings } from '../../../contracts/referrals.js';
import type { TimelinePage } from '../../../contracts/care.js';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { auditEvents } from '../../../../test/helpers/inspect.js';
import { careWorld, type CareWorld } from '../../../../test/helpers/care.js';
import { buildConsent } from '../../../../test/helpers/consents.js';
import { buildUser, type BuiltUser } from '../../../../test/helpers/factories.js';
import { insertOrganization, insertService } from '../directory/directory.repository.js';

const NOW = '2026-11-27T15:00:00.000Z'; // Friday 10:00 in New York
const TODAY = '2026-11-27';
type R = z.infer<typeof Referral>;
type P = z.infer<typeof PartnerReferral>;

describe('referrals', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t.close());

  const err = (res: { json: <T>() => T }) => res.json<ErrorBody>().error;
  const ok = <T>(res: { statusCode: number; body: string; json: <U>() => U }, status = 200): T => {
    expect(res.statusCode, res.body).toBe(status);
    return res.json<T>();
  };

  interface World extends CareWorld {
    clinicOrgId: string;
    clinicServiceId: string;
    otherOrgId: string;
    otherServiceId: string;
    partner: BuiltUser;
    otherPartner: BuiltUser;
  }

  /** A program with a clinic (treating provider) and a housing service in its directory, a partner account at each. */
  async function world(): Promise<World> {
    const w = await careWorld(t);
    const now = new Date().toISOString();
    const clinicOrgId = await insertOrganization(t.db, w.organizationId, { name: 'Harbor Clinic', type: 'treating_provider' }, now);
    const clinicServiceId = await insertService(t.db, w.organizationId, { directoryOrganizationId: clinicOrgId, name: 'Same-day buprenorphine', serviceTypes: ['buprenorphine'], insurance: ['medicaid'] }, now);
    const otherOrgId = await insertOrganization(t.db, w.organizationId, { name: 'Northside Housing', type: 'community_service' }, now);
    const otherServiceId = await insertService(t.db, w.organizationId, { directoryOrganizationId: otherOrgId, name: 'Recovery housing', serviceTypes: ['recovery_housing'] }, now);
    const partner = await buildUser(t.db, { organizationId: w.organizationId, roles: ['partner'] });
    const otherPartner = await buildUser(t.db, { organizationId: w.organizationId, roles: ['partner'] });
    const admin = await w.as(await buildUser(t.db, { organizationId: w.organizationId, roles: ['admin'] }));
    ok(await admin.request('PUT', `/api/v1/partner-accounts/${partner.id}`, { directoryOrganizationId: clinicOrgId }));
    ok(await admin.request('PUT', `/api/v1/partner-accounts/${otherPartner.id}`, { directoryOrganizationId: otherOrgId }));
    return { ...w, clinicOrgId, clinicServiceId, otherOrgId, otherServiceId, partner, otherPartner };
  }

  const consentFor = (w: World, o: Partial<Parameters<typeof buildConsent>[1]> = {}) =>
    buildConsent(t.db, {
      organizationId: w.organizationId,
      participantId: w.participantId,
      createdBy: w.coach.id,
      recipients: [{ kind: 'organization', name: 'Harbor Clinic', type: 'treating_provider', refId: w.clinicOrgId }],
      categories: ['demographics_contact', 'moud'],
      ...o,
    });

  const refer = async (w: World, body: Record<string, unknown>, as: BuiltUser = w.coach) =>
    (await w.as(as)).post(`/api/v1/participants/${w.participantId}/referrals`, { reason: 'Wants to start buprenorphine', ...body });

  const sendToClinic = async (w: World) =>
    ok<R>(await refer(w, { directoryServiceId: w.clinicServiceId, send: true, categories: ['demographics_contact'], notesForReceiver: 'Prefers mornings' }), 201);

  const todosOf = (w: World) => t.db.selectFrom('todos').selectAll().where('participant_id', '=', w.participantId).where('kind', '=', 'referral').execute();

  it('logs a referral (no data sent): requested, with its event and a follow-up to-do after the organization’s days', async () => {
    const w = await world();
    const r = ok<R>(await refer(w, { directoryServiceId: w.otherServiceId, send: false }), 201);
    expect(r).toMatchObject({ mode: 'logged', status: 'requested', shared: null, consentId: null, receiver: { organizationName: 'Northside Housing', serviceName: 'Recovery housing', organizationType: 'community_service' } });
    expect(r.events.map((e) => [e.kind, e.toStatus])).toEqual([['created', 'requested']]);
    expect(r.followUpOn).toBe('2026-12-04');
    expect(r.allowedTransitions).toEqual(['accepted', 'rejected', 'cancelled']);
    const [todo] = await todosOf(w);
    expect(todo).toMatchObject({ status: 'open', due_on: '2026-12-04', owner_user_id: w.coach.id, source_type: 'referral', source_id: r.id });
    expect(await t.db.selectFrom('disclosures').select('id').where('participant_id', '=', w.participantId).execute()).toHaveLength(0);
    // A partner of the receiving organization sees nothing of a logged referral.
    const inbox = ok<z.infer<typeof PartnerInbox>>(await (await w.as(w.otherPartner)).get('/api/v1/partner/referrals?view=all'));
    expect(inbox.referrals).toHaveLength(0);
    const list = ok<z.infer<typeof ReferralList>>(await (await w.as(w.coach)).get(`/api/v1/participants/${w.participantId}/referrals`));
    expect(list.referrals.map((x) => x.id)).toEqual([r.id]);
  });

  it('refuses to send without a consent: 403 naming the reason, nothing saved, the attempt recorded as denied', async () => {
    const w = await world();
    const res = await refer(w, { directoryServiceId: w.clinicServiceId, send: true, categories: ['demographics_contact'] });
    expect(res.statusCode, res.body).toBe(403);
    expect(err(res)).toMatchObject({ code: 'referral.consent_required', details: { reason: 'no_consent' } });
    expect(await t.db.selectFrom('referrals').select('id').where('participant_id', '=', w.participantId).execute()).toHaveLength(0);
    expect(await todosOf(w)).toHaveLength(0);
    const denied = (await auditEvents(t, { action: 'disclosure.create', targetId: w.participantId })).filter((e) => e.outcome === 'denied');
    expect(denied).toHaveLength(1);
    // A consent that does not cover every category sent names the missing ones.
    await consentFor(w, { categories: ['demographics_contact'] });
    const partial = await refer(w, { directoryServiceId: w.clinicServiceId, send: true, categories: ['demographics_contact', 'substance_use_history'] });
    expect(partial.statusCode).toBe(403);
    expect(err(partial).details).toMatchObject({ reason: 'categories_not_covered', missingCategories: ['substance_use_history'] });
  });

  it('sends under a consent: the frozen copy with the §2.32 notice, in the accounting, and only the receiving partner sees it', async () => {
    const w = await world();
    const consentId = await consentFor(w);
    const r = await sendToClinic(w);
    expect(r).toMatchObject({ mode: 'sent', status: 'requested', consentId });
    expect(r.shared!.notice).toContain('42 CFR part 2 prohibits unauthorized use or disclosure of these records.');
    expect(r.shared!.categories).toEqual(['demographics_contact']);
    expect(r.shared!.payload).toMatchObject({ referral: { id: r.id, reason: 'Wants to start buprenorphine', notesForReceiver: 'Prefers mornings' }, demographicsContact: {} });
    expect(r.shared!.payload).not.toHaveProperty('moud');
    expect(r.events.map((e) => e.kind)).toEqual(['created', 'sent']);
    // The accounting of disclosures lists it.
    const accounting = ok<{ disclosures: { id: string; recipient: { refId?: string } }[] }>(await (await w.as(w.coach)).get(`/api/v1/participants/${w.participantId}/disclosures?from=${TODAY}&to=${TODAY}`));
    expect(accounting.disclosures.map((d) => d.id)).toEqual([r.shared!.disclosureId]);
    expect(accounting.disclosures[0]!.recipient.refId).toBe(w.clinicOrgId);

    const partner = await w.as(w.partner);
    const inbox = ok<z.infer<typeof PartnerInbox>>(await partner.get('/api/v1/partner/referrals'));
    expect(inbox.organizationName).toBe('Harbor Clinic');
    expect(inbox.counts).toEqual({ requested: 1, accepted: 0, inProgress: 0 });
    expect(inbox.referrals).toHaveLength(1);
    expect(inbox.referrals[0]).toMatchObject({ id: r.id, status: 'requested', serviceName: 'Same-day buprenorphine', consentRevoked: false });
    expect(inbox.referrals[0]!.personLabel).toBeTruthy();
    const seen = ok<P>(await partner.get(`/api/v1/partner/referrals/${r.id}`));
    expect(seen).toMatchObject({ reason: 'Wants to start buprenorphine', notesForReceiver: 'Prefers mornings', allowedTransitions: ['accepted', 'rejected'], consentRevokedAt: null });
    expect(seen.shared.notice).toBe(r.shared!.notice);
    // Reads by the partner are audited as reads of the participant.
    const reads = (await auditEvents(t, { action: 'participant.read', targetId: w.participantId })).filter((e) => e.actorUserId === w.partner.id);
    expect(reads.map((e) => e.details.part).sort()).toEqual(['partner_inbox', 'partner_referral']);

    // Another receiving organization's partner: not found, and an empty inbox.
    const other = await w.as(w.otherPartner);
    expect((await other.get(`/api/v1/partner/referrals/${r.id}`)).statusCode).toBe(404);
    expect((await other.post(`/api/v1/partner/referrals/${r.id}/status`, { status: 'accepted', version: r.version })).statusCode).toBe(404);
    expect(ok<z.infer<typeof PartnerInbox>>(await other.get('/api/v1/partner/referrals?view=all')).referrals).toHaveLength(0);
    // A partner account not linked yet is told so.
    const loose = await buildUser(t.db, { organizationId: w.organizationId, roles: ['partner'] });
    const unlinked = await (await w.as(loose)).get('/api/v1/partner/referrals');
    expect(unlinked.statusCode).toBe(403);
    expect(err(unlinked).code).toBe('referral.partner_unlinked');
    // A partner holds no participant permission.
    expect((await partner.get(`/api/v1/participants/${w.participantId}`)).statusCode).toBe(403);
    expect((await partner.get(`/api/v1/referrals/${r.id}`)).statusCode).toBe(403);
  });

  it('closes the loop: the partner accepts, books the first visit, confirms attendance; linkage, the to-do and the timeline follow', async () => {
    const w = await world();
    await consentFor(w);
    const r = await sendToClinic(w);
    const partner = await w.as(w.partner);
    let p = ok<P>(await partner.post(`/api/v1/partner/referrals/${r.id}/status`, { status: 'accepted', version: r.version }));
    expect(p).toMatchObject({ status: 'accepted', allowedTransitions: ['in_progress', 'failed'] });
    // Past times are refused; a visit on Monday goes on the coach's calendar.
    const past = await partner.post(`/api/v1/partner/referrals/${r.id}/appointment`, { startsAt: '2026-11-26T15:00:00Z', version: p.version });
    expect(past.statusCode).toBe(400);
    expect(err(past).fields?.[0]?.path).toBe('startsAt');
    p = ok<P>(await partner.post(`/api/v1/partner/referrals/${r.id}/appointment`, { startsAt: '2026-11-30T14:00:00Z', place: 'Suite 2', version: p.version }));
    expect(p).toMatchObject({ status: 'in_progress', appointmentStartsAt: '2026-11-30T14:00:00.000Z', appointmentPlace: 'Suite 2' });
    const appt = await t.db.selectFrom('appointments').selectAll().where('referral_id', '=', r.id).executeTakeFirstOrThrow();
    expect(appt).toMatchObject({ coach_user_id: w.coach.id, created_by: w.partner.id, status: 'scheduled', directory_service_id: w.clinicServiceId });
    // Attendance before the visit has begun is refused.
    const early = await partner.post(`/api/v1/partner/referrals/${r.id}/attendance`, { attended: true, version: p.version });
    expect(early.statusCode).toBe(400);
    t.clock.set('2026-11-30T16:00:00.000Z');
    p = ok<P>(await (await w.as(w.partner)).post(`/api/v1/partner/referrals/${r.id}/attendance`, { attended: true, moudStarted: true, version: p.version }));
    expect(p).toMatchObject({ status: 'completed', attendedOn: '2026-11-30', allowedTransitions: [] });
    expect((await t.db.selectFrom('appointments').select('status').where('id', '=', appt.id).executeTakeFirstOrThrow()).status).toBe('attended');

    const staff = ok<R>(await (await w.as(w.coach)).get(`/api/v1/referrals/${r.id}`));
    expect(staff.linkage).toMatchObject({ kind: 'moud_started', on: '2026-11-30', source: 'partner_confirmed' });
    expect(staff.events.map((e) => e.kind + (e.toStatus ? `:${e.toStatus}` : ''))).toEqual([
      'created:requested',
      'sent',
      'status:accepted',
      'status:in_progress',
      'scheduled',
      'attendance',
      'linked',
      'status:completed',
    ]);
    const [todo] = await todosOf(w);
    expect(todo).toMatchObject({ status: 'done', resolution: 'referral_outcome' });

    const timeline = ok<z.infer<typeof TimelinePage>>(await (await w.as(w.coach)).get(`/api/v1/participants/${w.participantId}/timeline?kinds=referral`));
    const linked = timeline.items.find((i) => i.kind === 'referral.linked');
    expect(linked).toMatchObject({ summary: 'Linked to care at Harbor Clinic (started medication)', details: { linkedOn: '2026-11-30', byPartner: true } });
    // The partner can no longer move a completed referral: 409 naming what is allowed (nothing).
    const again = await (await w.as(w.partner)).post(`/api/v1/partner/referrals/${r.id}/status`, { status: 'failed', reason: 'x', version: p.version });
    expect(again.statusCode).toBe(409);
    expect(err(again)).toMatchObject({ code: 'referral.transition_not_allowed', details: { from: 'completed', to: 'failed', allowed: [] } });
  });

  it('a missed first visit leaves the referral open and asks the coach to reach out', async () => {
    const w = await world();
    await consentFor(w);
    const r = await sendToClinic(w);
    const partner = await w.as(w.partner);
    let p = ok<P>(await partner.post(`/api/v1/partner/referrals/${r.id}/appointment`, { startsAt: '2026-11-28T14:00:00Z', version: r.version }));
    expect(p.status).toBe('in_progress');
    t.clock.set('2026-11-28T18:00:00.000Z');
    p = ok<P>(await (await w.as(w.partner)).post(`/api/v1/partner/referrals/${r.id}/attendance`, { attended: false, version: p.version }));
    expect(p).toMatchObject({ status: 'in_progress', attendedOn: null });
    const followUps = await t.db.selectFrom('todos').selectAll().where('participant_id', '=', w.participantId).where('kind', '=', 'follow_up').where('source_type', '=', 'referral').execute();
    expect(followUps).toHaveLength(1);
    expect(followUps[0]).toMatchObject({ owner_user_id: w.coach.id, severity: 'high', clears_on: 'contact_reached' });
  });

  it('declining needs a reason; the lifecycle refuses other moves with 409 naming the allowed ones', async () => {
    const w = await world();
    await consentFor(w);
    const r = await sendToClinic(w);
    const partner = await w.as(w.partner);
    const noReason = await partner.post(`/api/v1/partner/referrals/${r.id}/status`, { status: 'rejected', version: r.version });
    expect(noReason.statusCode).toBe(400);
    expect(err(noReason).fields?.[0]?.path).toBe('reason');
    // Cancelling is the referring program's, not the partner's.
    const cancel = await partner.post(`/api/v1/partner/referrals/${r.id}/status`, { status: 'cancelled', reason: 'no', version: r.version });
    expect(cancel.statusCode).toBe(409);
    expect(err(cancel).details).toMatchObject({ from: 'requested', allowed: ['accepted', 'rejected'] });
    const skip = await (await w.as(w.coach)).post(`/api/v1/referrals/${r.id}/status`, { status: 'completed', version: r.version });
    expect(skip.statusCode).toBe(409);
    expect(err(skip).message).toContain('accepted, rejected, cancelled');
    const p = ok<P>(await partner.post(`/api/v1/partner/referrals/${r.id}/status`, { status: 'rejected', reason: 'No openings this month', version: r.version }));
    expect(p.status).toBe('rejected');
    const staff = ok<R>(await (await w.as(w.coach)).get(`/api/v1/referrals/${r.id}`));
    expect(staff).toMatchObject({ status: 'rejected', statusReason: 'No openings this month', allowedTransitions: [] });
    expect(staff.events.at(-1)).toMatchObject({ kind: 'status', fromStatus: 'requested', toStatus: 'rejected', actorKind: 'partner' });
    expect((await todosOf(w))[0]).toMatchObject({ status: 'cancelled' });
    // A stale version is a conflict with the current record, not an overwrite.
    const stale = await (await w.as(w.coach)).post(`/api/v1/referrals/${r.id}/status`, { status: 'cancelled', reason: 'x', version: r.version });
    expect(stale.statusCode).toBe(409);
    expect(err(stale)).toMatchObject({ code: 'record.conflict', details: { current: { status: 'rejected' } } });
  });

  it('after the consent is revoked the partner keeps the copy, sees the revocation, and gets no updates', async () => {
    const w = await world();
    const consentId = await consentFor(w);
    const r = await sendToClinic(w);
    // While the consent stands, an update goes through the gate as a new disclosure.
    const updated = ok<R>(await (await w.as(w.coach)).post(`/api/v1/referrals/${r.id}/send`, { categories: ['demographics_contact', 'moud'], version: r.version }));
    expect(updated.shared!.disclosureId).not.toBe(r.shared!.disclosureId);
    expect(updated.events.at(-1)!.kind).toBe('updated');
    const consent = await (await w.as(w.coach)).get(`/api/v1/consents/${consentId}`);
    ok(await (await w.as(w.coach)).post(`/api/v1/consents/${consentId}/revoke`, { revokedOn: TODAY, method: 'written', version: consent.json<{ version: number }>().version }));
    const staff = ok<R>(await (await w.as(w.coach)).get(`/api/v1/referrals/${r.id}`));
    expect(staff.consentRevokedAt).not.toBeNull();
    const refused = await (await w.as(w.coach)).post(`/api/v1/referrals/${r.id}/send`, { categories: ['demographics_contact'], version: staff.version });
    expect(refused.statusCode).toBe(403);
    expect(err(refused).details).toMatchObject({ reason: 'consent_revoked' });
    const p = ok<P>(await (await w.as(w.partner)).get(`/api/v1/partner/referrals/${r.id}`));
    expect(p.consentRevokedAt).toBe(staff.consentRevokedAt);
    expect(p.shared.disclosureId).toBe(updated.shared!.disclosureId);
    expect(p.shared.payload).toMatchObject({ moud: {} });
    const inbox = ok<z.infer<typeof PartnerInbox>>(await (await w.as(w.partner)).get('/api/v1/partner/referrals'));
    expect(inbox.referrals[0]!.consentRevoked).toBe(true);
    const list = ok<z.infer<typeof ReferralList>>(await (await w.as(w.coach)).get(`/api/v1/participants/${w.participantId}/referrals`));
    expect(list.referrals[0]!.consentRevoked).toBe(true);
  });

  it('drafts, logged referrals sent later, outside organizations, and what a sent referral refuses to change', async () => {
    const w = await world();
    const coach = await w.as(w.coach);
    const draft = ok<R>(await refer(w, { directoryServiceId: w.clinicServiceId, send: false, draft: true }), 201);
    expect(draft).toMatchObject({ status: 'draft', followUpOn: null, requestedAt: null });
    expect(await todosOf(w)).toHaveLength(0);
    const edited = ok<R>(await coach.patch(`/api/v1/referrals/${draft.id}`, { urgency: 'urgent', version: draft.version }));
    expect(edited.urgency).toBe('urgent');
    // Sending a draft without a consent: 403, and the draft stays a draft.
    const noConsent = await coach.post(`/api/v1/referrals/${draft.id}/send`, { categories: ['moud'], version: edited.version });
    expect(noConsent.statusCode).toBe(403);
    expect(ok<R>(await coach.get(`/api/v1/referrals/${draft.id}`))).toMatchObject({ status: 'draft', mode: 'logged', version: edited.version });
    await consentFor(w);
    const sent = ok<R>(await coach.post(`/api/v1/referrals/${draft.id}/send`, { categories: ['moud'], version: edited.version }));
    expect(sent).toMatchObject({ status: 'requested', mode: 'sent', followUpOn: '2026-12-04' });
    expect((await todosOf(w))[0]).toMatchObject({ severity: 'high', status: 'open' });
    const frozen = await coach.patch(`/api/v1/referrals/${draft.id}`, { reason: 'Changed', version: sent.version });
    expect(frozen.statusCode).toBe(409);

    const outside = ok<R>(await refer(w, { outside: { name: 'County Legal Aid', type: 'community_service', contact: '555-0100' }, send: false }), 201);
    expect(outside.receiver).toMatchObject({ directoryServiceId: null, organizationName: 'County Legal Aid', contact: '555-0100' });
    const cannot = await coach.post(`/api/v1/referrals/${outside.id}/send`, { categories: ['moud'], version: outside.version });
    expect(cannot.statusCode).toBe(400);
    expect(err(cannot).fields?.[0]?.path).toBe('send');

    for (const [body, path] of [
      [{ send: false }, 'directoryServiceId'],
      [{ directoryServiceId: w.clinicServiceId, outside: { name: 'X', type: 'other' }, send: false }, 'outside'],
      [{ directoryServiceId: w.clinicServiceId, send: true }, 'categories'],
      [{ directoryServiceId: w.clinicServiceId, send: false, urgency: 'whenever' }, 'urgency'],
      [{ directoryServiceId: '0190f3a2-0000-7000-8000-000000000000', send: false }, 'directoryServiceId'],
    ] as const) {
      const res = await refer(w, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(err(res).fields?.map((f) => f.path)).toContain(path);
    }
  });

  it('the coach records linkage, or an attended appointment booked for the referral records it', async () => {
    const w = await world();
    const coach = await w.as(w.coach);
    const a = ok<R>(await refer(w, { directoryServiceId: w.otherServiceId, send: false }), 201);
    const future = await coach.post(`/api/v1/referrals/${a.id}/linkage`, { kind: 'appointment_attended', on: '2026-11-28', source: 'participant_reported', version: a.version });
    expect(future.statusCode).toBe(400);
    expect(err(future).fields?.[0]?.path).toBe('on');
    const linked = ok<R>(await coach.post(`/api/v1/referrals/${a.id}/linkage`, { kind: 'appointment_attended', on: TODAY, source: 'participant_reported', version: a.version }));
    expect(linked).toMatchObject({ status: 'completed', linkage: { kind: 'appointment_attended', on: TODAY, source: 'participant_reported' } });

    // A referral whose booked visit the coach marks attended.
    await consentFor(w);
    const b = await sendToClinic(w);
    const p = ok<P>(await (await w.as(w.partner)).post(`/api/v1/partner/referrals/${b.id}/appointment`, { startsAt: '2026-11-28T14:00:00Z', version: b.version }));
    expect(p.status).toBe('in_progress');
    const appt = await t.db.selectFrom('appointments').select(['id', 'version']).where('referral_id', '=', b.id).executeTakeFirstOrThrow();
    t.clock.set('2026-11-28T16:00:00.000Z');
    const later = await w.as(w.coach);
    ok(await later.post(`/api/v1/appointments/${appt.id}/status`, { status: 'attended', version: appt.version }));
    const after = ok<R>(await later.get(`/api/v1/referrals/${b.id}`));
    expect(after).toMatchObject({ status: 'completed', linkage: { kind: 'appointment_attended', on: '2026-11-28', source: 'staff_verified' } });
  });

  it('who may do what: privacy officers read, out-of-scope people are 403, settings change the follow-up days', async () => {
    const w = await world();
    const r = ok<R>(await refer(w, { directoryServiceId: w.otherServiceId, send: false }), 201);
    const po = await w.as(w.privacyOfficer);
    expect((await po.get(`/api/v1/referrals/${r.id}`)).statusCode).toBe(200);
    expect((await po.post(`/api/v1/participants/${w.participantId}/referrals`, { reason: 'x', directoryServiceId: w.otherServiceId, send: false })).statusCode).toBe(403);
    const other = await w.as(w.otherCoach);
    const out = await other.get(`/api/v1/referrals/${r.id}`);
    expect(out.statusCode).toBe(403);
    expect(err(out).code).toBe('participant.out_of_scope');

    const manager = await w.as(w.manager);
    const s = ok<z.infer<typeof ReferralSettings>>(await manager.get('/api/v1/organization/referral-settings'));
    expect(s.followUpDays).toBe(7);
    const bad = await manager.patch('/api/v1/organization/referral-settings', { followUpDays: 0, version: s.version });
    expect(bad.statusCode).toBe(400);
    expect(err(bad).fields?.[0]?.path).toBe('followUpDays');
    ok(await manager.patch('/api/v1/organization/referral-settings', { followUpDays: 3, version: s.version }));
    const stale = await manager.patch('/api/v1/organization/referral-settings', { followUpDays: 5, version: s.version });
    expect(stale.statusCode).toBe(409);
    const next = ok<R>(await refer(w, { directoryServiceId: w.otherServiceId, send: false }), 201);
    expect(next.followUpOn).toBe('2026-11-30');

    // Partner accounts: only accounts holding the partner role, only directory organizations.
    const accounts = ok<{ accounts: { userId: string; directoryOrganizationName: string | null }[] }>(await manager.get('/api/v1/partner-accounts'));
    expect(accounts.accounts.find((a) => a.userId === w.partner.id)?.directoryOrganizationName).toBe('Harbor Clinic');
    expect((await manager.request('PUT', `/api/v1/partner-accounts/${w.coach.id}`, { directoryOrganizationId: w.clinicOrgId })).statusCode).toBe(404);
    const notDir = await manager.request('PUT', `/api/v1/partner-accounts/${w.partner.id}`, { directoryOrganizationId: '0190f3a2-0000-7000-8000-000000000000' });
    expect(notDir.statusCode).toBe(400);
    expect(err(notDir).fields?.[0]?.path).toBe('directoryOrganizationId');
  });
});

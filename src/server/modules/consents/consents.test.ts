import fc from 'fast-check';
import { sql } from 'kysely';
import type { z } from 'zod';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../contracts/common.js';
import type { Accounting, ConsentList, ConsentWithSignatures, DisclosureResult, Recipient, Restriction } from '../../../contracts/consents.js';
import type { Participant } from '../../../contracts/participants.js';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/helpers/app.js';
import { buildEpisode, buildOrganization, buildParticipant, buildSite, buildTeamAt, buildUser, type BuiltUser } from '../../../../test/helpers/factories.js';
import { buildConsent, buildRestriction, CLINIC } from '../../../../test/helpers/consents.js';
import { auditEvents } from '../../../../test/helpers/inspect.js';
import { sessionFor } from '../../../../test/helpers/sessions.js';
import { appendAudit } from '../../platform/audit/audit.js';
import type { Ctx } from '../../platform/http/context.js';
import type { ParticipantValues } from '../participants/participants.repository.js';
import { discloseMany, PART2_NOTICE } from './disclosure-gate.js';
import { consentTimelineProviders } from './consents.timeline.js';
import { recordParticipationConsent } from './consents.usecases.js';

type ConsentJson = z.infer<typeof ConsentWithSignatures>;
type DisclosureJson = z.infer<typeof DisclosureResult>;

const NOW = '2026-11-27T15:00:00.000Z';
const HEALTH_PLAN: Recipient = { kind: 'organization', name: 'Bay State Health Plan', type: 'health_plan' };

/** A complete, valid specific consent (typed signature) naming Harbor Clinic for treatment. */
const validBody = () => ({
  kind: 'disclosure_specific' as string,
  categories: ['moud', 'demographics_contact'] as string[],
  recipients: [CLINIC] as unknown[],
  purposes: ['treatment'] as string[],
  rightToRevokeExplained: true,
  expiresOn: '2027-11-20' as string | undefined,
  signedOn: '2026-11-20' as string | undefined,
  signature: { method: 'typed', data: 'Rosa Test', attested: true, signerRole: 'participant', signerName: 'Rosa Test' } as Record<string, unknown> | undefined,
});
const tpoBody = () => ({ ...validBody(), kind: 'disclosure_tpo', recipients: [{ kind: 'class', class: 'treating_providers' }], redisclosureStatementGiven: true, refusalConsequencesExplained: true });

describe('consents, restrictions and the disclosure gate', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
  });
  afterAll(() => t.close());
  afterEach(() => t.clock.set(NOW));

  const err = (res: { json: <T>() => T }) => res.json<ErrorBody>().error;
  const paths = (res: { json: <T>() => T }) => err(res).fields?.map((f) => f.path);
  const count = async (table: 'consents' | 'consent_signatures' | 'disclosures', organizationId: string) =>
    Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)} where organization_id = ${organizationId}`.execute(t.db)).rows[0]?.n ?? 0);

  /** An organization with a coach, the coach's participant, a program manager and a privacy officer. */
  async function world(values: ParticipantValues = {}) {
    const org = await buildOrganization(t.db);
    const organizationId = org.id;
    const coach = await buildUser(t.db, { organizationId, roles: ['coach'] });
    const manager = await buildUser(t.db, { organizationId, roles: ['program_manager'] });
    const privacy = await buildUser(t.db, { organizationId, roles: ['privacy_officer'] });
    const admin = await buildUser(t.db, { organizationId, roles: ['admin'] });
    const siteId = await buildSite(t.db, organizationId);
    await buildTeamAt(t.db, organizationId, { siteId, memberUserIds: [coach.id] });
    const participantId = await buildParticipant(t.db, { organizationId, createdBy: coach.id, values });
    await buildEpisode(t.db, { organizationId, participantId, createdBy: coach.id, siteId, assignedCoachUserId: coach.id });
    const as = async (user: BuiltUser): Promise<TestClient> => (await sessionFor(t, user)).client;
    const client = await as(coach);
    const consent = (body: unknown, id = participantId) => client.post(`/api/v1/participants/${id}/consents`, body);
    const share = (body: unknown, id = participantId) => client.post(`/api/v1/participants/${id}/disclosures`, body);
    return { org, organizationId, coach, manager, privacy, admin, participantId, client, as, consent, share };
  }

  describe('recording a consent (42 CFR 2.31)', () => {
    it('a complete specific consent is recorded with its signature, active, and audited', async () => {
      const w = await world();
      const res = await w.consent(validBody());
      expect(res.statusCode, res.body).toBe(201);
      const c = res.json<ConsentJson>();
      expect(c).toMatchObject({ kind: 'disclosure_specific', status: 'active', discloser: w.org.name, signedOn: '2026-11-20', expiresOn: '2027-11-20', version: 1 });
      expect(c.signatures).toEqual([expect.objectContaining({ method: 'typed', data: 'Rosa Test', attested: true, signerRole: 'participant', signedAt: NOW, recordedBy: w.coach.id })]);
      expect(await auditEvents(t, { action: 'consent.create', organizationId: w.organizationId })).toEqual([
        expect.objectContaining({ actorUserId: w.coach.id, targetIds: [c.id, w.participantId], details: { kind: 'disclosure_specific', signatures: 1 } }),
      ]);
      const list = await w.client.get(`/api/v1/participants/${w.participantId}/consents`);
      expect(list.json<z.infer<typeof ConsentList>>().consents.map((x) => x.id)).toEqual([c.id]);
      expect((await w.client.get(`/api/v1/consents/${c.id}`)).json<ConsentJson>().signatures).toHaveLength(1);
    });

    it('a TPO consent with nothing in it names every missing element, and writes nothing', async () => {
      const w = await world();
      const res = await w.consent({ kind: 'disclosure_tpo' });
      expect(res.statusCode).toBe(422);
      expect(err(res).code).toBe('consent.missing_element');
      expect(paths(res)).toEqual([
        'categories',
        'recipients',
        'purposes',
        'rightToRevokeExplained',
        'expiresOn',
        'redisclosureStatementGiven',
        'refusalConsequencesExplained',
        'signedOn',
        'signature',
      ]);
      expect(await count('consents', w.organizationId)).toBe(0);
    });

    it.each([
      ['categories', (b: ReturnType<typeof tpoBody>) => ({ ...b, categories: [] })],
      ['recipients', (b: ReturnType<typeof tpoBody>) => ({ ...b, recipients: [] })],
      ['purposes', (b: ReturnType<typeof tpoBody>) => ({ ...b, purposes: undefined })],
      ['rightToRevokeExplained', (b: ReturnType<typeof tpoBody>) => ({ ...b, rightToRevokeExplained: false })],
      ['expiresOn', (b: ReturnType<typeof tpoBody>) => ({ ...b, expiresOn: undefined })],
      ['redisclosureStatementGiven', (b: ReturnType<typeof tpoBody>) => ({ ...b, redisclosureStatementGiven: undefined })],
      ['refusalConsequencesExplained', (b: ReturnType<typeof tpoBody>) => ({ ...b, refusalConsequencesExplained: false })],
      ['signedOn', (b: ReturnType<typeof tpoBody>) => ({ ...b, signedOn: undefined })],
      ['signature', (b: ReturnType<typeof tpoBody>) => ({ ...b, signature: undefined })],
      ['signature.attested', (b: ReturnType<typeof tpoBody>) => ({ ...b, signature: { ...b.signature, attested: false } })],
      ['signature.data', (b: ReturnType<typeof tpoBody>) => ({ ...b, signature: { ...b.signature, method: 'drawn', data: undefined } })],
      ['signature.legalBasis', (b: ReturnType<typeof tpoBody>) => ({ ...b, signature: { ...b.signature, signerRole: 'guardian', signerName: 'Lee Test' } })],
    ])('without %s: 422 consent.missing_element naming it alone', async (path, strip) => {
      const w = await world();
      const res = await w.consent(strip(tpoBody()));
      expect(res.statusCode, res.body).toBe(422);
      expect(err(res).code).toBe('consent.missing_element');
      expect(paths(res)).toEqual([path]);
      expect(await count('consents', w.organizationId)).toBe(0);
    });

    it('a TPO consent may name classes and expire on no date ("none"); a specific consent may do neither', async () => {
      const w = await world();
      const tpo = await w.consent({ ...tpoBody(), expiresOn: undefined, expirationEvent: 'none' });
      expect(tpo.statusCode, tpo.body).toBe(201);
      const withClass = await w.consent({ ...validBody(), recipients: [{ kind: 'class', class: 'health_plans' }] });
      expect(withClass.statusCode).toBe(400);
      expect(paths(withClass)).toEqual(['recipients.0.class']);
      const never = await w.consent({ ...validBody(), expiresOn: undefined, expirationEvent: 'none' });
      expect(never.statusCode).toBe(400);
      expect(paths(never)).toEqual(['expirationEvent']);
    });

    it('refuses a signing date in the future and an expiration on or before signing (400 naming the field)', async () => {
      const w = await world();
      const future = await w.consent({ ...validBody(), signedOn: '2026-11-28' });
      expect([future.statusCode, paths(future)]).toEqual([400, ['signedOn']]);
      const early = await w.consent({ ...validBody(), expiresOn: '2026-11-20' });
      expect([early.statusCode, paths(early)]).toEqual([400, ['expiresOn']]);
      expect(await count('consents', w.organizationId)).toBe(0);
    });

    it('verbal consent is only for participation: a verbal disclosure consent is refused naming signature.method', async () => {
      const w = await world();
      const verbal = { method: 'verbal', witnessName: 'Coach Dana', signerRole: 'participant', signerName: 'Rosa Test' };
      const refused = await w.consent({ ...validBody(), signature: verbal });
      expect(refused.statusCode).toBe(400);
      expect(paths(refused)).toEqual(['signature.method']);
      const noWitness = await w.consent({ kind: 'participation', categories: ['demographics_contact'], rightToRevokeExplained: true, expirationEvent: 'end of services', signedOn: '2026-11-27', signature: { ...verbal, witnessName: undefined } });
      expect([noWitness.statusCode, err(noWitness).code, paths(noWitness)]).toEqual([422, 'consent.missing_element', ['signature.witnessName']]);
      const ok = await w.consent({ kind: 'participation', categories: ['demographics_contact'], rightToRevokeExplained: true, expirationEvent: 'end of services', signedOn: '2026-11-27', signature: verbal });
      expect(ok.statusCode, ok.body).toBe(201);
      const c = ok.json<ConsentJson>();
      // Participation is to and for the program itself.
      expect(c.recipients).toEqual([{ kind: 'organization', name: w.org.name, type: 'other' }]);
      expect(c.purposes).toEqual(['treatment']);
      expect(c.signatures).toEqual([expect.objectContaining({ method: 'verbal', witnessName: 'Coach Dana', data: null, attested: false })]);
    });

    it('a drawn signature is SVG path data only, and at most 100,000 characters', async () => {
      const w = await world();
      const drawn = (data: string) => ({ ...validBody(), signature: { method: 'drawn', data, attested: true, signerRole: 'participant', signerName: 'Rosa Test' } });
      const script = await w.consent(drawn('<script>alert(1)</script>'));
      expect([script.statusCode, paths(script)]).toEqual([400, ['signature.data']]);
      const huge = await w.consent(drawn(`M0 0 ${'L1 1 '.repeat(20_001)}`));
      expect([huge.statusCode, paths(huge)]).toEqual([400, ['signature.data']]);
      const ok = await w.consent(drawn('M10 10 L20 25 C30 30 40 40 50 45'));
      expect(ok.statusCode, ok.body).toBe(201);
      expect(ok.json<ConsentJson>().signatures[0]?.data).toBe('M10 10 L20 25 C30 30 40 40 50 45');
    });

    it('adults: a guardian or personal representative signs with a legal basis; a parent may not sign for an adult', async () => {
      const w = await world({ dateOfBirth: '1990-04-12' });
      const guardian = await w.consent({ ...validBody(), signature: { method: 'typed', data: 'Lee Test', attested: true, signerRole: 'guardian', signerName: 'Lee Test', legalBasis: 'Guardianship order 2024-117' } });
      expect(guardian.statusCode, guardian.body).toBe(201);
      expect(guardian.json<ConsentJson>().signatures[0]).toMatchObject({ signerRole: 'guardian', legalBasis: 'Guardianship order 2024-117' });
      const parent = await w.consent({ ...validBody(), signature: { method: 'typed', data: 'Mia Test', attested: true, signerRole: 'parent', signerName: 'Mia Test', legalBasis: 'Mother' } });
      expect([parent.statusCode, err(parent).code, paths(parent)]).toEqual([422, 'consent.signer_not_allowed', ['signature.signerRole']]);
    });

    describe('minors (42 CFR 2.14)', () => {
      const parentSig = { method: 'typed', data: 'Mia Test', attested: true, signerRole: 'parent', signerName: 'Mia Test', legalBasis: 'Mother' };

      it("'minor_consents' (the default): the minor's own signature governs; a parent alone is refused", async () => {
        const w = await world({ dateOfBirth: '2010-05-01' });
        const parentOnly = await w.consent({ ...validBody(), signature: parentSig });
        expect([parentOnly.statusCode, err(parentOnly).code, paths(parentOnly)]).toEqual([422, 'consent.signer_not_allowed', ['signature.signerRole']]);
        const withCo = await w.consent({ ...validBody(), coSignature: parentSig });
        expect([withCo.statusCode, paths(withCo)]).toEqual([422, ['coSignature']]);
        const own = await w.consent(validBody());
        expect(own.statusCode, own.body).toBe(201);
      });

      it("'parent_required': the minor signs and a parent or guardian co-signs, or it is refused naming coSignature", async () => {
        const w = await world({ dateOfBirth: '2010-05-01' });
        const admin = await w.as(w.admin);
        expect((await admin.patch('/api/v1/organization/consent-settings', { minorConsentRule: 'parent_required' })).json()).toMatchObject({ minorConsentRule: 'parent_required' });
        const alone = await w.consent(validBody());
        expect([alone.statusCode, err(alone).code, paths(alone)]).toEqual([422, 'consent.signer_not_allowed', ['coSignature']]);
        const parentOnly = await w.consent({ ...validBody(), signature: parentSig });
        expect(paths(parentOnly)).toEqual(['signature.signerRole']);
        const both = await w.consent({ ...validBody(), coSignature: parentSig });
        expect(both.statusCode, both.body).toBe(201);
        expect(both.json<ConsentJson>().signatures.map((s) => s.signerRole).sort()).toEqual(['parent', 'participant']);
        expect(await count('consent_signatures', w.organizationId)).toBe(2);
      });

      it('the age is taken on the signing date: turning 18 that day is an adult; a birth year alone counts in years', async () => {
        const w = await world({ dateOfBirth: '2008-11-20' });
        const admin = await w.as(w.admin);
        await admin.patch('/api/v1/organization/consent-settings', { minorConsentRule: 'parent_required' });
        expect((await w.consent({ ...validBody(), signedOn: '2026-11-19', expiresOn: '2027-01-01' })).statusCode).toBe(422);
        expect((await w.consent({ ...validBody(), signedOn: '2026-11-20' })).statusCode).toBe(201);
        const y = await world({ birthYear: 2009, dobEstimated: true });
        await (await y.as(y.admin)).patch('/api/v1/organization/consent-settings', { minorConsentRule: 'parent_required' });
        expect(paths(await y.consent(validBody()))).toEqual(['coSignature']);
      });
    });

    it('the rule for minors is read and changed by an admin, with the version guarding a stale change', async () => {
      const w = await world();
      const admin = await w.as(w.admin);
      const now = (await admin.get('/api/v1/organization/consent-settings')).json<{ minorConsentRule: string; version: number }>();
      expect(now.minorConsentRule).toBe('minor_consents');
      const changed = await admin.patch('/api/v1/organization/consent-settings', { minorConsentRule: 'parent_required', version: now.version });
      expect(changed.statusCode).toBe(200);
      const stale = await admin.patch('/api/v1/organization/consent-settings', { minorConsentRule: 'minor_consents', version: now.version });
      expect([stale.statusCode, err(stale).code]).toEqual([409, 'record.conflict']);
      expect(await auditEvents(t, { action: 'organization.consent_settings', organizationId: w.organizationId })).toEqual([
        expect.objectContaining({ details: { minorConsentRule: 'parent_required', from: 'minor_consents' } }),
      ]);
    });
  });

  describe('participation consent and the follow-up flag', () => {
    it('recordParticipationConsent (for brief intake) sets the flag; revoking the consent clears it', async () => {
      const w = await world();
      const ctx = (trx: Ctx['db']): Ctx => ({
        db: trx,
        clock: t.clock,
        actor: { userId: w.coach.id, organizationId: w.organizationId, roles: ['coach'], isPlatformAdmin: false, sessionId: 'test' },
        audit: (e) => appendAudit(trx, t.clock, [{ ...e, outcome: 'success', organizationId: w.organizationId, actorUserId: w.coach.id }]),
        auditDenied: () => undefined,
      });
      const consent = await t.db.transaction().execute((trx) => recordParticipationConsent(ctx(trx), w.participantId, { method: 'verbal', witnessName: 'Coach Dana' }));
      expect(consent).toMatchObject({ kind: 'participation', signedOn: '2026-11-27', categories: ['demographics_contact'] });
      const p = (await w.client.get(`/api/v1/participants/${w.participantId}`)).json<z.infer<typeof Participant>>();
      expect([p.consentToFollowUp, p.consentToFollowUpAt]).toEqual([true, NOW]);
      const revoked = await w.client.post(`/api/v1/consents/${consent.id}/revoke`, { revokedOn: '2026-11-27', method: 'verbal', version: 1 });
      expect(revoked.json<ConsentJson>().status).toBe('revoked');
      const after = (await w.client.get(`/api/v1/participants/${w.participantId}`)).json<z.infer<typeof Participant>>();
      expect([after.consentToFollowUp, after.consentToFollowUpAt]).toEqual([false, null]);
    });

    it('a participation consent never authorizes a disclosure', async () => {
      const w = await world();
      await buildConsent(t.db, { organizationId: w.organizationId, participantId: w.participantId, createdBy: w.coach.id, kind: 'participation' });
      const res = await w.share({ recipient: CLINIC, purpose: 'treatment', categories: ['moud'] });
      expect([res.statusCode, err(res).code, err(res).details]).toEqual([422, 'disclosure.refused', { reason: 'no_consent' }]);
    });
  });

  describe('revocation', () => {
    it('stops a disclosure that passed a moment before; what was shared stays in the accounting; revoking twice is 409', async () => {
      const w = await world();
      const c = (await w.consent(validBody())).json<ConsentJson>();
      const body = { recipient: CLINIC, purpose: 'treatment', categories: ['moud'] };
      const first = await w.share(body);
      expect(first.statusCode, first.body).toBe(201);
      t.clock.advance(60_000);
      const revoke = await w.client.post(`/api/v1/consents/${c.id}/revoke`, { revokedOn: '2026-11-27', method: 'written', note: 'Letter received', version: 1 });
      expect(revoke.statusCode, revoke.body).toBe(200);
      expect(revoke.json<ConsentJson>()).toMatchObject({ status: 'revoked', revokedOn: '2026-11-27', revocationMethod: 'written', revokedBy: w.coach.id, version: 2 });
      const second = await w.share(body);
      expect([second.statusCode, err(second).code, err(second).details]).toEqual([422, 'disclosure.refused', { reason: 'consent_revoked' }]);
      const again = await w.client.post(`/api/v1/consents/${c.id}/revoke`, { revokedOn: '2026-11-27', method: 'written', version: 2 });
      expect([again.statusCode, err(again).code]).toEqual([409, 'consent.revoked']);
      const accounting = (await w.client.get(`/api/v1/participants/${w.participantId}/disclosures`)).json<z.infer<typeof Accounting>>();
      expect(accounting.disclosures.map((d) => d.id)).toEqual([first.json<DisclosureJson>().id]);
      expect(await count('disclosures', w.organizationId)).toBe(1);
      const denied = (await auditEvents(t, { action: 'disclosure.create', organizationId: w.organizationId })).map((e) => [e.outcome, e.details.reason ?? null]);
      expect(denied).toEqual([['success', null], ['denied', 'consent_revoked']]);
    });

    it('a stale version is 409 record.conflict with the current consent; a revocation date before signing is 400', async () => {
      const w = await world();
      const c = (await w.consent(validBody())).json<ConsentJson>();
      const stale = await w.client.post(`/api/v1/consents/${c.id}/revoke`, { revokedOn: '2026-11-27', method: 'written', version: 7 });
      expect([stale.statusCode, err(stale).code]).toEqual([409, 'record.conflict']);
      expect(err(stale).details).toMatchObject({ version: 1, current: { id: c.id, status: 'active' } });
      const early = await w.client.post(`/api/v1/consents/${c.id}/revoke`, { revokedOn: '2026-11-19', method: 'written', version: 1 });
      expect([early.statusCode, paths(early)]).toEqual([400, ['revokedOn']]);
    });
  });

  describe('the disclosure gate', () => {
    const share = { recipient: CLINIC, purpose: 'treatment', categories: ['moud'] };

    it('freezes exactly the summary sent, limited to the categories, and stamps the 42 CFR 2.32 notice with the consent', async () => {
      const w = await world({ currentMoud: 'buprenorphine', moudSource: 'participant_reported', phone: '15552013344', primarySubstance: 'opioids_fentanyl' });
      const c = (await w.consent({ ...validBody(), expirationEvent: 'end of treatment' })).json<ConsentJson>();
      const res = await w.share(share);
      expect(res.statusCode, res.body).toBe(201);
      const d = res.json<DisclosureJson>();
      expect(d.payload).toEqual({ categories: ['moud'], moud: { currentMoud: 'buprenorphine', source: 'participant_reported' } });
      expect(JSON.stringify(d.payload)).not.toContain('15552013344');
      expect(JSON.stringify(d.payload)).not.toContain('fentanyl');
      expect(d).toMatchObject({ consentId: c.id, legalBasis: 'consent', purposeOfUse: 'TREAT', disclosedAt: NOW });
      expect(d.notice).toBe(
        `${PART2_NOTICE}\nDisclosed with the written consent of the person: consent ${c.id} (consent to share with named recipients), ` +
          'signed 2026-11-20, for treatment; expires on 2027-11-20 or at end of treatment, whichever comes first.',
      );
      const row = await t.db.selectFrom('disclosures').selectAll().where('id', '=', d.id).executeTakeFirstOrThrow();
      expect(JSON.parse(row.payload)).toEqual(d.payload);
      expect(row.notice).toBe(d.notice);
      expect(await auditEvents(t, { action: 'disclosure.create', organizationId: w.organizationId })).toEqual([
        expect.objectContaining({ outcome: 'success', targetType: 'disclosure', targetIds: [d.id, w.participantId], details: expect.objectContaining({ consentId: c.id, purposeOfUse: 'TREAT' }) }),
      ]);
      // Changing the record later does not change what was sent.
      await w.client.patch(`/api/v1/participants/${w.participantId}`, { version: 1, currentMoud: 'methadone' });
      const kept = await t.db.selectFrom('disclosures').select('payload').where('id', '=', d.id).executeTakeFirstOrThrow();
      expect(JSON.parse(kept.payload)).toEqual(d.payload);
    });

    it('no consent at all: no_consent', async () => {
      const w = await world();
      const res = await w.share(share);
      expect([res.statusCode, err(res).code, err(res).details]).toEqual([422, 'disclosure.refused', { reason: 'no_consent' }]);
      expect(await count('disclosures', w.organizationId)).toBe(0);
    });

    it('an expired consent lets nothing through (expired the day after its expiration date, local time)', async () => {
      const w = await world();
      await buildConsent(t.db, { organizationId: w.organizationId, participantId: w.participantId, createdBy: w.coach.id, categories: ['moud'], expiresOn: '2026-11-27' });
      expect((await w.share(share)).statusCode).toBe(201);
      // 2026-11-28 04:59Z is still the 27th in New York.
      t.clock.set('2026-11-28T04:59:00.000Z');
      const late = await w.as(w.coach); // a fresh session: the first has gone idle meanwhile
      expect((await late.post(`/api/v1/participants/${w.participantId}/disclosures`, share)).statusCode).toBe(201);
      t.clock.set('2026-11-28T05:00:00.000Z');
      const res = await late.post(`/api/v1/participants/${w.participantId}/disclosures`, share);
      expect([res.statusCode, err(res).details]).toEqual([422, { reason: 'consent_expired' }]);
      const list = (await late.get(`/api/v1/participants/${w.participantId}/consents`)).json<z.infer<typeof ConsentList>>();
      expect(list.consents[0]?.status).toBe('expired');
    });

    it('recipients: a named organization by refId or by name (case and accents aside), a person by name', async () => {
      const w = await world();
      await buildConsent(t.db, {
        organizationId: w.organizationId,
        participantId: w.participantId,
        createdBy: w.coach.id,
        recipients: [{ kind: 'organization', name: 'Clínica del Puerto', type: 'treating_provider', refId: 'dir-7' }, { kind: 'person', name: 'Dr. Ana Ruiz' }],
      });
      const to = (recipient: unknown) => w.share({ ...share, recipient });
      expect((await to({ kind: 'organization', name: 'Harbor Clinic Downtown', type: 'treating_provider', refId: 'dir-7' })).statusCode).toBe(201);
      expect((await to({ kind: 'organization', name: '  clinica DEL puerto ', type: 'other' })).statusCode).toBe(201);
      expect((await to({ kind: 'person', name: 'dr ana ruiz' })).statusCode).toBe(201);
      const other = await to({ kind: 'organization', name: 'Clínica del Puerto', type: 'treating_provider', refId: 'dir-8' });
      expect(err(other).details).toEqual({ reason: 'recipient_not_covered' });
      expect(err(await to({ kind: 'person', name: 'Ana Ruiz Lopez' })).details).toEqual({ reason: 'recipient_not_covered' });
    });

    it('TPO classes: treating providers and health plans by type; program operations only for operations', async () => {
      const w = await world();
      await buildConsent(t.db, {
        organizationId: w.organizationId,
        participantId: w.participantId,
        createdBy: w.coach.id,
        kind: 'disclosure_tpo',
        recipients: [{ kind: 'class', class: 'treating_providers' }, { kind: 'class', class: 'program_operations' }],
        purposes: ['treatment', 'operations'],
        expiresOn: null,
        expirationEvent: 'none',
      });
      const to = (recipient: unknown, purpose = 'treatment') => w.share({ ...share, recipient, purpose });
      const ok = await to({ kind: 'organization', name: 'Any Clinic', type: 'treating_provider' });
      expect(ok.statusCode, ok.body).toBe(201);
      expect(ok.json<DisclosureJson>().notice).toContain('does not expire (it lasts until revoked)');
      expect(err(await to(HEALTH_PLAN)).details).toEqual({ reason: 'recipient_not_covered' });
      expect(err(await to({ kind: 'organization', name: 'Quality Reviewers', type: 'other' })).details).toEqual({ reason: 'recipient_not_covered' });
      const ops = await to({ kind: 'organization', name: 'Quality Reviewers', type: 'other' }, 'operations');
      expect([ops.statusCode, ops.json<DisclosureJson>().purposeOfUse]).toEqual([201, 'HOPERAT']);
    });

    it('purposes: treatment covers care coordination; payment is not covered', async () => {
      const w = await world();
      await buildConsent(t.db, { organizationId: w.organizationId, participantId: w.participantId, createdBy: w.coach.id });
      const coc = await w.share({ ...share, purpose: 'care_coordination' });
      expect([coc.statusCode, coc.json<DisclosureJson>().purposeOfUse]).toEqual([201, 'COC']);
      expect(err(await w.share({ ...share, purpose: 'payment' })).details).toEqual({ reason: 'purpose_not_covered' });
    });

    it('categories: every category sent must be covered; the refusal names the missing ones', async () => {
      const w = await world();
      await buildConsent(t.db, { organizationId: w.organizationId, participantId: w.participantId, createdBy: w.coach.id, categories: ['moud'] });
      const res = await w.share({ ...share, categories: ['moud', 'substance_use_history', 'recovery_plan'] });
      expect([res.statusCode, err(res).details]).toEqual([422, { reason: 'categories_not_covered', missingCategories: ['substance_use_history', 'recovery_plan'] }]);
    });

    it('the most helpful reason: a revoked consent that covered it beats an active one for another purpose', async () => {
      const w = await world();
      const covering = (await w.consent({ ...validBody(), categories: ['moud'] })).json<ConsentJson>();
      await buildConsent(t.db, { organizationId: w.organizationId, participantId: w.participantId, createdBy: w.coach.id, purposes: ['payment'] });
      await w.client.post(`/api/v1/consents/${covering.id}/revoke`, { revokedOn: '2026-11-27', method: 'written', version: 1 });
      expect(err(await w.share(share)).details).toEqual({ reason: 'consent_revoked' });
    });

    it('legal bases without consent need their detail, and are stamped with the exception', async () => {
      const w = await world();
      const bare = await w.share({ ...share, legalBasis: 'medical_emergency' });
      expect([bare.statusCode, paths(bare)]).toEqual([400, ['legalBasisDetail']]);
      const res = await w.share({ ...share, legalBasis: 'medical_emergency', legalBasisDetail: 'ED physician, overdose, unresponsive' });
      expect(res.statusCode, res.body).toBe(201);
      const d = res.json<DisclosureJson>();
      expect(d).toMatchObject({ consentId: null, legalBasis: 'medical_emergency' });
      expect(d.notice).toBe(`${PART2_NOTICE}\nDisclosed without consent under a medical emergency (42 CFR 2.51): ED physician, overdose, unresponsive.`);
    });

    it('another organization’s participant is 404 and a participant outside the coach’s caseload 403, before anything is checked', async () => {
      const w = await world();
      const other = await world();
      expect((await w.share(share, other.participantId)).statusCode).toBe(404);
      const notMine = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.manager.id });
      await buildEpisode(t.db, { organizationId: w.organizationId, participantId: notMine, createdBy: w.manager.id });
      const res = await w.share(share, notMine);
      expect([res.statusCode, err(res).code]).toEqual([403, 'participant.out_of_scope']);
    });
  });

  describe('restriction requests (42 CFR 2.26)', () => {
    const share = { recipient: CLINIC, purpose: 'treatment', categories: ['moud'] };

    it('an agreed restriction refuses a matching disclosure; pending ones do not bind; an ended one no longer does', async () => {
      const w = await world();
      await buildConsent(t.db, { organizationId: w.organizationId, participantId: w.participantId, createdBy: w.coach.id, categories: ['moud', 'demographics_contact'] });
      const created = await w.client.post(`/api/v1/participants/${w.participantId}/restrictions`, { description: 'Not my medication to Harbor Clinic', recipient: CLINIC, categories: ['moud'] });
      expect(created.statusCode, created.body).toBe(201);
      const r = created.json<z.infer<typeof Restriction>>();
      expect(r).toMatchObject({ status: 'pending', requestedOn: '2026-11-27', purposes: [], paidOutOfPocket: false });
      expect((await w.share(share)).statusCode).toBe(201);
      const privacy = await w.as(w.privacy);
      const agreed = await privacy.post(`/api/v1/restrictions/${r.id}/decide`, { decision: 'agreed', version: 1 });
      expect(agreed.json<z.infer<typeof Restriction>>()).toMatchObject({ status: 'agreed', decidedBy: w.privacy.id, version: 2 });
      const refused = await w.share(share);
      expect([refused.statusCode, err(refused).details]).toEqual([422, { reason: 'restricted' }]);
      // Other information to the same clinic is not restricted.
      expect((await w.share({ ...share, categories: ['demographics_contact'] })).statusCode).toBe(201);
      const ended = await privacy.post(`/api/v1/restrictions/${r.id}/end`, { version: 2 });
      expect(ended.json<z.infer<typeof Restriction>>()).toMatchObject({ status: 'ended', endedAt: NOW });
      expect((await w.share(share)).statusCode).toBe(201);
    });

    it('a restriction toward a health plan for services paid out of pocket must be agreed', async () => {
      const w = await world();
      const manager = await w.as(w.manager);
      const mk = async (recipient: Recipient, paidOutOfPocket: boolean) =>
        (await w.client.post(`/api/v1/participants/${w.participantId}/restrictions`, { description: 'Paid myself', recipient, paidOutOfPocket })).json<z.infer<typeof Restriction>>();
      for (const recipient of [HEALTH_PLAN, { kind: 'class', class: 'health_plans' } as const]) {
        const r = await mk(recipient, true);
        const declined = await manager.post(`/api/v1/restrictions/${r.id}/decide`, { decision: 'declined', reason: 'We bill every plan', version: 1 });
        expect([declined.statusCode, err(declined).code]).toEqual([422, 'restriction.must_agree']);
        expect((await manager.post(`/api/v1/restrictions/${r.id}/decide`, { decision: 'agreed', version: 1 })).statusCode).toBe(200);
      }
      const notPaid = await mk(HEALTH_PLAN, false);
      const noReason = await manager.post(`/api/v1/restrictions/${notPaid.id}/decide`, { decision: 'declined', version: 1 });
      expect([noReason.statusCode, paths(noReason)]).toEqual([400, ['reason']]);
      const declined = await manager.post(`/api/v1/restrictions/${notPaid.id}/decide`, { decision: 'declined', reason: 'Needed for billing', version: 1 });
      expect(declined.json<z.infer<typeof Restriction>>()).toMatchObject({ status: 'declined', decisionReason: 'Needed for billing' });
      const twice = await manager.post(`/api/v1/restrictions/${notPaid.id}/decide`, { decision: 'agreed', version: 2 });
      expect([twice.statusCode, paths(twice)]).toEqual([400, ['decision']]);
    });

    it('a restriction toward anyone, for one purpose, refuses that purpose to every recipient', async () => {
      const w = await world();
      await buildConsent(t.db, { organizationId: w.organizationId, participantId: w.participantId, createdBy: w.coach.id, purposes: ['treatment', 'payment'] });
      const r = await buildRestriction(t.db, { organizationId: w.organizationId, participantId: w.participantId, createdBy: w.coach.id, purposes: ['payment'] });
      await (await w.as(w.manager)).post(`/api/v1/restrictions/${r}/decide`, { decision: 'agreed', version: 1 });
      expect(err(await w.share({ ...share, purpose: 'payment' })).details).toEqual({ reason: 'restricted' });
      expect((await w.share(share)).statusCode).toBe(201);
    });
  });

  describe('the accounting of disclosures', () => {
    it('lists by local date (from and to inclusive), newest first, with consent or legal basis and who disclosed', async () => {
      const w = await world();
      const c = await buildConsent(t.db, { organizationId: w.organizationId, participantId: w.participantId, createdBy: w.coach.id, signedOn: '2026-01-01' });
      const at = async (iso: string, body: unknown) => {
        t.clock.set(iso);
        const res = await w.share(body);
        expect(res.statusCode, res.body).toBe(201);
        return res.json<DisclosureJson>().id;
      };
      const body = { recipient: CLINIC, purpose: 'treatment', categories: ['moud'] };
      const march = await at('2026-03-10T15:00:00.000Z', body);
      // 02:00 UTC on 1 April is still 31 March in New York.
      const lateMarch = await at('2026-04-01T02:00:00.000Z', { ...body, legalBasis: 'court_order', legalBasisDetail: 'Order 26-CV-118' });
      const april = await at('2026-04-01T15:00:00.000Z', body);
      t.clock.set(NOW);
      const get = async (q: string) => (await w.client.get(`/api/v1/participants/${w.participantId}/disclosures${q}`)).json<z.infer<typeof Accounting>>().disclosures;
      expect((await get('')).map((d) => d.id)).toEqual([april, lateMarch, march]);
      expect((await get('?from=2026-03-01&to=2026-03-31')).map((d) => d.id)).toEqual([lateMarch, march]);
      expect((await get('?from=2026-04-01')).map((d) => d.id)).toEqual([april]);
      const entries = await get('?to=2026-03-31');
      expect(entries[0]).toMatchObject({ legalBasis: 'court_order', legalBasisDetail: 'Order 26-CV-118', consentId: null, disclosedBy: w.coach.id, categories: ['moud'], purpose: 'treatment' });
      expect(entries[1]).toMatchObject({ legalBasis: 'consent', consentId: c, recipient: CLINIC });
      expect(entries[1]?.disclosedByName).toEqual(expect.any(String));
      const bad = await w.client.get(`/api/v1/participants/${w.participantId}/disclosures?from=2026-04-02&to=2026-04-01`);
      expect([bad.statusCode, paths(bad)]).toEqual([400, ['to']]);
      expect(await auditEvents(t, { action: 'participant.read', organizationId: w.organizationId })).toContainEqual(
        expect.objectContaining({ targetIds: [w.participantId], details: { part: 'disclosures', results: 3 } }),
      );
    });
  });

  describe('discloseMany (exports)', () => {
    it('checks each participant on its own: refusals do not stop the others, and all share one batch', async () => {
      const w = await world();
      const mk = async () => {
        const id = await buildParticipant(t.db, { organizationId: w.organizationId, createdBy: w.manager.id });
        return id;
      };
      const covered = w.participantId;
      await buildConsent(t.db, { organizationId: w.organizationId, participantId: covered, createdBy: w.coach.id });
      const noConsent = await mk();
      const revoked = await mk();
      const rc = await buildConsent(t.db, { organizationId: w.organizationId, participantId: revoked, createdBy: w.coach.id });
      await t.db.updateTable('consents').set({ revoked_at: NOW, revoked_on: '2026-11-27', revocation_method: 'written' }).where('id', '=', rc).execute();
      const foreign = (await world()).participantId;
      const ctx = (trx: Ctx['db']): Ctx => ({
        db: trx,
        clock: t.clock,
        actor: { userId: w.manager.id, organizationId: w.organizationId, roles: ['program_manager'], isPlatformAdmin: false, sessionId: 'test' },
        audit: (e) => appendAudit(trx, t.clock, [{ ...e, outcome: 'success', organizationId: w.organizationId, actorUserId: w.manager.id }]),
        auditDenied: () => undefined,
      });
      const item = (participantId: string) => ({ participantId, recipient: CLINIC, purpose: 'treatment' as const, categories: ['moud' as const], payload: { participantId } });
      const out = await t.db.transaction().execute((trx) => discloseMany(ctx(trx), [noConsent, covered, revoked, foreign].map(item), 'batch-1'));
      expect(out.map((o) => [o.participantId, o.outcome, o.outcome === 'refused' ? o.reason : o.disclosure.payload])).toEqual([
        [noConsent, 'refused', 'no_consent'],
        [covered, 'disclosed', { participantId: covered }],
        [revoked, 'refused', 'consent_revoked'],
        [foreign, 'refused', 'not_found'],
      ]);
      const rows = await t.db.selectFrom('disclosures').select(['participant_id', 'batch_id']).where('organization_id', '=', w.organizationId).execute();
      expect(rows).toEqual([{ participant_id: covered, batch_id: 'batch-1' }]);
    });
  });

  describe('timeline providers', () => {
    it('consent signed, consent revoked and disclosure made: newest first, strictly before the cursor, at most limit', async () => {
      const w = await world();
      const a = (await w.consent(validBody())).json<ConsentJson>();
      t.clock.advance(1000);
      const b = (await w.consent({ ...validBody(), categories: ['moud'] })).json<ConsentJson>();
      t.clock.advance(1000);
      const d = (await w.share({ recipient: CLINIC, purpose: 'treatment', categories: ['moud'] })).json<DisclosureJson>();
      t.clock.advance(1000);
      await w.client.post(`/api/v1/consents/${a.id}/revoke`, { revokedOn: '2026-11-27', method: 'written', version: 1 });
      const q = { organizationId: w.organizationId, participantId: w.participantId, timeZone: 'America/New_York', limit: 10 };
      const [signed, revoked, disclosed] = consentTimelineProviders;
      const ids = async (p: typeof signed, extra: Partial<typeof q> & { before?: { at: string; id: string } } = {}) => (await p!.items(t.db, { ...q, ...extra })).map((i) => i.id);
      expect(await ids(signed)).toEqual([`consent.signed:${b.id}`, `consent.signed:${a.id}`]);
      expect(await ids(signed, { limit: 1 })).toEqual([`consent.signed:${b.id}`]);
      expect(await ids(signed, { before: { at: b.createdAt, id: `consent.signed:${b.id}` } })).toEqual([`consent.signed:${a.id}`]);
      expect(await ids(signed, { before: { at: a.createdAt, id: `consent.signed:${a.id}` } })).toEqual([]);
      expect(await ids(revoked)).toEqual([`consent.revoked:${a.id}`]);
      const items = await disclosed!.items(t.db, q);
      expect(items).toEqual([
        expect.objectContaining({ id: `disclosure.made:${d.id}`, kind: 'disclosure.made', at: d.disclosedAt, dateOnly: false, actorUserId: w.coach.id, details: expect.objectContaining({ purpose: 'treatment', consentId: b.id }) }),
      ]);
    });
  });

  describe('property: any consent body', () => {
    it('never answers 500 and never leaves a consent without its signature rows', async () => {
      const w = await world({ dateOfBirth: '2010-05-01' });
      const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
      const signature = fc.record({
        method: fc.constantFrom('drawn', 'typed', 'verbal', 'smoke'),
        data: maybe(fc.oneof(fc.constant('M1 1 L2 2'), fc.string({ maxLength: 20 }))),
        attested: maybe(fc.boolean()),
        witnessName: maybe(fc.constantFrom('Coach Dana', '')),
        signerRole: fc.constantFrom('participant', 'parent', 'guardian', 'personal_representative', 'friend'),
        signerName: fc.constantFrom('Rosa Test', '', 'Lee'),
        legalBasis: maybe(fc.constantFrom('Court order', '')),
      });
      const body = fc.record({
        kind: fc.constantFrom('participation', 'disclosure_tpo', 'disclosure_specific', 'other'),
        categories: maybe(fc.subarray(['demographics_contact', 'moud', 'assessments', 'nope'])),
        recipients: maybe(
          fc.array(
            fc.oneof(
              fc.constant(CLINIC),
              fc.constant({ kind: 'class', class: 'treating_providers' }),
              fc.constant({ kind: 'person', name: 'Dr. Ana Ruiz' }),
              fc.constant({ kind: 'robot' }),
            ),
            { maxLength: 3 },
          ),
        ),
        purposes: maybe(fc.subarray(['treatment', 'payment', 'care_coordination', 'marketing'])),
        rightToRevokeExplained: maybe(fc.boolean()),
        redisclosureStatementGiven: maybe(fc.boolean()),
        refusalConsequencesExplained: maybe(fc.boolean()),
        expiresOn: maybe(fc.constantFrom('2027-01-01', '2026-11-01', '2026-02-30', null)),
        expirationEvent: maybe(fc.constantFrom('none', 'end of treatment', '', null)),
        signedOn: maybe(fc.constantFrom('2026-11-20', '2026-12-20', 'today')),
        signature: maybe(signature),
        coSignature: maybe(fc.option(signature, { nil: null })),
      });
      // Bodies near a valid one, so that many are recorded and the signature rows can be checked.
      const nearValid = fc.record({ signature, coSignature: maybe(fc.option(signature, { nil: null })), kind: fc.constantFrom('participation', 'disclosure_specific') }).map((v) => ({
        ...validBody(),
        kind: v.kind,
        signature: { ...v.signature, method: v.signature.method === 'smoke' ? 'typed' : v.signature.method, signerRole: 'participant', signerName: 'Rosa Test', attested: true, data: 'M1 1 L2 2', witnessName: 'Coach Dana' },
        ...(v.coSignature !== undefined && { coSignature: v.coSignature }),
      }));
      await fc.assert(
        fc.asyncProperty(fc.oneof(body, nearValid), async (b) => {
          const res = await w.consent(b);
          expect(res.statusCode, res.body).toBeLessThan(500);
          if (res.statusCode === 201) expect(res.json<ConsentJson>().signatures.length).toBeGreaterThanOrEqual(1);
        }),
        { numRuns: 120 },
      );
      const orphans = await t.db
        .selectFrom('consents as c')
        .select('c.id')
        .where('c.organization_id', '=', w.organizationId)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('consent_signatures as s').select('s.id').whereRef('s.consent_id', '=', 'c.id'))))
        .execute();
      expect(orphans).toEqual([]);
      expect(await count('consents', w.organizationId)).toBeGreaterThan(0);
    });
  });
});

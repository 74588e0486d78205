import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../contracts/common.js';
import type { Caseload, CaseloadItem, CaseloadSummary } from '../../../contracts/caseload.js';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/helpers/app.js';
import { buildEpisode, buildOrganization, buildParticipant, buildProgram, buildSite, buildTeamAt, buildUser, type BuiltUser } from '../../../../test/helpers/factories.js';
import { auditEvents } from '../../../../test/helpers/inspect.js';
import { sessionFor } from '../../../../test/helpers/sessions.js';
import type { ParticipantValues } from '../participants/participants.repository.js';
import { milestoneSeries } from '../../../contracts/checkins.js';
import { anniversary, computeSignals, nextMilestone, SIGNALS, type CaseloadSignal } from './signals.js';

type Item = z.infer<typeof CaseloadItem>;
type Summary = z.infer<typeof CaseloadSummary>;

const NOW = '2026-11-27T15:00:00.000Z'; // 10:00 in New York: today is 2026-11-27 there
const TODAY = '2026-11-27';

describe('caseload', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
  });
  afterAll(() => t.close());
  beforeEach(() => t.clock.set(NOW));

  const err = (res: { json: <T>() => T }) => res.json<ErrorBody>().error;
  const itemsOf = (res: { statusCode: number; body: string; json: <T>() => T }): Item[] => {
    expect(res.statusCode, res.body).toBe(200);
    return res.json<z.infer<typeof Caseload>>().items;
  };

  /**
   * An organization (New York) with a program, site A with team 1 (supervisor, coaches A and B)
   * and site C with team 2 (coach C, another supervisor).
   */
  async function world() {
    const org = await buildOrganization(t.db, { timeZone: 'America/New_York' });
    const organizationId = org.id;
    const coachA = await buildUser(t.db, { organizationId, roles: ['coach'], displayName: 'Coach Avery' });
    const coachB = await buildUser(t.db, { organizationId, roles: ['coach'], displayName: 'Coach Blake' });
    const coachC = await buildUser(t.db, { organizationId, roles: ['coach'], displayName: 'Coach Casey' });
    const supervisor = await buildUser(t.db, { organizationId, roles: ['supervisor'] });
    const otherSupervisor = await buildUser(t.db, { organizationId, roles: ['supervisor'] });
    const programId = await buildProgram(t.db, organizationId);
    // Contact every 90 days, so that the other signals' tests are about their signal alone
    // (contact_overdue has its own tests, with their own cadence).
    await t.db.updateTable('programs').set({ cadence_days: 90 }).where('id', '=', programId).execute();
    const siteA = await buildSite(t.db, organizationId, { name: 'Mercy ED' });
    const siteC = await buildSite(t.db, organizationId, { name: 'Harbor Clinic' });
    await buildTeamAt(t.db, organizationId, { siteId: siteA, supervisorUserId: supervisor.id, memberUserIds: [coachA.id, coachB.id] });
    await buildTeamAt(t.db, organizationId, { siteId: siteC, supervisorUserId: otherSupervisor.id, memberUserIds: [coachC.id] });
    const as = async (user: BuiltUser): Promise<TestClient> => (await sessionFor(t, user)).client;

    /** A participant with an open episode (assigned to coach A unless told), and a participation consent unless told. */
    async function person(
      o: { values?: ParticipantValues; coach?: BuiltUser | null; siteId?: string; startDate?: string; status?: string; consent?: boolean; firstName?: string } = {},
    ): Promise<{ id: string; episodeId: string }> {
      const id = await buildParticipant(t.db, { organizationId, createdBy: coachA.id, values: { ...(o.firstName && { firstName: o.firstName }), ...o.values } });
      const coach = o.coach === undefined ? coachA : o.coach;
      const e = await buildEpisode(t.db, {
        organizationId,
        participantId: id,
        createdBy: coachA.id,
        programId,
        siteId: o.siteId ?? siteA,
        assignedCoachUserId: coach?.id ?? null,
        ...(o.startDate && { startDate: o.startDate }),
      });
      if (o.status) await t.db.updateTable('episodes').set({ status: o.status }).where('id', '=', e.id).execute();
      if (o.consent !== false) await consent(id, {});
      return { id, episodeId: e.id };
    }

    async function consent(participantId: string, c: { kind?: string; signedOn?: string; expiresOn?: string | null; revoked?: boolean }): Promise<void> {
      const at = new Date().toISOString();
      await t.db
        .insertInto('consents')
        .values({
          id: randomUUID(),
          organization_id: organizationId,
          participant_id: participantId,
          kind: c.kind ?? 'participation',
          discloser: 'Harbor Light',
          categories: '["demographics_contact"]',
          recipients: '[]',
          purposes: '["treatment"]',
          expires_on: c.expiresOn ?? null,
          expiration_event: c.expiresOn ? null : 'end of services',
          right_to_revoke_explained: 1,
          redisclosure_statement_given: 0,
          refusal_consequences_explained: 0,
          form_language: 'en',
          signed_on: c.signedOn ?? '2026-11-01',
          revoked_at: c.revoked ? '2026-11-20T12:00:00.000Z' : null,
          revoked_on: c.revoked ? '2026-11-20' : null,
          revocation_method: c.revoked ? 'written' : null,
          revocation_note: null,
          revoked_by: c.revoked ? coachA.id : null,
          created_by: coachA.id,
          created_at: at,
          updated_at: at,
        })
        .execute();
    }

    async function lifeEvent(participantId: string, kind: string, occurredOn: string): Promise<void> {
      const at = new Date().toISOString();
      await t.db
        .insertInto('life_events')
        .values({ id: randomUUID(), organization_id: organizationId, participant_id: participantId, kind, occurred_on: occurredOn, occurred_at: null, source: 'participant_reported', note: 'a private note', created_by: coachA.id, created_at: at, updated_at: at })
        .execute();
    }

    async function todo(participantId: string, dueOn: string, o: { status?: string; kind?: string } = {}): Promise<void> {
      const at = new Date().toISOString();
      await t.db
        .insertInto('todos')
        .values({
          id: randomUUID(),
          organization_id: organizationId,
          participant_id: participantId,
          kind: o.kind ?? 'follow_up',
          owner_user_id: coachA.id,
          due_on: dueOn,
          due_time: null,
          due_at: `${dueOn}T14:00:00.000Z`,
          severity: 'normal',
          title: 'Call back',
          note: null,
          clears_on: 'manual',
          source_type: null,
          source_id: null,
          status: o.status ?? 'open',
          resolution: null,
          completed_at: null,
          completed_by: null,
          created_by: coachA.id,
          created_at: at,
          updated_at: at,
        })
        .execute();
    }

    return { organizationId, coachA, coachB, coachC, supervisor, otherSupervisor, programId, siteA, siteC, as, person, consent, lifeEvent, todo };
  }

  /** The flags of one participant's row in coach A's caseload. */
  async function flagsOf(w: Awaited<ReturnType<typeof world>>, participantId: string) {
    const items = itemsOf(await (await w.as(w.coachA)).get('/api/v1/caseload'));
    const row = items.find((i) => i.participantId === participantId);
    expect(row, 'row in the caseload').toBeDefined();
    return row!.flags;
  }
  const keysOf = (flags: Item['flags']) => flags.map((f) => f.key);

  describe('signals and their boundaries', () => {
    it('recent_overdose and recent_ed_visit: from 30 days ago through today', async () => {
      const w = await world();
      const thirty = await w.person();
      await w.lifeEvent(thirty.id, 'overdose', '2026-10-28');
      const thirtyOne = await w.person();
      await w.lifeEvent(thirtyOne.id, 'overdose', '2026-10-27');
      await w.lifeEvent(thirtyOne.id, 'return_to_use', '2026-11-20');
      const ed = await w.person();
      await w.lifeEvent(ed.id, 'ed_visit', TODAY);
      await w.lifeEvent(ed.id, 'ed_visit', '2026-11-01');
      const tomorrow = await w.person();
      await w.lifeEvent(tomorrow.id, 'ed_visit', '2026-11-28');

      expect(await flagsOf(w, thirty.id)).toEqual([{ key: 'recent_overdose', detail: { occurredOn: '2026-10-28', daysAgo: 30 } }]);
      expect(await flagsOf(w, thirtyOne.id)).toEqual([]);
      // The latest visit is the one described.
      expect(await flagsOf(w, ed.id)).toEqual([{ key: 'recent_ed_visit', detail: { occurredOn: TODAY, daysAgo: 0 } }]);
      expect(await flagsOf(w, tomorrow.id)).toEqual([]);
    });

    it('no_moud: opioid use disorder recorded with no medication, or none', async () => {
      const w = await world();
      const noMed = await w.person({ values: { hasOud: true } });
      const none = await w.person({ values: { hasOud: true, currentMoud: 'none' } });
      const onBup = await w.person({ values: { hasOud: true, currentMoud: 'buprenorphine' } });
      const unknownOud = await w.person({ values: { currentMoud: 'none' } });
      const noOud = await w.person({ values: { hasOud: false, currentMoud: 'none' } });
      expect(keysOf(await flagsOf(w, noMed.id))).toEqual(['no_moud']);
      expect(keysOf(await flagsOf(w, none.id))).toEqual(['no_moud']);
      for (const p of [onBup, unknownOud, noOud]) expect(keysOf(await flagsOf(w, p.id))).toEqual([]);
    });

    it('unreachable: the episode is marked unreachable', async () => {
      const w = await world();
      const gone = await w.person({ status: 'unreachable' });
      const onHold = await w.person({ status: 'on_hold' });
      expect(keysOf(await flagsOf(w, gone.id))).toEqual(['unreachable']);
      expect(keysOf(await flagsOf(w, onHold.id))).toEqual([]);
    });

    it('consent_expiring: a consent in force that expires from today through 30 days ahead', async () => {
      const w = await world();
      const today = await w.person();
      await w.consent(today.id, { kind: 'disclosure_specific', expiresOn: TODAY });
      const thirty = await w.person();
      await w.consent(thirty.id, { kind: 'disclosure_tpo', expiresOn: '2026-12-27' });
      await w.consent(thirty.id, { kind: 'disclosure_specific', expiresOn: '2027-03-01' });
      const thirtyOne = await w.person();
      await w.consent(thirtyOne.id, { kind: 'disclosure_specific', expiresOn: '2026-12-28' });
      const revoked = await w.person();
      await w.consent(revoked.id, { kind: 'disclosure_specific', expiresOn: '2026-12-01', revoked: true });
      const expired = await w.person();
      await w.consent(expired.id, { kind: 'disclosure_specific', expiresOn: '2026-11-26' });
      const participationOnly = await w.person({ consent: false });
      await w.consent(participationOnly.id, { expiresOn: '2026-12-10' });

      expect(await flagsOf(w, today.id)).toEqual([{ key: 'consent_expiring', detail: { expiresOn: TODAY, daysLeft: 0 } }]);
      expect(await flagsOf(w, thirty.id)).toEqual([{ key: 'consent_expiring', detail: { expiresOn: '2026-12-27', daysLeft: 30 } }]);
      for (const p of [thirtyOne, revoked, expired]) expect(keysOf(await flagsOf(w, p.id))).toEqual([]);
      expect(await flagsOf(w, participationOnly.id)).toEqual([{ key: 'consent_expiring', detail: { expiresOn: '2026-12-10', daysLeft: 13 } }]);
    });

    it('no_follow_up_consent: no participation consent in force (none, revoked, expired, not yet signed, or only a disclosure consent)', async () => {
      const w = await world();
      const none = await w.person({ consent: false });
      const revoked = await w.person({ consent: false });
      await w.consent(revoked.id, { revoked: true });
      const expired = await w.person({ consent: false });
      await w.consent(expired.id, { expiresOn: '2026-11-26' });
      const future = await w.person({ consent: false });
      await w.consent(future.id, { signedOn: '2026-11-28' });
      const disclosureOnly = await w.person({ consent: false });
      await w.consent(disclosureOnly.id, { kind: 'disclosure_specific', expiresOn: '2027-06-01' });
      const inForce = await w.person({ consent: false });
      await w.consent(inForce.id, { revoked: true });
      await w.consent(inForce.id, { signedOn: TODAY, expiresOn: '2027-11-27' });

      for (const p of [none, revoked, expired, future, disclosureOnly]) expect(keysOf(await flagsOf(w, p.id))).toEqual(['no_follow_up_consent']);
      expect(keysOf(await flagsOf(w, inForce.id))).toEqual([]);
    });

    it('follow_up_due: an open to-do due today or earlier, counted; open follow-ups counted whenever due', async () => {
      const w = await world();
      const due = await w.person();
      await w.todo(due.id, '2026-11-25');
      await w.todo(due.id, TODAY, { kind: 'referral' });
      await w.todo(due.id, '2026-12-03');
      await w.todo(due.id, '2026-11-20', { status: 'done' });
      const later = await w.person();
      await w.todo(later.id, '2026-11-28');
      await w.todo(later.id, '2026-11-20', { status: 'cancelled' });

      const items = itemsOf(await (await w.as(w.coachA)).get('/api/v1/caseload'));
      const row = (id: string) => items.find((i) => i.participantId === id)!;
      expect(row(due.id)).toMatchObject({ openFollowUps: 2, flags: [{ key: 'follow_up_due', detail: { count: 2, dueOn: '2026-11-25', daysOverdue: 2 } }] });
      expect(row(later.id)).toMatchObject({ openFollowUps: 1, flags: [] });
    });

    it('follow_up_due counts in the organization’s local date: late evening in New York is still the 27th', async () => {
      const w = await world();
      const p = await w.person();
      await w.todo(p.id, '2026-11-28');
      t.clock.set('2026-11-28T04:30:00.000Z'); // 23:30 on the 27th in New York
      expect(keysOf(await flagsOf(w, p.id))).toEqual([]);
      t.clock.set('2026-11-28T05:00:00.000Z'); // midnight: the 28th
      expect(keysOf(await flagsOf(w, p.id))).toEqual(['follow_up_due']);
    });

    describe('contact_overdue: the last successful contact (or the start) plus the cadence, in local dates', () => {
      /** Set an episode's last contact and cadence straight on the row (the encounters module maintains them). */
      const contact = (episodeId: string, lastContactAt: string | null, cadenceDays: number | null = 7) =>
        t.db.updateTable('episodes').set({ last_contact_at: lastContactAt, cadence_days: cadenceDays }).where('id', '=', episodeId).execute();

      it('due on the last contact + cadence; overdue from the next day, with the days overdue; never reached: from the start', async () => {
        const w = await world();
        const dueToday = await w.person();
        await contact(dueToday.episodeId, '2026-11-20T15:00:00.000Z'); // the 20th + 7 = today
        const oneDay = await w.person();
        await contact(oneDay.episodeId, '2026-11-19T15:00:00.000Z');
        const never = await w.person({ startDate: '2026-11-10' });
        await contact(never.episodeId, null, 14); // started the 10th + 14 = the 24th: 3 days overdue
        const programCadence = await w.person({ startDate: '2026-08-01' }); // the program's 90 days: due 30 October
        const onHold = await w.person({ startDate: '2026-08-01', status: 'on_hold' });
        const unreachable = await w.person({ startDate: '2026-08-01', status: 'unreachable' });

        expect(await flagsOf(w, dueToday.id)).toEqual([]);
        expect(await flagsOf(w, oneDay.id)).toEqual([{ key: 'contact_overdue', detail: { dueOn: '2026-11-26', daysOverdue: 1 } }]);
        expect(await flagsOf(w, never.id)).toEqual([{ key: 'contact_overdue', detail: { dueOn: '2026-11-24', daysOverdue: 3 } }]);
        expect(await flagsOf(w, programCadence.id)).toEqual([{ key: 'contact_overdue', detail: { dueOn: '2026-10-30', daysOverdue: 28 } }]);
        expect(keysOf(await flagsOf(w, onHold.id))).toEqual([]);
        expect(keysOf(await flagsOf(w, unreachable.id))).toEqual(['unreachable']);
      });

      it('counts the contact on its local date: 23:30 in New York on the 19th is the 19th, not the 20th', async () => {
        const w = await world();
        const p = await w.person();
        await contact(p.episodeId, '2026-11-20T04:30:00.000Z'); // 23:30 on the 19th in New York: due the 26th
        expect(await flagsOf(w, p.id)).toEqual([{ key: 'contact_overdue', detail: { dueOn: '2026-11-26', daysOverdue: 1 } }]);
        await contact(p.episodeId, '2026-11-20T05:00:00.000Z'); // midnight: the 20th, due today
        expect(await flagsOf(w, p.id)).toEqual([]);
        // And "today" turns at local midnight too.
        t.clock.set('2026-11-28T04:59:00.000Z');
        expect(await flagsOf(w, p.id)).toEqual([]);
        t.clock.set('2026-11-28T05:00:00.000Z');
        expect(await flagsOf(w, p.id)).toEqual([{ key: 'contact_overdue', detail: { dueOn: '2026-11-27', daysOverdue: 1 } }]);
      });

      it('overdue people come first (weight 40), and the row says how long since the last contact', async () => {
        const w = await world();
        const calm = await w.person({ firstName: 'Calm' });
        await contact(calm.episodeId, '2026-11-25T15:00:00.000Z');
        const late = await w.person({ firstName: 'Late' });
        await contact(late.episodeId, '2026-11-10T15:00:00.000Z');
        const ed = await w.person({ firstName: 'Ed' });
        await contact(ed.episodeId, '2026-11-26T15:00:00.000Z');
        await w.lifeEvent(ed.id, 'ed_visit', '2026-11-26');
        const items = itemsOf(await (await w.as(w.coachA)).get('/api/v1/caseload'));
        expect(items.map((i) => [i.participantId, i.urgency, i.daysSinceLastContact])).toEqual([
          [late.id, 40, 17],
          [ed.id, 30, 1],
          [calm.id, 0, 2],
        ]);
        const summary = (await (await w.as(w.supervisor)).get('/api/v1/caseload/summary')).json<Summary>();
        expect(summary.byFlag.find((f) => f.key === 'contact_overdue')?.count).toBe(1);
      });
    });

    it('milestone_coming: the series (90 days, whole years…) from today through 7 days ahead', async () => {
      const w = await world();
      const start = (daysUntil90: number) => new Date(Date.parse(`${TODAY}T00:00:00Z`) + (daysUntil90 - 90) * 86_400_000).toISOString().slice(0, 10);
      const inSeven = await w.person({ values: { recoveryStartDate: start(7) } });
      const inEight = await w.person({ values: { recoveryStartDate: start(8) } });
      const todayNinety = await w.person({ values: { recoveryStartDate: start(0) } });
      const yesterday = await w.person({ values: { recoveryStartDate: start(-1) } });
      const threeYears = await w.person({ values: { recoveryStartDate: '2023-12-01' } });
      const oneYear = await w.person({ values: { recoveryStartDate: '2025-12-02' } });

      expect(await flagsOf(w, inSeven.id)).toEqual([{ key: 'milestone_coming', detail: { kind: 'recovery', anchor: '90d', unit: 'days', count: 90, on: '2026-12-04', inDays: 7 } }]);
      expect(await flagsOf(w, inEight.id)).toEqual([]);
      expect(await flagsOf(w, todayNinety.id)).toEqual([{ key: 'milestone_coming', detail: { kind: 'recovery', anchor: '90d', unit: 'days', count: 90, on: TODAY, inDays: 0 } }]);
      expect(await flagsOf(w, yesterday.id)).toEqual([]);
      expect(await flagsOf(w, threeYears.id)).toEqual([{ key: 'milestone_coming', detail: { kind: 'recovery', anchor: '3y', unit: 'years', count: 3, on: '2026-12-01', inDays: 4 } }]);
      expect(await flagsOf(w, oneYear.id)).toEqual([{ key: 'milestone_coming', detail: { kind: 'recovery', anchor: '1y', unit: 'years', count: 1, on: '2026-12-02', inDays: 5 } }]);
    });

    it('milestones: 30 and 60 days, 6 months, whole years; a leap-day start; across a new year', () => {
      expect(nextMilestone('2026-10-28', TODAY)).toMatchObject({ unit: 'days', count: 30, inDays: 0 });
      expect(nextMilestone('2026-10-02', TODAY)).toMatchObject({ unit: 'days', count: 60, on: '2026-12-01' });
      expect(nextMilestone('2026-06-01', TODAY)).toMatchObject({ anchor: '6m', unit: 'months', count: 6, on: '2026-12-01' });
      // The second anniversary is 13 days away: nothing yet.
      expect(nextMilestone('2024-12-10', TODAY)).toBeUndefined();
      expect(nextMilestone('2024-12-04', TODAY)).toMatchObject({ unit: 'years', count: 2, on: '2026-12-04', inDays: 7 });
      expect(anniversary('2024-02-29', 1)).toBe('2025-02-28');
      expect(anniversary('2024-02-29', 4)).toBe('2028-02-29');
      expect(nextMilestone('2024-02-29', '2025-02-25')).toMatchObject({ unit: 'years', count: 1, on: '2025-02-28', inDays: 3 });
      // The first year is the anniversary, not 365 days (a day earlier after a start in a leap year).
      expect(nextMilestone('2024-01-10', '2025-01-03')).toMatchObject({ anchor: '1y', unit: 'years', count: 1, on: '2025-01-10', inDays: 7 });
      expect(nextMilestone('2020-01-02', '2026-12-29')).toMatchObject({ unit: 'years', count: 7, on: '2027-01-02', inDays: 4 });
    });

    it('milestones: the shortcut past the fixed steps finds what the whole series finds, every day for five years', () => {
      // Month ends (shorter months, leap days) and ordinary days; every "today" from before the start on.
      const starts = ['2023-08-31', '2024-02-29', '2023-01-31', '2023-03-31', '2023-12-31', '2023-02-28', '2022-06-15', '2021-11-03'];
      const dayAfter = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
      for (const start of starts) {
        for (let t = -10; t < 1900; t++) {
          const today = dayAfter(start, t);
          const first = milestoneSeries(start, dayAfter(today, 7)).find((s) => s.on >= today);
          const got = nextMilestone(start, today);
          expect(got && { anchor: got.anchor, unit: got.unit, count: got.count, on: got.on }, `${start} on ${today}`).toEqual(first);
        }
      }
    });
  });

  describe('one query per signal for the whole caseload', () => {
    it('each signal is asked once per batch of rows, with every id of the batch', async () => {
      const w = await world();
      const people = await Promise.all(Array.from({ length: 5 }, () => w.person()));
      const calls: number[] = [];
      const probe: CaseloadSignal = {
        key: 'no_moud',
        weight: 1,
        compute: (_db, input) => {
          calls.push(input.participantIds.length);
          return Promise.resolve(new Map([[input.participantIds[0]!, { key: 'no_moud' as const }]]));
        },
      };
      const rows = people.map((p) => ({ participantId: p.id, episodeId: p.episodeId }));
      const hits = await computeSignals(t.db, { organizationId: w.organizationId, today: TODAY, now: new Date(NOW), rows }, [probe]);
      expect(calls).toEqual([5]);
      expect([...hits.keys()]).toEqual([people[0]!.id]);
    });

    it('the whole registry asks the database the same few queries for 2 people or 12 (signals reading one table share one)', async () => {
      const w = await world();
      const counted = async (n: number, withFacts = false) => {
        const people = await Promise.all(Array.from({ length: n }, () => w.person()));
        const facts = (id: string) => ({ participantId: id, status: 'active', hasOud: null, currentMoud: null, recoveryStartDate: null, startDate: TODAY, lastContactAt: null, cadenceDays: 7 });
        let queries = 0;
        const db = t.db.withPlugin({
          transformQuery: (args) => {
            queries += 1;
            return args.node;
          },
          transformResult: (args) => Promise.resolve(args.result),
        });
        const rows = people.map((p) => ({ participantId: p.id, episodeId: p.episodeId, ...(withFacts && { facts: facts(p.id) }) }));
        await computeSignals(db, { organizationId: w.organizationId, today: TODAY, now: new Date(NOW), rows });
        return queries;
      };
      // Life events, consents, episode facts, to-dos, MOUD refills, appointments (both appointment
      // signals share one), milestones (MOUD starts and celebrations), check-in alerts: a new
      // signal that adds a query changes this on purpose.
      const few = await counted(2);
      expect(SIGNALS.length).toBe(13);
      expect(few).toBe(8);
      expect(await counted(12)).toBe(few);
      // The caseload reads the episode facts with its rows: one query fewer.
      expect(await counted(3, true)).toBe(7);
    });
  });

  describe('urgency, sorting and filters', () => {
    async function mixed() {
      const w = await world();
      const overdose = await w.person({ firstName: 'Dana', startDate: '2026-11-20', consent: false }); // 50 + 15
      await w.lifeEvent(overdose.id, 'overdose', '2026-11-25');
      const due = await w.person({ firstName: 'Ari', startDate: '2026-09-01' }); // 20
      await w.todo(due.id, '2026-11-26');
      const calm = await w.person({ firstName: 'Bea', startDate: '2026-10-01' }); // 0
      const noConsent = await w.person({ firstName: 'Cy', startDate: '2026-11-01', consent: false }); // 15
      return { w, overdose, due, calm, noConsent };
    }

    it('most urgent first, with the urgency score, and the longest with the program first among equals', async () => {
      const { w, overdose, due, calm, noConsent } = await mixed();
      const items = itemsOf(await (await w.as(w.coachA)).get('/api/v1/caseload'));
      expect(items.map((i) => [i.participantId, i.urgency])).toEqual([
        [overdose.id, 65],
        [due.id, 20],
        [noConsent.id, 15],
        [calm.id, 0],
      ]);
      expect(items[0]).toMatchObject({
        displayName: expect.stringMatching(/^Dana Test/),
        status: 'active',
        siteId: w.siteA,
        siteName: 'Mercy ED',
        assignedCoachUserId: w.coachA.id,
        assignedCoachName: 'Coach Avery',
        startDate: '2026-11-20',
        daysSinceStart: 7,
        daysSinceLastContact: null,
        nextAppointment: null,
        openFollowUps: 0,
        flags: [expect.objectContaining({ key: 'recent_overdose' }), { key: 'no_follow_up_consent' }],
      });
    });

    it('sorts by name, by time with the program, and by last contact (nobody contacted yet: by urgency)', async () => {
      const { w, overdose, due, calm, noConsent } = await mixed();
      const client = await w.as(w.coachA);
      const ids = async (q: string) => itemsOf(await client.get(`/api/v1/caseload?${q}`)).map((i) => i.participantId);
      expect(await ids('sort=name')).toEqual([due.id, calm.id, noConsent.id, overdose.id]);
      expect(await ids('sort=since')).toEqual([due.id, calm.id, noConsent.id, overdose.id]);
      expect(await ids('sort=last_contact')).toEqual([overdose.id, due.id, noConsent.id, calm.id]);
      expect(await ids('sort=urgency')).toEqual([overdose.id, due.id, noConsent.id, calm.id]);
    });

    it('filters by flag', async () => {
      const { w, overdose, noConsent } = await mixed();
      const client = await w.as(w.coachA);
      expect(itemsOf(await client.get('/api/v1/caseload?flag=no_follow_up_consent')).map((i) => i.participantId)).toEqual([overdose.id, noConsent.id]);
      expect(itemsOf(await client.get('/api/v1/caseload?flag=unreachable'))).toEqual([]);
    });

    it('refuses a bad sort, flag, scope or coach id, naming the parameter', async () => {
      const w = await world();
      const client = await w.as(w.supervisor);
      for (const [q, path] of [
        ['sort=oldest', 'query.sort'],
        ['flag=relapse', 'query.flag'],
        ['scope=everyone', 'query.scope'],
        ['coachUserId=someone', 'query.coachUserId'],
        [`scope=team&coachUserId=${w.coachA.id}`, 'query.scope'],
      ] as const) {
        const res = await client.get(`/api/v1/caseload?${q}`);
        expect(res.statusCode, q).toBe(400);
        expect(err(res).fields?.map((f) => f.path), q).toEqual([path]);
      }
    });

    it('leaves discharged episodes out, and the records of other coaches and organizations', async () => {
      const w = await world();
      const mine = await w.person();
      const discharged = await w.person();
      await t.db.updateTable('episodes').set({ status: 'discharged', discharge_date: '2026-11-20', discharge_reason: 'goals_met' }).where('id', '=', discharged.episodeId).execute();
      await w.person({ coach: w.coachB });
      await w.person({ coach: null });
      const other = await world();
      await other.person();
      const items = itemsOf(await (await w.as(w.coachA)).get('/api/v1/caseload'));
      expect(items.map((i) => i.participantId)).toEqual([mine.id]);
    });
  });

  describe('whose caseload', () => {
    it("a coach cannot see another coach's caseload, or the team's: 403 naming nobody", async () => {
      const w = await world();
      await w.person({ coach: w.coachB, firstName: 'Secret' });
      const client = await w.as(w.coachA);
      for (const q of [`coachUserId=${w.coachB.id}`, 'scope=team', `coachUserId=${randomUUID()}`]) {
        const res = await client.get(`/api/v1/caseload?${q}`);
        expect(res.statusCode, q).toBe(403);
        expect(err(res).code).toBe('auth.forbidden');
        expect(res.body).not.toContain('Coach Blake');
        expect(res.body).not.toContain('Secret');
      }
      // Naming oneself is the same as asking for one's own.
      expect((await client.get(`/api/v1/caseload?coachUserId=${w.coachA.id}`)).statusCode).toBe(200);
    });

    it('a supervisor sees a coach of their team, or the whole team with the unassigned at its sites; not another team', async () => {
      const w = await world();
      const a = await w.person({ coach: w.coachA });
      const b = await w.person({ coach: w.coachB });
      const unassignedHere = await w.person({ coach: null, siteId: w.siteA });
      await w.person({ coach: w.coachC, siteId: w.siteC });
      await w.person({ coach: null, siteId: w.siteC });
      const client = await w.as(w.supervisor);

      expect(itemsOf(await client.get(`/api/v1/caseload?coachUserId=${w.coachB.id}`)).map((i) => i.participantId)).toEqual([b.id]);
      const team = itemsOf(await client.get('/api/v1/caseload?scope=team&sort=name'));
      expect(new Set(team.map((i) => i.participantId))).toEqual(new Set([a.id, b.id, unassignedHere.id]));
      expect(team.find((i) => i.participantId === unassignedHere.id)).toMatchObject({ assignedCoachUserId: null, assignedCoachName: null });
      // Without a choice, a supervisor who does not coach gets the team.
      expect(itemsOf(await client.get('/api/v1/caseload')).length).toBe(3);

      for (const q of [`coachUserId=${w.coachC.id}`, `coachUserId=${randomUUID()}`]) {
        const res = await client.get(`/api/v1/caseload?${q}`);
        expect(res.statusCode, q).toBe(403);
        expect(err(res).code).toBe('auth.forbidden');
      }
    });

    it('a supervisor who also coaches gets their own caseload by default', async () => {
      const w = await world();
      const both = await buildUser(t.db, { organizationId: w.organizationId, roles: ['coach', 'supervisor'] });
      await buildTeamAt(t.db, w.organizationId, { siteId: w.siteC, supervisorUserId: both.id, memberUserIds: [w.coachC.id] });
      const own = await w.person({ coach: both });
      await w.person({ coach: w.coachC, siteId: w.siteC });
      const client = await w.as(both);
      expect(itemsOf(await client.get('/api/v1/caseload')).map((i) => i.participantId)).toEqual([own.id]);
      expect(itemsOf(await client.get('/api/v1/caseload?scope=team')).length).toBe(1);
    });

    it('the read is audited with the ids listed, never names', async () => {
      const w = await world();
      const p = await w.person({ firstName: 'Zephyrine' });
      await w.lifeEvent(p.id, 'overdose', '2026-11-26');
      await (await w.as(w.supervisor)).get(`/api/v1/caseload?coachUserId=${w.coachA.id}`);
      const events = await auditEvents(t, { action: 'participant.read', organizationId: w.organizationId });
      expect(events).toEqual([expect.objectContaining({ actorUserId: w.supervisor.id, targetIds: [p.id], details: { part: 'caseload', coachUserId: w.coachA.id } })]);
      expect(JSON.stringify(events)).not.toContain('Zephyrine');
    });
  });

  describe('summary', () => {
    it('a program manager gets counts for the organization by site, coach (every coach, even with nobody), status and flag', async () => {
      const w = await world();
      const a1 = await w.person({ consent: false });
      await w.lifeEvent(a1.id, 'overdose', '2026-11-20');
      await w.person({ status: 'unreachable' });
      await w.person({ coach: w.coachB, status: 'on_hold' });
      await w.person({ coach: null });
      await w.person({ coach: w.coachC, siteId: w.siteC });
      const gone = await w.person();
      await t.db.updateTable('episodes').set({ status: 'discharged', discharge_date: '2026-11-20', discharge_reason: 'goals_met' }).where('id', '=', gone.episodeId).execute();
      const idle = await buildUser(t.db, { organizationId: w.organizationId, roles: ['coach'], displayName: 'Coach Drew' });
      await (await world()).person(); // another organization

      const pm = await buildUser(t.db, { organizationId: w.organizationId, roles: ['program_manager'] });
      const res = await (await w.as(pm)).get('/api/v1/caseload/summary');
      expect(res.statusCode, res.body).toBe(200);
      const s = res.json<Summary>();
      expect(s).toMatchObject({ scope: 'organization', total: 5, unassigned: 1 });
      expect(s.bySite).toEqual([
        { siteId: w.siteA, siteName: 'Mercy ED', count: 4 },
        { siteId: w.siteC, siteName: 'Harbor Clinic', count: 1 },
      ]);
      expect(s.byCoach).toEqual([
        { coachUserId: w.coachA.id, coachName: 'Coach Avery', count: 2 },
        { coachUserId: w.coachB.id, coachName: 'Coach Blake', count: 1 },
        { coachUserId: w.coachC.id, coachName: 'Coach Casey', count: 1 },
        { coachUserId: idle.id, coachName: 'Coach Drew', count: 0 },
      ]);
      expect(s.byStatus).toEqual([
        { status: 'active', count: 3 },
        { status: 'on_hold', count: 1 },
        { status: 'unreachable', count: 1 },
      ]);
      expect(Object.fromEntries(s.byFlag.map((f) => [f.key, f.count]))).toEqual({
        recent_overdose: 1,
        recent_ed_visit: 0,
        contact_overdue: 0,
        unreachable: 1,
        follow_up_due: 0,
        no_follow_up_consent: 1,
        consent_expiring: 0,
        no_moud: 0,
        milestone_coming: 0,
        check_in_alert: 0,
        refill_due: 0,
        appointment_missed: 0,
        appointment_soon: 0,
      });
      // Aggregates only: no participant ids, no names.
      expect(res.body).not.toContain(a1.id);
      expect(res.body).not.toContain('Rosa');
      expect(await auditEvents(t, { action: 'caseload.summary', organizationId: w.organizationId })).toEqual([
        expect.objectContaining({ actorUserId: pm.id, targetIds: [w.organizationId], details: { scope: 'organization' } }),
      ]);
    });

    it("a supervisor's summary counts their teams only", async () => {
      const w = await world();
      await w.person({ coach: w.coachA });
      await w.person({ coach: w.coachB });
      await w.person({ coach: null, siteId: w.siteA });
      await w.person({ coach: w.coachC, siteId: w.siteC });
      await w.person({ coach: null, siteId: w.siteC });
      const res = await (await w.as(w.supervisor)).get('/api/v1/caseload/summary');
      expect(res.statusCode, res.body).toBe(200);
      const s = res.json<Summary>();
      expect(s).toMatchObject({ scope: 'team', total: 3, unassigned: 1, bySite: [{ siteId: w.siteA, count: 3 }] });
      expect(s.byCoach.map((c) => [c.coachName, c.count])).toEqual([
        ['Coach Avery', 1],
        ['Coach Blake', 1],
      ]);
    });
  });

  it('keeps a fresh organization with nothing in it working', async () => {
    const org = await buildOrganization(t.db);
    const coach = await buildUser(t.db, { organizationId: org.id, roles: ['coach'] });
    const pm = await buildUser(t.db, { organizationId: org.id, roles: ['program_manager'] });
    expect(itemsOf(await (await sessionFor(t, coach)).client.get('/api/v1/caseload'))).toEqual([]);
    const s = (await (await sessionFor(t, pm)).client.get('/api/v1/caseload/summary')).json<Summary>();
    expect(s).toMatchObject({ total: 0, unassigned: 0, bySite: [], byCoach: [{ coachUserId: coach.id, count: 0 }] });
  });
});

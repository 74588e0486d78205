/**
 * Measures kept up to date, on real tables (the deck of test/helpers/measures.ts): the kept facts
 * equal the loader's, before and after changes made straight to the tables (the triggers mark the
 * participant, only they are read again); the dashboard answer is kept until the organization's
 * data changes, then the figure moves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { MeasureFigure, MeasuresResponse } from '../../../contracts/measures.js';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/helpers/app.js';
import { buildDeck, markMerged, type Deck } from '../../../../test/helpers/measures.js';
import { encounterRow } from '../../../../test/helpers/encounters.js';
import { newId } from '../../platform/ids.js';
import { cachedFacts, cachedResult, measuresVersion } from './measures.cache.js';
import { loadMeasureFacts, type HistoryNeeds } from './measures.loader.js';
import { DEFAULTS } from './measures.definitions.js';

const HISTORY: HistoryNeeds = { moudPriorFreeDays: DEFAULTS.moud_continuity.priorFreeDays, retentionMaxDays: 180, admissionExclusionDays: 30 };
const PERIOD = { from: '2026-01-01', to: '2026-06-30' };
const NOW = '2026-11-27T15:00:00.000Z';
/** As stored: plain JSON. */
const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('measures kept up to date', () => {
  let t: TestApp;
  let deck: Deck;
  let manager: TestClient;
  beforeAll(async () => {
    t = await createTestApp();
    deck = await buildDeck(t);
    manager = await deck.as(deck.manager);
  });
  afterAll(() => t.close());

  const org = () => deck.organizationId;
  const kept = (o: { population?: 'veteran' } = {}) => cachedFacts(t.db, org(), { period: PERIOD, history: HISTORY, now: NOW, ...o });
  const direct = async (o: { population?: 'veteran' } = {}) => plain((await loadMeasureFacts(t.db, org(), { period: PERIOD, history: HISTORY, filters: o })).people);
  const dirtyVersion = async (participantId: string) =>
    (await sql<{ version: number }>`select version from measure_dirty where participant_id = ${participantId}`.execute(t.db)).rows[0]?.version;

  it('keeps the loader facts: the first read loads everyone, the next reads them as stored', async () => {
    const cold = await kept();
    expect(cold.refreshed).toBe(10);
    expect(cold.timeZone).toBe('America/Chicago');
    expect(plain(cold.people)).toEqual(await direct());
    const warm = await kept();
    expect(warm.refreshed).toBe(0);
    expect(warm.people).toEqual(await direct());
    // A population filter picks people from the same kept facts.
    const veterans = await kept({ population: 'veteran' });
    expect(veterans.refreshed).toBe(0);
    expect(veterans.people.map((p) => p.participantId)).toEqual([deck.p.p4]);
    expect(veterans.people).toEqual(await direct({ population: 'veteran' }));
  });

  it('a change to any source table marks its participant; only they are read again, and the facts equal the loader', async () => {
    await kept();
    const before = await measuresVersion(t.db, org());
    // Insert (encounters), update (moud_fills), delete (appointments), each straight to the table.
    await encounterRow(t.db, { organizationId: org(), participantId: deck.p.p3, authorUserId: deck.coach.id, type: 'follow_up', startedAt: '2026-03-03T15:00:00.000Z', endedAt: null, durationMinutes: null, reached: true, attemptOutcome: null });
    await t.db.updateTable('moud_fills').set({ days_supply: 40 }).where('id', '=', deck.ids.p7_fill!).execute();
    await t.db.deleteFrom('appointments').where('participant_id', '=', deck.p.p3).where('kind', '=', 'court').execute();
    const after = await measuresVersion(t.db, org());
    expect(after).toBeGreaterThanOrEqual(before + 3);
    expect(await dirtyVersion(deck.p.p7)).toBeGreaterThan(before);
    expect(await dirtyVersion(deck.p.p5)).toBeLessThanOrEqual(before);

    const refreshed = await kept();
    expect(refreshed.refreshed).toBe(2); // P3 and P7
    expect(refreshed.people).toEqual(await direct());
    expect(refreshed.people.find((p) => p.participantId === deck.p.p3)!.contacts.map((c) => c.on)).toContain('2026-03-03');

    // A participant merged into another leaves; an OTP enrollment and a BARC-10 come in.
    await markMerged(t.db, org(), deck.p.p8, deck.p.p7, deck.coach.id);
    const course = (await t.db.selectFrom('moud_courses').select('id').where('participant_id', '=', deck.p.p4).executeTakeFirstOrThrow()).id;
    await t.db.updateTable('moud_otp_enrollments').set({ ended_on: '2026-05-01' }).where('course_id', '=', course).execute();
    const merged = await kept();
    expect(merged.refreshed).toBe(1); // P4 (P8 is no longer admitted)
    expect(merged.people.map((p) => p.participantId)).not.toContain(deck.p.p8);
    expect(merged.people).toEqual(await direct());
  });

  it('marks the participants with appointments at a directory service whose types change', async () => {
    const serviceId = newId();
    const dirOrg = newId();
    await t.db.insertInto('directory_organizations').values({ id: dirOrg, organization_id: org(), name: 'Riverside Clinic', type: 'treating_provider', created_at: NOW, updated_at: NOW }).execute();
    await t.db.insertInto('directory_services').values({ id: serviceId, organization_id: org(), directory_organization_id: dirOrg, name: 'Intake', service_types: '["housing"]', created_at: NOW, updated_at: NOW }).execute();
    await t.db
      .insertInto('appointments')
      .values({ id: newId(), organization_id: org(), participant_id: deck.p.p5, kind: 'intake', starts_at: '2026-06-22T15:00:00.000Z', status: 'attended', directory_service_id: serviceId, remind_participant: 0, reminder_names_place: 0, created_by: deck.coach.id, created_at: NOW, updated_at: NOW })
      .execute();
    await kept();
    const p5 = () => kept().then((k) => k.people.find((p) => p.participantId === deck.p.p5)!);
    expect((await p5()).appointments.find((a) => a.on === '2026-06-22')?.treatment).toBeNull();
    await t.db.updateTable('directory_services').set({ service_types: '["buprenorphine"]' }).where('id', '=', serviceId).execute();
    const k = await kept();
    expect(k.refreshed).toBe(1);
    expect(k.people.find((p) => p.participantId === deck.p.p5)!.appointments.find((a) => a.on === '2026-06-22')?.treatment).toBe('prescriber_visit');
    expect(k.people).toEqual(await direct());
  });

  it('the dashboard keeps its answer until the data changes, then the figure moves', async () => {
    const get = async (query = 'from=2026-01-01&to=2026-12-31'): Promise<MeasuresResponse> => {
      const res = await manager.get(`/api/v1/measures?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<MeasuresResponse>();
    };
    const figure = (r: MeasuresResponse, measure: string, key: string): MeasureFigure => r.measures.find((m) => m.id === measure)!.figures.find((x) => x.key === key)!;
    const stored = async () => (await sql<{ n: number }>`select count(*) as n from measure_results where organization_id = ${org()}`.execute(t.db)).rows[0]!.n;

    const first = await get();
    expect(Number(await stored())).toBe(1);
    const version = await measuresVersion(t.db, org());
    const second = await get();
    expect(second).toEqual(first);
    expect(await measuresVersion(t.db, org())).toBe(version);
    // Other filters and parameters are other answers.
    await get('from=2026-01-01&to=2026-12-31&population=veteran');
    expect(Number(await stored())).toBe(2);

    // P1's return to use is removed: the rate of returns to use moves on the next request.
    const rtuBefore = figure(second, 'use_and_overdose', 'return_to_use.total').numerator;
    await t.db.deleteFrom('life_events').where('id', '=', deck.ids.p1_rtu!).execute();
    const third = await get();
    expect(figure(third, 'use_and_overdose', 'return_to_use.total').numerator).toBe((rtuBefore ?? 0) - 1);

    // The kept answer equals one computed from nothing kept.
    await sql`delete from measure_results`.execute(t.db);
    await sql`delete from measure_facts`.execute(t.db);
    await sql`delete from measure_fact_sets`.execute(t.db);
    expect(await get()).toEqual(third);
  });

  it('requests that miss together compute once', async () => {
    let runs = 0;
    const compute = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 50));
      return { figure: 42 };
    };
    const answers = await Promise.all([1, 2, 3].map(() => cachedResult(t.db, org(), { together: true }, NOW, compute)));
    expect(runs).toBe(1);
    expect(answers.map((a) => a.value)).toEqual([{ figure: 42 }, { figure: 42 }, { figure: 42 }]);
    expect(answers.filter((a) => !a.hit)).toHaveLength(1);
    expect((await cachedResult(t.db, org(), { together: true }, NOW, compute)).hit).toBe(true);
    expect(runs).toBe(1);
  });

  it('a supervisor’s team answer is computed each time (it depends on team membership)', async () => {
    const supervisor = await deck.as(deck.supervisor);
    await sql`delete from measure_results`.execute(t.db);
    const res = await supervisor.get('/api/v1/measures?from=2026-01-01&to=2026-12-31');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<MeasuresResponse>().scope).toBe('team');
    expect(Number((await sql<{ n: number }>`select count(*) as n from measure_results`.execute(t.db)).rows[0]!.n)).toBe(0);
  });
});

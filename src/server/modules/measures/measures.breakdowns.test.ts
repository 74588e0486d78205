/**
 * Breakdowns through HTTP on the measure deck (test/helpers/measures.ts), on both databases: each
 * participant in exactly one group (two races → "two or more", "prefer not to say" beside a
 * category ignored, age on the period's first day, nothing recorded → not_recorded), the groups
 * of a figure adding up to the figure; and for a role without record access every cell under 11
 * hidden, with the cells beside it, so neither the groups nor the whole give one away.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeasureFigure, MeasuresResponse } from '../../../contracts/measures.js';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/helpers/app.js';
import { buildDeck, type Deck } from '../../../../test/helpers/measures.js';
import { buildEpisode, buildParticipant, buildUser } from '../../../../test/helpers/factories.js';
import { ageOn, groupOf } from './measures.breakdowns.js';

const A = 'from=2026-01-01&to=2026-06-30';

describe('measure breakdowns', () => {
  let t: TestApp;
  let deck: Deck;
  let manager: TestClient;
  let admin: TestClient;

  const set = (id: string, v: { race?: string[]; date_of_birth?: string; insurance_type?: string; sex_at_birth?: string }) =>
    t.db
      .updateTable('participants')
      .set({ ...(v.date_of_birth && { date_of_birth: v.date_of_birth }), ...(v.insurance_type && { insurance_type: v.insurance_type }), ...(v.sex_at_birth && { sex_at_birth: v.sex_at_birth }), ...(v.race && { race: JSON.stringify(v.race) }) })
      .where('id', '=', id)
      .execute();

  beforeAll(async () => {
    t = await createTestApp();
    deck = await buildDeck(t);
    manager = await deck.as(deck.manager);
    admin = await deck.as(await buildUser(t.db, { organizationId: deck.organizationId, roles: ['admin'] }));
    const { p } = deck;
    await set(p.p1, { race: ['white'], date_of_birth: '1990-03-15', insurance_type: 'medicaid', sex_at_birth: 'female' });
    await set(p.p2, { race: ['white', 'black_or_african_american'], date_of_birth: '2008-06-01' }); // 17 on 2026-01-01
    await set(p.p3, { race: ['prefer_not_to_say', 'asian'] });
    await set(p.p4, { race: ['prefer_not_to_say'], date_of_birth: '1960-01-01' });
    await set(p.p5, { race: [], date_of_birth: '2000-01-01' }); // 26 on the period's first day
    await set(p.p6, { race: ['white'], date_of_birth: '2000-01-02' }); // still 25
  });
  afterAll(() => t.close());

  const get = async (client: TestClient, query: string): Promise<MeasuresResponse> => {
    const res = await client.get(`/api/v1/measures?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<MeasuresResponse>();
  };
  const figure = (r: MeasuresResponse, measure: string, key: string): MeasureFigure => {
    const f = r.measures.find((m) => m.id === measure)?.figures.find((x) => x.key === key);
    if (!f) throw new Error(`no figure ${measure}.${key}`);
    return f;
  };
  const byGroup = (f: MeasureFigure) => Object.fromEntries((f.groups ?? []).map((g) => [g.group, [g.numerator, g.denominator]]));

  it('puts each person in one race group and each figure per group, the groups adding up to the whole', async () => {
    const r = await get(manager, `${A}&breakdown=race`);
    expect(r.breakdown?.by).toBe('race');
    expect(r.breakdown?.groups.map((g) => g.key)).toEqual(['american_indian_or_alaska_native', 'asian', 'black_or_african_american', 'native_hawaiian_or_pacific_islander', 'white', 'two_or_more', 'prefer_not_to_say', 'not_recorded']);
    const people = Object.fromEntries(r.breakdown!.groups.map((g) => [g.key, g.participants]));
    expect(people).toMatchObject({ white: 2, two_or_more: 1, asian: 1, prefer_not_to_say: 1, black_or_african_american: 0 });
    expect(r.breakdown!.groups.reduce((n, g) => n + g.participants!, 0)).toBe(r.participants);
    expect(r.breakdown!.groups.find((g) => g.key === 'two_or_more')?.label).toBe('Two or more races');

    const w7 = figure(r, 'linkage', 'window_7');
    expect([w7.numerator, w7.denominator]).toEqual([2, 6]); // unchanged by the breakdown
    expect(byGroup(w7)).toMatchObject({ white: [1, 2], two_or_more: [0, 1], asian: [0, 1], prefer_not_to_say: [1, 1], not_recorded: [0, 1], black_or_african_american: [0, 0] });
    expect(w7.groups!.find((g) => g.group === 'white')!.rate).toBeCloseTo(0.5, 10);
    // Every share and count adds up over the groups.
    for (const m of r.measures) {
      for (const f of m.figures) {
        if (f.kind !== 'share' && f.kind !== 'count' && f.kind !== 'event_rate') continue;
        expect(f.groups!.reduce((n, g) => n + (g.numerator ?? 0), 0), `${m.id}.${f.key}`).toBe(f.numerator);
      }
    }
    expect(byGroup(figure(r, 'ed_follow_up', 'window_7'))).toMatchObject({ white: [2, 3], two_or_more: [0, 1] }); // P1 and P6's first visit of P1, P6 ×2; P2
  });

  it('age band on the first day of the period; insurance and sex as recorded, else not recorded', async () => {
    const age = await get(manager, `${A}&breakdown=age_band`);
    const people = Object.fromEntries(age.breakdown!.groups.map((g) => [g.key, g.participants]));
    expect(people).toMatchObject({ under_18: 1, '18_25': 1, '26_34': 1, '35_44': 1, '65_plus': 1 });
    expect(byGroup(figure(age, 'linkage', 'window_7'))).toMatchObject({ under_18: [0, 1], '65_plus': [1, 1], '35_44': [1, 1] });
    const insurance = await get(manager, `${A}&breakdown=insurance`);
    expect(insurance.breakdown!.groups.find((g) => g.key === 'medicaid')?.participants).toBe(1);
    const sex = await get(manager, `${A}&breakdown=sex`);
    expect(sex.breakdown!.groups.find((g) => g.key === 'female')?.participants).toBe(1);
    expect(sex.breakdown!.groups.find((g) => g.key === 'not_recorded')?.participants).toBe(sex.participants! - 1);
  });

  it('without a breakdown there are no groups; an unknown breakdown is 400 naming the field', async () => {
    const r = await get(manager, A);
    expect(r.breakdown).toBeUndefined();
    expect(figure(r, 'linkage', 'window_7').groups).toBeUndefined();
    const bad = await manager.get(`/api/v1/measures?${A}&breakdown=zip`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { fields: { path: string }[] } }>().error.fields.map((f) => f.path)).toEqual(['query.breakdown']);
  });

  it('for a role without record access: every group under 11 hidden, and what would give it away', async () => {
    const small = await get(admin, `${A}&breakdown=race`);
    expect(small.suppressed).toBe(true);
    expect(small.breakdown!.groups.every((g) => g.participants === null)).toBe(true);
    const w7 = figure(small, 'linkage', 'window_7');
    expect(w7).toMatchObject({ numerator: null, denominator: null, rate: null, suppressed: true });
    expect(w7.groups!.every((g) => g.numerator === null && g.denominator === null && g.rate === null && g.suppressed)).toBe(true);

    // 13 more white and 11 more Asian participants enrolled in February (linkage index: enrollment, none linked).
    for (const [race, n] of [['white', 13], ['asian', 11]] as const) {
      for (let i = 0; i < n; i++) {
        const id = await buildParticipant(t.db, { organizationId: deck.organizationId, createdBy: deck.coach.id });
        await set(id, { race: [race] });
        await buildEpisode(t.db, { organizationId: deck.organizationId, participantId: id, createdBy: deck.coach.id, programId: deck.programId, siteId: deck.siteA, assignedCoachUserId: deck.coach.id, startDate: '2026-02-01' });
      }
    }
    const r = await get(admin, `${A}&breakdown=race`);
    const people = Object.fromEntries(r.breakdown!.groups.map((g) => [g.key, g.participants]));
    expect(people).toEqual({ american_indian_or_alaska_native: null, asian: 12, black_or_african_american: null, native_hawaiian_or_pacific_islander: null, white: 15, two_or_more: null, prefer_not_to_say: null, not_recorded: null });
    expect(r.participants).toBe(34);

    const f = figure(r, 'linkage', 'window_7'); // 2 of 30: white 1 of 15, Asian 0 of 12
    expect(f).toMatchObject({ numerator: null, denominator: 30, rate: null, suppressed: true });
    expect(byGroup(f)).toEqual({
      american_indian_or_alaska_native: [null, null],
      asian: [null, 12],
      black_or_african_american: [null, null],
      native_hawaiian_or_pacific_islander: [null, null],
      white: [null, 15],
      two_or_more: [null, null],
      prefer_not_to_say: [null, null],
      not_recorded: [null, null],
    });
    // Nothing visible pins a hidden numerator down: the shown denominators of the hidden groups
    // leave 3 people over 6 groups, and the hidden numerators only their unknown sum.
    const full = await get(manager, `${A}&breakdown=race`);
    expect(byGroup(figure(full, 'linkage', 'window_7'))).toMatchObject({ white: [1, 15], asian: [0, 12] });
  });

  it('group rules on their own', () => {
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
    const d = { race: [] as string[], ethnicity: null, sexAtBirth: null, dateOfBirth: null, insuranceType: null };
    expect(groupOf('race', { ...d, race: ['asian', 'white', 'prefer_not_to_say'] }, '2026-01-01')).toBe('two_or_more');
    expect(groupOf('race', { ...d, race: ['asian', 'asian'] }, '2026-01-01')).toBe('asian');
    expect(groupOf('age_band', { ...d, dateOfBirth: '2008-01-01' }, '2026-01-01')).toBe('18_25');
    expect(groupOf('age_band', { ...d, dateOfBirth: '2026-03-01' }, '2026-01-01')).toBe('not_recorded');
    expect(groupOf('age_band', { ...d, dateOfBirth: '1961-01-02' }, '2026-01-01')).toBe('55_64');
    expect(groupOf('insurance', d, '2026-01-01')).toBe('not_recorded');
    expect(groupOf('ethnicity', undefined, '2026-01-01')).toBe('not_recorded');
  });
});

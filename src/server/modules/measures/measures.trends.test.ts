/**
 * Monthly trends through HTTP on the measure deck (test/helpers/measures.ts), on both databases:
 * each unit in the month of its own date with its full window, the months adding up to the
 * period's figure; event rates month by month; bad figures named; small cells hidden with their
 * complements for a role without record access.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeasuresResponse, MeasureTrendsResponse } from '../../../contracts/measures.js';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/helpers/app.js';
import { buildDeck, type Deck } from '../../../../test/helpers/measures.js';
import { buildUser } from '../../../../test/helpers/factories.js';
import { monthsOf, suppressSeries } from './measures.trends.js';

const A = 'from=2026-01-01&to=2026-06-30';

describe('measure trends', () => {
  let t: TestApp;
  let deck: Deck;
  let manager: TestClient;
  beforeAll(async () => {
    t = await createTestApp();
    deck = await buildDeck(t);
    manager = await deck.as(deck.manager);
  });
  afterAll(() => t.close());

  const trends = async (client: TestClient, query: string): Promise<MeasureTrendsResponse> => {
    const res = await client.get(`/api/v1/measures/trends?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<MeasureTrendsResponse>();
  };

  it('gives the default figures month by month; shares by the month of their index event, adding up to the whole', async () => {
    const r = await trends(manager, A);
    expect(r.months.map((m) => m.month)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']);
    expect(r.series.map((s) => `${s.measureId}.${s.figure}`)).toEqual(['linkage.window_30', 'contacts_per_month.contacts', 'outreach_success.success']);
    const linkage = r.series[0]!;
    const by = Object.fromEntries(linkage.points.map((p) => [p.month, [p.numerator, p.denominator]]));
    // Feb: P1 and P2 (ED 02-01, both linked); Mar: P3 (not linked); Apr: P4 (enrollment, OTP) and P6 (no treatment); Jun: P5 pending.
    expect(by).toEqual({ '2026-01': [0, 0], '2026-02': [2, 2], '2026-03': [0, 1], '2026-04': [1, 2], '2026-05': [0, 0], '2026-06': [0, 0] });
    expect(linkage.points[1]!.rate).toBe(1);
    expect(linkage.points[0]!.rate).toBeNull();
    const whole = (await manager.get(`/api/v1/measures?${A}`)).json<MeasuresResponse>();
    const w30 = whole.measures.find((m) => m.id === 'linkage')!.figures.find((f) => f.key === 'window_30')!;
    expect(linkage.points.reduce((n, p) => n + p.numerator!, 0)).toBe(w30.numerator);
    expect(linkage.points.reduce((n, p) => n + p.denominator!, 0)).toBe(w30.denominator);
  });

  it('event rates month by month: contacts of the month over participant-months of the month', async () => {
    const r = await trends(manager, `${A}&figures=contacts_per_month.contacts,ed_follow_up.excluded_admission`);
    const contacts = r.series[0]!;
    expect(contacts.kind).toBe('event_rate');
    expect(contacts.per).toBe(1);
    const april = contacts.points.find((p) => p.month === '2026-04')!;
    expect(april.numerator).toBe(1); // P6's call on 04-08 (local)
    expect(april.denominator).toBeGreaterThan(5);
    expect(contacts.points.find((p) => p.month === '2026-02')!.numerator).toBe(2); // P1's and P2's bedside contacts on 02-01
    const whole = (await manager.get(`/api/v1/measures?${A}`)).json<MeasuresResponse>();
    expect(contacts.points.reduce((n, p) => n + p.numerator!, 0)).toBe(whole.measures.find((m) => m.id === 'contacts_per_month')!.figures[0]!.numerator);
    expect(r.series[1]!.points.find((p) => p.month === '2026-03')).toMatchObject({ numerator: 1, denominator: null }); // P3's visit
  });

  it('names bad figures in query.figures', async () => {
    const field = async (q: string) => {
      const res = await manager.get(`/api/v1/measures/trends?${A}&figures=${q}`);
      expect(res.statusCode, res.body).toBe(400);
      return res.json<{ error: { fields: { path: string }[] } }>().error.fields.map((f) => f.path);
    };
    expect(await field('linkage.window_99')).toEqual(['query.figures']);
    expect(await field('readmissions.rate')).toEqual(['query.figures']);
    expect(await field('ed_response_time.median_minutes')).toEqual(['query.figures']);
    expect(await field('nodot')).toEqual(['query.figures.0']);
  });

  it('hides small months, and the months beside them, for a role without record access', async () => {
    const admin = await deck.as(await buildUser(t.db, { organizationId: deck.organizationId, roles: ['admin'] }));
    const r = await trends(admin, A);
    expect(r.suppressed).toBe(true);
    expect(r.series[0]!.points.every((p) => p.numerator === null && p.rate === null && p.suppressed)).toBe(true);
    // A table of months: 12 of 20 in one month, 3 of 4 in another; the small month hides, and so does a complement.
    const points = [
      { month: '2026-01', numerator: 12, denominator: 20, rate: 0.6, lower: null, upper: null, suppressed: false },
      { month: '2026-02', numerator: 3, denominator: 4, rate: 0.75, lower: null, upper: null, suppressed: false },
      { month: '2026-03', numerator: 15, denominator: 30, rate: 0.5, lower: null, upper: null, suppressed: false },
    ];
    const s = suppressSeries('share', points);
    expect(s[1]).toMatchObject({ numerator: null, rate: null, suppressed: true });
    expect(s.filter((p) => p.numerator === null).length).toBeGreaterThanOrEqual(2);
  });

  it('cuts a period into calendar months, clipping the ends', () => {
    expect(monthsOf({ from: '2024-01-15', to: '2024-03-10' })).toEqual([
      { month: '2024-01', from: '2024-01-15', to: '2024-01-31' },
      { month: '2024-02', from: '2024-02-01', to: '2024-02-29' },
      { month: '2024-03', from: '2024-03-01', to: '2024-03-10' },
    ]);
  });
});

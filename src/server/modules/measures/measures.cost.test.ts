/**
 * The cost model (measure 9) through HTTP on the measure deck, on both databases: an admin sets the
 * program's unit costs and baseline (checked by the contract and the database), the estimate uses
 * the recorded durations and the ED revisit measure, the settings used come back as its
 * assumptions, nothing without settings, and amounts resting on small counts are hidden from a
 * role without record access.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeasureFigure, MeasuresResponse } from '../../../contracts/measures.js';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/helpers/app.js';
import { buildDeck, type Deck } from '../../../../test/helpers/measures.js';
import { buildProgram, buildUser } from '../../../../test/helpers/factories.js';
import { computeCostModel } from './measures.cost.js';

const A = 'from=2026-01-01&to=2026-06-30';

describe('cost model', () => {
  let t: TestApp;
  let deck: Deck;
  let manager: TestClient;
  let admin: TestClient;
  beforeAll(async () => {
    t = await createTestApp();
    deck = await buildDeck(t);
    manager = await deck.as(deck.manager);
    admin = await deck.as(await buildUser(t.db, { organizationId: deck.organizationId, roles: ['admin'] }));
    // Durations: P1's bedside 30 minutes, P2's 45, P6's call 15 — 1.5 hours; the rest not recorded.
    await t.db.updateTable('encounters').set({ duration_minutes: 30 }).where('id', '=', deck.ids.p1_ed_bedside!).execute();
    await t.db.updateTable('encounters').set({ duration_minutes: 45 }).where('id', '=', deck.ids.p2_ed_bedside!).execute();
    await t.db.updateTable('encounters').set({ duration_minutes: 15 }).where('id', '=', deck.ids.p6_call!).execute();
  });
  afterAll(() => t.close());

  const get = async (client: TestClient, query: string): Promise<MeasuresResponse> => {
    const res = await client.get(`/api/v1/measures?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<MeasuresResponse>();
  };
  const costOf = (r: MeasuresResponse) => Object.fromEntries(r.measures.find((m) => m.id === 'cost_model')!.figures.map((f) => [f.key, f])) as Record<string, MeasureFigure>;

  it('shows peer hours but no amounts until the program sets its costs', async () => {
    const r = await get(manager, `${A}&programId=${deck.programId}`);
    const c = costOf(r);
    expect(c.peer_hours).toMatchObject({ kind: 'amount', unit: 'hours', rate: 1.5, denominator: 3 });
    expect(c.program_cost!.rate).toBeNull();
    expect(c.costs_avoided!.rate).toBeNull();
    expect(r.measures.find((m) => m.id === 'cost_model')!.definition.summary).toMatch(/estimate/);
  });

  it('an admin sets the costs on the program (checked), and the estimate follows', async () => {
    const program = await admin.get(`/api/v1/programs/${deck.programId}`);
    const version = program.json<{ version: number }>().version;
    for (const [body, field] of [[{ edVisitCostCents: -1 }, 'edVisitCostCents'], [{ peerHourCostCents: 12.5 }, 'peerHourCostCents'], [{ baselineEdRevisitPercent: 101 }, 'baselineEdRevisitPercent']] as const) {
      const bad = await admin.patch(`/api/v1/programs/${deck.programId}`, { version, ...body });
      expect(bad.statusCode, bad.body).toBe(400);
      expect(bad.json<{ error: { fields: { path: string }[] } }>().error.fields.map((f) => f.path)).toEqual([field]);
    }
    const res = await admin.patch(`/api/v1/programs/${deck.programId}`, { version, edVisitCostCents: 120_000, inpatientDayCostCents: 250_000, peerHourCostCents: 3_000, baselineEdRevisitPercent: 25 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ edVisitCostCents: 120_000, inpatientDayCostCents: 250_000, peerHourCostCents: 3_000, baselineEdRevisitPercent: 25 });

    const r = await get(manager, `${A}&programId=${deck.programId}`);
    const c = costOf(r);
    expect(c.program_cost).toMatchObject({ unit: 'currency', rate: 45 }); // 1.5 h × $30
    // Index ED visits with a peer at the bedside: P1 and P2 (02-01), neither back within 30 days.
    expect(c.expected_revisits).toMatchObject({ rate: 0.5, numerator: 0, denominator: 2 });
    expect(c.revisits_avoided!.rate).toBe(0.5);
    expect(c.costs_avoided!.rate).toBe(600); // 0.5 × $1,200
    expect(c.net_cost!.rate).toBe(-555);
    expect(r.measures.find((m) => m.id === 'cost_model')!.parameters).toEqual({ edVisitCostCents: 120_000, inpatientDayCostCents: 250_000, peerHourCostCents: 3_000, baselineEdRevisitPercent: 25 });
    // The only program of the organization is used without a program filter.
    expect(costOf(await get(manager, A)).program_cost!.rate).toBe(45);
  });

  it('with several programs and none chosen there is no estimate; the database refuses values out of range', async () => {
    await buildProgram(t.db, deck.organizationId);
    expect(costOf(await get(manager, A)).program_cost!.rate).toBeNull();
    await expect(t.db.updateTable('programs').set({ baseline_ed_revisit_percent: 120 }).where('id', '=', deck.programId).execute()).rejects.toThrow();
    await expect(t.db.updateTable('programs').set({ peer_hour_cost_cents: -5 }).where('id', '=', deck.programId).execute()).rejects.toThrow();
  });

  it('hides amounts that rest on counts under 11 from a role without record access', async () => {
    const c = costOf(await get(admin, `${A}&programId=${deck.programId}`));
    for (const f of Object.values(c)) expect(f).toMatchObject({ rate: null, numerator: null, denominator: null, suppressed: true });
  });

  it('arithmetic on its own: more revisits than the baseline give a negative saving', () => {
    const revisits = { windows: [{ days: 30, numerator: 5, denominator: 20 }] } as never;
    const r = computeCostModel([{ contacts: [{ id: 'e', on: '2026-01-02', type: 'check_in', reached: true, minutes: 90 }] }], { from: '2026-01-01', to: '2026-01-31' }, revisits, { edVisitCostCents: 100_000, inpatientDayCostCents: null, peerHourCostCents: 2_000, baselineEdRevisitPercent: 10 });
    expect(r).toMatchObject({ peerHours: 1.5, programCost: 30, expectedRevisits: 2, revisitsAvoided: -3, costsAvoided: -3000, netCost: 3030 });
  });
});

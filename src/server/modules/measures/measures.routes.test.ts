/**
 * The measures through HTTP on real tables (test/helpers/measures.ts builds the deck, in Chicago
 * time): the figures equal what the rules give by hand — day 7 against day 8, the bedside
 * encounter that is not follow-up, an admission that excludes a visit, a second visit inside 31
 * days, the look-back that tells a new MOUD start from a refill, and two facts whose local date
 * is a day before their UTC date. Then scope (a supervisor's teams), small-cell suppression for
 * admins, the drill-down with names and its audit, and bad input naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeasureCasesResponse, MeasureFigure, MeasuresResponse } from '../../../contracts/measures.js';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/helpers/app.js';
import { buildDeck, type Deck } from '../../../../test/helpers/measures.js';
import { buildOrganization, buildProgram, buildUser } from '../../../../test/helpers/factories.js';

const A = 'from=2026-01-01&to=2026-06-30';
const B = 'from=2026-01-01&to=2026-12-31';

interface ErrorJson {
  error: { code: string; fields?: { path: string }[] };
}

describe('measures API', () => {
  let t: TestApp;
  let deck: Deck;
  let manager: TestClient;
  beforeAll(async () => {
    t = await createTestApp();
    deck = await buildDeck(t);
    manager = await deck.as(deck.manager);
  });
  afterAll(() => t.close());

  const measures = async (client: TestClient, query: string): Promise<MeasuresResponse> => {
    const res = await client.get(`/api/v1/measures?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<MeasuresResponse>();
  };
  const figure = (r: MeasuresResponse, measure: string, key: string): MeasureFigure => {
    const f = r.measures.find((m) => m.id === measure)?.figures.find((x) => x.key === key);
    if (!f) throw new Error(`no figure ${measure}.${key}`);
    return f;
  };
  const nd = (f: MeasureFigure) => [f.numerator, f.denominator];

  it('gives every measure with its definition and the parameters used', async () => {
    const r = await measures(manager, A);
    expect(r.measures.map((m) => m.id)).toEqual(['linkage', 'ed_follow_up', 'moud_continuity', 'retention', 'use_and_overdose', 'ed_revisits', 'recovery_capital', 'contacts_per_month', 'outreach_success', 'referrals_by_status', 'referral_to_visit', 'ed_response_time', 'federal_follow_up', 'cost_model']);
    expect(r).toMatchObject({ period: { from: '2026-01-01', to: '2026-06-30' }, timeZone: 'America/Chicago', scope: 'organization', suppressed: false, participants: 10 });
    const linkage = r.measures[0]!;
    expect(linkage.definition.numerator).toContain('day 0 through day N');
    expect(linkage.parameters).toEqual({ windows: [7, 30] });
  });

  it('linkage: local day 7 counts in 7 days (it is day 8 in UTC), day 8 only in 30; the 30-day window of a late visit is pending', async () => {
    const r = await measures(manager, A);
    const w7 = figure(r, 'linkage', 'window_7');
    expect(nd(w7)).toEqual([2, 6]); // P1 (induction, day 7 locally) and P4 (OTP, day 4 after enrollment) of P1–P6
    expect(w7.rate).toBeCloseTo(2 / 6, 10);
    expect(w7.lower).toBeGreaterThan(0);
    expect(w7.upper).toBeLessThan(1);
    const w30 = figure(r, 'linkage', 'window_30');
    expect(nd(w30)).toEqual([3, 5]); // + P2's fill on day 8; P5 (ED 06-20) pending
    expect(w30.pending).toBe(1);
  });

  it('follow-up after an ED visit: the bedside encounter is not follow-up; an admission excludes; one visit per 31 days; the last 30 days left out', async () => {
    const r = await measures(manager, A);
    expect(nd(figure(r, 'ed_follow_up', 'window_7'))).toEqual([2, 4]); // P1 (day 7 locally), P6's first visit (call on local day 7) of P1, P2, P6 ×2
    expect(nd(figure(r, 'ed_follow_up', 'window_30'))).toEqual([3, 4]); // + P2 (fill on day 8)
    expect(figure(r, 'ed_follow_up', 'excluded_admission').numerator).toBe(1); // P3
    expect(figure(r, 'ed_follow_up', 'excluded_duplicate').numerator).toBe(1); // P6 04-20
    expect(figure(r, 'ed_follow_up', 'excluded_incomplete_window').numerator).toBe(1); // P5 06-20
  });

  it('MOUD continuity: a 7-day gap passes, an 8-day gap fails, a refill after a fill before the period is no start, a late start is in progress', async () => {
    const r = await measures(manager, B);
    const f = figure(r, 'moud_continuity', 'continuity');
    expect(nd(f)).toEqual([2, 3]); // P2 and P4 (OTP) of P2, P4, P7
    expect(f.inProgress).toBe(1); // P5
  });

  it('recovery capital, return to use and overdose, referrals and ED response time from their rows', async () => {
    const r = await measures(manager, A);
    expect(figure(r, 'recovery_capital', 'mean_change')).toMatchObject({ denominator: 2, rate: 4.5 });
    expect(nd(figure(r, 'recovery_capital', 'crossing'))).toEqual([1, 2]);
    expect(figure(r, 'use_and_overdose', 'return_to_use.total').numerator).toBe(1);
    expect(figure(r, 'use_and_overdose', 'return_to_use.first').numerator).toBe(1);
    expect(figure(r, 'use_and_overdose', 'overdose_non_fatal.total').numerator).toBe(1);
    expect(figure(r, 'use_and_overdose', 'overdose_fatal.total').numerator).toBe(0);
    expect(figure(r, 'referrals_by_status', 'total').numerator).toBe(1);
    expect(figure(r, 'referrals_by_status', 'status.requested').numerator).toBe(1);
    expect(figure(r, 'ed_response_time', 'median_minutes')).toMatchObject({ denominator: 2, rate: 25, missing: 5 });
  });

  it('filters by site and by population; parameters change the windows', async () => {
    const siteB = await measures(manager, `${A}&siteId=${deck.siteB}`);
    expect(nd(figure(siteB, 'ed_follow_up', 'window_7'))).toEqual([1, 2]); // P6 only
    const veterans = await measures(manager, `${A}&population=veteran`);
    expect(nd(figure(veterans, 'linkage', 'window_7'))).toEqual([1, 1]); // P4
    const params = encodeURIComponent(JSON.stringify({ linkage: { windows: [14, 7] } }));
    const custom = await measures(manager, `${A}&parameters=${params}`);
    expect(custom.measures[0]!.parameters).toEqual({ windows: [7, 14] });
    expect(nd(figure(custom, 'linkage', 'window_14'))).toEqual([3, 5]); // P5's 14-day window ends 07-04: pending
  });

  it("a supervisor's figures cover their teams' participants only", async () => {
    const r = await measures(await deck.as(deck.supervisor), A);
    expect(r.scope).toBe('team');
    expect(nd(figure(r, 'ed_follow_up', 'window_7'))).toEqual([1, 2]); // P1, P2: P6 is at site B with another team's coach
    const cases = await manager.get(`/api/v1/measures/ed_follow_up/cases?${A}`);
    expect(cases.json<MeasureCasesResponse>().cases.some((c) => c.participantId === deck.p.p6)).toBe(true);
    const theirs = await (await deck.as(deck.supervisor)).get(`/api/v1/measures/ed_follow_up/cases?${A}`);
    expect(theirs.json<MeasureCasesResponse>().cases.some((c) => c.participantId === deck.p.p6)).toBe(false);
  });

  it('an admin gets aggregates with every count under 11 hidden, and no drill-down', async () => {
    const admin = await buildUser(t.db, { organizationId: deck.organizationId, roles: ['admin'] });
    const client = await deck.as(admin);
    const r = await measures(client, A);
    expect(r.suppressed).toBe(true);
    expect(r.participants).toBeNull();
    expect(figure(r, 'linkage', 'window_7')).toMatchObject({ numerator: null, denominator: null, rate: null, lower: null, upper: null, suppressed: true });
    expect(figure(r, 'referrals_by_status', 'total')).toMatchObject({ numerator: null, suppressed: true });
    expect((await client.get(`/api/v1/measures/linkage/cases?${A}`)).statusCode).toBe(403);
  });

  it('drills from the 7-day linkage numerator to its participants, with names, and audits the read', async () => {
    const res = await manager.get(`/api/v1/measures/linkage/cases?${A}&figure=window_7&set=numerator`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<MeasureCasesResponse>();
    expect(body.total).toBe(2);
    expect(body.cases.map((c) => [c.participantId, c.unitKind, c.on])).toEqual([
      [deck.p.p1, 'ed_visit', '2026-02-01'],
      [deck.p.p4, 'enrollment', '2026-04-01'],
    ]);
    const p1 = body.cases[0]!;
    expect(p1.participantName).toBe('Ada Deckone');
    // The induction at 21:30 on Feb 8 in Chicago (03:30 UTC on Feb 9) is day 7.
    expect(p1.related).toEqual({ kind: 'appointment', id: deck.ids.p1_induction, on: '2026-02-08', day: 7 });
    expect(p1.figures).toEqual([
      { key: 'window_7', membership: 'numerator' },
      { key: 'window_30', membership: 'numerator' },
    ]);
    await t.auditReads.flush();
    const events = await t.db.selectFrom('audit_events').select(['action', 'target_ids', 'details']).where('organization_id', '=', deck.organizationId).where('action', '=', 'participant.read').execute();
    const drill = events.find((e) => e.details.includes('measure_cases') && e.details.includes('"measureId":"linkage"'));
    expect(drill).toBeDefined();
    expect(JSON.parse(drill!.target_ids)).toEqual([deck.p.p1, deck.p.p4]);
    expect(drill!.details).not.toContain('Ada');
    const aggregate = await t.db.selectFrom('audit_events').select(['details']).where('organization_id', '=', deck.organizationId).where('action', '=', 'measures.read').execute();
    expect(aggregate.length).toBeGreaterThan(0);
    expect(JSON.parse(aggregate[0]!.details)).toMatchObject({ from: '2026-01-01', to: '2026-06-30', scope: 'organization' });
  });

  it('lists excluded ED visits with the reason', async () => {
    const res = await manager.get(`/api/v1/measures/ed_follow_up/cases?${A}`);
    const cases = res.json<MeasureCasesResponse>().cases;
    expect(cases.find((c) => c.unitId === deck.ids.p3_ed)).toMatchObject({ exclusion: 'admission', figures: [{ key: 'excluded_admission', membership: 'numerator' }] });
    expect(cases.find((c) => c.unitId === deck.ids.p2_ed)).toMatchObject({ related: { kind: 'moud_fill', id: deck.ids.p2_fill, day: 8 } });
  });

  it("a supervisor's drill-down names only the people they may open; someone discharged since is listed by id", async () => {
    await t.db.updateTable('episodes').set({ status: 'discharged', discharge_date: '2026-10-01', discharge_reason: 'goals_met' }).where('participant_id', '=', deck.p.p2).execute();
    try {
      const res = await (await deck.as(deck.supervisor)).get(`/api/v1/measures/linkage/cases?${A}`);
      const cases = res.json<MeasureCasesResponse>().cases;
      expect(cases.find((c) => c.participantId === deck.p.p1)?.participantName).toBe('Ada Deckone');
      expect(cases.find((c) => c.participantId === deck.p.p2)).toMatchObject({ participantName: null, unitKind: 'ed_visit' });
    } finally {
      await t.db.updateTable('episodes').set({ status: 'active', discharge_date: null, discharge_reason: null }).where('participant_id', '=', deck.p.p2).execute();
    }
  });

  describe('bad input names the field', () => {
    const fieldOf = async (url: string) => {
      const res = await manager.get(url);
      expect(res.statusCode, res.body).toBe(400);
      return res.json<ErrorJson>().error.fields?.map((f) => f.path);
    };

    it('an end before the start, a period over 5 years, a missing date', async () => {
      expect(await fieldOf('/api/v1/measures?from=2026-06-30&to=2026-01-01')).toEqual(['query.to']);
      expect(await fieldOf('/api/v1/measures?from=2020-01-01&to=2025-01-01')).toEqual(['query.to']);
      expect(await fieldOf('/api/v1/measures?from=2026-01-01')).toEqual(['query.to']);
      expect((await manager.get('/api/v1/measures?from=2020-01-01&to=2024-12-31')).statusCode).toBe(200);
    });

    it("an unknown program, and another organization's program, get the same answer", async () => {
      const other = await buildOrganization(t.db);
      const theirs = await buildProgram(t.db, other.id);
      const unknown = await manager.get(`/api/v1/measures?${A}&programId=01936b2e-0000-7000-8000-000000000000`);
      const foreign = await manager.get(`/api/v1/measures?${A}&programId=${theirs}`);
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json<ErrorJson>().error.fields?.map((f) => f.path)).toEqual(['query.programId']);
      expect(foreign.json()).toEqual(unknown.json());
      expect(await fieldOf(`/api/v1/measures?${A}&siteId=01936b2e-0000-7000-8000-000000000000`)).toEqual(['query.siteId']);
    });

    it('a parameter out of range, an unknown one, and parameters that are not JSON', async () => {
      const q = (p: unknown) => `/api/v1/measures?${A}&parameters=${encodeURIComponent(typeof p === 'string' ? p : JSON.stringify(p))}`;
      expect(await fieldOf(q({ linkage: { windows: [7, 500] } }))).toEqual(['query.parameters.linkage.windows']);
      expect(await fieldOf(q({ recovery_capital: { threshold: 70 } }))).toEqual(['query.parameters.recovery_capital.threshold']);
      expect(await fieldOf(q({ linkage: { days: 3 } }))).toEqual(['query.parameters.linkage.days']);
      expect(await fieldOf(q('{linkage'))).toEqual(['query.parameters']);
    });

    it('an unknown measure is 404; an unknown figure is 400', async () => {
      const res = await manager.get(`/api/v1/measures/readmissions/cases?${A}`);
      expect(res.statusCode).toBe(404);
      expect(await fieldOf(`/api/v1/measures/linkage/cases?${A}&figure=window_99`)).toEqual(['query.figure']);
    });
  });
});

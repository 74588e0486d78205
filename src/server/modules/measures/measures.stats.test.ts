/**
 * The statistics and the day arithmetic of the measures engine against values computed
 * independently (sources cited at each case). Pure: no database.
 */
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, dayOf, mergeRuns, toDay, uncoveredRuns } from './measures.dates.js';
import { eventRate, kaplanMeier, median, poissonInterval, rateOf, survivalAt, wilsonInterval, type SurvivalObservation } from './measures.stats.js';

const round4 = (x: number | undefined | null) => (x === undefined || x === null ? x : Math.round(x * 10_000) / 10_000);
const ci4 = (i: { lower: number; upper: number } | null) => (i ? [round4(i.lower), round4(i.upper)] : null);

describe('Wilson 95% interval', () => {
  // Expected values computed independently with the closed form in Python 3
  // (z = statistics.NormalDist().inv_cdf(0.975) = 1.959963984540054), rounded to 4 places.
  it('0/10, 5/10, 10/10 and 65/100', () => {
    expect(ci4(wilsonInterval(0, 10))).toEqual([0, 0.2775]);
    expect(ci4(wilsonInterval(5, 10))).toEqual([0.2366, 0.7634]);
    expect(ci4(wilsonInterval(10, 10))).toEqual([0.7225, 1]);
    expect(ci4(wilsonInterval(65, 100))).toEqual([0.5525, 0.7364]);
  });

  it("matches Newcombe's published score intervals (Stat Med 1998;17:857–872, Table II, method 3)", () => {
    expect(ci4(wilsonInterval(81, 263))).toEqual([0.2553, 0.3662]);
    expect(ci4(wilsonInterval(15, 148))).toEqual([0.0624, 0.1605]);
    expect(ci4(wilsonInterval(0, 20))).toEqual([0, 0.1611]);
    expect(ci4(wilsonInterval(1, 29))).toEqual([0.0061, 0.1718]);
  });

  it('n = 0 gives a null rate and a null interval; bad counts are refused', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(rateOf([], [])).toEqual({ numerator: 0, denominator: 0, rate: null, interval: null, numeratorIds: [], denominatorIds: [] });
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
  });

  it('a rate keeps the ids behind its numerator and denominator', () => {
    const r = rateOf(['a'], ['a', 'b']);
    expect(r).toMatchObject({ numerator: 1, denominator: 2, rate: 0.5, numeratorIds: ['a'], denominatorIds: ['a', 'b'] });
    expect(ci4(r.interval)).toEqual([0.0945, 0.9055]);
  });
});

describe('exact Poisson interval and event rates', () => {
  // Expected values computed independently in Python 3 by bisection on the Poisson distribution
  // function (lower: P(X ≥ k; μ) = 0.025, upper: P(X ≤ k; μ) = 0.025); they agree with the
  // tabulated exact limits (e.g. 0 events → 0 to 3.689; 10 events → 4.795 to 18.390).
  it('matches the tabulated exact limits', () => {
    expect(ci4(poissonInterval(0))).toEqual([0, 3.6889]);
    expect(ci4(poissonInterval(1))).toEqual([0.0253, 5.5716]);
    expect(ci4(poissonInterval(2))).toEqual([0.2422, 7.2247]);
    expect(ci4(poissonInterval(5))).toEqual([1.6235, 11.6683]);
    expect(ci4(poissonInterval(10))).toEqual([4.7954, 18.3904]);
    expect(ci4(poissonInterval(20))).toEqual([12.2165, 30.8884]);
  });

  it('3 events in 10 participant-months (304.375 days) are 30 per 100, interval scaled the same', () => {
    const r = eventRate(['e1', 'e2', 'e3'], 304.375);
    expect(r.personMonths).toBeCloseTo(10, 10);
    expect(r.rate).toBeCloseTo(30, 10);
    const exact = poissonInterval(3);
    expect(r.interval!.lower).toBeCloseTo(exact.lower * 10, 10);
    expect(r.interval!.upper).toBeCloseTo(exact.upper * 10, 10);
    expect(r.eventIds).toEqual(['e1', 'e2', 'e3']);
  });

  it('no person-time: no rate', () => {
    expect(eventRate(['e1'], 0)).toMatchObject({ rate: null, interval: null, events: 1 });
  });
});

describe('median', () => {
  it('odd, even and empty', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe('Kaplan–Meier', () => {
  // The 6-MP arm of the leukaemia remission trial (Freireich EJ et al., Blood 1963;21:699–716),
  // the worked example of Kleinbaum DG & Klein M, Survival Analysis: A Self-Learning Text, ch. 2:
  // weeks in remission 6,6,6,7,10,13,16,22,23 (relapse) and 6+,9+,10+,11+,17+,19+,20+,25+,32+,
  // 32+,34+,35+ (censored). Published estimates: S(6) = 0.8571, S(7) = 0.8067, S(10) = 0.7529,
  // S(13) = 0.6902, S(16) = 0.6275, S(22) = 0.5378, S(23) = 0.4482; median 23 weeks (recomputed
  // by hand as the product 18/21 · 16/17 · 14/15 · 11/12 · 10/11 · 6/7 · 5/6).
  const events = [6, 6, 6, 7, 10, 13, 16, 22, 23];
  const censored = [6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 35];
  const obs: SurvivalObservation[] = [...events.map((t, i) => ({ id: `e${i}`, time: t, event: true })), ...censored.map((t, i) => ({ id: `c${i}`, time: t, event: false }))];
  const curve = kaplanMeier(obs);

  it('reproduces the published curve', () => {
    const at = (t: number) => curve.steps.find((s) => s.time === t)!;
    expect(curve.subjects).toBe(21);
    expect(curve.events).toBe(9);
    expect(at(6)).toEqual({ time: 6, atRisk: 21, events: 3, censored: 1, survival: expect.closeTo(18 / 21, 12) });
    expect(at(7).atRisk).toBe(17);
    expect(at(10)).toMatchObject({ atRisk: 15, events: 1, censored: 1 });
    expect(at(13).atRisk).toBe(12);
    expect(at(22).atRisk).toBe(7);
    expect([6, 7, 10, 13, 16, 22, 23].map((t) => round4(at(t).survival))).toEqual([0.8571, 0.8067, 0.7529, 0.6902, 0.6275, 0.5378, 0.4482]);
    expect(curve.median).toBe(23);
  });

  it('survival at a time between steps, before the first, and past the last follow-up', () => {
    expect(survivalAt(curve, 5)).toBe(1);
    expect(round4(survivalAt(curve, 12))).toBe(round4(at10()));
    expect(round4(survivalAt(curve, 35))).toBe(0.4482);
    expect(survivalAt(curve, 36)).toBeNull();
    function at10() {
      return curve.steps.find((s) => s.time === 10)!.survival;
    }
  });

  it('a curve that never falls to one half has no median; everyone lost gives 0', () => {
    expect(kaplanMeier([{ id: 'a', time: 3, event: true }, { id: 'b', time: 5, event: false }, { id: 'c', time: 8, event: false }]).median).toBeNull();
    const all = kaplanMeier([{ id: 'a', time: 1, event: true }, { id: 'b', time: 2, event: true }]);
    expect(all.median).toBe(1);
    expect(survivalAt(all, 10)).toBe(0);
    expect(kaplanMeier([])).toEqual({ subjects: 0, events: 0, steps: [], median: null });
  });
});

describe('local-date arithmetic', () => {
  it('counts days across a leap day and month ends', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2028-02-22', 7)).toBe('2028-02-29');
    expect(addDays('2028-02-22', 8)).toBe('2028-03-01');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(dayOf('2028-01-01', '2028-12-31')).toBe(365);
    expect(addDays('2028-01-01', 179)).toBe('2028-06-28');
  });

  it('adds months with month ends clamped (Aug 31 + 6 months is Feb 29 in a leap year)', () => {
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29');
    expect(addMonths('2028-08-31', 6)).toBe('2029-02-28');
    expect(addMonths('2028-03-31', 6)).toBe('2028-09-30');
  });

  it('refuses dates that are not on the calendar', () => {
    expect(() => toDay('2027-02-29')).toThrow(RangeError);
    expect(() => toDay('2028-13-01')).toThrow(RangeError);
    expect(() => toDay('28-01-01')).toThrow(RangeError);
    expect(toDay('2028-02-29') - toDay('2028-02-28')).toBe(1);
  });

  it('merges runs that touch and lists the uncovered days of a window', () => {
    expect(mergeRuns([{ first: 10, last: 12 }, { first: 1, last: 5 }, { first: 6, last: 8 }])).toEqual([{ first: 1, last: 8 }, { first: 10, last: 12 }]);
    expect(uncoveredRuns([{ first: 1, last: 8 }, { first: 10, last: 12 }], { first: 0, last: 15 })).toEqual([{ first: 0, last: 0 }, { first: 9, last: 9 }, { first: 13, last: 15 }]);
    expect(uncoveredRuns([], { first: 3, last: 4 })).toEqual([{ first: 3, last: 4 }]);
  });
});

/**
 * The statistics behind every measure result: a share with its Wilson 95% interval, an event rate
 * per 100 participant-months with its exact Poisson interval, medians, and the Kaplan–Meier
 * curve with censoring. Pure functions of numbers and ids; each result keeps the ids behind its
 * numerator and denominator so every figure can be drilled into.
 */
import { DAYS_PER_MONTH } from './measures.dates.js';

export interface Interval {
  lower: number;
  upper: number;
}

/** The standard normal quantile for a two-sided 95% interval (Φ⁻¹(0.975)). */
export const Z95 = 1.959963984540054;

/**
 * Wilson score interval for x successes out of n (Wilson EB, J Am Stat Assoc 1927;22:209–212;
 * Newcombe RG, Stat Med 1998;17:857–872, method 3). Unlike the textbook p ± z·SE it stays inside
 * [0, 1] and is not zero-width at 0/n or n/n. n = 0 has no rate and no interval: null.
 */
export function wilsonInterval(x: number, n: number, z = Z95): Interval | null {
  if (n <= 0) return null;
  if (x < 0 || x > n) throw new RangeError(`A share needs 0 ≤ x ≤ n (got ${x}/${n})`);
  const p = x / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  // Clamp the rounding dust at the ends (0/n must give exactly 0, n/n exactly 1).
  return { lower: x === 0 ? 0 : Math.max(0, centre - half), upper: x === n ? 1 : Math.min(1, centre + half) };
}

/** A share: how many of the denominator are in the numerator, with the ids of both. */
export interface RateResult {
  numerator: number;
  denominator: number;
  /** numerator / denominator; null when the denominator is empty. */
  rate: number | null;
  /** Wilson 95%; null when the denominator is empty. */
  interval: Interval | null;
  numeratorIds: string[];
  denominatorIds: string[];
}

/** Builds a share from the ids behind it (the numerator ids must be among the denominator's). */
export function rateOf(numeratorIds: readonly string[], denominatorIds: readonly string[]): RateResult {
  const n = denominatorIds.length;
  const x = numeratorIds.length;
  return { numerator: x, denominator: n, rate: n === 0 ? null : x / n, interval: wilsonInterval(x, n), numeratorIds: [...numeratorIds], denominatorIds: [...denominatorIds] };
}

// ---- event rates (Poisson)

// Lanczos approximation (g = 7, n = 9) of ln Γ(z), for z ≥ 0.5: about 15 significant digits.
const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
function lnGamma(z: number): number {
  const w = z - 1;
  let x = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) x += LANCZOS[i]! / (w + i);
  const t = w + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (w + 0.5) * Math.log(t) - t + Math.log(x);
}

/** The regularized lower incomplete gamma P(a, x) (series below a + 1, continued fraction above). */
function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const front = Math.exp(-x + a * Math.log(x) - lnGamma(a));
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let k = 1; k < 1000 && Math.abs(term) > Math.abs(sum) * 1e-16; k++) {
      term *= x / (a + k);
      sum += term;
    }
    return sum * front;
  }
  // Lentz's continued fraction for Q(a, x).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return 1 - front * h;
}

/** x with P(a, x) = p, by bisection (P is increasing in x). */
function gammaQuantile(p: number, a: number): number {
  let lo = 0;
  let hi = Math.max(1, a);
  while (gammaP(a, hi) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (gammaP(a, mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Exact (Garwood 1936) 95% interval for the mean of a Poisson count of k events: the lower end is
 * the 2.5% quantile of Gamma(k), the upper the 97.5% quantile of Gamma(k + 1); 0 events give a
 * lower end of 0.
 */
export function poissonInterval(k: number, alpha = 0.05): Interval {
  if (k < 0 || !Number.isInteger(k)) throw new RangeError(`An event count is a whole number ≥ 0 (got ${k})`);
  return { lower: k === 0 ? 0 : gammaQuantile(alpha / 2, k), upper: gammaQuantile(1 - alpha / 2, k + 1) };
}

/** Events per `per` participant-months, with the ids of the events behind it. */
export interface EventRateResult {
  events: number;
  personDays: number;
  /** personDays ÷ 30.4375. */
  personMonths: number;
  /** The rate is per this many participant-months (100 for outcomes, 1 for contacts). */
  per: number;
  /** Events per `per` participant-months; null without person-time. */
  rate: number | null;
  /** Exact Poisson 95%, on the same scale; null without person-time. */
  interval: Interval | null;
  eventIds: string[];
}

export function eventRate(eventIds: readonly string[], personDays: number, per = 100): EventRateResult {
  const events = eventIds.length;
  const personMonths = personDays / DAYS_PER_MONTH;
  const base = { events, personDays, personMonths, per, eventIds: [...eventIds] };
  if (personDays <= 0) return { ...base, rate: null, interval: null };
  const ci = poissonInterval(events);
  const scale = per / personMonths;
  return { ...base, rate: events * scale, interval: { lower: ci.lower * scale, upper: ci.upper * scale } };
}

/** The middle value (the mean of the two middle values for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

// ---- Kaplan–Meier

/** One subject: followed for `time` (days), ending in the event or censored. */
export interface SurvivalObservation {
  id: string;
  time: number;
  /** true: the event happened at `time`; false: censored (still event-free when last seen). */
  event: boolean;
}

export interface KmStep {
  time: number;
  /** Subjects still followed just before `time` (censored at `time` count as at risk). */
  atRisk: number;
  events: number;
  censored: number;
  /** S(t) just after `time`. */
  survival: number;
}

export interface KmCurve {
  subjects: number;
  events: number;
  /** One step per distinct time with an event or a censoring, in time order. */
  steps: KmStep[];
  /** The first time S(t) ≤ 0.5; null while the curve stays above one half. */
  median: number | null;
}

/**
 * The Kaplan–Meier product-limit estimate (Kaplan EL, Meier P, J Am Stat Assoc 1958;53:457–481):
 * S(t) = Π over event times tᵢ ≤ t of (1 − dᵢ / nᵢ). At a time with both, events come before
 * censorings (a subject censored at t was at risk at t).
 */
export function kaplanMeier(observations: readonly SurvivalObservation[]): KmCurve {
  const byTime = new Map<number, { events: number; censored: number }>();
  for (const o of observations) {
    if (!(o.time >= 0)) throw new RangeError(`A follow-up time is ≥ 0 (got ${o.time} for ${o.id})`);
    const at = byTime.get(o.time) ?? { events: 0, censored: 0 };
    if (o.event) at.events++;
    else at.censored++;
    byTime.set(o.time, at);
  }
  let atRisk = observations.length;
  let survival = 1;
  let medianTime: number | null = null;
  const steps: KmStep[] = [];
  for (const time of [...byTime.keys()].sort((a, b) => a - b)) {
    const { events, censored } = byTime.get(time)!;
    if (events > 0) survival *= 1 - events / atRisk;
    steps.push({ time, atRisk, events, censored, survival });
    if (medianTime === null && survival <= 0.5) medianTime = time;
    atRisk -= events + censored;
  }
  return { subjects: observations.length, events: observations.filter((o) => o.event).length, steps, median: medianTime };
}

/**
 * S(t): the survival after the last step at or before t (1 before the first event). Past the
 * longest follow-up the curve is not known (null), unless it already reached 0.
 */
export function survivalAt(curve: KmCurve, t: number): number | null {
  let s = 1;
  for (const step of curve.steps) {
    if (step.time > t) return s;
    s = step.survival;
  }
  const last = curve.steps[curve.steps.length - 1];
  return !last || (t > last.time && s > 0) ? null : s;
}

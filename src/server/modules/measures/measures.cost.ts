/**
 * 9. The cost model (issue 7: "program-set unit costs (ED visit, inpatient day, peer hour) give an
 * estimate of program cost and of costs avoided by fewer ED revisits, labeled as an estimate with
 * its assumptions on the page"). An estimate, never an accounting:
 *
 * - Peer hours: the recorded durations of the encounters (contacts and attempts) of the period,
 *   summed; encounters without a duration add nothing and are counted as missing, so the hours
 *   are a floor.
 * - Program cost: peer hours × the program's cost of a peer hour (supervision, travel, overhead
 *   only as far as the program folds them into that hourly cost).
 * - Revisits avoided: (the program's baseline 30-day ED revisit rate × the index ED visits of the
 *   ED revisit measure) − the revisits within 30 days observed; negative when there were more
 *   revisits than the baseline expects. It assumes the baseline describes people like these
 *   without peer support, and that the difference is the program's doing.
 * - Costs avoided: revisits avoided × the program's cost of an ED visit. Net: program cost − costs
 *   avoided.
 * - The cost of an inpatient day is kept with the program and shown with the assumptions, but
 *   not used yet: admissions carry no length of stay to multiply it by.
 * - Whose costs: the program chosen in the filters; without one, the organization's only program
 *   (with several, choose one). Without the costs set every amount is empty.
 */
import type { ParticipantFacts } from './measures.facts.js';
import type { EdRevisitResult } from './measures.compute.js';
import { inPeriod, type Period } from './measures.dates.js';

/** A program's cost settings (cents, percent); null where not set. */
export interface UnitCosts {
  edVisitCostCents: number | null;
  inpatientDayCostCents: number | null;
  peerHourCostCents: number | null;
  baselineEdRevisitPercent: number | null;
}

export interface CostModelResult {
  costs: UnitCosts | null;
  peerHours: number;
  encountersWithDuration: number;
  encountersWithoutDuration: number;
  /** The ED revisit window the estimate uses (30 days when the measure has it). */
  revisitWindowDays: number | null;
  indexVisits: number;
  observedRevisits: number;
  /** Currency amounts (not cents); null where a cost or the baseline is not set. */
  programCost: number | null;
  expectedRevisits: number | null;
  revisitsAvoided: number | null;
  costsAvoided: number | null;
  netCost: number | null;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export function computeCostModel(people: readonly Pick<ParticipantFacts, 'contacts'>[], period: Period, revisits: EdRevisitResult, costs: UnitCosts | null): CostModelResult {
  let minutes = 0;
  let withDuration = 0;
  let without = 0;
  for (const p of people) {
    for (const c of p.contacts) {
      if (!inPeriod(c.on, period)) continue;
      if (c.minutes !== null && c.minutes !== undefined && c.minutes >= 0) {
        minutes += c.minutes;
        withDuration++;
      } else without++;
    }
  }
  const window = revisits.windows.find((w) => w.days === 30) ?? revisits.windows[0];
  const indexVisits = window?.denominator ?? 0;
  const observedRevisits = window?.numerator ?? 0;
  const peerHours = round(minutes / 60, 2);
  const programCost = costs?.peerHourCostCents != null ? round((peerHours * costs.peerHourCostCents) / 100, 2) : null;
  const expectedRevisits = costs?.baselineEdRevisitPercent != null && window ? round((costs.baselineEdRevisitPercent / 100) * indexVisits, 2) : null;
  const revisitsAvoided = expectedRevisits === null ? null : round(expectedRevisits - observedRevisits, 2);
  const costsAvoided = revisitsAvoided !== null && costs?.edVisitCostCents != null ? round((revisitsAvoided * costs.edVisitCostCents) / 100, 2) : null;
  const netCost = programCost !== null && costsAvoided !== null ? round(programCost - costsAvoided, 2) : null;
  return {
    costs,
    peerHours,
    encountersWithDuration: withDuration,
    encountersWithoutDuration: without,
    revisitWindowDays: window?.days ?? null,
    indexVisits,
    observedRevisits,
    programCost,
    expectedRevisits,
    revisitsAvoided,
    costsAvoided,
    netCost,
  };
}

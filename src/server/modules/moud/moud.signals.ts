/**
 * The caseload signal of MOUD access: `refill_due` — an active medication whose next refill is due
 * within `REFILL_DUE_SOON_DAYS` (3) days or overdue. One query per batch: each course keeps its
 * `next_refill_due` (recomputed on every fill), so this is an index range on
 * (organization_id, participant_id, status, next_refill_due). Listed in caseload/signals.ts.
 */
import { REFILL_DUE_SOON_DAYS } from '../../../contracts/moud.js';
import type { CaseloadSignal, SignalHit } from '../caseload/signals.js';
import { addDays, daysBetween } from '../caseload/dates.js';
import { refillsDueBy } from './moud.repository.js';

export const refillDueSignal: CaseloadSignal = {
  key: 'refill_due',
  weight: 20,
  async compute(db, input) {
    const due = await refillsDueBy(db, input.organizationId, input.participantIds, addDays(input.today, REFILL_DUE_SOON_DAYS));
    // detail: the date, and days until it (0 today, negative when overdue).
    return new Map([...due].map(([id, dueOn]): [string, SignalHit] => [id, { key: 'refill_due', detail: { dueOn, daysLeft: daysBetween(input.today, dueOn) } }]));
  },
};

/**
 * The caseload signal of check-in alerts: `check_in_alert` — an open to-do of kind `alert` (high
 * cravings, MOUD missed twice, use or an overdose reported, a sharp BARC-10 drop). It clears with
 * the to-do, when a contact that reached the person is logged. One query per batch. Listed in
 * caseload/signals.ts.
 */
import type { CaseloadSignal, SignalHit } from '../caseload/signals.js';
import { daysBetween } from '../caseload/dates.js';
import { openAlerts } from './checkins.repository.js';

export const checkInAlertSignal: CaseloadSignal = {
  key: 'check_in_alert',
  weight: 45,
  async compute(db, input) {
    const open = await openAlerts(db, input.organizationId, input.participantIds);
    return new Map([...open].map(([id, a]): [string, SignalHit] => [id, { key: 'check_in_alert', detail: { count: a.count, since: a.since, daysAgo: daysBetween(a.since, input.today) } }]));
  },
};

/**
 * The caseload signals of appointments, both from ONE query per batch (shared):
 * - `appointment_soon` (weight 15): a scheduled appointment starting within the next 48 hours;
 *   detail: the earliest start (an instant) and the hours until it.
 * - `appointment_missed` (weight 25): an appointment marked missed that started in the last 14
 *   local days and was not rescheduled; detail: its local date.
 * An index range on (organization_id, participant_id, starts_at). Listed in caseload/signals.ts.
 */
import type { CaseloadSignal, SignalHit, SignalInput } from '../caseload/signals.js';
import type { Executor } from '../../platform/db/database.js';
import { localDate } from '../../platform/time.js';
import { addDays } from '../caseload/dates.js';

export const SOON_HOURS = 48;
export const MISSED_DAYS = 14;

const recentAndSoon = (db: Executor, input: SignalInput) =>
  input.shared('appointments.recent_and_soon', async () => {
    const from = new Date(input.now.getTime() - (MISSED_DAYS + 1) * 86_400_000).toISOString();
    const to = new Date(input.now.getTime() + SOON_HOURS * 3_600_000).toISOString();
    const rows = await db
      .selectFrom('appointments')
      .select(['participant_id', 'starts_at', 'status', 'rescheduled_to_id'])
      .where('organization_id', '=', input.organizationId)
      .where('participant_id', 'in', input.participantIds)
      .where('starts_at', '>=', from)
      .where('starts_at', '<=', to)
      .where('status', 'in', ['scheduled', 'missed'])
      .orderBy('starts_at')
      .execute();
    return rows.map((r) => ({ participantId: r.participant_id, startsAt: new Date(r.starts_at).toISOString(), status: r.status, rescheduled: r.rescheduled_to_id !== null }));
  });

export const appointmentSoonSignal: CaseloadSignal = {
  key: 'appointment_soon',
  weight: 15,
  async compute(db, input) {
    const now = input.now.toISOString();
    const out = new Map<string, SignalHit>();
    for (const r of await recentAndSoon(db, input)) {
      if (r.status !== 'scheduled' || r.startsAt < now || out.has(r.participantId)) continue;
      out.set(r.participantId, { key: 'appointment_soon', detail: { startsAt: r.startsAt, hours: Math.floor((Date.parse(r.startsAt) - input.now.getTime()) / 3_600_000) } });
    }
    return out;
  },
};

export const appointmentMissedSignal: CaseloadSignal = {
  key: 'appointment_missed',
  weight: 25,
  async compute(db, input) {
    const since = addDays(input.today, -MISSED_DAYS);
    const out = new Map<string, SignalHit>();
    for (const r of await recentAndSoon(db, input)) {
      if (r.status !== 'missed' || r.rescheduled) continue;
      const on = localDate(new Date(r.startsAt), input.timeZone);
      if (on < since || on > input.today) continue;
      // The latest missed one wins (rows are in start order).
      out.set(r.participantId, { key: 'appointment_missed', detail: { on } });
    }
    return out;
  },
};

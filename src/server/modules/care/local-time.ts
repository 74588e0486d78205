/**
 * Local date and time → the UTC instant, in a time zone, safe across daylight-saving changes.
 * A time that does not exist (the hour skipped in spring) moves forward by the gap (02:30 → 03:30);
 * a time that happens twice (the hour repeated in autumn) is the first of the two. This is what
 * people mean ("at 1:30" on the night the clocks go back is the first 1:30) and what Temporal
 * calls 'compatible'.
 */

const DAY = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's offset from UTC at an instant, in milliseconds (New York in winter: -5 h). */
export function offsetAt(instantMs: number, timeZone: string): number {
  const parts = formatter(timeZone).formatToParts(new Date(instantMs));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return wall - Math.floor(instantMs / 1000) * 1000;
}

/** The instant a local date and time (HH:MM) names in a time zone (see the file comment). */
export function zonedToUtc(date: string, time: string, timeZone: string): Date {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  // The offsets a day either side: at most one change lies between them.
  const before = offsetAt(wall - DAY, timeZone);
  const after = offsetAt(wall + DAY, timeZone);
  const candidates = [wall - before, wall - after].filter((t) => offsetAt(t, timeZone) === wall - t);
  // Two valid readings: the repeated hour, take the earlier. None: the skipped hour, read it with
  // the offset before the change, which lands after the gap.
  const t = candidates.length ? Math.min(...candidates) : wall - before;
  return new Date(t);
}

/** The first instant of a local date (midnight, or later where a zone skips midnight). */
export const startOfLocalDay = (date: string, timeZone: string): Date => zonedToUtc(date, '00:00', timeZone);

/** The next calendar date (YYYY-MM-DD). */
export function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
}

/** The last instant (millisecond) of a local date: an event known only by its date happened no later. */
export const endOfLocalDay = (date: string, timeZone: string): Date => new Date(startOfLocalDay(nextDate(date), timeZone).getTime() - 1);

/** Time zones and local dates: dates that people see and that rules count in are local. */

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

// Building an Intl.DateTimeFormat costs ~50 µs; a caseload asks for dozens of local dates, so
// keep one formatter per zone (a deployment has a handful of zones).
const formatters = new Map<string, Intl.DateTimeFormat>();
function dateFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

function formatDate(instant: Date, timeZone: string): string {
  const parts = dateFormatter(timeZone).formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const DAY_MS = 86_400_000;
/** Per zone and UTC day: the zone's offset (ms) when it is the same all that day, or null. */
const dayOffsets = new Map<string, number | null>();
const MAX_OFFSETS = 50_000;

/** The zone's offset from UTC at an instant, in ms (whole minutes), from the formatter. */
function offsetAt(ms: number, timeZone: string): number {
  const f = offsetFormatter(timeZone);
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24, Number(p.minute), Number(p.second));
  return asUtc - Math.floor(ms / 1000) * 1000;
}
const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
function offsetFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = offsetFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    offsetFormatters.set(timeZone, f);
  }
  return f;
}

/**
 * The calendar date (YYYY-MM-DD) of an instant in a time zone. Lists ask for hundreds of these
 * (a supervisor's episodes, a caseload), and the formatter costs microseconds each: so the zone's
 * offset is kept per UTC day when it is the same at both ends of that day (no change of clocks
 * inside it), and the date is then plain arithmetic. Days with a change of clocks ask the
 * formatter every time.
 */
export function localDate(instant: Date, timeZone: string): string {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) return formatDate(instant, timeZone);
  const day = Math.floor(ms / DAY_MS);
  const key = `${timeZone}|${day}`;
  let offset = dayOffsets.get(key);
  if (offset === undefined) {
    const start = offsetAt(day * DAY_MS, timeZone);
    const end = offsetAt((day + 1) * DAY_MS - 1000, timeZone);
    offset = start === end ? start : null;
    if (dayOffsets.size >= MAX_OFFSETS) dayOffsets.clear();
    dayOffsets.set(key, offset);
  }
  if (offset === null) return formatDate(instant, timeZone);
  return new Date(ms + offset).toISOString().slice(0, 10);
}

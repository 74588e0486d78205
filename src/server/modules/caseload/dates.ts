/** Calendar arithmetic on local dates (YYYY-MM-DD), done in UTC so no time zone shifts a day. */

const DAY = 86_400_000;

// A caseload does this arithmetic thousands of times a load (every row, every signal) on a few
// hundred distinct dates, and parsing and formatting dates costs far more than looking them up:
// both directions are remembered (bounded: emptied when full), with the same results.
const MAX_KEPT = 20_000;
const parsed = new Map<string, number>();
const formatted = new Map<number, string>();

/** Midnight UTC of a date, in ms (NaN when it is not a date). */
function msOf(date: string): number {
  let ms = parsed.get(date);
  if (ms === undefined) {
    ms = Date.parse(`${date}T00:00:00Z`);
    if (parsed.size >= MAX_KEPT) parsed.clear();
    parsed.set(date, ms);
  }
  return ms;
}

function dateOf(ms: number): string {
  let date = formatted.get(ms);
  if (date === undefined) {
    date = new Date(ms).toISOString().slice(0, 10);
    if (formatted.size >= MAX_KEPT) formatted.clear();
    formatted.set(ms, date);
  }
  return date;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number => Math.round((msOf(to) - msOf(from)) / DAY);

/** The date `n` days after `date` (before it, for negative `n`). */
export const addDays = (date: string, n: number): string => dateOf(msOf(date) + n * DAY);

/** Numbers as the dashboard shows them, in the reader's language. */

/** A share (0–1) as a whole percentage: 0.634 → "63%". */
export function percent(share: number, language: string): string {
  try {
    return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 0 }).format(share);
  } catch {
    return `${Math.round(share * 100)}%`;
  }
}

/** A number with at most `digits` decimals: 12.345 → "12.3". */
export function decimal(n: number, language: string, digits = 1): string {
  try {
    return new Intl.NumberFormat(language, { maximumFractionDigits: digits }).format(n);
  } catch {
    return String(Math.round(n * 10 ** digits) / 10 ** digits);
  }
}

/** A local date (YYYY-MM-DD) as people read it (no time zone shift: it is already local). */
export function day(date: string, language: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  try {
    return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));
  } catch {
    return date;
  }
}

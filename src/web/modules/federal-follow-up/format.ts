/** Dates in words and the colours of follow-up statuses, shared by the section and the tracker. */
import { useTranslation } from 'react-i18next';
import type { TrackerRowT } from './federal-follow-up.api';

/** A local date (YYYY-MM-DD) in words, in the interface language: "Fri, Nov 27, 2026". */
export function useFormatDate(): (date: string | null | undefined) => string {
  const { i18n } = useTranslation();
  return (date) => {
    if (!date) return '';
    try {
      return new Intl.DateTimeFormat(i18n.language, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
    } catch {
      return date;
    }
  };
}

/** A month (YYYY-MM) in words: "November 2026". */
export function useFormatMonth(): (month: string) => string {
  const { i18n } = useTranslation();
  return (month) => {
    try {
      return new Intl.DateTimeFormat(i18n.language, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
    } catch {
      return month;
    }
  };
}

export const STATUS_TONE = { in_window: 'yellow', upcoming: 'blue', out_of_window: 'red', completed: 'green' } as const satisfies Record<TrackerRowT['status'], string>;

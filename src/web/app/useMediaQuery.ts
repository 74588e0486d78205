/** Whether a CSS media query matches now (and re-render when it changes). */
import { useSyncExternalStore } from 'react';

export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (notify) => {
      const mql = window.matchMedia(query);
      mql.addEventListener('change', notify);
      return () => mql.removeEventListener('change', notify);
    },
    () => window.matchMedia(query).matches,
  );
}

/** Tablets and desktops: tables instead of lists, more on one screen. */
export const WIDE = '(min-width: 48em)';
export const useIsWide = (): boolean => useMediaQuery(WIDE);

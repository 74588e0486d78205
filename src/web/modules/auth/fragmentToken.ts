/**
 * One-time links carry their token after `#token=` (never sent to servers or written to logs).
 * The page reads it once, keeps it for this tab only (so a reload still works) and takes it
 * out of the address bar, history and any screenshot.
 */
import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';

export function useFragmentToken(storageKey: string): { token: string | null; forget: () => void } {
  const location = useLocation();
  const navigate = useNavigate();
  const [token] = useState<string | null>(() => {
    const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('token');
    try {
      if (fromHash) sessionStorage.setItem(storageKey, fromHash);
      return fromHash ?? sessionStorage.getItem(storageKey);
    } catch {
      return fromHash;
    }
  });
  const hasHash = location.hash !== '';
  useEffect(() => {
    if (hasHash) void navigate({ pathname: location.pathname }, { replace: true, state: location.state as unknown });
  }, [hasHash, location.pathname, location.state, navigate]);
  return {
    token,
    forget: () => {
      try {
        sessionStorage.removeItem(storageKey);
      } catch {
        // Nothing stored.
      }
    },
  };
}

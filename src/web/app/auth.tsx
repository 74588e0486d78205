/**
 * Who is signed in. Owns the "me" query, signing out (on request, on idle, or when the server
 * ended the session), and keeping the interface language in step with the person's preference.
 * Pages read it through `useAuth()`; route guards live in routes.tsx.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useLocation, useNavigate } from 'react-router';
import type { Me } from '../../contracts/auth';
import type { Role } from '../../contracts/roles';
import { api, isApiError, onAuthProblem } from './api';
import { isLocale, setLocale } from './i18n';

export const ME_KEY = ['me'] as const;

/** Why the sign-in page is shown: each gets its own message there. */
export type SignInNotice = 'signedOut' | 'idle' | 'expired' | 'passwordSet' | 'signedOutEverywhere' | 'locked';

export interface SignInState {
  notice?: SignInNotice;
  /** Where to go after signing in (a path of this app, never anything personal). */
  from?: string;
}

async function fetchMe(): Promise<Me | null> {
  try {
    return await api.get<Me>('/api/v1/me', { quietAuth: true });
  } catch (err) {
    if (isApiError(err) && err.status === 401) return null;
    throw err;
  }
}

interface AuthValue {
  me: Me | null;
  /** After sign-in, MFA, setup or an organization switch: the server's new description of the session. */
  setMe: (me: Me | null) => void;
  /** End the session here and go to the sign-in page with a message. */
  signOut: (notice?: SignInNotice) => Promise<void>;
  /** The server ended the session already: forget everything and go to sign-in. */
  sessionEnded: (notice: SignInNotice) => void;
  can: (permission: string) => boolean;
  hasRole: (...roles: Role[]) => boolean;
}

const AuthContext = createContext<AuthValue | undefined>(undefined);

export function useAuth(): AuthValue {
  const v = useContext(AuthContext);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}

/** The signed-in person; only for pages behind RequireSession. */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('useMe without a session');
  return me;
}

export function AuthProvider({
  children,
  fallback,
  unavailable,
}: {
  children: ReactNode;
  fallback: ReactNode;
  unavailable: (retry: () => void) => ReactNode;
}) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const pathRef = useRef(location.pathname);
  pathRef.current = location.pathname;

  const query = useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: Infinity, retry: 1 });
  const me = query.data ?? null;

  const setMe = useCallback((next: Me | null) => queryClient.setQueryData(ME_KEY, next), [queryClient]);

  const sessionEnded = useCallback(
    (notice: SignInNotice) => {
      const from = pathRef.current;
      // Drop every cached answer: nothing of the last session stays in memory.
      queryClient.clear();
      queryClient.setQueryData(ME_KEY, null);
      // After idle or an ended session, signing in again returns to the same page.
      const resume = (notice === 'idle' || notice === 'expired') && !from.startsWith('/sign-in');
      const state: SignInState = { notice, ...(resume ? { from } : {}) };
      void navigate('/sign-in', { replace: true, state });
    },
    [navigate, queryClient],
  );

  const signOut = useCallback(
    async (notice: SignInNotice = 'signedOut') => {
      try {
        await api.post('/api/v1/auth/sign-out', {}, { quietAuth: true });
      } catch {
        // Already signed out on the server (idle, revoked): nothing more to do there.
      }
      sessionEnded(notice);
    },
    [sessionEnded],
  );

  // The server refused a request: the session ended, or it owes its second step.
  useEffect(
    () =>
      onAuthProblem((problem) => {
        if (problem === 'auth.unauthenticated') {
          if (queryClient.getQueryData(ME_KEY)) sessionEnded('expired');
        } else {
          void queryClient.invalidateQueries({ queryKey: ME_KEY });
        }
      }),
    [queryClient, sessionEnded],
  );

  // Speak the person's language once we know who they are.
  const locale = me?.user.locale;
  useEffect(() => {
    if (isLocale(locale)) void setLocale(locale);
  }, [locale]);

  const value = useMemo<AuthValue>(
    () => ({
      me,
      setMe,
      signOut,
      sessionEnded,
      can: (permission) => Boolean(me?.permissions.includes(permission)),
      hasRole: (...roles) => Boolean(me?.roles.some((r) => roles.includes(r))),
    }),
    [me, setMe, signOut, sessionEnded],
  );

  if (query.isPending) return <>{fallback}</>;
  // The server cannot be reached: say so, rather than showing a sign-in page that cannot work.
  if (query.isError && query.data === undefined) return <>{unavailable(() => void query.refetch())}</>;
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

/**
 * Route guards: a page behind them renders only for a session in the right state. Anyone else
 * goes to sign-in (remembering where they were going), to the code step, or to MFA set-up; a
 * person whose role does not cover the page sees "You do not have access".
 */
import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import type { Me } from '../../contracts/auth';
import { useAuth, type SignInState } from './auth';
import { mayUse, navItem, type Area } from './roles';
import { ForbiddenPage } from '../modules/errors/ForbiddenPage';

type MfaState = Me['session']['mfaState'];

/** Where a session in this state belongs when it is somewhere else. */
export function homeFor(state: MfaState): string {
  return state === 'pending' ? '/sign-in/code' : state === 'enroll' ? '/account/mfa-setup' : '/';
}

export function RequireSession({ state = 'verified', children }: { state?: MfaState; children?: ReactNode }) {
  const { me } = useAuth();
  const location = useLocation();
  if (!me) {
    const to: SignInState = { from: location.pathname };
    return <Navigate to="/sign-in" replace state={to} />;
  }
  if (me.session.mfaState !== state) return <Navigate to={homeFor(me.session.mfaState)} replace />;
  return <>{children ?? <Outlet />}</>;
}

export function RequirePermission({ permission, children }: { permission: string; children?: ReactNode }) {
  const { can } = useAuth();
  if (!can(permission)) return <ForbiddenPage />;
  return <>{children ?? <Outlet />}</>;
}

/** For the areas of the navigation: the same rule decides the link and the page. */
export function RequireArea({ area, children }: { area: Area; children: ReactNode }) {
  const { me } = useAuth();
  if (!me || !mayUse(me, navItem(area))) return <ForbiddenPage />;
  return <>{children}</>;
}

/** "Saved" and similar confirmations carried to the next page in the router's state. */
import { useLocation } from 'react-router';
import { Banner } from '../../app/components';

export interface NoticeState {
  notice?: string;
}

export function NoticeFromState() {
  const state = (useLocation().state ?? {}) as NoticeState;
  if (!state.notice) return null;
  return (
    <Banner kind="success">
      <p>{state.notice}</p>
    </Banner>
  );
}

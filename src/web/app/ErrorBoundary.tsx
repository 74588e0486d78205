/** Last resorts: a page that failed to render, or a server that cannot be reached, say so kindly instead of going blank. */
import { Component, type ReactNode } from 'react';
import i18n from './i18n';

export function Unavailable({ retry }: { retry: () => void }) {
  return (
    <main className="width-container main" id="main">
      <h1 className="heading-l">{i18n.t('errors.unavailableTitle')}</h1>
      <p>{i18n.t('errors.network')}</p>
      <button type="button" className="button" onClick={retry}>
        {i18n.t('common.tryAgain')}
      </button>
    </main>
  );
}

export class ErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <main className="width-container main" id="main">
        <h1 className="heading-l">{i18n.t('errors.crashTitle')}</h1>
        <p>{i18n.t('errors.crashText')}</p>
        <p>
          <a href="/">{i18n.t('errors.crashReload')}</a>
        </p>
      </main>
    );
  }
}

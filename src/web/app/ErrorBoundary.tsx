/** Last resort: a page that failed to render says so kindly instead of going blank. */
import { Component, type ReactNode } from 'react';
import i18n from './i18n';

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

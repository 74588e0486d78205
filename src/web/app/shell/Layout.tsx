/**
 * The frame of every page: skip link, header (product, organization, account menu), the main
 * navigation for a fully signed-in person, the page itself, footer, and automatic logoff.
 */
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet } from 'react-router';
import { useAuth } from '../auth';
import { Loading } from '../components';
import { IdleLogoff } from '../idle';
import { AccountMenu } from './AccountMenu';
import { Logo } from './Icon';
import { LanguageSwitch } from './LanguageSwitch';
import { BottomNavigation, TopNavigation } from './Navigation';

export function Layout() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const full = me?.session.mfaState === 'verified';
  return (
    <div className={full ? 'app app--with-bottom-nav' : 'app'}>
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          // Keep the address as it is (setup and reset links carry their token after the #).
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        {t('app.skipLink')}
      </a>
      <header className="header">
        <div className="header-inner width-container">
          <Link to="/" className="header-home">
            <Logo />
            <span className="header-product">{t('app.name')}</span>
          </Link>
          {full && me.organization ? <span className="header-organization">{me.organization.name}</span> : null}
          <div className="header-actions">
            {full ? <AccountMenu /> : <LanguageSwitch className="header-button header-button--text" />}
          </div>
        </div>
      </header>
      {full ? <TopNavigation /> : null}
      <main id="main" className="main" tabIndex={-1}>
        <div className="width-container">
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </div>
      </main>
      <footer className="footer">
        <div className="width-container footer-inner">
          <p>{t('app.footer')}</p>
        </div>
      </footer>
      {full ? <BottomNavigation /> : null}
      {me ? <IdleLogoff idleSeconds={me.session.idleTimeoutSeconds} /> : null}
    </div>
  );
}

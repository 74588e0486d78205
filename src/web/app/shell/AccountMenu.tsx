/** The account menu in the header: who is signed in, their account page, language, sign out. */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuth, useMe } from '../auth';
import { Icon } from './Icon';
import { LanguageSwitch } from './LanguageSwitch';
import { NotificationsLink } from '../../modules/break-glass/NotificationsLink';
import { useDisclosure } from './useDisclosure';

export function AccountMenu() {
  const { t } = useTranslation();
  const me = useMe();
  const { signOut } = useAuth();
  const menu = useDisclosure();
  return (
    <div className="account-menu">
      <button
        ref={menu.button}
        type="button"
        className="header-button"
        aria-expanded={menu.open}
        aria-controls="account-menu-panel"
        onClick={menu.toggle}
      >
        <Icon name="account" />
        <span className="account-menu-label">{t('account.menu')}</span>
      </button>
      <div ref={menu.panel} id="account-menu-panel" className="account-menu-panel" hidden={!menu.open}>
        <p className="account-menu-who">
          <span className="account-menu-caption">{t('account.signedInAs')}</span>
          <strong>{me.user.displayName}</strong>
          <span className="account-menu-email">{me.user.email}</span>
        </p>
        <ul className="account-menu-list">
          <li>
            <Link to="/account">{t('account.yourAccount')}</Link>
          </li>
          <li>
            <NotificationsLink />
          </li>
          {me.organizations.length > 1 ? (
            <li>
              <Link to="/account/organization">{t('account.switchOrganization')}</Link>
            </li>
          ) : null}
          <li>
            <LanguageSwitch />
          </li>
          <li>
            <button type="button" className="link-button" onClick={() => void signOut()}>
              {t('account.signOut')}
            </button>
          </li>
        </ul>
      </div>
    </div>
  );
}

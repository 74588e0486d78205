/** Your account: who you are here, and the way to change password, two-step verification, sessions, organization and language. */
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { useAuth, useMe } from '../../app/auth';
import { Banner, Page, SummaryList, Tag } from '../../app/components';
import { ROLE_LABEL } from '../../app/roles';
import { LOCALE_NAMES } from '../../app/shell/LanguageSwitch';
import { isLocale } from '../../app/i18n';
import { ACCOUNT_NOTICE, type AccountState } from './notices';
import { CalendarFeedSection } from '../appointments/CalendarFeedSection';

export function AccountPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { signOut } = useAuth();
  const state = (useLocation().state ?? {}) as AccountState;
  const locale = isLocale(me.user.locale) ? me.user.locale : 'en';
  const change = t('common.change');
  return (
    <Page title={t('account.title')}>
      {state.notice ? (
        <Banner kind="success">
          <p>{t(ACCOUNT_NOTICE[state.notice])}</p>
        </Banner>
      ) : null}
      <h2 className="heading-m">{t('account.detailsHeading')}</h2>
      <SummaryList
        rows={[
          { key: t('account.name'), value: me.user.displayName },
          { key: t('account.email'), value: me.user.email },
          {
            key: t('account.organization'),
            value: me.organization?.name ?? t('common.none'),
            ...(me.organizations.length > 1 ? { action: { to: '/account/organization', label: change, hidden: t('account.organization') } } : {}),
          },
          { key: t('account.roles'), value: me.roles.map((r) => t(ROLE_LABEL[r])).join(', ') || t('common.none') },
        ]}
      />
      <p className="hint">{t('account.detailsHint')}</p>
      <h2 className="heading-m">{t('account.securityHeading')}</h2>
      <SummaryList
        rows={[
          {
            key: t('account.password'),
            value: t('account.passwordValue'),
            action: { to: '/account/password', label: change, hidden: t('account.password') },
          },
          {
            key: t('account.twoStep'),
            value: me.user.mfaEnabled ? <Tag tone="green">{t('account.on')}</Tag> : <Tag tone="yellow">{t('account.off')}</Tag>,
            action: {
              to: '/account/two-step',
              label: me.user.mfaEnabled ? t('account.manage') : t('account.setUp'),
              hidden: t('account.twoStep'),
            },
          },
          {
            key: t('account.sessions'),
            value: t('account.sessionsValue'),
            action: { to: '/account/sessions', label: t('account.review'), hidden: t('account.sessions') },
          },
        ]}
      />
      <h2 className="heading-m">{t('account.preferencesHeading')}</h2>
      <SummaryList
        rows={[
          {
            key: t('account.language'),
            value: <span lang={locale}>{LOCALE_NAMES[locale]}</span>,
            action: { to: '/account/language', label: change, hidden: t('account.language') },
          },
        ]}
      />
      <CalendarFeedSection />
      <button type="button" className="button button--secondary" onClick={() => void signOut()}>
        {t('account.signOut')}
      </button>
    </Page>
  );
}

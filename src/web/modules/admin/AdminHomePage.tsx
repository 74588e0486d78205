/** The admin area's front page: one card per section. */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Page } from '../../app/components';

const CARDS = [
  { to: '/admin/users', title: 'admin.users.title', text: 'admin.users.summary' },
  { to: '/admin/organization', title: 'admin.organization.title', text: 'admin.organization.summary' },
  { to: '/admin/programs', title: 'admin.programs.title', text: 'admin.programs.summary' },
  { to: '/admin/sites', title: 'admin.sites.title', text: 'admin.sites.summary' },
  { to: '/admin/teams', title: 'admin.teams.title', text: 'admin.teams.summary' },
] as const;

export function AdminHomePage() {
  const { t } = useTranslation();
  return (
    <Page title={t('admin.title')}>
      <p className="lead">{t('admin.intro')}</p>
      <ul className="card-grid">
        {CARDS.map((c) => (
          <li key={c.to} className="card">
            <h2 className="heading-s card-title">
              <Link to={c.to} className="card-link">
                {t(c.title)}
              </Link>
            </h2>
            <p>{t(c.text)}</p>
          </li>
        ))}
      </ul>
    </Page>
  );
}

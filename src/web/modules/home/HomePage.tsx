/**
 * Today: for now a greeting and the way into what exists. The coach's list of what is due today
 * (follow-ups, refills, milestones) will live here.
 */
import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import { useMe } from '../../app/auth';
import { Banner, Page, Tag } from '../../app/components';
import { navFor, type Area } from '../../app/roles';
import { useNavLabel } from '../../app/shell/Navigation';
import { TodaySection } from '../outreach/TodaySection';
import { TrackerCard } from '../federal-follow-up/links';
import { ImportCard } from '../imports/links';

const DESCRIPTION = {
  today: 'home.cards.today',
  participants: 'home.cards.participants',
  directory: 'home.cards.directory',
  partner: 'referrals.nav.card',
  reports: 'home.cards.reports',
  team: 'home.cards.team',
  admin: 'home.cards.admin',
  audit: 'home.cards.audit',
} as const satisfies Record<Area, string>;

function partOfDay(timeZone: string | undefined): 'morning' | 'afternoon' | 'evening' {
  let hour = new Date().getHours();
  try {
    hour = Number(new Intl.DateTimeFormat('en-US', { hour: 'numeric', hourCycle: 'h23', timeZone }).format(new Date()));
  } catch {
    // The browser's own clock is close enough for a greeting.
  }
  return hour < 12 ? 'morning' : hour < 18 ? 'afternoon' : 'evening';
}

export function HomePage() {
  const { t } = useTranslation();
  const me = useMe();
  const label = useNavLabel();
  // A partner organization's staff have one job here: their inbox is their start page.
  if (me.roles.length > 0 && me.roles.every((r) => r === 'partner')) return <Navigate to="/partner" replace />;
  const items = navFor(me).filter((i) => i.area !== 'today');
  const part = partOfDay(me.organization?.timeZone);
  const greeting = part === 'morning' ? t('home.morning', { name: me.user.displayName }) : part === 'afternoon' ? t('home.afternoon', { name: me.user.displayName }) : t('home.evening', { name: me.user.displayName });
  return (
    <Page title={t('home.title')} heading={greeting}>
      <p className="lead">{t('home.intro')}</p>
      {!me.user.mfaEnabled ? (
        <Banner title={t('home.mfaTitle')}>
          <p>
            {t('home.mfaText')} <Link to="/account/two-step">{t('home.mfaLink')}</Link>
          </p>
        </Banner>
      ) : null}
      <TodaySection />
      <ul className="card-grid">
        {items.map((item) => (
          <li key={item.area} className="card">
            <h2 className="heading-s card-title">
              <Link to={item.to} className="card-link">
                {label(item.area)}
              </Link>
            </h2>
            <p>{t(DESCRIPTION[item.area])}</p>
            {item.comingSoon ? <Tag>{t('common.comingSoon')}</Tag> : null}
          </li>
        ))}
        <TrackerCard />
        <ImportCard />
        <li className="card">
          <h2 className="heading-s card-title">
            <Link to="/account" className="card-link">
              {t('account.yourAccount')}
            </Link>
          </h2>
          <p>{t('home.cards.account')}</p>
        </li>
      </ul>
    </Page>
  );
}

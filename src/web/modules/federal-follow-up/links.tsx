/** Ways into the federal follow-up tracker, for those who may use it: a link on the reports dashboard and a card on the home page. */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuth } from '../../app/auth';

const TRACKER = '/reports/federal-follow-up';
const useMayTrack = () => useAuth().can('federal_follow_up.tracker');

export function TrackerLink() {
  const { t } = useTranslation();
  if (!useMayTrack()) return null;
  return (
    <p className="report-screen-only">
      <Link to={TRACKER}>{t('federal.trackerLink')}</Link>
    </p>
  );
}

export function TrackerCard() {
  const { t } = useTranslation();
  if (!useMayTrack()) return null;
  return (
    <li className="card">
      <h2 className="heading-s card-title">
        <Link to={TRACKER} className="card-link">
          {t('federal.trackerLink')}
        </Link>
      </h2>
      <p>{t('federal.trackerCard')}</p>
    </li>
  );
}

/** Notices for the signed-in person (filled in by the break-the-glass work). */
import { useTranslation } from 'react-i18next';
import { Page } from '../../app/components';

export default function NotificationsPage() {
  const { t } = useTranslation();
  return <Page title={t('nav.notifications')}>{null}</Page>;
}

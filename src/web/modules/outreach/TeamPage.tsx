/** The supervisor view (filled in by the outreach work). */
import { useTranslation } from 'react-i18next';
import { Page } from '../../app/components';

export default function TeamPage() {
  const { t } = useTranslation();
  return <Page title={t('nav.team')}>{null}</Page>;
}

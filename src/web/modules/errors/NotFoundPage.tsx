/** Any address the app does not know. */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Page } from '../../app/components';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('notFound.title')}>
      <p>{t('notFound.text')}</p>
      <p>{t('notFound.typed')}</p>
      <p>
        <Link to="/">{t('notFound.home')}</Link>
      </p>
    </Page>
  );
}

/** A page the person's role does not cover. The server refuses the data too; this just explains. */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Page } from '../../app/components';

export function ForbiddenPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('forbidden.title')}>
      <p>{t('forbidden.text')}</p>
      <p>
        <Link to="/">{t('forbidden.home')}</Link>
      </p>
    </Page>
  );
}

/** The way into the history import, for those who may use it (`imports.run`): a card on the home page. */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuth } from '../../app/auth';

export const IMPORT_PATH = '/admin/import';

export function ImportCard() {
  const { t } = useTranslation();
  if (!useAuth().can('imports.run')) return null;
  return (
    <li className="card">
      <h2 className="heading-s card-title">
        <Link to={IMPORT_PATH} className="card-link">
          {t('imports.title')}
        </Link>
      </h2>
      <p>{t('imports.card')}</p>
    </li>
  );
}

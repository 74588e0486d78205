/** "Start ED visit" on the participant page, for those who may run the bedside flow. */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMe } from '../../app/auth';

export function EdVisitAction({ participantId }: { participantId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  if (!me.permissions.includes('ed_visits.manage')) return null;
  return (
    <p>
      <Link className="button button--secondary" to={`/participants/${participantId}/ed/new`}>
        {t('ed.action.start')}
      </Link>
    </p>
  );
}

/** "Log a contact" on the participant page: the coach's most frequent action, so it is prominent. */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export function EncounterActions({ participantId }: { participantId: string }) {
  const { t } = useTranslation();
  return (
    <p>
      <Link className="button" to={`/participants/${participantId}/encounters/new`}>
        {t('encounters.actions.log')}
      </Link>
    </p>
  );
}

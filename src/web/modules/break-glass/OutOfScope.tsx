/** What a person sees for a record outside their caseload or team (filled in by the break-the-glass work). */
import { useTranslation } from 'react-i18next';

export function OutOfScope(_props: { participantId: string; breakGlass: boolean; onGranted: () => void }) {
  const { t } = useTranslation();
  return <p className="lead">{t('participants.profile.outOfScope')}</p>;
}

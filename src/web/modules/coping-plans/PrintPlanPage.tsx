/**
 * The printable copy of a coping or safety plan, at /coping-plans/<participant>/<coping|safety>/print
 * (?language=en|es): the server's plain words in the language chosen here, apart from the
 * interface language. Printing hides the app around the copy.
 */
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { LoadFailed, Loading, Page } from '../../app/components';
import { LanguageChoice, usePrintableBody, type Lang } from '../consents/PrintConsentPage';
import { NotFoundPage } from '../errors/NotFoundPage';
import { getParticipant, keys as participantKeys, nameOf } from '../participants/participants.api';
import { copingKeys, getPrintableCoping, getPrintableSafety, isKind, participantPath, type Kind, type PrintableCopingT, type PrintableSafetyT } from './coping.api';
import { PrintableCopingPlanView, PrintableSafetyPlanView } from './PrintablePlans';

export function PrintPlanPage() {
  const { participantId = '', kind } = useParams();
  if (!isKind(kind)) return <NotFoundPage />;
  return <PrintPlan participantId={participantId} kind={kind} />;
}

function PrintPlan({ participantId, kind }: { participantId: string; kind: Kind }) {
  const { t, i18n } = useTranslation();
  usePrintableBody();
  const [params, setParams] = useSearchParams();
  const asked = params.get('language');
  const lang: Lang = asked === 'es' || asked === 'en' ? asked : i18n.language.startsWith('es') ? 'es' : 'en';
  const setLang = (l: Lang) => setParams({ language: l }, { replace: true });
  const participant = useQuery({ queryKey: participantKeys.participant(participantId), queryFn: () => getParticipant(participantId) });
  const printable = useQuery<PrintableCopingT | PrintableSafetyT>({
    queryKey: copingKeys.print(participantId, kind, lang),
    queryFn: () => (kind === 'coping' ? getPrintableCoping(participantId, lang) : getPrintableSafety(participantId, lang)),
  });
  const p = printable.data;
  return (
    <Page title={t(`copingPlans.printPage.title.${kind}`)} caption={participant.data ? nameOf(participant.data) : undefined} back={{ to: participantPath(participantId), label: t('copingPlans.form.back') }} wide>
      <LanguageChoice value={lang} onChange={setLang} />
      {printable.isPending ? <Loading /> : null}
      {printable.isError ? <LoadFailed error={printable.error} retry={() => void printable.refetch()} /> : null}
      {p && kind === 'coping' ? <PrintableCopingPlanView plan={p as PrintableCopingT} /> : null}
      {p && kind === 'safety' ? <PrintableSafetyPlanView plan={p as PrintableSafetyT} /> : null}
    </Page>
  );
}

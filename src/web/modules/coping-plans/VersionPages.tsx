/**
 * The saved versions of a coping or safety plan, newest first, at
 * /coping-plans/<participant>/<coping|safety>/versions, and one of them read only at …/versions/<n>.
 */
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { LoadFailed, Loading, Page, Tag, useFormatDateTime } from '../../app/components';
import { NotFoundPage } from '../errors/NotFoundPage';
import { getParticipant, keys as participantKeys, nameOf } from '../participants/participants.api';
import { copingKeys, copingPath, getCopingVersion, getSafetyVersion, isKind, listVersions, participantPath, type CopingVersionT, type Kind, type SafetyVersionT } from './coping.api';
import { CopingPlanContentView, SafetyPlanContentView } from './PlanContent';
import './coping.css';

function useCaption(participantId: string) {
  const participant = useQuery({ queryKey: participantKeys.participant(participantId), queryFn: () => getParticipant(participantId) });
  return participant.data ? nameOf(participant.data) : undefined;
}

export function VersionsPage() {
  const { participantId = '', kind } = useParams();
  if (!isKind(kind)) return <NotFoundPage />;
  return <Versions participantId={participantId} kind={kind} />;
}

function Versions({ participantId, kind }: { participantId: string; kind: Kind }) {
  const { t } = useTranslation();
  const when = useFormatDateTime();
  const caption = useCaption(participantId);
  const q = useQuery({ queryKey: copingKeys.versions(participantId, kind), queryFn: () => listVersions(participantId, kind) });
  const versions = q.data?.versions ?? [];
  const newest = versions[0]?.number;
  return (
    <Page title={t(`copingPlans.versionsPage.title.${kind}`)} caption={caption} back={{ to: participantPath(participantId), label: t('copingPlans.form.back') }}>
      {q.isPending ? <Loading /> : null}
      {q.isError ? <LoadFailed error={q.error} retry={() => void q.refetch()} /> : null}
      {q.data && versions.length === 0 ? <p>{t('copingPlans.versionsPage.none')}</p> : null}
      {versions.length > 0 ? (
        <>
          <p>{t('copingPlans.versionsPage.intro')}</p>
          <ul className="record-list">
            {versions.map((v) => (
              <li key={v.number} className="record">
                <p className="record-title">
                  <Link to={copingPath(participantId, kind, 'versions', { n: v.number })}>{t('copingPlans.versionsPage.view', { n: v.number })}</Link>{' '}
                  {v.number === newest ? <Tag tone="green">{t('copingPlans.versionsPage.current')}</Tag> : null}
                </p>
                <p>{t('copingPlans.versionsPage.line', { n: v.number, date: when(v.createdAt) })}</p>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Page>
  );
}

export function VersionPage() {
  const { participantId = '', kind, n } = useParams();
  const number = Number(n);
  if (!isKind(kind) || !Number.isInteger(number) || number < 1) return <NotFoundPage />;
  return <Version participantId={participantId} kind={kind} number={number} />;
}

function Version({ participantId, kind, number }: { participantId: string; kind: Kind; number: number }) {
  const { t } = useTranslation();
  const when = useFormatDateTime();
  const caption = useCaption(participantId);
  const q = useQuery<CopingVersionT | SafetyVersionT>({
    queryKey: copingKeys.version(participantId, kind, number),
    queryFn: () => (kind === 'coping' ? getCopingVersion(participantId, number) : getSafetyVersion(participantId, number)),
  });
  const v = q.data;
  return (
    <Page title={t(`copingPlans.versionPage.title.${kind}`, { n: number })} caption={caption} back={{ to: copingPath(participantId, kind, 'versions'), label: t('copingPlans.versionPage.backToVersions') }}>
      {q.isPending ? <Loading /> : null}
      {q.isError ? <LoadFailed error={q.error} retry={() => void q.refetch()} /> : null}
      {v ? (
        <>
          <p>{v.current ? t('copingPlans.versionPage.current', { date: when(v.createdAt) }) : t('copingPlans.versionPage.earlier', { date: when(v.createdAt) })}</p>
          {kind === 'coping' ? (
            <CopingPlanContentView plan={(v as CopingVersionT).plan} />
          ) : (
            <SafetyPlanContentView plan={(v as SafetyVersionT).plan} />
          )}
        </>
      ) : null}
    </Page>
  );
}

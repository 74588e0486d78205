/**
 * The supervisor view: per coach, open episodes, contacts overdue on their cadence, contacts tried
 * and reached in the last 30 days, and people at risk of being lost after an ED visit (the list of
 * names for supervisors; program managers see the counts).
 */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMe } from '../../app/auth';
import { LoadFailed, Loading, Page, useFormatDateTime } from '../../app/components';
import { DataList, type Column } from '../../app/DataList';
import { getTeamOutreach, outreachKeys, type TeamOutreachT } from './outreach.api';
import { OutboxSection } from '../appointments/OutboxSection';
import { ReferralSettingsSection } from '../referrals/ReferralSettingsSection';

type CoachRow = TeamOutreachT['coaches'][number];
type AtRiskRow = NonNullable<TeamOutreachT['atRisk']>[number];

function TeamView({ data }: { data: TeamOutreachT }) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const days = data.windowDays;
  const coachColumns: Column<CoachRow>[] = [
    { header: t('outreach.team.coach'), cell: (c) => c.coachName },
    { header: t('outreach.team.open'), cell: (c) => c.openEpisodes, numeric: true },
    { header: t('outreach.team.overdue'), cell: (c) => c.overdue, numeric: true },
    { header: t('outreach.team.attempts', { days }), cell: (c) => c.attempts, numeric: true },
    { header: t('outreach.team.reached', { days }), cell: (c) => c.successfulContacts, numeric: true },
    { header: t('outreach.team.atRisk'), cell: (c) => c.atRisk, numeric: true },
  ];
  const names = new Map(data.coaches.map((c) => [c.coachUserId, c.coachName]));
  const atRiskColumns: Column<AtRiskRow>[] = [
    { header: t('outreach.team.person'), cell: (a) => <Link to={`/participants/${a.participantId}`}>{a.displayName}</Link> },
    { header: t('outreach.team.edOn'), cell: (a) => `${a.lastEdOn} (${t('outreach.team.daysSince', { count: a.daysSinceEd })})` },
    { header: t('outreach.team.lastContact'), cell: (a) => (a.lastSuccessfulContactAt ? formatDateTime(a.lastSuccessfulContactAt) : t('outreach.team.never')) },
    { header: t('outreach.team.coach'), cell: (a) => names.get(a.coachUserId) ?? '' },
  ];
  return (
    <>
      <p className="lead">{t('outreach.team.intro', { days })}</p>
      {data.coaches.length === 0 ? (
        <p>{t('outreach.team.noCoaches')}</p>
      ) : (
        <DataList caption={t('outreach.team.caption')} columns={coachColumns} rows={data.coaches} rowKey={(c) => c.coachUserId} />
      )}
      {data.atRisk ? (
        <section aria-labelledby="at-risk-heading">
          <h2 className="heading-m" id="at-risk-heading">
            {t('outreach.team.atRiskHeading')}
          </h2>
          <p>{t('outreach.team.atRiskIntro', { days: data.atRiskDays })}</p>
          {data.atRisk.length === 0 ? (
            <p>{t('outreach.team.atRiskNone')}</p>
          ) : (
            <DataList caption={t('outreach.team.atRiskCaption')} columns={atRiskColumns} rows={data.atRisk} rowKey={(a) => `${a.coachUserId}:${a.participantId}`} />
          )}
        </section>
      ) : null}
    </>
  );
}

export default function TeamPage() {
  const { t } = useTranslation();
  const team = useQuery({ queryKey: outreachKeys.team, queryFn: getTeamOutreach });
  const me = useMe();
  return (
    <Page title={t('nav.team')} wide>
      {me.permissions.includes('encounters.review') ? (
        <p>
          <Link to="/encounters/review">{t('encounters.actions.review')}</Link>
        </p>
      ) : null}
      {team.isPending ? <Loading /> : team.isError ? <LoadFailed error={team.error} retry={() => void team.refetch()} /> : <TeamView data={team.data} />}
      <OutboxSection />
      {/* Program managers set it here; admins on the organization page. */}
      <ReferralSettingsSection />
    </Page>
  );
}

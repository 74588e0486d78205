/** Teams: a supervisor and the people they support. */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { LoadFailed, Loading, Page } from '../../../app/components';
import { DataList } from '../../../app/DataList';
import { keys, listSites, listTeams, listUsers, type TeamT } from '../admin.api';
import { NoticeFromState } from '../Notice';

export function TeamsPage() {
  const { t } = useTranslation();
  const teams = useQuery({ queryKey: keys.teams, queryFn: listTeams });
  const users = useQuery({ queryKey: keys.users, queryFn: listUsers });
  const sites = useQuery({ queryKey: keys.sites, queryFn: listSites });
  const userName = (id: string | null) => (id ? (users.data?.find((u) => u.id === id)?.displayName ?? '') : t('common.none'));
  const siteName = (id: string | null) => (id ? (sites.data?.find((s) => s.id === id)?.name ?? '') : t('common.none'));
  return (
    <Page title={t('admin.teams.title')} caption={t('admin.title')} wide>
      <NoticeFromState />
      <p>{t('admin.teams.intro')}</p>
      <p>
        <Link to="/admin/teams/new" className="button">
          {t('admin.teams.add')}
        </Link>
      </p>
      {teams.isPending ? <Loading /> : null}
      {teams.isError ? <LoadFailed error={teams.error} retry={() => void teams.refetch()} /> : null}
      {teams.data?.length === 0 ? <p className="empty">{t('admin.teams.none')}</p> : null}
      {teams.data?.length ? (
        <DataList<TeamT>
          caption={t('admin.teams.title')}
          rows={teams.data}
          rowKey={(x) => x.id}
          columns={[
            { header: t('admin.teams.name'), cell: (x) => <Link to={`/admin/teams/${x.id}`}>{x.name}</Link> },
            { header: t('admin.teams.supervisor'), cell: (x) => userName(x.supervisorUserId) },
            { header: t('admin.teams.site'), cell: (x) => siteName(x.siteId) },
            { header: t('admin.teams.members'), cell: (x) => String(x.memberUserIds.length), numeric: true },
          ]}
        />
      ) : null}
    </Page>
  );
}

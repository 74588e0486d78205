/** Where the program works: emergency departments, clinics, recovery community organizations… */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { LoadFailed, Loading, Page, Tag } from '../../../app/components';
import { DataList } from '../../../app/DataList';
import { keys, listPrograms, listSites, type SiteT } from '../admin.api';
import { NoticeFromState } from '../Notice';
import { SITE_KIND_LABEL } from './siteKinds';

export function SitesPage() {
  const { t } = useTranslation();
  const sites = useQuery({ queryKey: keys.sites, queryFn: listSites });
  const programs = useQuery({ queryKey: keys.programs, queryFn: listPrograms });
  const programName = (id: string | null) => (id ? (programs.data?.find((p) => p.id === id)?.name ?? '') : t('common.none'));
  return (
    <Page title={t('admin.sites.title')} caption={t('admin.title')} wide>
      <NoticeFromState />
      <p>{t('admin.sites.intro')}</p>
      <p>
        <Link to="/admin/sites/new" className="button">
          {t('admin.sites.add')}
        </Link>
      </p>
      {sites.isPending ? <Loading /> : null}
      {sites.isError ? <LoadFailed error={sites.error} retry={() => void sites.refetch()} /> : null}
      {sites.data?.length === 0 ? <p className="empty">{t('admin.sites.none')}</p> : null}
      {sites.data?.length ? (
        <DataList<SiteT>
          caption={t('admin.sites.title')}
          rows={sites.data}
          rowKey={(s) => s.id}
          columns={[
            { header: t('admin.sites.name'), cell: (s) => <Link to={`/admin/sites/${s.id}`}>{s.name}</Link> },
            { header: t('admin.sites.kind'), cell: (s) => t(SITE_KIND_LABEL[s.kind]) },
            { header: t('admin.sites.program'), cell: (s) => programName(s.programId) },
            { header: t('admin.sites.timeZone'), cell: (s) => s.effectiveTimeZone },
            { header: t('admin.common.status'), cell: (s) => (s.active ? <Tag tone="green">{t('admin.common.active')}</Tag> : <Tag>{t('admin.common.inactive')}</Tag>) },
          ]}
        />
      ) : null}
    </Page>
  );
}

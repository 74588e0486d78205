/** The organization's programs (for example an ED bridge program, a community program). */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { LoadFailed, Loading, Page, Tag } from '../../../app/components';
import { DataList } from '../../../app/DataList';
import { keys, listPrograms, type ProgramT } from '../admin.api';
import { NoticeFromState } from '../Notice';

export function ProgramsPage() {
  const { t } = useTranslation();
  const programs = useQuery({ queryKey: keys.programs, queryFn: listPrograms });
  return (
    <Page title={t('admin.programs.title')} caption={t('admin.title')} wide>
      <NoticeFromState />
      <p>{t('admin.programs.intro')}</p>
      <p>
        <Link to="/admin/programs/new" className="button">
          {t('admin.programs.add')}
        </Link>
      </p>
      {programs.isPending ? <Loading /> : null}
      {programs.isError ? <LoadFailed error={programs.error} retry={() => void programs.refetch()} /> : null}
      {programs.data?.length === 0 ? <p className="empty">{t('admin.programs.none')}</p> : null}
      {programs.data?.length ? (
        <DataList<ProgramT>
          caption={t('admin.programs.title')}
          rows={programs.data}
          rowKey={(p) => p.id}
          columns={[
            { header: t('admin.programs.name'), cell: (p) => <Link to={`/admin/programs/${p.id}`}>{p.name}</Link> },
            { header: t('admin.programs.description'), cell: (p) => p.description ?? '' },
            { header: t('programSettings.listCravings'), cell: (p) => t('programSettings.listCravingsValue', { n: p.cravingsAlertThreshold }) },
            { header: t('programSettings.listReview'), cell: (p) => t('programSettings.listReviewValue', { n: p.planReviewDays }) },
            { header: t('admin.common.status'), cell: (p) => (p.active ? <Tag tone="green">{t('admin.common.active')}</Tag> : <Tag>{t('admin.common.inactive')}</Tag>) },
          ]}
        />
      ) : null}
    </Page>
  );
}

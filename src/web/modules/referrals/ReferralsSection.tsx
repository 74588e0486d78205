/**
 * The participant page's referrals: where to, the status, logged or sent, when, and the date the
 * person linked to care; a "consent revoked" tag where the consent it was sent under ended.
 * "Refer" opens the new referral page for this person. Shown to people whose role reads referrals.
 */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useMe } from '../../app/auth';
import { LoadFailed, Loading, Tag } from '../../app/components';
import { DataList, type Column } from '../../app/DataList';
import { listReferrals, PERMISSIONS, referralKeys, type ReferralSummaryT } from './referrals.api';
import { ReferralStatusTag, useFormatDay } from './parts';

export function ReferralsSection({ participantId }: { participantId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const formatDay = useFormatDay();
  const mayRead = me.permissions.includes(PERMISSIONS.read);
  const mayManage = me.permissions.includes(PERMISSIONS.manage);
  const list = useQuery({ queryKey: referralKeys.list(participantId), queryFn: () => listReferrals(participantId), enabled: mayRead });
  if (!mayRead) return null;
  const columns: Column<ReferralSummaryT>[] = [
    {
      header: t('referrals.section.receiver'),
      cell: (r) => (
        <Link to={`/referrals/${r.id}`}>
          {r.receiverName}
          {r.serviceName ? ` – ${r.serviceName}` : ''}
        </Link>
      ),
    },
    {
      header: t('referrals.section.status'),
      cell: (r) => (
        <span className="referral-tags">
          <ReferralStatusTag status={r.status} />
          {r.consentRevoked ? <Tag tone="red">{t('referrals.section.consentRevoked')}</Tag> : null}
        </span>
      ),
    },
    { header: t('referrals.section.how'), cell: (r) => `${t(`referrals.modes.${r.mode}`)} · ${t(`referrals.urgencies.${r.urgency}`)}` },
    { header: t('referrals.section.made'), cell: (r) => formatDay(r.createdAt) },
    { header: t('referrals.section.linked'), cell: (r) => (r.linkedOn ? formatDay(r.linkedOn) : t('referrals.section.notLinked')) },
  ];
  return (
    <section aria-labelledby="referrals-heading" className="care-section">
      <h2 className="heading-m" id="referrals-heading">
        {t('referrals.section.heading')}
      </h2>
      {list.isPending ? <Loading /> : null}
      {list.isError ? <LoadFailed error={list.error} retry={() => void list.refetch()} /> : null}
      {list.data && list.data.length === 0 ? <p>{t('referrals.section.none')}</p> : null}
      {list.data && list.data.length > 0 ? <DataList caption={t('referrals.section.caption')} columns={columns} rows={list.data} rowKey={(r) => r.id} /> : null}
      {mayManage ? (
        <p>
          <Link className="button button--secondary" to={`/referrals/new?participant=${encodeURIComponent(participantId)}`}>
            {t('referrals.section.refer')}
          </Link>
        </p>
      ) : null}
    </section>
  );
}

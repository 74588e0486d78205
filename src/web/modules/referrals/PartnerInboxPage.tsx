/**
 * The partner's inbox (/partner): the referrals addressed to the organization its account is
 * linked to, open or closed, newest first, with counts of new, accepted and in-progress ones.
 * The name shown is only the one shared at sending. Each row opens the referral.
 */
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useInfiniteQuery } from '@tanstack/react-query';
import { isApiError } from '../../app/api';
import { LoadFailed, Loading, Page, Tag, useFormatDateTime } from '../../app/components';
import { DataList, type Column } from '../../app/DataList';
import { Button } from '../../app/forms/Button';
import { getInbox, referralKeys, type InboxView, type PartnerInboxT } from './referrals.api';
import { ReferralStatusTag, useFormatDay } from './parts';

type Row = PartnerInboxT['referrals'][number];
const VIEWS: readonly InboxView[] = ['open', 'closed', 'all'];

export function PartnerInboxPage() {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const formatDay = useFormatDay();
  const [params] = useSearchParams();
  const asked = params.get('view');
  const view: InboxView = asked === 'closed' || asked === 'all' ? asked : 'open';
  const inbox = useInfiniteQuery({
    queryKey: referralKeys.inbox(view),
    queryFn: ({ pageParam }) => getInbox(view, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextAfter ?? undefined,
  });
  const first = inbox.data?.pages[0];
  const rows = inbox.data?.pages.flatMap((p) => p.referrals) ?? [];
  const columns: Column<Row>[] = [
    { header: t('referrals.inbox.person'), cell: (r) => <Link to={`/partner/referrals/${r.id}`}>{r.personLabel ?? t('referrals.inbox.noName')}</Link> },
    { header: t('referrals.inbox.service'), cell: (r) => r.serviceName ?? '' },
    { header: t('referrals.inbox.urgency'), cell: (r) => t(`referrals.urgencies.${r.urgency}`) },
    {
      header: t('referrals.inbox.status'),
      cell: (r) => (
        <span className="referral-tags">
          <ReferralStatusTag status={r.status} />
          {r.consentRevoked ? <Tag tone="red">{t('referrals.section.consentRevoked')}</Tag> : null}
        </span>
      ),
    },
    { header: t('referrals.inbox.sent'), cell: (r) => formatDay(r.sentAt) },
    { header: t('referrals.inbox.appointment'), cell: (r) => (r.appointmentStartsAt ? formatDateTime(r.appointmentStartsAt) : '') },
  ];
  const notLinked = inbox.isError && isApiError(inbox.error) && inbox.error.code === 'referral.partner_unlinked';
  return (
    <Page title={t('referrals.inbox.title')} heading={first ? t('referrals.inbox.heading', { organization: first.organizationName }) : t('referrals.inbox.title')} wide>
      <p className="lead">{t('referrals.inbox.intro')}</p>
      {first ? <p>{t('referrals.inbox.counts', first.counts)}</p> : null}
      <nav className="referral-views" aria-label={t('referrals.inbox.viewsLabel')}>
        <ul>
          {VIEWS.map((v) => (
            <li key={v}>
              <Link to={`/partner?view=${v}`} aria-current={v === view ? 'page' : undefined}>
                {t(`referrals.inbox.views.${v}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {inbox.isPending ? <Loading /> : null}
      {notLinked ? <p>{t('referrals.inbox.notLinked')}</p> : null}
      {inbox.isError && !notLinked ? <LoadFailed error={inbox.error} retry={() => void inbox.refetch()} /> : null}
      {inbox.isSuccess && rows.length === 0 ? <p>{t('referrals.inbox.none')}</p> : null}
      {rows.length > 0 ? <DataList caption={t('referrals.inbox.caption')} columns={columns} rows={rows} rowKey={(r) => r.id} /> : null}
      {inbox.hasNextPage ? (
        <Button variant="secondary" busy={inbox.isFetchingNextPage} busyLabel={t('common.loading')} onClick={() => void inbox.fetchNextPage()}>
          {t('referrals.inbox.more')}
        </Button>
      ) : null}
    </Page>
  );
}

/**
 * The coach's "today" list on the home page: open to-dos due today or overdue, most urgent first,
 * each with the person, what to do, when, how to reach them, and a link to log the contact (which
 * closes the to-do). Shown to those who hold `today.read` (coaches and supervisors).
 */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuth } from '../../app/auth';
import { LoadFailed, Loading, Tag } from '../../app/components';
import { DataList, type Column } from '../../app/DataList';
import { ContactRules } from './ContactRules';
import { getToday, outreachKeys, type TodayItemT } from './outreach.api';
import { TodayAppointments } from '../appointments/TodayAppointments';

function When({ item }: { item: TodayItemT }) {
  const { t } = useTranslation();
  const time = item.dueTime ? ` ${t('outreach.today.at', { time: item.dueTime })}` : '';
  if (item.overdue) return <Tag tone="red">{`${t('outreach.today.overdue', { count: item.daysOverdue })}${item.daysOverdue === 0 ? time : ''}`}</Tag>;
  return <span>{`${t('outreach.today.dueToday')}${time}`}</span>;
}

function TodayList() {
  const { t } = useTranslation();
  const today = useQuery({ queryKey: outreachKeys.today, queryFn: getToday });
  if (today.isPending) return <Loading />;
  if (today.isError) return <LoadFailed error={today.error} retry={() => void today.refetch()} />;
  const { items, counts, truncated, upcoming } = today.data;
  const person = (i: TodayItemT) =>
    i.participantId && i.participantName ? <Link to={`/participants/${i.participantId}`}>{i.participantName}</Link> : i.participantId ? t('outreach.today.someone') : t('outreach.today.noPerson');
  const later: Column<TodayItemT>[] = [
    { header: t('outreach.today.person'), cell: person },
    { header: t('outreach.today.what'), cell: (i) => `${t(`outreach.kinds.${i.kind}`)}: ${i.title}` },
    { header: t('outreach.today.due'), cell: (i) => (i.dueTime ? t('outreach.today.dueOnAt', { date: i.dueOn, time: i.dueTime }) : t('outreach.today.dueOn', { date: i.dueOn })) },
  ];
  const comingUp =
    upcoming.length > 0 ? (
      <>
        <h3 className="heading-s">{t('outreach.today.upcomingHeading')}</h3>
        <DataList caption={t('outreach.today.upcomingCaption')} columns={later} rows={upcoming} rowKey={(i) => i.todoId} />
      </>
    ) : null;
  if (items.length === 0) {
    return (
      <>
        <p>{t('outreach.today.empty')}</p>
        {comingUp}
      </>
    );
  }
  const columns: Column<TodayItemT>[] = [
    { header: t('outreach.today.person'), cell: person },
    { header: t('outreach.today.what'), cell: (i) => `${t(`outreach.kinds.${i.kind}`)}: ${i.title}` },
    { header: t('outreach.today.due'), cell: (i) => <When item={i} /> },
    { header: t('outreach.today.reach'), cell: (i) => (i.contact ? <ContactRules rules={i.contact} /> : null) },
    {
      header: t('outreach.today.logContact'),
      cell: (i) =>
        i.participantId && i.participantName ? (
          <Link to={`/participants/${i.participantId}/encounters/new?todo=${i.todoId}`} aria-label={t('outreach.today.logContactFor', { name: i.participantName })}>
            {t('outreach.today.logContact')}
          </Link>
        ) : null,
    },
  ];
  return (
    <>
      <p className="hint">{t('outreach.today.counts', { overdue: counts.overdue, dueToday: counts.dueToday })}</p>
      <DataList caption={t('outreach.today.caption')} columns={columns} rows={items} rowKey={(i) => i.todoId} />
      {truncated ? <p className="hint">{t('outreach.today.truncated')}</p> : null}
      {comingUp}
    </>
  );
}

export function TodaySection() {
  const { t } = useTranslation();
  const { can } = useAuth();
  if (!can('today.read')) return null;
  return (
    <section aria-labelledby="today-heading">
      <h2 className="heading-m" id="today-heading">
        {t('outreach.today.heading')}
      </h2>
      <p>{t('outreach.today.intro')}</p>
      <TodayAppointments />
      <TodayList />
    </section>
  );
}

/**
 * The coach's appointments of today on the "today" view (from `GET /api/v1/today`): time, person,
 * what, where, transport. Rendered inside the outreach module's TodaySection.
 */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuth } from '../../app/auth';
import { Tag } from '../../app/components';
import { DataList, type Column } from '../../app/DataList';
import { getToday, outreachKeys } from '../outreach/outreach.api';
import type { TodayAppointmentT } from './appointments.api';

export function TodayAppointments() {
  const { t, i18n } = useTranslation();
  const timeZone = useAuth().me?.organization?.timeZone;
  const today = useQuery({ queryKey: outreachKeys.today, queryFn: getToday });
  const rows = today.data?.appointments;
  if (!rows) return null;
  const time = (iso: string) => {
    try {
      return new Intl.DateTimeFormat(i18n.language, { timeStyle: 'short', timeZone }).format(new Date(iso));
    } catch {
      return new Date(iso).toLocaleTimeString(i18n.language);
    }
  };
  const columns: Column<TodayAppointmentT>[] = [
    { header: t('appointments.today.time'), cell: (a) => (a.endsAt ? `${time(a.startsAt)}–${time(a.endsAt)}` : time(a.startsAt)) },
    {
      header: t('appointments.today.person'),
      cell: (a) => (a.participantName ? <Link to={`/participants/${a.participantId}`}>{a.participantName}</Link> : t('appointments.today.someone')),
    },
    {
      header: t('appointments.today.what'),
      cell: (a) => (
        <>
          {t(`appointments.kinds.${a.kind}`)}
          {a.status !== 'scheduled' ? <> <Tag tone={a.status === 'attended' ? 'green' : 'red'}>{t(`appointments.statuses.${a.status}`)}</Tag></> : null}
        </>
      ),
    },
    {
      header: t('appointments.today.where'),
      cell: (a) => (
        <>
          {a.place ?? (a.telehealthUrl ? t('appointments.today.video') : '')}
          {a.transportNeeds ? <span className="hint"> {t('appointments.today.transport', { what: a.transportNeeds })}</span> : null}
        </>
      ),
    },
  ];
  return (
    <section aria-labelledby="today-appointments-heading">
      <h3 className="heading-s" id="today-appointments-heading">
        {t('appointments.today.heading')}
      </h3>
      {rows.length === 0 ? <p>{t('appointments.today.none')}</p> : <DataList caption={t('appointments.today.caption')} columns={columns} rows={rows} rowKey={(a) => a.appointmentId} />}
    </section>
  );
}

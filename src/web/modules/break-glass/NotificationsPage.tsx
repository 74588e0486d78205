/**
 * Notices for the signed-in person, newest first, unread ones marked "New". A break-the-glass
 * notice names who opened a record (staff names are fine) and links to the record and, for those
 * who review, to the log with the reason — it never shows the participant's name or the reason.
 * Privacy officers and program managers also see the break-the-glass log here.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useAuth } from '../../app/auth';
import { Banner, LoadFailed, Loading, Page, Tag, useFormatDateTime } from '../../app/components';
import { DataList } from '../../app/DataList';
import { Button, ButtonGroup } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { TextField } from '../../app/forms/fields';
import { useForm, type FormError } from '../../app/forms/useForm';
import { describeError } from '../../app/forms/errors';
import { breakGlassKeys, endGrant, getNotifications, listGrants, markNotificationRead, type GrantT, type NotificationT } from './breakGlass.api';

export default function NotificationsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  return (
    <Page title={t('nav.notifications')} wide>
      <p>{t('breakGlass.notifications.intro')}</p>
      <NotificationList />
      {can('access_grants.review') ? <GrantLog /> : null}
    </Page>
  );
}

function NotificationList() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const format = useFormatDateTime();
  const queryClient = useQueryClient();
  const notices = useQuery({ queryKey: breakGlassKeys.notifications, queryFn: getNotifications });
  const read = useMutation({
    mutationFn: markNotificationRead,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: breakGlassKeys.notifications }),
  });
  if (notices.isPending) return <Loading />;
  if (notices.isError) return <LoadFailed error={notices.error} retry={() => void notices.refetch()} />;
  const { notifications, unread } = notices.data;
  if (notifications.length === 0) return <p>{t('breakGlass.notifications.empty')}</p>;
  const text = (n: NotificationT) =>
    n.kind === 'break_glass' ? t('breakGlass.notifications.breakGlass', { actor: n.actorName ?? t('breakGlass.notifications.someone') }) : t('breakGlass.notifications.otherKind');
  return (
    <section aria-labelledby="notifications-heading">
      <h2 className="heading-m" id="notifications-heading">
        {t('breakGlass.notifications.unreadCount', { count: unread })}
      </h2>
      {read.isError ? <LoadFailed error={read.error} /> : null}
      <ul className="record-list">
        {notifications.map((n) => (
          <li key={n.id} className="record">
            <p className="record-title">
              {n.readAt ? null : (
                <>
                  <Tag tone="blue">{t('breakGlass.notifications.new')}</Tag>{' '}
                </>
              )}
              {n.readAt ? text(n) : <strong>{text(n)}</strong>}
            </p>
            <p className="hint">{t('breakGlass.notifications.received', { time: format(n.createdAt) })}</p>
            <ul>
              {n.participantId && can('participants.read') ? (
                <li>
                  <Link to={`/participants/${n.participantId}`}>{t('breakGlass.notifications.openRecord')}</Link>
                </li>
              ) : null}
              {n.kind === 'break_glass' && can('access_grants.review') ? (
                <li>
                  <a href="#break-glass-log">{t('breakGlass.notifications.openLog')}</a>
                </li>
              ) : null}
            </ul>
            {n.readAt ? null : (
              <Button variant="secondary" busy={read.isPending && read.variables === n.id} onClick={() => read.mutate(n.id)}>
                {t('breakGlass.notifications.markRead')}
                <span className="visually-hidden"> {t('breakGlass.notifications.markReadHidden', { time: format(n.createdAt) })}</span>
              </Button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Today and 30 days before, as local dates of this browser (the server counts them in the organization's zone). */
function defaultPeriod(): { from: string; to: string } {
  const iso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  const today = new Date();
  const before = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 30);
  return { from: iso(before), to: iso(today) };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function GrantLog() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const format = useFormatDateTime();
  const queryClient = useQueryClient();
  const [period, setPeriod] = useState(defaultPeriod);
  const [notice, setNotice] = useState(false);
  const grants = useQuery({ queryKey: breakGlassKeys.grants(period.from, period.to), queryFn: () => listGrants(period) });
  const end = useMutation({
    mutationFn: endGrant,
    onSuccess: async () => {
      setNotice(true);
      await queryClient.invalidateQueries({ queryKey: ['access-grants'] });
    },
  });
  const form = useForm({
    initial: period,
    validate: (v) => {
      const e: FormError[] = [];
      if (v.from && !DATE.test(v.from)) e.push({ field: 'from', message: t('breakGlass.log.dateHint') });
      if (v.to && !DATE.test(v.to)) e.push({ field: 'to', message: t('breakGlass.log.dateHint') });
      if (!e.length && v.from && v.to && v.from > v.to) e.push({ field: 'to', message: t('breakGlass.log.toBeforeFrom') });
      return e;
    },
    fieldFor: (path) => (path === 'query.from' ? 'from' : path === 'query.to' ? 'to' : undefined),
    onSubmit: (v) => {
      setNotice(false);
      setPeriod({ from: v.from, to: v.to });
      return Promise.resolve();
    },
  });
  const mayEnd = can('access_grants.end');
  const status = (g: GrantT) => (g.active ? <Tag tone="yellow">{t('breakGlass.log.active')}</Tag> : <Tag>{t('breakGlass.log.closed')}</Tag>);
  return (
    <section aria-labelledby="break-glass-log" className="section">
      <h2 className="heading-m" id="break-glass-log" tabIndex={-1}>
        {t('breakGlass.log.heading')}
      </h2>
      <p>{t('breakGlass.log.intro')}</p>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <TextField name="from" type="date" width="short" label={t('breakGlass.log.from')} hint={t('breakGlass.log.dateHint')} value={form.values.from} error={form.errorFor('from')} onChange={(v) => form.set('from', v)} />
        <TextField name="to" type="date" width="short" label={t('breakGlass.log.to')} value={form.values.to} error={form.errorFor('to')} onChange={(v) => form.set('to', v)} />
        <ButtonGroup>
          <Button type="submit" variant="secondary">
            {t('breakGlass.log.show')}
          </Button>
        </ButtonGroup>
      </form>
      {notice ? (
        <Banner kind="success">
          <p>{t('breakGlass.log.endedNotice')}</p>
        </Banner>
      ) : null}
      {end.isError ? (
        <div className="banner banner--warning" role="alert">
          <p>{describeError(t, end.error)}</p>
        </div>
      ) : null}
      {grants.isPending ? <Loading /> : null}
      {grants.isError ? <LoadFailed error={grants.error} retry={() => void grants.refetch()} /> : null}
      {grants.data && grants.data.length === 0 ? <p>{t('breakGlass.log.empty')}</p> : null}
      {grants.data && grants.data.length > 0 ? (
        <DataList
          caption={t('breakGlass.log.heading')}
          rowKey={(g) => g.id}
          rows={grants.data}
          columns={[
            { header: t('breakGlass.log.who'), cell: (g) => g.userName ?? g.userId },
            {
              header: t('breakGlass.log.participant'),
              cell: (g) => (can('participants.read') ? <Link to={`/participants/${g.participantId}`}>{t('breakGlass.log.openRecord')}</Link> : <code className="ids">{g.participantId}</code>),
            },
            { header: t('breakGlass.log.reason'), cell: (g) => g.reason },
            { header: t('breakGlass.log.granted'), cell: (g) => format(g.grantedAt) },
            { header: t('breakGlass.log.expires'), cell: (g) => format(g.expiresAt) },
            { header: t('breakGlass.log.ended'), cell: (g) => (g.endedAt ? format(g.endedAt) : '') },
            {
              header: t('breakGlass.log.status'),
              cell: (g) => (
                <>
                  {status(g)}
                  {g.active && mayEnd ? (
                    <>
                      {' '}
                      <Button variant="link" busy={end.isPending && end.variables === g.id} onClick={() => end.mutate(g.id)}>
                        {t('breakGlass.log.endNow')}
                        <span className="visually-hidden"> {t('breakGlass.log.endHidden', { who: g.userName ?? '', time: format(g.grantedAt) })}</span>
                      </Button>
                    </>
                  ) : null}
                </>
              ),
            },
          ]}
        />
      ) : null}
    </section>
  );
}

/**
 * Reminders to participants that failed after every retry, for supervisors and program managers
 * (`outbox.read`): who, by which channel, how many tries, the last error code, and "Try again".
 * Rendered on the team page.
 */
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../../app/api';
import { useAuth } from '../../app/auth';
import { Banner, LoadFailed, Loading, useFormatDateTime } from '../../app/components';
import { DataList, type Column } from '../../app/DataList';
import { Button } from '../../app/forms/Button';
import { appointmentKeys, failedMessages, retryMessage, type OutboxMessageT } from './appointments.api';

export function OutboxSection() {
  const { can } = useAuth();
  if (!can('outbox.read')) return null;
  return <FailedReminders mayRetry={can('outbox.manage')} />;
}

function FailedReminders({ mayRetry }: { mayRetry: boolean }) {
  const { t } = useTranslation();
  const format = useFormatDateTime();
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: appointmentKeys.outbox, queryFn: failedMessages });
  const [notice, setNotice] = useState<{ kind: 'success' | 'warning'; text: string } | null>(null);
  const retry = async (id: string) => {
    setNotice(null);
    try {
      await retryMessage(id);
      setNotice({ kind: 'success', text: t('appointments.outbox.retried') });
    } catch (e) {
      setNotice({ kind: 'warning', text: isApiError(e) ? e.message : t('errors.unexpected') });
    }
    await queryClient.invalidateQueries({ queryKey: appointmentKeys.outbox });
  };
  const columns: Column<OutboxMessageT>[] = [
    { header: t('appointments.outbox.person'), cell: (m) => <Link to={`/participants/${m.participantId}`}>{t('appointments.outbox.open')}</Link> },
    { header: t('appointments.outbox.channel'), cell: (m) => t(`appointments.reminder.channels.${m.channel}`) },
    { header: t('appointments.outbox.tries'), cell: (m) => m.attempts, numeric: true },
    { header: t('appointments.outbox.error'), cell: (m) => m.lastError ?? '' },
    { header: t('appointments.outbox.queued'), cell: (m) => format(m.createdAt) },
    ...(mayRetry ? [{ header: t('appointments.outbox.retry'), cell: (m: OutboxMessageT) => <Button variant="secondary" onClick={() => void retry(m.id)}>{t('appointments.outbox.retry')}</Button> }] : []),
  ];
  return (
    <section aria-labelledby="outbox-heading">
      <h2 className="heading-m" id="outbox-heading">
        {t('appointments.outbox.heading')}
      </h2>
      <p>{t('appointments.outbox.intro')}</p>
      {notice ? (
        <Banner kind={notice.kind}>
          <p>{notice.text}</p>
        </Banner>
      ) : null}
      {list.isPending ? <Loading /> : null}
      {list.isError ? <LoadFailed error={list.error} retry={() => void list.refetch()} /> : null}
      {list.isSuccess ? (
        list.data.messages.length === 0 ? <p>{t('appointments.outbox.none')}</p> : <DataList caption={t('appointments.outbox.caption')} columns={columns} rows={list.data.messages} rowKey={(m) => m.id} />
      ) : null}
    </section>
  );
}

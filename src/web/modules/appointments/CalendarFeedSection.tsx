/**
 * The account page's calendar feed settings: make a private address (shown once), choose whether
 * it shows participants' names, turn it off. For people who hold `calendar_feed.manage`.
 */
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../app/api';
import { useAuth } from '../../app/auth';
import { Banner, CopyBox, LoadFailed, Loading, useFormatDateTime } from '../../app/components';
import { Button, ButtonGroup } from '../../app/forms/Button';
import { SingleCheckbox } from '../../app/forms/fields';
import { appointmentKeys, createFeed, getFeed, turnOffFeed } from './appointments.api';

export function CalendarFeedSection() {
  const { can } = useAuth();
  if (!can('calendar_feed.manage')) return null;
  return <CalendarFeed />;
}

function CalendarFeed() {
  const { t } = useTranslation();
  const format = useFormatDateTime();
  const queryClient = useQueryClient();
  const feed = useQuery({ queryKey: appointmentKeys.feed, queryFn: getFeed });
  const [showNames, setShowNames] = useState(false);
  const [url, setUrl] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ kind: 'success' | 'warning'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<void>) => {
    if (busy) return;
    setBusy(true);
    setNotice(null);
    try {
      await fn();
      await queryClient.invalidateQueries({ queryKey: appointmentKeys.feed });
    } catch (e) {
      setNotice({ kind: 'warning', text: isApiError(e) ? e.message : t('errors.unexpected') });
    } finally {
      setBusy(false);
    }
  };
  const make = () =>
    run(async () => {
      const made = await createFeed(showNames);
      setUrl(made.url);
      setNotice({ kind: 'success', text: t('appointments.feed.made') });
    });
  const off = () =>
    run(async () => {
      await turnOffFeed();
      setUrl(null);
      setNotice({ kind: 'success', text: t('appointments.feed.turnedOff') });
    });
  return (
    <section aria-labelledby="calendar-feed-heading">
      <h2 className="heading-m" id="calendar-feed-heading">
        {t('appointments.feed.heading')}
      </h2>
      <p>{t('appointments.feed.intro')}</p>
      {notice ? (
        <Banner kind={notice.kind}>
          <p>{notice.text}</p>
        </Banner>
      ) : null}
      {url ? <CopyBox label={t('appointments.feed.address')} value={url} /> : null}
      {feed.isPending ? <Loading /> : null}
      {feed.isError ? <LoadFailed error={feed.error} retry={() => void feed.refetch()} /> : null}
      {feed.isSuccess ? (
        <>
          <p>
            {feed.data.active && feed.data.createdAt ? t('appointments.feed.on', { when: format(feed.data.createdAt) }) : t('appointments.feed.off')}
            {feed.data.active ? ` ${t('appointments.feed.names', { value: feed.data.showNames ? t('appointments.feed.yes') : t('appointments.feed.no') })}` : ''}
          </p>
          <SingleCheckbox name="feedShowNames" label={t('appointments.feed.showNames')} hint={t('appointments.feed.showNamesHint')} value={showNames} onChange={setShowNames} />
          <ButtonGroup>
            <Button busy={busy} variant={feed.data.active ? 'secondary' : 'primary'} onClick={() => void make()}>
              {feed.data.active ? t('appointments.feed.replace') : t('appointments.feed.create')}
            </Button>
            {feed.data.active ? (
              <Button variant="secondary" busy={busy} onClick={() => void off()}>
                {t('appointments.feed.turnOff')}
              </Button>
            ) : null}
          </ButtonGroup>
        </>
      ) : null}
    </section>
  );
}

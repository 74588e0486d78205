/** Where you are signed in: end any session, or all of them at once (this one included). */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useAuth } from '../../app/auth';
import { Banner, LoadFailed, Loading, Page, Tag, useFormatDateTime } from '../../app/components';
import { Button } from '../../app/forms/Button';
import { describeError } from '../../app/forms/errors';
import { endSession, listSessions, SESSIONS_KEY, signOutEverywhere, type Session } from './account.api';
import { describeUserAgent } from './userAgent';

export function SessionsPage() {
  const { t } = useTranslation();
  const { signOut, sessionEnded } = useAuth();
  const queryClient = useQueryClient();
  const sessions = useQuery({ queryKey: SESSIONS_KEY, queryFn: listSessions });
  const format = useFormatDateTime();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ended, setEnded] = useState(false);

  const run = async (id: string, fn: () => Promise<unknown>) => {
    if (busy) return;
    setBusy(id);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(describeError(t, err));
    } finally {
      setBusy(null);
    }
  };

  const device = (s: Session) => {
    const d = describeUserAgent(s.userAgent);
    if (!d) return t('sessions.unknownDevice');
    if (d.browser && d.system) return t('sessions.browserOn', { browser: d.browser, system: d.system });
    return d.browser || d.system;
  };

  return (
    <Page title={t('sessions.title')} back={{ to: '/account', label: t('common.back') }}>
      <p>{t('sessions.intro')}</p>
      {ended ? (
        <Banner kind="success">
          <p>{t('sessions.ended')}</p>
        </Banner>
      ) : null}
      {error ? (
        <div className="error-summary" role="alert">
          <p>{error}</p>
        </div>
      ) : null}
      {sessions.isPending ? <Loading /> : null}
      {sessions.isError ? <LoadFailed error={sessions.error} retry={() => void sessions.refetch()} /> : null}
      {sessions.data ? (
        <ul className="record-list">
          {sessions.data.map((s) => (
            <li key={s.id} className="record">
              <h2 className="heading-s record-title">
                {device(s)} {s.current ? <Tag tone="blue">{t('sessions.thisDevice')}</Tag> : null}
              </h2>
              <dl className="record-facts">
                <div>
                  <dt>{t('sessions.lastActive')}</dt>
                  <dd>{format(s.lastSeenAt)}</dd>
                </div>
                <div>
                  <dt>{t('sessions.signedIn')}</dt>
                  <dd>{format(s.createdAt)}</dd>
                </div>
                {s.ip ? (
                  <div>
                    <dt>{t('sessions.ip')}</dt>
                    <dd>{s.ip}</dd>
                  </div>
                ) : null}
              </dl>
              <Button
                variant="secondary"
                busy={busy === s.id}
                busyLabel={t('sessions.signingOut')}
                onClick={() =>
                  void run(s.id, async () => {
                    if (s.current) return signOut('signedOut');
                    await endSession(s.id);
                    setEnded(true);
                    await queryClient.invalidateQueries({ queryKey: SESSIONS_KEY });
                  })
                }
              >
                {s.current ? t('sessions.signOutHere') : t('sessions.signOut')}
                {s.current ? null : <span className="visually-hidden"> {device(s)}</span>}
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
      <h2 className="heading-m">{t('sessions.everywhereHeading')}</h2>
      <p>{t('sessions.everywhereText')}</p>
      <Button
        variant="warning"
        busy={busy === 'all'}
        busyLabel={t('sessions.signingOut')}
        onClick={() =>
          void run('all', async () => {
            await signOutEverywhere();
            sessionEnded('signedOutEverywhere');
          })
        }
      >
        {t('sessions.everywhere')}
      </Button>
    </Page>
  );
}

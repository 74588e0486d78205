/**
 * The participant page's links: each link the coach made, what it is for, how it stands (not
 * opened, opened, answered with the total or the alerts it raised, expired, turned off) and how its
 * message went. While a link waits for answers the list asks the server again every 10 seconds, so
 * the coach sees answers arrive: it says so in a polite live region and refreshes the rest of the
 * record (the BARC-10 trend, check-ins, to-dos).
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMe } from '../../app/auth';
import { Banner, LoadFailed, Loading, Tag, useFormatDateTime } from '../../app/components';
import { Button } from '../../app/forms/Button';
import { linkKeys, listLinks, PERMISSIONS, revokeLink, type LinkT } from './links.api';
import './links.css';

const POLL_MS = 10_000;
const live = (l: LinkT) => l.status === 'waiting' || l.status === 'opened';

export function LinksSection({ participantId }: { participantId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const client = useQueryClient();
  const mayRead = me.permissions.includes(PERMISSIONS.read);
  const maySend = me.permissions.includes(PERMISSIONS.send);
  const links = useQuery({
    queryKey: linkKeys.list(participantId),
    queryFn: () => listLinks(participantId),
    enabled: mayRead,
    refetchInterval: (q) => (q.state.data?.some(live) ? POLL_MS : false),
  });
  const [arrived, setArrived] = useState<string | null>(null);
  const seen = useRef<Map<string, LinkT['status']> | null>(null);
  useEffect(() => {
    if (!links.data) return;
    const before = seen.current;
    seen.current = new Map(links.data.map((l) => [l.id, l.status]));
    if (!before) return;
    const fresh = links.data.filter((l) => l.status === 'answered' && before.get(l.id) !== undefined && before.get(l.id) !== 'answered');
    if (fresh.length === 0) return;
    setArrived(t('participantLinks.arrived', { what: fresh.map((l) => l.questionnaireTitle ?? t(`participantLinks.purposes.${l.purpose}`)).join(', ') }));
    void client.invalidateQueries({ queryKey: linkKeys.participant(participantId), refetchType: 'active' });
    void client.invalidateQueries({ queryKey: ['todos'] });
  }, [links.data, client, participantId, t]);

  if (!mayRead) return null;
  return (
    <section aria-labelledby="links-heading" className="care-section">
      <h2 className="heading-m" id="links-heading">
        {t('participantLinks.heading')}
      </h2>
      <div aria-live="polite">
        {arrived ? (
          <Banner kind="success">
            <p>{arrived}</p>
          </Banner>
        ) : null}
      </div>
      {links.isPending ? <Loading /> : null}
      {links.isError ? <LoadFailed error={links.error} retry={() => void links.refetch()} /> : null}
      {links.data && links.data.length === 0 ? <p>{t('participantLinks.none')}</p> : null}
      {links.data && links.data.length > 0 ? (
        <ul className="record-list link-list">
          {links.data.map((l) => (
            <LinkEntry key={l.id} link={l} maySend={maySend} />
          ))}
        </ul>
      ) : null}
      {links.data?.some(live) ? <p className="hint">{t('participantLinks.watching')}</p> : null}
      {maySend ? (
        <p>
          <Link className="button button--secondary" to={`/participant-links/new?participant=${encodeURIComponent(participantId)}`}>
            {t('participantLinks.send')}
          </Link>
        </p>
      ) : null}
    </section>
  );
}

function LinkEntry({ link: l, maySend }: { link: LinkT; maySend: boolean }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const formatDateTime = useFormatDateTime();
  const revoke = useMutation({
    mutationFn: () => revokeLink(l.id),
    onSuccess: () => client.invalidateQueries({ queryKey: linkKeys.list(l.participantId) }),
  });
  const what = l.questionnaireTitle ? <span lang={l.language === 'es' && l.questionnaireKey === 'barc10' ? 'en' : undefined}>{l.questionnaireTitle}</span> : t(`participantLinks.purposes.${l.purpose}`);
  const tone = l.status === 'answered' ? 'green' : l.status === 'expired' || l.status === 'revoked' ? 'grey' : 'blue';
  return (
    <li>
      <p>
        <strong>{what}</strong> <Tag tone={tone}>{t(`participantLinks.statuses.${l.status}`)}</Tag>
      </p>
      <p className="hint">
        {t('participantLinks.line', { what: '', when: formatDateTime(l.createdAt) }).replace(/^, /, '')}
        {l.messageStatus ? `, ${t(`participantLinks.messageStatuses.${l.messageStatus as 'sent'}`)}` : ''}
        {live(l) ? `, ${t('participantLinks.expires', { when: formatDateTime(l.expiresAt) })}` : ''}
      </p>
      {l.status === 'answered' && l.answeredAt ? (
        <p>
          {t('participantLinks.answeredAt', { when: formatDateTime(l.answeredAt) })}
          {l.result?.score != null ? ` · ${t('participantLinks.score', { score: l.result.score })}` : ''}
          {l.result?.type === 'check_in' ? ` · ${l.result.alerts > 0 ? t('participantLinks.alerts', { count: l.result.alerts }) : t('participantLinks.noAlerts')}` : ''}
        </p>
      ) : null}
      {maySend && live(l) ? (
        <Button variant="secondary" busy={revoke.isPending} onClick={() => revoke.mutate()}>
          {t('participantLinks.revoke')}
        </Button>
      ) : null}
    </li>
  );
}

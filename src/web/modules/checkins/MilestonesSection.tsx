/**
 * The participant page's milestones: the recovery start date (the participant's own; nothing here
 * changes it), the MOUD start date, milestones coming up (those within a week highlighted, so the
 * coach can plan a celebration) and those reached, each "Celebrated" once logged, with "Mark
 * celebrated" for those who may; "Add a milestone" for housing found, a job, and the like.
 */
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useAuth, useMe } from '../../app/auth';
import { LoadFailed, Loading, Tag } from '../../app/components';
import { dateIn } from '../care/care.api';
import { useFormatDay } from '../referrals/parts';
import { checkinKeys, getMilestones, MILESTONE_AHEAD_DAYS, PERMISSIONS, type MilestoneT } from './checkins.api';
import './checkins.css';

const enc = encodeURIComponent;
export const addMilestonePath = (participantId: string) => `/milestones/new?participant=${enc(participantId)}`;
export const celebratePath = (participantId: string, m: Pick<MilestoneT, 'kind' | 'anchor' | 'on'>) =>
  `/milestones/celebrate?participant=${enc(participantId)}&kind=${enc(m.kind)}&anchor=${enc(m.anchor)}&on=${enc(m.on)}`;

/** "7 days", "6 months", "1 year"… from an anchor of the series (24h, 7d, 6m, 1y, 18m, 2y…). */
export function stepWords(t: TFunction, anchor: string): string {
  const m = /^(\d+)([hdmy])$/.exec(anchor);
  if (!m) return anchor;
  const n = Number(m[1]);
  const unit = m[2];
  if (unit === 'h') return t('checkins.milestones.steps.hours', { n });
  if (unit === 'd') return t('checkins.milestones.steps.days', { n });
  if (unit === 'm') return t('checkins.milestones.steps.months', { n });
  return n === 1 ? t('checkins.milestones.steps.year') : t('checkins.milestones.steps.years', { n });
}

/** A milestone in words: "30 days in recovery", "6 months on MOUD", "Housing found". */
export function milestoneWords(t: TFunction, m: Pick<MilestoneT, 'kind' | 'anchor' | 'customKind' | 'label'>): string {
  if (m.kind === 'recovery') return t('checkins.milestones.recovery', { step: stepWords(t, m.anchor) });
  if (m.kind === 'moud') return t('checkins.milestones.moud', { step: stepWords(t, m.anchor) });
  if (m.label) return m.customKind && m.customKind !== 'other' ? `${t(`checkins.milestones.kinds.${m.customKind}`)}: ${m.label}` : m.label;
  return m.customKind ? t(`checkins.milestones.kinds.${m.customKind}`) : m.anchor;
}

const plusDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export function MilestonesSection({ participantId }: { participantId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const day = useFormatDay();
  const timeZone = useAuth().me?.organization?.timeZone;
  const today = dateIn(new Date(), timeZone);
  const mayRead = me.permissions.includes(PERMISSIONS.read);
  const mayWrite = me.permissions.includes(PERMISSIONS.write);
  const q = useQuery({ queryKey: checkinKeys.milestones(participantId), queryFn: () => getMilestones(participantId), enabled: mayRead });
  if (!mayRead) return null;
  const weekAhead = plusDays(today, MILESTONE_AHEAD_DAYS);
  return (
    <section aria-labelledby="milestones-heading" className="care-section milestones">
      <h2 className="heading-m" id="milestones-heading">
        {t('checkins.milestones.heading')}
      </h2>
      {q.isPending ? <Loading /> : null}
      {q.isError ? <LoadFailed error={q.error} retry={() => void q.refetch()} /> : null}
      {q.data ? (
        <>
          <p>{q.data.recoveryStartDate ? t('checkins.milestones.recoveryStart', { date: day(q.data.recoveryStartDate) }) : t('checkins.milestones.noRecoveryStart')}</p>
          {q.data.recoveryStartDate ? <p className="hint">{t('checkins.milestones.recoveryStartNote')}</p> : null}
          {q.data.moudStartDate ? <p>{t('checkins.milestones.moudStart', { date: day(q.data.moudStartDate) })}</p> : null}
          <h3 className="heading-s" id="milestones-upcoming-heading">
            {t('checkins.milestones.upcoming')}
          </h3>
          {q.data.upcoming.length === 0 ? (
            <p>{t('checkins.milestones.noUpcoming')}</p>
          ) : (
            <ul className="record-list" aria-labelledby="milestones-upcoming-heading">
              {q.data.upcoming.map((m) => (
                <Entry key={`${m.kind}-${m.anchor}-${m.on}`} m={m} participantId={participantId} soon={m.on <= weekAhead} mayCelebrate={mayWrite && m.on <= weekAhead} />
              ))}
            </ul>
          )}
          <h3 className="heading-s" id="milestones-past-heading">
            {t('checkins.milestones.past')}
          </h3>
          {q.data.past.length === 0 ? (
            <p>{t('checkins.milestones.noPast')}</p>
          ) : (
            <ul className="record-list" aria-labelledby="milestones-past-heading">
              {q.data.past.map((m) => (
                <Entry key={`${m.kind}-${m.anchor}-${m.on}`} m={m} participantId={participantId} soon={false} mayCelebrate={mayWrite} />
              ))}
            </ul>
          )}
        </>
      ) : null}
      {mayWrite ? (
        <p>
          <Link className="button button--secondary" to={addMilestonePath(participantId)}>
            {t('checkins.milestones.add')}
          </Link>
        </p>
      ) : null}
    </section>
  );
}

function Entry({ m, participantId, soon, mayCelebrate }: { m: MilestoneT; participantId: string; soon: boolean; mayCelebrate: boolean }) {
  const { t } = useTranslation();
  const day = useFormatDay();
  const what = milestoneWords(t, m);
  return (
    <li className={`record${soon ? ' milestone--soon' : ''}`}>
      <p className="record-title">
        <strong>{what}</strong> <span className="hint">{day(m.on)}</span>
      </p>
      <p>
        {soon ? <Tag tone="yellow">{t('checkins.milestones.soon')}</Tag> : null}{' '}
        {m.celebration ? (
          <>
            <Tag tone="green">{t('checkins.milestones.celebrated')}</Tag> <span className="hint">{t('checkins.milestones.celebratedOn', { date: day(m.celebration.celebratedAt) })}</span>
          </>
        ) : null}
      </p>
      {m.celebration?.note ? <p>{m.celebration.note}</p> : null}
      {!m.celebration && mayCelebrate ? (
        <p>
          <Link to={celebratePath(participantId, m)}>
            {t('checkins.milestones.markCelebrated')}
            <span className="visually-hidden">{t('checkins.milestones.markHidden', { what })}</span>
          </Link>
        </p>
      ) : null}
    </li>
  );
}

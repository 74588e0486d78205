/**
 * The participant page's check-ins: the latest one (mood, cravings, MOUD taken, use or overdose
 * since the last, the two short texts, and the alerts it raised), mood and cravings over time as
 * two small charts (inline SVG, every point labelled with its number, the same numbers as a
 * table), and "Record a check-in" for those who may. Shown to people whose role reads check-ins.
 */
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { CheckInAlertReason } from '../../../contracts/checkins';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useMe } from '../../app/auth';
import { LoadFailed, Loading, Tag } from '../../app/components';
import { useFormatDay } from '../referrals/parts';
import { LineChart } from './LineChart';
import { checkInPath, checkinKeys, listCheckIns, getCheckInTrend, PERMISSIONS, type CheckInT, type CheckInTrendT } from './checkins.api';
import './checkins.css';

export function CheckInsSection({ participantId }: { participantId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const mayRead = me.permissions.includes(PERMISSIONS.read);
  const mayWrite = me.permissions.includes(PERMISSIONS.write);
  const list = useQuery({ queryKey: checkinKeys.list(participantId), queryFn: () => listCheckIns(participantId), enabled: mayRead });
  const trend = useQuery({ queryKey: checkinKeys.trend(participantId), queryFn: () => getCheckInTrend(participantId), enabled: mayRead });
  if (!mayRead) return null;
  const latest = list.data?.[0];
  return (
    <section aria-labelledby="checkins-heading" className="care-section checkins">
      <h2 className="heading-m" id="checkins-heading">
        {t('checkins.heading')}
      </h2>
      {list.isPending ? <Loading /> : null}
      {list.isError ? <LoadFailed error={list.error} retry={() => void list.refetch()} /> : null}
      {list.data && !latest ? <p>{t('checkins.none')}</p> : null}
      {latest ? <Latest checkIn={latest} /> : null}
      {trend.isError ? <LoadFailed error={trend.error} retry={() => void trend.refetch()} /> : null}
      {trend.data && trend.data.points.length > 1 ? <Trend trend={trend.data} /> : null}
      {mayWrite ? (
        <p>
          <Link className="button button--secondary" to={checkInPath(participantId)}>
            {t('checkins.record')}
          </Link>{' '}
          {me.permissions.includes('participant_links.send') ? <Link to={`/participant-links/new?participant=${encodeURIComponent(participantId)}&purpose=check_in`}>{t('checkins.sendLink')}</Link> : null}
        </p>
      ) : null}
    </section>
  );
}

function Latest({ checkIn: c }: { checkIn: CheckInT }) {
  const { t } = useTranslation();
  const day = useFormatDay();
  const yesNo = (b: boolean) => (b ? t('checkins.yes') : t('checkins.no'));
  const rows: [string, string][] = [
    [t('checkins.mood'), t('checkins.moodValue', { n: c.mood })],
    [t('checkins.cravings'), t('checkins.cravingsValue', { n: c.cravings })],
    [t('checkins.moudTaken'), t(`checkins.moud.${c.moudTaken}`)],
    [t('checkins.useSinceLast'), yesNo(c.useSinceLast)],
    [t('checkins.overdoseSinceLast'), yesNo(c.overdoseSinceLast)],
    [t('checkins.goingWell'), c.goingWell ?? t('checkins.notSaid')],
    [t('checkins.needsToday'), c.needsToday ?? t('checkins.notSaid')],
  ];
  return (
    <div className="checkin-latest">
      <h3 className="heading-s">{t('checkins.latestHeading', { date: day(c.checkedInOn) })}</h3>
      {c.alerts.length > 0 ? (
        <p>
          <Tag tone="red">{t('checkins.alertsRaised', { alerts: alertWords(t, c) })}</Tag>
        </p>
      ) : null}
      <dl className="checkin-facts">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/** The alerts a check-in raised, in words; high cravings name the level it was judged by (its program's at the time). */
export const alertWords = (t: TFunction, c: { alerts: readonly CheckInAlertReason[]; cravingsAlertThreshold: number }) =>
  c.alerts.map((a) => t(`checkins.alerts.${a}`, { threshold: c.cravingsAlertThreshold })).join(', ');

function Trend({ trend }: { trend: CheckInTrendT }) {
  const { t } = useTranslation();
  const day = useFormatDay();
  const points = trend.points;
  return (
    <figure className="checkin-trend">
      <LineChart
        title={t('checkins.chart.moodTitle')}
        min={1}
        max={5}
        ticks={[1, 2, 3, 4, 5]}
        points={points.map((p) => ({ key: p.checkInId, value: p.mood, label: day(p.checkedInOn) }))}
        summary={(title, pts) => t('checkins.chart.summary', { title, points: pts.map((p) => t('checkins.chart.point', { n: p.value, date: p.label })).join(', ') })}
      />
      <LineChart
        title={t('checkins.chart.cravingsTitle')}
        min={0}
        max={10}
        ticks={[0, 2, 4, 6, 8, 10]}
        points={points.map((p) => ({ key: p.checkInId, value: p.cravings, label: day(p.checkedInOn) }))}
        summary={(title, pts) => t('checkins.chart.summary', { title, points: pts.map((p) => t('checkins.chart.point', { n: p.value, date: p.label })).join(', ') })}
      />
      <figcaption className="visually-hidden">{t('checkins.chart.tableCaption')}</figcaption>
      <details className="details">
        <summary className="details-summary">
          <span className="details-summary-text">{t('checkins.chart.tableShow')}</span>
        </summary>
        <div className="details-text">
          <table className="table">
            <caption className="visually-hidden">{t('checkins.chart.tableCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('checkins.chart.date')}</th>
                <th scope="col" className="numeric">
                  {t('checkins.mood')}
                </th>
                <th scope="col" className="numeric">
                  {t('checkins.cravings')}
                </th>
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.checkInId}>
                  <th scope="row">{day(p.checkedInOn)}</th>
                  <td className="numeric">{p.mood}</td>
                  <td className="numeric">{p.cravings}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

/**
 * The participant page's questionnaires: the latest BARC-10 total (with "strong recovery capital"
 * at 47 or more), the change since the first, a small trend chart (inline SVG whose every point is
 * labelled with its number, with the same totals as a table), a warning when the total fell by 10
 * points or more, and the social-needs screens with the kinds of services they suggest.
 * Shown to people whose role reads questionnaires; the "Answer" links to those who ask them.
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useMe } from '../../app/auth';
import { Banner, LoadFailed, Loading, Tag } from '../../app/components';
import { useFormatDay } from '../referrals/parts';
import { BARC10, BARC10_STRONG, PERMISSIONS, SOCIAL_NEEDS, getTrend, listResponses, questionnaireKeys, type ResponseT, type TrendT } from './questionnaires.api';
import './questionnaires.css';

export const answerPath = (key: string, participantId: string) => `/questionnaires/${encodeURIComponent(key)}/new?participant=${encodeURIComponent(participantId)}`;

export function QuestionnairesSection({ participantId }: { participantId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const mayRead = me.permissions.includes(PERMISSIONS.read);
  const mayAnswer = me.permissions.includes(PERMISSIONS.answer);
  const trend = useQuery({ queryKey: questionnaireKeys.trend(participantId), queryFn: () => getTrend(participantId), enabled: mayRead });
  const screens = useQuery({ queryKey: questionnaireKeys.responses(participantId, SOCIAL_NEEDS), queryFn: () => listResponses(participantId, SOCIAL_NEEDS), enabled: mayRead });
  if (!mayRead) return null;
  return (
    <section aria-labelledby="questionnaires-heading" className="care-section questionnaires">
      <h2 className="heading-m" id="questionnaires-heading">
        {t('questionnaires.heading')}
      </h2>
      <h3 className="heading-s" id="barc10-heading">
        {t('questionnaires.barc10.heading')}
      </h3>
      {trend.isPending ? <Loading /> : null}
      {trend.isError ? <LoadFailed error={trend.error} retry={() => void trend.refetch()} /> : null}
      {trend.data ? <Barc10Summary trend={trend.data} /> : null}
      {mayAnswer ? (
        <p>
          <Link className="button button--secondary" to={answerPath(BARC10, participantId)}>
            {t('questionnaires.barc10.answer')}
          </Link>{' '}
          {me.permissions.includes('participant_links.send') ? <Link to={`/participant-links/new?participant=${encodeURIComponent(participantId)}&purpose=questionnaire&key=${BARC10}`}>{t('questionnaires.barc10.sendLink')}</Link> : null}
        </p>
      ) : null}

      <h3 className="heading-s" id="social-needs-heading">
        {t('questionnaires.socialNeeds.heading')}
      </h3>
      {screens.isPending ? <Loading /> : null}
      {screens.isError ? <LoadFailed error={screens.error} retry={() => void screens.refetch()} /> : null}
      {screens.data && screens.data.length === 0 ? <p>{t('questionnaires.socialNeeds.none')}</p> : null}
      {screens.data && screens.data.length > 0 ? (
        <ul className="record-list">
          {screens.data.map((r) => (
            <ScreenEntry key={r.id} response={r} />
          ))}
        </ul>
      ) : null}
      {mayAnswer ? (
        <p>
          <Link className="button button--secondary" to={answerPath(SOCIAL_NEEDS, participantId)}>
            {t('questionnaires.socialNeeds.answer')}
          </Link>
        </p>
      ) : null}
    </section>
  );
}

function Barc10Summary({ trend }: { trend: TrendT }) {
  const { t } = useTranslation();
  const day = useFormatDay();
  const { latest, baseline, changeSinceBaseline: change } = trend;
  if (!latest) return <p>{t('questionnaires.barc10.none')}</p>;
  const strong = latest.score >= BARC10_STRONG;
  const lastDrop = trend.sharpDrops[trend.sharpDrops.length - 1];
  return (
    <>
      {trend.sharpDrop && lastDrop ? (
        <Banner kind="warning" title={t('questionnaires.barc10.dropTitle')}>
          <p>{t('questionnaires.barc10.drop', { from: lastDrop.fromScore, to: lastDrop.toScore, date: day(lastDrop.answeredOn) })}</p>
        </Banner>
      ) : null}
      <div className="barc10-latest">
        <p className="barc10-total">{t('questionnaires.barc10.latest', { score: latest.score })}</p>
        <p>
          {strong ? <Tag tone="green">{t('questionnaires.barc10.strong')}</Tag> : null} <span className="hint">{t('questionnaires.barc10.latestOn', { date: day(latest.answeredOn) })}</span>
        </p>
        <p className="hint">{strong ? t('questionnaires.barc10.strongHint') : t('questionnaires.barc10.notStrong')}</p>
        {baseline && change !== null && trend.points.length > 1 ? (
          <p className="barc10-change">
            {change === 0
              ? t('questionnaires.barc10.changeNone', { date: day(baseline.answeredOn), baseline: baseline.score })
              : change > 0
                ? t('questionnaires.barc10.changeUp', { n: change, date: day(baseline.answeredOn), baseline: baseline.score })
                : t('questionnaires.barc10.changeDown', { n: -change, date: day(baseline.answeredOn), baseline: baseline.score })}
          </p>
        ) : (
          <p>{t('questionnaires.barc10.first')}</p>
        )}
      </div>
      {trend.points.length > 1 ? <TrendChart points={trend.points} /> : null}
    </>
  );
}

const CHART = { width: 320, height: 180, left: 34, right: 16, top: 22, bottom: 30, min: 10, max: 60 };

/**
 * Totals over time as a line: the points are evenly spaced (the dates are in the table), each
 * labelled with its total, and a dashed line marks 47. Nothing is said by colour alone.
 */
function TrendChart({ points }: { points: TrendT['points'] }) {
  const { t } = useTranslation();
  const day = useFormatDay();
  const titleId = useId();
  const descId = useId();
  const { width, height, left, right, top, bottom, min, max } = CHART;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const x = (i: number) => left + (points.length === 1 ? plotW / 2 : (plotW * i) / (points.length - 1));
  const y = (score: number) => top + plotH - ((Math.min(max, Math.max(min, score)) - min) / (max - min)) * plotH;
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.score).toFixed(1)}`).join(' ');
  const summary = t('questionnaires.barc10.chartSummary', { points: points.map((p) => t('questionnaires.barc10.chartPoint', { score: p.score, date: day(p.answeredOn) })).join(', ') });
  return (
    <figure className="barc10-chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${titleId} ${descId}`} focusable="false">
        <title id={titleId}>{t('questionnaires.barc10.chartTitle')}</title>
        <desc id={descId}>{summary}</desc>
        {[10, 20, 30, 40, 50, 60].map((v) => (
          <g key={v} aria-hidden="true">
            <line x1={left} x2={width - right} y1={y(v)} y2={y(v)} className="barc10-grid" />
            <text x={left - 6} y={y(v) + 4} textAnchor="end" className="barc10-axis">
              {v}
            </text>
          </g>
        ))}
        <g aria-hidden="true">
          <line x1={left} x2={width - right} y1={y(BARC10_STRONG)} y2={y(BARC10_STRONG)} className="barc10-strong-line" />
          <line x1={left} x2={left + 24} y1={height - 8} y2={height - 8} className="barc10-strong-line" />
          <text x={left + 30} y={height - 4} className="barc10-axis">
            {t('questionnaires.barc10.chartLine')}
          </text>
          <path d={path} className="barc10-line" />
          {points.map((p, i) => (
            <g key={p.responseId}>
              <circle cx={x(i)} cy={y(p.score)} r={4} className="barc10-point" />
              <text x={x(i)} y={y(p.score) - 8} textAnchor="middle" className="barc10-label">
                {p.score}
              </text>
            </g>
          ))}
        </g>
      </svg>
      <figcaption className="visually-hidden">{t('questionnaires.barc10.chartTitle')}</figcaption>
      <details className="details">
        <summary className="details-summary">
          <span className="details-summary-text">{t('questionnaires.barc10.tableShow')}</span>
        </summary>
        <div className="details-text">
          <table className="table">
            <caption className="visually-hidden">{t('questionnaires.barc10.tableCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('questionnaires.barc10.date')}</th>
                <th scope="col" className="numeric">
                  {t('questionnaires.barc10.total')}
                </th>
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.responseId}>
                  <th scope="row">{day(p.answeredOn)}</th>
                  <td className="numeric">
                    {p.score}
                    {p.strong ? ` (${t('questionnaires.barc10.strong')})` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

function ScreenEntry({ response: r }: { response: ResponseT }) {
  const { t } = useTranslation();
  const day = useFormatDay();
  const needs = Object.entries(r.answers)
    .filter(([, v]) => v === true)
    .map(([id]) => t(`questionnaires.socialNeeds.domains.${id}`, { defaultValue: id }));
  return (
    <li className="record">
      <h4 className="heading-s record-title">{t('questionnaires.socialNeeds.screenOn', { date: day(r.answeredOn) })}</h4>
      <dl className="questionnaire-facts">
        <div>
          <dt>{t('questionnaires.socialNeeds.needs')}</dt>
          <dd>{needs.length ? needs.join(', ') : t('questionnaires.socialNeeds.noNeeds')}</dd>
        </div>
        <div>
          <dt>{t('questionnaires.socialNeeds.suggestions')}</dt>
          <dd>{r.suggestedServiceTypes.length ? r.suggestedServiceTypes.map((s) => t(`directory.types.${s}`, { defaultValue: s })).join(', ') : t('questionnaires.socialNeeds.noSuggestions')}</dd>
        </div>
      </dl>
    </li>
  );
}

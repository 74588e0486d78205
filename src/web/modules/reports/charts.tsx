/**
 * The dashboard's two charts, drawn as inline SVG: the linkage funnel (index events, then
 * linked within each window) and the retention curve (Kaplan–Meier steps). Each chart is an
 * image named by its title and a sentence with every number (role=img, aria-labelledby), each
 * bar and step is labelled with its number, and the same numbers follow in a table. Nothing is
 * said by colour alone. A chart with a hidden small count is not drawn (the table says so).
 * Monthly trends are a line per figure over the months, each point labelled, with the same
 * description and table; a hidden month leaves a gap in the line and says "fewer than 11".
 */
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeasureT, TrendSeriesT } from './reports.api';
import { decimal, percent } from './format';

export interface FunnelStep {
  key: string;
  label: string;
  value: number | null;
}

/** The linkage funnel's steps: index events (counted or still in their window), then linked within each window. */
export function funnelSteps(linkage: MeasureT, labels: { index: string; linked: (days: string) => string }): FunnelStep[] {
  const windows = linkage.figures.filter((f) => f.key.startsWith('window_'));
  const first = windows[0];
  if (!first) return [];
  const index = first.denominator === null || first.pending === null ? null : first.denominator + (first.pending ?? 0);
  return [
    { key: 'index', label: labels.index, value: index },
    ...windows.map((w) => ({ key: w.key, label: labels.linked(w.key.replace('window_', '')), value: w.numerator })),
  ];
}

export interface SurvivalStep {
  day: number;
  value: number | null;
}

/** The retention curve's steps: 100% at day 0, then the survival at each day the program follows. */
export function survivalSteps(retention: MeasureT): SurvivalStep[] {
  const points = retention.figures
    .filter((f) => f.key.startsWith('survival_'))
    .map((f) => ({ day: Number(f.key.replace('survival_', '')), value: f.rate }))
    .sort((a, b) => a.day - b.day);
  return points.length ? [{ day: 0, value: 1 }, ...points] : [];
}

function NumbersTable({ caption, head, rows }: { caption: string; head: [string, string]; rows: { key: string; label: ReactNode; value: ReactNode }[] }) {
  const { t } = useTranslation();
  return (
    <details className="details report-chart-table">
      <summary className="details-summary">
        <span className="details-summary-text">{t('reports.charts.tableShow')}</span>
      </summary>
      <div className="details-text">
        <table className="table">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{head[0]}</th>
              <th scope="col" className="numeric">
                {head[1]}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">{r.label}</th>
                <td className="numeric">{r.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

const FUNNEL = { width: 320, left: 8, right: 44, bar: 26, gap: 30, top: 4 };

export function FunnelChart({ steps, suppressed }: { steps: FunnelStep[]; suppressed: boolean }) {
  const { t } = useTranslation();
  const titleId = useId();
  const descId = useId();
  const fewer = suppressed ? t('reports.figure.fewer') : '–';
  const shown = (v: number | null) => (v === null ? fewer : String(v));
  const complete = steps.every((s) => s.value !== null);
  const max = Math.max(1, ...steps.map((s) => s.value ?? 0));
  const { width, left, right, bar, gap, top } = FUNNEL;
  const height = top + steps.length * (bar + gap);
  const plotW = width - left - right;
  const title = t('reports.charts.funnelTitle');
  const summary = t('reports.charts.funnelSummary', { steps: steps.map((s) => t('reports.charts.funnelStep', { label: s.label, n: shown(s.value) })).join(', ') });
  return (
    <figure className="report-chart">
      <h3 className="heading-s">{title}</h3>
      {complete ? (
        <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${titleId} ${descId}`} focusable="false">
          <title id={titleId}>{title}</title>
          <desc id={descId}>{summary}</desc>
          <g aria-hidden="true">
            {steps.map((s, i) => {
              const y = top + i * (bar + gap);
              const w = Math.max(2, ((s.value ?? 0) / max) * plotW);
              return (
                <g key={s.key}>
                  <text x={left} y={y + 14} className="report-chart-label">
                    {s.label}
                  </text>
                  <rect x={left} y={y + 20} width={w} height={bar - 6} className={i === 0 ? 'report-chart-bar report-chart-bar--first' : 'report-chart-bar'} />
                  <text x={left + w + 6} y={y + 20 + (bar - 6) / 2 + 5} className="report-chart-value">
                    {s.value}
                  </text>
                </g>
              );
            })}
          </g>
        </svg>
      ) : (
        <p className="hint">{suppressed ? t('reports.charts.hidden') : t('reports.figure.noFigure')}</p>
      )}
      <NumbersTable caption={t('reports.charts.funnelCaption')} head={[t('reports.charts.step'), t('reports.charts.count')]} rows={steps.map((s) => ({ key: s.key, label: s.label, value: shown(s.value) }))} />
    </figure>
  );
}

const CURVE = { width: 320, height: 190, left: 40, right: 16, top: 24, bottom: 36 };

export function RetentionChart({ steps, suppressed }: { steps: SurvivalStep[]; suppressed: boolean }) {
  const { t, i18n } = useTranslation();
  const titleId = useId();
  const descId = useId();
  const fewer = suppressed ? t('reports.figure.fewer') : '–';
  const pct = (v: number | null) => (v === null ? fewer : percent(v, i18n.language));
  const complete = steps.every((s) => s.value !== null);
  const { width, height, left, right, top, bottom } = CURVE;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const maxDay = Math.max(1, ...steps.map((s) => s.day));
  const x = (day: number) => left + (day / maxDay) * plotW;
  const y = (v: number) => top + plotH - Math.min(1, Math.max(0, v)) * plotH;
  // Kaplan–Meier: flat until the next day the program looks, then down to the new level.
  const path = steps.map((s, i) => (i === 0 ? `M${x(s.day).toFixed(1)},${y(s.value ?? 0).toFixed(1)}` : `H${x(s.day).toFixed(1)} V${y(s.value ?? 0).toFixed(1)}`)).join(' ');
  const title = t('reports.charts.retentionTitle');
  const summary = t('reports.charts.retentionSummary', { steps: steps.map((s) => t('reports.charts.retentionStep', { day: s.day, value: pct(s.value) })).join(', ') });
  return (
    <figure className="report-chart">
      <h3 className="heading-s">{title}</h3>
      {complete ? (
        <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${titleId} ${descId}`} focusable="false">
          <title id={titleId}>{title}</title>
          <desc id={descId}>{summary}</desc>
          <g aria-hidden="true">
            {[0, 0.5, 1].map((v) => (
              <g key={v}>
                <line x1={left} x2={width - right} y1={y(v)} y2={y(v)} className="report-chart-grid" />
                <text x={left - 6} y={y(v) + 4} textAnchor="end" className="report-chart-axis">
                  {Math.round(v * 100)}%
                </text>
              </g>
            ))}
            {steps.map((s) => (
              <text key={`d${s.day}`} x={x(s.day)} y={height - 20} textAnchor="middle" className="report-chart-axis">
                {s.day}
              </text>
            ))}
            <text x={left + plotW / 2} y={height - 4} textAnchor="middle" className="report-chart-axis">
              {t('reports.charts.dayAxis')}
            </text>
            <path d={path} className="report-chart-line" />
            {steps.map((s) => (
              <g key={s.day}>
                <circle cx={x(s.day)} cy={y(s.value ?? 0)} r={4} className="report-chart-point" />
                {s.day > 0 ? (
                  <text x={x(s.day)} y={y(s.value ?? 0) - 8} textAnchor="middle" className="report-chart-value">
                    {pct(s.value)}
                  </text>
                ) : null}
              </g>
            ))}
          </g>
        </svg>
      ) : (
        <p className="hint">{suppressed ? t('reports.charts.hidden') : t('reports.figure.noFigure')}</p>
      )}
      <NumbersTable
        caption={t('reports.charts.retentionCaption')}
        head={[t('reports.charts.day'), t('reports.charts.stillInContact')]}
        rows={steps.map((s) => ({ key: String(s.day), label: s.day === 0 ? t('reports.charts.retentionStart') : s.day, value: pct(s.value) }))}
      />
    </figure>
  );
}

const TREND = { width: 320, height: 200, left: 40, right: 16, top: 24, bottom: 40 };

/** A month (YYYY-MM) as people read it: "Jan 2026". */
function monthName(month: string, language: string): string {
  try {
    return new Intl.DateTimeFormat(language, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-15T12:00:00Z`));
  } catch {
    return month;
  }
}

/** One figure month by month: a share in percent (0–100% axis) or a rate (0 to the highest month). */
export function TrendChart({ series, label }: { series: TrendSeriesT; label: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const titleId = useId();
  const descId = useId();
  const isShare = series.kind === 'share';
  const value = (v: number | null, hidden: boolean) => (v === null ? (hidden ? t('reports.figure.fewer') : t('reports.trends.none')) : isShare ? percent(v, lang) : series.kind === 'count' ? decimal(v, lang, 0) : decimal(v, lang, 2));
  const shown = series.points.map((p) => ({ ...p, v: series.kind === 'count' ? p.numerator : p.rate }));
  const { width, height, left, right, top, bottom } = TREND;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const max = isShare ? 1 : Math.max(1e-9, ...shown.map((p) => p.v ?? 0));
  const step = shown.length > 1 ? plotW / (shown.length - 1) : 0;
  const x = (i: number) => left + (shown.length > 1 ? i * step : plotW / 2);
  const y = (v: number) => top + plotH - (Math.max(0, v) / max) * plotH;
  // A gap in the line where a month has nothing to show or is hidden.
  let path = '';
  let pen = false;
  shown.forEach((p, i) => {
    if (p.v === null) {
      pen = false;
      return;
    }
    path += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.v).toFixed(1)} `;
    pen = true;
  });
  const labelEvery = Math.max(1, Math.ceil(shown.length / 6));
  const summary = t('reports.trends.summary', { label, points: shown.map((p) => t('reports.trends.point', { month: monthName(p.month, lang), value: value(p.v, p.suppressed) })).join(', ') });
  const ticks = isShare ? [0, 0.5, 1] : [0, max / 2, max];
  return (
    <figure className="report-chart" data-trend={`${series.measureId}.${series.figure}`}>
      <h3 className="heading-s">{label}</h3>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${titleId} ${descId}`} focusable="false">
        <title id={titleId}>{label}</title>
        <desc id={descId}>{summary}</desc>
        <g aria-hidden="true">
          {ticks.map((v) => (
            <g key={v}>
              <line x1={left} x2={width - right} y1={y(v)} y2={y(v)} className="report-chart-grid" />
              <text x={left - 6} y={y(v) + 4} textAnchor="end" className="report-chart-axis">
                {isShare ? `${Math.round(v * 100)}%` : decimal(v, lang, 1)}
              </text>
            </g>
          ))}
          {shown.map((p, i) =>
            i % labelEvery === 0 || i === shown.length - 1 ? (
              <text key={`m${p.month}`} x={x(i)} y={height - 22} textAnchor="middle" className="report-chart-axis">
                {monthName(p.month, lang)}
              </text>
            ) : null,
          )}
          <path d={path} className="report-chart-line" />
          {shown.map((p, i) =>
            p.v === null ? null : (
              <g key={p.month}>
                <circle cx={x(i)} cy={y(p.v)} r={4} className="report-chart-point" />
                {shown.length <= 12 ? (
                  <text x={x(i)} y={y(p.v) - 8} textAnchor="middle" className="report-chart-value">
                    {value(p.v, false)}
                  </text>
                ) : null}
              </g>
            ),
          )}
        </g>
      </svg>
      <NumbersTable
        caption={label}
        head={[t('reports.trends.month'), t('reports.trends.value')]}
        rows={shown.map((p) => ({ key: p.month, label: monthName(p.month, lang), value: value(p.v, p.suppressed) }))}
      />
    </figure>
  );
}

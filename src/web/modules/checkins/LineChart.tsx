/**
 * A small line chart for a few numbers over time: points evenly spaced (the dates are in the
 * table next to it), each labelled with its number; the title and a description in words for
 * screen readers. Nothing is said by colour alone.
 */
import { useId } from 'react';

export interface ChartPoint {
  key: string;
  value: number;
  /** The point in words (its date), for the description. */
  label: string;
}

const BOX = { width: 320, height: 150, left: 28, right: 16, top: 22, bottom: 12 };

export function LineChart({ title, min, max, ticks, points, summary }: { title: string; min: number; max: number; ticks: number[]; points: ChartPoint[]; summary: (title: string, points: ChartPoint[]) => string }) {
  const titleId = useId();
  const descId = useId();
  const { width, height, left, right, top, bottom } = BOX;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const x = (i: number) => left + (points.length === 1 ? plotW / 2 : (plotW * i) / (points.length - 1));
  const y = (v: number) => top + plotH - ((Math.min(max, Math.max(min, v)) - min) / (max - min)) * plotH;
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  return (
    <div className="line-chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${titleId} ${descId}`} focusable="false">
        <title id={titleId}>{title}</title>
        <desc id={descId}>{summary(title, points)}</desc>
        {ticks.map((v) => (
          <g key={v} aria-hidden="true">
            <line x1={left} x2={width - right} y1={y(v)} y2={y(v)} className="line-chart-grid" />
            <text x={left - 6} y={y(v) + 4} textAnchor="end" className="line-chart-axis">
              {v}
            </text>
          </g>
        ))}
        <g aria-hidden="true">
          <path d={path} className="line-chart-line" />
          {points.map((p, i) => (
            <g key={p.key}>
              <circle cx={x(i)} cy={y(p.value)} r={4} className="line-chart-point" />
              <text x={x(i)} y={y(p.value) - 8} textAnchor="middle" className="line-chart-label">
                {p.value}
              </text>
            </g>
          ))}
        </g>
      </svg>
      <p className="hint" aria-hidden="true">
        {title}
      </p>
    </div>
  );
}

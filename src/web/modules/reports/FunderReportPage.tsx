/**
 * The quarterly funder report (/reports/funder?quarter=2026-Q3[&programId=…], or ?from=…&to=…):
 * the period, the organization and program, every measure with its figures, 95% intervals,
 * comparisons, target and how it is counted, the suppression note when small counts are hidden,
 * the date made and the statement that these are not HEDIS results. The same report as the PDF
 * the server makes (GET /api/v1/measures/report.pdf), which the page offers to download; the
 * printout has no navigation and no form (print CSS, A4 or Letter).
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useAuth } from '../../app/auth';
import { LoadFailed, Loading, Page } from '../../app/components';
import { Button } from '../../app/forms/Button';
import { SelectField } from '../../app/forms/fields';
import { day } from './format';
import {
  funderPath,
  funderPdfUrl,
  funderQuery,
  getFunderReport,
  listPrograms,
  measuresCsvUrl,
  quarterRange,
  readFunderChoice,
  recentQuarters,
  reportKeys,
  todayIn,
  type Filters,
  type FunderChoice,
  type FunderReportT,
  type FigureT,
  type MeasureT,
} from './reports.api';
import './reports.css';
import './funder.css';

export function FunderReportPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const [params] = useSearchParams();
  const today = todayIn(me?.organization?.timeZone);
  const choice = readFunderChoice(params, today);
  const query = funderQuery(choice);
  const result = useQuery({ queryKey: ['measures', 'funder', query.toString()], queryFn: () => getFunderReport(query), staleTime: 60_000 });
  const report = result.data;
  return (
    <Page title={t('reports.funder.title')} back={{ to: '/reports', label: t('reports.cases.back') }} wide>
      <div className="report funder-report">
        <p className="lead report-screen-only">{t('reports.funder.intro')}</p>
        <ChoiceForm key={params.toString()} choice={choice} today={today} />
        {result.isPending ? <Loading /> : null}
        {result.isError ? <LoadFailed error={result.error} retry={() => void result.refetch()} /> : null}
        {report ? (
          <>
            <Downloads query={query} report={report} />
            <FrontMatter report={report} />
            {report.measures.map((m) => (
              <MeasureSection key={m.id} measure={m} />
            ))}
          </>
        ) : null}
      </div>
    </Page>
  );
}

/** The link from the dashboard: the funder report for the period and program it shows. */
export function FunderReportLink({ filters, period }: { filters: Filters; period: { from: string; to: string } }) {
  const { t } = useTranslation();
  return (
    <p className="report-screen-only">
      <Link to={funderPath(filters, period)}>{t('reports.funder.open')}</Link>
    </p>
  );
}

function ChoiceForm({ choice, today }: { choice: FunderChoice; today: string }) {
  const { t, i18n } = useTranslation();
  const [, setParams] = useSearchParams();
  const programs = useQuery({ queryKey: reportKeys.programs, queryFn: listPrograms, staleTime: 300_000 });
  const DATES = 'dates';
  const [period, setPeriod] = useState(choice.quarter || DATES);
  const [programId, setProgramId] = useState(choice.programId);
  const lang = i18n.language;
  const quarters = recentQuarters(today).map((q) => {
    const r = quarterRange(q)!;
    return { value: q, label: t('reports.funder.quarterOption', { quarter: q, from: day(r.from, lang), to: day(r.to > today ? today : r.to, lang) }) };
  });
  if (choice.quarter && !quarters.some((q) => q.value === choice.quarter)) {
    const r = quarterRange(choice.quarter)!;
    quarters.push({ value: choice.quarter, label: t('reports.funder.quarterOption', { quarter: choice.quarter, from: day(r.from, lang), to: day(r.to, lang) }) });
  }
  const options = choice.quarter ? quarters : [{ value: DATES, label: t('reports.funder.datesOption', { from: day(choice.from, lang), to: day(choice.to, lang) }) }, ...quarters];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setParams(funderQuery(period === DATES ? { ...choice, programId } : { quarter: period, from: '', to: '', programId }));
  };
  return (
    <form className="report-filters report-screen-only" onSubmit={submit} noValidate aria-labelledby="funder-legend">
      <h2 className="heading-m" id="funder-legend">
        {t('reports.funder.legend')}
      </h2>
      <div className="report-filter-fields">
        <SelectField name="funder-period" label={t('reports.funder.period')} value={period} onChange={setPeriod} options={options} />
        <SelectField name="funder-program" label={t('reports.funder.program')} value={programId} onChange={setProgramId} options={[{ value: '', label: t('reports.funder.allPrograms') }, ...(programs.data ?? []).map((p) => ({ value: p.id, label: p.name }))]} />
      </div>
      <Button type="submit">{t('reports.funder.show')}</Button>
    </form>
  );
}

function Downloads({ query, report }: { query: URLSearchParams; report: FunderReportT }) {
  const { t } = useTranslation();
  return (
    <div className="funder-downloads report-screen-only">
      <a className="button" href={funderPdfUrl(query, 'letter')} download>
        {t('reports.funder.pdf')}
      </a>
      <a className="button button--secondary" href={funderPdfUrl(query, 'a4')} download>
        {t('reports.funder.pdfA4')}
      </a>
      <Button variant="secondary" onClick={() => window.print()}>
        {t('reports.funder.print')}
      </Button>
      <a href={measuresCsvUrl(report.period, report.program?.id ?? '')} download>
        {t('reports.funder.csv')}
      </a>
    </div>
  );
}

function FrontMatter({ report: r }: { report: FunderReportT }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const dates = { from: day(r.period.from, lang), to: day(r.period.to, lang), quarter: r.period.quarter ?? '' };
  const periodText = !r.period.quarter ? t('reports.funder.periodLine', dates) : r.period.toDate ? t('reports.funder.toDateLine', dates) : t('reports.funder.quarterLine', dates);
  return (
    <section className="funder-front" aria-labelledby="funder-organization">
      <h2 className="heading-m" id="funder-organization">
        {r.organization.name}
      </h2>
      <p className="funder-program">{r.program ? t('reports.funder.programLine', { name: r.program.name }) : t('reports.funder.allPrograms')}</p>
      <p>
        <strong>{periodText}</strong> {t('reports.funder.zone', { timeZone: r.timeZone })}
      </p>
      <p>{r.participants === null ? t('reports.participantsHidden') : t('reports.participants', { count: r.participants })}</p>
      {r.scope === 'team' ? <p>{t('reports.scopeTeam')}</p> : null}
      {r.suppressed ? <p>{t('reports.funder.suppression')}</p> : null}
      <p className="funder-statement">{t('reports.funder.statement')}</p>
      <p className="hint">{t('reports.funder.madeOn', { date: day(r.madeOn, lang) })}</p>
    </section>
  );
}

function MeasureSection({ measure: m }: { measure: MeasureT }) {
  const { t } = useTranslation();
  const title = t(`reports.measures.${m.id}`, { defaultValue: m.title });
  const headingId = `funder-${m.id}`;
  const d = m.definition;
  return (
    <section className="funder-measure" aria-labelledby={headingId} data-measure={m.id}>
      <h2 className="heading-m" id={headingId}>
        {title}
      </h2>
      <p>{d.summary}</p>
      <div className="funder-table-wrap" role="region" aria-label={t('reports.funder.tableRegion', { title })} tabIndex={0}>
        <table className="table funder-table">
          <thead>
            <tr>
              <th scope="col">{t('reports.funder.columns.figure')}</th>
              <th scope="col">{t('reports.funder.columns.result')}</th>
              <th scope="col">{t('reports.funder.columns.counts')}</th>
              <th scope="col">{t('reports.funder.columns.interval')}</th>
              <th scope="col">{t('reports.funder.columns.notes')}</th>
            </tr>
          </thead>
          <tbody>
            {m.figures.map((f) => (
              <FigureRow key={f.key} figure={f} />
            ))}
          </tbody>
        </table>
      </div>
      {d.comparisons?.length ? (
        <>
          <h3 className="heading-s">{t('reports.figure.comparisons')}</h3>
          <ul className="list">
            {d.comparisons.map((c) => (
              <li key={c.label}>
                {c.label}: <strong>{c.value}</strong>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h3 className="heading-s">{t('reports.definition.show')}</h3>
      <dl className="report-definition-list">
        <Term label={t('reports.definition.numerator')}>{d.numerator}</Term>
        <Term label={t('reports.definition.denominator')}>{d.denominator}</Term>
        <Term label={t('reports.definition.windows')}>{d.windows}</Term>
        {d.exclusions.length ? <Term label={t('reports.definition.exclusions')}>{d.exclusions.join(' ')}</Term> : null}
        {d.dataSources.length ? <Term label={t('reports.definition.dataSources')}>{d.dataSources.map((x) => x.replace(/\.$/, '')).join('; ')}</Term> : null}
        {d.parameters.length ? (
          <Term label={t('reports.definition.parameters')}>
            {d.parameters
              .map((p) => {
                const v = m.parameters[p.key] ?? p.default;
                return `${p.label}: ${Array.isArray(v) ? v.join(', ') : p.unit === 'share' ? `${Math.round(v * 1000) / 10}%` : v}`;
              })
              .join('; ')}
          </Term>
        ) : null}
      </dl>
    </section>
  );
}

function Term({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** One figure as a row: the same cells as the PDF's (measures.report.pdf.ts, figureCells), in the reader's language. */
function FigureRow({ figure: f }: { figure: FigureT }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const fewer = t('reports.figure.fewer');
  const num = (n: number, style: 'decimal' | 'percent' = 'decimal') => new Intl.NumberFormat(lang, { style, maximumFractionDigits: 1 }).format(n);
  const count = (n: number | null | undefined) => (n === null || n === undefined ? (f.suppressed ? fewer : '–') : num(n));
  const rated = (v: number) => (f.kind === 'share' || f.kind === 'survival' ? num(v, 'percent') : num(v));
  let result: string;
  if (f.kind === 'count') result = count(f.numerator);
  else if (f.rate === null) result = f.suppressed ? fewer : t('reports.funder.nothing');
  else if (f.kind === 'event_rate') result = t('reports.funder.perMonths', { rate: rated(f.rate), per: f.per ?? 1 });
  else if (f.kind === 'amount' && f.unit === 'currency') result = new Intl.NumberFormat(lang, { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(f.rate);
  else result = rated(f.rate);
  let counts = '';
  if (f.kind === 'share' || (f.kind === 'count' && f.denominator !== null)) counts = t('reports.funder.of', { n: count(f.numerator), d: count(f.denominator) });
  else if (f.kind === 'event_rate') counts = t('reports.funder.events', { n: count(f.numerator), d: count(f.denominator) });
  else if (f.denominator !== null) counts = t('reports.funder.fromUnits', { d: count(f.denominator) });
  else if (f.suppressed) counts = fewer;
  const interval = f.lower !== null && f.upper !== null ? t('reports.funder.interval', { lower: rated(f.lower), upper: rated(f.upper) }) : '';
  const notes: string[] = [];
  if (f.target !== undefined) {
    const target = num(f.target, 'percent');
    notes.push(f.rate === null ? t('reports.funder.target', { target }) : f.rate >= f.target ? t('reports.funder.targetMet', { target }) : t('reports.funder.targetNotMet', { target }));
  }
  for (const key of ['pending', 'inProgress', 'missing'] as const) {
    const v = f[key];
    if (v === null) notes.push(t(`reports.figure.${key}Hidden`));
    else if (v) notes.push(t(`reports.figure.${key}`, { count: v }));
  }
  return (
    <tr data-figure={f.key}>
      <th scope="row">{f.label}</th>
      <td>{result}</td>
      <td>{counts}</td>
      <td>{interval}</td>
      <td>{notes.join('; ')}</td>
    </tr>
  );
}

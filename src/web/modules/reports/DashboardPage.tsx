/**
 * The outcomes dashboard (/reports): a period and filters kept in the address, the linkage
 * funnel and the retention curve, and every measure as a card with its rate as a big number,
 * the counts behind it, the 95% interval in words and how it is counted. Counts link to the
 * people behind them for roles that may see records; roles that see aggregates only get
 * "fewer than 11" for small counts. Readable on a phone, printable (print CSS, every
 * "how this is counted" opened for the printout). A population filter and a breakdown (race,
 * ethnicity, sex, age band, insurance: a table per measure, "fewer than 11" where hidden), the
 * monthly trends as line charts with their tables, and the cost model as an estimate with the
 * costs and baseline it used.
 */
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useAuth } from '../../app/auth';
import { LoadFailed, Loading, Page } from '../../app/components';
import { Button } from '../../app/forms/Button';
import { SelectField, TextField } from '../../app/forms/fields';
import { FunnelChart, RetentionChart, TrendChart, funnelSteps, survivalSteps } from './charts';
import { day, decimal, percent } from './format';
import {
  BREAKDOWNS,
  PERIODS,
  PERMISSIONS,
  POPULATIONS,
  getTrends,
  apiQuery,
  casesPath,
  customProblem,
  filtersSearch,
  getMeasures,
  listPrograms,
  listSites,
  listUsers,
  readFilters,
  reportKeys,
  todayIn,
  type Filters,
  type FigureT,
  type MeasureT,
} from './reports.api';
import { TrackerLink } from '../federal-follow-up/links';
import { FunderReportLink } from './FunderReportPage';
import './reports.css';

/** An amount of money (the cost model; the organization's currency is not recorded: US dollars). */
function currency(amount: number, language: string): string {
  try {
    const digits = Number.isInteger(amount) ? 0 : 2;
    return new Intl.NumberFormat(language, { style: 'currency', currency: 'USD', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount);
  } catch {
    return `$${Math.round(amount)}`;
  }
}

/** The measures for the filters in the address (shared with the drill-down page, which reuses the answer). */
export function useMeasures(filters: Filters) {
  const { me } = useAuth();
  const query = apiQuery(filters, todayIn(me?.organization?.timeZone));
  const result = useQuery({
    queryKey: reportKeys.measures(query?.toString() ?? ''),
    queryFn: () => getMeasures(query!),
    enabled: query !== null,
    staleTime: 60_000,
  });
  return { query, result };
}

export function DashboardPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const filters = readFilters(params);
  const { query, result } = useMeasures(filters);
  useEffect(() => {
    // The printout shows every definition: open them all before printing.
    const open = () => document.querySelectorAll<HTMLDetailsElement>('.report details').forEach((d) => (d.open = true));
    window.addEventListener('beforeprint', open);
    return () => window.removeEventListener('beforeprint', open);
  }, []);
  const data = result.data;
  return (
    <Page title={t('reports.title')} heading={t('reports.heading')} wide>
      <div className="report">
        <p className="lead report-screen-only">{t('reports.intro')}</p>
        <TrackerLink />
        <FilterForm key={params.toString()} filters={filters} />
        {query === null ? <p>{t('reports.noPeriod')}</p> : null}
        {query !== null && result.isPending ? <Loading /> : null}
        {result.isError ? <LoadFailed error={result.error} retry={() => void result.refetch()} /> : null}
        {data ? (
          <>
            <Facts data={data} />
            <FunderReportLink filters={filters} period={data.period} />
            <Charts measures={data.measures} suppressed={data.suppressed} />
            {query ? <Trends query={query} /> : null}
            <div className="report-cards">
              {data.measures.map((m) => (
                <MeasureCard key={m.id} measure={m} filters={filters} />
              ))}
            </div>
            <p className="hint">{t('reports.modeled')}</p>
          </>
        ) : null}
      </div>
    </Page>
  );
}

function Facts({ data }: { data: NonNullable<ReturnType<typeof useMeasures>['result']['data']> }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="report-facts">
      <p className="report-period">
        <strong>{t('reports.periodLine', { from: day(data.period.from, i18n.language), to: day(data.period.to, i18n.language), timeZone: data.timeZone })}</strong>
      </p>
      <p>{data.participants === null ? t('reports.participantsHidden') : t('reports.participants', { count: data.participants })}</p>
      {data.scope === 'team' ? <p>{t('reports.scopeTeam')}</p> : null}
      {data.suppressed ? <p>{t('reports.suppressed')}</p> : null}
      <p className="report-screen-only">
        <Button variant="secondary" onClick={() => window.print()}>
          {t('reports.print')}
        </Button>
      </p>
    </div>
  );
}

function FilterForm({ filters }: { filters: Filters }) {
  const { t } = useTranslation();
  const { me, can } = useAuth();
  const [, setParams] = useSearchParams();
  const [draft, setDraft] = useState<Filters>(filters);
  const [problem, setProblem] = useState<ReturnType<typeof customProblem>>(null);
  const legendId = useId();
  const programs = useQuery({ queryKey: reportKeys.programs, queryFn: listPrograms, staleTime: 300_000 });
  const sites = useQuery({ queryKey: reportKeys.sites, queryFn: listSites, staleTime: 300_000 });
  const managesCoaches = !!me?.roles.includes('program_manager') && can('users.read');
  const users = useQuery({ queryKey: reportKeys.users, queryFn: listUsers, staleTime: 300_000, enabled: managesCoaches });
  const set = (k: keyof Filters) => (v: string) => setDraft((d) => ({ ...d, [k]: v }));
  const all = { value: '', label: t('reports.filters.all') };
  const sitesShown = (sites.data ?? []).filter((s) => !draft.programId || s.programId === draft.programId || s.programId === null);
  const coaches = (users.data ?? []).filter((u) => u.roles.includes('coach') && u.status === 'active');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const wrong = draft.period === 'custom' ? customProblem(draft.from, draft.to) : null;
    setProblem(wrong);
    if (wrong) {
      document.getElementById(`field-report-${wrong.field}`)?.focus();
      return;
    }
    setParams(filtersSearch(draft));
  };
  const problemText = (field: 'from' | 'to') => (problem?.field === field ? t(`reports.filters.problems.${problem.problem}`) : undefined);
  return (
    <form className="report-filters report-screen-only" onSubmit={submit} noValidate aria-labelledby={legendId}>
      <h2 className="heading-m" id={legendId}>
        {t('reports.filters.legend')}
      </h2>
      <div className="report-filter-fields">
        <SelectField name="report-period" label={t('reports.filters.period')} value={draft.period} onChange={set('period')} options={PERIODS.map((p) => ({ value: p, label: t(`reports.filters.periods.${p}`) }))} />
        {draft.period === 'custom' ? (
          <>
            <TextField name="report-from" type="date" width="medium" label={t('reports.filters.from')} hint={t('reports.filters.dateHint')} value={draft.from} onChange={set('from')} error={problemText('from')} />
            <TextField name="report-to" type="date" width="medium" label={t('reports.filters.to')} hint={t('reports.filters.dateHint')} value={draft.to} onChange={set('to')} error={problemText('to')} />
          </>
        ) : null}
        <SelectField name="report-program" label={t('reports.filters.program')} value={draft.programId} onChange={set('programId')} options={[all, ...(programs.data ?? []).map((p) => ({ value: p.id, label: p.name }))]} />
        <SelectField name="report-site" label={t('reports.filters.site')} value={draft.siteId} onChange={set('siteId')} options={[all, ...sitesShown.map((s) => ({ value: s.id, label: s.name }))]} />
        <SelectField name="report-population" label={t('reports.population.label')} value={draft.population} onChange={set('population')} options={[{ value: '', label: t('reports.population.all') }, ...POPULATIONS.map((p) => ({ value: p, label: t(`reports.population.options.${p}`) }))]} />
        <SelectField name="report-breakdown" label={t('reports.breakdown.label')} value={draft.breakdown} onChange={set('breakdown')} options={[{ value: '', label: t('reports.breakdown.none') }, ...BREAKDOWNS.map((b) => ({ value: b, label: t(`reports.breakdown.options.${b}`) }))]} />
        {managesCoaches ? <SelectField name="report-coach" label={t('reports.filters.coach')} value={draft.coachUserId} onChange={set('coachUserId')} options={[all, ...coaches.map((u) => ({ value: u.id, label: u.displayName }))]} /> : null}
      </div>
      <Button type="submit">{t('reports.filters.apply')}</Button>
    </form>
  );
}

function Charts({ measures, suppressed }: { measures: MeasureT[]; suppressed: boolean }) {
  const { t } = useTranslation();
  const linkage = measures.find((m) => m.id === 'linkage');
  const retention = measures.find((m) => m.id === 'retention');
  const funnel = linkage ? funnelSteps(linkage, { index: t('reports.charts.funnelIndex'), linked: (days) => t('reports.charts.funnelLinked', { days }) }) : [];
  const curve = retention ? survivalSteps(retention) : [];
  if (!funnel.length && !curve.length) return null;
  const hidden = (m: MeasureT | undefined) => suppressed && !!m?.figures.some((f) => f.suppressed);
  return (
    <section className="report-charts" aria-labelledby="report-charts-heading">
      <h2 className="heading-m" id="report-charts-heading">
        {t('reports.charts.heading')}
      </h2>
      <div className="report-charts-grid">
        {funnel.length ? <FunnelChart steps={funnel} suppressed={hidden(linkage)} /> : null}
        {curve.length ? <RetentionChart steps={curve} suppressed={hidden(retention)} /> : null}
      </div>
    </section>
  );
}

/** The chosen figures month by month (the trends API, with the dashboard's filters). */
function Trends({ query }: { query: URLSearchParams }) {
  const { t } = useTranslation();
  const trends = useQuery({ queryKey: reportKeys.trends(query.toString()), queryFn: () => getTrends(query), staleTime: 60_000 });
  if (trends.isError) return <LoadFailed error={trends.error} retry={() => void trends.refetch()} />;
  return (
    <section className="report-charts" aria-labelledby="report-trends-heading">
      <h2 className="heading-m" id="report-trends-heading">
        {t('reports.trends.heading')}
      </h2>
      {trends.data ? (
        <>
          <p className="hint">{t('reports.trends.byIndexMonth')}</p>
          <div className="report-charts-grid">
            {trends.data.series.map((s) => (
              <TrendChart key={`${s.measureId}.${s.figure}`} series={s} label={`${t(`reports.measures.${s.measureId}`, { defaultValue: s.measureId })}: ${s.label}`} />
            ))}
          </div>
        </>
      ) : (
        <p>{t('reports.trends.loading')}</p>
      )}
    </section>
  );
}

/** A measure's figures per group of the breakdown: one row per group, one column per figure. */
function BreakdownTable({ measure }: { measure: MeasureT }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const figures = measure.figures.filter((f) => f.groups?.length);
  const first = figures[0];
  if (!first) return null;
  const by = new URLSearchParams(window.location.search).get('breakdown') ?? '';
  const byName = t(`reports.breakdown.options.${by}`, { defaultValue: by });
  const fewer = t('reports.figure.fewer');
  const cell = (f: FigureT, i: number): string => {
    const g = f.groups![i]!;
    const n = (v: number | null) => (v === null ? fewer : decimal(v, lang, 0));
    if (f.kind === 'share') return g.rate === null ? (g.suppressed ? `${fewer} (${n(g.denominator)})` : '–') : `${percent(g.rate, lang)} (${n(g.numerator)}/${n(g.denominator)})`;
    if (f.kind === 'count') return n(g.numerator);
    if (g.rate === null) return g.suppressed ? fewer : '–';
    return f.kind === 'survival' ? percent(g.rate, lang) : decimal(g.rate, lang, 2);
  };
  return (
    <details className="details report-breakdown">
      <summary className="details-summary">
        <span className="details-summary-text">{t('reports.breakdown.show', { by: byName.toLowerCase() })}</span>
      </summary>
      <div className="details-text report-breakdown-scroll">
        <table className="table">
          <caption>{t('reports.breakdown.caption', { measure: t(`reports.measures.${measure.id}`, { defaultValue: measure.title }), by: byName.toLowerCase() })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reports.breakdown.group')}</th>
              {figures.map((f) => (
                <th scope="col" key={f.key} className="numeric">
                  {f.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {first.groups!.map((g, i) => (
              <tr key={g.group}>
                <th scope="row">{t(`reports.breakdown.groups.${g.group}`, { defaultValue: g.group })}</th>
                {figures.map((f) => (
                  <td key={f.key} className="numeric">
                    {cell(f, i)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <p className="hint">
          {by === 'race' ? `${t('reports.breakdown.raceNote')} ` : null}
          {by === 'age_band' ? `${t('reports.breakdown.ageNote')} ` : null}
          {figures.some((f) => f.groups!.some((g) => g.suppressed)) ? t('reports.breakdown.hiddenNote') : null}
        </p>
      </div>
    </details>
  );
}

/** The cost model's settings used (its assumptions), or what to do when there are none. */
function CostSettings({ measure }: { measure: MeasureT }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const used = Object.entries(measure.parameters).filter((e): e is [string, number] => typeof e[1] === 'number');
  const money = (cents: number) => currency(cents / 100, lang);
  if (!used.length) return <p className="report-figure-note">{measure.figures.some((f) => f.key === 'peer_hours') ? t('reports.cost.notSet') : null}</p>;
  return (
    <div className="report-comparisons">
      <h3 className="heading-s">{t('reports.cost.settings')}</h3>
      <ul className="list">
        {used.map(([k, v]) => (
          <li key={k}>
            {t(`reports.cost.settingNames.${k}`, { defaultValue: k })}: <strong>{k.endsWith('Percent') ? percent(v / 100, lang) : money(v)}</strong>
          </li>
        ))}
      </ul>
    </div>
  );
}

function MeasureCard({ measure, filters }: { measure: MeasureT; filters: Filters }) {
  const { t } = useTranslation();
  const headingId = `report-${measure.id}`;
  const d = measure.definition;
  return (
    <section className="report-card" aria-labelledby={headingId} data-measure={measure.id}>
      <h2 className="heading-m" id={headingId}>
        {t(`reports.measures.${measure.id}`, { defaultValue: measure.title })}
      </h2>
      {measure.id === 'cost_model' ? <p className="report-estimate">{t('reports.cost.estimate')}</p> : null}
      <p className="report-summary">{d.summary}</p>
      {measure.id === 'cost_model' ? <CostSettings measure={measure} /> : null}
      <div className="report-figures">
        {measure.figures.map((f) => (
          <Figure key={f.key} measure={measure} figure={f} filters={filters} />
        ))}
      </div>
      <BreakdownTable measure={measure} />
      {d.comparisons?.length ? (
        <div className="report-comparisons">
          <h3 className="heading-s">{t('reports.figure.comparisons')}</h3>
          <ul className="list">
            {d.comparisons.map((c) => (
              <li key={c.label}>
                {c.label}: <strong>{c.value}</strong>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <details className="details report-definition">
        <summary className="details-summary">
          <span className="details-summary-text">{t('reports.definition.show')}</span>
        </summary>
        <div className="details-text">
          <dl className="report-definition-list">
            <Term label={t('reports.definition.numerator')}>{d.numerator}</Term>
            <Term label={t('reports.definition.denominator')}>{d.denominator}</Term>
            <Term label={t('reports.definition.windows')}>{d.windows}</Term>
            {d.exclusions.length ? (
              <Term label={t('reports.definition.exclusions')}>
                <ul className="list">
                  {d.exclusions.map((x) => (
                    <li key={x}>{x}</li>
                  ))}
                </ul>
              </Term>
            ) : null}
            {d.dataSources.length ? (
              <Term label={t('reports.definition.dataSources')}>
                <ul className="list">
                  {d.dataSources.map((x) => (
                    <li key={x}>{x}</li>
                  ))}
                </ul>
              </Term>
            ) : null}
            {d.parameters.length ? (
              <Term label={t('reports.definition.parameters')}>
                <ul className="list">
                  {d.parameters.map((p) => {
                    const v = measure.parameters[p.key] ?? p.default;
                    return (
                      <li key={p.key}>
                        {p.label}: {Array.isArray(v) ? v.join(', ') : v}
                      </li>
                    );
                  })}
                </ul>
              </Term>
            ) : null}
          </dl>
        </div>
      </details>
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

/** One figure: the big number, the counts behind it (links to the drill-down), the interval in words, and what is not counted yet. */
function Figure({ measure, figure: f, filters }: { measure: MeasureT; figure: FigureT; filters: Filters }) {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const lang = i18n.language;
  const mayDrill = can(PERMISSIONS.cases);
  const fewer = t('reports.figure.fewer');
  const count = (n: number | null) => (n === null ? (f.suppressed ? fewer : '–') : decimal(n, lang));
  const drill = (n: number | null, set: 'numerator' | 'denominator', label: string): ReactNode =>
    mayDrill && n !== null && n > 0 ? (
      <Link to={casesPath(measure.id, filters, f.key, set)} className="report-count-link">
        {count(n)}
        <span className="visually-hidden"> ({label})</span>
      </Link>
    ) : (
      <span>{count(n)}</span>
    );
  const rateShown = (v: number) =>
    f.kind === 'share' || f.kind === 'survival'
      ? percent(v, lang)
      : f.kind === 'amount'
        ? f.unit === 'currency'
          ? currency(v, lang)
          : t(f.unit === 'hours' ? 'reports.cost.hours' : 'reports.cost.visits', { n: decimal(v, lang, 2) })
        : decimal(v, lang);
  const big = f.kind === 'count' ? count(f.numerator) : f.rate === null ? (f.suppressed ? fewer : t('reports.figure.noFigure')) : rateShown(f.rate);
  const extra = (key: 'pending' | 'inProgress' | 'missing'): ReactNode => {
    const v = f[key];
    if (v === undefined || v === 0) return null;
    return <p className="report-figure-note">{v === null ? t(`reports.figure.${key}Hidden`) : t(`reports.figure.${key}`, { count: v })}</p>;
  };
  return (
    <div className="report-figure" data-figure={f.key}>
      <p className="report-figure-label">{f.label}</p>
      <p className={f.kind !== 'count' && f.rate === null && !f.suppressed ? 'report-figure-value report-figure-value--none' : 'report-figure-value'}>{big}</p>
      {f.kind === 'share' || (f.kind === 'count' && f.denominator !== null) ? (
        <p className="report-figure-counts">
          <Trans
            i18nKey="reports.figure.of"
            components={{
              n: <>{drill(f.numerator, 'numerator', t('reports.figure.showNumerator', { label: f.label }))}</>,
              d: <>{drill(f.denominator, 'denominator', t('reports.figure.showDenominator', { label: f.label }))}</>,
            }}
          />
        </p>
      ) : null}
      {f.kind === 'event_rate' ? (
        <p className="report-figure-counts">
          {t('reports.figure.perMonths', { per: f.per ?? 1 })}. {t('reports.figure.events', { n: count(f.numerator), d: count(f.denominator) })}
        </p>
      ) : null}
      {f.kind === 'amount' && f.unit === 'hours' && f.denominator !== null ? <p className="report-figure-counts">{t('reports.cost.basedOn', { n: count(f.denominator) })}</p> : null}
      {(f.kind === 'median' || f.kind === 'mean' || f.kind === 'survival') && f.denominator !== null ? <p className="report-figure-counts">{t('reports.figure.fromUnits', { d: count(f.denominator) })}</p> : null}
      {f.lower !== null && f.upper !== null ? <p className="report-figure-note">{t('reports.figure.interval', { lower: rateShown(f.lower), upper: rateShown(f.upper) })}</p> : null}
      {extra('pending')}
      {extra('inProgress')}
      {extra('missing')}
      {f.target !== undefined ? <p className="report-figure-note">{t('reports.figure.target', { target: percent(f.target, lang) })}</p> : null}
    </div>
  );
}

/**
 * The drill-down (/reports/:measureId/cases?…filters…&figure=&set=): the participants and
 * events behind one figure of a measure, with the same period and filters as the dashboard.
 * Names link to the participant's page; people the reader may no longer open are listed by
 * record id. Only for roles with `measures.cases` (the route guard says so to anyone else).
 */
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useAuth } from '../../app/auth';
import { LoadFailed, Loading, Page } from '../../app/components';
import { DataList, type Column } from '../../app/DataList';
import { useMeasures } from './DashboardPage';
import { day } from './format';
import { CASE_SETS, apiQuery, casesPath, dashboardPath, getCases, readFilters, reportKeys, todayIn, type CaseSet, type CaseT } from './reports.api';
import './reports.css';

const LIMIT = 500;

export function CasesPage() {
  const { t, i18n } = useTranslation();
  const { me } = useAuth();
  const { measureId = '' } = useParams();
  const [params] = useSearchParams();
  const filters = readFilters(params);
  const figureKey = params.get('figure') ?? '';
  const asked = params.get('set') ?? '';
  const set: CaseSet | 'all' = (CASE_SETS as readonly string[]).includes(asked) ? (asked as CaseSet) : 'all';
  const query = apiQuery(filters, todayIn(me?.organization?.timeZone));
  const casesQuery = query ? new URLSearchParams(query) : null;
  if (casesQuery) {
    if (figureKey) casesQuery.set('figure', figureKey);
    if (figureKey && set !== 'all') casesQuery.set('set', set);
    casesQuery.set('limit', String(LIMIT));
  }
  const cases = useQuery({
    queryKey: reportKeys.cases(measureId, casesQuery?.toString() ?? ''),
    queryFn: () => getCases(measureId, casesQuery!),
    enabled: casesQuery !== null,
  });
  // The measure's title and the figure's label: the dashboard's answer (already loaded when coming from it).
  const { result: measures } = useMeasures(filters);
  const measure = measures.data?.measures.find((m) => m.id === measureId);
  const figure = measure?.figures.find((f) => f.key === figureKey);
  const lang = i18n.language;
  const title = measure ? t(`reports.measures.${measure.id}`, { defaultValue: measure.title }) : t('reports.cases.title');
  const unit = (kind: string) => t(`reports.units.${kind}`, { defaultValue: kind.replace(/_/g, ' ') });
  const columns: Column<CaseT>[] = [
    {
      header: t('reports.cases.participant'),
      cell: (c) => (c.participantName ? <Link to={`/participants/${encodeURIComponent(c.participantId)}`}>{c.participantName}</Link> : t('reports.cases.notShown', { id: c.participantId.slice(0, 8) })),
    },
    { header: t('reports.cases.what'), cell: (c) => unit(c.unitKind) },
    { header: t('reports.cases.on'), cell: (c) => day(c.on, lang) },
    {
      header: t('reports.cases.part'),
      cell: (c) => {
        const parts = figureKey ? c.figures.filter((f) => f.key === figureKey) : c.figures;
        return parts.map((f) => (figureKey ? t(`reports.memberships.${f.membership}`) : `${f.key}: ${t(`reports.memberships.${f.membership}`)}`)).join('; ');
      },
    },
    {
      header: t('reports.cases.decidedBy'),
      cell: (c) =>
        c.related
          ? c.related.day === null
            ? t('reports.cases.onDate', { what: unit(c.related.kind), date: day(c.related.on, lang) })
            : t('reports.cases.dayN', { what: unit(c.related.kind), date: day(c.related.on, lang), day: c.related.day })
          : '',
    },
    { header: t('reports.cases.leftOut'), cell: (c) => (c.exclusion ? t(`reports.exclusions.${c.exclusion}`, { defaultValue: c.exclusion.replace(/_/g, ' ') }) : '') },
  ];
  const data = cases.data;
  return (
    <Page title={t('reports.cases.title')} heading={title} caption={t('reports.cases.title')} back={{ to: dashboardPath(filters), label: t('reports.cases.back') }} wide>
      <div className="report">
        {data ? (
          <p className="report-period">
            <strong>{t('reports.periodLine', { from: day(data.period.from, lang), to: day(data.period.to, lang), timeZone: measures.data?.timeZone ?? me?.organization?.timeZone ?? '' })}</strong>
          </p>
        ) : null}
        <p>{figureKey ? t('reports.cases.figureLine', { label: figure?.label ?? figureKey }) : t('reports.cases.allFigures')}</p>
        {figureKey ? (
          <nav className="report-sets" aria-label={t('reports.cases.setsLabel')}>
            <ul>
              {CASE_SETS.map((s) => (
                <li key={s}>
                  <Link to={casesPath(measureId, filters, figureKey, s)} aria-current={s === set ? 'page' : undefined}>
                    {t(`reports.cases.sets.${s}`)}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        {query === null ? <p>{t('reports.noPeriod')}</p> : null}
        {cases.isPending && query !== null ? <Loading /> : null}
        {cases.isError ? <LoadFailed error={cases.error} retry={() => void cases.refetch()} /> : null}
        {data ? (
          <>
            <p>
              {t('reports.cases.total', { count: data.total })}
              {data.total > data.cases.length ? ` ${t('reports.cases.showing', { shown: data.cases.length })}` : ''}
            </p>
            {data.cases.length === 0 ? <p>{t('reports.cases.none')}</p> : <DataList caption={t('reports.cases.caption')} columns={columns} rows={data.cases} rowKey={(c) => `${c.unitKind}:${c.unitId}`} />}
          </>
        ) : null}
      </div>
    </Page>
  );
}

/**
 * The federal follow-up tracker (/reports/federal-follow-up?month=YYYY-MM): for a month, who is
 * due for the 6-month follow-up interview, who is in the window now, who is out of window — the
 * caller's own people (coach), teams (supervisor) or organization (program manager), as the
 * server decides. Grouped by what to do, the window closing soonest first; a list of cards on a
 * phone, a table on a wide screen. Names link to the participant's page. The month is in the
 * address, never a name.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useAuth } from '../../app/auth';
import { LoadFailed, Loading, Page, Tag } from '../../app/components';
import { DataList, type Column } from '../../app/DataList';
import { Button } from '../../app/forms/Button';
import { TextField } from '../../app/forms/fields';
import { dateIn } from '../care/care.api';
import { federalKeys, getTracker, shiftMonth, type TrackerRowT, type TrackerT } from './federal-follow-up.api';
import { STATUS_TONE, useFormatDate, useFormatMonth } from './format';
import './federal-follow-up.css';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const GROUPS = ['in_window', 'upcoming', 'out_of_window', 'completed'] as const;

export default function TrackerPage() {
  const { t, i18n } = useTranslation();
  const { me } = useAuth();
  const [params] = useSearchParams();
  const thisMonth = dateIn(new Date(), me?.organization?.timeZone).slice(0, 7);
  const asked = params.get('month') ?? '';
  const month = MONTH.test(asked) ? asked : thisMonth;
  const fmtMonth = useFormatMonth();
  const tracker = useQuery({ queryKey: federalKeys.tracker(month), queryFn: () => getTracker(month) });
  const mayReports = me?.permissions.includes('measures.read') ?? false;
  const data = tracker.data;
  return (
    <Page title={t('federal.tracker.title')} heading={t('federal.tracker.title')} caption={fmtMonth(month)} back={mayReports ? { to: '/reports', label: t('federal.tracker.back') } : { to: '/', label: t('federal.tracker.backHome') }} wide>
      <p className="lead">{t('federal.tracker.intro', { target: new Intl.NumberFormat(i18n.language, { style: 'percent' }).format(data?.target ?? 0.8) })}</p>
      <MonthNav month={month} />
      {tracker.isPending ? <Loading /> : null}
      {tracker.isError ? <LoadFailed error={tracker.error} retry={() => void tracker.refetch()} /> : null}
      {data ? <TrackerView data={data} /> : null}
    </Page>
  );
}

function MonthNav({ month }: { month: string }) {
  const { t } = useTranslation();
  const fmtMonth = useFormatMonth();
  const navigate = useNavigate();
  const [value, setValue] = useState(month);
  const [error, setError] = useState<string | undefined>(undefined);
  const go = (e: FormEvent) => {
    e.preventDefault();
    if (!MONTH.test(value.trim())) {
      setError(t('federal.tracker.monthError'));
      return;
    }
    setError(undefined);
    void navigate(`?month=${value.trim()}`);
  };
  const prev = shiftMonth(month, -1);
  const next = shiftMonth(month, 1);
  return (
    <>
      <nav className="tracker-months" aria-label={t('federal.tracker.month')}>
        <Link to={`?month=${prev}`}>
          ← {t('federal.tracker.previous')}
          <span className="visually-hidden">: {fmtMonth(prev)}</span>
        </Link>
        <Link to={`?month=${next}`}>
          {t('federal.tracker.next')}
          <span className="visually-hidden">: {fmtMonth(next)}</span> →
        </Link>
      </nav>
      <form className="form" noValidate onSubmit={go} key={month}>
        <TextField name="tracker.month" type="month" width="medium" label={t('federal.tracker.month')} hint={t('federal.tracker.monthHint')} value={value} error={error} onChange={setValue} />
        <Button type="submit" variant="secondary">
          {t('federal.tracker.show')}
        </Button>
      </form>
    </>
  );
}

function TrackerView({ data }: { data: TrackerT }) {
  const { t } = useTranslation();
  const fmt = useFormatDate();
  const counts: [string, number][] = [
    [t('federal.tracker.counts.dueThisMonth'), data.counts.dueThisMonth],
    [t('federal.tracker.counts.inWindow'), data.counts.inWindow],
    [t('federal.tracker.counts.upcoming'), data.counts.upcoming],
    [t('federal.tracker.counts.outOfWindow'), data.counts.outOfWindow],
    [t('federal.tracker.counts.completed'), data.counts.completed],
  ];
  const columns: Column<TrackerRowT>[] = [
    { header: t('federal.tracker.participant'), cell: (r) => <Link to={`/participants/${encodeURIComponent(r.participantId)}`}>{r.displayName}</Link> },
    {
      header: t('federal.tracker.due'),
      cell: (r) => (
        <>
          {fmt(r.dueOn)}
          {r.dueThisMonth ? (
            <>
              {' '}
              <Tag tone="blue">{t('federal.tracker.dueThisMonth')}</Tag>
            </>
          ) : null}
        </>
      ),
    },
    { header: t('federal.tracker.window'), cell: (r) => t('federal.tracker.windowRange', { from: fmt(r.windowFrom), through: fmt(r.windowThrough) }) },
    { header: t('federal.tracker.intake'), cell: (r) => fmt(r.intakeOn) },
    { header: t('federal.tracker.coach'), cell: (r) => r.coachName ?? t('federal.tracker.noCoach') },
    { header: t('federal.tracker.doneOn'), cell: (r) => (r.followUpOn ? fmt(r.followUpOn) : <Tag tone={STATUS_TONE[r.status]}>{t(`federal.tracker.groups.${r.status}`)}</Tag>) },
  ];
  return (
    <>
      <p>{t('federal.tracker.todayLine', { date: fmt(data.today), scope: t(`federal.tracker.scopes.${data.scope}`) })}</p>
      <h2 className="heading-m">{t('federal.tracker.counts.heading')}</h2>
      <ul className="tracker-counts">
        {counts.map(([label, n]) => (
          <li key={label}>
            <span className="tracker-count">{n}</span> {label}
          </li>
        ))}
      </ul>
      {data.rows.length === 0 ? <p>{t('federal.tracker.none')}</p> : null}
      {data.rows.length > 0
        ? GROUPS.map((g) => {
            const rows = data.rows.filter((r) => r.status === g);
            const group = t(`federal.tracker.groups.${g}`);
            return (
              <section key={g} className="tracker-group" aria-labelledby={`tracker-${g}`}>
                <h2 className="heading-m" id={`tracker-${g}`}>
                  {group} ({rows.length})
                </h2>
                <p className="hint">{t(`federal.tracker.groupHints.${g}`)}</p>
                {rows.length === 0 ? <p>{t('federal.tracker.noneInGroup')}</p> : <DataList caption={t('federal.tracker.caption', { group })} columns={columns} rows={rows} rowKey={(r) => r.intakeId} />}
              </section>
            );
          })
        : null}
    </>
  );
}

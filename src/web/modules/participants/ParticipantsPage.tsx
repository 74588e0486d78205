/**
 * The coach's home for participants: the caseload, most urgent first, with a search above it.
 * Search runs as the person types (after a short pause, from 2 characters), and the terms go in
 * the request body, never in the address. Each row shows its signals as worded tags (text, never
 * colour alone). A supervisor picks a coach of their team or the whole team; a program manager
 * sees the counts by site, coach, status and flag. On a phone, "Start brief intake" sits at the
 * bottom of the screen, under the thumb.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { Link } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMe } from '../../app/auth';
import { LoadFailed, Loading, Page, Tag } from '../../app/components';
import { DataList, type Column } from '../../app/DataList';
import { SelectField, TextField } from '../../app/forms/fields';
import {
  getCaseload,
  getCaseloadSummary,
  keys,
  nameOf,
  searchParticipants,
  termsOf,
  type CaseloadItemT,
  type CaseloadQueryT,
  type FlagKey,
  type SummaryT,
} from './participants.api';
import { StatusTag } from './StatusTag';

const DEBOUNCE_MS = 300;
const MIN_TERM = 2;

function useDebounced(value: string, ms: number): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function ParticipantsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [term, setTerm] = useState('');
  const debounced = useDebounced(term.trim(), DEBOUNCE_MS);
  const searching = debounced.length >= MIN_TERM;
  const mayCreate = me.permissions.includes('participants.create');
  const hasCaseload = me.permissions.includes('caseload.read');
  // Program managers see the organization's counts (supervisors use theirs to pick a coach).
  const hasSummary = me.permissions.includes('caseload.summary') && me.roles.includes('program_manager');
  return (
    <Page title={t('participants.title')} wide>
      <form role="search" className="form" onSubmit={(e) => e.preventDefault()}>
        <TextField
          name="search"
          type="search"
          label={t('participants.searchLabel')}
          hint={t('participants.searchHint')}
          autoComplete="off"
          spellCheck={false}
          enterKeyHint="search"
          value={term}
          onChange={setTerm}
        />
      </form>
      {searching ? <SearchResults term={debounced} /> : null}
      {!searching && hasCaseload ? <CaseloadList /> : null}
      {!searching && hasSummary ? <ProgramSummary /> : null}
      {!searching && !hasCaseload && !hasSummary ? <p>{t('participants.caseloadNotYours')}</p> : null}
      {me.permissions.includes('encounters.log') ? (
        <p>
          <Link to="/encounters/group">{t('encounters.actions.group')}</Link>
        </p>
      ) : null}
      {mayCreate ? (
        <div className="thumb-action">
          <Link to="/participants/new" className="button">
            {t('participants.startBriefIntake')}
          </Link>
        </div>
      ) : null}
    </Page>
  );
}

function SearchResults({ term }: { term: string }) {
  const { t } = useTranslation();
  const results = useQuery({
    queryKey: keys.search(term),
    queryFn: ({ signal }) => searchParticipants(termsOf(term), signal),
    // Search results are personal data: keep them only while they are shown.
    gcTime: 0,
  });
  return (
    <section aria-labelledby="search-results">
      <h2 className="heading-m" id="search-results">
        {t('participants.searchResults')}
      </h2>
      <div role="status">
        {results.isPending ? <p className="loading">{t('participants.searching')}</p> : null}
        {results.data && results.data.length === 0 ? <p>{t('participants.noResults')}</p> : null}
      </div>
      {results.isError ? <LoadFailed error={results.error} retry={() => void results.refetch()} /> : null}
      {results.data && results.data.length ? (
        <DataList<SummaryT>
          caption={t('participants.searchResults')}
          rows={results.data}
          rowKey={(p) => p.id}
          columns={[
            { header: t('participants.name'), cell: (p) => <Link to={`/participants/${p.id}`}>{nameOf(p)}</Link> },
            { header: t('participants.dateOfBirth'), cell: (p) => p.dateOfBirth ?? t('participants.noDateOfBirth') },
          ]}
        />
      ) : null}
    </section>
  );
}

type Sort = NonNullable<CaseloadQueryT['sort']>;
const SORTS: readonly Sort[] = ['urgency', 'name', 'since', 'last_contact'];
type Tone = 'grey' | 'green' | 'red' | 'blue' | 'yellow';
/** Every signal with its tag colour; the words say what it is, the colour only repeats it. */
const FLAG_TONES: Record<FlagKey, Tone> = {
  recent_overdose: 'red',
  recent_ed_visit: 'red',
  contact_overdue: 'red',
  unreachable: 'red',
  follow_up_due: 'yellow',
  refill_due: 'yellow',
  appointment_missed: 'red',
  appointment_soon: 'blue',
  no_follow_up_consent: 'yellow',
  consent_expiring: 'yellow',
  no_moud: 'blue',
  milestone_coming: 'green',
  check_in_alert: 'red',
};
const FLAGS = Object.keys(FLAG_TONES) as FlagKey[];

const num = (v: string | number | undefined): number => (typeof v === 'number' ? v : Number(v ?? 0));

/** A flag in words, with its dates and counts when the server gave them. */
function flagText(t: TFunction, flag: CaseloadItemT['flags'][number]): string {
  const d = flag.detail;
  if (!d) return t(`participants.flagNames.${flag.key}`);
  switch (flag.key) {
    case 'recent_overdose':
      return t('participants.flags.recent_overdose', { count: num(d.daysAgo) });
    case 'recent_ed_visit':
      return t('participants.flags.recent_ed_visit', { count: num(d.daysAgo) });
    case 'follow_up_due':
      return t('participants.flags.follow_up_due', { count: num(d.daysOverdue) });
    case 'contact_overdue':
      return t('participants.flags.contact_overdue', { count: num(d.daysOverdue) });
    case 'consent_expiring':
      return t('participants.flags.consent_expiring', { count: num(d.daysLeft) });
    case 'refill_due':
      return num(d.daysLeft) < 0 ? t('participants.flags.refill_overdue', { count: -num(d.daysLeft) }) : t('participants.flags.refill_due', { count: num(d.daysLeft) });
    case 'appointment_missed':
      return t('participants.flags.appointment_missed', { date: String(d.on ?? '') });
    case 'appointment_soon':
      return t('participants.flags.appointment_soon', { count: num(d.hours) });
    case 'milestone_coming': {
      const unit = d.unit === 'years' || d.unit === 'months' || d.unit === 'hours' ? d.unit : 'days';
      const what = t(`participants.flags.${unit}`, { count: num(d.count) });
      return t(d.kind === 'moud' ? 'participants.flags.milestone_coming_moud' : 'participants.flags.milestone_coming', { what, when: t('participants.flags.when', { count: num(d.inDays) }) });
    }
    case 'check_in_alert':
      return t('participants.flags.check_in_alert', { count: num(d.count) });
    case 'unreachable':
    case 'no_follow_up_consent':
    case 'no_moud':
      return t(`participants.flagNames.${flag.key}`);
  }
}

function Flags({ flags }: { flags: CaseloadItemT['flags'] }) {
  const { t } = useTranslation();
  if (flags.length === 0) return <span className="hint">{t('participants.caseload.noFlags')}</span>;
  return (
    <span>
      {flags.map((f, i) => (
        <span key={f.key}>
          {i > 0 ? ' ' : null}
          <Tag tone={FLAG_TONES[f.key]}>{flagText(t, f)}</Tag>
        </span>
      ))}
    </span>
  );
}

function CaseloadList() {
  const { t } = useTranslation();
  const me = useMe();
  const isSupervisor = me.roles.includes('supervisor');
  const isCoach = me.roles.includes('coach');
  // 'mine', 'team', or the id of a coach of the supervisor's teams.
  const [whose, setWhose] = useState<string>(isCoach || !isSupervisor ? 'mine' : 'team');
  const [sort, setSort] = useState<Sort>('urgency');
  const [flag, setFlag] = useState<FlagKey | ''>('');
  const team = useQuery({ queryKey: keys.caseloadSummary, queryFn: getCaseloadSummary, enabled: isSupervisor });
  const query: CaseloadQueryT = {
    sort,
    ...(flag && { flag }),
    ...(whose === 'team' ? { scope: 'team' as const } : whose === 'mine' ? {} : { coachUserId: whose }),
  };
  const caseload = useQuery({ queryKey: keys.caseloadOf(query), queryFn: () => getCaseload(query), placeholderData: keepPreviousData });

  const coaches = team.data?.byCoach.filter((c) => c.coachUserId !== me.user.id) ?? [];
  const coachName = coaches.find((c) => c.coachUserId === whose)?.coachName ?? t('participants.profile.anotherCoach');
  const heading = whose === 'mine' ? t('participants.caseloadHeading') : whose === 'team' ? t('participants.caseload.teamHeading') : t('participants.caseload.coachHeading', { name: coachName });
  const showCoach = whose === 'team';
  const columns: Column<CaseloadItemT>[] = [
    { header: t('participants.name'), cell: (i) => <Link to={`/participants/${i.participantId}`}>{i.displayName}</Link> },
    { header: t('participants.caseload.flags'), cell: (i) => <Flags flags={i.flags} /> },
    { header: t('participants.status'), cell: (i) => <StatusTag status={i.status} /> },
    { header: t('participants.since'), cell: (i) => `${i.startDate} (${t('participants.daysSince', { count: i.daysSinceStart })})` },
    { header: t('participants.caseload.lastContact'), cell: (i) => (i.daysSinceLastContact === null ? t('participants.caseload.noContactYet') : t('participants.daysSince', { count: i.daysSinceLastContact })) },
    { header: t('participants.caseload.openFollowUps'), cell: (i) => i.openFollowUps, numeric: true },
    ...(showCoach ? [{ header: t('participants.caseload.coach'), cell: (i: CaseloadItemT) => i.assignedCoachName ?? t('participants.caseload.unassigned') }] : []),
  ];
  const rows = caseload.data;
  return (
    <section aria-labelledby="caseload">
      <h2 className="heading-m" id="caseload">
        {heading}
      </h2>
      <form className="form" aria-label={t('participants.caseload.controls')} onSubmit={(e) => e.preventDefault()}>
        {isSupervisor ? (
          <SelectField
            name="whose"
            label={t('participants.caseload.whose')}
            value={whose}
            onChange={setWhose}
            options={[
              ...(isCoach ? [{ value: 'mine', label: t('participants.caseload.mine') }] : []),
              { value: 'team', label: t('participants.caseload.team') },
              ...coaches.map((c) => ({ value: c.coachUserId, label: t('participants.caseload.coachOption', { name: c.coachName, count: c.count }) })),
            ]}
          />
        ) : null}
        <SelectField
          name="sort"
          label={t('participants.caseload.sort')}
          value={sort}
          onChange={(v) => setSort(SORTS.find((s) => s === v) ?? 'urgency')}
          options={SORTS.map((s) => ({ value: s, label: t(`participants.caseload.sorts.${s}`) }))}
        />
        <SelectField
          name="flag"
          label={t('participants.caseload.flagFilter')}
          value={flag}
          onChange={(v) => setFlag(FLAGS.find((f) => f === v) ?? '')}
          options={[{ value: '', label: t('participants.caseload.allFlags') }, ...FLAGS.map((f) => ({ value: f, label: t(`participants.flagNames.${f}`) }))]}
        />
      </form>
      {caseload.isPending ? <Loading /> : null}
      {caseload.isError ? <LoadFailed error={caseload.error} retry={() => void caseload.refetch()} /> : null}
      <div role="status">
        {rows && rows.length === 0 ? <p>{flag ? t('participants.caseload.emptyFiltered') : whose === 'mine' ? t('participants.caseloadEmpty') : t('participants.caseload.emptyOther')}</p> : null}
        {rows && rows.length > 0 ? <p className="hint">{t('participants.caseload.count', { count: rows.length })}</p> : null}
      </div>
      {rows && rows.length ? <DataList<CaseloadItemT> caption={heading} rows={rows} rowKey={(i) => i.episodeId} columns={columns} /> : null}
    </section>
  );
}

/** Counts only: how many open episodes by site, coach, status and flag. */
function ProgramSummary() {
  const { t } = useTranslation();
  const summary = useQuery({ queryKey: keys.caseloadSummary, queryFn: getCaseloadSummary });
  const s = summary.data;
  return (
    <section aria-labelledby="program-summary">
      <h2 className="heading-m" id="program-summary">
        {t('participants.summary.heading')}
      </h2>
      {summary.isPending ? <Loading /> : null}
      {summary.isError ? <LoadFailed error={summary.error} retry={() => void summary.refetch()} /> : null}
      {s ? (
        <>
          <p>{t('participants.summary.total', { count: s.total })}</p>
          <h3 className="heading-s">{t('participants.summary.bySite')}</h3>
          {s.bySite.length ? (
            <DataList
              caption={t('participants.summary.bySite')}
              rows={s.bySite}
              rowKey={(r) => r.siteId}
              columns={[
                { header: t('participants.summary.site'), cell: (r) => r.siteName },
                { header: t('participants.summary.count'), cell: (r) => r.count, numeric: true },
              ]}
            />
          ) : (
            <p>{t('participants.summary.none')}</p>
          )}
          <h3 className="heading-s">{t('participants.summary.byCoach')}</h3>
          <DataList
            caption={t('participants.summary.byCoach')}
            rows={[...s.byCoach, { coachUserId: '', coachName: t('participants.summary.unassigned'), count: s.unassigned }]}
            rowKey={(r) => r.coachUserId || 'unassigned'}
            columns={[
              { header: t('participants.summary.coach'), cell: (r) => r.coachName },
              { header: t('participants.summary.count'), cell: (r) => r.count, numeric: true },
            ]}
          />
          <h3 className="heading-s">{t('participants.summary.byStatus')}</h3>
          <DataList
            caption={t('participants.summary.byStatus')}
            rows={s.byStatus}
            rowKey={(r) => r.status}
            columns={[
              { header: t('participants.status'), cell: (r) => t(`participants.statuses.${r.status}`) },
              { header: t('participants.summary.count'), cell: (r) => r.count, numeric: true },
            ]}
          />
          <h3 className="heading-s">{t('participants.summary.byFlag')}</h3>
          <DataList
            caption={t('participants.summary.byFlag')}
            rows={s.byFlag}
            rowKey={(r) => r.key}
            columns={[
              { header: t('participants.summary.flag'), cell: (r) => t(`participants.flagNames.${r.key}`) },
              { header: t('participants.summary.count'), cell: (r) => r.count, numeric: true },
            ]}
          />
        </>
      ) : null}
    </section>
  );
}

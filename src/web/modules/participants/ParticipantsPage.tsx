/**
 * The coach's caseload, with a search above it. Search runs as the person types (after a short
 * pause, from 2 characters), and the terms go in the request body, never in the address. On a
 * phone, "Start brief intake" sits at the bottom of the screen, under the thumb.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useMe } from '../../app/auth';
import { LoadFailed, Loading, Page } from '../../app/components';
import { DataList } from '../../app/DataList';
import { TextField } from '../../app/forms/fields';
import { getCaseload, keys, nameOf, searchParticipants, termsOf, type CaseloadItemT, type SummaryT } from './participants.api';
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
      {searching ? <SearchResults term={debounced} /> : hasCaseload ? <CaseloadList /> : <p>{t('participants.caseloadNotYours')}</p>}
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

function CaseloadList() {
  const { t } = useTranslation();
  const caseload = useQuery({ queryKey: keys.caseload, queryFn: getCaseload });
  return (
    <section aria-labelledby="caseload">
      <h2 className="heading-m" id="caseload">
        {t('participants.caseloadHeading')}
      </h2>
      {caseload.isPending ? <Loading /> : null}
      {caseload.isError ? <LoadFailed error={caseload.error} retry={() => void caseload.refetch()} /> : null}
      {caseload.data && caseload.data.length === 0 ? <p>{t('participants.caseloadEmpty')}</p> : null}
      {caseload.data && caseload.data.length ? (
        <DataList<CaseloadItemT>
          caption={t('participants.caseloadHeading')}
          rows={caseload.data}
          rowKey={(i) => i.episodeId}
          columns={[
            { header: t('participants.name'), cell: (i) => <Link to={`/participants/${i.participantId}`}>{i.displayName}</Link> },
            { header: t('participants.status'), cell: (i) => <StatusTag status={i.status} /> },
            { header: t('participants.since'), cell: (i) => `${i.startDate} (${t('participants.daysSince', { count: i.daysSinceStart })})` },
          ]}
        />
      ) : null}
    </section>
  );
}


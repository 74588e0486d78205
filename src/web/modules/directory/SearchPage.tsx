/**
 * Find a service (phone first): free text, what kind of service, insurance, and "only show"
 * filters; nearest first from a site the coach picks or coordinates typed in, with the distance in
 * km and miles; more results a page at a time. Search terms travel in the request body, never the
 * address bar.
 */
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuth } from '../../app/auth';
import { Banner, Page, Tag } from '../../app/components';
import { Button } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { CheckboxGroup, RadioGroup, SelectField, TextField } from '../../app/forms/fields';
import { useForm, type FormError } from '../../app/forms/useForm';
import { directoryKeys, getSites, INSURANCE_CODES, searchDirectory, SERVICE_TYPE_CODES, setSitePoint, type SearchBodyT, type SearchResultT, type SitesT } from './directory.api';
import './directory.css';

const COMMON_TYPES = ['buprenorphine', 'same_day_induction', 'otp_methadone', 'naltrexone', 'withdrawal_management', 'residential', 'pharmacy', 'mutual_aid_na'] as const;
const OTHER_TYPES = SERVICE_TYPE_CODES.filter((c) => !(COMMON_TYPES as readonly string[]).includes(c));
const LANGUAGES = ['en', 'es', 'vi', 'zh', 'ht', 'ar', 'ru', 'pt', 'fr'] as const;
const PAGE = 20;

interface Values {
  text: string;
  from: 'site' | 'point' | 'none';
  siteId: string;
  latitude: string;
  longitude: string;
  types: string[];
  insurance: string[];
  only: string[];
  language: string;
}

const FIELD_FOR: Record<string, string> = { text: 'text', siteId: 'siteId', 'point.latitude': 'latitude', 'point.longitude': 'longitude', language: 'language' };

export function SearchPage() {
  const { t } = useTranslation();
  const sites = useQuery({ queryKey: directoryKeys.sites, queryFn: getSites });
  const [results, setResults] = useState<{ body: SearchBodyT; items: SearchResultT[]; hasMore: boolean } | null>(null);
  const [more, setMore] = useState(false);
  const placed = (sites.data?.sites ?? []).filter((s) => s.latitude != null);
  // With one site on the map, it is the one.
  const siteOf = (v: Values) => v.siteId || (placed.length === 1 ? placed[0]!.siteId : '');

  const form = useForm<Values>({
    initial: { text: '', from: 'site', siteId: '', latitude: '', longitude: '', types: [], insurance: [], only: [], language: '' },
    fieldFor: (path) => FIELD_FOR[path] ?? (path.startsWith('serviceTypes') ? 'types' : path.startsWith('insurance') ? 'insurance' : undefined),
    validate: (v) => {
      const errors: FormError[] = [];
      if (v.from === 'site' && !siteOf(v)) errors.push({ field: 'siteId', message: t('directory.search.checkSite') });
      if (v.from === 'point') {
        const ok = (s: string) => s.trim() !== '' && Number.isFinite(Number(s));
        if (!ok(v.latitude)) errors.push({ field: 'latitude', message: t('directory.search.checkPoint') });
        else if (!ok(v.longitude)) errors.push({ field: 'longitude', message: t('directory.search.checkPoint') });
      }
      return errors;
    },
    onSubmit: async (v) => {
      const body: SearchBodyT = {
        ...(v.text.trim() && { text: v.text.trim() }),
        ...(v.types.length && { serviceTypes: v.types as SearchBodyT['serviceTypes'] }),
        ...(v.insurance.length && { insurance: v.insurance as SearchBodyT['insurance'] }),
        ...(v.only.includes('acceptingNew') && { acceptingNew: true }),
        ...(v.only.includes('openNow') && { openNow: true }),
        ...(v.only.includes('telehealth') && { telehealth: true }),
        ...(v.only.includes('hasCapacity') && { hasCapacity: true }),
        ...(v.language && { language: v.language }),
        ...(v.from === 'site' && { siteId: siteOf(v) }),
        ...(v.from === 'point' && { point: { latitude: Number(v.latitude), longitude: Number(v.longitude) } }),
        limit: PAGE,
      };
      const r = await searchDirectory(body);
      setResults({ body, items: r.results, hasMore: r.hasMore });
    },
  });

  async function showMore() {
    if (!results || more) return;
    setMore(true);
    try {
      const r = await searchDirectory({ ...results.body, offset: results.items.length });
      setResults({ body: results.body, items: [...results.items, ...r.results], hasMore: r.hasMore });
    } finally {
      setMore(false);
    }
  }

  const v = form.values;
  const siteOptions = [
    { value: '', label: t('directory.search.chooseSite') },
    ...(sites.data?.sites ?? []).map((s) => ({ value: s.siteId, label: s.latitude == null ? t('directory.search.siteNotPlaced', { name: s.name }) : s.name })),
  ];
  return (
    <Page title={t('directory.search.title')} hasErrors={form.errors.length > 0}>
      <p className="lead">{t('directory.search.intro')}</p>
      <ManagerLinks />
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form noValidate onSubmit={(e) => void form.onSubmit(e)} role="search" aria-label={t('directory.search.title')}>
        <TextField name="text" label={t('directory.search.text')} hint={t('directory.search.textHint')} value={v.text} onChange={(x) => form.set('text', x)} error={form.errorFor('text')} optional />
        <RadioGroup
          name="from"
          legend={t('directory.search.from')}
          value={v.from}
          onChange={(x) => form.set('from', x as Values['from'])}
          inline
          options={[
            { value: 'site', label: t('directory.search.fromSite') },
            { value: 'point', label: t('directory.search.fromPoint') },
            { value: 'none', label: t('directory.search.fromNone') },
          ]}
        />
        {v.from === 'site' ? (
          <SelectField name="siteId" label={t('directory.search.site')} value={siteOf(v)} onChange={(x) => form.set('siteId', x)} options={siteOptions} error={form.errorFor('siteId')} />
        ) : null}
        {v.from === 'point' ? (
          <div className="directory-point">
            <TextField name="latitude" label={t('directory.search.latitude')} hint={t('directory.search.pointHint')} inputMode="decimal" width="short" value={v.latitude} onChange={(x) => form.set('latitude', x)} error={form.errorFor('latitude')} />
            <TextField name="longitude" label={t('directory.search.longitude')} inputMode="decimal" width="short" value={v.longitude} onChange={(x) => form.set('longitude', x)} error={form.errorFor('longitude')} />
          </div>
        ) : null}
        <CheckboxGroup
          name="types"
          legend={t('directory.search.types')}
          value={v.types}
          onChange={(x) => form.set('types', x)}
          error={form.errorFor('types')}
          options={COMMON_TYPES.map((c) => ({ value: c, label: t(`directory.types.${c}`) }))}
        />
        <details className="directory-details">
          <summary>{t('directory.search.moreTypes')}</summary>
          <CheckboxGroup
            name="moreTypes"
            legend={t('directory.search.moreTypes')}
            value={v.types}
            onChange={(x) => form.set('types', x)}
            options={OTHER_TYPES.map((c) => ({ value: c, label: t(`directory.types.${c}`) }))}
          />
        </details>
        <CheckboxGroup
          name="insurance"
          legend={t('directory.search.insurance')}
          value={v.insurance}
          onChange={(x) => form.set('insurance', x)}
          error={form.errorFor('insurance')}
          options={INSURANCE_CODES.map((c) => ({ value: c, label: t(`directory.insurance.${c}`) }))}
        />
        <CheckboxGroup
          name="only"
          legend={t('directory.search.more')}
          value={v.only}
          onChange={(x) => form.set('only', x)}
          options={(['acceptingNew', 'openNow', 'telehealth', 'hasCapacity'] as const).map((c) => ({ value: c, label: t(`directory.search.${c}`) }))}
        />
        <SelectField
          name="language"
          label={t('directory.search.language')}
          value={v.language}
          onChange={(x) => form.set('language', x)}
          error={form.errorFor('language')}
          options={[{ value: '', label: t('directory.search.anyLanguage') }, ...LANGUAGES.map((l) => ({ value: l, label: t(`directory.languages.${l}`) }))]}
        />
        <Button type="submit" busy={form.busy} busyLabel={t('directory.search.searching')}>
          {t('directory.search.submit')}
        </Button>
      </form>
      {results ? (
        <section aria-labelledby="directory-results-heading" className="directory-section">
          <h2 className="heading-m" id="directory-results-heading">
            {t('directory.search.resultsHeading')}
          </h2>
          <p role="status">{results.items.length === 0 ? t('directory.search.noResults') : t('directory.search.count', { count: results.items.length })}</p>
          <ul className="directory-results">
            {results.items.map((r) => (
              <Result key={`${r.serviceId}:${r.locationId ?? ''}`} r={r} />
            ))}
          </ul>
          {results.hasMore ? (
            <Button variant="secondary" busy={more} busyLabel={t('directory.search.searching')} onClick={() => void showMore()}>
              {t('directory.search.showMore')}
            </Button>
          ) : null}
        </section>
      ) : null}
    </Page>
  );
}

function ManagerLinks() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const manage = me?.permissions.includes('directory.manage') ?? false;
  const transfer = me?.permissions.includes('directory.import') ?? false;
  if (!manage && !transfer) return null;
  return (
    <>
      <p className="directory-tags">
        {manage ? <Link to="/directory/services/new">{t('directory.edit.add')}</Link> : null}
        {transfer ? <Link to="/directory/import">{t('directoryImport.title')}</Link> : null}
      </p>
      {manage ? <SitePointForm /> : null}
    </>
  );
}

/** For managers: where a site is, so coaches can search near it. */
function SitePointForm() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const sites = useQuery({ queryKey: directoryKeys.sites, queryFn: getSites });
  const [saved, setSaved] = useState<string | null>(null);
  const form = useForm({
    initial: { placeSiteId: '', placeLatitude: '', placeLongitude: '' },
    fieldFor: (path) => ({ latitude: 'placeLatitude', longitude: 'placeLongitude' })[path],
    validate: (v) => {
      const errors: FormError[] = [];
      const ok = (s: string) => s.trim() !== '' && Number.isFinite(Number(s));
      if (!v.placeSiteId) errors.push({ field: 'placeSiteId', message: t('directory.search.checkSite') });
      if (!ok(v.placeLatitude)) errors.push({ field: 'placeLatitude', message: t('directory.search.checkPoint') });
      else if (!ok(v.placeLongitude)) errors.push({ field: 'placeLongitude', message: t('directory.search.checkPoint') });
      return errors;
    },
    onSubmit: async (v) => {
      const site = await setSitePoint(v.placeSiteId, { latitude: Number(v.placeLatitude), longitude: Number(v.placeLongitude) });
      client.setQueryData<SitesT>(directoryKeys.sites, (old) => (old ? { sites: old.sites.map((s) => (s.siteId === site.siteId ? site : s)) } : old));
      setSaved(site.name);
    },
  });
  const v = form.values;
  const pick = (id: string) => {
    const s = sites.data?.sites.find((x) => x.siteId === id);
    form.setValues({ placeSiteId: id, placeLatitude: s?.latitude != null ? String(s.latitude) : '', placeLongitude: s?.longitude != null ? String(s.longitude) : '' });
  };
  return (
    <details className="directory-details">
      <summary>{t('directory.search.placeSite')}</summary>
      <p className="hint">{t('directory.search.placeSiteHint')}</p>
      {saved ? <Banner kind="success">{t('directory.search.siteSaved', { name: saved })}</Banner> : null}
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <SelectField
          name="placeSiteId"
          label={t('directory.search.site')}
          value={v.placeSiteId}
          onChange={pick}
          error={form.errorFor('placeSiteId')}
          options={[{ value: '', label: t('directory.search.chooseSite') }, ...(sites.data?.sites ?? []).map((s) => ({ value: s.siteId, label: s.name }))]}
        />
        <div className="directory-point">
          <TextField name="placeLatitude" label={t('directory.search.latitude')} hint={t('directory.search.pointHint')} inputMode="decimal" width="short" value={v.placeLatitude} onChange={(x) => form.set('placeLatitude', x)} error={form.errorFor('placeLatitude')} />
          <TextField name="placeLongitude" label={t('directory.search.longitude')} inputMode="decimal" width="short" value={v.placeLongitude} onChange={(x) => form.set('placeLongitude', x)} error={form.errorFor('placeLongitude')} />
        </div>
        <Button type="submit" variant="secondary" busy={form.busy}>{t('directory.search.saveSite')}</Button>
      </form>
    </details>
  );
}

export function formatDate(iso: string | null, language: string): string {
  if (!iso) return '';
  const d = new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
  try {
    return new Intl.DateTimeFormat(language, { dateStyle: 'medium', ...(iso.length === 10 && { timeZone: 'UTC' }) }).format(d);
  } catch {
    return iso;
  }
}

function Result({ r }: { r: SearchResultT }) {
  const { t, i18n } = useTranslation();
  const address = r.address ? [r.address.address1, r.address.city, r.address.stateProvince, r.address.postalCode].filter(Boolean).join(', ') : null;
  return (
    <li className="directory-result">
      <h3 className="heading-s directory-result-title">
        <Link to={`/directory/services/${r.serviceId}`}>{r.serviceName}</Link>
      </h3>
      <p>{r.organizationName}</p>
      {address ? <p>{address}</p> : null}
      <p>
        <strong>{r.distanceKm != null ? t('directory.search.distance', { km: r.distanceKm.toFixed(1), miles: (r.distanceMiles ?? 0).toFixed(1) }) : t('directory.search.noDistance')}</strong>
        {r.phone ? <> · <a href={`tel:${r.phone.replace(/[^\d+]/g, '')}`}>{r.phone}</a></> : null}
      </p>
      <div className="directory-tags">
        {r.acceptingNew === true ? <Tag tone="green">{t('directory.badge.acceptingNew')}</Tag> : null}
        {r.acceptingNew === false ? <Tag tone="grey">{t('directory.badge.notAccepting')}</Tag> : null}
        {r.openNow === true ? <Tag tone="blue">{t('directory.badge.openNow')}</Tag> : null}
        {r.openNow === false ? <Tag tone="grey">{t('directory.badge.closedNow')}</Tag> : null}
        {r.telehealth ? <Tag tone="blue">{t('directory.badge.telehealth')}</Tag> : null}
        {r.openFlags > 0 ? <Tag tone="yellow">{t('directory.search.flagged', { count: r.openFlags })}</Tag> : null}
      </div>
      <p className="hint">{r.serviceTypes.map((c) => t(`directory.types.${c}`, { defaultValue: c })).join(' · ')}</p>
      {r.capacity ? (
        <p>
          {[
            r.capacity.bedsOpen != null ? `${t('directory.entry.bedsOpen')}: ${r.capacity.bedsOpen}` : null,
            r.capacity.slotsOpen != null ? `${t('directory.entry.slotsOpen')}: ${r.capacity.slotsOpen}` : null,
            r.capacity.waitlistLength != null ? `${t('directory.entry.waitlist')}: ${r.capacity.waitlistLength}` : null,
          ]
            .filter(Boolean)
            .join(' · ')}{' '}
          <span className="hint">({t('directory.entry.updatedAnon', { date: formatDate(r.capacity.updatedAt, i18n.language) })})</span>
        </p>
      ) : null}
      <p className="hint">{r.lastVerifiedAt ? t('directory.search.lastVerified', { date: formatDate(r.lastVerifiedAt, i18n.language) }) : t('directory.search.neverVerified')}</p>
    </li>
  );
}

/**
 * One directory entry: what it offers, where and when, capacity (when updated and by whom),
 * buprenorphine stock with a stale warning, reported problems — and the forms any coach uses to
 * update capacity, report stock or report a problem; a program manager verifies or edits it.
 */
import { useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useAuth } from '../../app/auth';
import { Banner, LoadFailed, Loading, Page, SummaryList, Tag, useFormatDateTime } from '../../app/components';
import { Button } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { RadioGroup, SelectField, TextArea, TextField } from '../../app/forms/fields';
import { useForm, type FormError } from '../../app/forms/useForm';
import { directoryKeys, flagService, FLAG_TOPIC_CODES, FORMULATION_CODES, getService, reportCapacity, reportStock, verifyService, type ServiceT } from './directory.api';
import { formatDate } from './SearchPage';
import { ReferFromService, ServicePartnerAccounts } from '../referrals/ServiceReferrals';
import './directory.css';

type Schedule = ServiceT['schedules'][number];

function Hours({ schedules }: { schedules: Schedule[] }) {
  const { t } = useTranslation();
  if (schedules.length === 0) return <p>{t('directory.entry.noHours')}</p>;
  return (
    <ul className="directory-hours">
      {schedules.map((s, i) => {
        const day: string = t(`directory.weekdays.${String(s.weekday) as '0'}`);
        const how = s.attendingType === 'online' ? ` (${t('directory.entry.online')})` : s.attendingType === 'hybrid' ? ` (${t('directory.entry.hybrid')})` : '';
        return <li key={i}>{(s.closesAt ? t('directory.entry.hoursRow', { day, opens: s.opensAt, closes: s.closesAt }) : t('directory.entry.hoursRowNoEnd', { day, opens: s.opensAt })) + how}</li>;
      })}
    </ul>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="directory-section" aria-labelledby={id}>
      <h2 className="heading-m" id={id}>
        {title}
      </h2>
      {children}
    </section>
  );
}

export function ServicePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const q = useQuery({ queryKey: directoryKeys.service(id), queryFn: () => getService(id) });
  if (q.isPending) return <Page title={t('directory.entry.title')}><Loading /></Page>;
  if (q.isError) return <Page title={t('directory.entry.title')}><LoadFailed error={q.error} retry={() => void q.refetch()} /></Page>;
  return <Entry s={q.data} />;
}

function Entry({ s }: { s: ServiceT }) {
  const { t, i18n } = useTranslation();
  const { me } = useAuth();
  const formatDateTime = useFormatDateTime();
  const client = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);
  const manage = me?.permissions.includes('directory.manage') ?? false;
  const report = me?.permissions.includes('directory.report') ?? false;
  const saved = (next: ServiceT, message: string) => {
    client.setQueryData(directoryKeys.service(s.id), next);
    setNotice(message);
  };
  const yesNo = (b: boolean | null) => (b == null ? t('directory.entry.unknown') : b ? t('directory.entry.yes') : t('directory.entry.no'));
  const isPharmacy = s.serviceTypes.includes('pharmacy');
  const phones = [...s.phones, ...s.locations.flatMap((l) => l.phones), ...s.organization.phones];

  return (
    <Page title={t('directory.entry.title')} heading={s.name} caption={s.organization.name} back={{ to: '/directory', label: t('directory.entry.back') }}>
      {notice ? <Banner kind="success" focus>{notice}</Banner> : null}
      <div className="directory-tags">
        {s.acceptingNew === true ? <Tag tone="green">{t('directory.badge.acceptingNew')}</Tag> : null}
        {s.acceptingNew === false ? <Tag tone="grey">{t('directory.badge.notAccepting')}</Tag> : null}
        {s.openNow === true ? <Tag tone="blue">{t('directory.badge.openNow')}</Tag> : null}
        {s.openNow === false ? <Tag tone="grey">{t('directory.badge.closedNow')}</Tag> : null}
        {s.telehealth ? <Tag tone="blue">{t('directory.badge.telehealth')}</Tag> : null}
        {s.openFlags.length > 0 ? <Tag tone="yellow">{t('directory.search.flagged', { count: s.openFlags.length })}</Tag> : null}
      </div>
      <ReferFromService serviceId={s.id} />
      <SummaryList
        rows={[
          { key: t('directory.entry.services'), value: s.serviceTypes.map((c) => t(`directory.types.${c}`, { defaultValue: c })).join(', ') || t('directory.entry.unknown') },
          { key: t('directory.entry.insurance'), value: s.insurance.map((c) => t(`directory.insurance.${c}`, { defaultValue: c })).join(', ') || t('directory.entry.unknown') },
          { key: t('directory.entry.acceptingNew'), value: yesNo(s.acceptingNew) },
          { key: t('directory.entry.languages'), value: s.languages.map((c) => t(`directory.languages.${c}`, { defaultValue: c })).join(', ') || t('directory.entry.unknown') },
          { key: t('directory.entry.phone'), value: phones.length ? phones.map((p, i) => <div key={i}><a href={`tel:${p.number.replace(/[^\d+]/g, '')}`}>{p.number}</a>{p.extension ? ` ext. ${p.extension}` : ''}</div>) : t('directory.entry.unknown') },
          ...(s.url ?? s.organization.website ? [{ key: t('directory.entry.website'), value: <a href={(s.url ?? s.organization.website)!} rel="noreferrer noopener" target="_blank">{s.url ?? s.organization.website}</a> }] : []),
          { key: t('directory.entry.type'), value: t(`directory.orgTypes.${s.organization.type}`, { defaultValue: s.organization.type }) },
          ...(s.eligibilityDescription ? [{ key: t('directory.entry.eligibility'), value: s.eligibilityDescription }] : []),
          ...(s.feesDescription ? [{ key: t('directory.entry.fees'), value: s.feesDescription }] : []),
          ...(s.description ? [{ key: t('directory.entry.description'), value: s.description }] : []),
          ...(s.status !== 'active' ? [{ key: t('directory.entry.status'), value: t(`directory.statuses.${s.status}`, { defaultValue: s.status }) }] : []),
        ]}
      />

      <Section id="where-heading" title={t('directory.entry.placesHeading')}>
        {s.locations.length === 0 ? <p>{t('directory.entry.noPlaces')}</p> : null}
        {s.locations.map((l) => (
          <div key={l.id}>
            {l.name ? <h3 className="heading-s">{l.name}</h3> : null}
            <p>{[l.address.address1, l.address.address2, l.address.city, l.address.stateProvince, l.address.postalCode].filter(Boolean).join(', ')}</p>
            {l.accessibility || l.wheelchairAccessible ? <p className="hint">{[l.wheelchairAccessible ? t('directory.entry.wheelchair') : null, l.accessibility].filter(Boolean).join('. ')}</p> : null}
            {l.schedules.length ? <Hours schedules={l.schedules} /> : null}
          </div>
        ))}
      </Section>

      <Section id="hours-heading" title={t('directory.entry.hoursHeading')}>
        <Hours schedules={s.schedules.length ? s.schedules : s.locations.flatMap((l) => l.schedules)} />
      </Section>

      <Section id="capacity-heading" title={t('directory.entry.capacityHeading')}>
        {s.capacity ? (
          <>
            <SummaryList
              rows={[
                { key: t('directory.entry.bedsOpen'), value: s.capacity.bedsOpen ?? t('directory.entry.unknown') },
                { key: t('directory.entry.slotsOpen'), value: s.capacity.slotsOpen ?? t('directory.entry.unknown') },
                { key: t('directory.entry.waitlist'), value: s.capacity.waitlistLength ?? t('directory.entry.unknown') },
              ]}
            />
            <p className="hint">
              {s.capacity.updatedBy ? t('directory.entry.updated', { date: formatDateTime(s.capacity.updatedAt), name: s.capacity.updatedBy.name }) : t('directory.entry.updatedAnon', { date: formatDateTime(s.capacity.updatedAt) })}
            </p>
          </>
        ) : (
          <p>{t('directory.entry.noCapacity')}</p>
        )}
        {report ? <CapacityForm id={s.id} onSaved={(n) => saved(n, t('directory.entry.capacitySaved'))} /> : null}
      </Section>

      {isPharmacy || s.stockReports.length > 0 ? (
        <Section id="stock-heading" title={t('directory.entry.stockHeading')}>
          {s.stockReports.length === 0 ? <p>{t('directory.entry.noStock')}</p> : null}
          <ul className="directory-hours">
            {s.stockReports.map((r) => (
              <li key={r.id}>
                {t('directory.entry.stockRow', {
                  status: r.inStock ? t('directory.entry.inStock') : t('directory.entry.outOfStock'),
                  date: formatDate(r.observedOn, i18n.language),
                  name: r.reportedBy?.name ?? '',
                })}
                {r.formulation ? ` (${t(`directory.formulations.${r.formulation}`, { defaultValue: r.formulation })})` : ''} {r.stale ? <Tag tone="yellow">{t('directory.entry.stale')}</Tag> : null}
              </li>
            ))}
          </ul>
          {report ? <StockForm id={s.id} onSaved={(n) => saved(n, t('directory.entry.stockSaved'))} /> : null}
        </Section>
      ) : null}

      <Section id="flags-heading" title={t('directory.entry.flagsHeading')}>
        {s.openFlags.length === 0 ? <p>{t('directory.entry.noFlags')}</p> : null}
        <ul className="directory-hours">
          {s.openFlags.map((f) => (
            <li key={f.id}>
              {t('directory.entry.flagRow', { topic: t(`directory.topics.${f.topic}`, { defaultValue: f.topic }), date: formatDateTime(f.createdAt), name: f.createdBy?.name ?? '' })}
              {f.comment ? `: ${f.comment}` : ''}
            </li>
          ))}
        </ul>
        {report ? <FlagForm id={s.id} onSaved={(n) => saved(n, t('directory.entry.problemSaved'))} /> : null}
      </Section>

      <Section id="verified-heading" title={t('directory.entry.verifiedHeading')}>
        <p>{s.lastVerifiedAt ? t('directory.entry.verifiedBy', { date: formatDateTime(s.lastVerifiedAt), name: s.lastVerifiedBy?.name ?? '' }) : t('directory.entry.neverVerified')}</p>
        {manage ? (
          <>
            <VerifyButton id={s.id} onDone={async () => saved(await getService(s.id), t('directory.entry.verifiedSaved'))} />
            <p>
              <Link to={`/directory/services/${s.id}/edit`}>{t('directory.entry.edit')}</Link>
            </p>
          </>
        ) : null}
      </Section>

      <ServicePartnerAccounts organizationId={s.organization.id} organizationName={s.organization.name} />
    </Page>
  );
}

function VerifyButton({ id, onDone }: { id: string; onDone: () => Promise<void> }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <>
      <p className="hint">{t('directory.entry.verifyHint')}</p>
      {error ? <LoadFailed error={error} /> : null}
      <Button
        variant="secondary"
        busy={busy}
        onClick={() => {
          if (busy) return;
          setBusy(true);
          setError(null);
          void verifyService(id)
            .then(onDone)
            .catch((e: unknown) => setError(e))
            .finally(() => setBusy(false));
        }}
      >
        {t('directory.entry.verify')}
      </Button>
    </>
  );
}

const count = (s: string): number | null => (s.trim() === '' ? null : Number(s));

function CapacityForm({ id, onSaved }: { id: string; onSaved: (s: ServiceT) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const form = useForm({
    initial: { bedsOpen: '', slotsOpen: '', waitlistLength: '', note: '' },
    validate: (v) => {
      const errors: FormError[] = [];
      for (const k of ['bedsOpen', 'slotsOpen', 'waitlistLength'] as const) {
        const n = count(v[k]);
        if (n != null && (!Number.isInteger(n) || n < 0)) errors.push({ field: k, message: t('directory.entry.checkCount') });
      }
      return errors;
    },
    onSubmit: async (v) => {
      onSaved(await reportCapacity(id, { bedsOpen: count(v.bedsOpen), slotsOpen: count(v.slotsOpen), waitlistLength: count(v.waitlistLength), note: v.note.trim() || null }));
      form.setValues({ bedsOpen: '', slotsOpen: '', waitlistLength: '', note: '' });
      setOpen(false);
    },
  });
  if (!open) return <Button variant="secondary" onClick={() => setOpen(true)}>{t('directory.entry.updateCapacity')}</Button>;
  return (
    <form noValidate onSubmit={(e) => void form.onSubmit(e)} aria-labelledby="capacity-form-heading">
      <h3 className="heading-s" id="capacity-form-heading">{t('directory.entry.updateCapacity')}</h3>
      <p className="hint">{t('directory.entry.capacityHint')}</p>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <TextField name="bedsOpen" label={t('directory.entry.bedsOpen')} inputMode="numeric" width="code" value={form.values.bedsOpen} onChange={(x) => form.set('bedsOpen', x)} error={form.errorFor('bedsOpen')} optional />
      <TextField name="slotsOpen" label={t('directory.entry.slotsOpen')} inputMode="numeric" width="code" value={form.values.slotsOpen} onChange={(x) => form.set('slotsOpen', x)} error={form.errorFor('slotsOpen')} optional />
      <TextField name="waitlistLength" label={t('directory.entry.waitlist')} inputMode="numeric" width="code" value={form.values.waitlistLength} onChange={(x) => form.set('waitlistLength', x)} error={form.errorFor('waitlistLength')} optional />
      <TextField name="note" label={t('directory.entry.note')} value={form.values.note} onChange={(x) => form.set('note', x)} error={form.errorFor('note')} optional />
      <Button type="submit" busy={form.busy}>{t('directory.entry.saveCapacity')}</Button>
    </form>
  );
}

function StockForm({ id, onSaved }: { id: string; onSaved: (s: ServiceT) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const form = useForm({
    initial: { inStock: '', formulation: '', observedOn: '' },
    validate: (v) => (v.inStock ? [] : [{ field: 'inStock', message: t('directory.entry.stockQuestion') }]),
    onSubmit: async (v) => {
      onSaved(await reportStock(id, { inStock: v.inStock === 'yes', formulation: (v.formulation || null) as never, ...(v.observedOn.trim() && { observedOn: v.observedOn.trim() }) }));
      form.setValues({ inStock: '', formulation: '', observedOn: '' });
      setOpen(false);
    },
  });
  if (!open) return <Button variant="secondary" onClick={() => setOpen(true)}>{t('directory.entry.reportStock')}</Button>;
  return (
    <form noValidate onSubmit={(e) => void form.onSubmit(e)} aria-labelledby="stock-form-heading">
      <h3 className="heading-s" id="stock-form-heading">{t('directory.entry.reportStock')}</h3>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <RadioGroup
        name="inStock"
        legend={t('directory.entry.stockQuestion')}
        value={form.values.inStock}
        onChange={(x) => form.set('inStock', x)}
        error={form.errorFor('inStock')}
        inline
        options={[{ value: 'yes', label: t('directory.entry.yes') }, { value: 'no', label: t('directory.entry.no') }]}
      />
      <SelectField
        name="formulation"
        label={t('directory.entry.formulation')}
        value={form.values.formulation}
        onChange={(x) => form.set('formulation', x)}
        error={form.errorFor('formulation')}
        optional
        options={[{ value: '', label: '' }, ...FORMULATION_CODES.map((c) => ({ value: c, label: t(`directory.formulations.${c}`) }))]}
      />
      <TextField name="observedOn" label={t('directory.entry.observedOn')} hint={t('directory.entry.observedOnHint')} width="short" value={form.values.observedOn} onChange={(x) => form.set('observedOn', x)} error={form.errorFor('observedOn')} optional />
      <Button type="submit" busy={form.busy}>{t('directory.entry.saveStock')}</Button>
    </form>
  );
}

function FlagForm({ id, onSaved }: { id: string; onSaved: (s: ServiceT) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const form = useForm({
    initial: { topic: '', comment: '' },
    validate: (v) => (v.topic ? [] : [{ field: 'topic', message: t('directory.entry.problemQuestion') }]),
    onSubmit: async (v) => {
      onSaved(await flagService(id, { topic: v.topic as never, comment: v.comment.trim() || null }));
      form.setValues({ topic: '', comment: '' });
      setOpen(false);
    },
  });
  if (!open) return <Button variant="secondary" onClick={() => setOpen(true)}>{t('directory.entry.reportProblem')}</Button>;
  return (
    <form noValidate onSubmit={(e) => void form.onSubmit(e)} aria-labelledby="flag-form-heading">
      <h3 className="heading-s" id="flag-form-heading">{t('directory.entry.reportProblem')}</h3>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <RadioGroup
        name="topic"
        legend={t('directory.entry.problemQuestion')}
        value={form.values.topic}
        onChange={(x) => form.set('topic', x)}
        error={form.errorFor('topic')}
        options={FLAG_TOPIC_CODES.map((c) => ({ value: c, label: t(`directory.topics.${c}`) }))}
      />
      <TextArea name="comment" label={t('directory.entry.comment')} value={form.values.comment} onChange={(x) => form.set('comment', x)} error={form.errorFor('comment')} optional rows={3} />
      <Button type="submit" busy={form.busy}>{t('directory.entry.sendProblem')}</Button>
    </form>
  );
}

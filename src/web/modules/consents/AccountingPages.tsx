/**
 * The accounting of disclosures (42 CFR 2.24–2.25, HIPAA 164.528): every time this person's
 * information left the program, by period; and a printable copy in English or Spanish for the
 * person who asks for it. The period travels in the address (dates only, nothing personal).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import i18n from '../../app/i18n';
import { LoadFailed, Loading, Page, useFormatDateTime } from '../../app/components';
import { DataList, type Column } from '../../app/DataList';
import { Button } from '../../app/forms/Button';
import { TextField } from '../../app/forms/fields';
import { getParticipant, keys as participantKeys, nameOf } from '../participants/participants.api';
import { consentKeys, getAccounting, type AccountingEntryT } from './consents.api';
import { LanguageChoice, usePrintableBody, type Lang } from './PrintConsentPage';
import './consents.css';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function usePeriod() {
  const [params] = useSearchParams();
  const clean = (v: string | null) => (v && DATE.test(v) ? v : '');
  return { from: clean(params.get('from')), to: clean(params.get('to')) };
}

function columns(t: TFunction, when: (iso: string) => string): Column<AccountingEntryT>[] {
  return [
    { header: t('consents.accounting.date'), cell: (d) => when(d.disclosedAt) },
    { header: t('consents.accounting.recipient'), cell: (d) => (d.recipient.kind === 'organization' ? `${d.recipient.name} (${t(`consents.orgTypes.${d.recipient.type}`)})` : d.recipient.name) },
    { header: t('consents.accounting.information'), cell: (d) => d.categories.map((c) => t(`consents.categories.${c}`)).join('; ') },
    { header: t('consents.accounting.purpose'), cell: (d) => t(`consents.purposes.${d.purpose}`) },
    {
      header: t('consents.accounting.basis'),
      cell: (d) => (d.consentId ? t('consents.accounting.underConsentId', { id: d.consentId.slice(-8) }) : `${t(`consents.legalBases.${d.legalBasis}`)}${d.legalBasisDetail ? `: ${d.legalBasisDetail}` : ''}`),
    },
    { header: t('consents.accounting.by'), cell: (d) => d.disclosedByName ?? '' },
  ];
}

export function AccountingPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const period = usePeriod();
  const [from, setFrom] = useState(period.from);
  const [to, setTo] = useState(period.to);
  const when = useFormatDateTime();
  const list = useQuery({ queryKey: consentKeys.accounting(id, period.from, period.to), queryFn: () => getAccounting(id, period.from, period.to) });
  const qs = new URLSearchParams({ ...(period.from && { from: period.from }), ...(period.to && { to: period.to }) }).toString();
  return (
    <Page title={t('consents.accounting.title')} back={{ to: `/participants/${id}`, label: t('consents.form.back') }} wide>
      <p>{t('consents.accounting.intro')}</p>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const q = new URLSearchParams({ ...(DATE.test(from.trim()) && { from: from.trim() }), ...(DATE.test(to.trim()) && { to: to.trim() }) }).toString();
          void navigate(`/participants/${id}/consents/disclosures${q ? `?${q}` : ''}`);
        }}
      >
        <TextField name="from" label={t('consents.accounting.from')} hint={t('consents.form.dateHint')} width="medium" inputMode="numeric" value={from} onChange={setFrom} />
        <TextField name="to" label={t('consents.accounting.to')} hint={t('consents.form.dateHint')} width="medium" inputMode="numeric" value={to} onChange={setTo} />
        <Button type="submit" variant="secondary">
          {t('consents.accounting.filter')}
        </Button>
      </form>
      {list.isPending ? <Loading /> : null}
      {list.isError ? <LoadFailed error={list.error} retry={() => void list.refetch()} /> : null}
      {list.data?.length === 0 ? <p>{t('consents.accounting.none')}</p> : null}
      {list.data?.length ? <DataList caption={t('consents.accounting.caption')} columns={columns(t, when)} rows={list.data} rowKey={(d) => d.id} /> : null}
      <p>
        <Link to={`/participants/${id}/consents/disclosures/print${qs ? `?${qs}` : ''}`}>{t('consents.accounting.print')}</Link>
      </p>
    </Page>
  );
}

export function AccountingPrintPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const period = usePeriod();
  usePrintableBody();
  const [lang, setLang] = useState<Lang>(i18n.language === 'es' ? 'es' : 'en');
  const when = useFormatDateTime();
  const list = useQuery({ queryKey: consentKeys.accounting(id, period.from, period.to), queryFn: () => getAccounting(id, period.from, period.to) });
  const participant = useQuery({ queryKey: participantKeys.participant(id), queryFn: () => getParticipant(id) });
  const back = { to: `/participants/${id}/consents/disclosures`, label: t('consents.accounting.title') };
  const tt = i18n.getFixedT(lang);
  if (list.isPending || participant.isPending) return <Page title={t('consents.print.accountingTitle')} back={back}><Loading /></Page>;
  if (list.isError) return <Page title={t('consents.print.accountingTitle')} back={back}><LoadFailed error={list.error} retry={() => void list.refetch()} /></Page>;
  if (participant.isError) return <Page title={t('consents.print.accountingTitle')} back={back}><LoadFailed error={participant.error} retry={() => void participant.refetch()} /></Page>;
  const cols = columns(tt, when);
  return (
    <Page title={t('consents.print.accountingTitle')} back={back} wide>
      <LanguageChoice value={lang} onChange={setLang} />
      <article className="printable" lang={lang}>
        <h2 className="heading-m">{tt('consents.print.accountingTitle')}</h2>
        <p>
          {tt('consents.print.participant')}: {nameOf(participant.data)}
        </p>
        <p>
          {period.from || period.to
            ? tt('consents.print.period', { from: period.from || tt('consents.print.start'), to: period.to || tt('consents.print.today') })
            : tt('consents.print.periodAll')}
        </p>
        {list.data.length === 0 ? (
          <p>{tt('consents.accounting.none')}</p>
        ) : (
          <table className="table">
            <caption className="visually-hidden">{tt('consents.accounting.caption')}</caption>
            <thead>
              <tr>
                {cols.map((c) => (
                  <th key={c.header} scope="col">
                    {c.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {list.data.map((d) => (
                <tr key={d.id}>
                  {cols.map((c) => (
                    <td key={c.header}>{c.cell(d)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p className="hint">{tt('consents.print.noticeText')}</p>
      </article>
    </Page>
  );
}

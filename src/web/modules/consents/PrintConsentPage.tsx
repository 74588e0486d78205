/**
 * A consent as a printable form: every 42 CFR 2.31 element in plain words, the signatures (a
 * drawn one rendered from its path), the redisclosure statement for a TPO consent and the §2.32
 * notice, in English or Spanish whatever the interface language is. Printing hides the app.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import i18n from '../../app/i18n';
import { LoadFailed, Loading, Page } from '../../app/components';
import { RadioGroup } from '../../app/forms/fields';
import { getParticipant, keys as participantKeys, nameOf } from '../participants/participants.api';
import { consentKeys, getConsent, type ConsentFullT, type RecipientT } from './consents.api';
import { SignatureImage } from './SignaturePad';
import './consents.css';

export type Lang = 'en' | 'es';

/** While a printable page is shown, printing hides the app around it (consents.css). */
export function usePrintableBody(): void {
  useEffect(() => {
    document.body.classList.add('printing-document');
    return () => document.body.classList.remove('printing-document');
  }, []);
}

export function LanguageChoice({ value, onChange }: { value: Lang; onChange: (l: Lang) => void }) {
  const { t } = useTranslation();
  return (
    <div className="no-print">
      <RadioGroup
        name="printLanguage"
        legend={t('consents.print.language')}
        inline
        options={[
          { value: 'en', label: t('consents.form.english') },
          { value: 'es', label: t('consents.form.spanish') },
        ]}
        value={value}
        onChange={(v) => onChange(v === 'es' ? 'es' : 'en')}
      />
      <p>
        <button type="button" className="button" onClick={() => window.print()}>
          {t('consents.print.printButton')}
        </button>
      </p>
    </div>
  );
}

export function PrintConsentPage() {
  const { t } = useTranslation();
  const { id = '', consentId = '' } = useParams();
  usePrintableBody();
  const consent = useQuery({ queryKey: consentKeys.consent(consentId), queryFn: () => getConsent(consentId) });
  const participant = useQuery({ queryKey: participantKeys.participant(id), queryFn: () => getParticipant(id) });
  const back = { to: `/participants/${id}`, label: t('consents.form.back') };
  if (consent.isPending || participant.isPending) return <Page title={t('consents.print.title')} back={back}><Loading /></Page>;
  if (consent.isError) return <Page title={t('consents.print.title')} back={back}><LoadFailed error={consent.error} retry={() => void consent.refetch()} /></Page>;
  if (participant.isError) return <Page title={t('consents.print.title')} back={back}><LoadFailed error={participant.error} retry={() => void participant.refetch()} /></Page>;
  return (
    <Page title={t('consents.print.title')} back={back}>
      <Printable consent={consent.data} name={nameOf(participant.data)} dateOfBirth={participant.data.dateOfBirth} />
    </Page>
  );
}

function Printable({ consent: c, name, dateOfBirth }: { consent: ConsentFullT; name: string; dateOfBirth: string | null }) {
  const [lang, setLang] = useState<Lang>(c.formLanguage);
  const tt = i18n.getFixedT(lang);
  const recipient = (r: RecipientT) =>
    r.kind === 'class' ? tt(`consents.classes.${r.class}`) : r.kind === 'person' ? (r.organization ? `${r.name} (${r.organization})` : r.name) : `${r.name} (${tt(`consents.orgTypes.${r.type}`)})`;
  const participation = c.kind === 'participation';
  const event = c.expirationEvent && c.expirationEvent.toLowerCase() !== 'none' ? c.expirationEvent : null;
  return (
    <>
      <LanguageChoice value={lang} onChange={setLang} />
      <article className="printable" lang={lang}>
        <h2 className="heading-m">{participation ? tt('consents.print.participationHeading') : tt('consents.print.heading')}</h2>
        <dl className="summary-list">
          <div className="summary-list-row">
            <dt className="summary-list-key">{tt('consents.print.participant')}</dt>
            <dd className="summary-list-value">{name}</dd>
          </div>
          {dateOfBirth ? (
            <div className="summary-list-row">
              <dt className="summary-list-key">{tt('consents.print.dateOfBirth')}</dt>
              <dd className="summary-list-value">{dateOfBirth}</dd>
            </div>
          ) : null}
          <div className="summary-list-row">
            <dt className="summary-list-key">{tt('consents.print.discloser')}</dt>
            <dd className="summary-list-value">{c.discloser}</dd>
          </div>
        </dl>
        <h3 className="heading-s">{tt('consents.print.information')}</h3>
        <ul>
          {c.categories.map((k) => (
            <li key={k}>{tt(`consents.categories.${k}`)}</li>
          ))}
        </ul>
        <h3 className="heading-s">{tt('consents.print.recipients')}</h3>
        <ul>
          {c.recipients.map((r, i) => (
            <li key={i}>{recipient(r)}</li>
          ))}
        </ul>
        <h3 className="heading-s">{tt('consents.print.purposes')}</h3>
        <ul>
          {c.purposes.map((p) => (
            <li key={p}>{tt(`consents.purposes.${p}`)}</li>
          ))}
        </ul>
        <h3 className="heading-s">{tt('consents.print.expiration')}</h3>
        <p>
          {[c.expiresOn ? tt('consents.print.expiresOn', { date: c.expiresOn }) : null, event ? tt('consents.print.expiresAt', { event }) : null].filter(Boolean).join(' · ') ||
            tt('consents.print.noExpiration')}
        </p>
        <h3 className="heading-s">{tt('consents.print.revokeRight')}</h3>
        <p>{tt('consents.print.revokeText', { org: c.discloser })}</p>
        {c.kind === 'disclosure_tpo' ? (
          <>
            <h3 className="heading-s">{tt('consents.print.redisclosure')}</h3>
            <p>{tt('consents.print.redisclosureText')}</p>
            <h3 className="heading-s">{tt('consents.print.refusal')}</h3>
            <p>{tt('consents.print.refusalText')}</p>
          </>
        ) : null}
        {participation ? null : (
          <>
            <h3 className="heading-s">{tt('consents.print.notice')}</h3>
            <p>{tt('consents.print.noticeText')}</p>
          </>
        )}
        <h3 className="heading-s">{tt('consents.print.signatures')}</h3>
        {c.signatures.map((s) => (
          <div key={s.id} className="section">
            {s.method === 'drawn' && s.data ? <SignatureImage path={s.data} label={tt('consents.print.signedBy', { name: s.signerName, role: tt(`consents.signerRoles.${s.signerRole}`) })} /> : null}
            {s.method === 'typed' && s.data ? (
              <p>
                <em>{s.data}</em>
              </p>
            ) : null}
            <p>{tt('consents.print.signedBy', { name: s.signerName, role: tt(`consents.signerRoles.${s.signerRole}`) })}</p>
            <p>{tt('consents.print.signedOn', { date: c.signedOn })}</p>
            <p>{tt('consents.print.method', { method: tt(`consents.methods.${s.method}`) })}</p>
            {s.witnessName ? <p>{tt('consents.print.witness', { name: s.witnessName })}</p> : null}
            {s.legalBasis ? <p>{tt('consents.print.legalBasis', { basis: s.legalBasis })}</p> : null}
          </div>
        ))}
        <p>{tt('consents.print.status', { status: tt(`consents.statuses.${c.status}`) })}</p>
        {c.revokedOn ? <p>{tt('consents.print.revoked', { date: c.revokedOn })}</p> : null}
        <p className="hint">{tt('consents.print.consentId', { id: c.id })}</p>
      </article>
    </>
  );
}

/**
 * Pieces the staff and partner referral pages share: the status tag (words, never colour alone),
 * the history of changes, the frozen copy with its notice, the revocation banner, and the
 * disclosure gate's refusal in words.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuth } from '../../app/auth';
import { Banner, Tag, useFormatDateTime } from '../../app/components';
import type { ConsentRefusal, ReferralEventT, ReferralStatus, SharedCopyT } from './referrals.api';
import { referralsEn } from './i18n';
import './referrals.css';

const TONE = {
  draft: 'grey',
  requested: 'blue',
  accepted: 'blue',
  in_progress: 'yellow',
  completed: 'green',
  rejected: 'red',
  cancelled: 'grey',
  failed: 'red',
} as const satisfies Record<ReferralStatus, string>;

export function ReferralStatusTag({ status }: { status: ReferralStatus }) {
  const { t } = useTranslation();
  return <Tag tone={TONE[status]}>{t(`referrals.statuses.${status}`)}</Tag>;
}

/** A local date (YYYY-MM-DD) as people read it; an instant as its date in the organization's zone. */
export function useFormatDay(): (value: string | null | undefined) => string {
  const { i18n } = useTranslation();
  const { me } = useAuth();
  const timeZone = me?.organization?.timeZone;
  return (value) => {
    if (!value) return '';
    const local = /^\d{4}-\d{2}-\d{2}$/.test(value);
    const d = new Date(local ? `${value}T12:00:00Z` : value);
    if (Number.isNaN(d.getTime())) return value;
    try {
      return new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeZone: local ? 'UTC' : timeZone }).format(d);
    } catch {
      return value;
    }
  };
}

type EventKind = keyof typeof referralsEn.events;
const EVENT_KINDS = ['created', 'status', 'sent', 'updated', 'linked', 'scheduled', 'attendance'] as const satisfies readonly EventKind[];
const isEventKind = (k: string): k is (typeof EVENT_KINDS)[number] => (EVENT_KINDS as readonly string[]).includes(k);
const LINKAGE = Object.keys(referralsEn.linkageKinds);

/** Every change, oldest first: what, who, when and why. */
export function EventHistory({ events, headingId }: { events: readonly ReferralEventT[]; headingId: string }) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  // What an event's `reason` means depends on its kind: a code for attendance and linkage, words otherwise.
  const detail = (e: ReferralEventT): string | null => {
    if (!e.reason) return null;
    if (e.kind === 'attendance') return e.reason === 'attended' ? t('referrals.events.attended') : e.reason === 'did_not_attend' ? t('referrals.events.did_not_attend') : null;
    if (e.kind === 'linked') return LINKAGE.includes(e.reason) ? t(`referrals.linkageKinds.${e.reason as 'moud_started'}`) : null;
    return t('referrals.events.why', { reason: e.reason });
  };
  return (
    <section aria-labelledby={headingId} className="referral-block">
      <h2 className="heading-m" id={headingId}>
        {t('referrals.page.historyHeading')}
      </h2>
      <ol className="referral-history">
        {events.map((e) => {
          const what = isEventKind(e.kind) ? t(`referrals.events.${e.kind}`) : t('referrals.events.other');
          const move = e.toStatus
            ? e.fromStatus
              ? t('referrals.events.move', { from: t(`referrals.statuses.${e.fromStatus}`), to: t(`referrals.statuses.${e.toStatus}`) })
              : t(`referrals.statuses.${e.toStatus}`)
            : null;
          const who = e.actorName
            ? `${t('referrals.events.by', { name: e.actorName })}${e.actorKind === 'partner' ? ` (${t('referrals.events.partnerSuffix')})` : ''}`
            : e.actorKind === 'partner'
              ? t('referrals.events.byPartner')
              : t('referrals.events.byStaff');
          const why = detail(e);
          return (
            <li key={e.id}>
              <p className="referral-history-what">
                <strong>{what}</strong>
                {move ? `: ${move}` : ''}
              </p>
              <p className="referral-history-who">
                {who}, <time dateTime={e.at}>{formatDateTime(e.at)}</time>
              </p>
              {why ? <p className="referral-history-why">{why}</p> : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

type CopyKey = keyof typeof referralsEn.copy;
const COPY_KEYS = Object.keys(referralsEn.copy);

/** `firstName` / `date_of_birth` → "First name" / "Date of birth": keys the interface has no words for, readable. */
function readableKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The frozen copy as labelled facts: known keys and codes in the person's language, anything else as stored. */
function CopyValue({ name, value }: { name: string | null; value: unknown }): ReactNode {
  const { t } = useTranslation();
  if (value === null || value === undefined || value === '') return <span className="hint">—</span>;
  if (Array.isArray(value)) {
    const items = value as unknown[];
    if (items.length === 0) return <span className="hint">—</span>;
    if (items.every((v) => typeof v !== 'object' || v === null)) return <>{items.map((v) => words(name, v)).join(', ')}</>;
    return (
      <ul className="referral-copy-list">
        {items.map((v, i) => (
          <li key={i}>
            <CopyValue name={null} value={v} />
          </li>
        ))}
      </ul>
    );
  }
  if (typeof value === 'object') {
    return (
      <dl className="referral-copy">
        {Object.entries(value as Record<string, unknown>).map(([k, v]) => (
          <div key={k}>
            <dt>{COPY_KEYS.includes(k) ? t(`referrals.copy.${k as CopyKey}`) : readableKey(k)}</dt>
            <dd>
              <CopyValue name={k} value={v} />
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  return <>{words(name, value)}</>;

  function words(key: string | null, v: unknown): string {
    const text = String(v);
    switch (key) {
      case 'urgency':
        return t(`referrals.urgencies.${text as 'routine'}`, { defaultValue: text });
      case 'categories':
        return t(`consents.categories.${text as 'moud'}`, { defaultValue: text });
      case 'currentMoud':
        return t(`participants.moud.${text as 'none'}`, { defaultValue: text });
      case 'primarySubstance':
      case 'secondarySubstance':
        return t(`participants.substances.${text as 'other'}`, { defaultValue: text });
      case 'routeOfUse':
        return t(`participants.routes.${text as 'other'}`, { defaultValue: text });
      case null:
      default:
        return text;
    }
  }
}

/** What the receiver has: the frozen copy made at sending, and the notice that went with it, word for word. */
export function SharedCopyView({ shared, headingId }: { shared: SharedCopyT; headingId: string }) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  // The categories are listed above; the rest is the copy as it was sent.
  const payload = shared.payload && typeof shared.payload === 'object' && !Array.isArray(shared.payload) ? Object.fromEntries(Object.entries(shared.payload).filter(([k]) => k !== 'categories')) : shared.payload;
  return (
    <section aria-labelledby={headingId} className="referral-block">
      <h2 className="heading-m" id={headingId}>
        {t('referrals.page.shared.heading')}
      </h2>
      <p>{t('referrals.page.shared.when', { when: formatDateTime(shared.disclosedAt) })}</p>
      <p>
        <strong>{t('referrals.page.shared.categories')}:</strong> {shared.categories.map((c) => t(`consents.categories.${c}`)).join(', ')}
      </p>
      <h3 className="heading-s">{t('referrals.page.shared.notice')}</h3>
      <blockquote className="referral-notice">
        <p>{shared.notice}</p>
      </blockquote>
      <h3 className="heading-s">{t('referrals.page.shared.copy')}</h3>
      <div className="referral-copy-box">
        <CopyValue name={null} value={payload} />
      </div>
    </section>
  );
}

export function RevokedBanner({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Banner kind="warning" title={t('referrals.page.revokedTitle')}>
      <p>{children}</p>
    </Banner>
  );
}

/** The disclosure gate said no: why, in words, and where to record a consent. */
export function ConsentRefusalBanner({ refusal, participantId, canLog }: { refusal: ConsentRefusal; participantId: string; canLog: boolean }) {
  const { t } = useTranslation();
  const known = refusal.reason in referralsEn.refusals;
  return (
    <Banner kind="warning" title={t('referrals.consent.title')} focus>
      <p>{known ? t(`referrals.refusals.${refusal.reason as keyof typeof referralsEn.refusals}`) : t('referrals.refusals.no_consent')}</p>
      {refusal.missingCategories.length ? (
        <p>{t('referrals.consent.missing', { categories: refusal.missingCategories.map((c) => t(`consents.categories.${c as 'moud'}`, { defaultValue: c })).join(', ') })}</p>
      ) : null}
      <p>
        <Link to={`/participants/${encodeURIComponent(participantId)}/consents/new`}>{t('referrals.consent.record')}</Link>
      </p>
      {canLog ? <p>{t('referrals.consent.orLog')}</p> : null}
    </Banner>
  );
}

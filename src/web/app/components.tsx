/**
 * Small building blocks every page uses: the page frame (title, heading, focus on navigation),
 * notification banners, summary lists, tags, loading and failure states, a copy button, and
 * date formatting in the organization's time zone.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuth } from './auth';
import { describeError } from './forms/errors';

let initialLoad = true;

/**
 * One page: sets the document title (never personal data: callers pass fixed words) and moves
 * focus to the heading after in-app navigation, so screen readers announce the new page.
 */
export function Page({
  title,
  heading,
  caption,
  hasErrors = false,
  back,
  children,
  wide = false,
}: {
  title: string;
  heading?: ReactNode;
  caption?: ReactNode;
  hasErrors?: boolean;
  back?: { to: string; label: string };
  children: ReactNode;
  wide?: boolean;
}) {
  const { t } = useTranslation();
  const h1 = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${hasErrors ? t('errors.titlePrefix') : ''}${title} – ${t('app.name')}`;
  }, [title, hasErrors, t]);
  useEffect(() => {
    if (initialLoad) {
      initialLoad = false;
      return;
    }
    h1.current?.focus({ preventScroll: false });
  }, []);
  return (
    <div className={wide ? 'page page--wide' : 'page'}>
      {back ? (
        <Link className="back-link" to={back.to}>
          {back.label}
        </Link>
      ) : null}
      {caption ? <span className="caption">{caption}</span> : null}
      <h1 className="heading-l" ref={h1} tabIndex={-1}>
        {heading ?? title}
      </h1>
      {children}
    </div>
  );
}

export function Banner({ kind = 'info', title, children, focus = false }: { kind?: 'info' | 'success' | 'warning'; title?: ReactNode; children: ReactNode; focus?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [focus]);
  return (
    <div ref={ref} tabIndex={focus ? -1 : undefined} className={`banner banner--${kind}`} role={kind === 'success' || focus ? 'status' : undefined}>
      {title ? <h2 className="banner-title">{title}</h2> : null}
      <div className="banner-content">{children}</div>
    </div>
  );
}

export interface SummaryRow {
  key: ReactNode;
  value: ReactNode;
  action?: { to: string; label: string; hidden: string };
}

/** Key–value rows with an optional "Change" link (GOV.UK summary list). */
export function SummaryList({ rows }: { rows: SummaryRow[] }) {
  return (
    <dl className="summary-list">
      {rows.map((r, i) => (
        <div className="summary-list-row" key={i}>
          <dt className="summary-list-key">{r.key}</dt>
          <dd className="summary-list-value">{r.value}</dd>
          {r.action ? (
            <dd className="summary-list-actions">
              <Link to={r.action.to}>
                {r.action.label}
                <span className="visually-hidden"> {r.action.hidden}</span>
              </Link>
            </dd>
          ) : null}
        </div>
      ))}
    </dl>
  );
}

export function Tag({ children, tone = 'grey' }: { children: ReactNode; tone?: 'grey' | 'green' | 'red' | 'blue' | 'yellow' }) {
  return <strong className={`tag tag--${tone}`}>{children}</strong>;
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      {t('common.loading')}
    </p>
  );
}

/** A request that failed: what to do next, and a way to try again. */
export function LoadFailed({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="banner banner--warning" role="alert">
      <p>{describeError(t, error)}</p>
      {retry ? (
        <button type="button" className="button button--secondary" onClick={retry}>
          {t('common.tryAgain')}
        </button>
      ) : null}
    </div>
  );
}

/** A one-time link with a copy button; copying says so out loud. */
export function CopyBox({ label, value }: { label: string; value: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  return (
    <div className="copy-box">
      <label className="label" htmlFor="copy-box-value">
        {label}
      </label>
      <input ref={input} id="copy-box-value" className="input input--full copy-box-value" readOnly value={value} onFocus={(e) => e.target.select()} />
      <button
        type="button"
        className="button button--secondary"
        onClick={() => {
          const done = () => setCopied(true);
          if (navigator.clipboard?.writeText) {
            navigator.clipboard.writeText(value).then(done, () => {
              input.current?.select();
            });
          } else {
            input.current?.select();
          }
        }}
      >
        {t('common.copyLink')}
      </button>
      <p className="copy-box-status" role="status">
        {copied ? t('common.copied') : ''}
      </p>
    </div>
  );
}

/** Dates and times in the organization's time zone (where the program's days are counted). */
export function useFormatDateTime(): (iso: string | null | undefined) => string {
  const { i18n } = useTranslation();
  const { me } = useAuth();
  const timeZone = me?.organization?.timeZone;
  return (iso) => {
    if (!iso) return '';
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return iso;
    try {
      return new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short', timeZone, timeZoneName: undefined }).format(d);
    } catch {
      return d.toLocaleString(i18n.language);
    }
  };
}

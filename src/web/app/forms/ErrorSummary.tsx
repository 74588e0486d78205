/**
 * The error summary at the top of a form (GOV.UK pattern): it takes focus after a failed
 * submit, and each message links to its field; following the link focuses the field.
 */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldId } from './fields';
import type { FormError } from './useForm';

/** Focus the field named `name`, or its group when the exact element is not on the page. */
export function focusField(name: string): void {
  let parts = name.split('.');
  while (parts.length) {
    const el = document.getElementById(fieldId(parts.join('.')));
    if (el) {
      // Show the label too: it sits above the field.
      const group = el.closest('.form-group');
      (group ?? el).scrollIntoView({ block: 'start' });
      el.focus({ preventScroll: true });
      return;
    }
    parts = parts.slice(0, -1);
  }
}

export function ErrorSummary({ errors, attempt }: { errors: readonly FormError[]; attempt: number }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (attempt > 0 && errors.length) {
      ref.current?.focus();
      ref.current?.scrollIntoView({ block: 'start' });
    }
    // Focus once per failed attempt, not on every change of the list.
  }, [attempt]);

  if (!errors.length) return null;
  return (
    <div className="error-summary" ref={ref} tabIndex={-1} role="alert" aria-labelledby="error-summary-title">
      <h2 className="error-summary-title" id="error-summary-title">
        {t('errors.summaryTitle')}
      </h2>
      <ul className="error-summary-list">
        {errors.map((e, i) => (
          <li key={`${e.field ?? ''}-${i}`}>
            {e.field ? (
              <a
                href={`#${fieldId(e.field)}`}
                onClick={(ev) => {
                  ev.preventDefault();
                  focusField(e.field!);
                }}
              >
                {e.message}
              </a>
            ) : (
              e.message
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

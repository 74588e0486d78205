/**
 * Buttons. Never disabled (a disabled button explains nothing): while a request runs, the
 * label says so and repeated presses are ignored by the form.
 */
import type { ButtonHTMLAttributes, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface ButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'className' | 'disabled'> {
  variant?: 'primary' | 'secondary' | 'warning' | 'link';
  busy?: boolean;
  /** What the button says while busy; "Saving…" by default. */
  busyLabel?: string;
  children: ReactNode;
}

export function Button({ variant = 'primary', busy = false, busyLabel, children, type = 'button', ...rest }: ButtonProps) {
  const { t } = useTranslation();
  const cls = variant === 'link' ? 'link-button' : `button${variant === 'primary' ? '' : ` button--${variant}`}`;
  return (
    <button {...rest} type={type} className={cls} aria-busy={busy || undefined}>
      {busy ? (busyLabel ?? t('common.saving')) : children}
    </button>
  );
}

export function ButtonGroup({ children }: { children: ReactNode }) {
  return <div className="button-group">{children}</div>;
}

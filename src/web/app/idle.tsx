/**
 * Automatic logoff on this device (HIPAA 164.312(a)(2)(iii)). The server ends a session after
 * `idleTimeoutSeconds` without requests; this watches the person's own activity (in every tab
 * of this browser), keeps the server session alive while they work without saving, warns a
 * minute before, and signs out when nothing has happened for the whole period.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, lastServerContact } from './api';
import { useAuth } from './auth';

const ACTIVITY_KEY = 'lodestar.lastActivity';
const WARN_BEFORE_MS = 60_000;
const HEARTBEAT_MS = 60_000;
const EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart', 'input'] as const;

function sharedActivity(): number {
  try {
    return Number(localStorage.getItem(ACTIVITY_KEY)) || 0;
  } catch {
    return 0;
  }
}

export function IdleLogoff({ idleSeconds }: { idleSeconds: number }) {
  const { t } = useTranslation();
  const { signOut } = useAuth();
  const lastActivity = useRef(Date.now());
  const [warning, setWarning] = useState(false);
  const stayButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const idleMs = idleSeconds * 1000;
    let lastShared = 0;
    const markActive = () => {
      const now = Date.now();
      lastActivity.current = now;
      // Share with other tabs, but not on every keystroke.
      if (now - lastShared > 5_000) {
        lastShared = now;
        try {
          localStorage.setItem(ACTIVITY_KEY, String(now));
        } catch {
          // This tab still tracks its own activity.
        }
      }
    };
    markActive();
    for (const e of EVENTS) window.addEventListener(e, markActive, { passive: true, capture: true });

    const timer = window.setInterval(() => {
      const now = Date.now();
      const last = Math.max(lastActivity.current, sharedActivity());
      const quiet = now - last;
      if (quiet >= idleMs) {
        window.clearInterval(timer);
        void signOut('idle');
        return;
      }
      setWarning(quiet >= idleMs - WARN_BEFORE_MS);
      // Active, but typing without saving: tell the server this session is still in use.
      if (quiet < HEARTBEAT_MS && now - lastServerContact() > HEARTBEAT_MS) {
        void api.get('/api/v1/me').catch(() => undefined);
      }
    }, 5_000);

    return () => {
      window.clearInterval(timer);
      for (const e of EVENTS) window.removeEventListener(e, markActive, { capture: true });
    };
  }, [idleSeconds, signOut]);

  useEffect(() => {
    if (warning) stayButton.current?.focus();
  }, [warning]);

  if (!warning) return null;
  return (
    <div className="idle-warning" role="alertdialog" aria-labelledby="idle-title" aria-describedby="idle-text">
      <h2 id="idle-title" className="heading-s">
        {t('idle.title')}
      </h2>
      <p id="idle-text">{t('idle.text')}</p>
      <button
        ref={stayButton}
        type="button"
        className="button"
        onClick={() => {
          lastActivity.current = Date.now();
          setWarning(false);
          void api.get('/api/v1/me').catch(() => undefined);
        }}
      >
        {t('idle.stay')}
      </button>
    </div>
  );
}

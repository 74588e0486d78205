/**
 * Switch between English and Spanish. The button names the other language in that language.
 * For a signed-in person the choice is saved on the server (PATCH /api/v1/me/preferences).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import type { Me } from '../../../contracts/auth';
import { api } from '../api';
import { ME_KEY, useAuth } from '../auth';
import { currentLocale, setLocale, type Locale } from '../i18n';

const NAMES: Record<Locale, string> = { en: 'English', es: 'Español' };

/** Save and apply a language; returns once the interface speaks it. */
export function useChangeLocale(): (locale: Locale) => Promise<void> {
  const { me } = useAuth();
  const queryClient = useQueryClient();
  return async (locale) => {
    // Saved with the account once fully signed in (a half-open session may not write yet).
    if (me?.session.mfaState === 'verified') {
      await api.patch('/api/v1/me/preferences', { locale });
      queryClient.setQueryData<Me | null>(ME_KEY, (m) => (m ? { ...m, user: { ...m.user, locale } } : m));
    }
    await setLocale(locale);
  };
}

export function LanguageSwitch({ className = 'link-button' }: { className?: string }) {
  const { t } = useTranslation();
  const change = useChangeLocale();
  const [failed, setFailed] = useState(false);
  const other: Locale = currentLocale() === 'es' ? 'en' : 'es';
  return (
    <>
      <button
        type="button"
        className={className}
        onClick={() => {
          setFailed(false);
          change(other).catch(() => setFailed(true));
        }}
      >
        <span className="visually-hidden">{t('language.switchTo')} </span>
        <span lang={other}>{NAMES[other]}</span>
      </button>
      {failed ? (
        <span className="error-message" role="alert">
          {t('language.failed')}
        </span>
      ) : null}
    </>
  );
}

export { NAMES as LOCALE_NAMES };

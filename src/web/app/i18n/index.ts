/**
 * Translations: English is complete; Spanish covers the shell (navigation, sign-in, two-step
 * verification, account, setup, password reset, errors) and falls back to English elsewhere.
 * The language comes from the signed-in person's preference (Me.user.locale), or before sign-in
 * from this browser's earlier choice or its language setting.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { es } from './es';

export const LOCALES = ['en', 'es'] as const;
export type Locale = (typeof LOCALES)[number];
const STORAGE_KEY = 'lodestar.locale';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}

export const isLocale = (v: unknown): v is Locale => v === 'en' || v === 'es';

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (isLocale(saved)) return saved;
  } catch {
    // Storage may be blocked; the browser's language is a fine default.
  }
  return navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en';
}

/** Switch the interface language (the caller saves it on the server when someone is signed in). */
export async function setLocale(locale: Locale): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Not remembered across visits; nothing else depends on it.
  }
  document.documentElement.lang = locale;
  if (i18n.language !== locale) await i18n.changeLanguage(locale);
}

export const currentLocale = (): Locale => (isLocale(i18n.language) ? i18n.language : 'en');

const lng = initialLocale();
document.documentElement.lang = lng;

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, es: { translation: es } },
  lng,
  fallbackLng: 'en',
  supportedLngs: [...LOCALES],
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

export default i18n;

/**
 * Server errors in the person's language. The server answers in English with stable codes; the
 * codes we know get a translated message here, anything else keeps the server's own words
 * (they are written for people, not developers).
 */
import type { TFunction } from 'i18next';
import { isApiError, type FieldError } from '../api';
import { currentLocale } from '../i18n';

/** A message for a whole failed request. */
export function describeError(t: TFunction, err: unknown): string {
  if (!isApiError(err)) return t('errors.unexpected');
  switch (err.code) {
    case 'network.unreachable':
      return t('errors.network');
    case 'request.rate_limited':
      return t('errors.rateLimited');
    case 'auth.forbidden':
      // The server often says why (a person shared with another organization); in English, show that.
      return currentLocale() === 'en' && err.message ? err.message : t('errors.forbidden');
    case 'auth.csrf_invalid':
      return t('errors.csrf');
    case 'auth.invalid_credentials':
      return t('errors.invalidCredentials');
    case 'auth.locked': {
      const until = err.details?.lockedUntil;
      const minutes = typeof until === 'string' ? Math.max(1, Math.ceil((new Date(until).getTime() - Date.now()) / 60_000)) : NaN;
      return Number.isFinite(minutes) ? t('errors.lockedFor', { count: minutes }) : t('errors.locked');
    }
    case 'auth.mfa_invalid':
      return t('errors.mfaInvalid');
    case 'auth.unauthenticated':
      return t('errors.unauthenticated');
    case 'record.not_found':
      return t('errors.notFound');
    case 'idempotency.in_progress':
      return t('errors.inProgress');
    case 'internal': {
      const reference = /reference ([\w-]+)/.exec(err.message)?.[1];
      return reference ? t('errors.internalWithReference', { reference }) : t('errors.internal');
    }
    default:
      if (err.status >= 500 || err.code.startsWith('http.')) return t('errors.internal');
      return err.message;
  }
}

/**
 * A message for one field. Password rules come back as sentences; the ones we know are
 * translated (the API has no per-field codes yet).
 */
export function describeFieldError(t: TFunction, code: string, field: FieldError): string {
  if (code === 'auth.mfa_invalid') return t('errors.mfaInvalidField');
  if (code === 'auth.invalid_credentials') return t('errors.wrongPasswordField');
  if (code === 'auth.weak_password') {
    const m = field.message;
    if (m.startsWith('Use at least')) return t('password.tooShort');
    if (m.includes('too common')) return t('password.tooCommon');
    if (m.includes('repeats')) return t('password.repetitive');
    if (m.includes('email')) return t('password.containsEmail');
  }
  return field.message;
}

export { isApiError };

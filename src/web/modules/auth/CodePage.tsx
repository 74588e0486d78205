/** The second sign-in step: the 6-digit code from the person's authenticator app. */
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { useAuth, type SignInState } from '../../app/auth';
import { Page } from '../../app/components';
import { Button } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { TextField } from '../../app/forms/fields';
import { useForm } from '../../app/forms/useForm';
import { cleanCode, isSixDigits } from '../../app/forms/checks';
import { homeFor } from '../../app/guards';
import { isApiError } from '../../app/api';
import { verifyCode } from './auth.api';

export function CodePage() {
  const { t } = useTranslation();
  const { me, setMe, sessionEnded, signOut } = useAuth();
  const location = useLocation();
  const state = (location.state ?? {}) as SignInState;
  const form = useForm({
    initial: { code: '' },
    validate: (v) => {
      if (!cleanCode(v.code)) return [{ field: 'code', message: t('code.errors.missing') }];
      if (!isSixDigits(v.code)) return [{ field: 'code', message: t('code.errors.format') }];
      return [];
    },
    onSubmit: async (v) => {
      try {
        setMe(await verifyCode(cleanCode(v.code)));
      } catch (err) {
        // Too many wrong codes lock the account and end this half-open session.
        if (isApiError(err) && (err.code === 'auth.locked' || err.code === 'auth.unauthenticated')) {
          sessionEnded(err.code === 'auth.locked' ? 'locked' : 'expired');
          return;
        }
        throw err;
      }
    },
    attach: { 'auth.mfa_invalid': 'code' },
  });

  if (!me) return <Navigate to="/sign-in" replace state={state} />;
  if (me.session.mfaState !== 'pending') {
    const to = me.session.mfaState === 'verified' ? (state.from ?? '/') : homeFor(me.session.mfaState);
    return <Navigate to={to} replace />;
  }

  return (
    <Page title={t('code.title')} hasErrors={form.errors.length > 0}>
      <p>{t('code.intro')}</p>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form className="form narrow" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <TextField
          name="code"
          label={t('code.label')}
          hint={t('code.hint')}
          inputMode="numeric"
          autoComplete="one-time-code"
          spellCheck={false}
          width="code"
          maxLength={7}
          value={form.values.code}
          error={form.errorFor('code')}
          onChange={(v) => form.set('code', v)}
        />
        <Button type="submit" busy={form.busy} busyLabel={t('code.busy')}>
          {t('code.submit')}
        </Button>
      </form>
      <h2 className="heading-s">{t('code.troubleTitle')}</h2>
      <p>{t('code.troubleText')}</p>
      <p>
        <button type="button" className="link-button" onClick={() => void signOut('signedOut')}>
          {t('code.cancel')}
        </button>
      </p>
    </Page>
  );
}

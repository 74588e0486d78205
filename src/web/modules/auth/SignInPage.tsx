/** Sign in with email and password; then the code step or MFA set-up when the session needs it. */
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { useAuth, type SignInNotice, type SignInState } from '../../app/auth';
import { Banner, Page } from '../../app/components';
import { Button } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { PasswordField, TextField } from '../../app/forms/fields';
import { useForm, type FormError } from '../../app/forms/useForm';
import { homeFor } from '../../app/guards';
import { isEmail } from '../../app/forms/checks';
import { signIn } from './auth.api';

const NOTICE = {
  signedOut: 'signIn.notices.signedOut',
  idle: 'signIn.notices.idle',
  expired: 'signIn.notices.expired',
  passwordSet: 'signIn.notices.passwordSet',
  signedOutEverywhere: 'signIn.notices.signedOutEverywhere',
  locked: 'signIn.notices.locked',
} as const satisfies Record<SignInNotice, string>;

export function SignInPage() {
  const { t } = useTranslation();
  const { me, setMe } = useAuth();
  const location = useLocation();
  const state = (location.state ?? {}) as SignInState;
  const form = useForm({
    initial: { email: '', password: '' },
    validate: (v) => {
      const e: FormError[] = [];
      if (!v.email.trim()) e.push({ field: 'email', message: t('signIn.errors.emailMissing') });
      else if (!isEmail(v.email)) e.push({ field: 'email', message: t('signIn.errors.emailFormat') });
      if (!v.password) e.push({ field: 'password', message: t('signIn.errors.passwordMissing') });
      return e;
    },
    onSubmit: async (v) => setMe(await signIn(v)),
    attach: { 'auth.invalid_credentials': 'email' },
  });

  if (me) {
    const verified = me.session.mfaState === 'verified';
    const to = verified ? (state.from ?? '/') : homeFor(me.session.mfaState);
    return <Navigate to={to} replace state={verified ? undefined : { from: state.from }} />;
  }

  const notice = state.notice;
  return (
    <Page title={t('signIn.title')} hasErrors={form.errors.length > 0}>
      {notice ? (
        <Banner kind={notice === 'passwordSet' ? 'success' : 'info'}>
          <p>{t(NOTICE[notice])}</p>
        </Banner>
      ) : null}
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form className="form narrow" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <TextField
          name="email"
          label={t('signIn.email')}
          type="email"
          autoComplete="username"
          spellCheck={false}
          autoCapitalize="none"
          value={form.values.email}
          error={form.errorFor('email')}
          onChange={(v) => form.set('email', v)}
        />
        <PasswordField
          name="password"
          label={t('signIn.password')}
          autoComplete="current-password"
          value={form.values.password}
          error={form.errorFor('password')}
          onChange={(v) => form.set('password', v)}
        />
        <Button type="submit" busy={form.busy} busyLabel={t('signIn.busy')}>
          {t('signIn.submit')}
        </Button>
      </form>
      <h2 className="heading-s">{t('signIn.forgotTitle')}</h2>
      <p>{t('signIn.forgotText')}</p>
    </Page>
  );
}

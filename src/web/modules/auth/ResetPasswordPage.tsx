/**
 * Set a password from a one-time link (a new account, or a reset an administrator made):
 * `/reset-password#token=…`. Afterwards the person signs in with it.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useAuth, type SignInState } from '../../app/auth';
import { Banner, Page } from '../../app/components';
import { Button } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { PasswordField } from '../../app/forms/fields';
import { useForm } from '../../app/forms/useForm';
import { PASSWORD_MIN } from '../../app/forms/checks';
import { setPasswordWithLink } from './auth.api';
import { useFragmentToken } from './fragmentToken';

export function ResetPasswordPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const navigate = useNavigate();
  const { token, forget } = useFragmentToken('lodestar.resetToken');
  const [done, setDone] = useState(false);
  const form = useForm({
    initial: { password: '' },
    validate: (v) => (v.password.length < PASSWORD_MIN ? [{ field: 'password', message: t('password.tooShort') }] : []),
    messages: { 'auth.token_invalid': t('reset.errors.tokenInvalid') },
    onSubmit: async (v) => {
      await setPasswordWithLink({ token: token ?? '', password: v.password });
      forget();
      if (me) {
        // Someone else is signed in on this device: do not sign them out, just confirm.
        setDone(true);
        return;
      }
      const state: SignInState = { notice: 'passwordSet' };
      void navigate('/sign-in', { replace: true, state });
    },
  });

  const title = t('reset.title');
  if (done) {
    return (
      <Page title={t('reset.doneTitle')}>
        <Banner kind="success">
          <p>{t('reset.doneText')}</p>
        </Banner>
      </Page>
    );
  }
  if (!token) {
    return (
      <Page title={title}>
        <Banner kind="warning" title={t('reset.noTokenTitle')}>
          <p>{t('reset.noTokenText')}</p>
        </Banner>
        <p>
          <Link to="/sign-in">{t('reset.goToSignIn')}</Link>
        </p>
      </Page>
    );
  }
  return (
    <Page title={title} hasErrors={form.errors.length > 0}>
      <p>{t('reset.intro')}</p>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form className="form narrow" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <PasswordField
          name="password"
          label={t('reset.password')}
          hint={t('password.hint')}
          autoComplete="new-password"
          value={form.values.password}
          error={form.errorFor('password')}
          onChange={(v) => form.set('password', v)}
        />
        <Button type="submit" busy={form.busy}>
          {t('reset.submit')}
        </Button>
      </form>
    </Page>
  );
}

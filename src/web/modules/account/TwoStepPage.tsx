/**
 * Two-step verification on your account: set it up, or turn it off (password and a code).
 * `MfaEnrolPage` is the same set-up for someone whose organization requires it before anything else.
 */
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { ME_KEY, useAuth, useMe } from '../../app/auth';
import { Banner, Page } from '../../app/components';
import { Button, ButtonGroup } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { PasswordField, TextField } from '../../app/forms/fields';
import { useForm, type FormError } from '../../app/forms/useForm';
import { cleanCode, isSixDigits } from '../../app/forms/checks';
import { disableMfa } from './account.api';
import { MfaSetup } from './MfaSetup';
import type { AccountState } from './notices';

export function TwoStepPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { setMe } = useAuth();
  const navigate = useNavigate();
  const back = { to: '/account', label: t('common.back') };
  if (!me.user.mfaEnabled) {
    return (
      <Page title={t('mfa.setupTitle')} back={back}>
        <MfaSetup
          onDone={(next) => {
            setMe(next);
            const state: AccountState = { notice: 'mfaOn' };
            void navigate('/account', { state });
          }}
        />
      </Page>
    );
  }
  return <TurnOff />;
}

function TurnOff() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const form = useForm({
    initial: { password: '', code: '' },
    validate: (v) => {
      const e: FormError[] = [];
      if (!v.password) e.push({ field: 'password', message: t('passwordPage.errors.currentMissing') });
      if (!isSixDigits(v.code)) e.push({ field: 'code', message: t('code.errors.format') });
      return e;
    },
    attach: { 'auth.invalid_credentials': 'password', 'auth.mfa_invalid': 'code' },
    onSubmit: async (v) => {
      await disableMfa({ password: v.password, code: cleanCode(v.code) });
      await queryClient.invalidateQueries({ queryKey: ME_KEY });
      const state: AccountState = { notice: 'mfaOff' };
      void navigate('/account', { state });
    },
  });
  const title = t('mfa.manageTitle');
  const back = { to: '/account', label: t('common.back') };
  if (me.organization?.requireMfa) {
    return (
      <Page title={title} back={back}>
        <Banner kind="success">
          <p>{t('mfa.isOn')}</p>
        </Banner>
        <p>{t('mfa.requiredByOrganization')}</p>
      </Page>
    );
  }
  return (
    <Page title={title} hasErrors={form.errors.length > 0} back={back}>
      <Banner kind="success">
        <p>{t('mfa.isOn')}</p>
      </Banner>
      <h2 className="heading-m">{t('mfa.turnOffHeading')}</h2>
      <p>{t('mfa.turnOffIntro')}</p>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form className="form narrow" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <PasswordField
          name="password"
          label={t('passwordPage.current')}
          autoComplete="current-password"
          value={form.values.password}
          error={form.errorFor('password')}
          onChange={(v) => form.set('password', v)}
        />
        <TextField
          name="code"
          label={t('code.label')}
          hint={t('code.hint')}
          inputMode="numeric"
          autoComplete="one-time-code"
          width="code"
          maxLength={7}
          value={form.values.code}
          error={form.errorFor('code')}
          onChange={(v) => form.set('code', v)}
        />
        <ButtonGroup>
          <Button type="submit" variant="warning" busy={form.busy}>
            {t('mfa.turnOff')}
          </Button>
          <Link to="/account">{t('common.cancel')}</Link>
        </ButtonGroup>
      </form>
    </Page>
  );
}

export function MfaEnrolPage() {
  const { t } = useTranslation();
  const { setMe, signOut } = useAuth();
  return (
    <Page title={t('mfa.enrolTitle')}>
      <p className="lead">{t('mfa.enrolIntro')}</p>
      <MfaSetup onDone={setMe} />
      <p>
        <button type="button" className="link-button" onClick={() => void signOut('signedOut')}>
          {t('mfa.enrolLater')}
        </button>
      </p>
    </Page>
  );
}

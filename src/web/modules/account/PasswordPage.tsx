/** Change your password. Your other sessions end; this one continues. */
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { Page } from '../../app/components';
import { Button, ButtonGroup } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { PasswordField } from '../../app/forms/fields';
import { useForm, type FormError } from '../../app/forms/useForm';
import { PASSWORD_MIN } from '../../app/forms/checks';
import { Link } from 'react-router';
import { changePassword } from './account.api';
import type { AccountState } from './notices';

export function PasswordPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const form = useForm({
    initial: { currentPassword: '', newPassword: '' },
    validate: (v) => {
      const e: FormError[] = [];
      if (!v.currentPassword) e.push({ field: 'currentPassword', message: t('passwordPage.errors.currentMissing') });
      if (v.newPassword.length < PASSWORD_MIN) e.push({ field: 'newPassword', message: t('password.tooShort') });
      return e;
    },
    attach: { 'auth.invalid_credentials': 'currentPassword' },
    onSubmit: async (v) => {
      await changePassword(v);
      const state: AccountState = { notice: 'passwordChanged' };
      void navigate('/account', { state });
    },
  });
  return (
    <Page title={t('passwordPage.title')} hasErrors={form.errors.length > 0} back={{ to: '/account', label: t('common.back') }}>
      <p>{t('passwordPage.intro')}</p>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form className="form narrow" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <PasswordField
          name="currentPassword"
          label={t('passwordPage.current')}
          autoComplete="current-password"
          value={form.values.currentPassword}
          error={form.errorFor('currentPassword')}
          onChange={(v) => form.set('currentPassword', v)}
        />
        <PasswordField
          name="newPassword"
          label={t('passwordPage.new')}
          hint={t('password.hint')}
          autoComplete="new-password"
          value={form.values.newPassword}
          error={form.errorFor('newPassword')}
          onChange={(v) => form.set('newPassword', v)}
        />
        <ButtonGroup>
          <Button type="submit" busy={form.busy}>
            {t('passwordPage.submit')}
          </Button>
          <Link to="/account">{t('common.cancel')}</Link>
        </ButtonGroup>
      </form>
    </Page>
  );
}

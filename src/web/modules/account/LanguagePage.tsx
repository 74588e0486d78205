/** The language Lodestar speaks to you, saved with your account. */
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useMe } from '../../app/auth';
import { Page } from '../../app/components';
import { Button } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { RadioGroup } from '../../app/forms/fields';
import { useForm } from '../../app/forms/useForm';
import { isLocale, LOCALES, type Locale } from '../../app/i18n';
import { LOCALE_NAMES, useChangeLocale } from '../../app/shell/LanguageSwitch';
import type { AccountState } from './notices';

export function LanguagePage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const change = useChangeLocale();
  const form = useForm({
    initial: { locale: isLocale(me.user.locale) ? me.user.locale : 'en' },
    onSubmit: async (v) => {
      await change(v.locale);
      const state: AccountState = { notice: 'languageSaved' };
      void navigate('/account', { state });
    },
  });
  return (
    <Page title={t('languagePage.title')} hasErrors={form.errors.length > 0} back={{ to: '/account', label: t('common.back') }}>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <RadioGroup
          name="locale"
          legend={t('languagePage.legend')}
          options={LOCALES.map((l) => ({ value: l, label: <span lang={l}>{LOCALE_NAMES[l]}</span> }))}
          value={form.values.locale}
          onChange={(v) => form.set('locale', v as Locale)}
        />
        <Button type="submit" busy={form.busy}>
          {t('languagePage.submit')}
        </Button>
      </form>
    </Page>
  );
}

/** Work in another of your organizations. Everything cached for the last one is dropped. */
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { ME_KEY, useAuth, useMe } from '../../app/auth';
import { Page } from '../../app/components';
import { Button } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { RadioGroup } from '../../app/forms/fields';
import { useForm } from '../../app/forms/useForm';
import { switchOrganization } from './account.api';
import type { AccountState } from './notices';

export function OrganizationSwitchPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { setMe } = useAuth();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const form = useForm({
    initial: { organizationId: me.organization?.id ?? '' },
    validate: (v) => (v.organizationId ? [] : [{ field: 'organizationId', message: t('organizationSwitch.errors.missing') }]),
    onSubmit: async (v) => {
      if (v.organizationId === me.organization?.id) {
        void navigate('/account');
        return;
      }
      const next = await switchOrganization(v.organizationId);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
      setMe(next);
      const state: AccountState = { notice: 'organizationSwitched' };
      void navigate('/account', { state });
    },
  });
  return (
    <Page title={t('organizationSwitch.title')} hasErrors={form.errors.length > 0} back={{ to: '/account', label: t('common.back') }}>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <RadioGroup
          name="organizationId"
          legend={t('organizationSwitch.legend')}
          hint={t('organizationSwitch.hint')}
          options={me.organizations.map((o) => ({ value: o.id, label: o.name }))}
          value={form.values.organizationId}
          error={form.errorFor('organizationId')}
          onChange={(v) => form.set('organizationId', v)}
        />
        <Button type="submit" busy={form.busy}>
          {t('organizationSwitch.submit')}
        </Button>
      </form>
    </Page>
  );
}

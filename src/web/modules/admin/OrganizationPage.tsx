/** Organization settings: its name, the time zone its days are counted in, and whether two-step verification is required. */
import { useTranslation } from 'react-i18next';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ME_KEY } from '../../app/auth';
import { Banner, LoadFailed, Loading, Page } from '../../app/components';
import { Button } from '../../app/forms/Button';
import { ConflictNotice } from '../../app/forms/ConflictNotice';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { SingleCheckbox, TextField } from '../../app/forms/fields';
import { TimeZoneField, isValidTimeZone } from '../../app/forms/TimeZoneField';
import { useConflict } from '../../app/forms/useConflict';
import { useForm, type FormError } from '../../app/forms/useForm';
import { useState } from 'react';
import { getOrganization, keys, updateOrganization, type OrganizationT } from './admin.api';
import { ReferralSettingsSection } from '../referrals/ReferralSettingsSection';

export function OrganizationPage() {
  const { t } = useTranslation();
  const org = useQuery({ queryKey: keys.organization, queryFn: getOrganization });
  const title = t('admin.organization.title');
  if (org.isPending) return <Page title={title} caption={t('admin.title')}><Loading /></Page>;
  if (org.isError) return <Page title={title} caption={t('admin.title')}><LoadFailed error={org.error} retry={() => void org.refetch()} /></Page>;
  return <OrganizationForm key={org.data.id} org={org.data} />;
}

type Values = { name: string; timeZone: string; requireMfa: boolean };
// `current` in a 409 is untyped JSON: take only what has the expected type.
const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const valuesOf = (o: Record<string, unknown>): Values => ({ name: text(o.name), timeZone: text(o.timeZone), requireMfa: o.requireMfa === true });

function OrganizationForm({ org }: { org: OrganizationT }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(false);
  const versioned = useConflict<Values>(org.version, valuesOf);
  const form = useForm({
    initial: valuesOf(org),
    validate: (v) => {
      const e: FormError[] = [];
      if (!v.name.trim()) e.push({ field: 'name', message: t('admin.organization.errors.name') });
      if (!isValidTimeZone(v.timeZone.trim())) e.push({ field: 'timeZone', message: t('setup.errors.timeZone') });
      return e;
    },
    onConflict: versioned.onConflict,
    onSubmit: async (v) => {
      setSaved(false);
      const next = await updateOrganization({ version: versioned.version.current, name: v.name.trim(), timeZone: v.timeZone.trim(), requireMfa: v.requireMfa });
      versioned.version.current = next.version;
      queryClient.setQueryData(keys.organization, next);
      // The header shows the organization's name; the session knows its time zone.
      await queryClient.invalidateQueries({ queryKey: ME_KEY });
      setSaved(true);
    },
  });
  const yesNo = (b: boolean) => (b ? t('common.yes') : t('common.no'));
  const c = versioned.conflict;
  return (
    <Page title={t('admin.organization.title')} caption={t('admin.title')} hasErrors={form.errors.length > 0}>
      {saved ? (
        <Banner kind="success">
          <p>{t('admin.organization.saved')}</p>
        </Banner>
      ) : null}
      {c ? (
        <ConflictNotice
          busy={form.busy}
          rows={[
            { label: t('admin.organization.name'), current: c.current.name, mine: form.values.name },
            { label: t('admin.organization.timeZone'), current: c.current.timeZone, mine: form.values.timeZone },
            { label: t('admin.organization.requireMfaShort'), current: yesNo(c.current.requireMfa), mine: yesNo(form.values.requireMfa) },
          ]}
          onReapply={() => versioned.reapply(form)}
          onDiscard={() => versioned.discard(form)}
        />
      ) : null}
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <TextField name="name" label={t('admin.organization.name')} value={form.values.name} error={form.errorFor('name')} onChange={(v) => form.set('name', v)} />
        <TimeZoneField
          name="timeZone"
          label={t('admin.organization.timeZone')}
          hint={t('admin.organization.timeZoneHint')}
          value={form.values.timeZone}
          error={form.errorFor('timeZone')}
          onChange={(v) => form.set('timeZone', v)}
        />
        <SingleCheckbox
          name="requireMfa"
          label={t('admin.organization.requireMfa')}
          hint={t('admin.organization.requireMfaHint')}
          value={form.values.requireMfa}
          error={form.errorFor('requireMfa')}
          onChange={(v) => form.set('requireMfa', v)}
        />
        <Button type="submit" busy={form.busy}>
          {t('common.saveChanges')}
        </Button>
      </form>
      <ReferralSettingsSection />
    </Page>
  );
}

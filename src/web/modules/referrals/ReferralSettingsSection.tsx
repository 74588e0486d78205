/**
 * The organization's referral setting: after how many days without an outcome a referral
 * becomes a follow-up to-do for the coach. Shown to people whose role may change it.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useAuth } from '../../app/auth';
import { Banner, LoadFailed, Loading } from '../../app/components';
import { Button } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { TextField } from '../../app/forms/fields';
import { useForm } from '../../app/forms/useForm';
import { getSettings, PERMISSIONS, referralKeys, updateSettings, type ReferralSettingsT } from './referrals.api';

export function ReferralSettingsSection() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const allowed = can(PERMISSIONS.settings);
  const settings = useQuery({ queryKey: referralKeys.settings, queryFn: getSettings, enabled: allowed });
  if (!allowed) return null;
  return (
    <section aria-labelledby="referral-settings-heading" className="section">
      <h2 className="heading-m" id="referral-settings-heading">
        {t('referrals.settings.heading')}
      </h2>
      {settings.isPending ? <Loading /> : null}
      {settings.isError ? <LoadFailed error={settings.error} retry={() => void settings.refetch()} /> : null}
      {settings.data ? <SettingsForm settings={settings.data} /> : null}
    </section>
  );
}

function SettingsForm({ settings }: { settings: ReferralSettingsT }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [version, setVersion] = useState(settings.version);
  const [notice, setNotice] = useState<{ kind: 'success' | 'warning'; text: string } | null>(null);
  const form = useForm({
    initial: { followUpDays: String(settings.followUpDays) },
    validate: (v) => {
      const n = Number(v.followUpDays.trim());
      return v.followUpDays.trim() !== '' && Number.isInteger(n) && n >= 1 && n <= 90 ? [] : [{ field: 'followUpDays', message: t('referrals.settings.errors.followUpDays') }];
    },
    onConflict: ({ current, version: now }) => {
      const days = (current as { followUpDays?: unknown }).followUpDays;
      form.setValues({ followUpDays: typeof days === 'number' ? String(days) : form.values.followUpDays });
      setVersion(now);
      setNotice({ kind: 'warning', text: t('referrals.settings.conflict') });
    },
    onSubmit: async (v) => {
      setNotice(null);
      const next = await updateSettings({ followUpDays: Number(v.followUpDays.trim()), version });
      setVersion(next.version);
      client.setQueryData(referralKeys.settings, next);
      setNotice({ kind: 'success', text: t('referrals.settings.saved') });
    },
  });
  return (
    <>
      {notice ? (
        <Banner key={notice.text} kind={notice.kind} focus={notice.kind === 'warning'}>
          <p>{notice.text}</p>
        </Banner>
      ) : null}
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)} aria-labelledby="referral-settings-heading">
        <TextField
          name="followUpDays"
          label={t('referrals.settings.followUpDays')}
          hint={t('referrals.settings.followUpDaysHint')}
          inputMode="numeric"
          width="short"
          value={form.values.followUpDays}
          onChange={(x) => form.set('followUpDays', x)}
          error={form.errorFor('followUpDays')}
        />
        <Button type="submit" busy={form.busy}>
          {t('referrals.settings.save')}
        </Button>
      </form>
    </>
  );
}

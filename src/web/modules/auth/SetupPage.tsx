/**
 * First run: the server prints a one-time link (`/setup#token=…`). This page creates the first
 * organization and its administrator, who is then signed in.
 */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { newIdempotencyKey } from '../../app/api';
import { useAuth } from '../../app/auth';
import { Banner, LoadFailed, Loading, Page } from '../../app/components';
import { Button } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { PasswordField, TextField } from '../../app/forms/fields';
import { TimeZoneField, browserTimeZone, isValidTimeZone } from '../../app/forms/TimeZoneField';
import { useForm, type FormError } from '../../app/forms/useForm';
import { isEmail, PASSWORD_MIN } from '../../app/forms/checks';
import { completeSetup, setupStatus } from './auth.api';
import { useFragmentToken } from './fragmentToken';

const FIELD_FOR: Record<string, string> = {
  'organization.name': 'organizationName',
  'organization.timeZone': 'timeZone',
  'admin.displayName': 'displayName',
  'admin.email': 'email',
  'admin.password': 'password',
};

export function SetupPage() {
  const { t } = useTranslation();
  const { me, setMe } = useAuth();
  const { token, forget } = useFragmentToken('lodestar.setupToken');
  const status = useQuery({ queryKey: ['setup-status'], queryFn: setupStatus, staleTime: 0 });
  // The same key for every retry of this one setup, so a lost answer cannot set up twice.
  const idempotencyKey = useRef(newIdempotencyKey());
  const [completed, setCompleted] = useState(false);

  const form = useForm({
    initial: { organizationName: '', timeZone: browserTimeZone(), displayName: '', email: '', password: '' },
    validate: (v) => {
      const e: FormError[] = [];
      if (!v.organizationName.trim()) e.push({ field: 'organizationName', message: t('setup.errors.organizationName') });
      if (!isValidTimeZone(v.timeZone.trim())) e.push({ field: 'timeZone', message: t('setup.errors.timeZone') });
      if (!v.displayName.trim()) e.push({ field: 'displayName', message: t('setup.errors.displayName') });
      if (!v.email.trim()) e.push({ field: 'email', message: t('setup.errors.emailMissing') });
      else if (!isEmail(v.email)) e.push({ field: 'email', message: t('setup.errors.emailFormat') });
      if (v.password.length < PASSWORD_MIN) e.push({ field: 'password', message: t('password.tooShort') });
      return e;
    },
    fieldFor: (path) => FIELD_FOR[path],
    messages: { 'auth.token_invalid': t('setup.errors.tokenInvalid'), 'setup.already_done': t('setup.errors.alreadyDone') },
    onSubmit: async (v) => {
      const result = await completeSetup(
        {
          token: token ?? '',
          organization: { name: v.organizationName.trim(), timeZone: v.timeZone.trim() },
          admin: { displayName: v.displayName.trim(), email: v.email.trim(), password: v.password },
        },
        idempotencyKey.current,
      );
      forget();
      setCompleted(true);
      setMe(result);
    },
  });

  const title = t('setup.title');
  const signedIn = me?.session.mfaState === 'verified';
  if (signedIn && (completed || status.data?.needsSetup === false)) return <Navigate to="/" replace />;
  if (completed) return <Page title={title}><Loading /></Page>;
  if (status.isPending) return <Page title={title}><Loading /></Page>;
  if (status.isError) return <Page title={title}><LoadFailed error={status.error} retry={() => void status.refetch()} /></Page>;
  if (!status.data.needsSetup) {
    return (
      <Page title={t('setup.doneTitle')}>
        <p>{t('setup.doneText')}</p>
        <p>
          <Link to="/sign-in" className="button">
            {t('setup.goToSignIn')}
          </Link>
        </p>
      </Page>
    );
  }
  if (!token) {
    return (
      <Page title={title}>
        <Banner kind="warning" title={t('setup.noTokenTitle')}>
          <p>{t('setup.noTokenText')}</p>
        </Banner>
      </Page>
    );
  }

  return (
    <Page title={title} hasErrors={form.errors.length > 0}>
      <p className="lead">{t('setup.intro')}</p>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <h2 className="heading-m">{t('setup.organizationHeading')}</h2>
        <TextField
          name="organizationName"
          label={t('setup.organizationName')}
          hint={t('setup.organizationNameHint')}
          autoComplete="organization"
          value={form.values.organizationName}
          error={form.errorFor('organizationName')}
          onChange={(v) => form.set('organizationName', v)}
        />
        <TimeZoneField
          name="timeZone"
          label={t('setup.timeZone')}
          hint={t('setup.timeZoneHint')}
          value={form.values.timeZone}
          error={form.errorFor('timeZone')}
          onChange={(v) => form.set('timeZone', v)}
        />
        <h2 className="heading-m">{t('setup.adminHeading')}</h2>
        <p>{t('setup.adminIntro')}</p>
        <TextField
          name="displayName"
          label={t('setup.displayName')}
          autoComplete="name"
          spellCheck={false}
          value={form.values.displayName}
          error={form.errorFor('displayName')}
          onChange={(v) => form.set('displayName', v)}
        />
        <TextField
          name="email"
          label={t('setup.email')}
          hint={t('setup.emailHint')}
          type="email"
          autoComplete="email"
          spellCheck={false}
          autoCapitalize="none"
          value={form.values.email}
          error={form.errorFor('email')}
          onChange={(v) => form.set('email', v)}
        />
        <PasswordField
          name="password"
          label={t('setup.password')}
          hint={t('password.hint')}
          autoComplete="new-password"
          value={form.values.password}
          error={form.errorFor('password')}
          onChange={(v) => form.set('password', v)}
        />
        <Button type="submit" busy={form.busy} busyLabel={t('setup.busy')}>
          {t('setup.submit')}
        </Button>
      </form>
    </Page>
  );
}

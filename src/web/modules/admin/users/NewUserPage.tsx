/**
 * Add a person. They get no password from the admin: the page shows a one-time link, once, for
 * the admin to pass on.
 */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { newIdempotencyKey } from '../../../app/api';
import { Banner, CopyBox, Page, useFormatDateTime } from '../../../app/components';
import { Button, ButtonGroup } from '../../../app/forms/Button';
import { ErrorSummary } from '../../../app/forms/ErrorSummary';
import { TextField } from '../../../app/forms/fields';
import { useForm, type FormError } from '../../../app/forms/useForm';
import { isEmail } from '../../../app/forms/checks';
import type { Role } from '../../../app/roles';
import { createUser, keys, type OneTimeLinkT, type UserT } from '../admin.api';
import { RoleCheckboxes } from './RoleCheckboxes';

export function NewUserPage() {
  const [created, setCreated] = useState<Result | null>(null);
  const [round, setRound] = useState(0);
  if (created) return <Created {...created} onAnother={() => { setCreated(null); setRound(round + 1); }} />;
  return <NewUserForm key={round} onCreated={setCreated} />;
}

type Result = { user: UserT; link: OneTimeLinkT | null; withheld: 'existing_account' | 'already_shown' | null };

function NewUserForm({ onCreated }: { onCreated: (result: Result) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const idempotencyKey = useRef(newIdempotencyKey());
  const form = useForm({
    initial: { displayName: '', email: '', roles: [] as Role[] },
    validate: (v) => {
      const e: FormError[] = [];
      if (!v.displayName.trim()) e.push({ field: 'displayName', message: t('admin.users.errors.nameMissing') });
      if (!v.email.trim()) e.push({ field: 'email', message: t('admin.users.errors.emailMissing') });
      else if (!isEmail(v.email)) e.push({ field: 'email', message: t('admin.users.errors.emailFormat') });
      if (!v.roles.length) e.push({ field: 'roles', message: t('admin.users.errors.rolesMissing') });
      return e;
    },
    onSubmit: async (v) => {
      const res = await createUser({ displayName: v.displayName.trim(), email: v.email.trim(), roles: v.roles }, idempotencyKey.current);
      await queryClient.invalidateQueries({ queryKey: keys.users });
      onCreated({ user: res.user, link: res.setPasswordLink, withheld: res.linkWithheld });
    },
  });
  return (
    <Page title={t('admin.users.addTitle')} caption={t('admin.title')} hasErrors={form.errors.length > 0} back={{ to: '/admin/users', label: t('admin.users.back') }}>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <TextField
          name="displayName"
          label={t('admin.users.name')}
          hint={t('admin.users.nameHint')}
          autoComplete="off"
          spellCheck={false}
          value={form.values.displayName}
          error={form.errorFor('displayName')}
          onChange={(v) => form.set('displayName', v)}
        />
        <TextField
          name="email"
          label={t('admin.users.email')}
          hint={t('admin.users.emailHint')}
          type="email"
          autoComplete="off"
          spellCheck={false}
          autoCapitalize="none"
          value={form.values.email}
          error={form.errorFor('email')}
          onChange={(v) => form.set('email', v)}
        />
        <RoleCheckboxes value={form.values.roles} error={form.errorFor('roles')} onChange={(v) => form.set('roles', v)} />
        <ButtonGroup>
          <Button type="submit" busy={form.busy}>
            {t('admin.users.addSubmit')}
          </Button>
          <Link to="/admin/users">{t('common.cancel')}</Link>
        </ButtonGroup>
      </form>
    </Page>
  );
}

function Created({ user, link, withheld, onAnother }: Result & { onAnother: () => void }) {
  const { t } = useTranslation();
  const format = useFormatDateTime();
  return (
    <Page title={t('admin.users.addedTitle')} caption={t('admin.title')}>
      <Banner kind="success">
        <p>{t('admin.users.added', { name: user.displayName })}</p>
      </Banner>
      {link ? (
        <>
          <p className="lead">{t('admin.users.linkGiveOnce')}</p>
          <CopyBox label={t('admin.users.linkLabel')} value={link.url} />
          <p className="hint">{t('admin.users.linkExpires', { when: format(link.expiresAt) })}</p>
          <p>{t('admin.users.linkWarning')}</p>
        </>
      ) : (
        <>
          <p>{t(withheld === 'existing_account' ? 'admin.users.noLinkExistingAccount' : 'admin.users.noLinkAlreadyShown', { name: user.displayName })}</p>
          <p>
            <Link to={`/admin/users/${user.id}`}>{t('admin.users.openPerson', { name: user.displayName })}</Link>
          </p>
        </>
      )}
      <ButtonGroup>
        <Button variant="secondary" onClick={onAnother}>
          {t('admin.users.addAnother')}
        </Button>
        <Link to="/admin/users">{t('admin.users.back')}</Link>
      </ButtonGroup>
    </Page>
  );
}

/**
 * One person: change their name, roles or status (with a check that nobody else changed them
 * meanwhile), and the account actions: a new set-password link, unlock, sign out everywhere.
 */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { isApiError, newIdempotencyKey } from '../../../app/api';
import { useMe } from '../../../app/auth';
import { CopyBox, LoadFailed, Loading, Page, useFormatDateTime } from '../../../app/components';
import { Button, ButtonGroup } from '../../../app/forms/Button';
import { ConflictNotice } from '../../../app/forms/ConflictNotice';
import { useConflict } from '../../../app/forms/useConflict';
import { ErrorSummary } from '../../../app/forms/ErrorSummary';
import { RadioGroup, TextField } from '../../../app/forms/fields';
import { useForm, type FormError } from '../../../app/forms/useForm';
import { describeError } from '../../../app/forms/errors';
import { ROLE_LABEL, type Role } from '../../../app/roles';
import { getUser, keys, passwordResetLink, removeUser, signOutUserEverywhere, unlockUser, updateUser, type OneTimeLinkT, type UserT } from '../admin.api';
import type { NoticeState } from '../Notice';
import { RoleCheckboxes } from './RoleCheckboxes';
import { isLocked, UserStatusTag } from './UserStatusTag';

export function EditUserPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const user = useQuery({ queryKey: keys.user(id), queryFn: () => getUser(id) });
  const title = t('admin.users.editTitle');
  const back = { to: '/admin/users', label: t('admin.users.back') };
  if (user.isPending) return <Page title={title} back={back}><Loading /></Page>;
  if (user.isError) return <Page title={title} back={back}><LoadFailed error={user.error} /></Page>;
  return <EditUser key={user.data.id} user={user.data} />;
}

type Values = { displayName: string; roles: Role[]; status: 'active' | 'disabled' };
const valuesOf = (u: Pick<UserT, 'displayName' | 'roles' | 'status'>): Values => ({ displayName: u.displayName, roles: [...u.roles], status: u.status });

function EditUser({ user }: { user: UserT }) {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const versioned = useConflict<Values>(user.version, (cur) =>
    // Only the fields this form edits are read from the current record.
    valuesOf({ displayName: typeof cur.displayName === 'string' ? cur.displayName : '', roles: (cur.roles as Role[] | undefined) ?? [], status: cur.status === 'disabled' ? 'disabled' : 'active' }),
  );
  const conflict = versioned.conflict;
  const roleNames = (roles: Role[]) => roles.map((r) => t(ROLE_LABEL[r])).join(', ');
  const statusName = (s: Values['status']) => (s === 'active' ? t('admin.users.statusActive') : t('admin.users.statusDisabled'));

  const form = useForm({
    initial: valuesOf(user),
    validate: (v) => {
      const e: FormError[] = [];
      if (!v.displayName.trim()) e.push({ field: 'displayName', message: t('admin.users.errors.nameMissing') });
      if (!v.roles.length) e.push({ field: 'roles', message: t('admin.users.errors.rolesMissing') });
      return e;
    },
    onConflict: versioned.onConflict,
    onSubmit: async (v) => {
      const saved = await updateUser(user.id, { version: versioned.version.current, displayName: v.displayName.trim(), roles: v.roles, status: v.status });
      queryClient.setQueryData(keys.user(user.id), saved);
      await queryClient.invalidateQueries({ queryKey: keys.users });
      const state: NoticeState = { notice: t('admin.users.saved', { name: saved.displayName }) };
      void navigate('/admin/users', { state });
    },
  });

  const self = user.id === me.user.id;
  return (
    <Page title={t('admin.users.editTitle')} heading={user.displayName} caption={t('admin.users.editCaption')} hasErrors={form.errors.length > 0} back={{ to: '/admin/users', label: t('admin.users.back') }}>
      <p>
        {user.email} <UserStatusTag user={user} />
      </p>
      {conflict ? (
        <ConflictNotice
          busy={form.busy}
          rows={[
            { label: t('admin.users.name'), current: conflict.current.displayName, mine: form.values.displayName },
            { label: t('admin.users.roles'), current: roleNames(conflict.current.roles), mine: roleNames(form.values.roles) },
            { label: t('admin.users.status'), current: statusName(conflict.current.status), mine: statusName(form.values.status) },
          ]}
          onReapply={() => versioned.reapply(form)}
          onDiscard={() => versioned.discard(form)}
        />
      ) : null}
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <TextField
          name="displayName"
          label={t('admin.users.name')}
          autoComplete="off"
          spellCheck={false}
          value={form.values.displayName}
          error={form.errorFor('displayName')}
          onChange={(v) => form.set('displayName', v)}
        />
        <RoleCheckboxes value={form.values.roles} error={form.errorFor('roles')} onChange={(v) => form.set('roles', v)} />
        <RadioGroup
          name="status"
          legend={t('admin.users.status')}
          hint={self ? t('admin.users.statusSelfHint') : undefined}
          options={[
            { value: 'active', label: t('admin.users.statusActive'), hint: t('admin.users.statusActiveHint') },
            { value: 'disabled', label: t('admin.users.statusDisabled'), hint: t('admin.users.statusDisabledHint') },
          ]}
          value={form.values.status}
          error={form.errorFor('status')}
          onChange={(v) => form.set('status', v as Values['status'])}
        />
        <ButtonGroup>
          <Button type="submit" busy={form.busy}>
            {t('common.saveChanges')}
          </Button>
          <Link to="/admin/users">{t('common.cancel')}</Link>
        </ButtonGroup>
      </form>
      <AccountActions user={user} />
      {self ? null : <RemoveFromOrganization user={user} />}
    </Page>
  );
}

function AccountActions({ user }: { user: UserT }) {
  const { t } = useTranslation();
  const format = useFormatDateTime();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: 'success' | 'warning'; text: string } | null>(null);
  const [link, setLink] = useState<OneTimeLinkT | null>(null);
  const resetKey = useRef(newIdempotencyKey());

  const run = async (name: string, fn: () => Promise<string>) => {
    if (busy) return;
    setBusy(name);
    setMessage(null);
    try {
      setMessage({ kind: 'success', text: await fn() });
    } catch (err) {
      setMessage({ kind: 'warning', text: err instanceof Error && !isApiError(err) ? err.message : describeError(t, err) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="section" aria-labelledby="account-actions">
      <h2 className="heading-m" id="account-actions">
        {t('admin.users.actionsHeading')}
      </h2>
      {message ? (
        <div className={`banner banner--${message.kind}`} role={message.kind === 'success' ? 'status' : 'alert'}>
          <p>{message.text}</p>
        </div>
      ) : null}
      {link ? (
        <>
          <p>{t('admin.users.linkGiveOnce')}</p>
          <CopyBox label={t('admin.users.resetLinkLabel')} value={link.url} />
          <p className="hint">{t('admin.users.linkExpires', { when: format(link.expiresAt) })}</p>
        </>
      ) : null}
      <h3 className="heading-s">{t('admin.users.resetHeading')}</h3>
      <p>{t('admin.users.resetText')}</p>
      <Button
        variant="secondary"
        busy={busy === 'reset'}
        busyLabel={t('common.working')}
        onClick={() =>
          void run('reset', async () => {
            const l = await passwordResetLink(user.id, resetKey.current);
            resetKey.current = newIdempotencyKey();
            // A replayed answer (the first one was lost on the way) never carries the link again.
            if (!l.url) throw new Error(t('admin.users.resetNotShown'));
            setLink(l);
            return t('admin.users.resetDone');
          })
        }
      >
        {t('admin.users.resetButton')}
      </Button>
      {isLocked(user) ? (
        <>
          <h3 className="heading-s">{t('admin.users.unlockHeading')}</h3>
          <p>{t('admin.users.unlockText', { when: format(user.lockedUntil) })}</p>
          <Button
            variant="secondary"
            busy={busy === 'unlock'}
            busyLabel={t('common.working')}
            onClick={() =>
              void run('unlock', async () => {
                const u = await unlockUser(user.id);
                queryClient.setQueryData(keys.user(user.id), u);
                await queryClient.invalidateQueries({ queryKey: keys.users });
                return t('admin.users.unlockDone');
              })
            }
          >
            {t('admin.users.unlockButton')}
          </Button>
        </>
      ) : null}
      <h3 className="heading-s">{t('admin.users.signOutHeading')}</h3>
      <p>{t('admin.users.signOutText')}</p>
      <Button
        variant="warning"
        busy={busy === 'signout'}
        busyLabel={t('common.working')}
        onClick={() =>
          void run('signout', async () => {
            const { revoked } = await signOutUserEverywhere(user.id);
            return t('admin.users.signOutDone', { count: revoked });
          })
        }
      >
        {t('admin.users.signOutButton')}
      </Button>
    </section>
  );
}

/** Take the person out of this organization (their account and other organizations stay). Asks once more first. */
function RemoveFromOrganization({ user }: { user: UserT }) {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const organization = me.organization?.name ?? '';
  const remove = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await removeUser(user.id);
      queryClient.removeQueries({ queryKey: keys.user(user.id) });
      await queryClient.invalidateQueries({ queryKey: keys.users });
      const state: NoticeState = { notice: t('admin.users.removed', { name: user.displayName, organization }) };
      void navigate('/admin/users', { state });
    } catch (err) {
      setError(describeError(t, err));
      setBusy(false);
    }
  };
  return (
    <section className="section" aria-labelledby="remove-person">
      <h2 className="heading-m" id="remove-person">
        {t('admin.users.removeHeading')}
      </h2>
      <p>{t('admin.users.removeText', { organization })}</p>
      {error ? (
        <div className="banner banner--warning" role="alert">
          <p>{error}</p>
        </div>
      ) : null}
      {confirming ? (
        <div className="banner banner--warning" role="group" aria-labelledby="remove-confirm">
          <p id="remove-confirm">
            <strong>{t('admin.users.removeConfirm', { name: user.displayName, organization })}</strong>
          </p>
          <ButtonGroup>
            <Button variant="warning" busy={busy} busyLabel={t('common.working')} onClick={() => void remove()}>
              {t('admin.users.removeYes')}
            </Button>
            <Button variant="secondary" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </Button>
          </ButtonGroup>
        </div>
      ) : (
        <Button variant="warning" onClick={() => setConfirming(true)}>
          {t('admin.users.removeButton')}
        </Button>
      )}
    </section>
  );
}

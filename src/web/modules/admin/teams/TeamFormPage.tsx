/** Add or change a team: its name, site, supervisor (someone with the supervisor role) and members. */
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { newIdempotencyKey } from '../../../app/api';
import { LoadFailed, Loading, Page } from '../../../app/components';
import { Button, ButtonGroup } from '../../../app/forms/Button';
import { ConflictNotice } from '../../../app/forms/ConflictNotice';
import { ErrorSummary } from '../../../app/forms/ErrorSummary';
import { CheckboxGroup, SelectField, TextField } from '../../../app/forms/fields';
import { useConflict } from '../../../app/forms/useConflict';
import { useForm, type FormError } from '../../../app/forms/useForm';
import { ROLE_LABEL } from '../../../app/roles';
import { createTeam, getTeam, keys, listSites, listUsers, updateTeam, type TeamT } from '../admin.api';
import type { NoticeState } from '../Notice';

type Values = { name: string; siteId: string; supervisorUserId: string; memberUserIds: string[] };
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const valuesOf = (x: Record<string, unknown>): Values => ({
  name: str(x.name),
  siteId: str(x.siteId),
  supervisorUserId: str(x.supervisorUserId),
  memberUserIds: Array.isArray(x.memberUserIds) ? x.memberUserIds.filter((m): m is string => typeof m === 'string') : [],
});

export function NewTeamPage() {
  return <TeamForm />;
}

export function EditTeamPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const team = useQuery({ queryKey: keys.team(id), queryFn: () => getTeam(id) });
  const back = { to: '/admin/teams', label: t('admin.teams.back') };
  if (team.isPending) return <Page title={t('admin.teams.editTitle')} back={back}><Loading /></Page>;
  if (team.isError) return <Page title={t('admin.teams.editTitle')} back={back}><LoadFailed error={team.error} /></Page>;
  return <TeamForm key={team.data.id} team={team.data} />;
}

function TeamForm({ team }: { team?: TeamT }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: keys.users, queryFn: listUsers });
  const sites = useQuery({ queryKey: keys.sites, queryFn: listSites });
  const idempotencyKey = useRef(newIdempotencyKey());
  const versioned = useConflict<Values>(team?.version ?? 1, valuesOf);
  const form = useForm<Values>({
    initial: team ? valuesOf(team) : { name: '', siteId: '', supervisorUserId: '', memberUserIds: [] },
    validate: (v) => (v.name.trim() ? [] : ([{ field: 'name', message: t('admin.teams.errors.name') }] as FormError[])),
    onConflict: versioned.onConflict,
    onSubmit: async (v) => {
      const body = { name: v.name.trim(), siteId: v.siteId || null, supervisorUserId: v.supervisorUserId || null, memberUserIds: v.memberUserIds };
      const saved = team ? await updateTeam(team.id, { version: versioned.version.current, ...body }) : await createTeam(body, idempotencyKey.current);
      await queryClient.invalidateQueries({ queryKey: keys.teams });
      const state: NoticeState = { notice: t(team ? 'admin.common.savedNamed' : 'admin.common.addedNamed', { name: saved.name }) };
      void navigate('/admin/teams', { state });
    },
  });

  const people = (users.data ?? []).filter((u) => u.status === 'active' || form.values.memberUserIds.includes(u.id));
  const supervisors = people.filter((u) => u.roles.includes('supervisor'));
  const siteOptions = [{ value: '', label: t('admin.teams.noSite') }, ...(sites.data ?? []).map((s) => ({ value: s.id, label: s.name }))];
  const supervisorOptions = [{ value: '', label: t('admin.teams.noSupervisor') }, ...supervisors.map((u) => ({ value: u.id, label: u.displayName }))];
  const name = (options: { value: string; label: string }[], id: string) => options.find((o) => o.value === id)?.label ?? '';
  const memberNames = (ids: string[]) => ids.map((id) => users.data?.find((u) => u.id === id)?.displayName ?? '').join(', ');
  const c = versioned.conflict;

  return (
    <Page title={team ? t('admin.teams.editTitle') : t('admin.teams.addTitle')} caption={t('admin.title')} hasErrors={form.errors.length > 0} back={{ to: '/admin/teams', label: t('admin.teams.back') }}>
      {c ? (
        <ConflictNotice
          busy={form.busy}
          rows={[
            { label: t('admin.teams.name'), current: c.current.name, mine: form.values.name },
            { label: t('admin.teams.site'), current: name(siteOptions, c.current.siteId), mine: name(siteOptions, form.values.siteId) },
            { label: t('admin.teams.supervisor'), current: name(supervisorOptions, c.current.supervisorUserId), mine: name(supervisorOptions, form.values.supervisorUserId) },
            { label: t('admin.teams.members'), current: memberNames(c.current.memberUserIds), mine: memberNames(form.values.memberUserIds) },
          ]}
          onReapply={() => versioned.reapply(form)}
          onDiscard={() => versioned.discard(form)}
        />
      ) : null}
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      {users.isError ? <LoadFailed error={users.error} retry={() => void users.refetch()} /> : null}
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <TextField name="name" label={t('admin.teams.name')} value={form.values.name} error={form.errorFor('name')} onChange={(v) => form.set('name', v)} />
        <SelectField name="siteId" label={t('admin.teams.site')} options={siteOptions} value={form.values.siteId} error={form.errorFor('siteId')} onChange={(v) => form.set('siteId', v)} />
        <SelectField
          name="supervisorUserId"
          label={t('admin.teams.supervisor')}
          hint={supervisors.length ? t('admin.teams.supervisorHint') : t('admin.teams.noSupervisors')}
          options={supervisorOptions}
          value={form.values.supervisorUserId}
          error={form.errorFor('supervisorUserId')}
          onChange={(v) => form.set('supervisorUserId', v)}
        />
        {users.isPending ? (
          <Loading />
        ) : (
          <CheckboxGroup
            name="memberUserIds"
            legend={t('admin.teams.members')}
            hint={t('admin.teams.membersHint')}
            options={people.map((u) => ({ value: u.id, label: u.displayName, hint: u.roles.map((r) => t(ROLE_LABEL[r])).join(', ') }))}
            value={form.values.memberUserIds}
            error={form.errorFor('memberUserIds')}
            onChange={(v) => form.set('memberUserIds', v)}
          />
        )}
        <ButtonGroup>
          <Button type="submit" busy={form.busy}>
            {team ? t('common.saveChanges') : t('admin.teams.addSubmit')}
          </Button>
          <Link to="/admin/teams">{t('common.cancel')}</Link>
        </ButtonGroup>
      </form>
    </Page>
  );
}

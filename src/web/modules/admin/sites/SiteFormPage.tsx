/** Add or change a site: its kind, program, address, and a time zone when it differs from the organization's. */
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { newIdempotencyKey } from '../../../app/api';
import { useMe } from '../../../app/auth';
import { LoadFailed, Loading, Page } from '../../../app/components';
import { Button, ButtonGroup } from '../../../app/forms/Button';
import { ConflictNotice } from '../../../app/forms/ConflictNotice';
import { ErrorSummary } from '../../../app/forms/ErrorSummary';
import { SelectField, SingleCheckbox, TextArea, TextField } from '../../../app/forms/fields';
import { TimeZoneField, isValidTimeZone } from '../../../app/forms/TimeZoneField';
import { useConflict } from '../../../app/forms/useConflict';
import { useForm, type FormError } from '../../../app/forms/useForm';
import { createSite, getSite, keys, listPrograms, updateSite, type SiteT } from '../admin.api';
import type { NoticeState } from '../Notice';
import { SITE_KINDS, SITE_KIND_LABEL, type SiteKindT } from './siteKinds';

type Values = { name: string; kind: SiteKindT | ''; programId: string; timeZone: string; address: string; active: boolean };
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const valuesOf = (s: Record<string, unknown>): Values => ({
  name: str(s.name),
  kind: (SITE_KINDS as readonly string[]).includes(str(s.kind)) ? (s.kind as SiteKindT) : '',
  programId: str(s.programId),
  timeZone: str(s.timeZone),
  address: str(s.address),
  active: s.active !== false,
});

export function NewSitePage() {
  return <SiteForm />;
}

export function EditSitePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const site = useQuery({ queryKey: keys.site(id), queryFn: () => getSite(id) });
  const back = { to: '/admin/sites', label: t('admin.sites.back') };
  if (site.isPending) return <Page title={t('admin.sites.editTitle')} back={back}><Loading /></Page>;
  if (site.isError) return <Page title={t('admin.sites.editTitle')} back={back}><LoadFailed error={site.error} /></Page>;
  return <SiteForm key={site.data.id} site={site.data} />;
}

function SiteForm({ site }: { site?: SiteT }) {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const programs = useQuery({ queryKey: keys.programs, queryFn: listPrograms });
  const idempotencyKey = useRef(newIdempotencyKey());
  const versioned = useConflict<Values>(site?.version ?? 1, valuesOf);
  const form = useForm<Values>({
    initial: site ? valuesOf(site) : { name: '', kind: '', programId: '', timeZone: '', address: '', active: true },
    validate: (v) => {
      const e: FormError[] = [];
      if (!v.name.trim()) e.push({ field: 'name', message: t('admin.sites.errors.name') });
      if (!v.kind) e.push({ field: 'kind', message: t('admin.sites.errors.kind') });
      if (v.timeZone.trim() && !isValidTimeZone(v.timeZone.trim())) e.push({ field: 'timeZone', message: t('setup.errors.timeZone') });
      return e;
    },
    onConflict: versioned.onConflict,
    onSubmit: async (v) => {
      const body = {
        name: v.name.trim(),
        kind: v.kind as SiteKindT,
        programId: v.programId || null,
        timeZone: v.timeZone.trim() || null,
        address: v.address.trim() || null,
      };
      const saved = site
        ? await updateSite(site.id, { version: versioned.version.current, ...body, active: v.active })
        : await createSite(body, idempotencyKey.current);
      await queryClient.invalidateQueries({ queryKey: keys.sites });
      const state: NoticeState = { notice: t(site ? 'admin.common.savedNamed' : 'admin.common.addedNamed', { name: saved.name }) };
      void navigate('/admin/sites', { state });
    },
  });
  const programOptions = [{ value: '', label: t('admin.sites.noProgram') }, ...(programs.data ?? []).map((p) => ({ value: p.id, label: p.name }))];
  const programName = (id: string) => programOptions.find((o) => o.value === id)?.label ?? '';
  const kindName = (k: SiteKindT | '') => (k ? t(SITE_KIND_LABEL[k]) : '');
  const zoneName = (z: string) => z || t('admin.sites.sameAsOrganization', { zone: me.organization?.timeZone ?? '' });
  const c = versioned.conflict;
  return (
    <Page title={site ? t('admin.sites.editTitle') : t('admin.sites.addTitle')} caption={t('admin.title')} hasErrors={form.errors.length > 0} back={{ to: '/admin/sites', label: t('admin.sites.back') }}>
      {c ? (
        <ConflictNotice
          busy={form.busy}
          rows={[
            { label: t('admin.sites.name'), current: c.current.name, mine: form.values.name },
            { label: t('admin.sites.kind'), current: kindName(c.current.kind), mine: kindName(form.values.kind) },
            { label: t('admin.sites.program'), current: programName(c.current.programId), mine: programName(form.values.programId) },
            { label: t('admin.sites.timeZone'), current: zoneName(c.current.timeZone), mine: zoneName(form.values.timeZone) },
            { label: t('admin.sites.address'), current: c.current.address, mine: form.values.address },
          ]}
          onReapply={() => versioned.reapply(form)}
          onDiscard={() => versioned.discard(form)}
        />
      ) : null}
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <TextField name="name" label={t('admin.sites.name')} hint={t('admin.sites.nameHint')} value={form.values.name} error={form.errorFor('name')} onChange={(v) => form.set('name', v)} />
        <SelectField
          name="kind"
          label={t('admin.sites.kind')}
          options={[{ value: '', label: t('admin.sites.chooseKind') }, ...SITE_KINDS.map((k) => ({ value: k, label: t(SITE_KIND_LABEL[k]) }))]}
          value={form.values.kind}
          error={form.errorFor('kind')}
          onChange={(v) => form.set('kind', v as SiteKindT | '')}
        />
        <SelectField
          name="programId"
          label={t('admin.sites.program')}
          hint={t('admin.sites.programHint')}
          options={programOptions}
          value={form.values.programId}
          error={form.errorFor('programId')}
          onChange={(v) => form.set('programId', v)}
        />
        <TimeZoneField
          name="timeZone"
          label={t('admin.sites.timeZone')}
          hint={t('admin.sites.timeZoneHint')}
          inheritLabel={zoneName('')}
          value={form.values.timeZone}
          error={form.errorFor('timeZone')}
          onChange={(v) => form.set('timeZone', v)}
        />
        <TextArea name="address" label={t('admin.sites.address')} optional rows={3} value={form.values.address} error={form.errorFor('address')} onChange={(v) => form.set('address', v)} />
        {site ? (
          <SingleCheckbox
            name="active"
            label={t('admin.sites.activeLabel')}
            hint={t('admin.sites.activeHint')}
            value={form.values.active}
            error={form.errorFor('active')}
            onChange={(v) => form.set('active', v)}
          />
        ) : null}
        <ButtonGroup>
          <Button type="submit" busy={form.busy}>
            {site ? t('common.saveChanges') : t('admin.sites.addSubmit')}
          </Button>
          <Link to="/admin/sites">{t('common.cancel')}</Link>
        </ButtonGroup>
      </form>
    </Page>
  );
}

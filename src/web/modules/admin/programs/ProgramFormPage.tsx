/** Add or change a program. */
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { newIdempotencyKey } from '../../../app/api';
import { LoadFailed, Loading, Page } from '../../../app/components';
import { Button, ButtonGroup } from '../../../app/forms/Button';
import { ConflictNotice } from '../../../app/forms/ConflictNotice';
import { ErrorSummary } from '../../../app/forms/ErrorSummary';
import { SingleCheckbox, TextArea, TextField } from '../../../app/forms/fields';
import { useConflict } from '../../../app/forms/useConflict';
import { useForm, type FormError } from '../../../app/forms/useForm';
import { createProgram, getProgram, keys, updateProgram, type ProgramT } from '../admin.api';
import type { NoticeState } from '../Notice';

type Values = { name: string; description: string; active: boolean };
const valuesOf = (p: Record<string, unknown>): Values => ({ name: typeof p.name === 'string' ? p.name : '', description: typeof p.description === 'string' ? p.description : '', active: p.active !== false });

export function NewProgramPage() {
  return <ProgramForm />;
}

export function EditProgramPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const program = useQuery({ queryKey: keys.program(id), queryFn: () => getProgram(id) });
  const back = { to: '/admin/programs', label: t('admin.programs.back') };
  if (program.isPending) return <Page title={t('admin.programs.editTitle')} back={back}><Loading /></Page>;
  if (program.isError) return <Page title={t('admin.programs.editTitle')} back={back}><LoadFailed error={program.error} /></Page>;
  return <ProgramForm key={program.data.id} program={program.data} />;
}

function ProgramForm({ program }: { program?: ProgramT }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const idempotencyKey = useRef(newIdempotencyKey());
  const versioned = useConflict<Values>(program?.version ?? 1, valuesOf);
  const form = useForm({
    initial: program ? valuesOf(program) : { name: '', description: '', active: true },
    validate: (v) => (v.name.trim() ? [] : ([{ field: 'name', message: t('admin.programs.errors.name') }] as FormError[])),
    onConflict: versioned.onConflict,
    onSubmit: async (v) => {
      const description = v.description.trim() || null;
      const saved = program
        ? await updateProgram(program.id, { version: versioned.version.current, name: v.name.trim(), description, active: v.active })
        : await createProgram({ name: v.name.trim(), description }, idempotencyKey.current);
      await queryClient.invalidateQueries({ queryKey: keys.programs });
      const state: NoticeState = { notice: t(program ? 'admin.common.savedNamed' : 'admin.common.addedNamed', { name: saved.name }) };
      void navigate('/admin/programs', { state });
    },
  });
  const c = versioned.conflict;
  const activeText = (b: boolean) => (b ? t('admin.common.active') : t('admin.common.inactive'));
  return (
    <Page
      title={program ? t('admin.programs.editTitle') : t('admin.programs.addTitle')}
      caption={t('admin.title')}
      hasErrors={form.errors.length > 0}
      back={{ to: '/admin/programs', label: t('admin.programs.back') }}
    >
      {c ? (
        <ConflictNotice
          busy={form.busy}
          rows={[
            { label: t('admin.programs.name'), current: c.current.name, mine: form.values.name },
            { label: t('admin.programs.description'), current: c.current.description, mine: form.values.description },
            { label: t('admin.common.status'), current: activeText(c.current.active), mine: activeText(form.values.active) },
          ]}
          onReapply={() => versioned.reapply(form)}
          onDiscard={() => versioned.discard(form)}
        />
      ) : null}
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <TextField name="name" label={t('admin.programs.name')} hint={t('admin.programs.nameHint')} value={form.values.name} error={form.errorFor('name')} onChange={(v) => form.set('name', v)} />
        <TextArea
          name="description"
          label={t('admin.programs.description')}
          optional
          value={form.values.description}
          error={form.errorFor('description')}
          onChange={(v) => form.set('description', v)}
        />
        {program ? (
          <SingleCheckbox
            name="active"
            label={t('admin.programs.activeLabel')}
            hint={t('admin.programs.activeHint')}
            value={form.values.active}
            error={form.errorFor('active')}
            onChange={(v) => form.set('active', v)}
          />
        ) : null}
        <ButtonGroup>
          <Button type="submit" busy={form.busy}>
            {program ? t('common.saveChanges') : t('admin.programs.addSubmit')}
          </Button>
          <Link to="/admin/programs">{t('common.cancel')}</Link>
        </ButtonGroup>
      </form>
    </Page>
  );
}

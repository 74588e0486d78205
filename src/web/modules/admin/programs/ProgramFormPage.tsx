/**
 * Add or change a program: its name and description, whether it is active, and its recovery
 * settings (the cravings level at or above which a check-in asks the coach to reach out, and the
 * days between recovery plan reviews), and the cost model's unit costs (an ED visit, an inpatient
 * day, a peer hour, in dollars and cents; empty = not set) and baseline 30-day ED revisit rate.
 * The server checks the ranges again and names the field.
 */
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

type Values = {
  name: string;
  description: string;
  active: boolean;
  cravingsAlertThreshold: string;
  planReviewDays: string;
  edVisitCost: string;
  inpatientDayCost: string;
  peerHourCost: string;
  baselineEdRevisitPercent: string;
};
const COSTS = [
  ['edVisitCost', 'edVisitCostCents'],
  ['inpatientDayCost', 'inpatientDayCostCents'],
  ['peerHourCost', 'peerHourCostCents'],
] as const;
const moneyText = (cents: unknown) => (typeof cents === 'number' ? (cents / 100).toFixed(2) : '');
/** Dollars and cents as typed ("1200", "1,200.50") → cents; '' → null; anything else (or over a million) → undefined. */
const centsOf = (v: string): number | null | undefined => {
  const s = v.trim().replace(/[$,\s]/g, '');
  if (!s) return null;
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(s)) return undefined;
  const cents = Math.round(Number(s) * 100);
  return cents <= 100_000_000 ? cents : undefined;
};
const percentOf = (v: string): number | null | undefined => (v.trim() ? wholeIn(v, 0, 100) : null);
/** The usual settings, as the server sets them when none are given. */
const DEFAULTS = { cravingsAlertThreshold: '7', planReviewDays: '90', edVisitCost: '', inpatientDayCost: '', peerHourCost: '', baselineEdRevisitPercent: '' };
const numberText = (v: unknown, fallback: string) => (typeof v === 'number' ? String(v) : fallback);
const valuesOf = (p: Record<string, unknown>): Values => ({
  name: typeof p.name === 'string' ? p.name : '',
  description: typeof p.description === 'string' ? p.description : '',
  active: p.active !== false,
  cravingsAlertThreshold: numberText(p.cravingsAlertThreshold, DEFAULTS.cravingsAlertThreshold),
  planReviewDays: numberText(p.planReviewDays, DEFAULTS.planReviewDays),
  edVisitCost: moneyText(p.edVisitCostCents),
  inpatientDayCost: moneyText(p.inpatientDayCostCents),
  peerHourCost: moneyText(p.peerHourCostCents),
  baselineEdRevisitPercent: numberText(p.baselineEdRevisitPercent, ''),
});
/** A whole number within the range, else undefined. */
const wholeIn = (v: string, min: number, max: number): number | undefined => {
  const n = /^\d{1,3}$/.test(v.trim()) ? Number(v.trim()) : NaN;
  return n >= min && n <= max ? n : undefined;
};

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
    initial: program ? valuesOf(program) : { name: '', description: '', active: true, ...DEFAULTS },
    validate: (v) => {
      const e: FormError[] = [];
      if (!v.name.trim()) e.push({ field: 'name', message: t('admin.programs.errors.name') });
      if (wholeIn(v.cravingsAlertThreshold, 1, 10) === undefined) e.push({ field: 'cravingsAlertThreshold', message: t('programSettings.errors.cravingsAlertThreshold') });
      if (wholeIn(v.planReviewDays, 14, 365) === undefined) e.push({ field: 'planReviewDays', message: t('programSettings.errors.planReviewDays') });
      for (const [field] of COSTS) if (centsOf(v[field]) === undefined) e.push({ field, message: t('programSettings.errors.cost') });
      if (percentOf(v.baselineEdRevisitPercent) === undefined) e.push({ field: 'baselineEdRevisitPercent', message: t('programSettings.errors.baselineEdRevisitPercent') });
      return e;
    },
    onConflict: versioned.onConflict,
    onSubmit: async (v) => {
      const description = v.description.trim() || null;
      const settings = {
        cravingsAlertThreshold: wholeIn(v.cravingsAlertThreshold, 1, 10)!,
        planReviewDays: wholeIn(v.planReviewDays, 14, 365)!,
        edVisitCostCents: centsOf(v.edVisitCost)!,
        inpatientDayCostCents: centsOf(v.inpatientDayCost)!,
        peerHourCostCents: centsOf(v.peerHourCost)!,
        baselineEdRevisitPercent: percentOf(v.baselineEdRevisitPercent)!,
      };
      const saved = program
        ? await updateProgram(program.id, { version: versioned.version.current, name: v.name.trim(), description, active: v.active, ...settings })
        : await createProgram({ name: v.name.trim(), description, ...settings }, idempotencyKey.current);
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
            { label: t('programSettings.cravingsAlertThreshold'), current: c.current.cravingsAlertThreshold, mine: form.values.cravingsAlertThreshold },
            { label: t('programSettings.planReviewDays'), current: c.current.planReviewDays, mine: form.values.planReviewDays },
            ...COSTS.map(([field]) => ({ label: t(`programSettings.${field}`), current: valuesOf(c.current)[field], mine: form.values[field] })),
            { label: t('programSettings.baselineEdRevisitPercent'), current: valuesOf(c.current).baselineEdRevisitPercent, mine: form.values.baselineEdRevisitPercent },
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
        <fieldset className="fieldset">
          <legend className="fieldset-legend fieldset-legend--m">{t('programSettings.heading')}</legend>
          <div className="hint">{t('programSettings.intro')}</div>
          <TextField
            name="cravingsAlertThreshold"
            label={t('programSettings.cravingsAlertThreshold')}
            hint={t('programSettings.cravingsAlertThresholdHint')}
            width="code"
            inputMode="numeric"
            autoComplete="off"
            value={form.values.cravingsAlertThreshold}
            error={form.errorFor('cravingsAlertThreshold')}
            onChange={(v) => form.set('cravingsAlertThreshold', v)}
          />
          <TextField
            name="planReviewDays"
            label={t('programSettings.planReviewDays')}
            hint={t('programSettings.planReviewDaysHint')}
            width="code"
            inputMode="numeric"
            autoComplete="off"
            value={form.values.planReviewDays}
            error={form.errorFor('planReviewDays')}
            onChange={(v) => form.set('planReviewDays', v)}
          />
        </fieldset>
        <fieldset className="fieldset">
          <legend className="fieldset-legend fieldset-legend--m">{t('programSettings.costHeading')}</legend>
          <div className="hint">{t('programSettings.costIntro')}</div>
          {COSTS.map(([field]) => (
            <TextField
              key={field}
              name={field}
              label={t(`programSettings.${field}`)}
              hint={t('programSettings.costHint')}
              width="medium"
              inputMode="decimal"
              autoComplete="off"
              optional
              value={form.values[field]}
              error={form.errorFor(field)}
              onChange={(v) => form.set(field, v)}
            />
          ))}
          <TextField
            name="baselineEdRevisitPercent"
            label={t('programSettings.baselineEdRevisitPercent')}
            hint={t('programSettings.baselineEdRevisitPercentHint')}
            width="code"
            inputMode="numeric"
            autoComplete="off"
            optional
            value={form.values.baselineEdRevisitPercent}
            error={form.errorFor('baselineEdRevisitPercent')}
            onChange={(v) => form.set('baselineEdRevisitPercent', v)}
          />
        </fieldset>
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

/**
 * The recovery-plan pages: start or edit the plan (the whole list of goals, each with steps and
 * progress notes, sent with the plan's `version`; on 409 the page reloads the plan and says someone
 * else changed it), record the participant's agreement (a signature drawn with a finger or the
 * mouse, a typed name with "I confirm", or verbal with a witness), record a review, and the
 * printable copy in English or Spanish, chosen apart from the interface language, with the
 * signature.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { newIdempotencyKey } from '../../app/api';
import { useAuth } from '../../app/auth';
import { Banner, LoadFailed, Loading, Page } from '../../app/components';
import { Button } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { ErrorMessage, fieldId, RadioGroup, SelectField, SingleCheckbox, TextArea, TextField } from '../../app/forms/fields';
import { useForm, type FormError } from '../../app/forms/useForm';
import { dateIn } from '../care/care.api';
import { LanguageChoice, usePrintableBody, type Lang } from '../consents/PrintConsentPage';
import { SignaturePad } from '../consents/SignaturePad';
import { getParticipant, keys as participantKeys, nameOf } from '../participants/participants.api';
import type { NoticeState } from '../participants/Notice';
import { createPlan, GOAL_STATUSES, getPlan, getPrintable, planKeys, recordAgreement, recordReview, RECOVERY_DOMAINS, STEP_OWNERS, updatePlan, type GoalInputT, type PlanT } from './plans.api';
import { AgreementSignature } from './PlanAgreement';
import './plans.css';

interface StepDraft {
  id?: string;
  text: string;
  owner: string;
  ownerName: string;
  dueOn: string;
  done: boolean;
}
interface NoteDraft {
  id?: string;
  on: string;
  text: string;
}
interface GoalDraft {
  id?: string;
  text: string;
  domain: string;
  status: string;
  steps: StepDraft[];
  notes: NoteDraft[];
}

const toDrafts = (plan: PlanT | undefined): GoalDraft[] =>
  (plan?.goals ?? []).map((g) => ({
    id: g.id,
    text: g.text,
    domain: g.domain,
    status: g.status,
    steps: g.steps.map((s) => ({ id: s.id, text: s.text, owner: s.owner, ownerName: s.ownerName ?? '', dueOn: s.dueOn ?? '', done: s.done })),
    notes: g.notes.map((n) => ({ id: n.id, on: n.on, text: n.text })),
  }));

const toBody = (goals: GoalDraft[]): GoalInputT[] =>
  goals.map((g) => ({
    ...(g.id ? { id: g.id } : {}),
    text: g.text.trim(),
    domain: g.domain as GoalInputT['domain'],
    status: g.status as NonNullable<GoalInputT['status']>,
    steps: g.steps.map((s) => ({
      ...(s.id ? { id: s.id } : {}),
      text: s.text.trim(),
      owner: s.owner as (typeof STEP_OWNERS)[number],
      ownerName: s.owner === 'other' ? s.ownerName.trim() || null : null,
      dueOn: s.dueOn.trim() || null,
      done: s.done,
    })),
    notes: g.notes.map((n) => ({ ...(n.id ? { id: n.id } : {}), on: n.on.trim(), text: n.text.trim() })),
  }));

function useBack(participantId: string | undefined) {
  const { t } = useTranslation();
  return participantId ? { to: `/participants/${encodeURIComponent(participantId)}`, label: t('recoveryPlans.form.back') } : undefined;
}

/** /recovery-plans/new?participant=<id> and /recovery-plans/:id/edit */
export function EditPlanPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const [params] = useSearchParams();
  const plan = useQuery({ queryKey: planKeys.plan(id ?? ''), queryFn: () => getPlan(id!), enabled: !!id });
  const participantId = id ? plan.data?.participantId : (params.get('participant') ?? undefined);
  const back = useBack(participantId);
  const title = id ? t('recoveryPlans.form.titleEdit') : t('recoveryPlans.form.titleNew');
  if (id && plan.isPending) return <Page title={title}><Loading /></Page>;
  if (id && plan.isError) return <Page title={title}><LoadFailed error={plan.error} retry={() => void plan.refetch()} /></Page>;
  if (!participantId) return <Page title={title}><p>{t('checkins.form.noParticipant')}</p></Page>;
  return <PlanForm key={plan.data?.version ?? 'new'} plan={plan.data} participantId={participantId} title={title} back={back!} />;
}

function PlanForm({ plan, participantId, title, back }: { plan: PlanT | undefined; participantId: string; title: string; back: { to: string; label: string } }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [version, setVersion] = useState(plan?.version ?? 0);
  const [conflict, setConflict] = useState(false);
  const today = dateIn(new Date(), useAuth().me?.organization?.timeZone);
  const form = useForm<{ goals: GoalDraft[] }>({
    initial: { goals: toDrafts(plan) },
    fieldFor: (path) => (path.startsWith('goals.') ? path : undefined),
    validate: (v) => {
      const e: FormError[] = [];
      v.goals.forEach((g, i) => {
        if (!g.text.trim()) e.push({ field: `goals.${i}.text`, message: t('recoveryPlans.form.errors.goalText') });
        if (!g.domain) e.push({ field: `goals.${i}.domain`, message: t('recoveryPlans.form.errors.domain') });
      });
      return e;
    },
    onSubmit: async (v) => {
      const body = toBody(v.goals);
      if (plan) await updatePlan(plan.id, body, version);
      else await createPlan(participantId, body, idempotencyKey);
      await client.invalidateQueries({ queryKey: planKeys.participant(participantId) });
      if (plan) await client.invalidateQueries({ queryKey: planKeys.plan(plan.id) });
      const state: NoticeState = { notice: t('recoveryPlans.form.saved') };
      await navigate(back.to, { state });
    },
    onConflict: (c) => {
      const current = c.current as PlanT;
      form.setValues({ goals: toDrafts(current) });
      setVersion(c.version);
      setConflict(true);
    },
  });
  const goals = form.values.goals;
  const setGoal = (i: number, patch: Partial<GoalDraft>) => form.set('goals', goals.map((g, j) => (j === i ? { ...g, ...patch } : g)));
  const domainOptions = [{ value: '', label: '' }, ...RECOVERY_DOMAINS.map((d) => ({ value: d, label: t(`recoveryPlans.domains.${d}`) }))];
  return (
    <Page title={title} back={back} hasErrors={form.errors.length > 0}>
      {conflict ? (
        <Banner kind="warning" focus>
          <p>{t('recoveryPlans.form.conflict')}</p>
        </Banner>
      ) : null}
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        {goals.map((g, i) => (
          <fieldset key={g.id ?? `new-${i}`} className="fieldset plan-goal">
            <legend className="fieldset-legend fieldset-legend--m">{t('recoveryPlans.form.goal', { n: i + 1 })}</legend>
            <TextArea name={`goals.${i}.text`} label={t('recoveryPlans.form.goalText')} value={g.text} error={form.errorFor(`goals.${i}.text`)} onChange={(x) => setGoal(i, { text: x })} rows={2} />
            <SelectField name={`goals.${i}.domain`} label={t('recoveryPlans.form.domain')} value={g.domain} error={form.errorFor(`goals.${i}.domain`)} onChange={(x) => setGoal(i, { domain: x })} options={domainOptions} />
            <SelectField name={`goals.${i}.status`} label={t('recoveryPlans.form.status')} value={g.status} error={form.errorFor(`goals.${i}.status`)} onChange={(x) => setGoal(i, { status: x })} options={GOAL_STATUSES.map((s) => ({ value: s, label: t(`recoveryPlans.statuses.${s}`) }))} />
            {g.steps.map((s, k) => {
              const setStep = (patch: Partial<StepDraft>) => setGoal(i, { steps: g.steps.map((x, j) => (j === k ? { ...x, ...patch } : x)) });
              const p = `goals.${i}.steps.${k}`;
              return (
                <fieldset key={s.id ?? `new-${k}`} className="fieldset plan-step">
                  <legend className="fieldset-legend fieldset-legend--s">{t('recoveryPlans.form.step', { n: k + 1 })}</legend>
                  <TextField name={`${p}.text`} label={t('recoveryPlans.form.stepText')} value={s.text} error={form.errorFor(`${p}.text`)} onChange={(x) => setStep({ text: x })} />
                  <SelectField name={`${p}.owner`} label={t('recoveryPlans.form.owner')} value={s.owner} error={form.errorFor(`${p}.owner`)} onChange={(x) => setStep({ owner: x })} options={STEP_OWNERS.map((o) => ({ value: o, label: t(`recoveryPlans.owners.${o}`) }))} />
                  {s.owner === 'other' ? <TextField name={`${p}.ownerName`} label={t('recoveryPlans.form.ownerName')} value={s.ownerName} error={form.errorFor(`${p}.ownerName`)} onChange={(x) => setStep({ ownerName: x })} /> : null}
                  <TextField name={`${p}.dueOn`} type="date" width="medium" label={t('recoveryPlans.form.dueOn')} value={s.dueOn} error={form.errorFor(`${p}.dueOn`)} onChange={(x) => setStep({ dueOn: x })} />
                  <SingleCheckbox name={`${p}.done`} label={t('recoveryPlans.form.stepDone')} value={s.done} onChange={(x) => setStep({ done: x })} />
                </fieldset>
              );
            })}
            <p>
              <button type="button" className="button button--secondary" onClick={() => setGoal(i, { steps: [...g.steps, { text: '', owner: 'participant', ownerName: '', dueOn: '', done: false }] })}>
                {t('recoveryPlans.form.addStep')}
              </button>
            </p>
            {g.notes.map((n, k) => {
              const setNote = (patch: Partial<NoteDraft>) => setGoal(i, { notes: g.notes.map((x, j) => (j === k ? { ...x, ...patch } : x)) });
              const p = `goals.${i}.notes.${k}`;
              return (
                <fieldset key={n.id ?? `new-${k}`} className="fieldset plan-note">
                  <legend className="fieldset-legend fieldset-legend--s">{t('recoveryPlans.form.note', { n: k + 1 })}</legend>
                  <TextField name={`${p}.on`} type="date" width="medium" label={t('recoveryPlans.form.noteOn')} value={n.on} error={form.errorFor(`${p}.on`)} onChange={(x) => setNote({ on: x })} />
                  <TextArea name={`${p}.text`} label={t('recoveryPlans.form.noteText')} value={n.text} error={form.errorFor(`${p}.text`)} onChange={(x) => setNote({ text: x })} rows={2} />
                </fieldset>
              );
            })}
            <p>
              <button type="button" className="button button--secondary" onClick={() => setGoal(i, { notes: [...g.notes, { on: today, text: '' }] })}>
                {t('recoveryPlans.form.addNote')}
              </button>
            </p>
          </fieldset>
        ))}
        <p>
          <button type="button" className="button button--secondary" onClick={() => form.set('goals', [...goals, { text: '', domain: '', status: 'active', steps: [], notes: [] }])}>
            {t('recoveryPlans.form.addGoal')}
          </button>
        </p>
        <Button type="submit" busy={form.busy}>
          {t('recoveryPlans.form.save')}
        </Button>
      </form>
    </Page>
  );
}

export function usePlanFrame() {
  const { id = '' } = useParams();
  const plan = useQuery({ queryKey: planKeys.plan(id), queryFn: () => getPlan(id) });
  return { id, plan, back: useBack(plan.data?.participantId) };
}

/** /recovery-plans/:id/agreement */
export function AgreementPage() {
  const { t } = useTranslation();
  const { plan, back } = usePlanFrame();
  if (plan.isPending) return <Page title={t('recoveryPlans.agreement.title')}><Loading /></Page>;
  if (plan.isError) return <Page title={t('recoveryPlans.agreement.title')}><LoadFailed error={plan.error} retry={() => void plan.refetch()} /></Page>;
  return <AgreementForm plan={plan.data} back={back!} />;
}

type Method = '' | 'drawn' | 'typed' | 'verbal';
interface AgreementDraft {
  method: Method;
  /** The drawn signature's path data (the pad's). */
  drawn: string;
  typed: string;
  attested: boolean;
  witnessName: string;
}

function AgreementForm({ plan: initialPlan, back }: { plan: PlanT; back: { to: string; label: string } }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [idempotencyKey] = useState(newIdempotencyKey);
  // After a 409 the plan the participant agrees to is the current one, said in a banner.
  const [plan, setPlan] = useState(initialPlan);
  const [changed, setChanged] = useState(false);
  const form = useForm<AgreementDraft>({
    initial: { method: '', drawn: '', typed: '', attested: false, witnessName: '' },
    // The drawn pad and the typed name are the one "signature" field (only one is shown at a time).
    fieldFor: (path) => (path === 'data' ? 'signature' : ['method', 'attested', 'witnessName'].includes(path) ? path : undefined),
    validate: (v) => {
      const e: FormError[] = [];
      if (!v.method) e.push({ field: 'method', message: t('recoveryPlans.form.errors.method') });
      if (v.method === 'drawn' && !v.drawn) e.push({ field: 'signature', message: t('recoveryPlans.form.errors.drawn') });
      if (v.method === 'typed' && !v.typed.trim()) e.push({ field: 'signature', message: t('recoveryPlans.form.errors.typed') });
      if (v.method === 'typed' && !v.attested) e.push({ field: 'attested', message: t('recoveryPlans.form.errors.attested') });
      if (v.method === 'verbal' && !v.witnessName.trim()) e.push({ field: 'witnessName', message: t('recoveryPlans.form.errors.witnessName') });
      return e;
    },
    onSubmit: async (v) => {
      const body =
        v.method === 'drawn'
          ? { method: 'drawn' as const, data: v.drawn, version: plan.version }
          : v.method === 'typed'
            ? { method: 'typed' as const, data: v.typed.trim(), attested: v.attested, version: plan.version }
            : { method: 'verbal' as const, witnessName: v.witnessName.trim(), version: plan.version };
      await recordAgreement(plan.id, body, idempotencyKey);
      await client.invalidateQueries({ queryKey: planKeys.participant(plan.participantId) });
      await client.invalidateQueries({ queryKey: planKeys.plan(plan.id) });
      const state: NoticeState = { notice: t('recoveryPlans.agreement.saved') };
      await navigate(back.to, { state });
    },
    onConflict: (c) => {
      setPlan(c.current as PlanT);
      setChanged(true);
      void client.invalidateQueries({ queryKey: planKeys.plan(plan.id) });
    },
  });
  const v = form.values;
  const padId = fieldId('signature');
  const padError = form.errorFor('signature');
  return (
    <Page title={t('recoveryPlans.agreement.title')} back={back} hasErrors={form.errors.length > 0}>
      {changed ? (
        <Banner kind="warning" focus>
          <p>{t('recoveryPlans.agreement.conflict', { n: plan.planVersion })}</p>
        </Banner>
      ) : null}
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <p>{t('recoveryPlans.agreement.intro', { n: plan.planVersion })}</p>
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <RadioGroup
          name="method"
          legend={t('recoveryPlans.agreement.method')}
          value={v.method}
          error={form.errorFor('method')}
          // A new choice starts a new signature: the pad is empty again when it comes back.
          onChange={(x) => form.setValues({ ...v, method: x as Method, drawn: '' })}
          options={[
            { value: 'drawn', label: t('recoveryPlans.agreement.drawn') },
            { value: 'typed', label: t('recoveryPlans.agreement.typed') },
            { value: 'verbal', label: t('recoveryPlans.agreement.verbal') },
          ]}
        />
        {v.method === 'drawn' ? (
          <div className={`form-group${padError ? ' form-group--error' : ''}`}>
            <p className="hint" id={`${padId}-hint`}>
              {t('recoveryPlans.agreement.drawHint')}
            </p>
            {padError ? <ErrorMessage id={padId}>{padError}</ErrorMessage> : null}
            <SignaturePad id={padId} label={t('recoveryPlans.agreement.padLabel')} describedBy={padError ? `${padId}-hint ${padId}-error` : `${padId}-hint`} onChange={(path) => form.set('drawn', path)} />
          </div>
        ) : null}
        {v.method === 'typed' ? (
          <>
            <TextField name="signature" label={t('recoveryPlans.agreement.data')} autoComplete="off" value={v.typed} error={padError} onChange={(x) => form.set('typed', x)} />
            <SingleCheckbox name="attested" label={t('recoveryPlans.agreement.attested')} value={v.attested} error={form.errorFor('attested')} onChange={(x) => form.set('attested', x)} />
          </>
        ) : null}
        {v.method === 'verbal' ? <TextField name="witnessName" label={t('recoveryPlans.agreement.witnessName')} autoComplete="off" value={v.witnessName} error={form.errorFor('witnessName')} onChange={(x) => form.set('witnessName', x)} /> : null}
        <Button type="submit" busy={form.busy}>
          {t('recoveryPlans.agreement.save')}
        </Button>
      </form>
    </Page>
  );
}

/** /recovery-plans/:id/review */
export function ReviewPage() {
  const { t } = useTranslation();
  const { plan, back } = usePlanFrame();
  if (plan.isPending) return <Page title={t('recoveryPlans.reviewForm.title')}><Loading /></Page>;
  if (plan.isError) return <Page title={t('recoveryPlans.reviewForm.title')}><LoadFailed error={plan.error} retry={() => void plan.refetch()} /></Page>;
  return <ReviewForm plan={plan.data} back={back!} />;
}

function ReviewForm({ plan, back }: { plan: PlanT; back: { to: string; label: string } }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const today = dateIn(new Date(), useAuth().me?.organization?.timeZone);
  const form = useForm<{ reviewedOn: string; note: string }>({
    initial: { reviewedOn: today, note: '' },
    fieldFor: (path) => (['reviewedOn', 'note'].includes(path) ? path : undefined),
    onSubmit: async (v) => {
      await recordReview(plan.id, { reviewedOn: v.reviewedOn.trim(), note: v.note.trim() || null, version: plan.version }, idempotencyKey);
      await client.invalidateQueries({ queryKey: planKeys.participant(plan.participantId) });
      await client.invalidateQueries({ queryKey: planKeys.plan(plan.id) });
      const state: NoticeState = { notice: t('recoveryPlans.reviewForm.saved') };
      await navigate(back.to, { state });
    },
  });
  return (
    <Page title={t('recoveryPlans.reviewForm.title')} back={back} hasErrors={form.errors.length > 0}>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <p>{t('recoveryPlans.reviewForm.intro', { n: plan.planVersion })}</p>
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <TextField name="reviewedOn" type="date" width="medium" max={today} label={t('recoveryPlans.reviewForm.reviewedOn')} value={form.values.reviewedOn} error={form.errorFor('reviewedOn')} onChange={(x) => form.set('reviewedOn', x)} />
        <TextArea name="note" label={t('recoveryPlans.reviewForm.note')} value={form.values.note} error={form.errorFor('note')} onChange={(x) => form.set('note', x)} rows={3} />
        <Button type="submit" busy={form.busy}>
          {t('recoveryPlans.reviewForm.save')}
        </Button>
      </form>
    </Page>
  );
}

/** /recovery-plans/:id/print — the server's plain words, in the language chosen here. */
export function PrintPlanPage() {
  const { t, i18n } = useTranslation();
  usePrintableBody();
  const { id, plan, back } = usePlanFrame();
  const [lang, setLang] = useState<Lang>(i18n.language.startsWith('es') ? 'es' : 'en');
  const printable = useQuery({ queryKey: planKeys.print(id, lang), queryFn: () => getPrintable(id, lang) });
  const participant = useQuery({ queryKey: participantKeys.participant(plan.data?.participantId ?? ''), queryFn: () => getParticipant(plan.data!.participantId), enabled: !!plan.data });
  const p = printable.data;
  return (
    <Page title={t('recoveryPlans.printPage.title')} caption={participant.data ? nameOf(participant.data) : undefined} back={back} wide>
      <LanguageChoice value={lang} onChange={setLang} />
      {printable.isPending ? <Loading /> : null}
      {printable.isError ? <LoadFailed error={printable.error} retry={() => void printable.refetch()} /> : null}
      {p ? (
        <article className="printable printable-plan" lang={p.language}>
          <h2 className="heading-m">{p.title}</h2>
          <p>
            <strong>{p.participantName}</strong>
          </p>
          <p>{p.intro}</p>
          <p>{p.versionLine}</p>
          {p.goals.length === 0 ? <p>{p.labels.noGoals}</p> : null}
          {p.goals.map((g, i) => (
            <section key={i} aria-label={g.heading}>
              <h3 className="heading-s">{g.heading}</h3>
              <p>{g.text}</p>
              <p>
                {p.labels.area}: {g.domainLabel}. {p.labels.status}: {g.statusLabel}.
              </p>
              {g.steps.length > 0 ? (
                <>
                  <p className="plan-label">{p.labels.steps}</p>
                  <ul>
                    {g.steps.map((s, k) => (
                      <li key={k}>
                        {s.text}. {p.labels.who}: {s.who}
                        {s.due ? `. ${p.labels.due}: ${s.due}` : ''}. {s.doneLabel}
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
              {g.notes.length > 0 ? (
                <>
                  <p className="plan-label">{p.labels.notes}</p>
                  <ul>
                    {g.notes.map((n, k) => (
                      <li key={k}>
                        {n.on}: {n.text}
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
            </section>
          ))}
          {p.agreementLine ? <p>{p.agreementLine}</p> : null}
          {/* The signature of the version printed (the plan's current one), in the copy's language. */}
          {p.agreementLine && plan.data?.agreement ? <AgreementSignature agreement={plan.data.agreement} t={i18n.getFixedT(p.language)} voice="print" /> : null}
          {p.nextReviewLine ? <p>{p.nextReviewLine}</p> : null}
        </article>
      ) : null}
    </Page>
  );
}

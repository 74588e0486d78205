/**
 * Make or change a participant's cravings-and-triggers plan or safety plan, at
 * /coping-plans/<participant>/<coping|safety>/edit. Phone first: one list per part of the plan,
 * each entry with its own Remove button. Blank entries are left out when saving. The safety plan
 * shows the 988 Lifeline first and fixed; the steps after an overdose are the usual ones (printed
 * in English or Spanish) unless the coach writes their own, which start from the usual ones.
 *
 * The save sends the plan's `version`. When someone else saved first (409), the form reloads with
 * the current plan and says so; what this person had typed stays visible (read only) under
 * "Show what you had entered", so nothing is lost or overwritten silently. The server's field
 * errors land next to their entries.
 */
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { Banner, LoadFailed, Loading, Page } from '../../app/components';
import { Button } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { fieldId, RadioGroup, TextField } from '../../app/forms/fields';
import { useForm, type Form, type FormError } from '../../app/forms/useForm';
import { NotFoundPage } from '../errors/NotFoundPage';
import { getParticipant, keys as participantKeys, nameOf } from '../participants/participants.api';
import type { NoticeState } from '../participants/Notice';
import {
  CONTACT_KINDS,
  COPING_LISTS,
  copingKeys,
  getCopingPlan,
  getSafetyPlan,
  isKind,
  MAX_CONTACTS,
  MAX_ITEMS,
  NALOXONE_ANSWERS,
  participantPath,
  putCopingPlan,
  putSafetyPlan,
  type CopingPlanT,
  type Kind,
  type SafetyPlanT,
} from './coping.api';
import { addButtonId, ListFrame, RemoveButton, TextList, useFocusAfterRender } from './ListFields';
import { CopingPlanContentView, LifelineLine, SafetyPlanContentView } from './PlanContent';
import './coping.css';

// ---- values and checks shared by both forms

interface PersonDraft {
  name: string;
  phone: string;
}
interface ContactDraft extends PersonDraft {
  kind: (typeof CONTACT_KINDS)[number];
}
interface CopingValues {
  triggers: string[];
  warningSigns: string[];
  copingStrategies: string[];
  peopleToCall: PersonDraft[];
  safePlaces: string[];
  reasonsForRecovery: string[];
}
interface SafetyValues {
  crisisContacts: ContactDraft[];
  naloxoneOnHand: string;
  naloxoneKnownBy: string[];
  stepsChoice: 'usual' | 'own';
  overdoseSteps: string[];
}

const texts = (xs: string[]) => xs.map((x) => x.trim()).filter(Boolean);
const people = <P extends PersonDraft>(xs: P[]) => xs.map((p) => ({ ...p, name: p.name.trim(), phone: p.phone.trim() })).filter((p) => p.name || p.phone);

const copingValues = (p: CopingPlanT): CopingValues => ({
  triggers: [...p.triggers],
  warningSigns: [...p.warningSigns],
  copingStrategies: [...p.copingStrategies],
  peopleToCall: p.peopleToCall.map((x) => ({ name: x.name, phone: x.phone })),
  safePlaces: [...p.safePlaces],
  reasonsForRecovery: [...p.reasonsForRecovery],
});
const cleanCoping = (v: CopingValues): CopingValues => ({
  triggers: texts(v.triggers),
  warningSigns: texts(v.warningSigns),
  copingStrategies: texts(v.copingStrategies),
  peopleToCall: people(v.peopleToCall),
  safePlaces: texts(v.safePlaces),
  reasonsForRecovery: texts(v.reasonsForRecovery),
});

const safetyValues = (p: SafetyPlanT): SafetyValues => ({
  crisisContacts: p.crisisContacts.flatMap((c) => (c.kind === 'lifeline' ? [] : [{ kind: c.kind, name: c.name, phone: c.phone }])),
  naloxoneOnHand: p.naloxoneOnHand,
  naloxoneKnownBy: [...p.naloxoneKnownBy],
  stepsChoice: p.overdoseStepsAreDefault ? 'usual' : 'own',
  overdoseSteps: [...p.overdoseSteps],
});
const cleanSafety = (v: SafetyValues): SafetyValues => ({
  ...v,
  crisisContacts: people(v.crisisContacts),
  naloxoneKnownBy: texts(v.naloxoneKnownBy),
  // The usual steps are kept as they were, to start from if the coach switches to their own.
  overdoseSteps: v.stepsChoice === 'own' ? texts(v.overdoseSteps) : v.overdoseSteps,
});

type T = TFunction;

function checkTexts(t: T, name: string, xs: string[], max: number, e: FormError[]) {
  xs.forEach((x, i) => {
    if (x.length > max) e.push({ field: `${name}.${i}`, message: t('copingPlans.form.errors.tooLong', { max }) });
  });
}

function checkPeople(t: T, name: string, xs: PersonDraft[], e: FormError[]) {
  xs.forEach((p, i) => {
    if (!p.name) e.push({ field: `${name}.${i}.name`, message: t('copingPlans.form.errors.name') });
    else if (p.name.length > 120) e.push({ field: `${name}.${i}.name`, message: t('copingPlans.form.errors.tooLong', { max: 120 }) });
    const phone = p.phone;
    const message = !phone
      ? t('copingPlans.form.errors.phone')
      : phone.length > 40
        ? t('copingPlans.form.errors.tooLong', { max: 40 })
        : !/^[0-9+()\-.\s]+$/.test(phone)
          ? t('copingPlans.form.errors.phoneDigits')
          : phone.replace(/\D/g, '').length < 3
            ? t('copingPlans.form.errors.phoneShort')
            : null;
    if (message) e.push({ field: `${name}.${i}.phone`, message });
  });
}

/** The form field a server error path belongs to: the path itself, or the nearest enclosing one shown. */
function nearestField(known: Set<string>) {
  return (path: string) => {
    const parts = path.split('.');
    while (parts.length) {
      const p = parts.join('.');
      if (known.has(p)) return p;
      parts.pop();
    }
    return undefined;
  };
}

/**
 * Blank entries are dropped before checking and sending, and the form shows the cleaned lists, so
 * the server's error paths (`triggers.2`) point at the entries on the page.
 */
function useCleanSubmit<V extends object>(form: Form<V>, clean: (v: V) => V) {
  const [pending, setPending] = useState(false);
  useEffect(() => {
    if (!pending) return;
    setPending(false);
    void form.onSubmit();
  }, [pending, form]);
  return (e: FormEvent) => {
    e.preventDefault();
    const cleaned = clean(form.values);
    if (JSON.stringify(cleaned) === JSON.stringify(form.values)) {
      void form.onSubmit();
      return;
    }
    form.setValues(cleaned);
    setPending(true);
  };
}

// ---- the page

/** The current plan, fetched afresh when the page opens (not a cached copy), then kept while editing. */
function useFreshOnce<P>(q: UseQueryResult<P>): P | undefined {
  const [loaded, setLoaded] = useState<P | undefined>(undefined);
  useEffect(() => {
    if (loaded === undefined && q.data !== undefined && !q.isFetching) setLoaded(q.data);
  }, [loaded, q.data, q.isFetching]);
  return loaded;
}

export function EditPlanPage() {
  const { participantId = '', kind } = useParams();
  if (!isKind(kind)) return <NotFoundPage />;
  return kind === 'coping' ? <EditCoping participantId={participantId} /> : <EditSafety participantId={participantId} />;
}

function Frame({ kind, participantId, query, hasErrors = false, children }: { kind: Kind; participantId: string; query?: UseQueryResult<unknown>; hasErrors?: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  const participant = useQuery({ queryKey: participantKeys.participant(participantId), queryFn: () => getParticipant(participantId) });
  return (
    <Page title={t(`copingPlans.form.title.${kind}`)} caption={participant.data ? nameOf(participant.data) : undefined} back={{ to: participantPath(participantId), label: t('copingPlans.form.back') }} hasErrors={hasErrors}>
      {query?.isError ? <LoadFailed error={query.error} retry={() => void query.refetch()} /> : null}
      {children}
    </Page>
  );
}

function EditCoping({ participantId }: { participantId: string }) {
  const q = useQuery({ queryKey: copingKeys.plan(participantId, 'coping'), queryFn: () => getCopingPlan(participantId), refetchOnMount: 'always' });
  const plan = useFreshOnce(q);
  if (!plan) return <Frame kind="coping" participantId={participantId} query={q}>{q.isError ? null : <Loading />}</Frame>;
  return <CopingForm participantId={participantId} plan={plan} />;
}

function EditSafety({ participantId }: { participantId: string }) {
  const q = useQuery({ queryKey: copingKeys.plan(participantId, 'safety'), queryFn: () => getSafetyPlan(participantId), refetchOnMount: 'always' });
  const plan = useFreshOnce(q);
  if (!plan) return <Frame kind="safety" participantId={participantId} query={q}>{q.isError ? null : <Loading />}</Frame>;
  return <SafetyForm participantId={participantId} plan={plan} />;
}

/** After a save: the participant's page says so (and everything about them is read again). */
function useSaved(participantId: string, kind: Kind) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  return async () => {
    await client.invalidateQueries({ queryKey: copingKeys.participant(participantId) });
    const state: NoticeState = { notice: t(`copingPlans.form.saved.${kind}`) };
    await navigate(participantPath(participantId), { state });
  };
}

function ConflictBanner<V>({ draft, render }: { draft: V | null; render: (v: V) => ReactNode }) {
  const { t } = useTranslation();
  return (
    <Banner kind="warning" focus>
      <p>{t('copingPlans.form.conflict')}</p>
      {draft ? (
        <details className="coping-draft">
          <summary>{t('copingPlans.form.yourDraft')}</summary>
          {render(draft)}
        </details>
      ) : null}
    </Banner>
  );
}

// ---- the cravings-and-triggers plan

function CopingForm({ participantId, plan }: { participantId: string; plan: CopingPlanT }) {
  const { t } = useTranslation();
  const saved = useSaved(participantId, 'coping');
  const focus = useFocusAfterRender();
  const [version, setVersion] = useState(plan.version);
  /** How many saves met a newer version: each shows the banner afresh (it takes focus). */
  const [conflicts, setConflicts] = useState(0);
  const submitted = useRef<CopingValues | null>(null);
  const [draft, setDraft] = useState<CopingValues | null>(null);
  const form: Form<CopingValues> = useForm<CopingValues>({
    initial: copingValues(plan),
    fieldFor: (path): string | undefined => nearestField(copingFields(form.values))(path),
    validate: (v) => {
      const e: FormError[] = [];
      for (const k of COPING_LISTS.slice(0, 3)) checkTexts(t, k, v[k], 500, e);
      checkPeople(t, 'peopleToCall', v.peopleToCall, e);
      for (const k of COPING_LISTS.slice(3)) checkTexts(t, k, v[k], 500, e);
      return e;
    },
    onSubmit: async (v) => {
      submitted.current = v;
      await putCopingPlan(participantId, { ...v, version });
      await saved();
    },
    onConflict: (c) => {
      setDraft(submitted.current);
      form.setValues(copingValues(c.current as CopingPlanT));
      setVersion(c.version);
      setConflicts((n) => n + 1);
    },
  });
  const onSubmit = useCleanSubmit(form, cleanCoping);
  const v = form.values;
  const list = (k: (typeof COPING_LISTS)[number]) => (
    <TextList
      key={k}
      name={k}
      legend={t(`copingPlans.lists.${k}`)}
      hint={t(`copingPlans.form.hints.${k}`)}
      itemLabel={(n) => t(`copingPlans.form.item.${k}`, { n })}
      addLabel={t(`copingPlans.form.add.${k}`)}
      values={v[k]}
      onChange={(x) => form.set(k, x)}
      errorFor={form.errorFor}
      max={MAX_ITEMS}
      focus={focus}
    />
  );
  return (
    <Frame kind="coping" participantId={participantId} hasErrors={form.errors.length > 0}>
      {conflicts > 0 ? <ConflictBanner key={conflicts} draft={draft} render={(d) => <CopingPlanContentView plan={d} level={3} />} /> : null}
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <p>{t('copingPlans.form.intro.coping')}</p>
      <form className="form coping-form" noValidate onSubmit={onSubmit}>
        {COPING_LISTS.slice(0, 3).map(list)}
        <PeopleList
          name="peopleToCall"
          legend={t('copingPlans.lists.peopleToCall')}
          hint={t('copingPlans.form.hints.peopleToCall')}
          itemLabel={(n) => t('copingPlans.form.person', { n })}
          addLabel={t('copingPlans.form.addPerson')}
          values={v.peopleToCall}
          onChange={(x) => form.set('peopleToCall', x)}
          onAdd={() => form.set('peopleToCall', [...v.peopleToCall, { name: '', phone: '' }])}
          errorFor={form.errorFor}
          focus={focus}
        />
        {COPING_LISTS.slice(3).map(list)}
        <Button type="submit" busy={form.busy}>
          {t('copingPlans.form.save')}
        </Button>
      </form>
    </Frame>
  );
}

function copingFields(v: CopingValues): Set<string> {
  const s = new Set<string>([...COPING_LISTS, 'peopleToCall']);
  for (const k of COPING_LISTS) v[k].forEach((_, i) => s.add(`${k}.${i}`));
  v.peopleToCall.forEach((_, i) => ['', '.name', '.phone'].forEach((x) => s.add(`peopleToCall.${i}${x}`)));
  return s;
}

/** People (or crisis lines) with a name and a phone number; `extra` adds fields to each (the kind of contact). */
function PeopleList<P extends PersonDraft>({
  name,
  legend,
  hint,
  itemLabel,
  addLabel,
  values,
  onChange,
  onAdd,
  errorFor,
  focus,
  before,
  extra,
  addMore,
}: {
  name: string;
  legend: ReactNode;
  hint?: ReactNode;
  itemLabel: (n: number) => string;
  addLabel: string;
  values: P[];
  onChange: (next: P[]) => void;
  onAdd: () => void;
  errorFor: (field: string) => string | undefined;
  focus: (id: string) => void;
  before?: ReactNode;
  extra?: (p: P, i: number, set: (patch: Partial<P>) => void) => ReactNode;
  addMore?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <ListFrame
      name={name}
      legend={legend}
      hint={hint}
      error={errorFor(name)}
      full={values.length >= MAX_CONTACTS}
      max={MAX_CONTACTS}
      addLabel={addLabel}
      onAdd={() => {
        onAdd();
        focus(fieldId(`${name}.${values.length}.name`));
      }}
    >
      {before}
      {values.map((p, i) => {
        const set = (patch: Partial<P>) => onChange(values.map((x, j) => (j === i ? { ...x, ...patch } : x)));
        const own = errorFor(`${name}.${i}`);
        return (
          <fieldset key={i} className="fieldset coping-person" id={fieldId(`${name}.${i}`)} tabIndex={-1}>
            <legend className="fieldset-legend fieldset-legend--s">{itemLabel(i + 1)}</legend>
            {own ? <p className="error-message">{own}</p> : null}
            {extra?.(p, i, set)}
            <TextField name={`${name}.${i}.name`} label={t('copingPlans.form.name')} value={p.name} error={errorFor(`${name}.${i}.name`)} onChange={(x) => set({ name: x } as Partial<P>)} autoComplete="off" />
            <TextField name={`${name}.${i}.phone`} label={t('copingPlans.form.phone')} type="tel" inputMode="tel" width="medium" value={p.phone} error={errorFor(`${name}.${i}.phone`)} onChange={(x) => set({ phone: x } as Partial<P>)} autoComplete="off" />
            <RemoveButton
              what={itemLabel(i + 1)}
              onClick={() => {
                onChange(values.filter((_, j) => j !== i));
                focus(addButtonId(name));
              }}
            />
          </fieldset>
        );
      })}
      {values.length < MAX_CONTACTS ? addMore : null}
    </ListFrame>
  );
}

// ---- the safety plan

function SafetyForm({ participantId, plan }: { participantId: string; plan: SafetyPlanT }) {
  const { t } = useTranslation();
  const saved = useSaved(participantId, 'safety');
  const focus = useFocusAfterRender();
  const [version, setVersion] = useState(plan.version);
  /** How many saves met a newer version: each shows the banner afresh (it takes focus). */
  const [conflicts, setConflicts] = useState(0);
  /** The usual steps as the server gave them (known when the plan used them when loaded). */
  const [usualSteps, setUsualSteps] = useState<string[] | null>(plan.overdoseStepsAreDefault ? plan.overdoseSteps : null);
  const submitted = useRef<SafetyValues | null>(null);
  const [draft, setDraft] = useState<SafetyValues | null>(null);
  const form: Form<SafetyValues> = useForm<SafetyValues>({
    initial: safetyValues(plan),
    fieldFor: (path): string | undefined => nearestField(safetyFields(form.values))(path),
    validate: (v) => {
      const e: FormError[] = [];
      checkPeople(t, 'crisisContacts', v.crisisContacts, e);
      if (!(NALOXONE_ANSWERS as readonly string[]).includes(v.naloxoneOnHand)) e.push({ field: 'naloxoneOnHand', message: t('copingPlans.form.errors.naloxone') });
      checkTexts(t, 'naloxoneKnownBy', v.naloxoneKnownBy, 120, e);
      if (v.stepsChoice === 'own') {
        if (v.overdoseSteps.length === 0) e.push({ field: 'overdoseSteps', message: t('copingPlans.form.errors.steps') });
        checkTexts(t, 'overdoseSteps', v.overdoseSteps, 500, e);
      }
      return e;
    },
    onSubmit: async (v) => {
      submitted.current = v;
      await putSafetyPlan(participantId, {
        crisisContacts: v.crisisContacts.map((c) => ({ kind: c.kind, name: c.name, phone: c.phone })),
        naloxoneOnHand: v.naloxoneOnHand as SafetyPlanT['naloxoneOnHand'],
        naloxoneKnownBy: v.naloxoneKnownBy,
        overdoseSteps: v.stepsChoice === 'usual' ? null : v.overdoseSteps,
        version,
      });
      await saved();
    },
    onConflict: (c) => {
      const current = c.current as SafetyPlanT;
      setDraft(submitted.current);
      form.setValues(safetyValues(current));
      if (current.overdoseStepsAreDefault) setUsualSteps(current.overdoseSteps);
      setVersion(c.version);
      setConflicts((n) => n + 1);
    },
  });
  const onSubmit = useCleanSubmit(form, cleanSafety);
  const v = form.values;
  const addContact = (kind: ContactDraft['kind']) => {
    form.set('crisisContacts', [...v.crisisContacts, { kind, name: '', phone: '' }]);
    focus(fieldId(`crisisContacts.${v.crisisContacts.length}.name`));
  };
  return (
    <Frame kind="safety" participantId={participantId} hasErrors={form.errors.length > 0}>
      {conflicts > 0 ? (
        <ConflictBanner
          key={conflicts}
          draft={draft}
          render={(d) => <SafetyPlanContentView plan={{ ...d, naloxoneOnHand: d.naloxoneOnHand as SafetyPlanT['naloxoneOnHand'], overdoseSteps: d.stepsChoice === 'own' ? d.overdoseSteps : null }} level={3} />}
        />
      ) : null}
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <p>{t('copingPlans.form.intro.safety')}</p>
      <form className="form coping-form" noValidate onSubmit={onSubmit}>
        <PeopleList<ContactDraft>
          name="crisisContacts"
          legend={t('copingPlans.lists.crisisContacts')}
          itemLabel={(n) => t('copingPlans.form.contact', { n })}
          addLabel={t('copingPlans.form.addCrisisLine')}
          values={v.crisisContacts}
          onChange={(x) => form.set('crisisContacts', x)}
          onAdd={() => form.set('crisisContacts', [...v.crisisContacts, { kind: 'crisis_line', name: '', phone: '' }])}
          errorFor={form.errorFor}
          focus={focus}
          before={
            <div className="coping-lifeline coping-person">
              <p>
                <LifelineLine />
              </p>
              <p className="hint">{t('copingPlans.form.lifelineFixed')}</p>
            </div>
          }
          extra={(c, i, set) => (
            <RadioGroup
              name={`crisisContacts.${i}.kind`}
              legend={t('copingPlans.form.contactKind')}
              value={c.kind}
              error={form.errorFor(`crisisContacts.${i}.kind`)}
              onChange={(x) => set({ kind: x === 'personal' ? 'personal' : 'crisis_line' })}
              options={CONTACT_KINDS.map((k) => ({ value: k, label: t(`copingPlans.contactKinds.${k}`) }))}
            />
          )}
          addMore={
            <button type="button" className="button button--secondary coping-add" onClick={() => addContact('personal')}>
              {t('copingPlans.form.addCrisisPerson')}
            </button>
          }
        />
        <RadioGroup
          name="naloxoneOnHand"
          legend={t('copingPlans.form.naloxoneQuestion')}
          legendSize="m"
          value={v.naloxoneOnHand}
          error={form.errorFor('naloxoneOnHand')}
          onChange={(x) => form.set('naloxoneOnHand', x)}
          options={NALOXONE_ANSWERS.map((a) => ({ value: a, label: t(`copingPlans.naloxone.${a}`) }))}
        />
        <TextList
          name="naloxoneKnownBy"
          legend={t('copingPlans.form.knownByLegend')}
          hint={t('copingPlans.form.knownByHint')}
          itemLabel={(n) => t('copingPlans.form.item.naloxoneKnownBy', { n })}
          addLabel={t('copingPlans.form.add.naloxoneKnownBy')}
          values={v.naloxoneKnownBy}
          onChange={(x) => form.set('naloxoneKnownBy', x)}
          errorFor={form.errorFor}
          max={MAX_CONTACTS}
          focus={focus}
        />
        <RadioGroup
          name="stepsChoice"
          legend={t('copingPlans.lists.overdoseSteps')}
          legendSize="m"
          value={v.stepsChoice}
          onChange={(x) => {
            const own = x === 'own';
            // Writing their own steps starts from the usual ones when the list is empty.
            if (own && v.overdoseSteps.length === 0 && usualSteps) form.setValues({ ...v, stepsChoice: 'own', overdoseSteps: [...usualSteps] });
            else form.set('stepsChoice', own ? 'own' : 'usual');
          }}
          options={[
            { value: 'usual', label: t('copingPlans.form.stepsUsual'), hint: t('copingPlans.form.stepsUsualHint') },
            { value: 'own', label: t('copingPlans.form.stepsOwn'), hint: t('copingPlans.form.stepsOwnHint') },
          ]}
        />
        {v.stepsChoice === 'usual' ? (
          usualSteps ? (
            <ol className="coping-read-list coping-steps" aria-label={t('copingPlans.form.stepsUsual')} lang="en">
              {usualSteps.map((s, i) => (
                <li key={i}>{s}</li>
              ))}
            </ol>
          ) : (
            <p className="hint">{t('copingPlans.form.stepsUsualLater')}</p>
          )
        ) : (
          <TextList
            name="overdoseSteps"
            legend={t('copingPlans.form.stepsOwn')}
            itemLabel={(n) => t('copingPlans.form.item.overdoseSteps', { n })}
            addLabel={t('copingPlans.form.add.overdoseSteps')}
            values={v.overdoseSteps}
            onChange={(x) => form.set('overdoseSteps', x)}
            errorFor={form.errorFor}
            max={MAX_ITEMS}
            focus={focus}
          />
        )}
        <Button type="submit" busy={form.busy}>
          {t('copingPlans.form.save')}
        </Button>
      </form>
    </Frame>
  );
}

function safetyFields(v: SafetyValues): Set<string> {
  const s = new Set<string>(['crisisContacts', 'naloxoneOnHand', 'naloxoneKnownBy', v.stepsChoice === 'own' ? 'overdoseSteps' : 'stepsChoice']);
  v.crisisContacts.forEach((_, i) => ['', '.name', '.phone', '.kind'].forEach((x) => s.add(`crisisContacts.${i}${x}`)));
  v.naloxoneKnownBy.forEach((_, i) => s.add(`naloxoneKnownBy.${i}`));
  if (v.stepsChoice === 'own') v.overdoseSteps.forEach((_, i) => s.add(`overdoseSteps.${i}`));
  return s;
}

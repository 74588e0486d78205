/**
 * The full intake: everything after the bedside, in short sections with headings, all optional.
 * Saves with the version it was loaded at; if someone else saved first (409 record.conflict),
 * the conflict notice shows their values next to these, to review and reapply.
 */
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, type ReactNode } from 'react';
import type { TFunction } from 'i18next';
import type {
  CONTACT_METHODS,
  EMPLOYMENT,
  ETHNICITIES,
  FACT_SOURCES,
  HOUSING_STATUSES,
  INSURANCE_TYPES,
  MOUD_TYPES,
  RACES,
  ROUTES_OF_USE,
  SEX_AT_BIRTH,
  SUBSTANCES,
} from '../../../contracts/participants';
import { isApiError } from '../../app/api';
import { LoadFailed, Loading, Page } from '../../app/components';
import { Button, ButtonGroup } from '../../app/forms/Button';
import { ConflictNotice } from '../../app/forms/ConflictNotice';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { CheckboxGroup, RadioGroup, SelectField, SingleCheckbox, TextArea, TextField } from '../../app/forms/fields';
import { useConflict } from '../../app/forms/useConflict';
import { useForm, type FormError } from '../../app/forms/useForm';
import { getParticipant, keys, updateParticipant, type ParticipantT, type UpdateParticipantT } from './participants.api';
import type { NoticeState } from './Notice';

type El<T extends readonly string[]> = T[number];
const CONTACT: readonly El<typeof CONTACT_METHODS>[] = ['phone', 'text', 'email', 'in_person', 'none'];
const HOUSING: readonly El<typeof HOUSING_STATUSES>[] = ['stable', 'unstably_housed', 'homeless_sheltered', 'homeless_unsheltered', 'institution', 'unknown'];
const INSURANCE: readonly El<typeof INSURANCE_TYPES>[] = ['medicaid', 'medicare', 'private', 'uninsured', 'pending_application', 'other', 'unknown'];
const MOUD: readonly El<typeof MOUD_TYPES>[] = ['none', 'buprenorphine', 'methadone', 'naltrexone', 'unknown'];
const SOURCES: readonly El<typeof FACT_SOURCES>[] = ['participant_reported', 'staff_observed', 'clinician_verified'];
const SUBSTANCE: readonly El<typeof SUBSTANCES>[] = ['opioids_heroin', 'opioids_fentanyl', 'opioids_prescription', 'stimulants_methamphetamine', 'stimulants_cocaine', 'alcohol', 'cannabis', 'benzodiazepines', 'other', 'unknown'];
const ROUTE: readonly El<typeof ROUTES_OF_USE>[] = ['injection', 'smoking', 'inhalation', 'oral', 'other', 'unknown'];
const WORK: readonly El<typeof EMPLOYMENT>[] = ['full_time', 'part_time', 'unemployed_looking', 'unemployed_not_looking', 'student', 'retired', 'disabled', 'other', 'unknown'];
const RACE: readonly El<typeof RACES>[] = ['american_indian_or_alaska_native', 'asian', 'black_or_african_american', 'native_hawaiian_or_pacific_islander', 'white', 'prefer_not_to_say'];
const ETHNICITY: readonly El<typeof ETHNICITIES>[] = ['hispanic_or_latino', 'not_hispanic_or_latino', 'prefer_not_to_say'];
const SEX: readonly El<typeof SEX_AT_BIRTH>[] = ['female', 'male', 'intersex', 'prefer_not_to_say'];

const TEXT = [
  'firstName', 'lastName', 'alias', 'preferredName', 'pronouns', 'language', 'dateOfBirth', 'phone', 'email', 'preferredContactMethod', 'safeTimes',
  'contactWindowStart', 'contactWindowEnd',
  'emergencyContactName', 'emergencyContactRelationship', 'emergencyContactPhone', 'addressLine', 'city', 'state', 'zip', 'housingStatus', 'insuranceType',
  'insuranceMemberId', 'primarySubstance', 'secondarySubstance', 'routeOfUse', 'hasOudSource', 'currentMoud', 'moudSource', 'recoveryStartDate', 'employment',
  'ethnicity', 'sexAtBirth', 'genderIdentity', 'strengthsAndHopes',
] as const;
const FLAGS = ['okVoicemail', 'okText', 'doNotContact', 'justiceInvolved', 'pregnantOrPostpartum', 'youth', 'veteran', 'coOccurringMentalHealth'] as const;
type TextKey = (typeof TEXT)[number];
type FlagKey = (typeof FLAGS)[number];

type Values = Record<TextKey, string> & Record<FlagKey, boolean> & { hasOud: '' | 'yes' | 'no'; race: string[]; markFull: boolean };

function valuesOf(p: ParticipantT): Values {
  const v = {} as Values;
  for (const k of TEXT) v[k] = (p[k]) ?? '';
  // The stored phone is digits only; show it as a person would type it.
  for (const k of ['phone', 'emergencyContactPhone'] as const) v[k] = phoneForInput(v[k]);
  for (const k of FLAGS) v[k] = p[k];
  v.hasOud = p.hasOud == null ? '' : p.hasOud ? 'yes' : 'no';
  v.race = [...p.race];
  v.markFull = true;
  return v;
}

function phoneForInput(digits: string): string {
  const m = /^1(\d{3})(\d{3})(\d{4})$/.exec(digits);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : digits;
}

/**
 * Only what this person changed is sent: after a conflict, "save my changes" puts their changes
 * over the newer record without undoing a colleague's changes to other fields.
 */
function bodyOf(v: Values, initial: Values, version: number): UpdateParticipantT {
  const body: Record<string, unknown> = { version };
  const changed = (k: keyof Values) => JSON.stringify(v[k]) !== JSON.stringify(initial[k]);
  for (const k of TEXT) if (changed(k)) body[k] = v[k].trim() ? v[k].trim() : null;
  for (const k of FLAGS) if (changed(k)) body[k] = v[k];
  if (changed('hasOud')) body.hasOud = v.hasOud === '' ? null : v.hasOud === 'yes';
  if (changed('race')) body.race = v.race;
  if (v.markFull) body.intakeLevel = 'full';
  return body as UpdateParticipantT;
}

/** The label of each field, for the conflict review. */
const LABEL = {
  firstName: 'participants.full.firstName',
  lastName: 'participants.full.lastName',
  alias: 'participants.full.alias',
  preferredName: 'participants.full.preferredName',
  pronouns: 'participants.full.pronouns',
  language: 'participants.full.language',
  dateOfBirth: 'participants.full.dateOfBirth',
  phone: 'participants.full.phone',
  email: 'participants.full.email',
  preferredContactMethod: 'participants.full.contactMethod',
  safeTimes: 'participants.full.safeTimes',
  contactWindowStart: 'participants.full.contactWindowStart',
  contactWindowEnd: 'participants.full.contactWindowEnd',
  emergencyContactName: 'participants.full.emergencyName',
  emergencyContactRelationship: 'participants.full.emergencyRelationship',
  emergencyContactPhone: 'participants.full.emergencyPhone',
  addressLine: 'participants.full.addressLine',
  city: 'participants.full.city',
  state: 'participants.full.state',
  zip: 'participants.full.zip',
  housingStatus: 'participants.full.housingStatus',
  insuranceType: 'participants.full.insuranceType',
  insuranceMemberId: 'participants.full.insuranceMemberId',
  primarySubstance: 'participants.full.primarySubstance',
  secondarySubstance: 'participants.full.secondarySubstance',
  routeOfUse: 'participants.full.routeOfUse',
  hasOud: 'participants.full.hasOud',
  hasOudSource: 'participants.full.hasOudSource',
  currentMoud: 'participants.full.currentMoud',
  moudSource: 'participants.full.moudSource',
  recoveryStartDate: 'participants.full.recoveryStartDate',
  employment: 'participants.full.employment',
  ethnicity: 'participants.full.ethnicity',
  sexAtBirth: 'participants.full.sexAtBirth',
  genderIdentity: 'participants.full.genderIdentity',
  strengthsAndHopes: 'participants.full.strengthsAndHopes',
  okVoicemail: 'participants.full.okVoicemail',
  okText: 'participants.full.okText',
  doNotContact: 'participants.full.doNotContact',
  justiceInvolved: 'participants.full.justiceInvolved',
  pregnantOrPostpartum: 'participants.full.pregnantOrPostpartum',
  youth: 'participants.full.youth',
  veteran: 'participants.full.veteran',
  coOccurringMentalHealth: 'participants.full.coOccurringMentalHealth',
  race: 'participants.full.race',
  markFull: 'participants.full.markFull',
} as const satisfies Record<keyof Values, string>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function FullIntakePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const participant = useQuery({ queryKey: keys.participant(id), queryFn: () => getParticipant(id), retry: (n, e) => !isApiError(e) && n < 2 });
  const title = t('participants.full.title');
  const back = { to: `/participants/${id}`, label: t('participants.profile.backToParticipant') };
  if (participant.isPending) return <Page title={title} back={back}><Loading /></Page>;
  if (participant.isError) {
    if (isApiError(participant.error) && participant.error.code === 'participant.out_of_scope') {
      return (
        <Page title={title} back={{ to: '/participants', label: t('participants.profile.backToParticipants') }}>
          <p className="lead">{t('participants.profile.outOfScope')}</p>
        </Page>
      );
    }
    return <Page title={title} back={back}><LoadFailed error={participant.error} retry={() => void participant.refetch()} /></Page>;
  }
  return <FullIntake key={participant.data.id} participant={participant.data} />;
}

function FullIntake({ participant }: { participant: ParticipantT }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const versioned = useConflict<Values>(participant.version, (cur) => valuesOf(cur as unknown as ParticipantT));
  const conflict = versioned.conflict;
  const to = `/participants/${participant.id}`;
  // What the form was loaded with: the changes are measured from here (and from the newer record after "keep theirs").
  const initial = useRef(valuesOf(participant));

  const form = useForm<Values>({
    initial: initial.current,
    validate: (v) => {
      const e: FormError[] = [];
      if (!v.firstName.trim() && !v.alias.trim()) e.push({ field: 'firstName', message: t('participants.full.errors.nameMissing') });
      for (const k of ['dateOfBirth', 'recoveryStartDate'] as const) {
        if (v[k].trim() && !DATE.test(v[k].trim())) e.push({ field: k, message: t('participants.full.errors.dateFormat') });
      }
      // The server checks again, against today in the organization's zone and against a birth year.
      const [dob, start] = [v.dateOfBirth.trim(), v.recoveryStartDate.trim()];
      if (DATE.test(start) && start > new Date().toISOString().slice(0, 10)) e.push({ field: 'recoveryStartDate', message: t('participants.full.errors.recoveryStartFuture') });
      else if (DATE.test(start) && DATE.test(dob) && start < dob) e.push({ field: 'recoveryStartDate', message: t('participants.full.errors.recoveryStartBeforeBirth') });
      for (const k of ['phone', 'emergencyContactPhone'] as const) {
        const digits = v[k].replace(/\D/g, '');
        if (v[k].trim() && (digits.length < 10 || digits.length > 15)) e.push({ field: k, message: t('participants.full.errors.phoneFormat') });
      }
      if (v.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.email.trim())) e.push({ field: 'email', message: t('participants.full.errors.emailFormat') });
      if (v.zip.trim() && !/^\d{5}(-\d{4})?$/.test(v.zip.trim())) e.push({ field: 'zip', message: t('participants.full.errors.zipFormat') });
      return e;
    },
    onConflict: versioned.onConflict,
    onSubmit: async (v) => {
      const saved = await updateParticipant(participant.id, bodyOf(v, initial.current, versioned.version.current));
      queryClient.setQueryData(keys.participant(participant.id), saved);
      await queryClient.invalidateQueries({ queryKey: keys.caseload });
      const state: NoticeState = { notice: t('participants.profile.saved') };
      void navigate(to, { state });
    },
  });

  const f = form.values;
  const text = (name: TextKey, label: string, extra: { hint?: string; optional?: boolean; width?: 'code' | 'short' | 'medium' | 'full'; type?: string; inputMode?: 'numeric' | 'text' | 'tel' | 'email' } = {}) => (
    <TextField
      name={name}
      label={label}
      autoComplete="off"
      spellCheck={false}
      {...extra}
      value={f[name]}
      error={form.errorFor(name)}
      onChange={(v) => form.set(name, v)}
    />
  );
  const select = (name: TextKey, label: string, options: { value: string; label: string }[]) => (
    <SelectField name={name} label={label} options={[{ value: '', label: t('participants.full.notSaid') }, ...options]} value={f[name]} error={form.errorFor(name)} onChange={(v) => form.set(name, v)} />
  );
  const flag = (name: FlagKey | 'markFull', label: string, hint?: string) => (
    <SingleCheckbox name={name} label={label} hint={hint} value={f[name]} error={form.errorFor(name)} onChange={(v) => form.set(name, v)} />
  );
  const sourceOptions = SOURCES.map((s) => ({ value: s, label: t(`participants.sources.${s}`) }));

  // What this person changed that differs from the record as it is now.
  const conflictRows = conflict
    ? (Object.keys(f) as (keyof Values)[])
        .filter((k) => k !== 'markFull' && JSON.stringify(f[k]) !== JSON.stringify(initial.current[k]) && JSON.stringify(conflict.current[k]) !== JSON.stringify(f[k]))
        .map((k) => ({ label: t(LABEL[k]), current: show(conflict.current[k], t), mine: show(f[k], t) }))
    : [];

  return (
    <Page
      title={t('participants.full.title')}
      caption={t('participants.participant')}
      hasErrors={form.errors.length > 0}
      back={{ to, label: t('participants.profile.backToParticipant') }}
    >
      <p>{t('participants.full.intro')}</p>
      {conflict ? <ConflictNotice busy={form.busy} rows={conflictRows} onReapply={() => versioned.reapply(form)} onDiscard={() => {
            initial.current = conflict.current;
            versioned.discard(form);
          }} /> : null}
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <Section title={t('participants.full.sections.name')}>
          {text('firstName', t('participants.full.firstName'))}
          {text('lastName', t('participants.full.lastName'))}
          {text('alias', t('participants.full.alias'))}
          {text('preferredName', t('participants.full.preferredName'))}
          {text('pronouns', t('participants.full.pronouns'), { width: 'medium' })}
          {text('language', t('participants.full.language'), { width: 'medium' })}
          {text('dateOfBirth', t('participants.full.dateOfBirth'), { hint: t('participants.full.dateOfBirthHint'), width: 'medium', inputMode: 'numeric' })}
        </Section>
        <Section title={t('participants.full.sections.contact')}>
          {text('phone', t('participants.full.phone'), { hint: t('participants.full.phoneHint'), type: 'tel' })}
          {text('email', t('participants.full.email'), { type: 'email' })}
          {select('preferredContactMethod', t('participants.full.contactMethod'), CONTACT.map((c) => ({ value: c, label: t(`participants.contactMethods.${c}`) })))}
          {flag('okVoicemail', t('participants.full.okVoicemail'))}
          {flag('okText', t('participants.full.okText'))}
          {flag('doNotContact', t('participants.full.doNotContact'))}
          {text('contactWindowStart', t('participants.full.contactWindowStart'), { hint: t('participants.full.contactWindowHint'), width: 'short', type: 'time' })}
          {text('contactWindowEnd', t('participants.full.contactWindowEnd'), { width: 'short', type: 'time' })}
          {text('safeTimes', t('participants.full.safeTimes'), { hint: t('participants.full.safeTimesHint') })}
        </Section>
        <Section title={t('participants.full.sections.emergency')}>
          {text('emergencyContactName', t('participants.full.emergencyName'))}
          {text('emergencyContactRelationship', t('participants.full.emergencyRelationship'), { width: 'medium' })}
          {text('emergencyContactPhone', t('participants.full.emergencyPhone'), { hint: t('participants.full.phoneHint'), type: 'tel' })}
        </Section>
        <Section title={t('participants.full.sections.housing')}>
          {select('housingStatus', t('participants.full.housingStatus'), HOUSING.map((h) => ({ value: h, label: t(`participants.housing.${h}`) })))}
          {text('addressLine', t('participants.full.addressLine'))}
          {text('city', t('participants.full.city'), { width: 'medium' })}
          {text('state', t('participants.full.state'), { width: 'short' })}
          {text('zip', t('participants.full.zip'), { width: 'short', inputMode: 'numeric' })}
        </Section>
        <Section title={t('participants.full.sections.insurance')}>
          {select('insuranceType', t('participants.full.insuranceType'), INSURANCE.map((i) => ({ value: i, label: t(`participants.insurance.${i}`) })))}
          {text('insuranceMemberId', t('participants.full.insuranceMemberId'), { width: 'medium' })}
        </Section>
        <Section title={t('participants.full.sections.substance')}>
          {select('primarySubstance', t('participants.full.primarySubstance'), SUBSTANCE.map((s) => ({ value: s, label: t(`participants.substances.${s}`) })))}
          {select('secondarySubstance', t('participants.full.secondarySubstance'), SUBSTANCE.map((s) => ({ value: s, label: t(`participants.substances.${s}`) })))}
          {select('routeOfUse', t('participants.full.routeOfUse'), ROUTE.map((r) => ({ value: r, label: t(`participants.routes.${r}`) })))}
          <RadioGroup
            name="hasOud"
            legend={t('participants.full.hasOud')}
            inline
            options={[
              { value: 'yes', label: t('participants.full.yes') },
              { value: 'no', label: t('participants.full.no') },
              { value: '', label: t('participants.full.notSaid') },
            ]}
            value={f.hasOud}
            error={form.errorFor('hasOud')}
            onChange={(v) => form.set('hasOud', v as Values['hasOud'])}
          />
          {select('hasOudSource', t('participants.full.hasOudSource'), sourceOptions)}
          {select('currentMoud', t('participants.full.currentMoud'), MOUD.map((m) => ({ value: m, label: t(`participants.moud.${m}`) })))}
          {select('moudSource', t('participants.full.moudSource'), sourceOptions)}
        </Section>
        <Section title={t('participants.full.sections.recovery')}>
          {text('recoveryStartDate', t('participants.full.recoveryStartDate'), { hint: t('participants.full.recoveryStartDateHint'), width: 'medium', inputMode: 'numeric' })}
        </Section>
        <Section title={t('participants.full.sections.work')}>
          {select('employment', t('participants.full.employment'), WORK.map((w) => ({ value: w, label: t(`participants.employment.${w}`) })))}
          {flag('justiceInvolved', t('participants.full.justiceInvolved'))}
        </Section>
        <Section title={t('participants.full.sections.populations')} hint={t('participants.full.populationsHint')}>
          {flag('pregnantOrPostpartum', t('participants.full.pregnantOrPostpartum'))}
          {flag('youth', t('participants.full.youth'))}
          {flag('veteran', t('participants.full.veteran'))}
          {flag('coOccurringMentalHealth', t('participants.full.coOccurringMentalHealth'))}
        </Section>
        <Section title={t('participants.full.sections.identity')}>
          <CheckboxGroup
            name="race"
            legend={t('participants.full.race')}
            hint={t('participants.full.raceHint')}
            options={RACE.map((r) => ({ value: r, label: t(`participants.races.${r}`) }))}
            value={f.race}
            error={form.errorFor('race')}
            onChange={(v) => form.set('race', v)}
          />
          {select('ethnicity', t('participants.full.ethnicity'), ETHNICITY.map((e) => ({ value: e, label: t(`participants.ethnicities.${e}`) })))}
          {select('sexAtBirth', t('participants.full.sexAtBirth'), SEX.map((s) => ({ value: s, label: t(`participants.sexes.${s}`) })))}
          {text('genderIdentity', t('participants.full.genderIdentity'), { hint: t('participants.full.genderIdentityHint') })}
        </Section>
        <Section title={t('participants.full.sections.strengths')}>
          <TextArea
            name="strengthsAndHopes"
            label={t('participants.full.strengthsAndHopes')}
            hint={t('participants.full.strengthsAndHopesHint')}
            rows={5}
            value={f.strengthsAndHopes}
            error={form.errorFor('strengthsAndHopes')}
            onChange={(v) => form.set('strengthsAndHopes', v)}
          />
        </Section>
        {participant.intakeLevel === 'brief' ? flag('markFull', t('participants.full.markFull'), t('participants.full.markFullHint')) : null}
        <ButtonGroup>
          <Button type="submit" busy={form.busy}>
            {t('participants.full.submit')}
          </Button>
          <Link to={to}>{t('common.cancel')}</Link>
        </ButtonGroup>
      </form>
    </Page>
  );
}

function show(v: unknown, t: TFunction): string {
  if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
  if (Array.isArray(v)) return v.join(', ') || t('participants.full.notSaid');
  return typeof v === 'string' && v ? v : t('participants.full.notSaid');
}

function Section({ title, hint, children }: { title: string; hint?: string; children: ReactNode }) {
  return (
    <section className="section">
      <h2 className="heading-m">{title}</h2>
      {hint ? <p className="hint">{hint}</p> : null}
      {children}
    </section>
  );
}

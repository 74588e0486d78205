/**
 * Brief intake at the bedside: one screen, under a minute. Only a first name or an alias is
 * needed. Before saving, Lodestar looks for the same person (by date of birth or phone) and asks
 * "Is this the same person?"; the create request keeps one Idempotency-Key across retries.
 */
import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { CONTACT_METHODS, INTAKE_SETTINGS } from '../../../contracts/participants';
import { newIdempotencyKey } from '../../app/api';
import { Page } from '../../app/components';
import { Button, ButtonGroup } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { RadioGroup, SelectField, TextField } from '../../app/forms/fields';
import { useForm, type FormError } from '../../app/forms/useForm';
import { checkDuplicates, createParticipant, keys, listPrograms, listSites, nameOf, type BriefIntakeT, type DuplicatesT } from './participants.api';
import type { NoticeState } from './Notice';

const CONTACT: readonly (typeof CONTACT_METHODS)[number][] = ['phone', 'text', 'email', 'in_person', 'none'];
const SETTINGS: readonly (typeof INTAKE_SETTINGS)[number][] = ['emergency_department', 'hospital', 'outpatient', 'residential', 'rco', 'community', 'jail_or_court', 'telehealth', 'other'];

type Values = {
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  age: string;
  phone: string;
  preferredContactMethod: string;
  intakeSetting: string;
  referralSource: string;
  recoveryStartDate: string;
  consent: '' | 'yes' | 'no';
  witness: string;
  programId: string;
  siteId: string;
};

const INITIAL: Values = {
  firstName: '',
  lastName: '',
  dateOfBirth: '',
  age: '',
  phone: '',
  preferredContactMethod: '',
  intakeSetting: '',
  referralSource: '',
  recoveryStartDate: '',
  consent: '',
  witness: '',
  programId: '',
  siteId: '',
};

const SERVER_FIELD: Record<string, keyof Values> = {
  firstName: 'firstName',
  alias: 'firstName',
  lastName: 'lastName',
  dateOfBirth: 'dateOfBirth',
  ageAtIntake: 'age',
  phone: 'phone',
  preferredContactMethod: 'preferredContactMethod',
  intakeSetting: 'intakeSetting',
  referralSource: 'referralSource',
  recoveryStartDate: 'recoveryStartDate',
  consentToFollowUp: 'consent',
  consentWitnessName: 'witness',
  programId: 'programId',
  siteId: 'siteId',
};

const today = () => new Date().toISOString().slice(0, 10);
const orNull = (v: string) => (v.trim() ? v.trim() : null);

function bodyOf(v: Values): BriefIntakeT {
  return {
    firstName: v.firstName.trim(),
    lastName: orNull(v.lastName),
    dateOfBirth: orNull(v.dateOfBirth),
    ageAtIntake: v.age.trim() ? Number(v.age.trim()) : null,
    phone: orNull(v.phone),
    preferredContactMethod: (orNull(v.preferredContactMethod) as BriefIntakeT['preferredContactMethod']) ?? null,
    intakeSetting: (orNull(v.intakeSetting) as BriefIntakeT['intakeSetting']) ?? null,
    referralSource: orNull(v.referralSource),
    recoveryStartDate: orNull(v.recoveryStartDate),
    consentToFollowUp: v.consent === 'yes',
    consentWitnessName: v.consent === 'yes' ? orNull(v.witness) : null,
    programId: orNull(v.programId),
    siteId: orNull(v.siteId),
  };
}

export function BriefIntakePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const idempotencyKey = useRef(newIdempotencyKey());
  const [duplicates, setDuplicates] = useState<DuplicatesT | null>(null);
  /** The values the duplicate check was answered for; saving these again skips the question. */
  const checked = useRef<string | null>(null);
  const programs = useQuery({ queryKey: keys.programs, queryFn: listPrograms });
  const sites = useQuery({ queryKey: keys.sites, queryFn: listSites });

  /** The body the key was first used for: a retry of the same intake reuses the key, a changed one gets a new key. */
  const keyedBody = useRef<string | null>(null);

  const create = async (v: Values) => {
    const body = bodyOf(v);
    const sent = JSON.stringify(body);
    if (keyedBody.current !== null && keyedBody.current !== sent) idempotencyKey.current = newIdempotencyKey();
    keyedBody.current = sent;
    const created = await createParticipant(body, idempotencyKey.current);
    await queryClient.invalidateQueries({ queryKey: keys.caseload });
    const state: NoticeState = { notice: t('participants.profile.created') };
    void navigate(`/participants/${created.id}`, { state });
  };

  const form = useForm<Values>({
    initial: INITIAL,
    validate: (v) => {
      const e: FormError[] = [];
      if (!v.firstName.trim()) e.push({ field: 'firstName', message: t('participants.brief.errors.nameMissing') });
      const dob = v.dateOfBirth.trim();
      if (dob && !/^\d{4}-\d{2}-\d{2}$/.test(dob)) e.push({ field: 'dateOfBirth', message: t('participants.brief.errors.dobFormat') });
      else if (dob && dob > today()) e.push({ field: 'dateOfBirth', message: t('participants.brief.errors.dobFuture') });
      const age = v.age.trim();
      if (age && !/^\d{1,3}$/.test(age)) e.push({ field: 'age', message: t('participants.brief.errors.ageFormat') });
      else if (age && dob) e.push({ field: 'age', message: t('participants.brief.errors.bothDobAndAge') });
      const start = v.recoveryStartDate.trim();
      if (start && !/^\d{4}-\d{2}-\d{2}$/.test(start)) e.push({ field: 'recoveryStartDate', message: t('participants.full.errors.dateFormat') });
      else if (start && start > today()) e.push({ field: 'recoveryStartDate', message: t('participants.full.errors.recoveryStartFuture') });
      else if (start && dob && /^\d{4}-\d{2}-\d{2}$/.test(dob) && start < dob) e.push({ field: 'recoveryStartDate', message: t('participants.full.errors.recoveryStartBeforeBirth') });
      const digits = v.phone.replace(/\D/g, '');
      if (v.phone.trim() && (digits.length < 10 || digits.length > 15)) e.push({ field: 'phone', message: t('participants.brief.errors.phoneFormat') });
      if (!v.consent) e.push({ field: 'consent', message: t('participants.brief.errors.consentMissing') });
      if (v.consent === 'yes' && !v.witness.trim()) e.push({ field: 'witness', message: t('participants.brief.errors.witnessMissing') });
      if (!!v.programId !== !!v.siteId) e.push({ field: v.programId ? 'siteId' : 'programId', message: t('participants.brief.errors.enrollBoth') });
      return e;
    },
    fieldFor: (path) => SERVER_FIELD[path],
    onSubmit: async (v) => {
      const who = JSON.stringify([v.firstName.trim(), v.lastName.trim(), v.dateOfBirth.trim(), v.phone.trim()]);
      if ((v.dateOfBirth.trim() || v.phone.trim()) && checked.current !== who) {
        const b = bodyOf(v);
        const found = await checkDuplicates({ firstName: b.firstName ?? null, lastName: b.lastName ?? null, dateOfBirth: b.dateOfBirth ?? null, phone: b.phone ?? null });
        checked.current = who;
        if (found.matches.length || found.outOfScopeMatches) {
          setDuplicates(found);
          return;
        }
      }
      await create(v);
    },
  });

  const programOptions = (programs.data ?? []).filter((p) => p.active);
  const siteOptions = (sites.data ?? []).filter((s) => s.active && (!form.values.programId || !s.programId || s.programId === form.values.programId));
  const choose = { value: '', label: t('participants.brief.chooseOne') };

  return (
    <Page title={t('participants.brief.title')} hasErrors={form.errors.length > 0} back={{ to: '/participants', label: t('participants.profile.backToParticipants') }}>
      <p>{t('participants.brief.intro')}</p>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      {duplicates ? (
        <DuplicatePrompt
          duplicates={duplicates}
          busy={form.busy}
          onContinue={() => {
            setDuplicates(null);
            void form.onSubmit();
          }}
        />
      ) : null}
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <TextField
          name="firstName"
          label={t('participants.brief.firstName')}
          hint={t('participants.brief.firstNameHint')}
          autoComplete="off"
          spellCheck={false}
          value={form.values.firstName}
          error={form.errorFor('firstName')}
          onChange={(v) => form.set('firstName', v)}
        />
        <TextField name="lastName" label={t('participants.brief.lastName')} optional autoComplete="off" spellCheck={false} value={form.values.lastName} error={form.errorFor('lastName')} onChange={(v) => form.set('lastName', v)} />
        <fieldset className="fieldset">
          <legend className="fieldset-legend fieldset-legend--s">{t('participants.brief.dobOrAge')}</legend>
          <div className="hint">{t('participants.brief.dobOrAgeHint')}</div>
          <TextField
            name="dateOfBirth"
            label={t('participants.brief.dateOfBirth')}
            hint={t('participants.brief.dateOfBirthHint')}
            width="medium"
            autoComplete="off"
            inputMode="numeric"
            value={form.values.dateOfBirth}
            error={form.errorFor('dateOfBirth')}
            onChange={(v) => form.set('dateOfBirth', v)}
          />
          <TextField
            name="age"
            label={t('participants.brief.age')}
            hint={t('participants.brief.ageHint')}
            width="code"
            autoComplete="off"
            inputMode="numeric"
            value={form.values.age}
            error={form.errorFor('age')}
            onChange={(v) => form.set('age', v)}
          />
        </fieldset>
        <TextField
          name="phone"
          type="tel"
          label={t('participants.brief.phone')}
          hint={t('participants.brief.phoneHint')}
          optional
          autoComplete="off"
          value={form.values.phone}
          error={form.errorFor('phone')}
          onChange={(v) => form.set('phone', v)}
        />
        <SelectField
          name="preferredContactMethod"
          label={t('participants.brief.contactMethod')}
          optional
          options={[choose, ...CONTACT.map((c) => ({ value: c, label: t(`participants.contactMethods.${c}`) }))]}
          value={form.values.preferredContactMethod}
          error={form.errorFor('preferredContactMethod')}
          onChange={(v) => form.set('preferredContactMethod', v)}
        />
        <SelectField
          name="intakeSetting"
          label={t('participants.brief.intakeSetting')}
          optional
          options={[choose, ...SETTINGS.map((s) => ({ value: s, label: t(`participants.intakeSettings.${s}`) }))]}
          value={form.values.intakeSetting}
          error={form.errorFor('intakeSetting')}
          onChange={(v) => form.set('intakeSetting', v)}
        />
        <TextField
          name="referralSource"
          label={t('participants.brief.referralSource')}
          hint={t('participants.brief.referralSourceHint')}
          optional
          autoComplete="off"
          value={form.values.referralSource}
          error={form.errorFor('referralSource')}
          onChange={(v) => form.set('referralSource', v)}
        />
        <TextField
          name="recoveryStartDate"
          label={t('participants.full.recoveryStartDate')}
          hint={t('participants.full.recoveryStartDateHint')}
          optional
          width="medium"
          autoComplete="off"
          inputMode="numeric"
          value={form.values.recoveryStartDate}
          error={form.errorFor('recoveryStartDate')}
          onChange={(v) => form.set('recoveryStartDate', v)}
        />
        {programOptions.length ? (
          <fieldset className="fieldset">
            <legend className="fieldset-legend fieldset-legend--s">{t('participants.brief.enrollHeading')}</legend>
            <div className="hint">{t('participants.brief.enrollHint')}</div>
            <SelectField
              name="programId"
              label={t('participants.brief.program')}
              options={[choose, ...programOptions.map((p) => ({ value: p.id, label: p.name }))]}
              value={form.values.programId}
              error={form.errorFor('programId')}
              onChange={(v) => form.set('programId', v)}
            />
            <SelectField
              name="siteId"
              label={t('participants.brief.site')}
              options={[choose, ...siteOptions.map((s) => ({ value: s.id, label: s.name }))]}
              value={form.values.siteId}
              error={form.errorFor('siteId')}
              onChange={(v) => form.set('siteId', v)}
            />
          </fieldset>
        ) : null}
        <RadioGroup
          name="consent"
          legend={t('participants.brief.consent')}
          hint={t('participants.brief.consentHint')}
          legendSize="m"
          options={[
            { value: 'yes', label: t('participants.brief.consentYes') },
            { value: 'no', label: t('participants.brief.consentNo') },
          ]}
          value={form.values.consent}
          error={form.errorFor('consent')}
          onChange={(v) => form.set('consent', v as Values['consent'])}
        />
        {form.values.consent === 'yes' ? (
          <TextField
            name="witness"
            label={t('participants.brief.witness')}
            hint={t('participants.brief.witnessHint')}
            autoComplete="off"
            value={form.values.witness}
            error={form.errorFor('witness')}
            onChange={(v) => form.set('witness', v)}
          />
        ) : null}
        <ButtonGroup>
          <Button type="submit" busy={form.busy}>
            {t('participants.brief.submit')}
          </Button>
          <Link to="/participants">{t('common.cancel')}</Link>
        </ButtonGroup>
      </form>
    </Page>
  );
}

function DuplicatePrompt({ duplicates, busy, onContinue }: { duplicates: DuplicatesT; busy: boolean; onContinue: () => void }) {
  const { t } = useTranslation();
  return (
    <Panel>
      <h2 className="heading-m" id="duplicates-title">
        {t('participants.brief.duplicatesTitle')}
      </h2>
      {duplicates.matches.length ? (
        <>
          <p>{t('participants.brief.duplicatesText')}</p>
          <ul className="record-list">
            {duplicates.matches.map((m) => (
              <li key={m.id} className="record">
                <h3 className="heading-s record-title">
                  <Link to={`/participants/${m.id}`}>{t('participants.brief.duplicateOpen', { name: nameOf(m) })}</Link>
                </h3>
                <p>{m.dateOfBirth ? t('participants.brief.duplicateBorn', { date: m.dateOfBirth }) : t('participants.noDateOfBirth')}</p>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {duplicates.outOfScopeMatches ? <p>{t('participants.brief.outOfScope', { count: duplicates.outOfScopeMatches })}</p> : null}
      <Button variant="secondary" busy={busy} onClick={onContinue}>
        {t('participants.brief.createAnyway')}
      </Button>
    </Panel>
  );
}

/** The question takes focus, so a screen reader announces it. */
function Panel({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const focused = useRef(false);
  return (
    <div
      className="conflict"
      tabIndex={-1}
      role="alert"
      aria-labelledby="duplicates-title"
      ref={(el) => {
        ref.current = el;
        if (el && !focused.current) {
          focused.current = true;
          el.focus();
        }
      }}
    >
      {children}
    </div>
  );
}

/**
 * Encounter pages under /participants/:id/encounters: the phone form (reached yes/no, type
 * preselected, Save: three taps plus the note; the rest under "More details") and one encounter
 * with its addenda. No names in URLs or titles.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Route, Routes, useNavigate, useParams } from 'react-router';
import { ATTEMPT_OUTCOMES, ENCOUNTER_MODES, ENCOUNTER_SERVICES, ENCOUNTER_SETTINGS, ENCOUNTER_TYPES } from '../../../contracts/encounters';
import { checkNoteLanguage } from '../../../contracts/note-language';
import { newIdempotencyKey } from '../../app/api';
import { Banner, LoadFailed, Loading, Page, SummaryList, useFormatDateTime } from '../../app/components';
import { Button } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { CheckboxGroup, RadioGroup, SelectField, SingleCheckbox, TextArea, TextField } from '../../app/forms/fields';
import { useForm } from '../../app/forms/useForm';
import { NotFoundPage } from '../errors/NotFoundPage';
import { addAddendum, encounterKeys, getDefaults, getEncounter, logEncounter, updateEncounter, type EncounterT } from './encounters.api';

/** A datetime-local value (local wall time) for an instant. */
/** A Date as the value of a datetime-local input (the browser's local time). */
export const localInput = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

export function NoteAid({ note, lang }: { note: string; lang: 'en' | 'es' }) {
  const { t } = useTranslation();
  const flags = useMemo(() => (note ? checkNoteLanguage(note, lang) : []), [note, lang]);
  return (
    <div aria-live="polite">
      {flags.length ? (
        <Banner title={t('encounters.form.noteAid')}>
          <ul className="list">
            {flags.map((f) => (
              <li key={`${f.start}-${f.end}`}>{t('encounters.form.noteAidItem', { found: f.found, suggestions: f.suggestions.join(' / ') })}</li>
            ))}
          </ul>
        </Banner>
      ) : null}
    </div>
  );
}

function NewEncounterPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const defaults = useQuery({ queryKey: encounterKeys.defaults(id), queryFn: () => getDefaults(id) });
  const [key] = useState(newIdempotencyKey);
  const now = new Date();
  const form = useForm({
    initial: {
      reached: '',
      type: '',
      mode: '',
      setting: '',
      attemptOutcome: '',
      startedAt: localInput(new Date(now.getTime() - 15 * 60_000)),
      endedAt: localInput(now),
      services: [] as string[],
      participantWords: '',
      note: '',
      flagForReview: false,
    },
    validate: (v) => (v.reached ? [] : [{ field: 'reached', message: t('encounters.form.reachedLegend') }]),
    onSubmit: async (v) => {
      const d = defaults.data;
      const reached = v.reached === 'yes';
      const type = v.type || (reached ? d?.type : 'outreach_attempt') || 'check_in';
      await logEncounter(
        id,
        {
          type: (reached && type === 'outreach_attempt' ? 'check_in' : type) as (typeof ENCOUNTER_TYPES)[number],
          mode: (v.mode || d?.mode || 'phone') as (typeof ENCOUNTER_MODES)[number],
          setting: (v.setting || d?.setting || 'telehealth') as (typeof ENCOUNTER_SETTINGS)[number],
          startedAt: new Date(v.startedAt).toISOString(),
          endedAt: v.endedAt ? new Date(v.endedAt).toISOString() : null,
          reached,
          attemptOutcome: reached ? null : ((v.attemptOutcome || null) as (typeof ATTEMPT_OUTCOMES)[number] | null),
          services: v.services as (typeof ENCOUNTER_SERVICES)[number][],
          participantWords: v.participantWords.trim() || null,
          note: v.note.trim() || null,
          flagForReview: v.flagForReview,
          sign: true,
        },
        key,
      );
      await qc.invalidateQueries({ queryKey: ['participants', id] });
      await qc.invalidateQueries({ queryKey: ['outreach'] });
      // Back to the person, with the contact on their timeline: the next contact is one tap away.
      void navigate(`/participants/${id}`, { state: { notice: t('encounters.form.saved') } });
    },
  });
  if (defaults.isPending) return <Loading />;
  if (defaults.isError) return <LoadFailed error={defaults.error} retry={() => void defaults.refetch()} />;
  const v = form.values;
  const typeValue = v.type || (v.reached === 'no' ? 'outreach_attempt' : defaults.data.type);
  const word = t as unknown as (key: string) => string;
  const opts = <T extends string>(list: readonly T[], ns: string) => list.map((x) => ({ value: x, label: word(`encounters.${ns}.${x}`) }));
  return (
    <Page title={t('encounters.form.title')} hasErrors={form.errors.length > 0} back={{ to: `/participants/${id}`, label: t('app.back', { defaultValue: 'Back' }) }}>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form onSubmit={(e) => void form.onSubmit(e)} noValidate>
        <RadioGroup
          name="reached"
          legend={t('encounters.form.reachedLegend')}
          legendSize="m"
          inline
          error={form.errorFor('reached')}
          value={v.reached}
          onChange={(x) => form.set('reached', x)}
          options={[
            { value: 'yes', label: t('encounters.form.reachedYes') },
            { value: 'no', label: t('encounters.form.reachedNo') },
          ]}
        />
        {v.reached === 'no' ? (
          <RadioGroup name="attemptOutcome" legend={t('encounters.form.outcome')} error={form.errorFor('attemptOutcome')} value={v.attemptOutcome} onChange={(x) => form.set('attemptOutcome', x)} options={opts(ATTEMPT_OUTCOMES, 'outcomes')} />
        ) : null}
        <SelectField name="type" label={t('encounters.form.type')} error={form.errorFor('type')} value={typeValue} onChange={(x) => form.set('type', x)} options={opts(ENCOUNTER_TYPES, 'types')} />
        <TextArea name="note" label={t('encounters.form.note')} hint={t('encounters.form.noteHint')} optional error={form.errorFor('note')} value={v.note} onChange={(x) => form.set('note', x)} rows={3} />
        <NoteAid note={v.note} lang={i18n.language.startsWith('es') ? 'es' : 'en'} />
        <details className="details">
          <summary className="details-summary">{t('encounters.form.more')}</summary>
          <div className="details-text">
            <SelectField name="mode" label={t('encounters.form.mode')} error={form.errorFor('mode')} value={v.mode || defaults.data.mode} onChange={(x) => form.set('mode', x)} options={opts(ENCOUNTER_MODES, 'modes')} />
            <SelectField name="setting" label={t('encounters.form.setting')} error={form.errorFor('setting')} value={v.setting || defaults.data.setting} onChange={(x) => form.set('setting', x)} options={opts(ENCOUNTER_SETTINGS, 'settings')} />
            <TextField name="startedAt" type="datetime-local" label={t('encounters.form.startedAt')} error={form.errorFor('startedAt')} value={v.startedAt} onChange={(x) => form.set('startedAt', x)} />
            <TextField name="endedAt" type="datetime-local" label={t('encounters.form.endedAt')} optional error={form.errorFor('endedAt')} value={v.endedAt} onChange={(x) => form.set('endedAt', x)} />
            <CheckboxGroup name="services" legend={t('encounters.form.services')} error={form.errorFor('services')} value={v.services} onChange={(x) => form.set('services', x)} options={opts(ENCOUNTER_SERVICES, 'services')} />
            <TextArea name="participantWords" label={t('encounters.form.words')} optional error={form.errorFor('participantWords')} value={v.participantWords} onChange={(x) => form.set('participantWords', x)} rows={2} />
          </div>
        </details>
        <SingleCheckbox name="flagForReview" label={t('encounters.form.flag')} value={v.flagForReview} onChange={(x) => form.set('flagForReview', x)} />
        <Button type="submit" busy={form.busy}>
          {t('encounters.form.save')}
        </Button>
      </form>
    </Page>
  );
}

export function EncounterDetails({ e }: { e: EncounterT }) {
  const { t } = useTranslation();
  const fmt = useFormatDateTime();
  if (e.deleted) return <Banner kind="warning">{t('encounters.view.deleted', { name: e.deleted.byName ?? '', date: fmt(e.deleted.at) })}</Banner>;
  return (
    <>
      <SummaryList
        rows={[
          { key: t('encounters.form.type'), value: t(`encounters.types.${e.type}`) },
          { key: t('encounters.form.mode'), value: t(`encounters.modes.${e.mode}`) },
          { key: t('encounters.form.setting'), value: t(`encounters.settings.${e.setting}`) },
          { key: t('encounters.form.startedAt'), value: `${fmt(e.startedAt)}${e.durationMinutes != null ? ` (${t('encounters.view.duration', { minutes: e.durationMinutes })})` : ''}` },
          { key: t('encounters.form.reachedLegend'), value: e.reached ? t('encounters.view.reached') : `${t('encounters.view.notReached')}${e.attemptOutcome ? `: ${t(`encounters.outcomes.${e.attemptOutcome}`)}` : ''}` },
          { key: t('encounters.form.services'), value: e.services.map((s) => t(`encounters.services.${s}`)).join(', ') || '—' },
          { key: t('encounters.form.words'), value: e.participantWords ?? '—' },
          { key: t('encounters.form.note'), value: e.note ?? '—' },
          { key: t('encounters.view.author'), value: [e.authorName, e.authorCredential].filter(Boolean).join(', ') },
          { key: t('encounters.view.placeOfService'), value: e.placeOfService ?? '—' },
        ]}
      />
      <p>{e.status === 'signed' && e.signedAt ? t('encounters.view.signed', { date: fmt(e.signedAt) }) : t('encounters.view.draft')}</p>
      {e.reviewStatus === 'pending' ? <p>{t('encounters.view.review.pending')}</p> : null}
      {e.reviewStatus === 'cosigned' ? <p>{t('encounters.view.review.cosigned', { name: e.reviewedByName ?? '' })}</p> : null}
      {e.reviewStatus === 'returned' ? <p>{t('encounters.view.review.returned', { name: e.reviewedByName ?? '', comment: e.reviewComment ?? '' })}</p> : null}
    </>
  );
}

function EncounterPage() {
  const { t } = useTranslation();
  const { id = '', encounterId = '' } = useParams();
  const qc = useQueryClient();
  const fmt = useFormatDateTime();
  const q = useQuery({ queryKey: encounterKeys.one(encounterId), queryFn: () => getEncounter(encounterId) });
  const addendum = useForm({
    initial: { text: '' },
    onSubmit: async (v) => {
      qc.setQueryData(encounterKeys.one(encounterId), await addAddendum(encounterId, { text: v.text }));
      addendum.set('text', '');
    },
  });
  const sign = useForm({
    initial: {},
    onSubmit: async () => {
      if (q.data) qc.setQueryData(encounterKeys.one(encounterId), await updateEncounter(encounterId, { version: q.data.version, sign: true }));
    },
  });
  if (q.isPending) return <Loading />;
  if (q.isError) return <LoadFailed error={q.error} retry={() => void q.refetch()} />;
  const e = q.data;
  return (
    <Page title={t('encounters.view.title')} back={{ to: `/participants/${id}`, label: t('app.back', { defaultValue: 'Back' }) }} hasErrors={addendum.errors.length > 0}>
      <EncounterDetails e={e} />
      {!e.deleted && e.status === 'draft' ? (
        <form onSubmit={(ev) => void sign.onSubmit(ev)}>
          <ErrorSummary errors={sign.errors} attempt={sign.attempt} />
          <Button type="submit" busy={sign.busy}>
            {t('encounters.view.sign')}
          </Button>
        </form>
      ) : null}
      {!e.deleted ? (
        <section aria-labelledby="addenda">
          <h2 className="heading-m" id="addenda">
            {t('encounters.view.addenda')}
          </h2>
          {e.addenda.length ? (
            <ul className="list">
              {e.addenda.map((a) => (
                <li key={a.id}>
                  <strong>{a.authorName}</strong>, {fmt(a.createdAt)}: {a.text}
                </li>
              ))}
            </ul>
          ) : (
            <p>{t('encounters.view.noAddenda')}</p>
          )}
          {e.status === 'signed' ? (
            <form onSubmit={(ev) => void addendum.onSubmit(ev)} noValidate>
              <ErrorSummary errors={addendum.errors} attempt={addendum.attempt} />
              <TextArea name="text" label={t('encounters.view.addendum')} error={addendum.errorFor('text')} value={addendum.values.text} onChange={(x) => addendum.set('text', x)} rows={3} />
              <Button type="submit" variant="secondary" busy={addendum.busy}>
                {t('encounters.view.addendumSave')}
              </Button>
            </form>
          ) : null}
        </section>
      ) : null}
    </Page>
  );
}

export default function EncounterRoutes() {
  return (
    <Routes>
      <Route path="new" element={<NewEncounterPage />} />
      <Route path=":encounterId" element={<EncounterPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}

/** The supervisor's note review queue (/encounters/review) and group encounters (/encounters/group). */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Route, Routes } from 'react-router';
import { newIdempotencyKey } from '../../app/api';
import { Banner, LoadFailed, Loading, Page } from '../../app/components';
import { Button, ButtonGroup } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { CheckboxGroup, SelectField, TextArea, TextField } from '../../app/forms/fields';
import { ENCOUNTER_SERVICES, ENCOUNTER_SETTINGS, type EncounterMode } from '../../../contracts/encounters';
import { useForm } from '../../app/forms/useForm';
import { NotFoundPage } from '../errors/NotFoundPage';
import { nameOf, searchParticipants, termsOf, type SummaryT } from '../participants/participants.api';
import { EncounterDetails, NoteAid, localInput } from './EncounterRoutes';
import { encounterKeys, getReviewQueue, logGroup, reviewEncounter, type EncounterT } from './encounters.api';

function ReviewItem({ item }: { item: EncounterT & { participantName: string | null } }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [decision, setDecision] = useState<'cosign' | 'return'>('cosign');
  const form = useForm({
    initial: { comment: '' },
    onSubmit: async (v) => {
      await reviewEncounter(item.id, { decision, comment: v.comment.trim() || null });
      await qc.invalidateQueries({ queryKey: encounterKeys.queue });
    },
  });
  return (
    <li>
      <h2 className="heading-s">
        {item.participantName ?? t('encounters.review.someone')} · {item.reviewReason ? t(`encounters.review.reason.${item.reviewReason}`) : ''}
      </h2>
      <EncounterDetails e={item} />
      <form onSubmit={(e) => void form.onSubmit(e)} noValidate>
        <ErrorSummary errors={form.errors} attempt={form.attempt} />
        <TextArea name="comment" label={t('encounters.review.comment')} optional error={form.errorFor('comment')} value={form.values.comment} onChange={(x) => form.set('comment', x)} rows={2} />
        <ButtonGroup>
          <Button type="submit" busy={form.busy && decision === 'cosign'} onClick={() => setDecision('cosign')}>
            {t('encounters.review.cosign')}
          </Button>
          <Button type="submit" variant="secondary" busy={form.busy && decision === 'return'} onClick={() => setDecision('return')}>
            {t('encounters.review.return')}
          </Button>
        </ButtonGroup>
      </form>
    </li>
  );
}

function ReviewQueuePage() {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: encounterKeys.queue, queryFn: getReviewQueue });
  return (
    <Page title={t('encounters.review.title')}>
      {q.isPending ? <Loading /> : q.isError ? <LoadFailed error={q.error} retry={() => void q.refetch()} /> : q.data.items.length === 0 ? <p>{t('encounters.review.none')}</p> : (
        <ul className="list">
          {q.data.items.map((i) => (
            <ReviewItem key={i.id} item={i} />
          ))}
        </ul>
      )}
    </Page>
  );
}

function GroupPage() {
  const { t, i18n } = useTranslation();
  const [term, setTerm] = useState('');
  const [found, setFound] = useState<SummaryT[]>([]);
  const [present, setPresent] = useState<SummaryT[]>([]);
  const [saved, setSaved] = useState<number | null>(null);
  const [key, setKey] = useState(newIdempotencyKey);
  const now = new Date();
  const word = t as unknown as (key: string) => string;
  const opts = <T extends string>(list: readonly T[], ns: string) => list.map((x) => ({ value: x, label: word(`encounters.${ns}.${x}`) }));
  const form = useForm({
    initial: {
      note: '',
      mode: 'in_person',
      setting: 'rco_community',
      startedAt: localInput(new Date(now.getTime() - 60 * 60_000)),
      endedAt: localInput(now),
      services: [] as string[],
    },
    fieldFor: (path) => (path.startsWith('participantIds') ? 'search' : path in { note: 1, mode: 1, setting: 1, startedAt: 1, endedAt: 1, services: 1 } ? path : undefined),
    onSubmit: async (v) => {
      const res = await logGroup(
        {
          type: 'group',
          mode: v.mode as EncounterMode,
          setting: v.setting as (typeof ENCOUNTER_SETTINGS)[number],
          reached: true,
          sign: true,
          startedAt: new Date(v.startedAt).toISOString(),
          endedAt: v.endedAt ? new Date(v.endedAt).toISOString() : null,
          services: v.services as (typeof ENCOUNTER_SERVICES)[number][],
          note: v.note.trim() || null,
          participantIds: present.map((p) => p.id),
        },
        key,
      );
      setSaved(res.encounters.length);
      setPresent([]);
      setKey(newIdempotencyKey());
    },
  });
  return (
    <Page title={t('encounters.group.title')} hasErrors={form.errors.length > 0}>
      {saved !== null ? <Banner kind="success" focus>{t('encounters.group.saved', { count: saved })}</Banner> : null}
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void searchParticipants(termsOf(term)).then(setFound);
        }}
      >
        <TextField name="search" label={t('encounters.group.search')} error={form.errorFor('search')} value={term} onChange={setTerm} autoComplete="off" />
        <Button type="submit" variant="secondary">
          {t('encounters.group.searchButton')}
        </Button>
      </form>
      <ul className="list">
        {found.filter((p) => !present.some((x) => x.id === p.id)).map((p) => (
          <li key={p.id}>
            <Button variant="secondary" onClick={() => setPresent([...present, p])}>
              {t('encounters.group.add', { name: nameOf(p) })}
            </Button>
          </li>
        ))}
      </ul>
      <h2 className="heading-m">{t('encounters.group.present')}</h2>
      {present.length === 0 ? <p>{t('encounters.group.nobody')}</p> : (
        <ul className="list">
          {present.map((p) => (
            <li key={p.id}>
              {nameOf(p)}{' '}
              <Button variant="secondary" onClick={() => setPresent(present.filter((x) => x.id !== p.id))}>
                {t('encounters.group.remove', { name: nameOf(p) })}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={(e) => void form.onSubmit(e)} noValidate>
        <SelectField name="mode" label={t('encounters.form.mode')} error={form.errorFor('mode')} value={form.values.mode} onChange={(x) => form.set('mode', x)} options={opts(['in_person', 'video'] as const, 'modes')} />
        <SelectField name="setting" label={t('encounters.form.setting')} error={form.errorFor('setting')} value={form.values.setting} onChange={(x) => form.set('setting', x)} options={opts(ENCOUNTER_SETTINGS, 'settings')} />
        <TextField name="startedAt" type="datetime-local" label={t('encounters.form.startedAt')} error={form.errorFor('startedAt')} value={form.values.startedAt} onChange={(x) => form.set('startedAt', x)} />
        <TextField name="endedAt" type="datetime-local" label={t('encounters.form.endedAt')} optional error={form.errorFor('endedAt')} value={form.values.endedAt} onChange={(x) => form.set('endedAt', x)} />
        <CheckboxGroup name="services" legend={t('encounters.form.services')} error={form.errorFor('services')} value={form.values.services} onChange={(x) => form.set('services', x)} options={opts(ENCOUNTER_SERVICES, 'services')} />
        <TextArea name="note" label={t('encounters.form.note')} hint={t('encounters.form.noteHint')} optional error={form.errorFor('note')} value={form.values.note} onChange={(x) => form.set('note', x)} rows={3} />
        <NoteAid note={form.values.note} lang={i18n.language.startsWith('es') ? 'es' : 'en'} />
        <Button type="submit" busy={form.busy}>
          {t('encounters.form.save')}
        </Button>
      </form>
    </Page>
  );
}

export default function ReviewRoutes() {
  return (
    <Routes>
      <Route path="review" element={<ReviewQueuePage />} />
      <Route path="group" element={<GroupPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}

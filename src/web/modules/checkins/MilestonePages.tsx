/**
 * The milestone pages: /milestones/celebrate?participant=&kind=&anchor=&on= logs a celebration
 * (with an optional note); /milestones/new?participant= adds a custom milestone (housing found, a
 * job, family reunited, court completed, or another in their words). The server's field errors
 * land on their fields; after saving, back to the participant's page with a confirmation.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { newIdempotencyKey } from '../../app/api';
import { useAuth, useMe } from '../../app/auth';
import { Page } from '../../app/components';
import { Button } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { RadioGroup, TextArea, TextField } from '../../app/forms/fields';
import { useForm, type FormError } from '../../app/forms/useForm';
import { dateIn } from '../care/care.api';
import { ForbiddenPage } from '../errors/ForbiddenPage';
import { getParticipant, keys as participantKeys, nameOf } from '../participants/participants.api';
import type { NoticeState } from '../participants/Notice';
import { useFormatDay } from '../referrals/parts';
import { addMilestone, celebrate, checkinKeys, CUSTOM_MILESTONE_KINDS, getMilestones, PERMISSIONS } from './checkins.api';
import { milestoneWords } from './MilestonesSection';
import './checkins.css';

const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v.trim());
const KINDS = ['recovery', 'moud', 'custom'] as const;

function useParticipantFrame() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const participantId = params.get('participant') ?? '';
  const participant = useQuery({ queryKey: participantKeys.participant(participantId), queryFn: () => getParticipant(participantId), enabled: participantId !== '' });
  return {
    params,
    participantId,
    caption: participant.data ? nameOf(participant.data) : undefined,
    back: { to: `/participants/${encodeURIComponent(participantId)}`, label: t('checkins.form.back') },
  };
}

export function CelebrateMilestonePage() {
  const me = useMe();
  if (!me.permissions.includes(PERMISSIONS.write)) return <ForbiddenPage />;
  return <Celebrate />;
}

function Celebrate() {
  const { t } = useTranslation();
  const day = useFormatDay();
  const navigate = useNavigate();
  const client = useQueryClient();
  const { params, participantId, caption, back } = useParticipantFrame();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const kind = KINDS.find((k) => k === params.get('kind'));
  const anchor = params.get('anchor') ?? '';
  const on = params.get('on') ?? '';
  const form = useForm<{ note: string }>({
    initial: { note: '' },
    fieldFor: (path) => (path === 'note' ? 'note' : undefined),
    validate: (v) => (v.note.trim().length > 500 ? [{ field: 'note', message: t('checkins.milestones.form.errors.note') }] : []),
    onSubmit: async (v) => {
      if (!kind) return;
      await celebrate(participantId, { kind, anchor, on, note: v.note.trim() || null }, idempotencyKey);
      await client.invalidateQueries({ queryKey: checkinKeys.participant(participantId) });
      const state: NoticeState = { notice: t('checkins.milestones.celebrate.saved', { what: what ?? '' }) };
      await navigate(back.to, { state });
    },
  });
  const milestones = useQuery({ queryKey: checkinKeys.milestones(participantId), queryFn: () => getMilestones(participantId), enabled: participantId !== '' });
  const found = milestones.data ? [...milestones.data.upcoming, ...milestones.data.past].find((m) => m.kind === kind && m.anchor === anchor && m.on === on) : undefined;
  const what = kind ? milestoneWords(t, found ?? { kind, anchor, customKind: null, label: null }) : undefined;
  if (!participantId || !kind || !anchor || !isDate(on)) {
    return (
      <Page title={t('checkins.milestones.celebrate.title')}>
        <p>{t('checkins.form.noParticipant')}</p>
      </Page>
    );
  }
  return (
    <Page title={t('checkins.milestones.celebrate.title')} caption={caption} back={back} hasErrors={form.errors.length > 0}>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <p className="heading-s">{t('checkins.milestones.celebrate.intro', { what, date: day(on) })}</p>
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <TextArea name="note" optional label={t('checkins.milestones.celebrate.note')} value={form.values.note} error={form.errorFor('note')} onChange={(x) => form.set('note', x)} rows={3} />
        <Button type="submit" busy={form.busy}>
          {t('checkins.milestones.celebrate.save')}
        </Button>
      </form>
    </Page>
  );
}

export function AddMilestonePage() {
  const me = useMe();
  if (!me.permissions.includes(PERMISSIONS.write)) return <ForbiddenPage />;
  return <AddMilestone />;
}

function AddMilestone() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const timeZone = useAuth().me?.organization?.timeZone;
  const today = dateIn(new Date(), timeZone);
  const { participantId, caption, back } = useParticipantFrame();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const form = useForm<{ kind: string; label: string; reachedOn: string }>({
    initial: { kind: '', label: '', reachedOn: today },
    fieldFor: (path) => (['kind', 'label', 'reachedOn'].includes(path) ? path : undefined),
    validate: (v) => {
      const e: FormError[] = [];
      if (!v.kind) e.push({ field: 'kind', message: t('checkins.milestones.form.errors.kind') });
      if (v.kind === 'other' && !v.label.trim()) e.push({ field: 'label', message: t('checkins.milestones.form.errors.label') });
      if (v.label.trim().length > 120) e.push({ field: 'label', message: t('checkins.milestones.form.errors.labelLong') });
      if (!isDate(v.reachedOn)) e.push({ field: 'reachedOn', message: t('checkins.milestones.form.errors.reachedOn') });
      return e;
    },
    onSubmit: async (v) => {
      await addMilestone(participantId, { kind: v.kind as (typeof CUSTOM_MILESTONE_KINDS)[number], label: v.label.trim() || null, reachedOn: v.reachedOn.trim() }, idempotencyKey);
      await client.invalidateQueries({ queryKey: checkinKeys.participant(participantId) });
      const state: NoticeState = { notice: t('checkins.milestones.form.saved') };
      await navigate(back.to, { state });
    },
  });
  if (!participantId) {
    return (
      <Page title={t('checkins.milestones.form.title')}>
        <p>{t('checkins.form.noParticipant')}</p>
      </Page>
    );
  }
  const v = form.values;
  return (
    <Page title={t('checkins.milestones.form.title')} caption={caption} back={back} hasErrors={form.errors.length > 0}>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <div className="checkin-item">
          <RadioGroup name="kind" legend={t('checkins.milestones.form.kind')} value={v.kind} error={form.errorFor('kind')} onChange={(x) => form.set('kind', x)} options={CUSTOM_MILESTONE_KINDS.map((k) => ({ value: k, label: t(`checkins.milestones.kinds.${k}`) }))} />
        </div>
        <TextField name="label" label={t('checkins.milestones.form.label')} hint={t('checkins.milestones.form.labelHint')} value={v.label} error={form.errorFor('label')} onChange={(x) => form.set('label', x)} />
        <TextField name="reachedOn" type="date" width="medium" label={t('checkins.milestones.form.reachedOn')} hint={t('checkins.milestones.form.reachedOnHint')} value={v.reachedOn} error={form.errorFor('reachedOn')} onChange={(x) => form.set('reachedOn', x)} />
        <Button type="submit" busy={form.busy}>
          {t('checkins.milestones.form.save')}
        </Button>
      </form>
    </Page>
  );
}

/**
 * Record a check-in for a participant, at /check-ins/new?participant=<id>. Phone first, on one
 * page: mood 1–5, cravings 0–10, MOUD taken as planned (yes / no / not on MOUD), any use and any
 * overdose since the last check-in, what's going well, what they need today, and the date. The
 * server's field errors land on their fields. After saving: when the check-in raised an alert, the
 * page says so plainly (which alert, and that it is on the coach's to-do list); otherwise the
 * coach goes back to the participant's page with "Check-in saved."
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { newIdempotencyKey } from '../../app/api';
import { useAuth, useMe } from '../../app/auth';
import { Banner, Page } from '../../app/components';
import { Button } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { RadioGroup, TextArea, TextField } from '../../app/forms/fields';
import { useForm, type FormError } from '../../app/forms/useForm';
import { dateIn } from '../care/care.api';
import { ForbiddenPage } from '../errors/ForbiddenPage';
import { getParticipant, keys as participantKeys, nameOf } from '../participants/participants.api';
import type { NoticeState } from '../participants/Notice';
import { alertWords } from './CheckInsSection';
import { checkinKeys, MOUD_TAKEN, PERMISSIONS, recordCheckIn, type CreatedCheckInT } from './checkins.api';
import './checkins.css';

const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v.trim());
const FIELDS = new Set(['checkedInOn', 'mood', 'cravings', 'moudTaken', 'useSinceLast', 'overdoseSinceLast', 'goingWell', 'needsToday']);

interface Values {
  checkedInOn: string;
  mood: string;
  cravings: string;
  moudTaken: string;
  useSinceLast: string;
  overdoseSinceLast: string;
  goingWell: string;
  needsToday: string;
}

export function RecordCheckInPage() {
  const me = useMe();
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const participantId = params.get('participant') ?? '';
  if (!me.permissions.includes(PERMISSIONS.write)) return <ForbiddenPage />;
  if (!participantId) {
    return (
      <Page title={t('checkins.form.title')}>
        <p>{t('checkins.form.noParticipant')}</p>
      </Page>
    );
  }
  return <CheckInForm participantId={participantId} />;
}

function CheckInForm({ participantId }: { participantId: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const timeZone = useAuth().me?.organization?.timeZone;
  const today = dateIn(new Date(), timeZone);
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [result, setResult] = useState<CreatedCheckInT | null>(null);
  const participant = useQuery({ queryKey: participantKeys.participant(participantId), queryFn: () => getParticipant(participantId) });
  const back = { to: `/participants/${encodeURIComponent(participantId)}`, label: t('checkins.form.back') };
  const caption = participant.data ? nameOf(participant.data) : undefined;
  const form = useForm<Values>({
    initial: { checkedInOn: today, mood: '', cravings: '', moudTaken: '', useSinceLast: '', overdoseSinceLast: '', goingWell: '', needsToday: '' },
    fieldFor: (path) => (FIELDS.has(path) ? path : undefined),
    validate: (v) => {
      const e: FormError[] = [];
      if (!isDate(v.checkedInOn) || v.checkedInOn.trim() > today) e.push({ field: 'checkedInOn', message: t('checkins.form.errors.checkedInOn') });
      if (!v.mood) e.push({ field: 'mood', message: t('checkins.form.errors.mood') });
      const c = v.cravings.trim();
      if (!/^\d{1,2}$/.test(c) || Number(c) > 10) e.push({ field: 'cravings', message: t('checkins.form.errors.cravings') });
      if (!v.moudTaken) e.push({ field: 'moudTaken', message: t('checkins.form.errors.moudTaken') });
      if (!v.useSinceLast) e.push({ field: 'useSinceLast', message: t('checkins.form.errors.useSinceLast') });
      if (!v.overdoseSinceLast) e.push({ field: 'overdoseSinceLast', message: t('checkins.form.errors.overdoseSinceLast') });
      if (v.goingWell.trim().length > 500) e.push({ field: 'goingWell', message: t('checkins.form.errors.tooLong') });
      if (v.needsToday.trim().length > 500) e.push({ field: 'needsToday', message: t('checkins.form.errors.tooLong') });
      return e;
    },
    onSubmit: async (v) => {
      const created = await recordCheckIn(
        participantId,
        {
          checkedInOn: v.checkedInOn.trim(),
          mood: Number(v.mood),
          cravings: Number(v.cravings.trim()),
          moudTaken: v.moudTaken as (typeof MOUD_TAKEN)[number],
          useSinceLast: v.useSinceLast === 'yes',
          overdoseSinceLast: v.overdoseSinceLast === 'yes',
          goingWell: v.goingWell.trim() || null,
          needsToday: v.needsToday.trim() || null,
        },
        idempotencyKey,
      );
      await client.invalidateQueries({ queryKey: checkinKeys.participant(participantId) });
      await client.invalidateQueries({ queryKey: ['todos'] });
      if (created.alerts.length > 0) {
        setResult(created);
        return;
      }
      const state: NoticeState = { notice: t('checkins.form.saved') };
      await navigate(back.to, { state });
    },
  });
  const v = form.values;

  if (result) {
    return (
      <Page title={t('checkins.form.title')} caption={caption} back={back}>
        <Banner kind="warning" title={t('checkins.form.alertTitle')} focus>
          <p>{t('checkins.form.alertIntro', { alerts: alertWords(t, result) })}</p>
          <p>{t('checkins.form.alertTodo')}</p>
        </Banner>
        <p>
          <Link to={back.to}>{t('checkins.form.done')}</Link>
        </p>
      </Page>
    );
  }

  const yesNo = [
    { value: 'yes', label: t('checkins.yes') },
    { value: 'no', label: t('checkins.no') },
  ];
  return (
    <Page title={t('checkins.form.title')} caption={caption} back={back} hasErrors={form.errors.length > 0}>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <div className="checkin-item">
          <RadioGroup
            name="mood"
            legend={t('checkins.form.mood')}
            hint={t('checkins.form.moodHint')}
            value={v.mood}
            error={form.errorFor('mood')}
            onChange={(x) => form.set('mood', x)}
            options={(['1', '2', '3', '4', '5'] as const).map((n) => ({ value: n, label: t(`checkins.form.moodOptions.${n}`) }))}
          />
        </div>
        <TextField
          name="cravings"
          type="number"
          inputMode="numeric"
          min={0}
          max={10}
          width="short"
          label={t('checkins.form.cravings')}
          hint={t('checkins.form.cravingsHint')}
          value={v.cravings}
          error={form.errorFor('cravings')}
          onChange={(x) => form.set('cravings', x)}
        />
        <div className="checkin-item">
          <RadioGroup
            name="moudTaken"
            legend={t('checkins.form.moudTaken')}
            value={v.moudTaken}
            error={form.errorFor('moudTaken')}
            onChange={(x) => form.set('moudTaken', x)}
            options={MOUD_TAKEN.map((m) => ({ value: m, label: t(`checkins.moud.${m}`) }))}
          />
        </div>
        <div className="checkin-item">
          <RadioGroup name="useSinceLast" inline legend={t('checkins.form.useSinceLast')} value={v.useSinceLast} error={form.errorFor('useSinceLast')} onChange={(x) => form.set('useSinceLast', x)} options={yesNo} />
        </div>
        <div className="checkin-item">
          <RadioGroup name="overdoseSinceLast" inline legend={t('checkins.form.overdoseSinceLast')} value={v.overdoseSinceLast} error={form.errorFor('overdoseSinceLast')} onChange={(x) => form.set('overdoseSinceLast', x)} options={yesNo} />
        </div>
        <TextArea name="goingWell" optional label={t('checkins.form.goingWell')} value={v.goingWell} error={form.errorFor('goingWell')} onChange={(x) => form.set('goingWell', x)} rows={3} />
        <TextArea name="needsToday" optional label={t('checkins.form.needsToday')} value={v.needsToday} error={form.errorFor('needsToday')} onChange={(x) => form.set('needsToday', x)} rows={3} />
        <TextField name="checkedInOn" type="date" width="medium" max={today} label={t('checkins.form.checkedInOn')} hint={t('checkins.form.checkedInOnHint')} value={v.checkedInOn} error={form.errorFor('checkedInOn')} onChange={(x) => form.set('checkedInOn', x)} />
        <Button type="submit" busy={form.busy}>
          {t('checkins.form.save')}
        </Button>
      </form>
    </Page>
  );
}

/**
 * The participant's timeline on their profile: everything that happened, newest first, grouped by
 * day, a page at a time ("Show older"), with "Add life event" inline. Items are worded here from
 * their kind and small details (the server never sends notes in a timeline). Kinds this page does
 * not know yet (a later module's) show the server's short summary.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import type { LifeEventKind, LifeEventSource } from '../../../contracts/care';
import { newIdempotencyKey } from '../../app/api';
import { useAuth, useMe } from '../../app/auth';
import { Banner, LoadFailed, Loading, Tag } from '../../app/components';
import { Button, ButtonGroup } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { SelectField, TextArea, TextField } from '../../app/forms/fields';
import { useForm, type FormError } from '../../app/forms/useForm';
import { careKeys, createLifeEvent, dateIn, getTimeline, groupByDay, type TimelineItemT } from './care.api';
import { careEn } from './i18n';
import './care.css';

type KnownKind = keyof typeof careEn.timeline.kinds;
const isKnown = (k: string): k is KnownKind => k in careEn.timeline.kinds;
type EpisodeStatus = keyof typeof careEn.timeline.statuses;
const isStatus = (s: unknown): s is EpisodeStatus => typeof s === 'string' && s in careEn.timeline.statuses;
// The lists come from the words (the contract's constants would pull zod into the phone's bundle).
const LIFE_EVENT_KINDS = Object.keys(careEn.lifeEvents.kinds) as LifeEventKind[];
const LIFE_EVENT_SOURCES = Object.keys(careEn.lifeEvents.sources) as LifeEventSource[];
type Source = LifeEventSource;
const isSource = (s: unknown): s is Source => typeof s === 'string' && (LIFE_EVENT_SOURCES as readonly string[]).includes(s);

const PAGE = 20;

export function TimelineSection({ participantId }: { participantId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const timeZone = useAuth().me?.organization?.timeZone;
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const mayRead = me.permissions.includes('timeline.read');
  const timeline = useInfiniteQuery({
    queryKey: careKeys.timeline(participantId),
    queryFn: ({ pageParam }) => getTimeline(participantId, pageParam, PAGE),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: mayRead,
    // Every module adds to the timeline: read it afresh whenever the page opens.
    staleTime: 0,
  });
  if (!mayRead) return null;
  const items = timeline.data?.pages.flatMap((p) => p.items) ?? [];
  const mayAdd = me.permissions.includes('life_events.manage');
  const dayLabel = (day: string) => {
    try {
      return new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`));
    } catch {
      return day;
    }
  };
  return (
    <section aria-labelledby="timeline-heading" className="care-section">
      <h2 className="heading-m" id="timeline-heading">
        {t('care.timeline.heading')}
      </h2>
      {notice ? (
        <Banner kind="success">
          <p>{notice}</p>
        </Banner>
      ) : null}
      {mayAdd && !adding ? (
        <Button variant="secondary" onClick={() => { setNotice(null); setAdding(true); }}>
          {t('care.lifeEvents.add')}
        </Button>
      ) : null}
      {mayAdd && adding ? (
        <AddLifeEvent
          participantId={participantId}
          today={dateIn(new Date(), timeZone)}
          onClose={(saved) => {
            setAdding(false);
            if (saved) setNotice(t('care.lifeEvents.saved'));
          }}
        />
      ) : null}
      {timeline.isPending ? <Loading /> : null}
      {timeline.isError ? <LoadFailed error={timeline.error} retry={() => void timeline.refetch()} /> : null}
      {timeline.isSuccess && items.length === 0 ? <p>{t('care.timeline.empty')}</p> : null}
      {groupByDay(items, timeZone).map((g) => (
        <div key={g.day} className="timeline-day">
          <h3 className="heading-s timeline-day-heading">{dayLabel(g.day)}</h3>
          <ol className="timeline">
            {g.items.map((item) => (
              <TimelineEntry key={item.id} item={item} timeZone={timeZone} />
            ))}
          </ol>
        </div>
      ))}
      {timeline.hasNextPage ? (
        <Button variant="secondary" busy={timeline.isFetchingNextPage} busyLabel={t('care.timeline.loadingOlder')} onClick={() => void timeline.fetchNextPage()}>
          {t('care.timeline.showOlder')}
        </Button>
      ) : items.length > PAGE ? (
        <p className="hint">{t('care.timeline.noMore')}</p>
      ) : null}
    </section>
  );
}

function TimelineEntry({ item, timeZone }: { item: TimelineItemT; timeZone: string | undefined }) {
  const { t, i18n } = useTranslation();
  const d = item.details;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const family = item.kind.split('.')[0] ?? 'other';
  const label = isKnown(item.kind) ? t(`care.timeline.kinds.${item.kind}`) : item.summary;
  const facts: string[] = [];
  switch (item.kind) {
    case 'episode.started':
      facts.push(t('care.timeline.details.enrolled', { program: str(d.programName), site: str(d.siteName) }));
      break;
    case 'episode.discharged':
      facts.push(t('care.timeline.details.dischargedFrom', { program: str(d.programName) }));
      break;
    case 'episode.reassigned':
      if (d.toCoachName) facts.push(t('care.timeline.details.toCoach', { name: str(d.toCoachName) }));
      break;
    case 'episode.transferred':
      if (d.toSiteName) facts.push(t('care.timeline.details.toSite', { site: str(d.toSiteName) }));
      break;
    case 'episode.status':
      if (isStatus(d.to)) facts.push(t('care.timeline.details.statusTo', { status: t(`care.timeline.statuses.${d.to}`) }));
      break;
    case 'todo.added':
      facts.push(t('care.timeline.details.dueOn', { date: str(d.dueOn) }));
      break;
    case 'consent.signed':
    case 'consent.revoked':
      if (isConsentKind(d.consentKind)) facts.push(t(`consents.kinds.${d.consentKind}`));
      break;
    case 'disclosure.made':
      if (d.recipientName) facts.push(t('care.timeline.details.sharedWith', { name: str(d.recipientName) }));
      break;
    default:
      if (family === 'life_event' && isSource(d.source)) facts.push(t(`care.lifeEvents.sources.${d.source}`));
  }
  if (typeof d.by === 'string' && d.by) facts.push(t('care.timeline.by', { name: d.by }));
  const time = item.dateOnly
    ? t('care.timeline.allDay')
    : new Intl.DateTimeFormat(i18n.language, { timeStyle: 'short', timeZone }).format(new Date(item.at));
  const strong = item.kind === 'life_event.overdose' || item.kind === 'life_event.return_to_use';
  return (
    <li className={`timeline-item timeline-item--${family}`}>
      <span className="timeline-time">{time}</span>
      <span className="timeline-what">{strong ? <Tag tone="red">{label}</Tag> : <strong>{label}</strong>}</span>
      {facts.length ? <span className="timeline-facts">{facts.join(' · ')}</span> : null}
    </li>
  );
}

function AddLifeEvent({ participantId, today, onClose }: { participantId: string; today: string; onClose: (saved: boolean) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [key] = useState(newIdempotencyKey);
  const form = useForm({
    initial: { kind: '', occurredOn: today, source: '', note: '' },
    validate: (v) => {
      const e: FormError[] = [];
      if (!v.kind) e.push({ field: 'kind', message: t('care.lifeEvents.errors.kindMissing') });
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v.occurredOn.trim())) e.push({ field: 'occurredOn', message: t('care.lifeEvents.errors.dateMissing') });
      if (!v.source) e.push({ field: 'source', message: t('care.lifeEvents.errors.sourceMissing') });
      return e;
    },
    onSubmit: async (v) => {
      await createLifeEvent(
        participantId,
        {
          kind: v.kind as LifeEventKind,
          occurredOn: v.occurredOn.trim(),
          source: v.source as Source,
          ...(v.note.trim() ? { note: v.note.trim() } : {}),
        },
        key,
      );
      await queryClient.invalidateQueries({ queryKey: careKeys.all(participantId) });
      onClose(true);
    },
  });
  const choose = { value: '', label: t('care.lifeEvents.chooseOne') };
  return (
    <div className="section care-form" role="group" aria-labelledby="add-life-event-heading">
      <h3 className="heading-s" id="add-life-event-heading">
        {t('care.lifeEvents.addHeading')}
      </h3>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <SelectField
          name="kind"
          label={t('care.lifeEvents.kind')}
          options={[choose, ...LIFE_EVENT_KINDS.map((k) => ({ value: k, label: t(`care.lifeEvents.kinds.${k}`) }))]}
          value={form.values.kind}
          error={form.errorFor('kind')}
          onChange={(v) => form.set('kind', v)}
        />
        <TextField
          name="occurredOn"
          type="date"
          width="medium"
          label={t('care.lifeEvents.date')}
          hint={t('care.lifeEvents.dateHint')}
          max={today}
          value={form.values.occurredOn}
          error={form.errorFor('occurredOn')}
          onChange={(v) => form.set('occurredOn', v)}
        />
        <SelectField
          name="source"
          label={t('care.lifeEvents.source')}
          options={[choose, ...LIFE_EVENT_SOURCES.map((s) => ({ value: s, label: t(`care.lifeEvents.sources.${s}`) }))]}
          value={form.values.source}
          error={form.errorFor('source')}
          onChange={(v) => form.set('source', v)}
        />
        <TextArea name="note" optional rows={2} label={t('care.lifeEvents.note')} hint={t('care.lifeEvents.noteHint')} value={form.values.note} error={form.errorFor('note')} onChange={(v) => form.set('note', v)} />
        <ButtonGroup>
          <Button type="submit" busy={form.busy}>
            {t('care.lifeEvents.save')}
          </Button>
          <Button variant="secondary" onClick={() => onClose(false)}>
            {t('common.cancel')}
          </Button>
        </ButtonGroup>
      </form>
    </div>
  );
}

const isConsentKind = (v: unknown): v is 'participation' | 'disclosure_tpo' | 'disclosure_specific' =>
  v === 'participation' || v === 'disclosure_tpo' || v === 'disclosure_specific';

/**
 * The ED bedside visit on a phone: one screen of sections with big, simple controls. Each
 * section saves itself (a choice at once, a typed answer when the coach leaves the field), one
 * save at a time with the visit's version; a save that meets someone else's change shows the
 * conflict. "Complete visit" writes the bedside contact and shows the follow-up plan it made.
 * No names in the URL or the page title.
 */
import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { MOUD_STARTED } from '../../../contracts/ed';
import { CONTACT_METHODS } from '../../../contracts/participants';
import { conflictOf, isApiError, newIdempotencyKey } from '../../app/api';
import { Banner, LoadFailed, Loading, Page, SummaryList, Tag, useFormatDateTime } from '../../app/components';
import { Button, ButtonGroup } from '../../app/forms/Button';
import { ConflictNotice } from '../../app/forms/ConflictNotice';
import { describeError } from '../../app/forms/errors';
import { RadioGroup, SelectField, TextField } from '../../app/forms/fields';
import { completeEdVisit, edKeys, fromLocalInput, getEdVisit, toLocalInput, updateEdVisit, type EdVisitPatch, type EdVisitT } from './ed.api';
import { edEn } from './i18n';
import './ed.css';

type Section = 'times' | 'overdose' | 'naloxone' | 'moud' | 'referral' | 'consent' | 'contact' | 'discharge';
type TimeField = 'edArrivedAt' | 'peerRequestedAt' | 'peerArrivedAt' | 'dischargedAt';
type TextKey = 'substance' | 'warmHandoffTo' | 'witnessName' | 'bestContactTime';
type Draft = Record<TimeField | TextKey, string>;
type ErrorPath = keyof typeof edEn.errors;

const draftOf = (v: EdVisitT, witnessName = ''): Draft => ({
  edArrivedAt: toLocalInput(v.edArrivedAt),
  peerRequestedAt: toLocalInput(v.peerRequestedAt),
  peerArrivedAt: toLocalInput(v.peerArrivedAt),
  dischargedAt: toLocalInput(v.dischargedAt),
  substance: v.substance ?? '',
  warmHandoffTo: v.warmHandoffTo ?? '',
  witnessName,
  bestContactTime: v.bestContactTime ?? '',
});

const yesNo = (b: boolean | null): string => (b === null ? '' : b ? 'yes' : 'no');

export function BedsidePage() {
  const { t } = useTranslation();
  const { id = '', visitId = '' } = useParams();
  const query = useQuery({ queryKey: edKeys.visit(id, visitId), queryFn: () => getEdVisit(visitId) });
  if (query.isPending) {
    return (
      <Page title={t('ed.page.title')}>
        <Loading />
      </Page>
    );
  }
  if (query.isError) {
    return (
      <Page title={t('ed.page.title')} back={{ to: `/participants/${id}`, label: t('ed.page.back') }}>
        <LoadFailed error={query.error} retry={() => void query.refetch()} />
      </Page>
    );
  }
  return <Bedside key={query.data.id} initial={query.data} participantId={id} />;
}

interface Conflict {
  current: EdVisitT;
  version: number;
  patch: EdVisitPatch;
  section: Section;
}

function Bedside({ initial, participantId }: { initial: EdVisitT; participantId: string }) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const queryClient = useQueryClient();
  const [visit, setVisit] = useState(initial);
  const [draft, setDraft] = useState<Draft>(() => draftOf(initial));
  const version = useRef(initial.version);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const [status, setStatus] = useState<Partial<Record<Section, 'saving' | 'saved' | 'failed'>>>({});
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<string, string>>>({});
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [completing, setCompleting] = useState(false);
  const completeKey = useRef(newIdempotencyKey());

  const errorFor = (path: string): string | undefined => fieldErrors[path];
  const set = (k: keyof Draft, value: string) => setDraft((d) => ({ ...d, [k]: value }));

  const applySaved = (saved: EdVisitT) => {
    version.current = saved.version;
    setVisit(saved);
    queryClient.setQueryData(edKeys.visit(participantId, saved.id), saved);
  };

  /** Saves one section's change, after any save already under way. */
  const save = (section: Section, patch: EdVisitPatch, atVersion?: number) => {
    setStatus((s) => ({ ...s, [section]: 'saving' }));
    queue.current = queue.current.then(async () => {
      try {
        const saved = await updateEdVisit(visit.id, atVersion ?? version.current, patch);
        applySaved(saved);
        setFieldErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !(k in patch))));
        setStatus((s) => ({ ...s, [section]: 'saved' }));
        setConflict(null);
        setProblem(null);
      } catch (e) {
        setStatus((s) => ({ ...s, [section]: 'failed' }));
        const c = conflictOf<EdVisitT>(e);
        if (c) {
          setConflict({ ...c, patch, section });
          return;
        }
        if (isApiError(e) && e.fields.length) {
          setFieldErrors((prev) => ({ ...prev, ...Object.fromEntries(e.fields.map((f) => [f.path, f.path in edEn.errors ? t(`ed.errors.${f.path as ErrorPath}`) : f.message])) }));
          return;
        }
        setProblem(e);
      }
    });
  };

  const saveText = (section: Section, k: TextKey) => {
    const value = draft[k].trim();
    if (k === 'witnessName') return;
    if (value === (visit[k] ?? '')) return;
    save(section, { [k]: value || null });
  };
  const saveTime = (section: Section, k: TimeField, value = draft[k]) => {
    const iso = fromLocalInput(value);
    if (iso === visit[k]) return;
    save(section, { [k]: iso });
  };
  const now = (section: Section, k: TimeField) => {
    const value = toLocalInput(new Date().toISOString());
    set(k, value);
    saveTime(section, k, value);
  };
  const saveYesNo = (section: Section, k: 'overdose' | 'naloxoneAdministered' | 'naloxoneKitGiven' | 'referralOffered' | 'referralAccepted', value: string) => {
    save(section, { [k]: value === 'yes' });
  };
  const saveConsent = (value: string) => {
    const yes = value === 'yes';
    const witness = draft.witnessName.trim();
    save('consent', yes && witness ? { consentToFollowUp: true, witnessName: witness } : { consentToFollowUp: yes });
  };

  const complete = async () => {
    if (completing) return;
    setCompleting(true);
    try {
      await queue.current;
      const done = await completeEdVisit(visit.id, completeKey.current);
      applySaved(done);
      void queryClient.invalidateQueries({ queryKey: ['participants', participantId] });
    } catch (e) {
      if (isApiError(e) && e.fields.length) {
        setFieldErrors((prev) => ({ ...prev, ...Object.fromEntries(e.fields.map((f) => [f.path, f.path in edEn.errors ? t(`ed.errors.${f.path as ErrorPath}`) : f.message])) }));
      }
      setProblem(e);
      completeKey.current = newIdempotencyKey();
    } finally {
      setCompleting(false);
    }
  };

  const yesNoOptions = [
    { value: 'yes', label: t('ed.common.yes') },
    { value: 'no', label: t('ed.common.no') },
  ];
  const back = { to: `/participants/${participantId}`, label: t('ed.page.back') };

  if (visit.status === 'completed') return <Completed visit={visit} participantId={participantId} />;

  const statusOf = (section: Section) => {
    const s = status[section];
    return (
      <p className="ed-status" aria-live="polite">
        {s ? t(`ed.status.${s}`) : ''}
      </p>
    );
  };
  const timeField = (section: Section, k: TimeField) => (
    <div className="ed-time">
      <TextField
        name={k}
        label={t(`ed.times.${k}`)}
        type="datetime-local"
        value={draft[k]}
        error={errorFor(k)}
        onChange={(v) => set(k, v)}
        onBlur={() => saveTime(section, k)}
        width="medium"
      />
      <Button variant="secondary" onClick={() => now(section, k)}>
        {t('ed.times.now')}
        <span className="visually-hidden"> – {t(`ed.times.${k}`)}</span>
      </Button>
    </div>
  );

  const say: Say = (key) => String(t(key as 'ed.common.yes'));
  const conflictRows = conflict
    ? Object.keys(conflict.patch).map((k) => ({
        label: k in edEn.fields ? t(`ed.fields.${k as keyof typeof edEn.fields}`) : k,
        current: show(say, formatDateTime, k, (conflict.current as Record<string, unknown>)[k]),
        mine: show(say, formatDateTime, k, (conflict.patch as Record<string, unknown>)[k]),
      }))
    : [];

  return (
    <Page title={t('ed.page.title')} back={back} hasErrors={Object.keys(fieldErrors).length > 0}>
      <p className="hint">{t('ed.page.intro')}</p>
      {conflict ? (
        <ConflictNotice
          rows={conflictRows}
          onReapply={() => save(conflict.section, conflict.patch, conflict.version)}
          onDiscard={() => {
            applySaved(conflict.current);
            setDraft(draftOf(conflict.current));
            setConflict(null);
          }}
        />
      ) : null}
      {problem && !conflict ? (
        <Banner kind="warning" title={t('ed.page.problem')} focus>
          <p>{describeError(t, problem)}</p>
        </Banner>
      ) : null}

      <EdSection title={t('ed.sections.times')} status={statusOf('times')}>
        {timeField('times', 'edArrivedAt')}
        {timeField('times', 'peerRequestedAt')}
        {timeField('times', 'peerArrivedAt')}
        {visit.responseMinutes !== null ? <p className="ed-response">{t('ed.times.response', { count: visit.responseMinutes })}</p> : null}
      </EdSection>

      <EdSection title={t('ed.sections.overdose')} status={statusOf('overdose')}>
        <RadioGroup name="overdose" legend={t('ed.overdose.question')} options={yesNoOptions} value={yesNo(visit.overdose)} onChange={(v) => saveYesNo('overdose', 'overdose', v)} inline />
        <TextField
          name="substance"
          label={t('ed.overdose.substance')}
          hint={t('ed.overdose.substanceHint')}
          value={draft.substance}
          error={errorFor('substance')}
          onChange={(v) => set('substance', v)}
          onBlur={() => saveText('overdose', 'substance')}
          optional
        />
      </EdSection>

      <EdSection title={t('ed.sections.naloxone')} status={statusOf('naloxone')}>
        <RadioGroup name="naloxoneAdministered" legend={t('ed.naloxone.administered')} options={yesNoOptions} value={yesNo(visit.naloxoneAdministered)} onChange={(v) => saveYesNo('naloxone', 'naloxoneAdministered', v)} inline />
        <RadioGroup name="naloxoneKitGiven" legend={t('ed.naloxone.kitGiven')} options={yesNoOptions} value={yesNo(visit.naloxoneKitGiven)} onChange={(v) => saveYesNo('naloxone', 'naloxoneKitGiven', v)} inline />
      </EdSection>

      <EdSection title={t('ed.sections.moud')} status={statusOf('moud')}>
        <RadioGroup
          name="moudStarted"
          legend={t('ed.moud.question')}
          hint={t('ed.moud.hint')}
          options={MOUD_STARTED.map((m) => ({ value: m, label: t(`ed.moud.options.${m}`) }))}
          value={visit.moudStarted ?? ''}
          onChange={(v) => save('moud', { moudStarted: v as (typeof MOUD_STARTED)[number] })}
        />
      </EdSection>

      <EdSection title={t('ed.sections.referral')} status={statusOf('referral')}>
        <RadioGroup name="referralOffered" legend={t('ed.referral.offered')} options={yesNoOptions} value={yesNo(visit.referralOffered)} onChange={(v) => saveYesNo('referral', 'referralOffered', v)} inline />
        <RadioGroup
          name="referralAccepted"
          legend={t('ed.referral.accepted')}
          options={yesNoOptions}
          value={yesNo(visit.referralAccepted)}
          error={errorFor('referralAccepted')}
          onChange={(v) => saveYesNo('referral', 'referralAccepted', v)}
          inline
        />
        <TextField
          name="warmHandoffTo"
          label={t('ed.referral.warmHandoff')}
          hint={t('ed.referral.warmHandoffHint')}
          value={draft.warmHandoffTo}
          error={errorFor('warmHandoffTo')}
          onChange={(v) => set('warmHandoffTo', v)}
          onBlur={() => saveText('referral', 'warmHandoffTo')}
          optional
        />
      </EdSection>

      <EdSection title={t('ed.sections.consent')} status={statusOf('consent')}>
        <RadioGroup
          name="consentToFollowUp"
          legend={t('ed.consent.question')}
          hint={t('ed.consent.hint')}
          options={yesNoOptions}
          value={yesNo(visit.consentToFollowUp)}
          onChange={saveConsent}
          inline
        />
        {visit.consentToFollowUp !== true ? (
          <TextField
            name="witnessName"
            label={t('ed.consent.witness')}
            hint={t('ed.consent.witnessHint')}
            value={draft.witnessName}
            error={errorFor('witnessName')}
            onChange={(v) => set('witnessName', v)}
            onBlur={() => {
              if (fieldErrors.witnessName && draft.witnessName.trim()) saveConsent('yes');
            }}
            autoComplete="off"
          />
        ) : null}
      </EdSection>

      <EdSection title={t('ed.sections.contact')} status={statusOf('contact')}>
        <SelectField
          name="bestContactMethod"
          label={t('ed.contact.method')}
          value={visit.bestContactMethod ?? ''}
          onChange={(v) => save('contact', { bestContactMethod: v ? (v as (typeof CONTACT_METHODS)[number]) : null })}
          options={[{ value: '', label: t('ed.contact.choose') }, ...CONTACT_METHODS.map((m) => ({ value: m, label: t(`ed.contact.methods.${m}`) }))]}
        />
        <TextField
          name="bestContactTime"
          label={t('ed.contact.time')}
          hint={t('ed.contact.timeHint')}
          value={draft.bestContactTime}
          error={errorFor('bestContactTime')}
          onChange={(v) => set('bestContactTime', v)}
          onBlur={() => saveText('contact', 'bestContactTime')}
          optional
        />
      </EdSection>

      <EdSection title={t('ed.sections.discharge')} status={statusOf('discharge')}>
        {timeField('discharge', 'dischargedAt')}
      </EdSection>

      <h2 className="heading-m">{t('ed.complete.heading')}</h2>
      <p>{t('ed.complete.text')}</p>
      {errorFor('peerArrivedAt') ? <p className="error-message">{errorFor('peerArrivedAt')}</p> : null}
      <ButtonGroup>
        <Button onClick={() => void complete()} busy={completing} busyLabel={t('ed.complete.busy')}>
          {t('ed.complete.button')}
        </Button>
      </ButtonGroup>
    </Page>
  );
}

function EdSection({ title, status, children }: { title: string; status: ReactNode; children: ReactNode }) {
  return (
    <section className="ed-section">
      <h2 className="heading-m">{title}</h2>
      {children}
      {status}
    </section>
  );
}

/** A translation lookup by a key built at run time (the conflict notice's values). */
type Say = (key: string) => string;

/** A value as the conflict notice shows it. */
function show(t: Say, formatDateTime: (iso: string | null | undefined) => string, key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return t('ed.common.notRecorded');
  if (typeof value === 'boolean') return value ? t('ed.common.yes') : t('ed.common.no');
  if (key.endsWith('At') && typeof value === 'string') return formatDateTime(value);
  if (key === 'moudStarted' && typeof value === 'string' && (MOUD_STARTED as readonly string[]).includes(value)) return t(`ed.moud.options.${value}`);
  if (key === 'bestContactMethod' && typeof value === 'string' && (CONTACT_METHODS as readonly string[]).includes(value)) return t(`ed.contact.methods.${value}`);
  return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/** After completion: the follow-up plan, soonest first. */
function Completed({ visit, participantId }: { visit: EdVisitT; participantId: string }) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  return (
    <Page title={t('ed.done.title')} back={{ to: `/participants/${participantId}`, label: t('ed.page.back') }}>
      <Banner kind="success" title={t('ed.done.banner')}>
        <p>{t('ed.done.bannerText')}</p>
      </Banner>
      <SummaryList
        rows={[
          { key: t('ed.fields.peerArrivedAt'), value: formatDateTime(visit.peerArrivedAt) },
          { key: t('ed.fields.dischargedAt'), value: visit.dischargedAt ? formatDateTime(visit.dischargedAt) : t('ed.common.notRecorded') },
          ...(visit.responseMinutes !== null ? [{ key: t('ed.done.responseTime'), value: t('ed.times.response', { count: visit.responseMinutes }) }] : []),
        ]}
      />
      <h2 className="heading-m">{t('ed.done.planHeading')}</h2>
      {visit.followUps.length === 0 ? <p>{t('ed.done.noPlan')}</p> : <p className="hint">{t('ed.done.planHint')}</p>}
      <ol className="ed-plan">
        {visit.followUps.map((s) => (
          <li key={s.todoId} className="ed-plan-step">
            <span className="ed-plan-title">{s.title}</span>
            <span>{t('ed.done.due', { when: formatDateTime(s.dueAt) })}</span>
            {s.severity === 'high' ? <Tag tone="red">{t('ed.done.high')}</Tag> : null}
          </li>
        ))}
      </ol>
      <p>
        <Link className="button" to={`/participants/${participantId}`}>
          {t('ed.done.toParticipant')}
        </Link>
      </p>
    </Page>
  );
}

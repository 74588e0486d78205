/**
 * "Merge a duplicate into this record" on the participant profile, for holders of
 * `participants.merge`: find the other record (the participant search; terms in the body), look
 * at it and at what will move, give a reason, confirm. The record on screen is the one that stays.
 */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { newIdempotencyKey } from '../../app/api';
import { useMe } from '../../app/auth';
import { Banner, LoadFailed, Loading, SummaryList } from '../../app/components';
import { Button, ButtonGroup } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { TextArea, TextField } from '../../app/forms/fields';
import { useForm, type FormError } from '../../app/forms/useForm';
import { getParticipant, keys, listEpisodes, nameOf, searchParticipants, termsOf, type ParticipantT, type SummaryT } from '../participants/participants.api';
import { REASON_MAX, REASON_MIN } from '../break-glass/breakGlass.api';
import { mergeInto, movedTotal } from './merge.api';

export function MergeSection({ participantId }: { participantId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState<number | null>(null);
  if (!me.permissions.includes('participants.merge')) return null;
  return (
    <section aria-labelledby="merge-heading" className="section">
      <h2 className="heading-m" id="merge-heading">
        {t('merge.heading')}
      </h2>
      {done !== null ? (
        <Banner kind="success" focus>
          <p>{t('merge.done', { count: done })}</p>
        </Banner>
      ) : null}
      <p>{t('merge.intro')}</p>
      {open ? (
        <MergeFlow
          participantId={participantId}
          onCancel={() => setOpen(false)}
          onMerged={(count) => {
            setOpen(false);
            setDone(count);
          }}
        />
      ) : (
        <Button variant="secondary" onClick={() => setOpen(true)}>
          {t('merge.start')}
        </Button>
      )}
    </section>
  );
}

function MergeFlow({ participantId, onCancel, onMerged }: { participantId: string; onCancel: () => void; onMerged: (count: number) => void }) {
  const [chosen, setChosen] = useState<string | null>(null);
  return chosen ? (
    <Confirm participantId={participantId} duplicateId={chosen} onBack={() => setChosen(null)} onCancel={onCancel} onMerged={onMerged} />
  ) : (
    <Find participantId={participantId} onChoose={setChosen} onCancel={onCancel} />
  );
}

function Find({ participantId, onChoose, onCancel }: { participantId: string; onChoose: (id: string) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [input, setInput] = useState('');
  const [term, setTerm] = useState('');
  const results = useQuery({
    queryKey: [...keys.search(term), 'merge'],
    queryFn: ({ signal }) => searchParticipants(termsOf(term), signal),
    enabled: term.length >= 2,
    // Search results are personal data: keep them only while they are shown.
    gcTime: 0,
  });
  const others = (results.data ?? []).filter((p) => p.id !== participantId);
  const describe = (p: SummaryT) => (p.dateOfBirth ? t('merge.bornOn', { date: p.dateOfBirth }) : t('merge.noDob'));
  return (
    <>
      <form
        role="search"
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          setTerm(input.trim());
        }}
      >
        <TextField name="mergeSearch" type="search" label={t('merge.search')} hint={t('merge.searchHint')} autoComplete="off" spellCheck={false} enterKeyHint="search" value={input} onChange={setInput} />
        <ButtonGroup>
          <Button type="submit" variant="secondary">
            {t('merge.search')}
          </Button>
          <Button variant="link" onClick={onCancel}>
            {t('merge.cancel')}
          </Button>
        </ButtonGroup>
      </form>
      {term.length >= 2 ? (
        <div role="status">
          {results.isPending ? <p className="loading">{t('merge.searching')}</p> : null}
          {results.data && others.length === 0 ? <p>{t('merge.noResults')}</p> : null}
        </div>
      ) : null}
      {results.isError ? <LoadFailed error={results.error} retry={() => void results.refetch()} /> : null}
      {others.length > 0 ? (
        <>
          <h3 className="heading-s">{t('merge.results')}</h3>
          <ul className="record-list">
            {others.map((p) => (
              <li key={p.id} className="record">
                <p className="record-title">
                  <strong>{nameOf(p)}</strong> · {describe(p)}
                </p>
                <Button variant="secondary" onClick={() => onChoose(p.id)}>
                  {t('merge.choose')}
                  <span className="visually-hidden"> {t('merge.chooseHidden', { name: nameOf(p) })}</span>
                </Button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

function Confirm({ participantId, duplicateId, onBack, onCancel, onMerged }: { participantId: string; duplicateId: string; onBack: () => void; onCancel: () => void; onMerged: (count: number) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const survivor = useQuery({ queryKey: keys.participant(participantId), queryFn: () => getParticipant(participantId) });
  const duplicate = useQuery({ queryKey: keys.participant(duplicateId), queryFn: () => getParticipant(duplicateId) });
  const episodes = useQuery({ queryKey: keys.episodes(duplicateId), queryFn: () => listEpisodes(duplicateId) });
  const [changed, setChanged] = useState(false);
  const key = useRef<{ reason: string; key: string } | null>(null);
  const form = useForm({
    initial: { reason: '' },
    validate: (v) => {
      const e: FormError[] = [];
      const reason = v.reason.trim();
      if (!reason) e.push({ field: 'reason', message: t('merge.errors.reasonMissing') });
      else if (reason.length < REASON_MIN) e.push({ field: 'reason', message: t('merge.errors.reasonShort', { count: REASON_MIN }) });
      else if (reason.length > REASON_MAX) e.push({ field: 'reason', message: t('merge.errors.reasonLong', { count: REASON_MAX }) });
      return e;
    },
    messages: { 'merge.conflict': t('merge.errors.openEpisode') },
    onConflict: () => {
      setChanged(true);
      void survivor.refetch();
      void duplicate.refetch();
    },
    onSubmit: async (v) => {
      const s = survivor.data;
      const d = duplicate.data;
      if (!s || !d) return;
      setChanged(false);
      const reason = v.reason.trim();
      if (key.current?.reason !== reason) key.current = { reason, key: newIdempotencyKey() };
      const result = await mergeInto(duplicateId, { intoId: participantId, reason, version: d.version, intoVersion: s.version }, key.current.key);
      queryClient.removeQueries({ queryKey: keys.participant(duplicateId) });
      await queryClient.invalidateQueries({ queryKey: ['participants'] });
      onMerged(movedTotal(result));
    },
  });
  if (duplicate.isPending || survivor.isPending) return <Loading />;
  if (duplicate.isError) return <LoadFailed error={duplicate.error} retry={() => void duplicate.refetch()} />;
  if (survivor.isError) return <LoadFailed error={survivor.error} retry={() => void survivor.refetch()} />;
  const d: ParticipantT = duplicate.data;
  const notRecorded = t('merge.notRecorded');
  return (
    <>
      <h3 className="heading-s">{t('merge.chosenHeading')}</h3>
      <SummaryList
        rows={[
          { key: t('merge.name'), value: nameOf(d) || notRecorded },
          { key: t('merge.dateOfBirth'), value: d.dateOfBirth ?? notRecorded },
          { key: t('merge.phone'), value: d.phone ?? notRecorded },
          { key: t('merge.programs'), value: episodes.data ? t('merge.programsCount', { count: episodes.data.length }) : '' },
        ]}
      />
      <p>
        <Button variant="link" onClick={onBack}>
          {t('merge.chooseAnother')}
        </Button>
      </p>
      <h3 className="heading-s">{t('merge.movesHeading')}</h3>
      <ul>
        <li>{t('merge.movesHistory')}</li>
        <li>{t('merge.movesFields')}</li>
        <li>{t('merge.movesNames')}</li>
        <li>{t('merge.movesOld')}</li>
      </ul>
      {changed ? (
        <Banner kind="warning">
          <p>{t('merge.errors.changed')}</p>
        </Banner>
      ) : null}
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <TextArea name="reason" label={t('merge.reason')} hint={t('merge.reasonHint')} rows={3} value={form.values.reason} error={form.errorFor('reason')} onChange={(v) => form.set('reason', v)} />
        <ButtonGroup>
          <Button type="submit" variant="warning" busy={form.busy} busyLabel={t('merge.busy')}>
            {t('merge.confirm')}
          </Button>
          <Button variant="secondary" onClick={onCancel}>
            {t('merge.cancel')}
          </Button>
        </ButtonGroup>
      </form>
    </>
  );
}

/**
 * A new referral (phone first), at /referrals/new?participant=<id>&service=<id>. Without a
 * participant, a search picks one; without a service, a directory search picks one, or the coach
 * names an organization outside the directory. Then why, how soon, a note for the receiver, and
 * either "log only" (the coach made the call) or "send through Lodestar" with what to share,
 * which passes the disclosure gate: a refusal is shown in words with a link to record a consent.
 * Only ids travel in the address; search terms go in request bodies.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { newIdempotencyKey } from '../../app/api';
import { useMe } from '../../app/auth';
import { LoadFailed, Loading, Page } from '../../app/components';
import { Button, ButtonGroup } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { CheckboxGroup, RadioGroup, SelectField, TextArea, TextField } from '../../app/forms/fields';
import { useForm, type FormError } from '../../app/forms/useForm';
import { CATEGORIES, ORG_TYPES } from '../consents/ConsentsSection';
import { getParticipant, keys as participantKeys, nameOf, searchParticipants, termsOf } from '../participants/participants.api';
import { directoryKeys, getService, searchDirectory, type SearchResultT } from '../directory/directory.api';
import type { NoticeState } from '../participants/Notice';
import { consentRefusalOf, createReferral, PERMISSIONS, referralKeys, URGENCIES, type ConsentRefusal } from './referrals.api';
import { ConsentRefusalBanner } from './parts';
import { ForbiddenPage } from '../errors/ForbiddenPage';

type Mode = '' | 'send' | 'log' | 'draft';
interface Values {
  outsideName: string;
  outsideType: string;
  outsideContact: string;
  reason: string;
  urgency: string;
  notesForReceiver: string;
  mode: Mode;
  categories: string[];
}

const DEBOUNCE_MS = 300;
const MIN_TERM = 2;

/** The server's error paths → this form's fields. */
function fieldFor(path: string): string | undefined {
  if (path === 'directoryServiceId') return 'directoryServiceId';
  if (path === 'outside' || path === 'outside.name') return 'outsideName';
  if (path === 'outside.type') return 'outsideType';
  if (path === 'outside.contact') return 'outsideContact';
  if (path === 'send' || path === 'draft') return 'mode';
  if (path.startsWith('categories')) return 'categories';
  return ['reason', 'urgency', 'notesForReceiver'].includes(path) ? path : undefined;
}

function useDebounced(value: string, ms: number): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function NewReferralPage() {
  const me = useMe();
  if (!me.permissions.includes(PERMISSIONS.manage)) return <ForbiddenPage />;
  return <NewReferral />;
}

function NewReferral() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [params, setParams] = useSearchParams();
  const participantId = params.get('participant') ?? '';
  const serviceId = params.get('service') ?? '';
  const [outside, setOutside] = useState(false);
  const [refusal, setRefusal] = useState<ConsentRefusal | null>(null);
  const [key] = useState(newIdempotencyKey);

  const participant = useQuery({ queryKey: participantKeys.participant(participantId), queryFn: () => getParticipant(participantId), enabled: participantId !== '' });
  const service = useQuery({ queryKey: directoryKeys.service(serviceId), queryFn: () => getService(serviceId), enabled: serviceId !== '' });
  const organizationName = service.data?.organization.name ?? '';

  const choose = (name: 'participant' | 'service', id: string | null) => {
    const next = new URLSearchParams(params);
    if (id) next.set(name, id);
    else next.delete(name);
    setRefusal(null);
    setParams(next, { replace: true });
  };

  const form = useForm<Values>({
    initial: { outsideName: '', outsideType: 'treating_provider', outsideContact: '', reason: '', urgency: 'routine', notesForReceiver: '', mode: '', categories: [] },
    fieldFor,
    validate: (v) => {
      const e: FormError[] = [];
      if (!participantId) e.push({ field: 'participant', message: t('referrals.create.errors.participant') });
      if (!serviceId && !outside) e.push({ field: 'directoryServiceId', message: t('referrals.create.errors.receiver') });
      if (outside && !v.outsideName.trim()) e.push({ field: 'outsideName', message: t('referrals.create.errors.outsideName') });
      if (!v.reason.trim()) e.push({ field: 'reason', message: t('referrals.create.errors.reason') });
      if (!v.mode) e.push({ field: 'mode', message: t('referrals.create.errors.mode') });
      if (v.mode === 'send' && v.categories.length === 0) e.push({ field: 'categories', message: t('referrals.create.errors.categories') });
      return e;
    },
    onSubmit: async (v) => {
      setRefusal(null);
      const send = v.mode === 'send' && !outside;
      try {
        const created = await createReferral(
          participantId,
          {
            ...(outside
              ? { outside: { name: v.outsideName.trim(), type: v.outsideType as 'other', contact: v.outsideContact.trim() || null } }
              : { directoryServiceId: serviceId }),
            reason: v.reason.trim(),
            urgency: v.urgency as 'routine',
            notesForReceiver: v.notesForReceiver.trim() || null,
            send,
            categories: send ? (v.categories as never[]) : [],
            draft: v.mode === 'draft',
          },
          key,
        );
        await client.invalidateQueries({ queryKey: referralKeys.participant(participantId) });
        client.setQueryData(referralKeys.referral(created.id), created);
        const notice = v.mode === 'draft' ? t('referrals.create.drafted') : send ? t('referrals.create.sent') : t('referrals.create.logged');
        const state: NoticeState = { notice };
        await navigate(`/referrals/${created.id}`, { state });
      } catch (err) {
        const gate = consentRefusalOf(err);
        if (!gate) throw err;
        setRefusal(gate);
      }
    },
  });
  const v = form.values;
  const modes = [
    ...(serviceId && !outside
      ? [{ value: 'send', label: t('referrals.create.modeSend', { organization: organizationName || t('referrals.page.receiver') }), hint: t('referrals.create.modeSendHint') }]
      : []),
    { value: 'log', label: t('referrals.create.modeLog'), hint: t('referrals.create.modeLogHint') },
    { value: 'draft', label: t('referrals.create.modeDraft'), hint: t('referrals.create.modeDraftHint') },
  ];
  const submitLabel = v.mode === 'send' ? t('referrals.create.submitSend') : v.mode === 'draft' ? t('referrals.create.submitDraft') : t('referrals.create.submitLog');
  const back = participantId ? { to: `/participants/${encodeURIComponent(participantId)}`, label: t('referrals.page.back') } : serviceId ? { to: `/directory/services/${encodeURIComponent(serviceId)}`, label: t('referrals.create.back') } : undefined;

  return (
    <Page title={t('referrals.create.title')} back={back} hasErrors={form.errors.length > 0}>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      {refusal ? <ConsentRefusalBanner refusal={refusal} participantId={participantId} canLog /> : null}

      <section aria-labelledby="referral-who-heading">
        <h2 className="heading-m" id="referral-who-heading">
          {t('referrals.create.participantHeading')}
        </h2>
        {participantId ? (
          participant.isPending ? (
            <Loading />
          ) : participant.isError ? (
            <>
              <LoadFailed error={participant.error} retry={() => void participant.refetch()} />
              <Button variant="secondary" onClick={() => choose('participant', null)}>
                {t('referrals.create.changeParticipant')}
              </Button>
            </>
          ) : (
            <div className="referral-chosen">
              <p>
                <strong>{nameOf(participant.data)}</strong>
              </p>
              {participant.data.dateOfBirth ? <p>{participant.data.dateOfBirth}</p> : null}
              <Button variant="link" onClick={() => choose('participant', null)}>
                {t('referrals.create.changeParticipant')}
              </Button>
            </div>
          )
        ) : (
          <ParticipantPicker error={form.errorFor('participant')} onChoose={(id) => choose('participant', id)} />
        )}
      </section>

      <section aria-labelledby="referral-where-heading">
        <h2 className="heading-m" id="referral-where-heading">
          {t('referrals.create.receiverHeading')}
        </h2>
        {serviceId ? (
          service.isPending ? (
            <Loading />
          ) : service.isError ? (
            <>
              <LoadFailed error={service.error} retry={() => void service.refetch()} />
              <Button variant="secondary" onClick={() => choose('service', null)}>
                {t('referrals.create.changeService')}
              </Button>
            </>
          ) : (
            <div className="referral-chosen">
              <p>
                <strong>{service.data.name}</strong>
              </p>
              <p>{service.data.organization.name}</p>
              <Button variant="link" onClick={() => choose('service', null)}>
                {t('referrals.create.changeService')}
              </Button>
            </div>
          )
        ) : outside ? (
          <>
            <TextField name="outsideName" label={t('referrals.create.outsideName')} value={v.outsideName} onChange={(x) => form.set('outsideName', x)} error={form.errorFor('outsideName')} autoComplete="off" />
            <SelectField
              name="outsideType"
              label={t('referrals.create.outsideType')}
              value={v.outsideType}
              onChange={(x) => form.set('outsideType', x)}
              error={form.errorFor('outsideType')}
              options={ORG_TYPES.map((c) => ({ value: c, label: t(`consents.orgTypes.${c}`) }))}
            />
            <TextField
              name="outsideContact"
              label={t('referrals.create.outsideContact')}
              hint={t('referrals.create.outsideContactHint')}
              value={v.outsideContact}
              onChange={(x) => form.set('outsideContact', x)}
              error={form.errorFor('outsideContact')}
              optional
              autoComplete="off"
            />
            <Button
              variant="link"
              onClick={() => {
                setOutside(false);
                if (v.mode === 'log' || v.mode === 'draft') return;
                form.set('mode', '');
              }}
            >
              {t('referrals.create.backToDirectory')}
            </Button>
          </>
        ) : (
          <ServicePicker
            error={form.errorFor('directoryServiceId')}
            onChoose={(id) => choose('service', id)}
            onOutside={() => {
              setOutside(true);
              if (v.mode === 'send') form.set('mode', '');
            }}
          />
        )}
      </section>

      <form noValidate onSubmit={(e) => void form.onSubmit(e)} aria-labelledby="referral-about-heading">
        <h2 className="heading-m" id="referral-about-heading">
          {t('referrals.create.detailsHeading')}
        </h2>
        <TextArea name="reason" label={t('referrals.create.reason')} hint={t('referrals.create.reasonHint')} value={v.reason} onChange={(x) => form.set('reason', x)} error={form.errorFor('reason')} rows={3} />
        <RadioGroup
          name="urgency"
          legend={t('referrals.create.urgency')}
          value={v.urgency}
          onChange={(x) => form.set('urgency', x)}
          error={form.errorFor('urgency')}
          options={URGENCIES.map((u) => ({ value: u, label: t(`referrals.urgencies.${u}`) }))}
        />
        <TextArea name="notesForReceiver" label={t('referrals.create.notes')} hint={t('referrals.create.notesHint')} value={v.notesForReceiver} onChange={(x) => form.set('notesForReceiver', x)} error={form.errorFor('notesForReceiver')} optional rows={3} />
        <RadioGroup name="mode" legend={t('referrals.create.modeLegend')} value={v.mode} onChange={(x) => form.set('mode', x as Mode)} error={form.errorFor('mode')} options={modes} />
        {v.mode === 'send' ? (
          <div className="conditional">
            <CheckboxGroup
              name="categories"
              legend={t('referrals.create.categories')}
              hint={t('referrals.create.categoriesHint')}
              value={v.categories}
              onChange={(x) => form.set('categories', x)}
              error={form.errorFor('categories')}
              options={CATEGORIES.map((c) => ({ value: c, label: t(`consents.categories.${c}`) }))}
            />
          </div>
        ) : null}
        <Button type="submit" busy={form.busy} busyLabel={v.mode === 'send' ? t('referrals.create.sending') : undefined}>
          {submitLabel}
        </Button>
      </form>
    </Page>
  );
}

/** Find the person by name, date of birth or phone; results are kept only while shown. */
function ParticipantPicker({ error, onChoose }: { error: string | undefined; onChoose: (id: string) => void }) {
  const { t } = useTranslation();
  const [term, setTerm] = useState('');
  const debounced = useDebounced(term.trim(), DEBOUNCE_MS);
  const searching = debounced.length >= MIN_TERM;
  const results = useQuery({
    queryKey: participantKeys.search(debounced),
    queryFn: ({ signal }) => searchParticipants(termsOf(debounced), signal),
    enabled: searching,
    gcTime: 0,
  });
  return (
    <div role="search" aria-labelledby="referral-who-heading">
      <TextField
        name="participant"
        type="search"
        label={t('referrals.create.participantSearch')}
        hint={t('referrals.create.participantSearchHint')}
        value={term}
        onChange={setTerm}
        error={error}
        autoComplete="off"
        spellCheck={false}
        enterKeyHint="search"
      />
      <div role="status">
        {searching && results.isPending ? <p className="loading">{t('referrals.create.searching')}</p> : null}
        {searching && results.data && results.data.length === 0 ? <p>{t('referrals.create.noParticipants')}</p> : null}
      </div>
      {searching && results.isError ? <LoadFailed error={results.error} retry={() => void results.refetch()} /> : null}
      {searching && results.data && results.data.length > 0 ? (
        <ul className="referral-choices">
          {results.data.map((p) => (
            <li key={p.id}>
              <div>
                <strong>{nameOf(p)}</strong>
                {p.dateOfBirth ? <span className="hint"> · {p.dateOfBirth}</span> : null}
              </div>
              <Button variant="secondary" onClick={() => onChoose(p.id)}>
                {t('referrals.create.choose')}
                <span className="visually-hidden"> {t('referrals.create.chooseHidden', { name: nameOf(p) })}</span>
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** A small directory search (words only), or "Outside the directory". */
function ServicePicker({ error, onChoose, onOutside }: { error: string | undefined; onChoose: (id: string) => void; onOutside: () => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [results, setResults] = useState<SearchResultT[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<unknown>(null);
  const running = useRef(false);
  const search = async () => {
    if (running.current || !text.trim()) return;
    running.current = true;
    setBusy(true);
    setFailed(null);
    try {
      setResults((await searchDirectory({ text: text.trim(), limit: 10 })).results);
    } catch (err) {
      setFailed(err);
    } finally {
      running.current = false;
      setBusy(false);
    }
  };
  return (
    <>
      <div role="search" aria-labelledby="referral-where-heading">
        <TextField
          name="directoryServiceId"
          type="search"
          label={t('referrals.create.serviceSearch')}
          hint={t('referrals.create.serviceSearchHint')}
          value={text}
          onChange={setText}
          error={error}
          autoComplete="off"
          enterKeyHint="search"
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void search();
            }
          }}
        />
        <ButtonGroup>
          <Button variant="secondary" busy={busy} busyLabel={t('referrals.create.searching')} onClick={() => void search()}>
            {t('referrals.create.search')}
          </Button>
          <Button variant="link" onClick={onOutside}>
            {t('referrals.create.outside')}
          </Button>
        </ButtonGroup>
      </div>
      {failed ? <LoadFailed error={failed} /> : null}
      <div role="status">{results && results.length === 0 ? <p>{t('referrals.create.noServices')}</p> : null}</div>
      {results && results.length > 0 ? (
        <ul className="referral-choices">
          {results.map((r) => (
            <li key={`${r.serviceId}-${r.locationId ?? ''}`}>
              <div>
                <strong>{r.serviceName}</strong>
                <br />
                <span>{r.organizationName}</span>
                {r.address?.city ? <span className="hint"> · {r.address.city}</span> : null}
              </div>
              <Button variant="secondary" onClick={() => onChoose(r.serviceId)}>
                {t('referrals.create.choose')}
                <span className="visually-hidden"> {r.serviceName}</span>
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

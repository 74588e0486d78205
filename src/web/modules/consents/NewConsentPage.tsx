/**
 * Record a consent at the bedside, on a phone: what the person agrees to, what may be shared,
 * with whom, why, until when, what they were told, who signs and how (a finger on the screen, a
 * typed name, or — only to take part in the program — out loud with a witness). The server
 * checks every 42 CFR 2.31 element again; its field errors show beside the fields.
 */
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { RECIPIENT_CLASSES, SIGNER_ROLES } from '../../../contracts/consents';
import { isApiError, newIdempotencyKey } from '../../app/api';
import { Page } from '../../app/components';
import { Button, ButtonGroup } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { CheckboxGroup, fieldId, RadioGroup, SelectField, SingleCheckbox, TextField, ErrorMessage } from '../../app/forms/fields';
import { useForm, type FormError } from '../../app/forms/useForm';
import { getParticipant, keys as participantKeys, nameOf } from '../participants/participants.api';
import type { NoticeState } from '../participants/Notice';
import { consentKeys, createConsent, type CreateConsentT, type RecipientT } from './consents.api';
import { CATEGORIES, ORG_TYPES, PURPOSE_LIST } from './ConsentsSection';
import { SignaturePad } from './SignaturePad';
import './consents.css';

type Kind = '' | 'participation' | 'disclosure_tpo' | 'disclosure_specific';
type Method = 'drawn' | 'typed' | 'verbal';
type SignerRole = (typeof SIGNER_ROLES)[number];
type Draft = { kind: 'organization' | 'person'; name: string; type: string; organization: string };
const CLASSES: readonly (typeof RECIPIENT_CLASSES)[number][] = ['treating_providers', 'health_plans', 'program_operations'];
const ROLES: readonly SignerRole[] = ['participant', 'parent', 'guardian', 'personal_representative'];

interface Signer {
  role: SignerRole;
  name: string;
  legalBasis: string;
  method: Method;
  drawn: string;
  typed: string;
  attested: boolean;
  witnessName: string;
}

interface Values {
  kind: Kind;
  categories: string[];
  recipients: Draft[];
  classes: string[];
  purposes: string[];
  expiration: '' | 'date' | 'event' | 'none';
  expiresOn: string;
  expirationEvent: string;
  rightToRevoke: boolean;
  redisclosure: boolean;
  refusal: boolean;
  signedOn: string;
  signer: Signer;
  coSign: boolean;
  coSigner: Signer;
  formLanguage: 'en' | 'es';
}

const blankSigner = (role: SignerRole, name = ''): Signer => ({ role, name, legalBasis: '', method: 'drawn', drawn: '', typed: '', attested: false, witnessName: '' });
const localToday = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The server's field path → the form's field (signature.* → signer.*, recipients.N… → recipients). */
function fieldFor(path: string): string | undefined {
  const map: Record<string, string> = {
    kind: 'kind',
    categories: 'categories',
    purposes: 'purposes',
    rightToRevokeExplained: 'rightToRevoke',
    redisclosureStatementGiven: 'redisclosure',
    refusalConsequencesExplained: 'refusal',
    expiresOn: 'expiresOn',
    expirationEvent: 'expirationEvent',
    signedOn: 'signedOn',
    formLanguage: 'formLanguage',
  };
  if (map[path]) return map[path];
  if (path.startsWith('recipients')) return 'recipients';
  const sig = /^(signature|coSignature)(?:\.(\w+))?/.exec(path);
  if (sig) {
    const who = sig[1] === 'signature' ? 'signer' : 'coSigner';
    const part = { method: 'method', data: 'signature', attested: 'attested', witnessName: 'witnessName', signerRole: 'role', signerName: 'name', legalBasis: 'legalBasis' }[sig[2] ?? ''] ?? 'role';
    return `${who}.${part}`;
  }
  return undefined;
}

function signatureOf(s: Signer): NonNullable<CreateConsentT['signature']> {
  return {
    method: s.method,
    signerRole: s.role,
    signerName: s.name.trim(),
    ...(s.method === 'drawn' ? { data: s.drawn, attested: s.attested } : {}),
    ...(s.method === 'typed' ? { data: s.typed.trim(), attested: s.attested } : {}),
    ...(s.method === 'verbal' ? { witnessName: s.witnessName.trim() } : {}),
    ...(s.role !== 'participant' && s.legalBasis.trim() ? { legalBasis: s.legalBasis.trim() } : {}),
  };
}

function bodyOf(v: Values): CreateConsentT {
  const recipients: RecipientT[] = v.recipients.map((r) =>
    r.kind === 'organization'
      ? { kind: 'organization', name: r.name.trim(), type: r.type as (typeof ORG_TYPES)[number] }
      : { kind: 'person', name: r.name.trim(), ...(r.organization.trim() ? { organization: r.organization.trim() } : {}) },
  );
  if (v.kind === 'disclosure_tpo') recipients.push(...v.classes.map((c) => ({ kind: 'class' as const, class: c as (typeof CLASSES)[number] })));
  const participation = v.kind === 'participation';
  return {
    kind: v.kind as Exclude<Kind, ''>,
    categories: v.categories as (typeof CATEGORIES)[number][],
    ...(participation ? {} : { recipients, purposes: v.purposes as (typeof PURPOSE_LIST)[number][] }),
    rightToRevokeExplained: v.rightToRevoke,
    ...(v.kind === 'disclosure_tpo' ? { redisclosureStatementGiven: v.redisclosure, refusalConsequencesExplained: v.refusal } : {}),
    ...(v.expiration === 'date' ? { expiresOn: v.expiresOn.trim() } : {}),
    ...(v.expiration === 'event' ? { expirationEvent: v.expirationEvent.trim() } : {}),
    ...(v.expiration === 'none' ? { expirationEvent: 'none' } : {}),
    signedOn: v.signedOn.trim(),
    formLanguage: v.formLanguage,
    signature: signatureOf(v.signer),
    ...(v.coSign ? { coSignature: signatureOf(v.coSigner) } : {}),
  };
}

export function NewConsentPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const participant = useQuery({ queryKey: participantKeys.participant(id), queryFn: () => getParticipant(id) });
  if (participant.isPending) return <Page title={t('consents.form.title')}>{null}</Page>;
  return <ConsentForm participantId={id} signerName={participant.data ? nameOf(participant.data) : ''} />;
}

function ConsentForm({ participantId, signerName }: { participantId: string; signerName: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const idempotencyKey = useRef(newIdempotencyKey());
  const keyedBody = useRef<string | null>(null);

  const form = useForm<Values>({
    initial: {
      kind: '',
      categories: [],
      recipients: [],
      classes: [],
      purposes: [],
      expiration: '',
      expiresOn: '',
      expirationEvent: '',
      rightToRevoke: false,
      redisclosure: false,
      refusal: false,
      signedOn: localToday(),
      signer: blankSigner('participant', signerName),
      coSign: false,
      coSigner: blankSigner('parent'),
      formLanguage: 'en',
    },
    validate: (v) => {
      const e: FormError[] = [];
      const tpo = v.kind === 'disclosure_tpo';
      if (!v.kind) e.push({ field: 'kind', message: t('consents.errors.kind') });
      if (!v.categories.length) e.push({ field: 'categories', message: t('consents.errors.categories') });
      if (v.kind && v.kind !== 'participation') {
        if (!v.recipients.length && !(tpo && v.classes.length)) e.push({ field: 'recipients', message: t('consents.errors.recipients') });
        else if (v.recipients.some((r) => !r.name.trim())) e.push({ field: 'recipients', message: t('consents.errors.recipientName') });
        if (!v.purposes.length) e.push({ field: 'purposes', message: t('consents.errors.purposes') });
      }
      if (!v.expiration) e.push({ field: 'expiration', message: t('consents.errors.expiresOn') });
      else if (v.expiration === 'date' && !DATE.test(v.expiresOn.trim())) e.push({ field: 'expiresOn', message: t('consents.errors.expiresOn') });
      if (v.expiration === 'event' && !v.expirationEvent.trim()) e.push({ field: 'expirationEvent', message: t('consents.errors.expirationEvent') });
      if (!v.rightToRevoke) e.push({ field: 'rightToRevoke', message: t('consents.errors.rightToRevoke') });
      if (tpo && !v.redisclosure) e.push({ field: 'redisclosure', message: t('consents.errors.redisclosure') });
      if (tpo && !v.refusal) e.push({ field: 'refusal', message: t('consents.errors.refusal') });
      if (!DATE.test(v.signedOn.trim())) e.push({ field: 'signedOn', message: t('consents.errors.signedOn') });
      const signerChecks = (s: Signer, who: 'signer' | 'coSigner') => {
        if (!s.name.trim()) e.push({ field: `${who}.name`, message: t('consents.errors.signerName') });
        if (s.role !== 'participant' && !s.legalBasis.trim()) e.push({ field: `${who}.legalBasis`, message: t('consents.errors.legalBasis') });
        if (s.method === 'drawn' && !s.drawn) e.push({ field: `${who}.signature`, message: t('consents.errors.drawn') });
        if (s.method === 'typed' && !s.typed.trim()) e.push({ field: `${who}.signature`, message: t('consents.errors.typed') });
        if (s.method !== 'verbal' && !s.attested) e.push({ field: `${who}.attested`, message: t('consents.errors.attested') });
        if (s.method === 'verbal' && !s.witnessName.trim()) e.push({ field: `${who}.witnessName`, message: t('consents.errors.witnessName') });
      };
      signerChecks(v.signer, 'signer');
      if (v.coSign) signerChecks(v.coSigner, 'coSigner');
      return e;
    },
    fieldFor,
    onSubmit: async (v) => {
      const body = bodyOf(v);
      const sent = JSON.stringify(body);
      if (keyedBody.current !== null && keyedBody.current !== sent) idempotencyKey.current = newIdempotencyKey();
      keyedBody.current = sent;
      try {
        await createConsent(participantId, body, idempotencyKey.current);
      } catch (err) {
        if (isApiError(err) && err.code === 'idempotency.key_reused') idempotencyKey.current = newIdempotencyKey();
        throw err;
      }
      await queryClient.invalidateQueries({ queryKey: consentKeys.consents(participantId) });
      await queryClient.invalidateQueries({ queryKey: participantKeys.participant(participantId) });
      const state: NoticeState = { notice: t('consents.form.saved') };
      void navigate(`/participants/${participantId}`, { state });
    },
  });
  const v = form.values;
  const set = form.set;
  const setSigner = (who: 'signer' | 'coSigner', patch: Partial<Signer>) => set(who, { ...v[who], ...patch });
  const setRecipient = (i: number, patch: Partial<Draft>) => set('recipients', v.recipients.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  const signerFields = (who: 'signer' | 'coSigner') => {
    const s = v[who];
    const roles = who === 'coSigner' ? (['parent', 'guardian'] as const) : ROLES;
    const methods: Method[] = v.kind === 'participation' && who === 'signer' ? ['drawn', 'typed', 'verbal'] : ['drawn', 'typed'];
    const padId = fieldId(`${who}.signature`);
    const padError = form.errorFor(`${who}.signature`);
    return (
      <>
        <RadioGroup name={`${who}.role`} legend={t('consents.form.signerRole')} options={roles.map((r) => ({ value: r, label: t(`consents.signerRoles.${r}`) }))} value={s.role} error={form.errorFor(`${who}.role`)} onChange={(x) => setSigner(who, { role: x as SignerRole })} />
        <TextField name={`${who}.name`} label={t('consents.form.signerName')} autoComplete="off" value={s.name} error={form.errorFor(`${who}.name`)} onChange={(x) => setSigner(who, { name: x })} />
        {s.role !== 'participant' ? (
          <TextField name={`${who}.legalBasis`} label={t('consents.form.legalBasis')} hint={t('consents.form.legalBasisHint')} value={s.legalBasis} error={form.errorFor(`${who}.legalBasis`)} onChange={(x) => setSigner(who, { legalBasis: x })} />
        ) : null}
        <RadioGroup
          name={`${who}.method`}
          legend={t('consents.form.method')}
          inline
          options={methods.map((m) => ({ value: m, label: t(`consents.methods.${m}`) }))}
          value={methods.includes(s.method) ? s.method : ''}
          error={form.errorFor(`${who}.method`)}
          onChange={(x) => setSigner(who, { method: x as Method })}
        />
        {s.method === 'drawn' ? (
          <div className={`form-group${padError ? ' form-group--error' : ''}`}>
            <p className="hint" id={`${padId}-hint`}>
              {t('consents.form.drawHint')}
            </p>
            {padError ? <ErrorMessage id={padId}>{padError}</ErrorMessage> : null}
            <SignaturePad id={padId} label={t('consents.form.padLabel')} describedBy={`${padId}-hint`} onChange={(path) => setSigner(who, { drawn: path })} />
          </div>
        ) : null}
        {s.method === 'typed' ? (
          <TextField name={`${who}.signature`} label={t('consents.form.typed')} autoComplete="off" value={s.typed} error={padError} onChange={(x) => setSigner(who, { typed: x })} />
        ) : null}
        {s.method === 'verbal' ? (
          <TextField name={`${who}.witnessName`} label={t('consents.form.witnessName')} value={s.witnessName} error={form.errorFor(`${who}.witnessName`)} onChange={(x) => setSigner(who, { witnessName: x })} />
        ) : (
          <SingleCheckbox name={`${who}.attested`} label={t('consents.form.attested')} value={s.attested} error={form.errorFor(`${who}.attested`)} onChange={(x) => setSigner(who, { attested: x })} />
        )}
      </>
    );
  };

  return (
    <Page title={t('consents.form.title')} hasErrors={form.errors.length > 0} back={{ to: `/participants/${participantId}`, label: t('consents.form.back') }}>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <RadioGroup
          name="kind"
          legend={t('consents.form.kind')}
          legendSize="m"
          options={(['participation', 'disclosure_specific', 'disclosure_tpo'] as const).map((k) => ({ value: k, label: t(`consents.kinds.${k}`), hint: t(`consents.kindHints.${k}`) }))}
          value={v.kind}
          error={form.errorFor('kind')}
          onChange={(x) => {
            const kind = x as Kind;
            set('kind', kind);
            // Verbal consent is only for taking part.
            if (kind !== 'participation' && v.signer.method === 'verbal') setSigner('signer', { method: 'drawn' });
            if (kind !== 'disclosure_tpo' && v.expiration === 'none') set('expiration', '');
          }}
        />
        <CheckboxGroup
          name="categories"
          legend={t('consents.form.categories')}
          hint={t('consents.form.categoriesHint')}
          options={CATEGORIES.map((c) => ({ value: c, label: t(`consents.categories.${c}`) }))}
          value={v.categories}
          error={form.errorFor('categories')}
          onChange={(x) => set('categories', x)}
        />
        {v.kind && v.kind !== 'participation' ? (
          <>
            <div className={`form-group${form.errorFor('recipients') ? ' form-group--error' : ''}`}>
              <fieldset className="fieldset" aria-describedby={`${fieldId('recipients')}-hint`}>
                <legend className="fieldset-legend fieldset-legend--s">{t('consents.form.recipients')}</legend>
                <div className="hint" id={`${fieldId('recipients')}-hint`}>
                  {t('consents.form.recipientsHint')}
                </div>
                {form.errorFor('recipients') ? <ErrorMessage id={fieldId('recipients')}>{form.errorFor('recipients')}</ErrorMessage> : null}
                {v.recipients.map((r, i) => (
                  <div className="recipient-draft" key={i} role="group" aria-label={r.kind === 'organization' ? t('consents.form.organizationN', { n: i + 1 }) : t('consents.form.personN', { n: i + 1 })}>
                    <TextField name={i === 0 ? 'recipients' : `recipients.${i}.name`} label={t('consents.form.recipientName')} value={r.name} onChange={(x) => setRecipient(i, { name: x })} />
                    {r.kind === 'organization' ? (
                      <SelectField name={`recipients.${i}.type`} label={t('consents.form.recipientType')} options={ORG_TYPES.map((o) => ({ value: o, label: t(`consents.orgTypes.${o}`) }))} value={r.type} onChange={(x) => setRecipient(i, { type: x })} />
                    ) : (
                      <TextField name={`recipients.${i}.organization`} label={t('consents.form.recipientOrganization')} optional value={r.organization} onChange={(x) => setRecipient(i, { organization: x })} />
                    )}
                    <Button variant="link" onClick={() => set('recipients', v.recipients.filter((_, j) => j !== i))}>
                      {t('consents.form.removeRecipient')}
                    </Button>
                  </div>
                ))}
                <ButtonGroup>
                  <Button variant="secondary" onClick={() => set('recipients', [...v.recipients, { kind: 'organization', name: '', type: 'treating_provider', organization: '' }])}>
                    {t('consents.form.addOrganization')}
                  </Button>
                  <Button variant="secondary" onClick={() => set('recipients', [...v.recipients, { kind: 'person', name: '', type: '', organization: '' }])}>
                    {t('consents.form.addPerson')}
                  </Button>
                </ButtonGroup>
              </fieldset>
            </div>
            {v.kind === 'disclosure_tpo' ? (
              <CheckboxGroup name="classes" legend={t('consents.form.classes')} hint={t('consents.form.classesHint')} options={CLASSES.map((c) => ({ value: c, label: t(`consents.classes.${c}`) }))} value={v.classes} onChange={(x) => set('classes', x)} />
            ) : null}
            <CheckboxGroup name="purposes" legend={t('consents.form.purposes')} options={PURPOSE_LIST.map((p) => ({ value: p, label: t(`consents.purposes.${p}`) }))} value={v.purposes} error={form.errorFor('purposes')} onChange={(x) => set('purposes', x)} />
          </>
        ) : null}
        <RadioGroup
          name="expiration"
          legend={t('consents.form.expiration')}
          options={[
            { value: 'date', label: t('consents.form.expirationDate') },
            { value: 'event', label: t('consents.form.expirationEvent') },
            ...(v.kind === 'disclosure_tpo' ? [{ value: 'none', label: t('consents.form.expirationNone') }] : []),
          ]}
          value={v.expiration}
          error={form.errorFor('expiration') ?? (v.expiration !== 'date' ? form.errorFor('expiresOn') : undefined)}
          onChange={(x) => set('expiration', x as Values['expiration'])}
        />
        {v.expiration === 'date' ? (
          <div className="conditional">
            <TextField name="expiresOn" label={t('consents.form.expiresOn')} hint={t('consents.form.dateHint')} width="medium" inputMode="numeric" value={v.expiresOn} error={form.errorFor('expiresOn')} onChange={(x) => set('expiresOn', x)} />
          </div>
        ) : null}
        {v.expiration === 'event' ? (
          <div className="conditional">
            <TextField name="expirationEvent" label={t('consents.form.expirationEventLabel')} hint={t('consents.form.expirationEventHint')} value={v.expirationEvent} error={form.errorFor('expirationEvent')} onChange={(x) => set('expirationEvent', x)} />
          </div>
        ) : null}
        <h2 className="heading-m">{t('consents.form.toldHeading')}</h2>
        <SingleCheckbox name="rightToRevoke" label={t('consents.form.rightToRevoke')} value={v.rightToRevoke} error={form.errorFor('rightToRevoke')} onChange={(x) => set('rightToRevoke', x)} />
        {v.kind === 'disclosure_tpo' ? (
          <>
            <SingleCheckbox name="redisclosure" label={t('consents.form.redisclosure')} value={v.redisclosure} error={form.errorFor('redisclosure')} onChange={(x) => set('redisclosure', x)} />
            <SingleCheckbox name="refusal" label={t('consents.form.refusal')} value={v.refusal} error={form.errorFor('refusal')} onChange={(x) => set('refusal', x)} />
          </>
        ) : null}
        <RadioGroup
          name="formLanguage"
          legend={t('consents.form.formLanguage')}
          inline
          options={[
            { value: 'en', label: t('consents.form.english') },
            { value: 'es', label: t('consents.form.spanish') },
          ]}
          value={v.formLanguage}
          onChange={(x) => set('formLanguage', x as 'en' | 'es')}
        />
        <h2 className="heading-m">{t('consents.form.signerHeading')}</h2>
        <TextField name="signedOn" label={t('consents.form.signedOn')} hint={t('consents.form.dateHint')} width="medium" inputMode="numeric" value={v.signedOn} error={form.errorFor('signedOn')} onChange={(x) => set('signedOn', x)} />
        {signerFields('signer')}
        {v.kind !== 'participation' || v.signer.method !== 'verbal' ? (
          <>
            <SingleCheckbox name="coSign" label={t('consents.form.coSign')} hint={t('consents.form.coSignHint')} value={v.coSign} onChange={(x) => set('coSign', x)} />
            {v.coSign ? (
              <div className="conditional" role="group" aria-label={t('consents.form.coSignHeading')}>
                {signerFields('coSigner')}
              </div>
            ) : null}
          </>
        ) : null}
        <Button type="submit" busy={form.busy}>
          {t('consents.form.submit')}
        </Button>
      </form>
    </Page>
  );
}

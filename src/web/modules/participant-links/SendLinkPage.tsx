/**
 * Make a one-time link for a participant, at /participant-links/new?participant=<id> (&purpose=…
 * &key=… preselect it): what it is for (a questionnaire, a check-in, the coping or the safety plan
 * to read), the language of the page, and how it reaches them. "Show a code" draws a QR code to
 * scan now, with the address under it, shown this once; "send" queues a text or email by their
 * contact rules (the server refuses, naming `delivery`, when their rules allow neither).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { newIdempotencyKey } from '../../app/api';
import { useMe } from '../../app/auth';
import { Banner, Page, useFormatDateTime } from '../../app/components';
import { Button } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { RadioGroup } from '../../app/forms/fields';
import { useForm, type FormError } from '../../app/forms/useForm';
import { ForbiddenPage } from '../errors/ForbiddenPage';
import { getParticipant, keys as participantKeys, nameOf } from '../participants/participants.api';
import type { NoticeState } from '../participants/Notice';
import { BARC10, listDefinitions, questionnaireKeys } from '../questionnaires/questionnaires.api';
import { createLink, linkAddress, linkKeys, PERMISSIONS, type CreatedLinkT } from './links.api';
import { QrCode } from './QrCode';
import './links.css';

const PURPOSES = ['questionnaire', 'check_in', 'coping_plan', 'safety_plan'] as const;
const FIELDS = new Set(['purpose', 'questionnaireKey', 'language', 'delivery']);

interface Values {
  purpose: string;
  questionnaireKey: string;
  language: string;
  delivery: string;
}

export default function SendLinkPage() {
  const me = useMe();
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const participantId = params.get('participant') ?? '';
  if (!me.permissions.includes(PERMISSIONS.send)) return <ForbiddenPage />;
  if (!participantId) {
    return (
      <Page title={t('participantLinks.form.title')}>
        <p>{t('participantLinks.form.noParticipant')}</p>
      </Page>
    );
  }
  return <SendLinkForm participantId={participantId} initialPurpose={params.get('purpose') ?? ''} initialKey={params.get('key') ?? ''} />;
}

function SendLinkForm({ participantId, initialPurpose, initialKey }: { participantId: string; initialPurpose: string; initialKey: string }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const formatDateTime = useFormatDateTime();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [made, setMade] = useState<CreatedLinkT | null>(null);
  const participant = useQuery({ queryKey: participantKeys.participant(participantId), queryFn: () => getParticipant(participantId) });
  const definitions = useQuery({ queryKey: questionnaireKeys.definitions(), queryFn: listDefinitions });
  const keys = [...new Map((definitions.data ?? []).map((d) => [d.key, d])).values()];
  const back = { to: `/participants/${encodeURIComponent(participantId)}`, label: t('participantLinks.form.back') };
  const caption = participant.data ? nameOf(participant.data) : undefined;
  const form = useForm<Values>({
    initial: { purpose: PURPOSES.includes(initialPurpose as 'check_in') ? initialPurpose : '', questionnaireKey: initialKey, language: i18n.language.startsWith('es') ? 'es' : 'en', delivery: '' },
    fieldFor: (path) => (FIELDS.has(path) ? path : undefined),
    validate: (v) => {
      const e: FormError[] = [];
      if (!v.purpose) e.push({ field: 'purpose', message: t('participantLinks.form.errors.purpose') });
      if (v.purpose === 'questionnaire' && !v.questionnaireKey) e.push({ field: 'questionnaireKey', message: t('participantLinks.form.errors.questionnaire') });
      if (!v.delivery) e.push({ field: 'delivery', message: t('participantLinks.form.errors.delivery') });
      return e;
    },
    onSubmit: async (v) => {
      const created = await createLink(
        participantId,
        {
          purpose: v.purpose as 'check_in',
          ...(v.purpose === 'questionnaire' && { questionnaireKey: v.questionnaireKey }),
          language: v.language as 'en',
          delivery: v.delivery as 'code',
        },
        idempotencyKey,
      );
      await client.invalidateQueries({ queryKey: linkKeys.list(participantId) });
      if (created.token) {
        setMade(created);
        return;
      }
      const state: NoticeState = { notice: t('participantLinks.made.sent', { channel: t(`participantLinks.made.channels.${created.channel === 'email' ? 'email' : 'sms'}`), when: formatDateTime(created.expiresAt) }) };
      await navigate(back.to, { state });
    },
  });
  const v = form.values;

  if (made?.token) {
    const address = linkAddress(made.token);
    return (
      <Page title={t('participantLinks.made.title')} caption={caption} back={back}>
        <p>{t('participantLinks.made.scan')}</p>
        <QrCode value={address} label={t('participantLinks.made.qrLabel')} />
        <p>{t('participantLinks.made.orOpen')}</p>
        <p className="link-address">
          <code data-testid="link-address">{address}</code>
        </p>
        <Banner>
          <p>{t('participantLinks.made.once', { when: formatDateTime(made.expiresAt) })}</p>
        </Banner>
        <p>
          <Link className="button" to={back.to}>
            {t('participantLinks.made.done')}
          </Link>
        </p>
      </Page>
    );
  }

  return (
    <Page title={t('participantLinks.form.title')} caption={caption} back={back} hasErrors={form.errors.length > 0}>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <p>{t('participantLinks.intro')}</p>
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <RadioGroup name="purpose" legend={t('participantLinks.form.purpose')} value={v.purpose} error={form.errorFor('purpose')} onChange={(x) => form.set('purpose', x)} options={PURPOSES.map((p) => ({ value: p, label: t(`participantLinks.purposes.${p}`) }))} />
        {v.purpose === 'questionnaire' ? (
          <RadioGroup
            name="questionnaireKey"
            legend={t('participantLinks.form.questionnaire')}
            value={v.questionnaireKey}
            error={form.errorFor('questionnaireKey')}
            onChange={(x) => form.set('questionnaireKey', x)}
            options={keys.map((d) => ({ value: d.key, label: <span lang={d.language}>{d.title}</span> }))}
          />
        ) : null}
        <RadioGroup
          name="language"
          inline
          legend={t('participantLinks.form.language')}
          hint={v.purpose === 'questionnaire' && v.questionnaireKey === BARC10 && v.language === 'es' ? t('participantLinks.form.itemsInEnglish') : undefined}
          value={v.language}
          error={form.errorFor('language')}
          onChange={(x) => form.set('language', x)}
          options={(['en', 'es'] as const).map((l) => ({ value: l, label: t(`participantLinks.form.languages.${l}`) }))}
        />
        <RadioGroup name="delivery" legend={t('participantLinks.form.delivery')} value={v.delivery} error={form.errorFor('delivery')} onChange={(x) => form.set('delivery', x)} options={(['code', 'message'] as const).map((d) => ({ value: d, label: t(`participantLinks.form.deliveries.${d}`) }))} />
        <Button type="submit" busy={form.busy}>
          {t('participantLinks.form.submit')}
        </Button>
      </form>
    </Page>
  );
}

/**
 * Answer a questionnaire for a participant, at /questionnaires/:key/new?participant=<id>. Phone
 * first, on one page: each item is a radio group (BARC-10: 1 strongly disagree … 6 strongly agree;
 * a screen: yes / no). The items are shown exactly as the definition gives them, in its language
 * (BARC-10 only in English: a validated instrument is never translated ad hoc), marked with `lang`
 * for screen readers; the rest of the page is in the interface language, with a note saying so.
 * The server's field errors (`answers.q3`) land on their items. After a BARC-10 the coach goes back
 * to the participant's page with the total; after a screen, the suggested directory services are
 * shown with links to each and to refer the person to it.
 */
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { newIdempotencyKey } from '../../app/api';
import { useAuth, useMe } from '../../app/auth';
import { Banner, LoadFailed, Loading, Page } from '../../app/components';
import { Button } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { TextField } from '../../app/forms/fields';
import { useForm, type FormError } from '../../app/forms/useForm';
import { dateIn } from '../care/care.api';
import { ForbiddenPage } from '../errors/ForbiddenPage';
import { getParticipant, keys as participantKeys, nameOf } from '../participants/participants.api';
import type { NoticeState } from '../participants/Notice';
import { PERMISSIONS as REFERRAL_PERMISSIONS } from '../referrals/referrals.api';
import { ItemField, toAnswer } from './ItemField';
import { answer, listDefinitions, PERMISSIONS, pickDefinition, questionnaireKeys, type CreatedResponseT, type DefinitionT } from './questionnaires.api';
import './questionnaires.css';

const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v.trim());

interface Values {
  answeredOn: string;
  answers: Record<string, string>;
}

export function AnswerQuestionnairePage() {
  const me = useMe();
  if (!me.permissions.includes(PERMISSIONS.answer)) return <ForbiddenPage />;
  return <AnswerQuestionnaire />;
}

function AnswerQuestionnaire() {
  const { t, i18n } = useTranslation();
  const { key = '' } = useParams();
  const [params] = useSearchParams();
  const participantId = params.get('participant') ?? '';
  const definitions = useQuery({ queryKey: questionnaireKeys.definitions(), queryFn: listDefinitions });
  const participant = useQuery({ queryKey: participantKeys.participant(participantId), queryFn: () => getParticipant(participantId), enabled: participantId !== '' });
  const back = participantId ? { to: `/participants/${encodeURIComponent(participantId)}`, label: t('questionnaires.answer.back') } : undefined;

  if (!participantId) {
    return (
      <Page title={t('questionnaires.answer.title')}>
        <p>{t('questionnaires.answer.noParticipant')}</p>
      </Page>
    );
  }
  if (definitions.isPending) {
    return (
      <Page title={t('questionnaires.answer.title')} back={back}>
        <Loading />
      </Page>
    );
  }
  if (definitions.isError) {
    return (
      <Page title={t('questionnaires.answer.title')} back={back}>
        <LoadFailed error={definitions.error} retry={() => void definitions.refetch()} />
      </Page>
    );
  }
  const definition = pickDefinition(definitions.data, key, i18n.language.slice(0, 2));
  if (!definition) {
    return (
      <Page title={t('questionnaires.answer.title')} back={back}>
        <p>{t('questionnaires.answer.notFound')}</p>
      </Page>
    );
  }
  const name = participant.data ? nameOf(participant.data) : undefined;
  return <AnswerForm key={definition.id} definition={definition} participantId={participantId} participantName={name} back={back!} />;
}

/** Does a "yes" to this definition suggest directory services (a screen)? */
const isScreen = (d: DefinitionT) => d.items.some((i) => i.type === 'yes_no' && (i.suggestsServiceTypes?.length ?? 0) > 0);


function AnswerForm({ definition: d, participantId, participantName, back }: { definition: DefinitionT; participantId: string; participantName: string | undefined; back: { to: string; label: string } }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const timeZone = useAuth().me?.organization?.timeZone;
  const today = dateIn(new Date(), timeZone);
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [result, setResult] = useState<CreatedResponseT | null>(null);
  const itemIds = new Set(d.items.map((i) => `answers.${i.id}`));
  const form = useForm<Values>({
    initial: { answeredOn: today, answers: {} },
    fieldFor: (path) => (itemIds.has(path) ? path : path === 'answeredOn' ? 'answeredOn' : undefined),
    validate: (v) => {
      const e: FormError[] = [];
      if (!isDate(v.answeredOn) || v.answeredOn.trim() > today) e.push({ field: 'answeredOn', message: t('questionnaires.answer.errors.answeredOn') });
      d.items.forEach((item, i) => {
        const raw = v.answers[item.id] ?? '';
        if (raw.trim() === '') e.push({ field: `answers.${item.id}`, message: t('questionnaires.answer.errors.answer', { n: i + 1 }) });
        else if (item.type === 'number' && (typeof toAnswer(item, raw) !== 'number' || Number(raw) < item.min || Number(raw) > item.max))
          e.push({ field: `answers.${item.id}`, message: t('questionnaires.answer.errors.number', { min: item.min, max: item.max }) });
      });
      return e;
    },
    onSubmit: async (v) => {
      const answers = Object.fromEntries(d.items.filter((i) => v.answers[i.id] !== undefined).map((i) => [i.id, toAnswer(i, v.answers[i.id]!)]));
      const created = await answer(participantId, { key: d.key, version: d.version, language: d.language, answeredOn: v.answeredOn.trim(), answers }, idempotencyKey);
      await client.invalidateQueries({ queryKey: questionnaireKeys.participant(participantId) });
      if (isScreen(d)) {
        setResult(created);
        return;
      }
      const strong = created.flags.some((f) => f.flag === 'strong_recovery_capital');
      const notice = t(strong ? 'questionnaires.answer.savedStrong' : 'questionnaires.answer.saved', { title: d.title, score: created.score ?? '', max: created.maxScore ?? '' });
      const state: NoticeState = { notice };
      await navigate(back.to, { state });
    },
  });
  const v = form.values;
  const foreign = d.language !== i18n.language.slice(0, 2);
  const heading = <span lang={d.language}>{d.title}</span>;

  if (result) return <ScreenResult definition={d} result={result} participantId={participantId} participantName={participantName} back={back} heading={heading} />;

  return (
    <Page title={d.title} heading={heading} caption={participantName} back={back} hasErrors={form.errors.length > 0}>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      {foreign ? (
        <Banner>
          <p>{t('questionnaires.answer.itemsInEnglish')}</p>
        </Banner>
      ) : null}
      <p>{isScreen(d) ? t('questionnaires.answer.introScreen') : t('questionnaires.answer.intro')}</p>
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        {d.items.map((item, i) => (
          <ItemField key={item.id} item={item} index={i} language={d.language} t={t} value={v.answers[item.id] ?? ''} error={form.errorFor(`answers.${item.id}`)} onChange={(x) => form.set('answers', { ...v.answers, [item.id]: x })} />
        ))}
        <TextField name="answeredOn" type="date" width="medium" max={today} label={t('questionnaires.answer.answeredOn')} hint={t('questionnaires.answer.answeredOnHint')} value={v.answeredOn} error={form.errorFor('answeredOn')} onChange={(x) => form.set('answeredOn', x)} />
        <Button type="submit" busy={form.busy}>
          {t('questionnaires.answer.save')}
        </Button>
      </form>
    </Page>
  );
}

/** After a screen: the needs named and the directory services they suggest, each with "Refer". */
function ScreenResult({ definition: d, result, participantId, participantName, back, heading }: { definition: DefinitionT; result: CreatedResponseT; participantId: string; participantName: string | undefined; back: { to: string; label: string }; heading: ReactNode }) {
  const { t } = useTranslation();
  const me = useMe();
  const mayRefer = me.permissions.includes(REFERRAL_PERMISSIONS.manage);
  const needs = d.items.filter((i) => result.answers[i.id] === true).map((i) => t(`questionnaires.socialNeeds.domains.${i.id}`, { defaultValue: i.id }));
  const enc = encodeURIComponent;
  return (
    <Page title={d.title} heading={heading} caption={participantName} back={back}>
      <Banner kind="success" focus>
        <p>{t('questionnaires.answer.screenSaved')}</p>
        <p>{needs.length ? t('questionnaires.answer.needsNamed', { needs: needs.join(', ') }) : t('questionnaires.answer.noNeedsNamed')}</p>
      </Banner>
      {result.suggestedServiceTypes.length > 0 ? (
        <section aria-labelledby="suggested-heading">
          <h2 className="heading-m" id="suggested-heading">
            {t('questionnaires.answer.suggestedHeading')}
          </h2>
          {result.suggestedServices.length === 0 ? (
            <p>
              {t('questionnaires.answer.noSuggested')} <Link to="/directory">{t('nav.directory')}</Link>
            </p>
          ) : (
            <>
              <p>{t('questionnaires.answer.suggestedIntro')}</p>
              <ul className="questionnaire-suggestions">
                {result.suggestedServices.map((s) => (
                  <li key={`${s.serviceId}-${s.locationId ?? ''}`}>
                    <p>
                      <Link to={`/directory/services/${enc(s.serviceId)}`}>
                        <strong>{s.serviceName}</strong>
                      </Link>
                    </p>
                    <p>
                      {s.organizationName}
                      {s.address?.city ? <span className="hint"> · {s.address.city}</span> : null}
                    </p>
                    <p className="hint">{s.serviceTypes.map((x) => t(`directory.types.${x}`, { defaultValue: x })).join(', ')}</p>
                    {mayRefer ? (
                      <p>
                        <Link className="button button--secondary" to={`/referrals/new?participant=${enc(participantId)}&service=${enc(s.serviceId)}`}>
                          {t('questionnaires.answer.refer')}
                          <span className="visually-hidden"> {t('questionnaires.answer.referHidden', { name: s.serviceName })}</span>
                        </Link>
                      </p>
                    ) : null}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      ) : null}
      <p>
        <Link to={back.to}>{t('questionnaires.answer.done')}</Link>
      </p>
    </Page>
  );
}

/**
 * The page a participant opens from a one-time link, on their own phone, without an account:
 * `/l#token=…`. The secret is read from the fragment once, kept for this tab (a reload still
 * works) and taken out of the address bar. The page speaks in the link's language, greets the
 * person by the name they go by and shows nothing else about them: a questionnaire (its items in
 * their own language), a check-in, or their coping or safety plan to read. After answering: thanks,
 * and always where to get help now. A link that no longer works gets plain words, not an error.
 */
import { useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { isApiError } from '../../app/api';
import { Banner, Loading, Page } from '../../app/components';
import { Button } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { RadioGroup, TextArea } from '../../app/forms/fields';
import { useForm, type FormError } from '../../app/forms/useForm';
import { currentLocale } from '../../app/i18n';
import { useFragmentToken } from '../auth/fragmentToken';
import { ItemField, toAnswer } from '../questionnaires/ItemField';
import { PrintableCopingPlanView, PrintableSafetyPlanView } from '../coping-plans/PrintablePlans';
import { answerCheckIn, answerQuestionnaire, openLink, type OpenedLinkT } from './links.api';
import '../questionnaires/questionnaires.css';
import './links.css';

/** The words in the link's language, whatever the rest of this browser uses. */
type Fixed = (key: string, options?: Record<string, unknown>) => string;

const GONE_WORDS: Record<string, string> = { 'link.expired': 'expired', 'link.used': 'used', 'link.revoked': 'revoked', 'record.not_found': 'notFound' };

export default function LinkPage() {
  const { token, forget } = useFragmentToken('lodestar.participantLink');
  const { i18n } = useTranslation();
  const opened = useQuery({ queryKey: ['participant-link', token], queryFn: () => openLink(token!), enabled: !!token, retry: false, staleTime: Infinity, gcTime: 0 });
  const [done, setDone] = useState(false);
  const language = opened.data?.language ?? currentLocale();
  const t = i18n.getFixedT(language) as unknown as Fixed;

  if (!token) return <Gone t={t} title={t('participantLinks.page.notFoundTitle')} text={t('participantLinks.page.noToken')} />;
  if (opened.isPending) {
    return (
      <Page title={t('participantLinks.page.title')}>
        <p>{t('participantLinks.page.loading')}</p>
        <Loading />
      </Page>
    );
  }
  if (opened.isError) {
    const e = opened.error;
    const gone = isApiError(e) && e.status === 410;
    const notFound = isApiError(e) && (e.status === 404 || e.status === 400);
    // In this browser's language (the link's is unknown when it no longer opens); a cut-off address
    // (400 naming the token) reads like one that was never whole.
    if (gone || notFound) {
      const words = GONE_WORDS[e.code] ?? (e.status === 400 ? 'noToken' : 'notFound');
      return <Gone t={t} title={t(gone ? 'participantLinks.page.goneTitle' : 'participantLinks.page.notFoundTitle')} text={t(`participantLinks.page.gone.${words}`)} />;
    }
    return (
      <Page title={t('participantLinks.page.title')}>
        <Banner kind="warning">
          <p>{isApiError(e) ? e.message : String(e)}</p>
        </Banner>
        <Button onClick={() => void opened.refetch()}>{t('errors.retry')}</Button>
      </Page>
    );
  }
  const link = opened.data;
  const finish = () => {
    forget();
    setDone(true);
  };
  if (done) {
    return (
      <Page title={t('participantLinks.page.thanks')}>
        <Banner kind="success" focus>
          <p>{t('participantLinks.page.thanksText')}</p>
        </Banner>
        <Crisis t={t} />
      </Page>
    );
  }
  return (
    <div lang={language}>
      {link.questionnaire ? <QuestionnaireForm t={t} token={token} link={link} onDone={finish} /> : null}
      {link.checkIn ? <CheckInForm t={t} token={token} link={link} onDone={finish} /> : null}
      {link.copingPlan ? (
        <Page title={link.copingPlan.title}>
          <Greeting t={t} link={link} />
          <PrintableCopingPlanView plan={link.copingPlan} />
          <Crisis t={t} />
        </Page>
      ) : null}
      {link.safetyPlan ? (
        <Page title={link.safetyPlan.title}>
          <Greeting t={t} link={link} />
          <PrintableSafetyPlanView plan={link.safetyPlan} />
        </Page>
      ) : null}
    </div>
  );
}

function Gone({ t, title, text }: { t: Fixed; title: string; text: string }) {
  return (
    <Page title={title}>
      <p>{text}</p>
      <p>{t('participantLinks.page.askCoach')}</p>
      <Crisis t={t} />
    </Page>
  );
}

function Greeting({ t, link }: { t: Fixed; link: OpenedLinkT }) {
  const when = new Intl.DateTimeFormat(link.language, { dateStyle: 'long' }).format(new Date(link.expiresAt));
  return (
    <div className="link-greeting">
      <p className="heading-m">{link.greetingName ? t('participantLinks.page.hello', { name: link.greetingName }) : t('participantLinks.page.helloNoName')}</p>
      <p>{t('participantLinks.page.from', { organization: link.organizationName })}</p>
      <p className="hint">
        {t('participantLinks.page.private')} {t('participantLinks.page.expires', { when })}
      </p>
    </div>
  );
}

function Crisis({ t }: { t: Fixed }) {
  return (
    <aside className="link-crisis" aria-labelledby="link-crisis-heading">
      <h2 className="heading-s" id="link-crisis-heading">
        {t('participantLinks.page.crisisTitle')}
      </h2>
      <p>{t('participantLinks.page.crisisText')}</p>
    </aside>
  );
}

function QuestionnaireForm({ t, token, link, onDone }: { t: Fixed; token: string; link: OpenedLinkT; onDone: () => void }) {
  const q = link.questionnaire!;
  const itemIds = new Set(q.items.map((i) => `answers.${i.id}`));
  const form = useForm<{ answers: Record<string, string> }>({
    initial: { answers: {} },
    fieldFor: (path) => (itemIds.has(path) ? path : undefined),
    validate: (v) => {
      const e: FormError[] = [];
      q.items.forEach((item, i) => {
        if ((v.answers[item.id] ?? '').trim() === '') e.push({ field: `answers.${item.id}`, message: t('participantLinks.page.answerAll', { n: i + 1 }) });
      });
      return e;
    },
    onSubmit: async (v) => {
      await answerQuestionnaire({ token, answers: Object.fromEntries(q.items.map((i) => [i.id, toAnswer(i, v.answers[i.id]!)])) });
      onDone();
    },
  });
  const v = form.values;
  return (
    <Page title={q.title} heading={<span lang={q.language}>{q.title}</span>} hasErrors={form.errors.length > 0}>
      <Greeting t={t} link={link} />
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      {q.language !== link.language ? (
        <Banner>
          <p>{t('participantLinks.page.itemsInEnglish')}</p>
        </Banner>
      ) : null}
      <p>{t('participantLinks.page.questionnaireIntro')}</p>
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        {q.items.map((item, i) => (
          <ItemField key={item.id} item={item} index={i} language={q.language} t={t as unknown as TFunction} value={v.answers[item.id] ?? ''} error={form.errorFor(`answers.${item.id}`)} onChange={(x) => form.set('answers', { ...v.answers, [item.id]: x })} />
        ))}
        <Button type="submit" busy={form.busy}>
          {t('participantLinks.page.send')}
        </Button>
      </form>
    </Page>
  );
}

interface CheckInValues {
  mood: string;
  cravings: string;
  moudTaken: string;
  useSinceLast: string;
  overdoseSinceLast: string;
  goingWell: string;
  needsToday: string;
}

const CRAVINGS = Array.from({ length: 11 }, (_, i) => String(i));

function CheckInForm({ t, token, link, onDone }: { t: Fixed; token: string; link: OpenedLinkT; onDone: () => void }) {
  // Keys built from the field names: checked by the i18n completeness test, not the compiler.
  const w = (k: string): string => t(`participantLinks.page.checkIn.${k}`);
  const form = useForm<CheckInValues>({
    initial: { mood: '', cravings: '', moudTaken: '', useSinceLast: '', overdoseSinceLast: '', goingWell: '', needsToday: '' },
    validate: (v) => {
      const e: FormError[] = [];
      for (const f of ['mood', 'cravings', 'moudTaken', 'useSinceLast', 'overdoseSinceLast'] as const) if (!v[f]) e.push({ field: f, message: w(`errors.${f}`) });
      for (const f of ['goingWell', 'needsToday'] as const) if (v[f].trim().length > 500) e.push({ field: f, message: w('errors.tooLong') });
      return e;
    },
    onSubmit: async (v) => {
      await answerCheckIn({
        token,
        mood: Number(v.mood),
        cravings: Number(v.cravings),
        moudTaken: v.moudTaken as 'yes',
        useSinceLast: v.useSinceLast === 'yes',
        overdoseSinceLast: v.overdoseSinceLast === 'yes',
        goingWell: v.goingWell.trim() || null,
        needsToday: v.needsToday.trim() || null,
      });
      onDone();
    },
  });
  const v = form.values;
  const yesNo = [
    { value: 'yes', label: w('yes') },
    { value: 'no', label: w('no') },
  ];
  return (
    <Page title={w('title')} hasErrors={form.errors.length > 0}>
      <Greeting t={t} link={link} />
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <p>{w('intro')}</p>
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <RadioGroup name="mood" legend={w('mood')} value={v.mood} error={form.errorFor('mood')} onChange={(x) => form.set('mood', x)} options={['1', '2', '3', '4', '5'].map((n) => ({ value: n, label: w(`moods.${n}`) }))} />
        <RadioGroup name="cravings" inline legend={w('cravings')} value={v.cravings} error={form.errorFor('cravings')} onChange={(x) => form.set('cravings', x)} options={CRAVINGS.map((n) => ({ value: n, label: n }))} />
        <RadioGroup
          name="moudTaken"
          legend={w('moudTaken')}
          value={v.moudTaken}
          error={form.errorFor('moudTaken')}
          onChange={(x) => form.set('moudTaken', x)}
          options={(link.checkIn?.moudTakenChoices ?? []).map((c) => ({ value: c, label: w(`moud.${c}`) }))}
        />
        <RadioGroup name="useSinceLast" inline legend={w('useSinceLast')} value={v.useSinceLast} error={form.errorFor('useSinceLast')} onChange={(x) => form.set('useSinceLast', x)} options={yesNo} />
        <RadioGroup name="overdoseSinceLast" inline legend={w('overdoseSinceLast')} value={v.overdoseSinceLast} error={form.errorFor('overdoseSinceLast')} onChange={(x) => form.set('overdoseSinceLast', x)} options={yesNo} />
        <TextArea name="goingWell" label={w('goingWell')} value={v.goingWell} error={form.errorFor('goingWell')} onChange={(x) => form.set('goingWell', x)} rows={3} />
        <TextArea name="needsToday" label={w('needsToday')} value={v.needsToday} error={form.errorFor('needsToday')} onChange={(x) => form.set('needsToday', x)} rows={3} />
        <Button type="submit" busy={form.busy}>
          {t('participantLinks.page.send')}
        </Button>
      </form>
      <Crisis t={t} />
    </Page>
  );
}

/**
 * One participant: who they are, how to reach them safely, where the health facts came from, and
 * their programs. Supervisors and program managers can reassign an open episode to another coach.
 * The page title is always "Participant": a name never goes in a title or an address.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { FACT_SOURCES } from '../../../contracts/participants';
import { isApiError } from '../../app/api';
import { useMe } from '../../app/auth';
import { Banner, LoadFailed, Loading, Page, SummaryList, useFormatDateTime, type SummaryRow } from '../../app/components';
import { Button, ButtonGroup } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { SelectField, TextArea } from '../../app/forms/fields';
import { useForm, type FormError } from '../../app/forms/useForm';
import { ageFrom, getParticipant, keys, listEpisodes, listPrograms, listSites, listStaff, nameOf, reassignEpisode, type EpisodeT, type ParticipantT } from './participants.api';
import { NoticeFromState } from './Notice';
import { StatusTag } from './StatusTag';
import { OutOfScope } from '../break-glass/OutOfScope';
import { ConsentsSection } from '../consents/ConsentsSection';
import { TimelineSection } from '../care/TimelineSection';
import { TodosSection } from '../care/TodosSection';
import { MergeSection } from '../merge/MergeSection';
import { EncounterActions } from '../encounters/EncounterActions';
import { EdVisitAction } from '../ed/EdVisitAction';
import { OutreachPanel } from '../outreach/OutreachPanel';
import { AppointmentsSection } from '../appointments/AppointmentsSection';
import { MoudSection } from '../moud/MoudSection';
import { FederalInterviewsSection } from '../federal-follow-up/FederalInterviewsSection';
import { ReferralsSection } from '../referrals/ReferralsSection';
import { QuestionnairesSection } from '../questionnaires/QuestionnairesSection';
import { CheckInsSection } from '../checkins/CheckInsSection';
import { MilestonesSection } from '../checkins/MilestonesSection';
import { RecoveryPlanSection } from '../recovery-plans/RecoveryPlanSection';
import { CopingPlansSection } from '../coping-plans/CopingPlansSection';
import { LinksSection } from '../participant-links/LinksSection';

type Source = (typeof FACT_SOURCES)[number];

export function ParticipantPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const participant = useQuery({ queryKey: keys.participant(id), queryFn: () => getParticipant(id), retry: (n, e) => !isApiError(e) && n < 2 });
  const title = t('participants.profile.title');
  const back = { to: '/participants', label: t('participants.profile.backToParticipants') };
  if (participant.isPending) return <Page title={title} back={back}><Loading /></Page>;
  if (participant.isError) {
    if (isApiError(participant.error) && participant.error.code === 'participant.out_of_scope') {
      const offer = (participant.error.details as { breakGlass?: boolean } | undefined)?.breakGlass === true;
      return (
        <Page title={title} back={back}>
          <OutOfScope participantId={id} breakGlass={offer} onGranted={() => void participant.refetch()} />
        </Page>
      );
    }
    if (isApiError(participant.error) && participant.error.code === 'participant.merged') {
      const into = (participant.error.details as { mergedIntoId?: string } | undefined)?.mergedIntoId;
      return (
        <Page title={title} back={back}>
          <p className="lead">{t('participants.profile.merged')}</p>
          {into ? <Link to={`/participants/${into}`}>{t('participants.profile.openMerged')}</Link> : null}
        </Page>
      );
    }
    return <Page title={title} back={back}><LoadFailed error={participant.error} retry={() => void participant.refetch()} /></Page>;
  }
  return <Profile participant={participant.data} />;
}

function Profile({ participant: p }: { participant: ParticipantT }) {
  const { t } = useTranslation();
  const me = useMe();
  const formatDateTime = useFormatDateTime();
  const source = (s: Source | null) => (s ? ` (${t('participants.profile.source', { source: t(`participants.sources.${s}`) })})` : '');
  const notRecorded = t('participants.profile.notRecorded');
  const age = p.dateOfBirth
    ? `${p.dateOfBirth} · ${t('participants.age', { age: ageFrom(p.dateOfBirth) })}`
    : p.birthYear
      ? t('participants.estimatedAge', { age: new Date().getFullYear() - p.birthYear })
      : notRecorded;
  const rules = p.doNotContact
    ? t('participants.profile.doNotContact')
    : [p.okVoicemail ? t('participants.profile.okVoicemail') : t('participants.profile.noVoicemail'), p.okText ? t('participants.profile.okText') : t('participants.profile.noText'), p.contactWindowStart && p.contactWindowEnd ? t('participants.profile.contactWindow', { start: p.contactWindowStart, end: p.contactWindowEnd }) : '', p.safeTimes ? t('participants.profile.safeTimes', { times: p.safeTimes }) : '']
        .filter(Boolean)
        .join(' · ');
  const fullName = [p.firstName, p.lastName].filter(Boolean).join(' ');
  const about: SummaryRow[] = [
    ...(p.preferredName ? [{ key: t('participants.profile.legalName'), value: fullName || notRecorded }] : []),
    ...(p.alias ? [{ key: t('participants.full.alias'), value: p.alias }] : []),
    ...(p.pronouns ? [{ key: t('participants.profile.pronouns'), value: p.pronouns }] : []),
    ...(p.language ? [{ key: t('participants.full.language'), value: p.language }] : []),
    { key: t('participants.profile.age'), value: age },
    { key: t('participants.profile.intakeLevel'), value: p.intakeLevel === 'full' ? t('participants.profile.intakeFull') : t('participants.profile.intakeBrief') },
  ];
  const contact: SummaryRow[] = [
    { key: t('participants.profile.phone'), value: p.phone ? formatPhone(p.phone) : notRecorded },
    ...(p.email ? [{ key: t('participants.profile.email'), value: p.email }] : []),
    { key: t('participants.profile.contactMethod'), value: p.preferredContactMethod ? t(`participants.contactMethods.${p.preferredContactMethod}`) : notRecorded },
    { key: t('participants.profile.contactRules'), value: rules },
    { key: t('participants.profile.consent'), value: p.consentToFollowUp ? t('participants.profile.consentGiven') : t('participants.profile.consentNotGiven') },
  ];
  const health: SummaryRow[] = [
    { key: t('participants.profile.hasOud'), value: p.hasOud == null ? notRecorded : `${p.hasOud ? t('common.yes') : t('common.no')}${source(p.hasOudSource)}` },
    { key: t('participants.profile.currentMoud'), value: p.currentMoud ? `${t(`participants.moud.${p.currentMoud}`)}${source(p.moudSource)}` : notRecorded },
    { key: t('participants.profile.primarySubstance'), value: p.primarySubstance ? `${t(`participants.substances.${p.primarySubstance}`)}${source('participant_reported')}` : notRecorded },
    { key: t('participants.profile.recoveryStartDate'), value: p.recoveryStartDate ?? notRecorded },
  ];
  const mayEdit = me.permissions.includes('participants.update');
  return (
    <Page title={t('participants.profile.title')} heading={nameOf(p)} caption={t('participants.participant')} back={{ to: '/participants', label: t('participants.profile.backToParticipants') }}>
      <NoticeFromState />
      {p.accessUntil ? (
        <Banner kind="warning">
          <p>{t('participants.profile.accessUntil', { time: formatDateTime(p.accessUntil) })}</p>
        </Banner>
      ) : null}
      {p.intakeLevel === 'brief' && mayEdit ? (
        <Banner title={t('participants.profile.briefTitle')}>
          <p>{t('participants.profile.briefText')}</p>
          <Link to={`/participants/${p.id}/edit`} className="button">
            {t('participants.profile.completeFullIntake')}
          </Link>
        </Banner>
      ) : null}
      <EncounterActions participantId={p.id} />
      <EdVisitAction participantId={p.id} />
      <h2 className="heading-m">{t('participants.profile.aboutHeading')}</h2>
      <SummaryList rows={about} />
      <h2 className="heading-m">{t('participants.profile.contactHeading')}</h2>
      <SummaryList rows={contact} />
      <h2 className="heading-m">{t('participants.profile.healthHeading')}</h2>
      <SummaryList rows={health} />
      {mayEdit && p.intakeLevel === 'full' ? (
        <p>
          <Link to={`/participants/${p.id}/edit`} className="button button--secondary">
            {t('participants.profile.edit')}
          </Link>
        </p>
      ) : null}
      <Episodes participantId={p.id} />
      <ConsentsSection participantId={p.id} />
      <TodosSection participantId={p.id} />
      <ReferralsSection participantId={p.id} />
      <AppointmentsSection participantId={p.id} />
      <MoudSection participantId={p.id} />
      <CheckInsSection participantId={p.id} />
      <MilestonesSection participantId={p.id} />
      <RecoveryPlanSection participantId={p.id} />
      <CopingPlansSection participantId={p.id} />
      <QuestionnairesSection participantId={p.id} />
      <FederalInterviewsSection participantId={p.id} />
      <LinksSection participantId={p.id} />
      <TimelineSection participantId={p.id} />
      <MergeSection participantId={p.id} />
    </Page>
  );
}

/** 15551234567 → (555) 123-4567; anything else as stored. */
function formatPhone(digits: string): string {
  const m = /^1(\d{3})(\d{3})(\d{4})$/.exec(digits);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : `+${digits}`;
}

function Episodes({ participantId }: { participantId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const episodes = useQuery({ queryKey: keys.episodes(participantId), queryFn: () => listEpisodes(participantId) });
  const programs = useQuery({ queryKey: keys.programs, queryFn: listPrograms });
  const sites = useQuery({ queryKey: keys.sites, queryFn: listSites });
  const mayReassign = me.permissions.includes('episodes.reassign');
  const staff = useQuery({ queryKey: keys.users, queryFn: listStaff, enabled: me.permissions.includes('users.read') });
  const [notice, setNotice] = useState<string | null>(null);
  const coachName = (e: { assignedCoachUserId: string | null; assignedCoachName: string | null }) => {
    if (!e.assignedCoachUserId) return t('participants.profile.noCoach');
    return e.assignedCoachName ?? t('participants.profile.anotherCoach');
  };
  return (
    <section aria-labelledby="episodes-heading">
      <h2 className="heading-m" id="episodes-heading">
        {t('participants.profile.episodesHeading')}
      </h2>
      {notice ? (
        <Banner kind="success">
          <p>{notice}</p>
        </Banner>
      ) : null}
      {episodes.isPending ? <Loading /> : null}
      {episodes.isError ? <LoadFailed error={episodes.error} retry={() => void episodes.refetch()} /> : null}
      {episodes.data && episodes.data.length === 0 ? <p>{t('participants.profile.noEpisodes')}</p> : null}
      <ul className="record-list">
        {(episodes.data ?? []).map((e) => (
          <li key={e.id} className="record">
            <h3 className="heading-s record-title">{programs.data?.find((p) => p.id === e.programId)?.name ?? t('participants.profile.program')}</h3>
            <dl className="record-facts">
              <div>
                <dt>{t('participants.status')}</dt>
                <dd>
                  <StatusTag status={e.status} />
                </dd>
              </div>
              <div>
                <dt>{t('participants.profile.site')}</dt>
                <dd>{sites.data?.find((s) => s.id === e.siteId)?.name ?? ''}</dd>
              </div>
              <div>
                <dt>{t('participants.profile.coach')}</dt>
                <dd>{coachName(e)}</dd>
              </div>
              <div>
                <dt>{t('participants.profile.startDate')}</dt>
                <dd>{e.startDate}</dd>
              </div>
            </dl>
            {mayReassign && e.status !== 'discharged' ? (
              <Reassign
                episode={e}
                coaches={(staff.data ?? []).filter((u) => u.status === 'active' && u.roles.includes('coach') && u.id !== e.assignedCoachUserId)}
                onDone={(name) => setNotice(t('participants.profile.reassigned', { name }))}
              />
            ) : null}
            {e.status !== 'discharged' && me.permissions.includes('outreach.read') ? <OutreachPanel episodeId={e.id} /> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Reassign({ episode, coaches, onDone }: { episode: EpisodeT; coaches: { id: string; displayName: string }[]; onDone: (name: string) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const form = useForm({
    initial: { toCoachUserId: '', reason: '' },
    validate: (v) => {
      const e: FormError[] = [];
      if (!v.toCoachUserId) e.push({ field: 'toCoachUserId', message: t('participants.profile.reassignErrors.coachMissing') });
      if (!v.reason.trim()) e.push({ field: 'reason', message: t('participants.profile.reassignErrors.reasonMissing') });
      return e;
    },
    onSubmit: async (v) => {
      await reassignEpisode(episode.id, { toCoachUserId: v.toCoachUserId, reason: v.reason.trim() });
      await queryClient.invalidateQueries({ queryKey: keys.participant(episode.participantId) });
      await queryClient.invalidateQueries({ queryKey: keys.caseload });
      setOpen(false);
      onDone(coaches.find((c) => c.id === v.toCoachUserId)?.displayName ?? '');
    },
  });
  if (!open) {
    return (
      <Button variant="secondary" onClick={() => setOpen(true)}>
        {t('participants.profile.reassign')}
      </Button>
    );
  }
  return (
    <div className="section" role="group" aria-labelledby={`reassign-${episode.id}`}>
      <h4 className="heading-s" id={`reassign-${episode.id}`}>
        {t('participants.profile.reassignHeading')}
      </h4>
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <form className="form" noValidate onSubmit={(e) => void form.onSubmit(e)}>
        <SelectField
          name="toCoachUserId"
          label={t('participants.profile.reassignCoach')}
          options={[{ value: '', label: t('participants.brief.chooseOne') }, ...coaches.map((c) => ({ value: c.id, label: c.displayName }))]}
          value={form.values.toCoachUserId}
          error={form.errorFor('toCoachUserId')}
          onChange={(v) => form.set('toCoachUserId', v)}
        />
        <TextArea
          name="reason"
          label={t('participants.profile.reassignReason')}
          hint={t('participants.profile.reassignReasonHint')}
          rows={2}
          value={form.values.reason}
          error={form.errorFor('reason')}
          onChange={(v) => form.set('reason', v)}
        />
        <ButtonGroup>
          <Button type="submit" busy={form.busy}>
            {t('participants.profile.reassignSubmit')}
          </Button>
          <Button variant="secondary" onClick={() => setOpen(false)}>
            {t('common.cancel')}
          </Button>
        </ButtonGroup>
      </form>
    </div>
  );
}


/**
 * An episode's outreach, for the participant page (the lead places it): the contact cadence and
 * when the next contact is due, the attempts that have not reached the person, the channels tried
 * and not yet tried, and — when the program's rule proposes it — "Mark unreachable" with a reason.
 * Marking is the coach's decision; re-engagement to-dos follow at 30 and 60 days.
 */
import { useQueryClient, useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { Banner, LoadFailed, Loading, SummaryList, Tag, useFormatDateTime } from '../../app/components';
import { Button } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { TextArea } from '../../app/forms/fields';
import { useForm } from '../../app/forms/useForm';
import { newIdempotencyKey } from '../../app/api';
import { ContactRules } from './ContactRules';
import { getEpisodeOutreach, markUnreachable, outreachKeys, type EpisodeOutreachT } from './outreach.api';

function MarkUnreachableForm({ data, onDone }: { data: EpisodeOutreachT; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const key = useRef(newIdempotencyKey());
  const queryClient = useQueryClient();
  const [changed, setChanged] = useState(false);
  const form = useForm({
    initial: { reason: '' },
    validate: (v) => (v.reason.trim() ? [] : [{ field: 'reason', message: t('outreach.panel.reasonMissing') }]),
    onSubmit: async (v) => {
      const res = await markUnreachable(data.episodeId, { reason: v.reason.trim(), version: data.version }, key.current);
      await queryClient.invalidateQueries({ queryKey: ['outreach'] });
      await queryClient.invalidateQueries({ queryKey: ['participants'] });
      onDone(t('outreach.panel.marked', { first: res.reEngagement[0]?.dueOn ?? '', second: res.reEngagement[1]?.dueOn ?? '' }));
    },
    onConflict: () => {
      setChanged(true);
      key.current = newIdempotencyKey();
      void queryClient.invalidateQueries({ queryKey: outreachKeys.episode(data.episodeId) });
    },
  });
  return (
    <form onSubmit={(e) => void form.onSubmit(e)} noValidate>
      {changed ? <Banner kind="warning">{t('outreach.panel.changed')}</Banner> : null}
      <ErrorSummary errors={form.errors} attempt={form.attempt} />
      <TextArea name="reason" label={t('outreach.panel.reasonLabel')} hint={t('outreach.panel.reasonHint')} error={form.errorFor('reason')} value={form.values.reason} onChange={(v) => form.set('reason', v)} rows={3} />
      <Button type="submit" variant="warning" busy={form.busy} busyLabel={t('outreach.panel.marking')}>
        {t('outreach.panel.mark')}
      </Button>
    </form>
  );
}

function Panel({ data }: { data: EpisodeOutreachT }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const formatDateTime = useFormatDateTime();
  const [done, setDone] = useState<string | null>(null);
  const c = data.cadence;
  const channel = (k: string) => t(`outreach.channels.${k as EpisodeOutreachT['channelsTried'][number]}`);
  return (
    <>
      {done ? <Banner kind="success" focus>{done}</Banner> : null}
      <SummaryList
        rows={[
          { key: t('outreach.panel.cadence'), value: `${t('outreach.panel.cadenceDays', { count: c.effectiveCadenceDays })}${c.cadenceDays === null ? ` (${t('outreach.panel.programCadence')})` : ''}` },
          {
            key: t('outreach.panel.nextDue'),
            value: (
              <>
                {c.dueOn} {c.daysOverdue > 0 ? <Tag tone="red">{t('outreach.panel.overdue', { count: c.daysOverdue })}</Tag> : null}
              </>
            ),
          },
          { key: t('outreach.panel.lastContact'), value: data.lastSuccessfulContactAt ? formatDateTime(data.lastSuccessfulContactAt) : t('outreach.panel.never') },
          {
            key: t('outreach.panel.attempts', { since: data.since }),
            value:
              data.attempts.length === 0 ? (
                t('outreach.panel.noAttempts')
              ) : (
                <ul className="list">
                  {data.attempts.map((a) => (
                    <li key={a.id}>
                      {formatDateTime(a.startedAt)}: {channel(a.mode)}
                    </li>
                  ))}
                </ul>
              ),
          },
          { key: t('outreach.panel.tried'), value: data.channelsTried.length ? data.channelsTried.map(channel).join(', ') : t('outreach.panel.noAttempts') },
          { key: t('outreach.panel.notTried'), value: data.channelsNotTried.length ? data.channelsNotTried.map(channel).join(', ') : t('outreach.panel.nothingLeft') },
          { key: t('outreach.today.reach'), value: <ContactRules rules={data.contact} /> },
          ...(data.status === 'unreachable'
            ? [{ key: t('outreach.panel.unreachable'), value: data.unreachableReason ? `${t('outreach.panel.reason')}: ${data.unreachableReason}` : '' }]
            : []),
        ]}
      />
      {data.proposeUnreachable && can('outreach.manage') && !done ? (
        <Banner kind="warning" title={t('outreach.panel.proposalTitle')}>
          <p>{t('outreach.panel.proposalText', { attempts: data.rule.attempts, channels: data.rule.channels, days: data.rule.days })}</p>
          <MarkUnreachableForm data={data} onDone={setDone} />
        </Banner>
      ) : null}
    </>
  );
}

/** The outreach panel of one episode. */
export function OutreachPanel({ episodeId }: { episodeId: string }) {
  const { t } = useTranslation();
  const outreach = useQuery({ queryKey: outreachKeys.episode(episodeId), queryFn: () => getEpisodeOutreach(episodeId) });
  return (
    <section aria-labelledby={`outreach-${episodeId}`}>
      <h2 className="heading-m" id={`outreach-${episodeId}`}>
        {t('outreach.panel.heading')}
      </h2>
      {outreach.isPending ? <Loading /> : outreach.isError ? <LoadFailed error={outreach.error} retry={() => void outreach.refetch()} /> : <Panel data={outreach.data} />}
    </section>
  );
}

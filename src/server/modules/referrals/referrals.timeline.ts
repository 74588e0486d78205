/**
 * What referrals add to a participant's timeline (see src/server/timeline.ts): one item per
 * referral event — `referral.created`, `referral.sent`, `referral.updated` (an update shared),
 * `referral.<status>` for each status move, `referral.scheduled` (first visit booked),
 * `referral.attendance`, and `referral.linked` (linkage: attended or started MOUD) — read from
 * `referral_events (organization_id, participant_id, occurred_at)` with `beforeCursor`.
 */
import type { TimelineItem, TimelineProvider } from '../care/timeline.types.js';
import { beforeCursor } from '../care/care.timeline.js';
import { staffNames } from '../care/care.repository.js';

const PREFIX = 'referral:';
const label = (s: string) => s.replaceAll('_', ' ');

function summaryOf(kind: string, toStatus: string | null, reason: string | null, receiver: string, linkageKind: string | null): { kind: string; summary: string } {
  switch (kind) {
    case 'created':
      return { kind: 'referral.created', summary: toStatus === 'draft' ? `Referral drafted to ${receiver}` : `Referred to ${receiver}` };
    case 'sent':
      return { kind: 'referral.sent', summary: `Referral sent to ${receiver}` };
    case 'updated':
      return { kind: 'referral.updated', summary: `Referral update sent to ${receiver}` };
    case 'scheduled':
      return { kind: 'referral.scheduled', summary: `${receiver} booked a first visit` };
    case 'attendance':
      return { kind: 'referral.attendance', summary: reason === 'attended' ? `${receiver}: the person came` : `${receiver}: the first visit was missed` };
    case 'linked':
      return { kind: 'referral.linked', summary: `Linked to care at ${receiver}${(reason ?? linkageKind) === 'moud_started' ? ' (started medication)' : ''}` };
    default:
      return { kind: `referral.${toStatus ?? 'changed'}`, summary: `Referral to ${receiver}: ${label(toStatus ?? 'changed')}` };
  }
}

const referrals: TimelineProvider = {
  name: 'referrals',
  kinds: ['referral'],
  async items(db, q) {
    let query = db
      .selectFrom('referral_events as e')
      .innerJoin('referrals as r', 'r.id', 'e.referral_id')
      .select(['e.id', 'e.referral_id', 'e.kind', 'e.to_status', 'e.from_status', 'e.reason', 'e.actor_kind', 'e.actor_user_id', 'e.occurred_at', 'r.receiver_name', 'r.mode', 'r.linkage_kind', 'r.linked_on', 'r.linkage_source'])
      .where('e.organization_id', '=', q.organizationId)
      .where('e.participant_id', '=', q.participantId);
    if (q.before) query = query.where(beforeCursor('e.occurred_at', 'e.id', PREFIX, q.before));
    const rows = await query.orderBy('e.occurred_at', 'desc').orderBy('e.id', 'desc').limit(q.limit).execute();
    const names = await staffNames(db, rows.map((r) => r.actor_user_id));
    return rows.map((r): TimelineItem => {
      const { kind, summary } = summaryOf(r.kind, r.to_status, r.reason, r.receiver_name, r.linkage_kind);
      return {
        id: `${PREFIX}${r.id}`,
        kind,
        at: new Date(r.occurred_at).toISOString(),
        dateOnly: false,
        summary,
        details: {
          referralId: r.referral_id,
          receiver: r.receiver_name,
          mode: r.mode,
          from: r.from_status,
          to: r.to_status,
          ...(r.kind === 'linked' && { linkageKind: r.reason, linkedOn: r.linked_on, source: r.linkage_source }),
          byPartner: r.actor_kind === 'partner',
          by: names.get(r.actor_user_id) ?? null,
        },
        link: `/referrals/${r.referral_id}`,
        actorUserId: r.actor_user_id,
      };
    });
  },
};

export const referralsTimelineProviders: readonly TimelineProvider[] = [referrals];

/**
 * What check-ins and milestones add to a participant's timeline (see src/server/timeline.ts):
 * `checkin.recorded` with the mood and cravings numbers only (never the texts), and
 * `milestone.celebrated` with the milestone's kind, step and date (never the note).
 */
import type { TimelineItem, TimelineProvider } from '../care/timeline.types.js';
import { beforeCursor } from '../care/care.timeline.js';

const CHECK_IN = 'checkin:';
const CELEBRATION = 'celebration:';

const checkIns: TimelineProvider = {
  name: 'check_ins',
  kinds: ['checkin'],
  async items(db, q) {
    let query = db
      .selectFrom('check_ins')
      .select(['id', 'mood', 'cravings', 'checked_in_on', 'created_by', 'created_at'])
      .where('organization_id', '=', q.organizationId)
      .where('participant_id', '=', q.participantId);
    if (q.before) query = query.where(beforeCursor('created_at', 'id', CHECK_IN, q.before));
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
    return rows.map((r): TimelineItem => ({
      id: `${CHECK_IN}${r.id}`,
      kind: 'checkin.recorded',
      at: new Date(r.created_at).toISOString(),
      dateOnly: false,
      summary: `Check-in: mood ${Number(r.mood)} of 5, cravings ${Number(r.cravings)} of 10`,
      details: { mood: Number(r.mood), cravings: Number(r.cravings), checkedInOn: String(r.checked_in_on).slice(0, 10) },
      link: null,
      actorUserId: r.created_by,
    }));
  },
};

const celebrations: TimelineProvider = {
  name: 'milestone_celebrations',
  kinds: ['milestone'],
  async items(db, q) {
    let query = db
      .selectFrom('milestone_celebrations')
      .select(['id', 'kind', 'anchor', 'milestone_on', 'celebrated_by', 'created_at'])
      .where('organization_id', '=', q.organizationId)
      .where('participant_id', '=', q.participantId);
    if (q.before) query = query.where(beforeCursor('created_at', 'id', CELEBRATION, q.before));
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
    return rows.map((r): TimelineItem => {
      const on = String(r.milestone_on).slice(0, 10);
      const what = r.kind === 'custom' ? 'A milestone' : `${r.kind === 'moud' ? 'MOUD' : 'Recovery'} ${r.anchor}`;
      return {
        id: `${CELEBRATION}${r.id}`,
        kind: 'milestone.celebrated',
        at: new Date(r.created_at).toISOString(),
        dateOnly: false,
        summary: `${what} celebrated (${on})`,
        details: { kind: r.kind, anchor: r.kind === 'custom' ? null : r.anchor, on },
        link: null,
        actorUserId: r.celebrated_by,
      };
    });
  },
};

export const checkinsTimelineProviders: readonly TimelineProvider[] = [checkIns, celebrations];

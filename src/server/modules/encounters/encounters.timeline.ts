/**
 * The encounters timeline provider: one `encounter.logged` item per encounter, at its start, with
 * its type, mode, whether the person was reached, and whether it was deleted. Never the note, the
 * participant's words or the services: the timeline shows what happened, the encounter page the rest.
 */
import { beforeCursor } from '../care/care.timeline.js';
import { staffNames } from '../care/care.repository.js';
import type { TimelineItem, TimelineProvider } from '../care/timeline.types.js';

const PREFIX = 'encounter:';
const label = (s: string) => s.replaceAll('_', ' ');

const encounters: TimelineProvider = {
  name: 'encounters',
  kinds: ['encounter'],
  async items(db, q) {
    let query = db
      .selectFrom('encounters')
      .select(['id', 'type', 'mode', 'reached', 'attempt_outcome', 'status', 'started_at', 'author_user_id', 'deleted_at', 'group_id'])
      .where('organization_id', '=', q.organizationId)
      .where('participant_id', '=', q.participantId);
    if (q.before) query = query.where(beforeCursor('started_at', 'id', PREFIX, q.before));
    const rows = await query.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
    const names = await staffNames(db, rows.map((r) => r.author_user_id));
    return rows.map(
      (r): TimelineItem => ({
        id: `${PREFIX}${r.id}`,
        kind: 'encounter.logged',
        at: r.started_at,
        dateOnly: false,
        summary: r.deleted_at
          ? 'Encounter deleted'
          : `${label(r.type).replace(/^./, (c) => c.toUpperCase())} by ${label(r.mode)}${Number(r.reached) === 1 ? '' : ` (not reached${r.attempt_outcome ? `: ${label(r.attempt_outcome)}` : ''})`}`,
        details: {
          encounterId: r.id,
          type: r.type,
          mode: r.mode,
          reached: Number(r.reached) === 1,
          attemptOutcome: r.attempt_outcome,
          status: r.status,
          group: r.group_id !== null,
          deleted: r.deleted_at !== null,
          by: names.get(r.author_user_id) ?? null,
        },
        link: `/participants/${q.participantId}/encounters/${r.id}`,
        actorUserId: r.author_user_id,
      }),
    );
  },
};

export const encounterTimelineProviders: TimelineProvider[] = [encounters];

/**
 * What coping and safety plans add to a participant's timeline (see src/server/timeline.ts):
 * `coping_plan.updated` and `safety_plan.updated` (each saved version, with its number) from
 * `coping_plan_versions`, read by `(organization_id, participant_id, created_at, id)` with
 * `beforeCursor`. Numbers only: never the participant's words.
 */
import type { TimelineItem, TimelineProvider } from '../care/timeline.types.js';
import { beforeCursor } from '../care/care.timeline.js';

const versions: TimelineProvider = {
  name: 'coping_plan_versions',
  kinds: ['coping_plan', 'safety_plan'],
  async items(db, q) {
    const prefix = 'coping_plan.version:';
    let query = db
      .selectFrom('coping_plan_versions')
      .select(['id', 'kind', 'number', 'created_by', 'created_at'])
      .where('organization_id', '=', q.organizationId)
      .where('participant_id', '=', q.participantId);
    if (q.before) query = query.where(beforeCursor('created_at', 'id', prefix, q.before));
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
    return rows.map((r): TimelineItem => {
      const number = Number(r.number);
      const safety = r.kind === 'safety';
      const what = safety ? 'Safety plan' : 'Plan for cravings and triggers';
      return {
        id: `${prefix}${r.id}`,
        kind: safety ? 'safety_plan.updated' : 'coping_plan.updated',
        at: new Date(r.created_at).toISOString(),
        dateOnly: false,
        summary: number === 1 ? `${what} written (version 1)` : `${what} updated: version ${number}`,
        details: { version: number },
        link: null,
        actorUserId: r.created_by,
      };
    });
  },
};

export const copingPlansTimelineProviders: readonly TimelineProvider[] = [versions];

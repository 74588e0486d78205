/**
 * What questionnaires add to a participant's timeline (see src/server/timeline.ts): one
 * `questionnaire.answered` item per response, with the questionnaire's key, version and total —
 * never the answers. Read from `questionnaire_responses (organization_id, participant_id,
 * created_at, id)` with `beforeCursor`.
 */
import type { TimelineItem, TimelineProvider } from '../care/timeline.types.js';
import { beforeCursor } from '../care/care.timeline.js';

const PREFIX = 'questionnaire:';

const responses: TimelineProvider = {
  name: 'questionnaires',
  kinds: ['questionnaire'],
  async items(db, q) {
    let query = db
      .selectFrom('questionnaire_responses as r')
      .innerJoin('questionnaire_definitions as d', 'd.id', 'r.definition_id')
      .select(['r.id', 'r.questionnaire_key', 'r.score', 'r.answered_on', 'r.source', 'r.created_by', 'r.created_at', 'd.version', 'd.title'])
      .where('r.organization_id', '=', q.organizationId)
      .where('r.participant_id', '=', q.participantId);
    if (q.before) query = query.where(beforeCursor('r.created_at', 'r.id', PREFIX, q.before));
    const rows = await query.orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').limit(q.limit).execute();
    return rows.map((r): TimelineItem => {
      const score = r.score == null ? null : Number(r.score);
      return {
        id: `${PREFIX}${r.id}`,
        kind: 'questionnaire.answered',
        at: new Date(r.created_at).toISOString(),
        dateOnly: false,
        summary: score === null ? `${r.title} answered` : `${r.title} answered: total ${score}`,
        details: { key: r.questionnaire_key, version: Number(r.version), score, answeredOn: String(r.answered_on).slice(0, 10), source: r.source },
        link: null,
        actorUserId: r.created_by,
      };
    });
  },
};

export const questionnairesTimelineProviders: readonly TimelineProvider[] = [responses];

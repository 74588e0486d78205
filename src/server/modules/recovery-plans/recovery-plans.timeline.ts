/**
 * What recovery plans add to a participant's timeline (see src/server/timeline.ts): `plan.created`
 * (version 1) and `plan.updated` (each later version, with its number) from
 * `recovery_plan_versions`, `plan.agreed` from `recovery_plan_agreements` and `plan.reviewed` from
 * `recovery_plan_reviews`, each read by `(organization_id, participant_id, created_at, id)` with
 * `beforeCursor`. Numbers, dates and methods only: never goal text or notes.
 */
import type { TimelineItem, TimelineProvider } from '../care/timeline.types.js';
import { beforeCursor } from '../care/care.timeline.js';

const link = (planId: string) => `/recovery-plans/${planId}`;

const versions: TimelineProvider = {
  name: 'recovery_plan_versions',
  kinds: ['plan'],
  async items(db, q) {
    const prefix = 'plan.version:';
    let query = db
      .selectFrom('recovery_plan_versions')
      .select(['id', 'plan_id', 'number', 'goals', 'created_by', 'created_at'])
      .where('organization_id', '=', q.organizationId)
      .where('participant_id', '=', q.participantId);
    if (q.before) query = query.where(beforeCursor('created_at', 'id', prefix, q.before));
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
    return rows.map((r): TimelineItem => {
      const number = Number(r.number);
      const goals = (JSON.parse(r.goals) as unknown[]).length;
      return {
        id: `${prefix}${r.id}`,
        kind: number === 1 ? 'plan.created' : 'plan.updated',
        at: new Date(r.created_at).toISOString(),
        dateOnly: false,
        summary: number === 1 ? `Recovery plan started (${goals} ${goals === 1 ? 'goal' : 'goals'})` : `Recovery plan updated: version ${number}`,
        details: { planId: r.plan_id, version: number, goals },
        link: link(r.plan_id),
        actorUserId: r.created_by,
      };
    });
  },
};

const agreements: TimelineProvider = {
  name: 'recovery_plan_agreements',
  kinds: ['plan'],
  async items(db, q) {
    const prefix = 'plan.agreed:';
    let query = db
      .selectFrom('recovery_plan_agreements')
      .select(['id', 'plan_id', 'plan_version', 'method', 'agreed_on', 'recorded_by', 'created_at'])
      .where('organization_id', '=', q.organizationId)
      .where('participant_id', '=', q.participantId);
    if (q.before) query = query.where(beforeCursor('created_at', 'id', prefix, q.before));
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
    return rows.map((r): TimelineItem => ({
      id: `${prefix}${r.id}`,
      kind: 'plan.agreed',
      at: new Date(r.created_at).toISOString(),
      dateOnly: false,
      summary: `Agreed to recovery plan version ${Number(r.plan_version)}${r.method === 'verbal' ? ' (verbally, with a witness)' : ''}`,
      details: { planId: r.plan_id, version: Number(r.plan_version), method: r.method, agreedOn: String(r.agreed_on).slice(0, 10) },
      link: link(r.plan_id),
      actorUserId: r.recorded_by,
    }));
  },
};

const reviews: TimelineProvider = {
  name: 'recovery_plan_reviews',
  kinds: ['plan'],
  async items(db, q) {
    const prefix = 'plan.reviewed:';
    let query = db
      .selectFrom('recovery_plan_reviews')
      .select(['id', 'plan_id', 'plan_version', 'reviewed_on', 'next_review_on', 'recorded_by', 'created_at'])
      .where('organization_id', '=', q.organizationId)
      .where('participant_id', '=', q.participantId);
    if (q.before) query = query.where(beforeCursor('created_at', 'id', prefix, q.before));
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
    return rows.map((r): TimelineItem => ({
      id: `${prefix}${r.id}`,
      kind: 'plan.reviewed',
      at: new Date(r.created_at).toISOString(),
      dateOnly: false,
      summary: `Recovery plan reviewed (version ${Number(r.plan_version)})`,
      details: { planId: r.plan_id, version: Number(r.plan_version), reviewedOn: String(r.reviewed_on).slice(0, 10), nextReviewOn: String(r.next_review_on).slice(0, 10) },
      link: link(r.plan_id),
      actorUserId: r.recorded_by,
    }));
  },
};

export const recoveryPlansTimelineProviders: readonly TimelineProvider[] = [versions, agreements, reviews];

/** Queries over the audit trail. Writes live in platform/audit (every module appends). */
import type { Executor } from '../../platform/db/database.js';

export interface AuditQuery {
  /** The organization whose events to search; null for the `system` chain (events outside any). */
  organizationId: string | null;
  actorUserId?: string | undefined;
  targetId?: string | undefined;
  action?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  after?: string | undefined;
  limit: number;
}

export interface AuditEventRecord {
  id: string;
  seq: number;
  occurredAt: string;
  actorUserId: string | null;
  action: string;
  outcome: string;
  targetType: string | null;
  targetIds: string[];
  requestId: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

/**
 * Newest first; `after` continues below the given event id (UUIDv7 ids sort by time). Ordering by
 * id lets the database walk `audit_events_org_id` (or `_actor_id`) backwards and stop at `limit`.
 */
export function searchAuditQuery(db: Executor, q: AuditQuery) {
  let query = db
    .selectFrom('audit_events as e')
    .select(['e.id', 'e.seq', 'e.occurred_at', 'e.actor_user_id', 'e.action', 'e.outcome', 'e.target_type', 'e.target_ids', 'e.request_id', 'e.ip', 'e.details'])
    .where('e.organization_id', q.organizationId === null ? 'is' : '=', q.organizationId);
  if (q.targetId) {
    const targetId = q.targetId;
    query = query.where('e.id', 'in', (eb) => eb.selectFrom('audit_event_targets').select('event_id').where('target_id', '=', targetId));
  }
  if (q.actorUserId) query = query.where('e.actor_user_id', '=', q.actorUserId);
  if (q.action) query = query.where('e.action', '=', q.action);
  if (q.from) query = query.where('e.occurred_at', '>=', new Date(q.from).toISOString());
  if (q.to) query = query.where('e.occurred_at', '<', new Date(q.to).toISOString());
  if (q.after) query = query.where('e.id', '<', q.after);
  return query.orderBy('e.id', 'desc').limit(q.limit);
}

export async function searchAudit(db: Executor, q: AuditQuery): Promise<AuditEventRecord[]> {
  const rows = await searchAuditQuery(db, q).execute();
  return rows.map((r) => ({
    id: r.id,
    seq: Number(r.seq),
    occurredAt: r.occurred_at,
    actorUserId: r.actor_user_id,
    action: r.action,
    outcome: r.outcome,
    targetType: r.target_type,
    targetIds: JSON.parse(r.target_ids) as string[],
    requestId: r.request_id,
    ip: r.ip,
    details: JSON.parse(r.details) as Record<string, unknown>,
  }));
}

/** Records → API shapes (contracts/ed.ts). The organization id stays inside. */
import type { EdVisitJson } from '../../../contracts/ed.js';
import type { EdVisitRecord, PlanTodo } from './ed.repository.js';

/** Whole minutes from the peer being requested to the peer arriving (null until both are known). */
export const responseMinutes = (v: Pick<EdVisitRecord, 'peerRequestedAt' | 'peerArrivedAt'>): number | null =>
  v.peerRequestedAt && v.peerArrivedAt ? Math.round((Date.parse(v.peerArrivedAt) - Date.parse(v.peerRequestedAt)) / 60_000) : null;

export const presentEdVisit = ({ organizationId: _org, ...v }: EdVisitRecord, plan: readonly PlanTodo[] = []): EdVisitJson => ({
  ...v,
  responseMinutes: responseMinutes(v),
  followUps: plan.map((t) => ({
    todoId: t.id,
    title: t.title,
    dueOn: t.dueOn,
    dueTime: t.dueTime,
    dueAt: t.dueAt,
    severity: t.severity,
    ownerUserId: t.ownerUserId,
    status: t.status,
  })),
});

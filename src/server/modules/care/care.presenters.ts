/** Records → API shapes (contracts/care.ts). The organization id stays inside. */
import type { z } from 'zod';
import type { LifeEvent, Todo } from '../../../contracts/care.js';
import type { LifeEventRecord, TodoRecord } from './care.repository.js';

export const presentLifeEvent = ({ organizationId: _org, ...e }: LifeEventRecord): z.output<typeof LifeEvent> => e;

/** Open and at or past the instant it falls due. */
export const isOverdue = (t: Pick<TodoRecord, 'status' | 'dueAt'>, now: Date): boolean => t.status === 'open' && t.dueAt <= now.toISOString();

export interface TodoView {
  todo: TodoRecord;
  participantName: string | null;
  ownerName: string | null;
}

export const presentTodo = ({ todo: t, participantName, ownerName }: TodoView, now: Date): z.output<typeof Todo> => ({
  id: t.id,
  kind: t.kind,
  participantId: t.participantId,
  participantName,
  ownerUserId: t.ownerUserId,
  ownerName,
  dueOn: t.dueOn,
  dueTime: t.dueTime,
  dueAt: t.dueAt,
  overdue: isOverdue(t, now),
  severity: t.severity,
  title: t.title,
  note: t.note,
  clearsOn: t.clearsOn,
  source: t.sourceType ? { type: t.sourceType, id: t.sourceId } : null,
  status: t.status,
  resolution: t.resolution,
  completedAt: t.completedAt,
  completedBy: t.completedBy,
  createdBy: t.createdBy,
  version: t.version,
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
});

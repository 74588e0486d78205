/** Requests of the care sections on the participant page: life events, to-dos, the timeline. */
import type { z } from 'zod';
// Types only: the schemas (and zod) stay out of the bundle every phone downloads.
import type { CreateLifeEventBody, CreateTodoBody, LifeEvent, TimelinePage, Todo, TodoList, UpdateTodoBody } from '../../../contracts/care';
import { api } from '../../app/api';

export type LifeEventT = z.infer<typeof LifeEvent>;
export type TodoT = z.infer<typeof Todo>;
export type TimelinePageT = z.infer<typeof TimelinePage>;
export type TimelineItemT = TimelinePageT['items'][number];

/**
 * Under the participant's own key (['participants', id]): whatever refreshes the participant after
 * a change — a consent recorded, a record saved — refreshes the timeline and follow-ups too.
 */
export const careKeys = {
  all: (participantId: string) => ['participants', participantId, 'care'] as const,
  timeline: (participantId: string) => ['participants', participantId, 'care', 'timeline'] as const,
  todos: (participantId: string) => ['participants', participantId, 'care', 'todos'] as const,
};

const enc = encodeURIComponent;

export const getTimeline = (participantId: string, before: string | null, limit = 20) =>
  api.get<TimelinePageT>(`/api/v1/participants/${enc(participantId)}/timeline?limit=${limit}${before ? `&before=${enc(before)}` : ''}`);
export const createLifeEvent = (participantId: string, body: z.input<typeof CreateLifeEventBody>, idempotencyKey: string) =>
  api.post<LifeEventT>(`/api/v1/participants/${enc(participantId)}/life-events`, body, { idempotencyKey });
export const listParticipantTodos = async (participantId: string) => (await api.get<z.infer<typeof TodoList>>(`/api/v1/participants/${enc(participantId)}/todos`)).todos;
export const createFollowUp = (participantId: string, body: z.input<typeof CreateTodoBody>, idempotencyKey: string) =>
  api.post<TodoT>(`/api/v1/participants/${enc(participantId)}/todos`, body, { idempotencyKey });
export const updateTodo = (id: string, body: z.input<typeof UpdateTodoBody>) => api.patch<TodoT>(`/api/v1/todos/${enc(id)}`, body);

/** The calendar date (YYYY-MM-DD) of an instant in a time zone (the organization's). */
export function dateIn(instant: Date | string, timeZone: string | undefined): string {
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  } catch {
    return d.toISOString().slice(0, 10);
  }
}

/** The next calendar date. */
export const dayAfter = (date: string): string => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** Timeline items grouped by their local day, newest day first (the items are already newest first). */
export function groupByDay<T extends { at: string }>(items: readonly T[], timeZone: string | undefined): { day: string; items: T[] }[] {
  const groups: { day: string; items: T[] }[] = [];
  for (const item of items) {
    const day = dateIn(item.at, timeZone);
    const last = groups[groups.length - 1];
    if (last?.day === day) last.items.push(item);
    else groups.push({ day, items: [item] });
  }
  return groups;
}

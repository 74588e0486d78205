/** Requests of the ED bedside visit. */
import type { z } from 'zod';
// Types only: the schemas (and zod) stay out of the bundle every phone downloads.
import type { EdVisit, StartEdVisitBody, UpdateEdVisitBody } from '../../../contracts/ed';
import { api } from '../../app/api';

export type EdVisitT = z.infer<typeof EdVisit>;
export type EdVisitPatch = Omit<z.input<typeof UpdateEdVisitBody>, 'version'>;

/** Under the participant's own key, so a completed visit refreshes the profile, to-dos and timeline. */
export const edKeys = {
  visit: (participantId: string, visitId: string) => ['participants', participantId, 'ed', visitId] as const,
};

const enc = encodeURIComponent;

export const startEdVisit = (participantId: string, body: z.input<typeof StartEdVisitBody>, idempotencyKey: string) =>
  api.post<EdVisitT>(`/api/v1/participants/${enc(participantId)}/ed-visits`, body, { idempotencyKey });
export const getEdVisit = (id: string) => api.get<EdVisitT>(`/api/v1/ed-visits/${enc(id)}`);
export const updateEdVisit = (id: string, version: number, patch: EdVisitPatch) => api.patch<EdVisitT>(`/api/v1/ed-visits/${enc(id)}`, { version, ...patch });
export const completeEdVisit = (id: string, idempotencyKey: string) => api.post<EdVisitT>(`/api/v1/ed-visits/${enc(id)}/complete`, {}, { idempotencyKey });

/** An instant → the value of a datetime-local input, in the device's time zone (the bedside's). */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value → an instant (null when empty or unreadable). */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** Requests of the federal interviews section and the follow-up tracker. Types only from the contract: zod stays out of the bundle. */
import type { z } from 'zod';
import type { CreateFederalInterviewBody, FederalFollowUpTracker, FederalInterview, FederalInterviewList, UpdateFederalInterviewBody } from '../../../contracts/federal-follow-up';
import { api } from '../../app/api';

export type FederalInterviewT = z.infer<typeof FederalInterview>;
export type FederalInterviewListT = z.infer<typeof FederalInterviewList>;
export type TrackerT = z.infer<typeof FederalFollowUpTracker>;
export type TrackerRowT = TrackerT['rows'][number];
export type FollowUpT = FederalInterviewListT['followUps'][number];

/** The permissions the pages check (the server decides; these only choose what to show). */
export const PERMISSIONS = { read: 'federal_interviews.read', manage: 'federal_interviews.manage', tracker: 'federal_follow_up.tracker' } as const;
export const KINDS = ['intake', 'six_month_follow_up', 'discharge'] as const;
export type Kind = (typeof KINDS)[number];

/** Under the participant's key: a change here refreshes the rest of the participant page too. */
export const federalKeys = {
  participant: (participantId: string) => ['participants', participantId] as const,
  list: (participantId: string) => ['participants', participantId, 'federal-interviews'] as const,
  tracker: (month: string) => ['federal-follow-up', 'tracker', month] as const,
};

const enc = encodeURIComponent;

export const listInterviews = (participantId: string) => api.get<FederalInterviewListT>(`/api/v1/participants/${enc(participantId)}/federal-interviews`);
export const recordInterview = (participantId: string, body: z.input<typeof CreateFederalInterviewBody>, idempotencyKey: string) =>
  api.post<FederalInterviewT>(`/api/v1/participants/${enc(participantId)}/federal-interviews`, body, { idempotencyKey });
export const correctInterview = (id: string, body: z.input<typeof UpdateFederalInterviewBody>) => api.patch<FederalInterviewT>(`/api/v1/federal-interviews/${enc(id)}`, body);
export const removeInterview = (id: string, version: number) => api.delete<{ ok: true }>(`/api/v1/federal-interviews/${enc(id)}`, { body: { version } });
export const getTracker = (month: string) => api.get<TrackerT>(`/api/v1/federal-follow-up/tracker?month=${enc(month)}`);

/** The month before or after `month` (YYYY-MM). */
export function shiftMonth(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

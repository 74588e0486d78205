/** Requests of the outreach views: today, an episode's outreach, cadence, marking unreachable, the supervisor view. */
import type { z } from 'zod';
// Types only: the schemas (and zod) stay out of the bundle every phone downloads.
import type { Cadence, EpisodeOutreach, MarkUnreachableResult, TeamOutreach, Today, UpdateCadenceBody, MarkUnreachableBody } from '../../../contracts/outreach';
import { api, newIdempotencyKey } from '../../app/api';

export type TodayT = z.infer<typeof Today>;
export type TodayItemT = TodayT['items'][number];
export type EpisodeOutreachT = z.infer<typeof EpisodeOutreach>;
export type CadenceT = z.infer<typeof Cadence>;
export type TeamOutreachT = z.infer<typeof TeamOutreach>;
export type ContactRulesT = EpisodeOutreachT['contact'];

export const outreachKeys = {
  today: ['outreach', 'today'] as const,
  episode: (id: string) => ['outreach', 'episode', id] as const,
  team: ['outreach', 'team'] as const,
};

export const getToday = () => api.get<TodayT>('/api/v1/today');
export const getEpisodeOutreach = (episodeId: string) => api.get<EpisodeOutreachT>(`/api/v1/episodes/${episodeId}/outreach`);
export const getTeamOutreach = () => api.get<TeamOutreachT>('/api/v1/team/outreach');
export const updateCadence = (episodeId: string, body: z.input<typeof UpdateCadenceBody>) => api.patch<CadenceT>(`/api/v1/episodes/${episodeId}/cadence`, body);
export const markUnreachable = (episodeId: string, body: z.input<typeof MarkUnreachableBody>, key = newIdempotencyKey()) =>
  api.post<z.infer<typeof MarkUnreachableResult>>(`/api/v1/episodes/${episodeId}/unreachable`, body, { idempotencyKey: key });

/** Requests of the participant pages: caseload, search, duplicates, intake, episodes, reassigning. */
import type { z } from 'zod';
// Types only: the schemas (and zod) stay out of the bundle every phone downloads.
import type {
  BriefIntakeBody,
  DuplicateCheckBody,
  DuplicateCheckResponse,
  Episode,
  EpisodeList,
  Participant,
  ParticipantSearchBody,
  ParticipantSearchResult,
  ParticipantSummary,
  ReassignEpisodeBody,
  UpdateParticipantBody,
} from '../../../contracts/participants';
import type { Caseload, CaseloadItem, CaseloadQuery, CaseloadSignalKey, CaseloadSummary } from '../../../contracts/caseload';
import type { ProgramList, SiteList } from '../../../contracts/organizations';
import type { UserList } from '../../../contracts/users';
import { api } from '../../app/api';

export type ParticipantT = z.infer<typeof Participant>;
export type SummaryT = z.infer<typeof ParticipantSummary>;
export type EpisodeT = z.infer<typeof Episode>;
export type CaseloadItemT = z.infer<typeof CaseloadItem>;
export type CaseloadQueryT = z.input<typeof CaseloadQuery>;
export type CaseloadSummaryT = z.infer<typeof CaseloadSummary>;
export type FlagKey = CaseloadSignalKey;
export type DuplicatesT = z.infer<typeof DuplicateCheckResponse>;
export type BriefIntakeT = z.input<typeof BriefIntakeBody>;
export type UpdateParticipantT = z.input<typeof UpdateParticipantBody>;

export const keys = {
  /** Every caseload view starts with this key, so invalidating it refreshes them all. */
  caseload: ['participants', 'caseload'] as const,
  caseloadOf: (q: CaseloadQueryT) => ['participants', 'caseload', q] as const,
  caseloadSummary: ['participants', 'caseload', 'summary'] as const,
  search: (terms: string) => ['participants', 'search', terms] as const,
  participant: (id: string) => ['participants', id] as const,
  episodes: (id: string) => ['participants', id, 'episodes'] as const,
  programs: ['participants', 'programs'] as const,
  sites: ['participants', 'sites'] as const,
  users: ['participants', 'users'] as const,
};

const enc = encodeURIComponent;

/** Sort, flag and whose caseload travel in the address: staff ids and fixed words, nothing personal. */
export const getCaseload = async (q: CaseloadQueryT = {}) => {
  const params = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
  const query = params.toString();
  return (await api.get<z.infer<typeof Caseload>>(`/api/v1/caseload${query ? `?${query}` : ''}`)).items;
};
export const getCaseloadSummary = () => api.get<CaseloadSummaryT>('/api/v1/caseload/summary');
/** The terms travel in the body: a URL ends up in logs and browser history. */
export const searchParticipants = async (body: z.input<typeof ParticipantSearchBody>, signal?: AbortSignal) =>
  (await api.post<z.infer<typeof ParticipantSearchResult>>('/api/v1/participants/search', body, signal ? { signal } : {})).participants;
export const checkDuplicates = (body: z.input<typeof DuplicateCheckBody>) => api.post<DuplicatesT>('/api/v1/participants/duplicates', body);
export const createParticipant = (body: BriefIntakeT, idempotencyKey: string) => api.post<ParticipantT>('/api/v1/participants', body, { idempotencyKey });
export const getParticipant = (id: string) => api.get<ParticipantT>(`/api/v1/participants/${enc(id)}`);
export const updateParticipant = (id: string, body: UpdateParticipantT) => api.patch<ParticipantT>(`/api/v1/participants/${enc(id)}`, body);
export const listEpisodes = async (id: string) => (await api.get<z.infer<typeof EpisodeList>>(`/api/v1/participants/${enc(id)}/episodes`)).episodes;
export const reassignEpisode = (id: string, body: z.input<typeof ReassignEpisodeBody>) => api.post<EpisodeT>(`/api/v1/episodes/${enc(id)}/reassign`, body);

export const listPrograms = async () => (await api.get<z.infer<typeof ProgramList>>('/api/v1/programs')).programs;
export const listSites = async () => (await api.get<z.infer<typeof SiteList>>('/api/v1/sites')).sites;
export const listStaff = async () => (await api.get<z.infer<typeof UserList>>('/api/v1/users')).users;

/** The name a person goes by: preferred name, else first and last name, else the alias. */
export function nameOf(p: Pick<SummaryT, 'firstName' | 'lastName' | 'alias' | 'preferredName'>): string {
  const full = [p.preferredName ?? p.firstName, p.lastName].filter(Boolean).join(' ');
  return full || p.alias || '';
}

/** Whole years between a date of birth and today. */
export function ageFrom(dateOfBirth: string, today = new Date()): number {
  const [y, m, d] = dateOfBirth.split('-').map(Number) as [number, number, number];
  let age = today.getFullYear() - y;
  if (today.getMonth() + 1 < m || (today.getMonth() + 1 === m && today.getDate() < d)) age -= 1;
  return age;
}

/** What the person typed, as search terms: a date of birth, a phone number, or words of a name. */
export function termsOf(input: string): { query?: string; dateOfBirth?: string; phone?: string } {
  const v = input.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return { dateOfBirth: v };
  const digits = v.replace(/\D/g, '');
  if (/^[\d\s().+-]+$/.test(v) && digits.length >= 10) return { phone: digits };
  return { query: v };
}

/** Requests of the admin area: people, the organization, programs, sites and teams. */
import type { z } from 'zod';
import type { CreateUserBody, CreateUserResponse, OneTimeLink, UpdateUserBody, User, UserList } from '../../../contracts/users';
import type {
  CreateProgramBody,
  CreateSiteBody,
  CreateTeamBody,
  Organization,
  Program,
  ProgramList,
  Site,
  SiteList,
  Team,
  TeamList,
  UpdateOrganizationBody,
  UpdateProgramBody,
  UpdateSiteBody,
  UpdateTeamBody,
} from '../../../contracts/organizations';
import { api } from '../../app/api';

export type UserT = z.infer<typeof User>;
export type ProgramT = z.infer<typeof Program>;
export type SiteT = z.infer<typeof Site>;
export type TeamT = z.infer<typeof Team>;
export type OrganizationT = z.infer<typeof Organization>;
export type OneTimeLinkT = z.infer<typeof OneTimeLink>;

export const keys = {
  users: ['admin', 'users'] as const,
  user: (id: string) => ['admin', 'users', id] as const,
  organization: ['admin', 'organization'] as const,
  programs: ['admin', 'programs'] as const,
  program: (id: string) => ['admin', 'programs', id] as const,
  sites: ['admin', 'sites'] as const,
  site: (id: string) => ['admin', 'sites', id] as const,
  teams: ['admin', 'teams'] as const,
  team: (id: string) => ['admin', 'teams', id] as const,
};

const enc = encodeURIComponent;

// ---- people
export const listUsers = async () => (await api.get<z.infer<typeof UserList>>('/api/v1/users')).users;
export const getUser = (id: string) => api.get<UserT>(`/api/v1/users/${enc(id)}`);
export const createUser = (body: z.input<typeof CreateUserBody>, idempotencyKey: string) =>
  api.post<z.infer<typeof CreateUserResponse>>('/api/v1/users', body, { idempotencyKey });
export const updateUser = (id: string, body: z.input<typeof UpdateUserBody>) => api.patch<UserT>(`/api/v1/users/${enc(id)}`, body);
export const passwordResetLink = (id: string, idempotencyKey: string) =>
  api.post<OneTimeLinkT>(`/api/v1/users/${enc(id)}/password-reset`, {}, { idempotencyKey });
export const removeUser = (id: string) => api.delete<{ ok: true }>(`/api/v1/users/${enc(id)}`);
export const unlockUser = (id: string) => api.post<UserT>(`/api/v1/users/${enc(id)}/unlock`);
export const signOutUserEverywhere = (id: string) => api.post<{ revoked: number }>(`/api/v1/users/${enc(id)}/sign-out-everywhere`);

// ---- organization
export const getOrganization = () => api.get<OrganizationT>('/api/v1/organization');
export const updateOrganization = (body: z.input<typeof UpdateOrganizationBody>) => api.patch<OrganizationT>('/api/v1/organization', body);

// ---- programs
export const listPrograms = async () => (await api.get<z.infer<typeof ProgramList>>('/api/v1/programs')).programs;
export const getProgram = (id: string) => api.get<ProgramT>(`/api/v1/programs/${enc(id)}`);
export const createProgram = (body: z.input<typeof CreateProgramBody>, idempotencyKey: string) =>
  api.post<ProgramT>('/api/v1/programs', body, { idempotencyKey });
export const updateProgram = (id: string, body: z.input<typeof UpdateProgramBody>) => api.patch<ProgramT>(`/api/v1/programs/${enc(id)}`, body);

// ---- sites
export const listSites = async () => (await api.get<z.infer<typeof SiteList>>('/api/v1/sites')).sites;
export const getSite = (id: string) => api.get<SiteT>(`/api/v1/sites/${enc(id)}`);
export const createSite = (body: z.input<typeof CreateSiteBody>, idempotencyKey: string) => api.post<SiteT>('/api/v1/sites', body, { idempotencyKey });
export const updateSite = (id: string, body: z.input<typeof UpdateSiteBody>) => api.patch<SiteT>(`/api/v1/sites/${enc(id)}`, body);

// ---- teams
export const listTeams = async () => (await api.get<z.infer<typeof TeamList>>('/api/v1/teams')).teams;
export const getTeam = (id: string) => api.get<TeamT>(`/api/v1/teams/${enc(id)}`);
export const createTeam = (body: z.input<typeof CreateTeamBody>, idempotencyKey: string) => api.post<TeamT>('/api/v1/teams', body, { idempotencyKey });
export const updateTeam = (id: string, body: z.input<typeof UpdateTeamBody>) => api.patch<TeamT>(`/api/v1/teams/${enc(id)}`, body);

/** The encounters API for the web (the server checks access and scope on every call). */
import type { z } from 'zod';
import type { AddendumBody, CreateEncounterBody, EncounterDefaults, EncounterJson, EncounterList, GroupEncounterBody, GroupEncounterResult, ReviewBody, ReviewQueue, UpdateEncounterBody } from '../../../contracts/encounters';
import { api } from '../../app/api';

const enc = encodeURIComponent;
export type EncounterT = EncounterJson;

export const encounterKeys = {
  list: (participantId: string) => ['participants', participantId, 'encounters'] as const,
  one: (id: string) => ['encounters', id] as const,
  defaults: (participantId: string) => ['participants', participantId, 'encounter-defaults'] as const,
  queue: ['encounters', 'review-queue'] as const,
};

export const listEncounters = (participantId: string, before?: string) =>
  api.get<z.infer<typeof EncounterList>>(`/api/v1/participants/${enc(participantId)}/encounters${before ? `?before=${enc(before)}` : ''}`);
export const getEncounter = (id: string) => api.get<EncounterT>(`/api/v1/encounters/${enc(id)}`);
export const getDefaults = (participantId: string) => api.get<z.infer<typeof EncounterDefaults>>(`/api/v1/encounters/defaults?participantId=${enc(participantId)}`);
export const logEncounter = (participantId: string, body: z.input<typeof CreateEncounterBody>, idempotencyKey: string) =>
  api.post<EncounterT>(`/api/v1/participants/${enc(participantId)}/encounters`, body, { idempotencyKey });
export const logGroup = (body: z.input<typeof GroupEncounterBody>, idempotencyKey: string) => api.post<z.infer<typeof GroupEncounterResult>>('/api/v1/encounters/group', body, { idempotencyKey });
export const updateEncounter = (id: string, body: z.input<typeof UpdateEncounterBody>) => api.patch<EncounterT>(`/api/v1/encounters/${enc(id)}`, body);
export const addAddendum = (id: string, body: z.input<typeof AddendumBody>) => api.post<EncounterT>(`/api/v1/encounters/${enc(id)}/addenda`, body);
export const getReviewQueue = () => api.get<z.infer<typeof ReviewQueue>>('/api/v1/encounters/review-queue');
export const reviewEncounter = (id: string, body: z.input<typeof ReviewBody>) => api.post<EncounterT>(`/api/v1/encounters/${enc(id)}/review`, body);

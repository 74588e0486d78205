/** Requests for participants' one-time links. Types only from the contract: zod stays out of the bundle. */
import type { z } from 'zod';
import type { CreatedLink, CreateLinkBody, LinkCheckInBody, LinkList, LinkQuestionnaireAnswerBody, OpenedLink, ParticipantLink } from '../../../contracts/participant-links';
import { api } from '../../app/api';

export type LinkT = z.infer<typeof ParticipantLink>;
export type CreatedLinkT = z.infer<typeof CreatedLink>;
export type CreateLinkBodyT = z.input<typeof CreateLinkBody>;
export type OpenedLinkT = z.infer<typeof OpenedLink>;
export type LinkCheckInBodyT = z.input<typeof LinkCheckInBody>;
export type LinkAnswerBodyT = z.input<typeof LinkQuestionnaireAnswerBody>;

export const PERMISSIONS = { read: 'participant_links.read', send: 'participant_links.send' } as const;

/** Under the participant's key: an answer that arrives refreshes everything about them. */
export const linkKeys = {
  participant: (participantId: string) => ['participants', participantId] as const,
  list: (participantId: string) => ['participants', participantId, 'links'] as const,
};

const enc = encodeURIComponent;

export const listLinks = async (participantId: string) => (await api.get<z.infer<typeof LinkList>>(`/api/v1/participants/${enc(participantId)}/links`)).links;
export const createLink = (participantId: string, body: CreateLinkBodyT, idempotencyKey: string) =>
  api.post<CreatedLinkT>(`/api/v1/participants/${enc(participantId)}/links`, body, { idempotencyKey });
export const revokeLink = (id: string) => api.post<LinkT>(`/api/v1/participant-links/${enc(id)}/revoke`);

// The participant's side: no session; the secret goes in the body.
export const openLink = (token: string) => api.post<OpenedLinkT>('/api/v1/link/open', { token }, { quietAuth: true });
export const answerQuestionnaire = (body: LinkAnswerBodyT) => api.post<{ ok: true }>('/api/v1/link/questionnaire', body, { quietAuth: true });
export const answerCheckIn = (body: LinkCheckInBodyT) => api.post<{ ok: true }>('/api/v1/link/check-in', body, { quietAuth: true });

/** The address the participant opens, on this server (what the page shows under the code). */
export const linkAddress = (token: string) => `${window.location.origin}/l#token=${token}`;

/** Requests of the questionnaire pages. Types only from the contract: zod stays out of the bundle. */
import type { z } from 'zod';
import type {
  Barc10Trend,
  CreateQuestionnaireResponseBody,
  CreatedQuestionnaireResponse,
  QuestionnaireDefinition,
  QuestionnaireList,
  QuestionnaireResponse,
  QuestionnaireResponseList,
} from '../../../contracts/questionnaires';
import { api } from '../../app/api';

export type DefinitionT = z.infer<typeof QuestionnaireDefinition>;
export type ItemT = DefinitionT['items'][number];
export type ResponseT = z.infer<typeof QuestionnaireResponse>;
export type CreatedResponseT = z.infer<typeof CreatedQuestionnaireResponse>;
export type TrendT = z.infer<typeof Barc10Trend>;
export type AnswerBodyT = z.input<typeof CreateQuestionnaireResponseBody>;

export const BARC10 = 'barc10';
export const SOCIAL_NEEDS = 'social_needs';
/** The total from which BARC-10 shows strong recovery capital (the server flags it; the interface explains it). */
export const BARC10_STRONG = 47;

/** The server's permissions the pages look at (it checks every request again). */
export const PERMISSIONS = { read: 'questionnaires.read', answer: 'questionnaires.answer' } as const;

/** Under the participant's key: a change refreshes the timeline too. */
export const questionnaireKeys = {
  participant: (participantId: string) => ['participants', participantId] as const,
  trend: (participantId: string) => ['participants', participantId, 'questionnaires', 'barc10-trend'] as const,
  responses: (participantId: string, key: string) => ['participants', participantId, 'questionnaires', 'responses', key] as const,
  definitions: () => ['questionnaires', 'definitions'] as const,
};

const enc = encodeURIComponent;
const base = (participantId: string) => `/api/v1/participants/${enc(participantId)}`;

export const listDefinitions = async () => (await api.get<z.infer<typeof QuestionnaireList>>('/api/v1/questionnaires')).questionnaires;
export const getTrend = (participantId: string) => api.get<TrendT>(`${base(participantId)}/barc10-trend`);
export const listResponses = async (participantId: string, key: string) =>
  (await api.get<z.infer<typeof QuestionnaireResponseList>>(`${base(participantId)}/questionnaire-responses?key=${enc(key)}`)).responses;
export const answer = (participantId: string, body: AnswerBodyT, idempotencyKey: string) =>
  api.post<CreatedResponseT>(`${base(participantId)}/questionnaire-responses`, body, { idempotencyKey });

/** The definition to ask: the one in the interface language when there is one, else English (else any). */
export function pickDefinition(all: readonly DefinitionT[], key: string, language: string): DefinitionT | undefined {
  const of = all.filter((d) => d.key === key);
  return of.find((d) => d.language === language) ?? of.find((d) => d.language === 'en') ?? of[0];
}

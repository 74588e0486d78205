/** Requests of the recovery-plan pages. Types only from the contract: zod stays out of the bundle. */
import type { z } from 'zod';
import type { AgreementBody, GoalInput, PlanVersion, PlanVersionList, PrintablePlan, RecoveryPlan, RecoveryPlanList, ReviewBody } from '../../../contracts/recovery-plans';
import { api } from '../../app/api';

export type PlanT = z.infer<typeof RecoveryPlan>;
export type GoalT = PlanT['goals'][number];
export type GoalInputT = z.input<typeof GoalInput>;
export type PrintableT = z.infer<typeof PrintablePlan>;
export type VersionsT = z.infer<typeof PlanVersionList>;
export type VersionT = z.infer<typeof PlanVersion>;
export type AgreementT = NonNullable<PlanT['agreement']>;

export const RECOVERY_DOMAINS = ['substance_use', 'moud_health', 'mental_wellbeing', 'housing', 'employment_education', 'family_relationships', 'social_support_community', 'legal', 'finances', 'purpose_meaning', 'spirituality'] as const;
export const GOAL_STATUSES = ['active', 'achieved', 'paused', 'dropped'] as const;
export const STEP_OWNERS = ['participant', 'coach', 'other'] as const;
export const PERMISSIONS = { read: 'recovery_plans.read', write: 'recovery_plans.write' } as const;

export const planKeys = {
  participant: (participantId: string) => ['participants', participantId] as const,
  list: (participantId: string) => ['participants', participantId, 'recovery-plans'] as const,
  plan: (id: string) => ['recovery-plans', id] as const,
  versions: (id: string) => ['recovery-plans', id, 'versions'] as const,
  version: (id: string, n: number) => ['recovery-plans', id, 'versions', n] as const,
  print: (id: string, language: string) => ['recovery-plans', id, 'print', language] as const,
};

const enc = encodeURIComponent;
export const listPlans = async (participantId: string) => (await api.get<z.infer<typeof RecoveryPlanList>>(`/api/v1/participants/${enc(participantId)}/recovery-plans`)).plans;
export const getPlan = (id: string) => api.get<PlanT>(`/api/v1/recovery-plans/${enc(id)}`);
export const createPlan = (participantId: string, goals: GoalInputT[], idempotencyKey: string) => api.post<PlanT>(`/api/v1/participants/${enc(participantId)}/recovery-plans`, { goals }, { idempotencyKey });
export const updatePlan = (id: string, goals: GoalInputT[], version: number) => api.put<PlanT>(`/api/v1/recovery-plans/${enc(id)}`, { goals, version });
export const listVersions = (id: string) => api.get<VersionsT>(`/api/v1/recovery-plans/${enc(id)}/versions`);
export const getVersion = (id: string, n: number) => api.get<VersionT>(`/api/v1/recovery-plans/${enc(id)}/versions/${enc(String(n))}`);
export const recordAgreement = (id: string, body: z.input<typeof AgreementBody>, idempotencyKey: string) => api.post<unknown>(`/api/v1/recovery-plans/${enc(id)}/agreements`, body, { idempotencyKey });
export const recordReview = (id: string, body: z.input<typeof ReviewBody>, idempotencyKey: string) => api.post<unknown>(`/api/v1/recovery-plans/${enc(id)}/reviews`, body, { idempotencyKey });
export const getPrintable = (id: string, language: string) => api.get<PrintableT>(`/api/v1/recovery-plans/${enc(id)}/print?language=${enc(language)}`);

export const planPath = (id: string, page: 'edit' | 'agreement' | 'review' | 'print') => `/recovery-plans/${enc(id)}/${page}`;
export const versionPath = (id: string, n: number) => `/recovery-plans/${enc(id)}/versions/${enc(String(n))}`;
export const newPlanPath = (participantId: string) => `/recovery-plans/new?participant=${enc(participantId)}`;

/** Requests of the coping (cravings-and-triggers) and safety plan pages. Types only from the contract: zod stays out of the bundle. */
import type { z } from 'zod';
import type {
  CopingPlan,
  CopingPlanVersion,
  PlanVersionList,
  PrintableCopingPlan,
  PrintableSafetyPlan,
  PutCopingPlanBody,
  PutSafetyPlanBody,
  SafetyPlan,
  SafetyPlanVersion,
} from '../../../contracts/coping-plans';
import { api } from '../../app/api';

export type CopingPlanT = z.infer<typeof CopingPlan>;
export type SafetyPlanT = z.infer<typeof SafetyPlan>;
export type CopingBodyT = z.input<typeof PutCopingPlanBody>;
export type SafetyBodyT = z.input<typeof PutSafetyPlanBody>;
export type VersionListT = z.infer<typeof PlanVersionList>;
export type CopingVersionT = z.infer<typeof CopingPlanVersion>;
export type SafetyVersionT = z.infer<typeof SafetyPlanVersion>;
export type PrintableCopingT = z.infer<typeof PrintableCopingPlan>;
export type PrintableSafetyT = z.infer<typeof PrintableSafetyPlan>;

export type Kind = 'coping' | 'safety';
export type PrintLang = 'en' | 'es';
export const KINDS = ['coping', 'safety'] as const;
export const isKind = (v: unknown): v is Kind => v === 'coping' || v === 'safety';

/** Kept here (not imported from the contract) so zod stays out of the bundle; the server checks again. */
export const MAX_ITEMS = 30;
export const MAX_CONTACTS = 20;
export const NALOXONE_ANSWERS = ['yes', 'no', 'unknown'] as const;
export const CONTACT_KINDS = ['crisis_line', 'personal'] as const;
export const COPING_LISTS = ['triggers', 'warningSigns', 'copingStrategies', 'safePlaces', 'reasonsForRecovery'] as const;
export type CopingList = (typeof COPING_LISTS)[number];
export const PERMISSIONS = { read: 'coping_plans.read', write: 'coping_plans.write' } as const;

export const copingKeys = {
  participant: (participantId: string) => ['participants', participantId] as const,
  plan: (participantId: string, kind: Kind) => ['participants', participantId, 'coping-plans', kind] as const,
  versions: (participantId: string, kind: Kind) => ['participants', participantId, 'coping-plans', kind, 'versions'] as const,
  version: (participantId: string, kind: Kind, n: number) => ['participants', participantId, 'coping-plans', kind, 'versions', n] as const,
  print: (participantId: string, kind: Kind, language: PrintLang) => ['participants', participantId, 'coping-plans', kind, 'print', language] as const,
};

const enc = encodeURIComponent;
const base = (participantId: string, kind: Kind) => `/api/v1/participants/${enc(participantId)}/${kind === 'coping' ? 'coping-plan' : 'safety-plan'}`;

export const getCopingPlan = (participantId: string) => api.get<CopingPlanT>(base(participantId, 'coping'));
export const getSafetyPlan = (participantId: string) => api.get<SafetyPlanT>(base(participantId, 'safety'));
export const putCopingPlan = (participantId: string, body: CopingBodyT) => api.put<CopingPlanT>(base(participantId, 'coping'), body);
export const putSafetyPlan = (participantId: string, body: SafetyBodyT) => api.put<SafetyPlanT>(base(participantId, 'safety'), body);
export const listVersions = (participantId: string, kind: Kind) => api.get<VersionListT>(`${base(participantId, kind)}/versions`);
export const getCopingVersion = (participantId: string, n: number) => api.get<CopingVersionT>(`${base(participantId, 'coping')}/versions/${n}`);
export const getSafetyVersion = (participantId: string, n: number) => api.get<SafetyVersionT>(`${base(participantId, 'safety')}/versions/${n}`);
export const getPrintableCoping = (participantId: string, language: PrintLang) => api.get<PrintableCopingT>(`${base(participantId, 'coping')}/print?language=${enc(language)}`);
export const getPrintableSafety = (participantId: string, language: PrintLang) => api.get<PrintableSafetyT>(`${base(participantId, 'safety')}/print?language=${enc(language)}`);

/** The pages: /coping-plans/<participant>/<coping|safety>/{edit,versions,versions/<n>,print}. */
export const copingPath = (participantId: string, kind: Kind, page: 'edit' | 'versions' | 'print', extra?: { n?: number; language?: PrintLang }) => {
  const path = `/coping-plans/${enc(participantId)}/${kind}/${page}`;
  if (page === 'versions' && extra?.n !== undefined) return `${path}/${extra.n}`;
  if (page === 'print' && extra?.language) return `${path}?language=${extra.language}`;
  return path;
};
export const participantPath = (participantId: string) => `/participants/${enc(participantId)}`;

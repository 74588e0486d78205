/** Table types of recovery plans (migration 0013-recovery-plans). */
import type { Generated } from 'kysely';

export interface RecoveryPlansTable {
  id: string;
  organization_id: string;
  participant_id: string;
  episode_id: string;
  plan_version: number;
  goals: string;
  created_by: string;
  created_at: string;
  updated_by: string;
  updated_at: string;
  version: Generated<number>;
}

export interface RecoveryPlanVersionsTable {
  id: string;
  organization_id: string;
  participant_id: string;
  plan_id: string;
  number: number;
  goals: string;
  created_by: string;
  created_at: string;
}

export interface RecoveryPlanAgreementsTable {
  id: string;
  organization_id: string;
  participant_id: string;
  plan_id: string;
  plan_version: number;
  method: string;
  signature_data: string | null;
  attested: number;
  witness_name: string | null;
  agreed_on: string;
  recorded_by: string;
  created_at: string;
}

export interface RecoveryPlanReviewsTable {
  id: string;
  organization_id: string;
  participant_id: string;
  plan_id: string;
  plan_version: number;
  reviewed_on: string;
  note: string | null;
  next_review_on: string;
  recorded_by: string;
  created_at: string;
}

export interface RecoveryPlanTables {
  recovery_plans: RecoveryPlansTable;
  recovery_plan_versions: RecoveryPlanVersionsTable;
  recovery_plan_agreements: RecoveryPlanAgreementsTable;
  recovery_plan_reviews: RecoveryPlanReviewsTable;
}

/** Table types of coping and safety plans (migration 0014-coping-safety-plans). */
import type { Generated } from 'kysely';

export interface CopingPlansTable {
  id: string;
  organization_id: string;
  participant_id: string;
  kind: string;
  plan_version: number;
  content: string;
  created_by: string;
  created_at: string;
  updated_by: string;
  updated_at: string;
  version: Generated<number>;
}

export interface CopingPlanVersionsTable {
  id: string;
  organization_id: string;
  participant_id: string;
  plan_id: string;
  kind: string;
  number: number;
  content: string;
  created_by: string;
  created_at: string;
}

export interface CopingPlanTables {
  coping_plans: CopingPlansTable;
  coping_plan_versions: CopingPlanVersionsTable;
}

/** Table types of federal (GPRA-style) interviews (migration 0018-federal-interviews). */
import type { Generated } from 'kysely';

export interface FederalInterviewsTable {
  id: string;
  organization_id: string;
  participant_id: string;
  episode_id: string | null;
  kind: string;
  conducted_on: string;
  recorded_by: string;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
  deleted_at: string | null;
  deleted_by: string | null;
}

export interface FederalInterviewTables {
  federal_interviews: FederalInterviewsTable;
}

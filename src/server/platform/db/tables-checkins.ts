/** Table types of check-ins and milestones (migration 0012-milestones-checkins). */
import type { Generated } from 'kysely';

export interface CheckInsTable {
  id: string;
  organization_id: string;
  participant_id: string;
  encounter_id: string | null;
  checked_in_on: string;
  mood: number;
  cravings: number;
  moud_taken: string;
  use_since_last: number;
  overdose_since_last: number;
  going_well: string | null;
  needs_today: string | null;
  alerts: string;
  /** The cravings level this check-in was judged by (its program's at the time; 7 before migration 0016). */
  cravings_alert_threshold: Generated<number>;
  source: string;
  created_by: string;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface MilestonesTable {
  id: string;
  organization_id: string;
  participant_id: string;
  kind: string;
  label: string | null;
  reached_on: string;
  created_by: string;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface MilestoneCelebrationsTable {
  id: string;
  organization_id: string;
  participant_id: string;
  kind: string;
  anchor: string;
  milestone_on: string;
  note: string | null;
  celebrated_by: string;
  celebrated_at: string;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface CheckInTables {
  check_ins: CheckInsTable;
  milestones: MilestonesTable;
  milestone_celebrations: MilestoneCelebrationsTable;
}

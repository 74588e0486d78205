/**
 * The database as Kysely sees it: one interface per table, mirroring the migrations.
 * Conventions (same in SQLite and PostgreSQL):
 *  - ids are UUIDv7 text; every table with program data has `organization_id`;
 *  - instants are ISO-8601 UTC strings (`timestamptz` in PostgreSQL, text in SQLite);
 *  - flags are integers 0/1 so the same query binds on both drivers;
 *  - editable records carry `version`, bumped on every update (optimistic concurrency).
 * Row types stay inside repositories; use cases speak domain types.
 */
import type { DirectoryTables } from './tables-directory.js';
import type { AppointmentTables } from './tables-appointments.js';
import type { MoudTables } from './tables-moud.js';
import type { ReferralTables } from './tables-referrals.js';
import type { QuestionnaireTables } from './tables-questionnaires.js';
import type { ParticipantLinkTables } from './tables-participant-links.js';
import type { CheckInTables } from './tables-checkins.js';
import type { RecoveryPlanTables } from './tables-recovery-plans.js';
import type { CopingPlanTables } from './tables-coping-plans.js';
import type { FederalInterviewTables } from './tables-federal-follow-up.js';
import type { Generated } from 'kysely';

export type Flag = 0 | 1;

export interface OrganizationsTable {
  id: string;
  name: string;
  time_zone: string;
  require_mfa: Flag;
  /** §2.14: 'minor_consents' (the minor's own consent governs) or 'parent_required'. */
  minor_consent_rule: Generated<string>;
  /** Days after a referral is requested with no outcome before its follow-up to-do is due. */
  referral_follow_up_days: Generated<number>;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface ProgramsTable {
  id: string;
  organization_id: string;
  name: string;
  description: string | null;
  active: Flag;
  /** JSON array of hours after the ED encounter, one outreach to-do each. */
  follow_up_schedule: Generated<string>;
  cadence_days: Generated<number>;
  unreachable_attempts: Generated<number>;
  unreachable_channels: Generated<number>;
  unreachable_days: Generated<number>;
  /** JSON array of encounter types whose notes always go to supervisor review. */
  review_types: Generated<string>;
  /** Cravings at or above this raise a check-in alert (1–10). */
  cravings_alert_threshold: Generated<number>;
  /** Days between recovery-plan reviews (14–365). */
  plan_review_days: Generated<number>;
  /** Cost model (migration 0019): unit costs in cents and the baseline 30-day ED revisit rate in percent; null until set. */
  ed_visit_cost_cents: number | null;
  inpatient_day_cost_cents: number | null;
  peer_hour_cost_cents: number | null;
  baseline_ed_revisit_percent: number | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface SitesTable {
  id: string;
  organization_id: string;
  program_id: string | null;
  name: string;
  kind: string;
  time_zone: string | null;
  address: string | null;
  active: Flag;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface TeamsTable {
  id: string;
  organization_id: string;
  site_id: string | null;
  name: string;
  supervisor_user_id: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
  organization_id: string;
  created_at: string;
}

export interface UsersTable {
  id: string;
  email: string;
  display_name: string;
  password_hash: string | null;
  password_changed_at: string | null;
  mfa_secret: string | null;
  mfa_enabled: Flag;
  mfa_last_step: number | null;
  failed_logins: Generated<number>;
  locked_until: string | null;
  is_platform_admin: Flag;
  status: string;
  locale: string;
  credential: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface MembershipsTable {
  id: string;
  organization_id: string;
  user_id: string;
  role: string;
  created_at: string;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  organization_id: string | null;
  mfa_state: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
  revoked_at: string | null;
}

export interface OneTimeTokensTable {
  id: string;
  token_hash: string;
  purpose: string;
  user_id: string | null;
  organization_id: string | null;
  created_by: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface IdempotencyKeysTable {
  id: string;
  scope: string;
  key: string;
  request_hash: string;
  status_code: number | null;
  response_body: string | null;
  created_at: string;
}

export interface AuditEventsTable {
  id: string;
  chain_id: string;
  seq: number;
  organization_id: string | null;
  occurred_at: string;
  actor_user_id: string | null;
  action: string;
  outcome: string;
  target_type: string | null;
  target_ids: string;
  request_id: string | null;
  ip: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

export interface AuditEventTargetsTable {
  event_id: string;
  organization_id: string | null;
  target_type: string;
  target_id: string;
  occurred_at: string;
}

export interface AuditChainsTable {
  chain_id: string;
  last_seq: number;
  last_hash: string;
  updated_at: string;
}

export interface AuditCheckpointsTable {
  id: string;
  chain_id: string;
  seq: number;
  hash: string;
  created_at: string;
  signature: string;
}

export interface ParticipantsTable {
  id: string;
  organization_id: string;
  intake_level: string;
  first_name: string | null;
  last_name: string | null;
  alias: string | null;
  date_of_birth: string | null;
  birth_year: number | null;
  dob_estimated: Flag;
  phone: string | null;
  preferred_contact_method: string | null;
  intake_setting: string | null;
  referral_source: string | null;
  consent_to_follow_up: Flag;
  consent_to_follow_up_at: string | null;
  search_name: string;
  preferred_name: string | null;
  pronouns: string | null;
  language: string | null;
  email: string | null;
  ok_voicemail: Flag;
  ok_text: Flag;
  safe_times: string | null;
  do_not_contact: Flag;
  emergency_contact_name: string | null;
  emergency_contact_relationship: string | null;
  emergency_contact_phone: string | null;
  address_line: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
  housing_status: string | null;
  insurance_type: string | null;
  insurance_member_id: string | null;
  primary_substance: string | null;
  secondary_substance: string | null;
  route_of_use: string | null;
  has_oud: Flag | null;
  has_oud_source: string | null;
  current_moud: string | null;
  moud_source: string | null;
  recovery_start_date: string | null;
  employment: string | null;
  justice_involved: Flag;
  pregnant_or_postpartum: Flag;
  youth: Flag;
  veteran: Flag;
  co_occurring_mental_health: Flag;
  /** JSON array of OMB race categories. */
  race: string;
  ethnicity: string | null;
  sex_at_birth: string | null;
  gender_identity: string | null;
  strengths_and_hopes: string | null;
  merged_into_id: string | null;
  merged_at: string | null;
  merged_by: string | null;
  merge_reason: string | null;
  contact_window_start: string | null;
  contact_window_end: string | null;
  /** Derived (modules/encounters/contact-summary.ts): the latest ED moment, and the latest successful contact that is not a bedside encounter. */
  last_ed_at: string | null;
  last_follow_up_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface EpisodesTable {
  id: string;
  organization_id: string;
  participant_id: string;
  program_id: string;
  site_id: string;
  start_date: string;
  referral_source: string | null;
  assigned_coach_user_id: string | null;
  status: string;
  discharge_date: string | null;
  discharge_reason: string | null;
  cadence_days: number | null;
  last_contact_at: string | null;
  unreachable_reason: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface EpisodeEventsTable {
  id: string;
  organization_id: string;
  episode_id: string;
  kind: string;
  from_value: string | null;
  to_value: string | null;
  reason: string | null;
  actor_user_id: string;
  occurred_at: string;
}

export interface ParticipantNameTokensTable {
  organization_id: string;
  token: string;
  participant_id: string;
}

export interface ConsentsTable {
  id: string;
  organization_id: string;
  participant_id: string;
  kind: string;
  discloser: string;
  /** JSON arrays. */
  categories: string;
  recipients: string;
  purposes: string;
  expires_on: string | null;
  expiration_event: string | null;
  right_to_revoke_explained: Flag;
  redisclosure_statement_given: Flag;
  refusal_consequences_explained: Flag;
  form_language: string;
  signed_on: string;
  revoked_at: string | null;
  revoked_on: string | null;
  revocation_method: string | null;
  revocation_note: string | null;
  revoked_by: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface ConsentSignaturesTable {
  id: string;
  organization_id: string;
  consent_id: string;
  signer_role: string;
  signer_name: string;
  legal_basis: string | null;
  method: string;
  signature_data: string | null;
  attested: Flag;
  witness_name: string | null;
  signed_at: string;
  recorded_by: string;
}

export interface RestrictionRequestsTable {
  id: string;
  organization_id: string;
  participant_id: string;
  requested_on: string;
  description: string;
  /** JSON recipient, or null for any recipient. */
  recipient: string | null;
  categories: string;
  purposes: string;
  paid_out_of_pocket: Flag;
  status: string;
  decision_reason: string | null;
  decided_at: string | null;
  decided_by: string | null;
  ended_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface DisclosuresTable {
  id: string;
  organization_id: string;
  participant_id: string;
  disclosed_at: string;
  recipient: string;
  categories: string;
  purpose: string;
  purpose_of_use: string;
  consent_id: string | null;
  legal_basis: string;
  legal_basis_detail: string | null;
  payload: string;
  notice: string;
  batch_id: string | null;
  disclosed_by: string;
}

export interface AccessGrantsTable {
  id: string;
  organization_id: string;
  user_id: string;
  participant_id: string;
  reason: string;
  granted_at: string;
  expires_at: string;
  ended_at: string | null;
}

export interface NotificationsTable {
  id: string;
  organization_id: string;
  user_id: string;
  kind: string;
  actor_user_id: string | null;
  participant_id: string | null;
  reference_id: string | null;
  created_at: string;
  read_at: string | null;
}

export interface LifeEventsTable {
  id: string;
  organization_id: string;
  participant_id: string;
  kind: string;
  occurred_on: string;
  occurred_at: string | null;
  source: string;
  note: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface TodosTable {
  id: string;
  organization_id: string;
  participant_id: string | null;
  kind: string;
  owner_user_id: string;
  due_on: string;
  due_time: string | null;
  due_at: string;
  severity: string;
  title: string;
  note: string | null;
  clears_on: string;
  source_type: string | null;
  source_id: string | null;
  status: string;
  resolution: string | null;
  completed_at: string | null;
  completed_by: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface EncountersTable {
  id: string;
  organization_id: string;
  participant_id: string;
  episode_id: string | null;
  group_id: string | null;
  type: string;
  mode: string;
  setting: string;
  place_of_service: string | null;
  started_at: string;
  ended_at: string | null;
  duration_minutes: number | null;
  reached: Flag;
  attempt_outcome: string | null;
  /** JSON arrays. */
  services: Generated<string>;
  participant_words: string | null;
  note: string | null;
  note_flags: Generated<string>;
  author_user_id: string;
  author_credential: string | null;
  status: string;
  signed_at: string | null;
  review_status: Generated<string>;
  review_reason: string | null;
  review_comment: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  todo_id: string | null;
  life_event_id: string | null;
  deleted_at: string | null;
  deleted_by: string | null;
  deletion_reason: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface EncounterAddendaTable {
  id: string;
  organization_id: string;
  encounter_id: string;
  author_user_id: string;
  text: string;
  created_at: string;
}

export interface EdVisitsTable {
  id: string;
  organization_id: string;
  participant_id: string;
  life_event_id: string;
  encounter_id: string | null;
  site_id: string | null;
  ed_arrived_at: string | null;
  peer_requested_at: string | null;
  peer_arrived_at: string | null;
  overdose: Flag | null;
  substance: string | null;
  naloxone_administered: Flag | null;
  naloxone_kit_given: Flag | null;
  moud_started: string | null;
  referral_offered: Flag | null;
  referral_accepted: Flag | null;
  warm_handoff_to: string | null;
  consent_to_follow_up: Flag | null;
  best_contact_method: string | null;
  best_contact_time: string | null;
  discharged_at: string | null;
  status: string;
  completed_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

/** External ids of imported records (migration 0017, modules/imports). */
export interface ImportExternalIdsTable {
  organization_id: string;
  kind: string;
  external_id: string;
  record_id: string;
  created_at: string;
  updated_at: string;
}

export interface Database extends DirectoryTables, AppointmentTables, MoudTables, ReferralTables, QuestionnaireTables, CheckInTables, RecoveryPlanTables, CopingPlanTables, ParticipantLinkTables, FederalInterviewTables {
  organizations: OrganizationsTable;
  programs: ProgramsTable;
  sites: SitesTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  one_time_tokens: OneTimeTokensTable;
  idempotency_keys: IdempotencyKeysTable;
  audit_events: AuditEventsTable;
  audit_event_targets: AuditEventTargetsTable;
  audit_chains: AuditChainsTable;
  audit_checkpoints: AuditCheckpointsTable;
  participants: ParticipantsTable;
  episodes: EpisodesTable;
  episode_events: EpisodeEventsTable;
  participant_name_tokens: ParticipantNameTokensTable;
  consents: ConsentsTable;
  consent_signatures: ConsentSignaturesTable;
  restriction_requests: RestrictionRequestsTable;
  disclosures: DisclosuresTable;
  access_grants: AccessGrantsTable;
  notifications: NotificationsTable;
  life_events: LifeEventsTable;
  todos: TodosTable;
  encounters: EncountersTable;
  encounter_addenda: EncounterAddendaTable;
  ed_visits: EdVisitsTable;
  import_external_ids: ImportExternalIdsTable;
  rate_limits: RateLimitsTable;
  scheduled_tasks: ScheduledTasksTable;
}

/** One rate-limit window shared by every process (migration 0021, platform/http/rate-limit-store.ts). */
export interface RateLimitsTable {
  /** SHA-256 of route + client key. */
  key: string;
  hits: number;
  /** When the window ends, ms since the epoch. */
  expires_ms: number;
}

/** Periodic housekeeping run by one process per interval (migration 0021, platform/db/coordination.ts). */
export interface ScheduledTasksTable {
  name: string;
  next_run_ms: number;
  claimed_by: string | null;
  claimed_ms: number | null;
}

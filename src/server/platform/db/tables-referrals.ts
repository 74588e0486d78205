/** Table types of closed-loop referrals (migration 0009-referrals). */
import type { Generated } from 'kysely';

export interface ReferralsTable {
  id: string;
  organization_id: string;
  participant_id: string;
  directory_service_id: string | null;
  directory_organization_id: string | null;
  receiver_name: string;
  receiver_type: string;
  service_name: string | null;
  receiver_contact: string | null;
  mode: string;
  reason: string;
  urgency: string;
  notes_for_receiver: string | null;
  status: string;
  status_reason: string | null;
  status_changed_at: string | null;
  status_changed_by: string | null;
  requested_at: string | null;
  disclosure_id: string | null;
  consent_id: string | null;
  sent_at: string | null;
  appointment_id: string | null;
  linkage_kind: string | null;
  linked_on: string | null;
  linkage_source: string | null;
  linkage_recorded_at: string | null;
  linkage_recorded_by: string | null;
  coach_user_id: string | null;
  follow_up_on: string | null;
  follow_up_todo_id: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface ReferralEventsTable {
  id: string;
  organization_id: string;
  referral_id: string;
  participant_id: string;
  kind: string;
  from_status: string | null;
  to_status: string | null;
  reason: string | null;
  actor_kind: string;
  actor_user_id: string;
  occurred_at: string;
}

export interface PartnerLinksTable {
  organization_id: string;
  user_id: string;
  directory_organization_id: string;
  created_by: string;
  created_at: string;
}

export interface ReferralTables {
  referrals: ReferralsTable;
  referral_events: ReferralEventsTable;
  partner_links: PartnerLinksTable;
}

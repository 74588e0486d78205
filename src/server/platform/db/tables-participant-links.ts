/** Tables for participants' one-time links (migration 0015). */
export interface ParticipantLinksTable {
  id: string;
  organization_id: string;
  participant_id: string;
  purpose: string;
  definition_id: string | null;
  language: string;
  delivery: string;
  outbox_message_id: string | null;
  token_hash: string | null;
  created_by: string;
  created_at: string;
  expires_at: string;
  opened_at: string | null;
  used_at: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
  result_type: string | null;
  result_id: string | null;
}

export interface ParticipantLinkTables {
  participant_links: ParticipantLinksTable;
}

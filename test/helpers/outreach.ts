/**
 * Builders for the outreach tests: encounter rows written straight into the table (the encounters
 * API is its own module), with only what outreach reads — who, when, which channel, reached or not —
 * and the participant's contact summary kept as the real writes keep it.
 */
import { newId } from '../../src/server/platform/ids.js';
import type { Executor } from '../../src/server/platform/db/database.js';
import { organizationZone, refreshParticipantSummary } from '../../src/server/modules/encounters/contact-summary.js';

export interface EncounterRowInput {
  organizationId: string;
  participantId: string;
  authorUserId: string;
  startedAt: string;
  episodeId?: string | null;
  mode?: string;
  type?: string;
  reached?: boolean;
  deleted?: boolean;
}

export async function encounterRow(db: Executor, e: EncounterRowInput): Promise<string> {
  const id = newId();
  const reached = e.reached ?? false;
  await db
    .insertInto('encounters')
    .values({
      id,
      organization_id: e.organizationId,
      participant_id: e.participantId,
      episode_id: e.episodeId ?? null,
      group_id: null,
      type: e.type ?? (reached ? 'check_in' : 'outreach_attempt'),
      mode: e.mode ?? 'phone',
      setting: 'telehealth',
      place_of_service: null,
      started_at: e.startedAt,
      ended_at: null,
      duration_minutes: null,
      reached: reached ? 1 : 0,
      attempt_outcome: reached ? null : 'no_answer',
      participant_words: null,
      note: null,
      author_user_id: e.authorUserId,
      author_credential: null,
      status: 'signed',
      signed_at: e.startedAt,
      review_reason: null,
      review_comment: null,
      reviewed_by: null,
      reviewed_at: null,
      todo_id: null,
      life_event_id: null,
      deleted_at: e.deleted ? e.startedAt : null,
      deleted_by: e.deleted ? e.authorUserId : null,
      deletion_reason: e.deleted ? 'Entered in error' : null,
      created_at: e.startedAt,
      updated_at: e.startedAt,
    })
    .execute();
  // As every real write does: the participant's contact summary follows (not the episode's last contact, which tests set themselves).
  await refreshParticipantSummary(db, e.organizationId, e.participantId, await organizationZone(db, e.organizationId));
  return id;
}

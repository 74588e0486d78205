/** Records → API shapes (contracts/encounters.ts). A deleted encounter is a tombstone: its note, words and services are kept but never shown. */
import type { z } from 'zod';
import type { Encounter } from '../../../contracts/encounters.js';
import type { AddendumRecord, EncounterRecord } from './encounters.repository.js';

export function presentEncounter(e: EncounterRecord, addenda: readonly AddendumRecord[] = []): z.output<typeof Encounter> {
  const deleted = e.deletedAt !== null;
  return {
    id: e.id,
    participantId: e.participantId,
    episodeId: e.episodeId,
    groupId: e.groupId,
    type: e.type,
    mode: e.mode,
    setting: e.setting,
    placeOfService: e.placeOfService,
    startedAt: e.startedAt,
    endedAt: e.endedAt,
    durationMinutes: e.durationMinutes,
    reached: e.reached,
    attemptOutcome: e.attemptOutcome,
    services: deleted ? [] : e.services,
    participantWords: deleted ? null : e.participantWords,
    note: deleted ? null : e.note,
    noteFlags: deleted ? [] : e.noteFlags,
    authorUserId: e.authorUserId,
    authorName: e.authorName,
    authorCredential: e.authorCredential,
    status: e.status,
    signedAt: e.signedAt,
    reviewStatus: e.reviewStatus,
    reviewReason: e.reviewReason,
    reviewComment: deleted ? null : e.reviewComment,
    reviewedByName: e.reviewedByName,
    reviewedAt: e.reviewedAt,
    todoId: e.todoId,
    lifeEventId: e.lifeEventId,
    deleted: deleted ? { at: e.deletedAt!, byName: e.deletedByName, reason: e.deletionReason } : null,
    addenda: deleted
      ? []
      : addenda.map((a) => ({ id: a.id, authorUserId: a.authorUserId, authorName: a.authorName, text: a.text, createdAt: a.createdAt })),
    version: e.version,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

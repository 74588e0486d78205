/** Builders for the encounters tests and route cases: an encounter row made straight through the repository. */
import { insertEncounter, type NewEncounter } from '../../src/server/modules/encounters/encounters.repository.js';
import type { Executor } from '../../src/server/platform/db/database.js';

export const ENCOUNTER_NOW = '2026-11-27T15:00:00.000Z';

/** An encounter (a signed, reached phone check-in unless told), returning its id. */
export function encounterRow(db: Executor, e: Partial<NewEncounter> & { organizationId: string; participantId: string; authorUserId: string }): Promise<string> {
  const signed = (e.status ?? 'signed') === 'signed';
  return insertEncounter(db, {
    episodeId: null,
    groupId: null,
    type: 'check_in',
    mode: 'phone',
    setting: 'telehealth',
    placeOfService: '02',
    startedAt: '2026-11-27T14:00:00.000Z',
    endedAt: '2026-11-27T14:15:00.000Z',
    durationMinutes: 15,
    reached: true,
    attemptOutcome: null,
    services: [],
    participantWords: null,
    note: 'Talked about the new job; proud of two weeks on time.',
    noteFlags: [],
    authorCredential: null,
    status: 'signed',
    signedAt: signed ? ENCOUNTER_NOW : null,
    reviewStatus: 'none',
    reviewReason: null,
    todoId: null,
    lifeEventId: null,
    now: ENCOUNTER_NOW,
    ...e,
  });
}

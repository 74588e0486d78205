/** All SQL about encounters and their addenda. Every query is filtered by organization; returns records, never rows. */
import { sql, type Selectable } from 'kysely';
import type { ATTEMPT_OUTCOMES, ENCOUNTER_MODES, ENCOUNTER_SERVICES, ENCOUNTER_SETTINGS, ENCOUNTER_STATUSES, ENCOUNTER_TYPES, REVIEW_REASONS, REVIEW_STATUSES } from '../../../contracts/encounters.js';
import type { NoteFlag } from '../../../contracts/note-language.js';
import type { Executor } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/tables.js';
import { newId } from '../../platform/ids.js';

export interface EncounterRecord {
  id: string;
  organizationId: string;
  participantId: string;
  episodeId: string | null;
  groupId: string | null;
  type: (typeof ENCOUNTER_TYPES)[number];
  mode: (typeof ENCOUNTER_MODES)[number];
  setting: (typeof ENCOUNTER_SETTINGS)[number];
  placeOfService: string | null;
  startedAt: string;
  endedAt: string | null;
  durationMinutes: number | null;
  reached: boolean;
  attemptOutcome: (typeof ATTEMPT_OUTCOMES)[number] | null;
  services: (typeof ENCOUNTER_SERVICES)[number][];
  participantWords: string | null;
  note: string | null;
  noteFlags: NoteFlag[];
  authorUserId: string;
  authorName: string | null;
  authorCredential: string | null;
  status: (typeof ENCOUNTER_STATUSES)[number];
  signedAt: string | null;
  reviewStatus: (typeof REVIEW_STATUSES)[number];
  reviewReason: (typeof REVIEW_REASONS)[number] | null;
  reviewComment: string | null;
  reviewedBy: string | null;
  reviewedByName: string | null;
  reviewedAt: string | null;
  todoId: string | null;
  lifeEventId: string | null;
  deletedAt: string | null;
  deletedBy: string | null;
  deletedByName: string | null;
  deletionReason: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface AddendumRecord {
  id: string;
  encounterId: string;
  authorUserId: string;
  authorName: string | null;
  text: string;
  createdAt: string;
}

type Row = Selectable<Database['encounters']> & { author_name: string | null; reviewer_name: string | null; deleter_name: string | null };

const toRecord = (r: Row): EncounterRecord => ({
  id: r.id,
  organizationId: r.organization_id,
  participantId: r.participant_id,
  episodeId: r.episode_id,
  groupId: r.group_id,
  type: r.type as EncounterRecord['type'],
  mode: r.mode as EncounterRecord['mode'],
  setting: r.setting as EncounterRecord['setting'],
  placeOfService: r.place_of_service,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  durationMinutes: r.duration_minutes === null ? null : Number(r.duration_minutes),
  reached: Number(r.reached) === 1,
  attemptOutcome: r.attempt_outcome as EncounterRecord['attemptOutcome'],
  services: JSON.parse(r.services) as EncounterRecord['services'],
  participantWords: r.participant_words,
  note: r.note,
  noteFlags: JSON.parse(r.note_flags) as NoteFlag[],
  authorUserId: r.author_user_id,
  authorName: r.author_name,
  authorCredential: r.author_credential,
  status: r.status as EncounterRecord['status'],
  signedAt: r.signed_at,
  reviewStatus: r.review_status as EncounterRecord['reviewStatus'],
  reviewReason: r.review_reason as EncounterRecord['reviewReason'],
  reviewComment: r.review_comment,
  reviewedBy: r.reviewed_by,
  reviewedByName: r.reviewer_name,
  reviewedAt: r.reviewed_at,
  todoId: r.todo_id,
  lifeEventId: r.life_event_id,
  deletedAt: r.deleted_at,
  deletedBy: r.deleted_by,
  deletedByName: r.deleter_name,
  deletionReason: r.deletion_reason,
  version: Number(r.version),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const selectEncounters = (db: Executor, organizationId: string) =>
  db
    .selectFrom('encounters')
    .leftJoin('users as author', 'author.id', 'encounters.author_user_id')
    .leftJoin('users as reviewer', 'reviewer.id', 'encounters.reviewed_by')
    .leftJoin('users as deleter', 'deleter.id', 'encounters.deleted_by')
    .selectAll('encounters')
    .select(['author.display_name as author_name', 'reviewer.display_name as reviewer_name', 'deleter.display_name as deleter_name'])
    .where('encounters.organization_id', '=', organizationId);

/** What a new encounter stores (the record's own values; the rest are set here). */
export interface NewEncounter {
  organizationId: string;
  participantId: string;
  episodeId: string | null;
  groupId: string | null;
  type: string;
  mode: string;
  setting: string;
  placeOfService: string | null;
  startedAt: string;
  endedAt: string | null;
  durationMinutes: number | null;
  reached: boolean;
  attemptOutcome: string | null;
  services: readonly string[];
  participantWords: string | null;
  note: string | null;
  noteFlags: readonly NoteFlag[];
  authorUserId: string;
  authorCredential: string | null;
  status: 'draft' | 'signed';
  signedAt: string | null;
  reviewStatus: 'none' | 'pending';
  reviewReason: string | null;
  todoId: string | null;
  lifeEventId: string | null;
  now: string;
}

export async function insertEncounter(db: Executor, e: NewEncounter): Promise<string> {
  const id = newId();
  await db
    .insertInto('encounters')
    .values({
      id,
      organization_id: e.organizationId,
      participant_id: e.participantId,
      episode_id: e.episodeId,
      group_id: e.groupId,
      type: e.type,
      mode: e.mode,
      setting: e.setting,
      place_of_service: e.placeOfService,
      started_at: e.startedAt,
      ended_at: e.endedAt,
      duration_minutes: e.durationMinutes,
      reached: e.reached ? 1 : 0,
      attempt_outcome: e.attemptOutcome,
      services: JSON.stringify(e.services),
      participant_words: e.participantWords,
      note: e.note,
      note_flags: JSON.stringify(e.noteFlags),
      author_user_id: e.authorUserId,
      author_credential: e.authorCredential,
      status: e.status,
      signed_at: e.signedAt,
      review_status: e.reviewStatus,
      review_reason: e.reviewReason,
      review_comment: null,
      reviewed_by: null,
      reviewed_at: null,
      todo_id: e.todoId,
      life_event_id: e.lifeEventId,
      deleted_at: null,
      deleted_by: null,
      deletion_reason: null,
      created_at: e.now,
      updated_at: e.now,
    })
    .execute();
  return id;
}

export async function findEncounter(db: Executor, organizationId: string, id: string): Promise<EncounterRecord | undefined> {
  const r = await selectEncounters(db, organizationId).where('encounters.id', '=', id).executeTakeFirst();
  return r ? toRecord(r) : undefined;
}

/** A participant's encounters, newest first (by start, then id), strictly before the cursor. */
export async function listParticipantEncounters(
  db: Executor,
  organizationId: string,
  participantId: string,
  before: { at: string; id: string } | undefined,
  limit: number,
): Promise<EncounterRecord[]> {
  let q = selectEncounters(db, organizationId).where('encounters.participant_id', '=', participantId);
  if (before) {
    q = q.where((eb) =>
      eb.or([eb('encounters.started_at', '<', before.at), eb.and([eb('encounters.started_at', '=', before.at), eb('encounters.id', '<', before.id)])]),
    );
  }
  const rows = await q.orderBy('encounters.started_at', 'desc').orderBy('encounters.id', 'desc').limit(limit).execute();
  return rows.map(toRecord);
}

/** Signed notes waiting for review, oldest first; `authors` 'all' for a program manager. */
export async function listPendingReview(db: Executor, organizationId: string, authors: readonly string[] | 'all', limit: number): Promise<EncounterRecord[]> {
  if (authors !== 'all' && authors.length === 0) return [];
  let q = selectEncounters(db, organizationId).where('encounters.review_status', '=', 'pending').where('encounters.deleted_at', 'is', null);
  if (authors !== 'all') q = q.where('encounters.author_user_id', 'in', authors);
  const rows = await q.orderBy('encounters.started_at', 'asc').orderBy('encounters.id', 'asc').limit(limit).execute();
  return rows.map(toRecord);
}

/** The caller's most recent encounter (any participant), for the phone form's defaults. */
export async function lastEncounterBy(db: Executor, organizationId: string, authorUserId: string): Promise<{ type: string; mode: string; setting: string } | undefined> {
  return db
    .selectFrom('encounters')
    .select(['type', 'mode', 'setting'])
    .where('organization_id', '=', organizationId)
    .where('author_user_id', '=', authorUserId)
    .where('deleted_at', 'is', null)
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

export interface EncounterPatch {
  type?: string;
  mode?: string;
  setting?: string;
  placeOfService?: string | null;
  startedAt?: string;
  endedAt?: string | null;
  durationMinutes?: number | null;
  reached?: boolean;
  attemptOutcome?: string | null;
  services?: readonly string[];
  participantWords?: string | null;
  note?: string | null;
  noteFlags?: readonly NoteFlag[];
  status?: 'signed';
  signedAt?: string;
  reviewStatus?: string;
  reviewReason?: string | null;
  reviewComment?: string | null;
  reviewedBy?: string | null;
  reviewedAt?: string | null;
  deletedAt?: string;
  deletedBy?: string;
  deletionReason?: string;
}

/** Change an encounter at `version` (when given); false when the version no longer matches. */
export async function updateEncounter(db: Executor, organizationId: string, id: string, version: number | undefined, p: EncounterPatch, now: string): Promise<boolean> {
  let q = db
    .updateTable('encounters')
    .set({
      updated_at: now,
      version: sql<number>`version + 1`,
      ...(p.type !== undefined && { type: p.type }),
      ...(p.mode !== undefined && { mode: p.mode }),
      ...(p.setting !== undefined && { setting: p.setting }),
      ...(p.placeOfService !== undefined && { place_of_service: p.placeOfService }),
      ...(p.startedAt !== undefined && { started_at: p.startedAt }),
      ...(p.endedAt !== undefined && { ended_at: p.endedAt }),
      ...(p.durationMinutes !== undefined && { duration_minutes: p.durationMinutes }),
      ...(p.reached !== undefined && { reached: p.reached ? 1 : 0 }),
      ...(p.attemptOutcome !== undefined && { attempt_outcome: p.attemptOutcome }),
      ...(p.services !== undefined && { services: JSON.stringify(p.services) }),
      ...(p.participantWords !== undefined && { participant_words: p.participantWords }),
      ...(p.note !== undefined && { note: p.note }),
      ...(p.noteFlags !== undefined && { note_flags: JSON.stringify(p.noteFlags) }),
      ...(p.status !== undefined && { status: p.status }),
      ...(p.signedAt !== undefined && { signed_at: p.signedAt }),
      ...(p.reviewStatus !== undefined && { review_status: p.reviewStatus }),
      ...(p.reviewReason !== undefined && { review_reason: p.reviewReason }),
      ...(p.reviewComment !== undefined && { review_comment: p.reviewComment }),
      ...(p.reviewedBy !== undefined && { reviewed_by: p.reviewedBy }),
      ...(p.reviewedAt !== undefined && { reviewed_at: p.reviewedAt }),
      ...(p.deletedAt !== undefined && { deleted_at: p.deletedAt }),
      ...(p.deletedBy !== undefined && { deleted_by: p.deletedBy }),
      ...(p.deletionReason !== undefined && { deletion_reason: p.deletionReason }),
    })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id);
  if (version !== undefined) q = q.where('version', '=', version);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

// ---- addenda

export async function insertAddendum(db: Executor, a: { organizationId: string; encounterId: string; authorUserId: string; text: string; now: string }): Promise<string> {
  const id = newId();
  await db
    .insertInto('encounter_addenda')
    .values({ id, organization_id: a.organizationId, encounter_id: a.encounterId, author_user_id: a.authorUserId, text: a.text, created_at: a.now })
    .execute();
  return id;
}

/** Addenda of these encounters, oldest first, grouped by encounter. */
export async function addendaOf(db: Executor, organizationId: string, encounterIds: readonly string[]): Promise<Map<string, AddendumRecord[]>> {
  const out = new Map<string, AddendumRecord[]>();
  if (encounterIds.length === 0) return out;
  const rows = await db
    .selectFrom('encounter_addenda as a')
    .leftJoin('users as u', 'u.id', 'a.author_user_id')
    .select(['a.id', 'a.encounter_id', 'a.author_user_id', 'a.text', 'a.created_at', 'u.display_name'])
    .where('a.organization_id', '=', organizationId)
    .where('a.encounter_id', 'in', [...new Set(encounterIds)])
    .orderBy('a.created_at')
    .orderBy('a.id')
    .execute();
  for (const r of rows) {
    const list = out.get(r.encounter_id) ?? [];
    list.push({ id: r.id, encounterId: r.encounter_id, authorUserId: r.author_user_id, authorName: r.display_name, text: r.text, createdAt: r.created_at });
    out.set(r.encounter_id, list);
  }
  return out;
}

// ---- what saving an encounter reads and changes elsewhere

/** The author's credential now (copied onto the encounter) and language (for the note aid). */
export async function authorFacts(db: Executor, userId: string): Promise<{ credential: string | null; locale: string }> {
  const r = await db.selectFrom('users').select(['credential', 'locale']).where('id', '=', userId).executeTakeFirst();
  return { credential: r?.credential ?? null, locale: r?.locale ?? 'en' };
}

/** The participant's open (not discharged) episodes, most recently started first, with their program's review rule. */
export async function openEpisodes(db: Executor, organizationId: string, participantId: string): Promise<{ id: string; status: string; lastContactAt: string | null; reviewTypes: string[] }[]> {
  const rows = await db
    .selectFrom('episodes as e')
    .innerJoin('programs as p', 'p.id', 'e.program_id')
    .select(['e.id', 'e.status', 'e.last_contact_at', 'p.review_types'])
    .where('e.organization_id', '=', organizationId)
    .where('e.participant_id', '=', participantId)
    .where('e.status', '<>', 'discharged')
    .orderBy('e.start_date', 'desc')
    .orderBy('e.id', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, status: r.status, lastContactAt: r.last_contact_at, reviewTypes: JSON.parse(r.review_types) as string[] }));
}

/** Set an episode's last successful contact to `at` when it is later than the one recorded. */
export async function advanceLastContact(db: Executor, organizationId: string, episodeId: string, at: string): Promise<void> {
  await db
    .updateTable('episodes')
    .set({ last_contact_at: at })
    .where('organization_id', '=', organizationId)
    .where('id', '=', episodeId)
    .where((eb) => eb.or([eb('last_contact_at', 'is', null), eb('last_contact_at', '<', at)]))
    .execute();
}

/** Clear the unreachable reason of an episode made active again. */
export async function clearUnreachableReason(db: Executor, organizationId: string, episodeId: string): Promise<void> {
  await db.updateTable('episodes').set({ unreachable_reason: null }).where('organization_id', '=', organizationId).where('id', '=', episodeId).execute();
}

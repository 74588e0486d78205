/**
 * All SQL about participants, episodes and episode events. Every query is filtered by
 * organization, and every query that returns participants to a person goes through
 * `scopeCondition` (built from `participantScope`): the one definition of whom a person may see.
 */
import type { Expression, ExpressionBuilder, Selectable, SqlBool } from 'kysely';
import type { z } from 'zod';
import type { Role } from '../../../contracts/roles.js';
import type { DISCHARGE_REASONS, EPISODE_STATUSES, Participant } from '../../../contracts/participants.js';
import type { Executor } from '../../platform/db/database.js';
import type { Database, ParticipantsTable } from '../../platform/db/tables.js';
import { newId } from '../../platform/ids.js';

// ---- access scope

/**
 * Whom a person may see, from their roles in the organization (docs/ARCHITECTURE.md, "Who sees
 * which participants"): program managers and privacy officers see everyone; coaches their
 * assigned people and the unassigned at their teams' sites; supervisors the people of their
 * teams' coaches and the unassigned at their teams' sites; anyone the records they created that
 * have no episode yet. Roles add up.
 */
export interface ParticipantScope {
  organizationId: string;
  userId: string;
  all: boolean;
  asCoach: boolean;
  asSupervisor: boolean;
}

export function participantScope(actor: { organizationId: string; userId: string; roles: readonly Role[] }): ParticipantScope {
  return {
    organizationId: actor.organizationId,
    userId: actor.userId,
    all: actor.roles.includes('program_manager') || actor.roles.includes('privacy_officer'),
    asCoach: actor.roles.includes('coach'),
    asSupervisor: actor.roles.includes('supervisor'),
  };
}

type PEb = ExpressionBuilder<Database, 'participants'>;

/** The WHERE condition on `participants` that admits exactly the records `scope` may see. */
export function scopeCondition(eb: PEb, scope: ParticipantScope): Expression<SqlBool> {
  const org = eb('participants.organization_id', '=', scope.organizationId);
  if (scope.all) return org;
  const { userId } = scope;
  const openEpisode = () =>
    eb
      .selectFrom('episodes as e')
      .select('e.id')
      .whereRef('e.participant_id', '=', 'participants.id')
      .where('e.organization_id', '=', scope.organizationId)
      .where('e.status', '<>', 'discharged');
  const anyEpisode = eb.selectFrom('episodes as e0').select('e0.id').whereRef('e0.participant_id', '=', 'participants.id');
  const alternatives: Expression<SqlBool>[] = [
    // A brief intake stays findable by the person who made it until someone enrolls it.
    eb.and([eb('participants.created_by', '=', userId), eb.not(eb.exists(anyEpisode))]),
  ];
  if (scope.asCoach) {
    const mySites = eb
      .selectFrom('teams as t')
      .innerJoin('team_members as tm', 'tm.team_id', 't.id')
      .select('t.site_id')
      .where('tm.user_id', '=', userId)
      .where('t.organization_id', '=', scope.organizationId)
      .where('t.site_id', 'is not', null);
    alternatives.push(
      eb.exists(
        openEpisode().where((w) =>
          w.or([w('e.assigned_coach_user_id', '=', userId), w.and([w('e.assigned_coach_user_id', 'is', null), w('e.site_id', 'in', mySites)])]),
        ),
      ),
    );
  }
  if (scope.asSupervisor) {
    const myCoaches = eb
      .selectFrom('team_members as stm')
      .innerJoin('teams as st', 'st.id', 'stm.team_id')
      .select('stm.user_id')
      .where('st.supervisor_user_id', '=', userId)
      .where('st.organization_id', '=', scope.organizationId);
    const mySites = eb
      .selectFrom('teams as st2')
      .select('st2.site_id')
      .where('st2.supervisor_user_id', '=', userId)
      .where('st2.organization_id', '=', scope.organizationId)
      .where('st2.site_id', 'is not', null);
    alternatives.push(
      eb.exists(
        openEpisode().where((w) =>
          w.or([w('e.assigned_coach_user_id', 'in', myCoaches), w.and([w('e.assigned_coach_user_id', 'is', null), w('e.site_id', 'in', mySites)])]),
        ),
      ),
    );
  }
  return eb.and([org, eb.or(alternatives)]);
}

// ---- participants

export type ParticipantRecord = z.output<typeof Participant> & { organizationId: string };
export type IntakeLevel = ParticipantRecord['intakeLevel'];

type Kind = 'text' | 'int' | 'flag' | 'nflag' | 'json';
/** The editable fields: API name → column, and how each is stored. */
const FIELDS = {
  firstName: ['first_name', 'text'],
  lastName: ['last_name', 'text'],
  alias: ['alias', 'text'],
  preferredName: ['preferred_name', 'text'],
  pronouns: ['pronouns', 'text'],
  language: ['language', 'text'],
  dateOfBirth: ['date_of_birth', 'text'],
  birthYear: ['birth_year', 'int'],
  dobEstimated: ['dob_estimated', 'flag'],
  phone: ['phone', 'text'],
  email: ['email', 'text'],
  preferredContactMethod: ['preferred_contact_method', 'text'],
  okVoicemail: ['ok_voicemail', 'flag'],
  okText: ['ok_text', 'flag'],
  safeTimes: ['safe_times', 'text'],
  contactWindowStart: ['contact_window_start', 'text'],
  contactWindowEnd: ['contact_window_end', 'text'],
  doNotContact: ['do_not_contact', 'flag'],
  emergencyContactName: ['emergency_contact_name', 'text'],
  emergencyContactRelationship: ['emergency_contact_relationship', 'text'],
  emergencyContactPhone: ['emergency_contact_phone', 'text'],
  addressLine: ['address_line', 'text'],
  city: ['city', 'text'],
  state: ['state', 'text'],
  zip: ['zip', 'text'],
  housingStatus: ['housing_status', 'text'],
  insuranceType: ['insurance_type', 'text'],
  insuranceMemberId: ['insurance_member_id', 'text'],
  primarySubstance: ['primary_substance', 'text'],
  secondarySubstance: ['secondary_substance', 'text'],
  routeOfUse: ['route_of_use', 'text'],
  hasOud: ['has_oud', 'nflag'],
  hasOudSource: ['has_oud_source', 'text'],
  currentMoud: ['current_moud', 'text'],
  moudSource: ['moud_source', 'text'],
  recoveryStartDate: ['recovery_start_date', 'text'],
  employment: ['employment', 'text'],
  justiceInvolved: ['justice_involved', 'flag'],
  pregnantOrPostpartum: ['pregnant_or_postpartum', 'flag'],
  youth: ['youth', 'flag'],
  veteran: ['veteran', 'flag'],
  coOccurringMentalHealth: ['co_occurring_mental_health', 'flag'],
  race: ['race', 'json'],
  ethnicity: ['ethnicity', 'text'],
  sexAtBirth: ['sex_at_birth', 'text'],
  genderIdentity: ['gender_identity', 'text'],
  strengthsAndHopes: ['strengths_and_hopes', 'text'],
  intakeSetting: ['intake_setting', 'text'],
  referralSource: ['referral_source', 'text'],
  consentToFollowUp: ['consent_to_follow_up', 'flag'],
} as const satisfies Record<string, readonly [keyof ParticipantsTable, Kind]>;

export type ParticipantField = keyof typeof FIELDS;
export const PARTICIPANT_FIELDS = Object.keys(FIELDS) as ParticipantField[];
/** Values of editable fields, as the use cases speak them. */
export type ParticipantValues = { [K in ParticipantField]?: ParticipantRecord[K] | null | undefined };

function toColumn(kind: Kind, v: unknown): unknown {
  switch (kind) {
    case 'flag':
      return v ? 1 : 0;
    case 'nflag':
      return v == null ? null : v ? 1 : 0;
    case 'json':
      return JSON.stringify(v ?? []);
    case 'int':
    case 'text':
      return v ?? null;
  }
}
function fromColumn(kind: Kind, v: unknown): unknown {
  switch (kind) {
    case 'flag':
      return Number(v) === 1;
    case 'nflag':
      return v == null ? null : Number(v) === 1;
    case 'json':
      return JSON.parse(String(v)) as unknown;
    case 'int':
      return v == null ? null : Number(v);
    case 'text':
      return v ?? null;
  }
}

function columnsOf(values: ParticipantValues): Partial<Record<keyof ParticipantsTable, unknown>> {
  const out: Partial<Record<keyof ParticipantsTable, unknown>> = {};
  for (const key of PARTICIPANT_FIELDS) {
    if (values[key] === undefined) continue;
    const [column, kind] = FIELDS[key];
    out[column] = toColumn(kind, values[key]);
  }
  return out;
}

type ParticipantRow = Selectable<ParticipantsTable>;
function toParticipant(r: ParticipantRow): ParticipantRecord {
  const fields: Record<string, unknown> = {};
  for (const key of PARTICIPANT_FIELDS) {
    const [column, kind] = FIELDS[key];
    fields[key] = fromColumn(kind, r[column]);
  }
  return {
    ...(fields as { [K in ParticipantField]: ParticipantRecord[K] }),
    id: r.id,
    organizationId: r.organization_id,
    intakeLevel: r.intake_level as IntakeLevel,
    consentToFollowUpAt: r.consent_to_follow_up_at,
    mergedIntoId: r.merged_into_id,
    createdBy: r.created_by,
    version: Number(r.version),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Lower case, accents stripped, anything but letters and digits a space: "José  O'Neil" → "jose o neil". */
export function normalizeName(s: string | null | undefined): string {
  return (s ?? '')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The search key: every name word, with a leading space so " word-start" matches any word. */
export function searchKey(p: { firstName?: string | null | undefined; lastName?: string | null | undefined; alias?: string | null | undefined; preferredName?: string | null | undefined }): string {
  const words = [p.firstName, p.lastName, p.alias, p.preferredName].map(normalizeName).filter(Boolean).join(' ');
  return ` ${words}`;
}

/** The distinct name words of a search key: what the token index holds for one person. */
export const nameTokens = (key: string): string[] => [...new Set(key.split(' ').filter(Boolean))];

/** Keep a person's name tokens in step with their search key (same transaction as the write). */
export async function replaceNameTokens(db: Executor, organizationId: string, participantId: string, key: string): Promise<void> {
  await db.deleteFrom('participant_name_tokens').where('participant_id', '=', participantId).execute();
  const tokens = nameTokens(key);
  if (tokens.length === 0) return;
  await db
    .insertInto('participant_name_tokens')
    .values(tokens.map((token) => ({ organization_id: organizationId, token, participant_id: participantId })))
    .execute();
}

/** The first string after every string that starts with `prefix`: `smi` → `smj`. */
const prefixEnd = (prefix: string): string => prefix.slice(0, -1) + String.fromCodePoint(prefix.codePointAt(prefix.length - 1)! + 1);

export async function insertParticipant(
  db: Executor,
  p: { organizationId: string; values: ParticipantValues; createdBy: string; now: string },
): Promise<string> {
  const id = newId();
  const row = {
    ...columnsOf(p.values),
    id,
    organization_id: p.organizationId,
    intake_level: 'brief',
    search_name: searchKey(p.values),
    consent_to_follow_up_at: p.values.consentToFollowUp ? p.now : null,
    created_by: p.createdBy,
    created_at: p.now,
    updated_at: p.now,
  };
  await db
    .insertInto('participants')
    .values(row as never)
    .execute();
  await replaceNameTokens(db, p.organizationId, id, row.search_name);
  return id;
}

export async function findParticipant(db: Executor, organizationId: string, id: string): Promise<ParticipantRecord | undefined> {
  const r = await db.selectFrom('participants').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return r ? toParticipant(r) : undefined;
}

export async function isInScope(db: Executor, scope: ParticipantScope, id: string): Promise<boolean> {
  const r = await db
    .selectFrom('participants')
    .select('id')
    .where('id', '=', id)
    .where((eb) => scopeCondition(eb, scope))
    .executeTakeFirst();
  return r !== undefined;
}

/** Of `ids`, those `scope` may see. */
export async function idsInScope(db: Executor, scope: ParticipantScope, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('participants')
    .select('id')
    .where('id', 'in', [...ids])
    .where((eb) => scopeCondition(eb, scope))
    .execute();
  return new Set(rows.map((r) => r.id));
}

export async function updateParticipant(
  db: Executor,
  organizationId: string,
  id: string,
  version: number,
  patch: { values: ParticipantValues; searchName: string; intakeLevel?: IntakeLevel | undefined },
  now: string,
): Promise<boolean> {
  const res = await db
    .updateTable('participants')
    .set((eb) => ({
      ...(columnsOf(patch.values) as object),
      search_name: patch.searchName,
      updated_at: now,
      version: eb('version', '+', 1),
      ...(patch.intakeLevel !== undefined && { intake_level: patch.intakeLevel }),
    }))
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) return false;
  await replaceNameTokens(db, organizationId, id, patch.searchName);
  return true;
}

export interface ParticipantSummaryRecord {
  id: string;
  firstName: string | null;
  lastName: string | null;
  alias: string | null;
  preferredName: string | null;
  dateOfBirth: string | null;
}
const summaryColumns = ['id', 'first_name', 'last_name', 'alias', 'preferred_name', 'date_of_birth'] as const;
const toSummary = (r: { id: string; first_name: string | null; last_name: string | null; alias: string | null; preferred_name: string | null; date_of_birth: string | null }): ParticipantSummaryRecord => ({
  id: r.id,
  firstName: r.first_name,
  lastName: r.last_name,
  alias: r.alias,
  preferredName: r.preferred_name,
  dateOfBirth: r.date_of_birth,
});

/** Every given term must match: each name word as a word prefix, the phone and the date exactly. */
export async function searchParticipants(
  db: Executor,
  scope: ParticipantScope,
  terms: { words: string[]; dateOfBirth?: string | undefined; phone?: string | undefined },
  limit: number,
): Promise<ParticipantSummaryRecord[]> {
  // The longest word first: it matches the fewest people.
  const [first, ...rest] = [...terms.words].sort((a, b) => b.length - a.length);
  if (first === undefined) {
    // A date of birth or a phone alone: an index on each.
    let q = db
      .selectFrom('participants')
      .select(summaryColumns)
      .where((eb) => scopeCondition(eb, scope))
      .where('merged_into_id', 'is', null);
    if (terms.dateOfBirth) q = q.where('date_of_birth', '=', terms.dateOfBirth);
    if (terms.phone) q = q.where('phone', '=', terms.phone);
    const rows = await q.orderBy('last_name').orderBy('first_name').orderBy('id').limit(limit).execute();
    return rows.map(toSummary);
  }
  const tokenRange = (w: string) =>
    db
      .selectFrom('participant_name_tokens')
      .select('participant_id')
      .where('organization_id', '=', scope.organizationId)
      .where('token', '>=', w)
      .where('token', '<', prefixEnd(w));
  let rows: { id: string; first_name: string | null; last_name: string | null; alias: string | null; preferred_name: string | null; date_of_birth: string | null }[];
  const columns = ['participants.id', 'participants.first_name', 'participants.last_name', 'participants.alias', 'participants.preferred_name', 'participants.date_of_birth'] as const;
  if (rest.length === 0 || (rest.length === 1 && rest[0]!.length <= 2)) {
    // One word (or one with an initial, like "jam s") walks the name-token index in its own order, so the query stops after `limit`
    // matches however many people share a common prefix (a statewide "smi" matches thousands):
    // the first matches by name word are the ones shown, sorted by name. A person can match on
    // two words of their name, so twice the limit is read and duplicates dropped.
    let q = db
      .selectFrom('participant_name_tokens as t')
      .innerJoin('participants', 'participants.id', 't.participant_id')
      .select(columns)
      .where('t.organization_id', '=', scope.organizationId)
      .where('t.token', '>=', first)
      .where('t.token', '<', prefixEnd(first))
      .where((eb) => scopeCondition(eb, scope))
      .where('participants.merged_into_id', 'is', null);
    // An initial is checked on each person found: most people have some word starting with a
    // given letter, so few are passed over.
    for (const w of rest) {
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('participant_name_tokens as t2')
            .select('t2.participant_id')
            .whereRef('t2.participant_id', '=', 'participants.id')
            .where('t2.token', '>=', w)
            .where('t2.token', '<', prefixEnd(w)),
        ),
      );
    }
    if (terms.dateOfBirth) q = q.where('participants.date_of_birth', '=', terms.dateOfBirth);
    if (terms.phone) q = q.where('participants.phone', '=', terms.phone);
    rows = await q.orderBy('t.token').orderBy('t.participant_id').limit(limit * 2).execute();
  } else {
    // Several words ("jamie smi"): the people each word's token range holds, intersected — two
    // index ranges read once, rather than a check of every Jamie for a word starting with smi.
    let ids = tokenRange(first);
    for (const w of rest) ids = ids.intersect(tokenRange(w));
    let q = db
      .selectFrom('participants')
      .select(columns)
      .where('participants.id', 'in', ids)
      .where((eb) => scopeCondition(eb, scope))
      .where('participants.merged_into_id', 'is', null);
    if (terms.dateOfBirth) q = q.where('participants.date_of_birth', '=', terms.dateOfBirth);
    if (terms.phone) q = q.where('participants.phone', '=', terms.phone);
    rows = await q.orderBy('participants.id').limit(limit).execute();
  }
  const seen = new Set<string>();
  const found = rows.filter((r) => !seen.has(r.id) && seen.add(r.id)).slice(0, limit).map(toSummary);
  const key = (s: string | null) => s ?? '';
  return found.sort((a, b) => key(a.lastName).localeCompare(key(b.lastName)) || key(a.firstName).localeCompare(key(b.firstName)) || a.id.localeCompare(b.id));
}

/** Candidates for duplicates in the whole organization: the same date of birth, or the same phone. */
export async function duplicateCandidates(
  db: Executor,
  organizationId: string,
  by: { dateOfBirth?: string | null | undefined; phone?: string | null | undefined },
): Promise<(ParticipantSummaryRecord & { phone: string | null })[]> {
  if (!by.dateOfBirth && !by.phone) return [];
  const rows = await db
    .selectFrom('participants')
    .select([...summaryColumns, 'phone'])
    .where('organization_id', '=', organizationId)
    .where('merged_into_id', 'is', null)
    .where((eb) => {
      const ors: Expression<SqlBool>[] = [];
      if (by.dateOfBirth) ors.push(eb('date_of_birth', '=', by.dateOfBirth));
      if (by.phone) ors.push(eb('phone', '=', by.phone));
      return eb.or(ors);
    })
    .limit(200)
    .execute();
  return rows.map((r) => ({ ...toSummary(r), phone: r.phone }));
}

// ---- episodes

export type EpisodeStatus = (typeof EPISODE_STATUSES)[number];
export type DischargeReason = (typeof DISCHARGE_REASONS)[number];

export interface EpisodeRecord {
  id: string;
  organizationId: string;
  participantId: string;
  programId: string;
  siteId: string;
  startDate: string;
  referralSource: string | null;
  assignedCoachUserId: string | null;
  /** The assigned coach's name, so a colleague can see who it is without reading staff records. */
  assignedCoachName: string | null;
  status: EpisodeStatus;
  dischargeDate: string | null;
  dischargeReason: DischargeReason | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

const toEpisode = (r: Selectable<Database['episodes']> & { assigned_coach_name: string | null }): EpisodeRecord => ({
  id: r.id,
  organizationId: r.organization_id,
  participantId: r.participant_id,
  programId: r.program_id,
  siteId: r.site_id,
  startDate: r.start_date,
  referralSource: r.referral_source,
  assignedCoachUserId: r.assigned_coach_user_id,
  assignedCoachName: r.assigned_coach_name,
  status: r.status as EpisodeStatus,
  dischargeDate: r.discharge_date,
  dischargeReason: r.discharge_reason as DischargeReason | null,
  version: Number(r.version),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function insertEpisode(
  db: Executor,
  e: { organizationId: string; participantId: string; programId: string; siteId: string; startDate: string; referralSource: string | null; assignedCoachUserId: string | null; createdBy: string; now: string },
): Promise<string> {
  const id = newId();
  await db
    .insertInto('episodes')
    .values({
      id,
      organization_id: e.organizationId,
      participant_id: e.participantId,
      program_id: e.programId,
      site_id: e.siteId,
      start_date: e.startDate,
      referral_source: e.referralSource,
      assigned_coach_user_id: e.assignedCoachUserId,
      status: 'active',
      discharge_date: null,
      discharge_reason: null,
      created_by: e.createdBy,
      created_at: e.now,
      updated_at: e.now,
    })
    .execute();
  return id;
}

export async function findEpisode(db: Executor, organizationId: string, id: string): Promise<EpisodeRecord | undefined> {
  const r = await db
    .selectFrom('episodes')
    .leftJoin('users as coach', 'coach.id', 'episodes.assigned_coach_user_id')
    .selectAll('episodes')
    .select('coach.display_name as assigned_coach_name')
    .where('episodes.organization_id', '=', organizationId)
    .where('episodes.id', '=', id)
    .executeTakeFirst();
  return r ? toEpisode(r) : undefined;
}

export async function listEpisodes(db: Executor, organizationId: string, participantId: string): Promise<EpisodeRecord[]> {
  const rows = await db
    .selectFrom('episodes')
    .leftJoin('users as coach', 'coach.id', 'episodes.assigned_coach_user_id')
    .selectAll('episodes')
    .select('coach.display_name as assigned_coach_name')
    .where('episodes.organization_id', '=', organizationId)
    .where('episodes.participant_id', '=', participantId)
    .orderBy('episodes.start_date', 'desc')
    .orderBy('episodes.id', 'desc')
    .execute();
  return rows.map(toEpisode);
}

/** An open (not discharged) episode of the participant in the program, other than `exceptId`. */
export async function openEpisodeIn(db: Executor, organizationId: string, participantId: string, programId: string, exceptId?: string): Promise<string | undefined> {
  let q = db
    .selectFrom('episodes')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('participant_id', '=', participantId)
    .where('program_id', '=', programId)
    .where('status', '<>', 'discharged');
  if (exceptId) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst())?.id;
}

export async function updateEpisode(
  db: Executor,
  organizationId: string,
  id: string,
  version: number | undefined,
  patch: Partial<{
    status: EpisodeStatus;
    startDate: string;
    referralSource: string | null;
    dischargeDate: string | null;
    dischargeReason: DischargeReason | null;
    assignedCoachUserId: string | null;
    siteId: string;
  }>,
  now: string,
): Promise<boolean> {
  let q = db
    .updateTable('episodes')
    .set((eb) => ({
      updated_at: now,
      version: eb('version', '+', 1),
      ...(patch.status !== undefined && { status: patch.status }),
      ...(patch.startDate !== undefined && { start_date: patch.startDate }),
      ...(patch.referralSource !== undefined && { referral_source: patch.referralSource }),
      ...(patch.dischargeDate !== undefined && { discharge_date: patch.dischargeDate }),
      ...(patch.dischargeReason !== undefined && { discharge_reason: patch.dischargeReason }),
      ...(patch.assignedCoachUserId !== undefined && { assigned_coach_user_id: patch.assignedCoachUserId }),
      ...(patch.siteId !== undefined && { site_id: patch.siteId }),
    }))
    .where('organization_id', '=', organizationId)
    .where('id', '=', id);
  if (version !== undefined) q = q.where('version', '=', version);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export interface EpisodeEventRecord {
  id: string;
  episodeId: string;
  kind: 'reassign' | 'transfer' | 'status';
  fromValue: string | null;
  toValue: string | null;
  reason: string | null;
  actorUserId: string;
  occurredAt: string;
}

export async function insertEpisodeEvent(db: Executor, organizationId: string, e: Omit<EpisodeEventRecord, 'id'>): Promise<string> {
  const id = newId();
  await db
    .insertInto('episode_events')
    .values({
      id,
      organization_id: organizationId,
      episode_id: e.episodeId,
      kind: e.kind,
      from_value: e.fromValue,
      to_value: e.toValue,
      reason: e.reason,
      actor_user_id: e.actorUserId,
      occurred_at: e.occurredAt,
    })
    .execute();
  return id;
}

export async function listEpisodeEvents(db: Executor, organizationId: string, episodeId: string): Promise<EpisodeEventRecord[]> {
  const rows = await db
    .selectFrom('episode_events')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('episode_id', '=', episodeId)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    episodeId: r.episode_id,
    kind: r.kind as EpisodeEventRecord['kind'],
    fromValue: r.from_value,
    toValue: r.to_value,
    reason: r.reason,
    actorUserId: r.actor_user_id,
    occurredAt: r.occurred_at,
  }));
}

/** True for a unique-index violation on either driver (the open-episode index under a race). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

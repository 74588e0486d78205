/**
 * All SQL of the ED bedside visit and the follow-up plan. Every query is filtered by
 * organization; rows stay here and callers get records. The bedside encounter is inserted here
 * directly (the encounters module reads the same table).
 */
import type { Selectable } from 'kysely';
import type { MoudStarted } from '../../../contracts/ed.js';
import type { CONTACT_METHODS } from '../../../contracts/participants.js';
import type { Database, Flag } from '../../platform/db/tables.js';
import type { Executor } from '../../platform/db/database.js';
import { newId } from '../../platform/ids.js';

type ContactMethod = (typeof CONTACT_METHODS)[number];

export interface EdVisitValues {
  edArrivedAt: string | null;
  peerRequestedAt: string | null;
  peerArrivedAt: string | null;
  overdose: boolean | null;
  substance: string | null;
  naloxoneAdministered: boolean | null;
  naloxoneKitGiven: boolean | null;
  moudStarted: MoudStarted | null;
  referralOffered: boolean | null;
  referralAccepted: boolean | null;
  warmHandoffTo: string | null;
  consentToFollowUp: boolean | null;
  bestContactMethod: ContactMethod | null;
  bestContactTime: string | null;
  dischargedAt: string | null;
}

export interface EdVisitRecord extends EdVisitValues {
  id: string;
  organizationId: string;
  participantId: string;
  lifeEventId: string;
  encounterId: string | null;
  siteId: string | null;
  status: 'open' | 'completed';
  completedAt: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

const bool = (f: Flag | null): boolean | null => (f === null ? null : f === 1);
const flag = (b: boolean | null): Flag | null => (b === null ? null : b ? 1 : 0);

const toRecord = (r: Selectable<Database['ed_visits']>): EdVisitRecord => ({
  id: r.id,
  organizationId: r.organization_id,
  participantId: r.participant_id,
  lifeEventId: r.life_event_id,
  encounterId: r.encounter_id,
  siteId: r.site_id,
  edArrivedAt: r.ed_arrived_at,
  peerRequestedAt: r.peer_requested_at,
  peerArrivedAt: r.peer_arrived_at,
  overdose: bool(r.overdose),
  substance: r.substance,
  naloxoneAdministered: bool(r.naloxone_administered),
  naloxoneKitGiven: bool(r.naloxone_kit_given),
  moudStarted: r.moud_started as MoudStarted | null,
  referralOffered: bool(r.referral_offered),
  referralAccepted: bool(r.referral_accepted),
  warmHandoffTo: r.warm_handoff_to,
  consentToFollowUp: bool(r.consent_to_follow_up),
  bestContactMethod: r.best_contact_method as ContactMethod | null,
  bestContactTime: r.best_contact_time,
  dischargedAt: r.discharged_at,
  status: r.status as 'open' | 'completed',
  completedAt: r.completed_at,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: r.version,
});

const columnsOf = (v: Partial<EdVisitValues>) => {
  const c: Partial<Selectable<Database['ed_visits']>> = {};
  if (v.edArrivedAt !== undefined) c.ed_arrived_at = v.edArrivedAt;
  if (v.peerRequestedAt !== undefined) c.peer_requested_at = v.peerRequestedAt;
  if (v.peerArrivedAt !== undefined) c.peer_arrived_at = v.peerArrivedAt;
  if (v.overdose !== undefined) c.overdose = flag(v.overdose);
  if (v.substance !== undefined) c.substance = v.substance;
  if (v.naloxoneAdministered !== undefined) c.naloxone_administered = flag(v.naloxoneAdministered);
  if (v.naloxoneKitGiven !== undefined) c.naloxone_kit_given = flag(v.naloxoneKitGiven);
  if (v.moudStarted !== undefined) c.moud_started = v.moudStarted;
  if (v.referralOffered !== undefined) c.referral_offered = flag(v.referralOffered);
  if (v.referralAccepted !== undefined) c.referral_accepted = flag(v.referralAccepted);
  if (v.warmHandoffTo !== undefined) c.warm_handoff_to = v.warmHandoffTo;
  if (v.consentToFollowUp !== undefined) c.consent_to_follow_up = flag(v.consentToFollowUp);
  if (v.bestContactMethod !== undefined) c.best_contact_method = v.bestContactMethod;
  if (v.bestContactTime !== undefined) c.best_contact_time = v.bestContactTime;
  if (v.dischargedAt !== undefined) c.discharged_at = v.dischargedAt;
  return c;
};

export async function insertEdVisit(
  db: Executor,
  v: Partial<EdVisitValues> & { organizationId: string; participantId: string; lifeEventId: string; siteId: string | null; createdBy: string; now: string },
): Promise<string> {
  const id = newId();
  await db
    .insertInto('ed_visits')
    .values({
      id,
      organization_id: v.organizationId,
      participant_id: v.participantId,
      life_event_id: v.lifeEventId,
      encounter_id: null,
      site_id: v.siteId,
      ed_arrived_at: null,
      peer_requested_at: null,
      peer_arrived_at: null,
      overdose: null,
      substance: null,
      naloxone_administered: null,
      naloxone_kit_given: null,
      moud_started: null,
      referral_offered: null,
      referral_accepted: null,
      warm_handoff_to: null,
      consent_to_follow_up: null,
      best_contact_method: null,
      best_contact_time: null,
      discharged_at: null,
      ...columnsOf(v),
      status: 'open',
      completed_at: null,
      created_by: v.createdBy,
      created_at: v.now,
      updated_at: v.now,
    })
    .execute();
  return id;
}

export async function findEdVisit(db: Executor, organizationId: string, id: string): Promise<EdVisitRecord | undefined> {
  const r = await db.selectFrom('ed_visits').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return r ? toRecord(r) : undefined;
}

export async function listEdVisits(db: Executor, organizationId: string, participantId: string): Promise<EdVisitRecord[]> {
  const rows = await db
    .selectFrom('ed_visits')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('participant_id', '=', participantId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(200)
    .execute();
  return rows.map(toRecord);
}

/** Applies `patch` when the visit is still at `version` and open; false otherwise. */
export async function updateEdVisit(db: Executor, organizationId: string, id: string, version: number, patch: Partial<EdVisitValues>, now: string): Promise<boolean> {
  const r = await db
    .updateTable('ed_visits')
    .set({ ...columnsOf(patch), updated_at: now, version: version + 1 })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Marks an open visit completed with its encounter; false when it was not open any more. */
export async function markCompleted(db: Executor, organizationId: string, id: string, encounterId: string, now: string): Promise<boolean> {
  const current = await db.selectFrom('ed_visits').select('version').where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  if (!current) return false;
  const r = await db
    .updateTable('ed_visits')
    .set({ status: 'completed', completed_at: now, encounter_id: encounterId, updated_at: now, version: current.version + 1 })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ---- what the visit and the plan need to know about the participant

export interface FollowUpFacts {
  episodeId: string | null;
  siteId: string | null;
  assignedCoachUserId: string | null;
  /** The program's schedule, as stored (JSON text), or null without an open episode. */
  followUpSchedule: string | null;
  siteTimeZone: string | null;
  organizationTimeZone: string;
  contactWindowStart: string | null;
  contactWindowEnd: string | null;
  /** They asked not to be contacted at their number. */
  doNotContact: boolean;
}

export async function followUpFacts(db: Executor, organizationId: string, participantId: string): Promise<FollowUpFacts> {
  const episode = await db
    .selectFrom('episodes as e')
    .innerJoin('programs as p', 'p.id', 'e.program_id')
    .innerJoin('sites as s', 's.id', 'e.site_id')
    .select(['e.id', 'e.site_id', 'e.assigned_coach_user_id', 'p.follow_up_schedule', 's.time_zone'])
    .where('e.organization_id', '=', organizationId)
    .where('e.participant_id', '=', participantId)
    .where('e.status', '<>', 'discharged')
    .orderBy('e.start_date', 'desc')
    .orderBy('e.id', 'desc')
    .executeTakeFirst();
  const person = await db
    .selectFrom('participants as pa')
    .innerJoin('organizations as o', 'o.id', 'pa.organization_id')
    .select(['pa.contact_window_start', 'pa.contact_window_end', 'pa.do_not_contact', 'o.time_zone'])
    .where('pa.organization_id', '=', organizationId)
    .where('pa.id', '=', participantId)
    .executeTakeFirstOrThrow();
  return {
    episodeId: episode?.id ?? null,
    siteId: episode?.site_id ?? null,
    assignedCoachUserId: episode?.assigned_coach_user_id ?? null,
    followUpSchedule: episode?.follow_up_schedule ?? null,
    siteTimeZone: episode?.time_zone ?? null,
    organizationTimeZone: person.time_zone,
    contactWindowStart: person.contact_window_start,
    contactWindowEnd: person.contact_window_end,
    doNotContact: Number(person.do_not_contact) === 1,
  };
}

/** Is this user an active member of the organization who can carry a to-do (coach or supervisor)? */
export async function canCarryTodos(db: Executor, organizationId: string, userId: string): Promise<boolean> {
  const r = await db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select('m.user_id')
    .where('m.organization_id', '=', organizationId)
    .where('m.user_id', '=', userId)
    .where('u.status', '=', 'active')
    .where('m.role', 'in', ['coach', 'supervisor'])
    .executeTakeFirst();
  return !!r;
}

export interface PlanTodo {
  id: string;
  title: string;
  dueOn: string;
  dueTime: string | null;
  dueAt: string;
  severity: string;
  ownerUserId: string;
  status: string;
  note: string | null;
}

/** The plan's to-dos a source made, soonest first. */
export async function planTodos(db: Executor, organizationId: string, sourceType: string, sourceIds: readonly string[]): Promise<Map<string, PlanTodo[]>> {
  const out = new Map<string, PlanTodo[]>();
  if (!sourceIds.length) return out;
  const rows = await db
    .selectFrom('todos')
    .select(['id', 'title', 'due_on', 'due_time', 'due_at', 'severity', 'owner_user_id', 'status', 'note', 'source_id'])
    .where('organization_id', '=', organizationId)
    .where('kind', '=', 'outreach')
    .where('source_type', '=', sourceType)
    .where('source_id', 'in', sourceIds)
    .orderBy('due_at')
    .orderBy('id')
    .execute();
  for (const r of rows) {
    const list = out.get(r.source_id!) ?? [];
    list.push({ id: r.id, title: r.title, dueOn: r.due_on, dueTime: r.due_time, dueAt: r.due_at, severity: r.severity, ownerUserId: r.owner_user_id, status: r.status, note: r.note });
    out.set(r.source_id!, list);
  }
  return out;
}

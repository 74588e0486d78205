/** All SQL of referrals, their events, partner links and the referral settings. Rows never leave this file. */
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { Selectable } from 'kysely';
import type { ReferralsTable } from '../../platform/db/tables-referrals.js';
import { newId } from '../../platform/ids.js';
import { OPEN_REFERRAL_STATUSES, type ReferralStatus } from '../../../contracts/referrals.js';

export interface ReferralRecord {
  id: string;
  participantId: string;
  directoryServiceId: string | null;
  directoryOrganizationId: string | null;
  receiverName: string;
  receiverType: string;
  serviceName: string | null;
  receiverContact: string | null;
  mode: 'logged' | 'sent';
  reason: string;
  urgency: string;
  notesForReceiver: string | null;
  status: ReferralStatus;
  statusReason: string | null;
  statusChangedAt: string | null;
  statusChangedBy: string | null;
  requestedAt: string | null;
  disclosureId: string | null;
  consentId: string | null;
  sentAt: string | null;
  appointmentId: string | null;
  linkageKind: string | null;
  linkedOn: string | null;
  linkageSource: string | null;
  linkageRecordedAt: string | null;
  linkageRecordedBy: string | null;
  coachUserId: string | null;
  followUpOn: string | null;
  followUpTodoId: string | null;
  createdBy: string;
  createdAt: string;
  version: number;
}

const iso = (v: string | null): string | null => (v === null ? null : new Date(v).toISOString());

function toReferral(r: Selectable<ReferralsTable>): ReferralRecord {
  return {
    id: r.id,
    participantId: r.participant_id,
    directoryServiceId: r.directory_service_id,
    directoryOrganizationId: r.directory_organization_id,
    receiverName: r.receiver_name,
    receiverType: r.receiver_type,
    serviceName: r.service_name,
    receiverContact: r.receiver_contact,
    mode: r.mode as ReferralRecord['mode'],
    reason: r.reason,
    urgency: r.urgency,
    notesForReceiver: r.notes_for_receiver,
    status: r.status as ReferralStatus,
    statusReason: r.status_reason,
    statusChangedAt: iso(r.status_changed_at),
    statusChangedBy: r.status_changed_by,
    requestedAt: iso(r.requested_at),
    disclosureId: r.disclosure_id,
    consentId: r.consent_id,
    sentAt: iso(r.sent_at),
    appointmentId: r.appointment_id,
    linkageKind: r.linkage_kind,
    linkedOn: r.linked_on,
    linkageSource: r.linkage_source,
    linkageRecordedAt: iso(r.linkage_recorded_at),
    linkageRecordedBy: r.linkage_recorded_by,
    coachUserId: r.coach_user_id,
    followUpOn: r.follow_up_on,
    followUpTodoId: r.follow_up_todo_id,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
    version: r.version,
  };
}

export interface NewReferral {
  organizationId: string;
  participantId: string;
  directoryServiceId: string | null;
  directoryOrganizationId: string | null;
  receiverName: string;
  receiverType: string;
  serviceName: string | null;
  receiverContact: string | null;
  mode: 'logged' | 'sent';
  reason: string;
  urgency: string;
  notesForReceiver: string | null;
  status: ReferralStatus;
  coachUserId: string | null;
  createdBy: string;
  now: string;
}

export async function insertReferral(db: Executor, r: NewReferral): Promise<string> {
  const id = newId();
  await db
    .insertInto('referrals')
    .values({
      id,
      organization_id: r.organizationId,
      participant_id: r.participantId,
      directory_service_id: r.directoryServiceId,
      directory_organization_id: r.directoryOrganizationId,
      receiver_name: r.receiverName,
      receiver_type: r.receiverType,
      service_name: r.serviceName,
      receiver_contact: r.receiverContact,
      mode: r.mode,
      reason: r.reason,
      urgency: r.urgency,
      notes_for_receiver: r.notesForReceiver,
      status: r.status,
      status_reason: null,
      status_changed_at: r.now,
      status_changed_by: r.createdBy,
      requested_at: r.status === 'requested' ? r.now : null,
      disclosure_id: null,
      consent_id: null,
      sent_at: null,
      appointment_id: null,
      linkage_kind: null,
      linked_on: null,
      linkage_source: null,
      linkage_recorded_at: null,
      linkage_recorded_by: null,
      coach_user_id: r.coachUserId,
      follow_up_on: null,
      follow_up_todo_id: null,
      created_by: r.createdBy,
      created_at: r.now,
      updated_at: r.now,
    })
    .execute();
  return id;
}

export async function findReferral(db: Executor, organizationId: string, id: string): Promise<ReferralRecord | undefined> {
  const r = await db.selectFrom('referrals').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return r ? toReferral(r) : undefined;
}

/** A participant's referrals, newest first (at most 200). */
export async function listForParticipant(db: Executor, organizationId: string, participantId: string): Promise<ReferralRecord[]> {
  const rows = await db
    .selectFrom('referrals')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('participant_id', '=', participantId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(200)
    .execute();
  return rows.map(toReferral);
}

export interface ReferralPatch {
  reason?: string;
  urgency?: string;
  notesForReceiver?: string | null;
  mode?: 'logged' | 'sent';
  status?: ReferralStatus;
  statusReason?: string | null;
  statusChangedAt?: string;
  statusChangedBy?: string;
  requestedAt?: string;
  disclosureId?: string;
  consentId?: string | null;
  sentAt?: string;
  appointmentId?: string | null;
  linkage?: { kind: string; on: string; source: string; at: string; by: string };
  followUpOn?: string | null;
  followUpTodoId?: string | null;
}

/** Apply a change if `version` still matches; every change bumps the version. */
export async function updateReferral(db: Executor, organizationId: string, id: string, version: number, p: ReferralPatch, now: string): Promise<boolean> {
  const r = await db
    .updateTable('referrals')
    .set({
      ...(p.reason !== undefined && { reason: p.reason }),
      ...(p.urgency !== undefined && { urgency: p.urgency }),
      ...(p.notesForReceiver !== undefined && { notes_for_receiver: p.notesForReceiver }),
      ...(p.mode !== undefined && { mode: p.mode }),
      ...(p.status !== undefined && { status: p.status }),
      ...(p.statusReason !== undefined && { status_reason: p.statusReason }),
      ...(p.statusChangedAt !== undefined && { status_changed_at: p.statusChangedAt }),
      ...(p.statusChangedBy !== undefined && { status_changed_by: p.statusChangedBy }),
      ...(p.requestedAt !== undefined && { requested_at: p.requestedAt }),
      ...(p.disclosureId !== undefined && { disclosure_id: p.disclosureId }),
      ...(p.consentId !== undefined && { consent_id: p.consentId }),
      ...(p.sentAt !== undefined && { sent_at: p.sentAt }),
      ...(p.appointmentId !== undefined && { appointment_id: p.appointmentId }),
      ...(p.linkage !== undefined && {
        linkage_kind: p.linkage.kind,
        linked_on: p.linkage.on,
        linkage_source: p.linkage.source,
        linkage_recorded_at: p.linkage.at,
        linkage_recorded_by: p.linkage.by,
      }),
      ...(p.followUpOn !== undefined && { follow_up_on: p.followUpOn }),
      ...(p.followUpTodoId !== undefined && { follow_up_todo_id: p.followUpTodoId }),
      updated_at: now,
      version: sql<number>`version + 1`,
    })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ---- events

export interface EventRecord {
  id: string;
  referralId: string;
  kind: string;
  fromStatus: ReferralStatus | null;
  toStatus: ReferralStatus | null;
  reason: string | null;
  actorKind: 'staff' | 'partner';
  actorUserId: string;
  at: string;
}

export async function insertEvent(
  db: Executor,
  e: { organizationId: string; referralId: string; participantId: string; kind: string; fromStatus: string | null; toStatus: string | null; reason: string | null; actorKind: 'staff' | 'partner'; actorUserId: string; at: string },
): Promise<string> {
  const id = newId();
  await db
    .insertInto('referral_events')
    .values({
      id,
      organization_id: e.organizationId,
      referral_id: e.referralId,
      participant_id: e.participantId,
      kind: e.kind,
      from_status: e.fromStatus,
      to_status: e.toStatus,
      reason: e.reason,
      actor_kind: e.actorKind,
      actor_user_id: e.actorUserId,
      occurred_at: e.at,
    })
    .execute();
  return id;
}

export async function eventsOf(db: Executor, organizationId: string, referralId: string): Promise<EventRecord[]> {
  const rows = await db
    .selectFrom('referral_events')
    .selectAll()
    .where('referral_id', '=', referralId)
    .where('organization_id', '=', organizationId)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    referralId: r.referral_id,
    kind: r.kind,
    fromStatus: r.from_status as ReferralStatus | null,
    toStatus: r.to_status as ReferralStatus | null,
    reason: r.reason,
    actorKind: r.actor_kind as 'staff' | 'partner',
    actorUserId: r.actor_user_id,
    at: new Date(r.occurred_at).toISOString(),
  }));
}

// ---- what surrounds a referral

/** A directory service as a receiver: its name and its organization's. */
export async function serviceReceiver(
  db: Executor,
  organizationId: string,
  serviceId: string,
): Promise<{ serviceId: string; serviceName: string; organizationId: string; organizationName: string; organizationType: string } | undefined> {
  const r = await db
    .selectFrom('directory_services as s')
    .innerJoin('directory_organizations as o', (j) => j.onRef('o.id', '=', 's.directory_organization_id').onRef('o.organization_id', '=', 's.organization_id'))
    .select(['s.id as serviceId', 's.name as serviceName', 'o.id as organizationId', 'o.name as organizationName', 'o.type as organizationType'])
    .where('s.organization_id', '=', organizationId)
    .where('s.id', '=', serviceId)
    .executeTakeFirst();
  return r;
}

export async function directoryOrganizationName(db: Executor, organizationId: string, id: string): Promise<string | undefined> {
  const r = await db.selectFrom('directory_organizations').select('name').where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return r?.name;
}

export interface SharedRow {
  id: string;
  disclosedAt: string;
  categories: string[];
  payload: unknown;
  notice: string;
}

export async function disclosuresById(db: Executor, organizationId: string, ids: readonly string[]): Promise<Map<string, SharedRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('disclosures')
    .select(['id', 'disclosed_at', 'categories', 'payload', 'notice'])
    .where('organization_id', '=', organizationId)
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      { id: r.id, disclosedAt: new Date(r.disclosed_at).toISOString(), categories: JSON.parse(r.categories) as string[], payload: JSON.parse(r.payload) as unknown, notice: r.notice },
    ]),
  );
}

/** When each consent was revoked (absent: not revoked). */
export async function consentRevocations(db: Executor, organizationId: string, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('consents')
    .select(['id', 'revoked_at'])
    .where('organization_id', '=', organizationId)
    .where('id', 'in', [...new Set(ids)])
    .where('revoked_at', 'is not', null)
    .execute();
  return new Map(rows.map((r) => [r.id, new Date(r.revoked_at!).toISOString()]));
}

export async function appointmentsById(
  db: Executor,
  organizationId: string,
  ids: readonly string[],
): Promise<Map<string, { id: string; startsAt: string; place: string | null; status: string; version: number }>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('appointments')
    .select(['id', 'starts_at', 'place', 'status', 'version'])
    .where('organization_id', '=', organizationId)
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, startsAt: new Date(r.starts_at).toISOString(), place: r.place, status: r.status, version: r.version }]));
}

/** The open referral an appointment was booked for, if any. */
export async function referralOfAppointment(db: Executor, organizationId: string, appointmentId: string): Promise<string | null> {
  const r = await db.selectFrom('appointments').select('referral_id').where('organization_id', '=', organizationId).where('id', '=', appointmentId).executeTakeFirst();
  return r?.referral_id ?? null;
}

export async function setAppointmentReferral(db: Executor, organizationId: string, appointmentId: string, referralId: string): Promise<void> {
  await db.updateTable('appointments').set({ referral_id: referralId }).where('organization_id', '=', organizationId).where('id', '=', appointmentId).execute();
}

// ---- the partner's inbox

export async function partnerLink(db: Executor, organizationId: string, userId: string): Promise<{ directoryOrganizationId: string; name: string | null } | undefined> {
  const r = await db
    .selectFrom('partner_links as l')
    .leftJoin('directory_organizations as o', (j) => j.onRef('o.id', '=', 'l.directory_organization_id').onRef('o.organization_id', '=', 'l.organization_id'))
    .select(['l.directory_organization_id', 'o.name'])
    .where('l.organization_id', '=', organizationId)
    .where('l.user_id', '=', userId)
    .executeTakeFirst();
  return r ? { directoryOrganizationId: r.directory_organization_id, name: r.name ?? null } : undefined;
}

export interface InboxRow {
  id: string;
  participantId: string;
  serviceName: string | null;
  urgency: string;
  status: ReferralStatus;
  sentAt: string;
  statusChangedAt: string | null;
  appointmentStartsAt: string | null;
  payload: string | null;
  consentRevoked: boolean;
}

/**
 * A receiving organization's sent referrals, newest first: the open ones (few) through
 * `(organization_id, directory_organization_id, status, id)`, all or closed ones walking
 * `(…, mode, id)` backwards and stopping at the page size.
 */
export async function inbox(
  db: Executor,
  organizationId: string,
  receiverId: string,
  q: { view: 'open' | 'closed' | 'all'; after?: string | undefined; limit: number },
): Promise<InboxRow[]> {
  let query = db
    .selectFrom('referrals as r')
    .leftJoin('disclosures as d', 'd.id', 'r.disclosure_id')
    .leftJoin('appointments as a', 'a.id', 'r.appointment_id')
    .leftJoin('consents as c', 'c.id', 'r.consent_id')
    .select([
      'r.id',
      'r.participant_id',
      'r.service_name',
      'r.urgency',
      'r.status',
      'r.sent_at',
      'r.status_changed_at',
      'a.starts_at',
      'd.payload',
      'c.revoked_at',
    ])
    .where('r.organization_id', '=', organizationId)
    .where('r.directory_organization_id', '=', receiverId)
    .where('r.mode', '=', 'sent');
  if (q.view === 'open') query = query.where('r.status', 'in', ['requested', 'accepted', 'in_progress']);
  if (q.view === 'closed') query = query.where('r.status', 'in', ['rejected', 'completed', 'cancelled', 'failed']);
  if (q.after) query = query.where('r.id', '<', q.after);
  const rows = await query.orderBy('r.id', 'desc').limit(q.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    participantId: r.participant_id,
    serviceName: r.service_name,
    urgency: r.urgency,
    status: r.status as ReferralStatus,
    sentAt: new Date(r.sent_at!).toISOString(),
    statusChangedAt: iso(r.status_changed_at),
    appointmentStartsAt: iso(r.starts_at),
    payload: r.payload,
    consentRevoked: r.revoked_at !== null,
  }));
}

/** How many of a receiver's sent referrals wait in each open status. */
export async function inboxCounts(db: Executor, organizationId: string, receiverId: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('referrals')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('organization_id', '=', organizationId)
    .where('directory_organization_id', '=', receiverId)
    .where('status', 'in', ['requested', 'accepted', 'in_progress'])
    .where('mode', '=', 'sent')
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

// ---- partner accounts

export async function partnerAccounts(db: Executor, organizationId: string) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .leftJoin('partner_links as l', (j) => j.onRef('l.user_id', '=', 'm.user_id').onRef('l.organization_id', '=', 'm.organization_id'))
    .leftJoin('directory_organizations as o', (j) => j.onRef('o.id', '=', 'l.directory_organization_id').onRef('o.organization_id', '=', 'm.organization_id'))
    .select(['u.id as userId', 'u.display_name as displayName', 'u.email', 'l.directory_organization_id as directoryOrganizationId', 'o.name as directoryOrganizationName'])
    .where('m.organization_id', '=', organizationId)
    .where('m.role', '=', 'partner')
    .orderBy('u.display_name')
    .execute();
}

export async function setPartnerLink(db: Executor, organizationId: string, userId: string, directoryOrganizationId: string | null, by: string, now: string): Promise<void> {
  await db.deleteFrom('partner_links').where('organization_id', '=', organizationId).where('user_id', '=', userId).execute();
  if (directoryOrganizationId) {
    await db.insertInto('partner_links').values({ organization_id: organizationId, user_id: userId, directory_organization_id: directoryOrganizationId, created_by: by, created_at: now }).execute();
  }
}

// ---- settings

export async function followUpSettings(db: Executor, organizationId: string): Promise<{ followUpDays: number; version: number; timeZone: string; name: string }> {
  const r = await db.selectFrom('organizations').select(['referral_follow_up_days', 'version', 'time_zone', 'name']).where('id', '=', organizationId).executeTakeFirstOrThrow();
  return { followUpDays: r.referral_follow_up_days, version: r.version, timeZone: r.time_zone, name: r.name };
}

export async function setFollowUpDays(db: Executor, organizationId: string, days: number, version: number, now: string): Promise<boolean> {
  const r = await db
    .updateTable('organizations')
    .set({ referral_follow_up_days: days, updated_at: now, version: sql<number>`version + 1` })
    .where('id', '=', organizationId)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export const isOpen = (s: ReferralStatus): boolean => (OPEN_REFERRAL_STATUSES as readonly string[]).includes(s);

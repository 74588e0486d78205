/**
 * The rules of closed-loop referrals (docs/ARCHITECTURE.md, "Closed-loop referrals").
 *
 * - Staff work passes `requireParticipant` (404 another organization's, 403 out of scope).
 * - A partner reaches a referral only when it was SENT to the directory organization the
 *   partner's account is linked to; anything else is 404, as if it did not exist.
 * - Status follows the FHIR Task lifecycle (`REFERRAL_TRANSITIONS`); any other move is 409
 *   `referral.transition_not_allowed` naming the allowed ones.
 * - Sending goes through the disclosure gate; a refusal is 403 `referral.consent_required` with
 *   the gate's reason, recorded as a denied disclosure.
 * - A requested referral puts a `referral` to-do on the coach's list, due after the organization's
 *   follow-up days; an outcome or linkage closes it.
 */
import type { z } from 'zod';
import {
  allowedTransitions,
  type CreateReferralBody,
  type PartnerAttendanceBody,
  type PartnerInboxQuery,
  type PartnerLinkBody,
  type PartnerScheduleBody,
  type RecordLinkageBody,
  type Referral,
  type ReferralStatus,
  type ReferralStatusBody,
  type SendReferralBody,
  type UpdateReferralBody,
  type UpdateReferralSettingsBody,
} from '../../../contracts/referrals.js';
import type { PartnerInbox, PartnerReferral, ReferralList } from '../../../contracts/referrals.js';
import type { Ctx } from '../../platform/http/context.js';
import { AppError, errors } from '../../platform/errors.js';
import { localDate } from '../../platform/time.js';
import { requireParticipant, requireParticipantAccess } from '../participants/participants.access.js';
import { findParticipant } from '../participants/participants.repository.js';
import { rolesIn } from '../users/users.repository.js';
import { disclose } from '../consents/disclosure-gate.js';
import { summaryFor } from '../consents/consents.usecases.js';
import type { Category } from '../consents/consents.repository.js';
import { addTodo } from '../care/care.usecases.js';
import * as careRepo from '../care/care.repository.js';
import { staffNames } from '../care/care.repository.js';
import { nextDate } from '../care/local-time.js';
import * as apptRepo from '../appointments/appointments.repository.js';
import * as repo from './referrals.repository.js';

type ReferralView = z.output<typeof Referral>;
type PartnerView = z.output<typeof PartnerReferral>;
type Who = 'staff' | 'partner';

/** What a partner may do: answer and report back; cancelling is the referring program's. */
const PARTNER_MOVES: readonly ReferralStatus[] = ['accepted', 'rejected', 'in_progress', 'completed', 'failed'];
const OUTCOMES: readonly ReferralStatus[] = ['rejected', 'completed', 'cancelled', 'failed'];

const allowedFor = (who: Who, from: ReferralStatus): ReferralStatus[] =>
  allowedTransitions(from).filter((s) => who === 'staff' || PARTNER_MOVES.includes(s));

const addDays = (date: string, days: number): string => {
  let d = date;
  for (let i = 0; i < days; i++) d = nextDate(d);
  return d;
};

/** The organization's zone, name and follow-up days, read once per request (a write moves through several steps). */
const settingsOf = new WeakMap<Ctx, ReturnType<typeof repo.followUpSettings>>();

async function clockAt(ctx: Ctx): Promise<{ now: Date; iso: string; today: string; tz: string; followUpDays: number; programName: string }> {
  let pending = settingsOf.get(ctx);
  if (!pending) settingsOf.set(ctx, (pending = repo.followUpSettings(ctx.db, ctx.actor.organizationId)));
  const s = await pending;
  const now = ctx.clock.now();
  return { now, iso: now.toISOString(), today: localDate(now, s.timeZone), tz: s.timeZone, followUpDays: s.followUpDays, programName: s.name };
}

// ---- presenting

async function views(ctx: Ctx, records: repo.ReferralRecord[], withEvents: boolean): Promise<ReferralView[]> {
  if (records.length === 0) return [];
  const org = ctx.actor.organizationId;
  const [shared, revoked, appts, events] = await Promise.all([
    repo.disclosuresById(ctx.db, org, records.flatMap((r) => (r.disclosureId ? [r.disclosureId] : []))),
    repo.consentRevocations(ctx.db, org, records.flatMap((r) => (r.consentId ? [r.consentId] : []))),
    repo.appointmentsById(ctx.db, org, records.flatMap((r) => (r.appointmentId ? [r.appointmentId] : []))),
    withEvents ? Promise.all(records.map((r) => repo.eventsOf(ctx.db, org, r.id))) : Promise.resolve(records.map(() => [])),
  ]);
  const names = await staffNames(ctx.db, [
    ...records.flatMap((r) => [r.coachUserId, r.createdBy, r.linkageRecordedBy].filter((x): x is string => !!x)),
    ...events.flat().map((e) => e.actorUserId),
  ]);
  return records.map((r, i) => {
    const s = r.disclosureId ? shared.get(r.disclosureId) : undefined;
    const a = r.appointmentId ? appts.get(r.appointmentId) : undefined;
    return {
      id: r.id,
      participantId: r.participantId,
      receiver: {
        directoryServiceId: r.directoryServiceId,
        directoryOrganizationId: r.directoryOrganizationId,
        serviceName: r.serviceName,
        organizationName: r.receiverName,
        organizationType: r.receiverType as ReferralView['receiver']['organizationType'],
        contact: r.receiverContact,
      },
      mode: r.mode,
      reason: r.reason,
      urgency: r.urgency as ReferralView['urgency'],
      notesForReceiver: r.notesForReceiver,
      status: r.status,
      statusReason: r.statusReason,
      statusChangedAt: r.statusChangedAt,
      allowedTransitions: allowedFor('staff', r.status),
      requestedAt: r.requestedAt,
      shared: s ? { disclosureId: s.id, disclosedAt: s.disclosedAt, categories: s.categories as Category[], payload: s.payload, notice: s.notice } : null,
      consentId: r.consentId,
      consentRevokedAt: r.consentId ? (revoked.get(r.consentId) ?? null) : null,
      appointmentId: r.appointmentId,
      appointmentStartsAt: a?.startsAt ?? null,
      linkage:
        r.linkageKind && r.linkedOn && r.linkageSource && r.linkageRecordedAt
          ? {
              kind: r.linkageKind as 'appointment_attended' | 'moud_started',
              on: r.linkedOn,
              source: r.linkageSource as 'partner_confirmed',
              recordedAt: r.linkageRecordedAt,
              recordedByName: r.linkageRecordedBy ? (names.get(r.linkageRecordedBy) ?? null) : null,
            }
          : null,
      followUpOn: r.followUpOn,
      coachUserId: r.coachUserId,
      coachName: r.coachUserId ? (names.get(r.coachUserId) ?? null) : null,
      events: events[i]!.map((e) => ({
        id: e.id,
        kind: e.kind,
        fromStatus: e.fromStatus,
        toStatus: e.toStatus,
        reason: e.reason,
        actorKind: e.actorKind,
        actorName: names.get(e.actorUserId) ?? null,
        at: e.at,
      })),
      createdAt: r.createdAt,
      createdByName: names.get(r.createdBy) ?? null,
      version: r.version,
    };
  });
}

const viewOf = async (ctx: Ctx, r: repo.ReferralRecord): Promise<ReferralView> => (await views(ctx, [r], true))[0]!;
const reloaded = async (ctx: Ctx, id: string): Promise<repo.ReferralRecord> => (await repo.findReferral(ctx.db, ctx.actor.organizationId, id))!;

// ---- shared steps

async function requireReferral(ctx: Ctx, id: string): Promise<{ referral: repo.ReferralRecord; grantId?: string }> {
  const referral = await repo.findReferral(ctx.db, ctx.actor.organizationId, id);
  if (!referral) throw errors.notFound('referral');
  const { grantId } = await requireParticipantAccess(ctx, referral.participantId);
  return { referral, ...(grantId && { grantId }) };
}

const stale = async (ctx: Ctx, who: Who, id: string) => {
  const current = await reloaded(ctx, id);
  return errors.conflict(who === 'staff' ? await viewOf(ctx, current) : await partnerViewOf(ctx, current), current.version);
};

function notAllowed(who: Who, from: ReferralStatus, to: ReferralStatus): AppError {
  const allowed = allowedFor(who, from);
  const list = allowed.length ? allowed.join(', ') : 'none (this referral is closed)';
  return new AppError('referral.transition_not_allowed', `A ${from.replace('_', ' ')} referral cannot become ${to.replace('_', ' ')}. Allowed: ${list}.`, {
    details: { from, to, allowed },
  });
}

/** Move the status one step (checked against the lifecycle), with its event; returns the new version. */
async function move(ctx: Ctx, who: Who, r: repo.ReferralRecord, version: number, to: ReferralStatus, reason: string | null, at: string): Promise<number> {
  if (!allowedFor(who, r.status).includes(to)) throw notAllowed(who, r.status, to);
  const ok = await repo.updateReferral(
    ctx.db,
    ctx.actor.organizationId,
    r.id,
    version,
    { status: to, statusReason: reason, statusChangedAt: at, statusChangedBy: ctx.actor.userId, ...(to === 'requested' && { requestedAt: at }) },
    at,
  );
  if (!ok) throw await stale(ctx, who, r.id);
  await repo.insertEvent(ctx.db, { organizationId: ctx.actor.organizationId, referralId: r.id, participantId: r.participantId, kind: 'status', fromStatus: r.status, toStatus: to, reason, actorKind: who, actorUserId: ctx.actor.userId, at });
  await ctx.audit({ action: 'referral.status', targetType: 'referral', targetIds: [r.id, r.participantId], details: { from: r.status, to, by: who } });
  r.status = to;
  if (OUTCOMES.includes(to)) await closeFollowUp(ctx, r, to === 'completed' ? 'done' : 'cancelled');
  return version + 1;
}

/** A requested referral waits for an outcome: a to-do on the coach's list after the follow-up days. */
async function scheduleFollowUp(ctx: Ctx, r: repo.ReferralRecord, version: number): Promise<number> {
  const { today, iso, followUpDays } = await clockAt(ctx);
  const followUpOn = addDays(today, followUpDays);
  const todo = await addTodo(ctx, {
    participantId: r.participantId,
    kind: 'referral',
    ownerUserId: r.coachUserId ?? ctx.actor.userId,
    dueOn: followUpOn,
    dueTime: null,
    severity: r.urgency === 'routine' ? 'normal' : 'high',
    title: 'Check whether the referral led to a visit',
    note: null,
    clearsOn: 'manual',
    source: { type: 'referral', id: r.id },
  });
  if (!(await repo.updateReferral(ctx.db, ctx.actor.organizationId, r.id, version, { followUpOn, followUpTodoId: todo.id }, iso))) throw await stale(ctx, 'staff', r.id);
  r.followUpTodoId = todo.id;
  return version + 1;
}

/** The referral reached an outcome: its follow-up to-do is done (or cancelled). */
async function closeFollowUp(ctx: Ctx, r: repo.ReferralRecord, status: 'done' | 'cancelled'): Promise<void> {
  if (!r.followUpTodoId) return;
  const todo = await careRepo.findTodo(ctx.db, ctx.actor.organizationId, r.followUpTodoId);
  if (!todo || todo.status !== 'open') return;
  const now = ctx.clock.now().toISOString();
  const patch = { status, resolution: status === 'done' ? 'referral_outcome' : 'referral_closed', completedAt: now, completedBy: ctx.actor.userId } as const;
  if (await careRepo.updateTodo(ctx.db, ctx.actor.organizationId, todo.id, todo.version, patch, now)) {
    await ctx.audit({ action: 'todo.update', targetType: 'todo', targetIds: [todo.id, r.participantId], details: { fields: Object.keys(patch), via: 'referral', status } });
  }
}

/** Who follows up: the participant's assigned coach, else the caller when they coach or supervise. */
async function coachFor(ctx: Ctx, participantId: string): Promise<string | null> {
  const assigned = await apptRepo.assignedCoach(ctx.db, ctx.actor.organizationId, participantId);
  if (assigned) return assigned;
  return ctx.actor.roles.includes('coach') || ctx.actor.roles.includes('supervisor') ? ctx.actor.userId : null;
}

/**
 * Share the referral with its receiver through the disclosure gate, and return the new version.
 * A refusal becomes 403 `referral.consent_required` with the gate's reason (the gate has already
 * recorded the denied attempt).
 */
async function sendThroughGate(ctx: Ctx, r: repo.ReferralRecord, version: number, categories: readonly Category[]): Promise<number> {
  if (!r.directoryOrganizationId) throw errors.invalid('send', 'Only a directory organization can receive a referral in Lodestar; this one can only be logged');
  const participant = await findParticipant(ctx.db, ctx.actor.organizationId, r.participantId);
  if (!participant) throw errors.notFound('person');
  const { iso, today } = await clockAt(ctx);
  const unique = [...new Set(categories)];
  let made;
  try {
    made = await disclose(ctx, {
      participantId: r.participantId,
      recipient: { kind: 'organization', name: r.receiverName, type: r.receiverType as 'treating_provider', refId: r.directoryOrganizationId },
      purpose: r.receiverType === 'treating_provider' ? 'treatment' : 'care_coordination',
      categories: unique,
      payload: {
        referral: { id: r.id, referredOn: today, service: r.serviceName, reason: r.reason, urgency: r.urgency, notesForReceiver: r.notesForReceiver },
        ...summaryFor(unique, participant),
      },
    });
  } catch (err) {
    if (err instanceof AppError && err.code === 'disclosure.refused') {
      throw new AppError('referral.consent_required', `${err.message} Log the referral instead, or record a consent that covers ${r.receiverName}.`, { details: err.details ?? {} });
    }
    throw err;
  }
  const update = r.mode === 'sent';
  if (!(await repo.updateReferral(ctx.db, ctx.actor.organizationId, r.id, version, { mode: 'sent', disclosureId: made.id, consentId: made.consentId, sentAt: iso }, iso))) {
    throw await stale(ctx, 'staff', r.id);
  }
  await repo.insertEvent(ctx.db, {
    organizationId: ctx.actor.organizationId,
    referralId: r.id,
    participantId: r.participantId,
    kind: update ? 'updated' : 'sent',
    fromStatus: null,
    toStatus: null,
    reason: null,
    actorKind: 'staff',
    actorUserId: ctx.actor.userId,
    at: iso,
  });
  await ctx.audit({ action: 'referral.send', targetType: 'referral', targetIds: [r.id, r.participantId, made.id], details: { categories: unique, update } });
  r.mode = 'sent';
  return version + 1;
}

// ---- staff

export async function createReferral(ctx: Ctx, participantId: string, input: z.output<typeof CreateReferralBody>): Promise<ReferralView> {
  await requireParticipant(ctx, participantId);
  const org = ctx.actor.organizationId;
  let receiver: { serviceId: string | null; orgId: string | null; name: string; type: string; serviceName: string | null; contact: string | null };
  if (input.directoryServiceId) {
    const s = await repo.serviceReceiver(ctx.db, org, input.directoryServiceId);
    if (!s) throw errors.invalid('directoryServiceId', 'That service is not in the directory. Choose another, or name an outside organization');
    receiver = { serviceId: s.serviceId, orgId: s.organizationId, name: s.organizationName, type: s.organizationType, serviceName: s.serviceName, contact: null };
  } else {
    const o = input.outside!;
    receiver = { serviceId: null, orgId: null, name: o.name, type: o.type, serviceName: null, contact: o.contact ?? null };
  }
  const { iso } = await clockAt(ctx);
  const status: ReferralStatus = input.draft ? 'draft' : 'requested';
  const id = await repo.insertReferral(ctx.db, {
    organizationId: org,
    participantId,
    directoryServiceId: receiver.serviceId,
    directoryOrganizationId: receiver.orgId,
    receiverName: receiver.name,
    receiverType: receiver.type,
    serviceName: receiver.serviceName,
    receiverContact: receiver.contact,
    mode: 'logged',
    reason: input.reason,
    urgency: input.urgency,
    notesForReceiver: input.notesForReceiver ?? null,
    status,
    coachUserId: await coachFor(ctx, participantId),
    createdBy: ctx.actor.userId,
    now: iso,
  });
  await repo.insertEvent(ctx.db, { organizationId: org, referralId: id, participantId, kind: 'created', fromStatus: null, toStatus: status, reason: null, actorKind: 'staff', actorUserId: ctx.actor.userId, at: iso });
  await ctx.audit({ action: 'referral.create', targetType: 'referral', targetIds: [id, participantId], details: { status, send: input.send && !input.draft, directory: receiver.serviceId !== null, urgency: input.urgency } });
  let version = 1;
  const r = await reloaded(ctx, id);
  if (input.send && !input.draft) version = await sendThroughGate(ctx, r, version, input.categories);
  if (status === 'requested') await scheduleFollowUp(ctx, r, version);
  return viewOf(ctx, await reloaded(ctx, id));
}

export async function listReferrals(ctx: Ctx, participantId: string): Promise<z.output<typeof ReferralList>> {
  const { grantId } = await requireParticipantAccess(ctx, participantId);
  const rows = await repo.listForParticipant(ctx.db, ctx.actor.organizationId, participantId);
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [participantId], details: { part: 'referrals', ...(grantId && { breakGlassGrantId: grantId }) } });
  const revoked = await repo.consentRevocations(ctx.db, ctx.actor.organizationId, rows.flatMap((r) => (r.consentId ? [r.consentId] : [])));
  return {
    referrals: rows.map((r) => ({
      id: r.id,
      receiverName: r.receiverName,
      serviceName: r.serviceName,
      mode: r.mode,
      urgency: r.urgency as 'routine',
      status: r.status,
      createdAt: r.createdAt,
      statusChangedAt: r.statusChangedAt,
      linkedOn: r.linkedOn,
      consentRevoked: r.consentId ? revoked.has(r.consentId) : false,
    })),
  };
}

export async function getReferral(ctx: Ctx, id: string): Promise<ReferralView> {
  const { referral, grantId } = await requireReferral(ctx, id);
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [referral.participantId], details: { part: 'referral', referralId: id, ...(grantId && { breakGlassGrantId: grantId }) } });
  return viewOf(ctx, referral);
}

/** The coach's own words can change until the referral is sent (what was sent is frozen) or closed. */
export async function updateReferral(ctx: Ctx, id: string, input: z.output<typeof UpdateReferralBody>): Promise<ReferralView> {
  const { referral: r } = await requireReferral(ctx, id);
  if (r.version !== input.version) throw await stale(ctx, 'staff', id);
  if (r.mode === 'sent' || !repo.isOpen(r.status)) {
    throw new AppError('record.conflict', r.mode === 'sent' ? 'This referral was sent; what was shared cannot change. Send an update instead.' : 'This referral is closed.', {
      details: { status: r.status, mode: r.mode, version: r.version },
    });
  }
  const fields = Object.keys(input).filter((k) => k !== 'version' && input[k as keyof typeof input] !== undefined);
  const { iso } = await clockAt(ctx);
  const ok = await repo.updateReferral(ctx.db, ctx.actor.organizationId, id, input.version, { reason: input.reason, urgency: input.urgency, notesForReceiver: input.notesForReceiver }, iso);
  if (!ok) throw await stale(ctx, 'staff', id);
  await ctx.audit({ action: 'referral.update', targetType: 'referral', targetIds: [id, r.participantId], details: { fields } });
  return viewOf(ctx, await reloaded(ctx, id));
}

export async function changeStatus(ctx: Ctx, id: string, input: z.output<typeof ReferralStatusBody>): Promise<ReferralView> {
  const { referral: r } = await requireReferral(ctx, id);
  if (r.version !== input.version) throw await stale(ctx, 'staff', id);
  const { iso } = await clockAt(ctx);
  const wasDraft = r.status === 'draft';
  const version = await move(ctx, 'staff', r, input.version, input.status, input.reason ?? null, iso);
  if (wasDraft && input.status === 'requested') await scheduleFollowUp(ctx, r, version);
  return viewOf(ctx, await reloaded(ctx, id));
}

/** Send a draft or a logged referral, or share an update of a sent one; always through the gate. */
export async function sendReferral(ctx: Ctx, id: string, input: z.output<typeof SendReferralBody>): Promise<ReferralView> {
  const { referral: r } = await requireReferral(ctx, id);
  if (r.version !== input.version) throw await stale(ctx, 'staff', id);
  if (!repo.isOpen(r.status)) throw new AppError('record.conflict', 'This referral is closed; nothing more is sent.', { details: { status: r.status, version: r.version } });
  const { iso } = await clockAt(ctx);
  let version = await sendThroughGate(ctx, r, input.version, input.categories);
  if (r.status === 'draft') {
    version = await move(ctx, 'staff', r, version, 'requested', null, iso);
    await scheduleFollowUp(ctx, r, version);
  }
  return viewOf(ctx, await reloaded(ctx, id));
}

/** Record linkage (attended, or started MOUD); an open referral is completed by it. */
async function link(ctx: Ctx, who: Who, r: repo.ReferralRecord, version: number, l: { kind: string; on: string; source: string }): Promise<number> {
  const { iso, today, tz } = await clockAt(ctx);
  if (l.on > today) throw errors.invalid('on', 'Enter a date that is today or earlier');
  const created = localDate(new Date(r.createdAt), tz);
  if (l.on < created) throw errors.invalid('on', 'Enter a date on or after the referral was made');
  if (!(await repo.updateReferral(ctx.db, ctx.actor.organizationId, r.id, version, { linkage: { ...l, at: iso, by: ctx.actor.userId } }, iso))) throw await stale(ctx, who, r.id);
  version += 1;
  await repo.insertEvent(ctx.db, { organizationId: ctx.actor.organizationId, referralId: r.id, participantId: r.participantId, kind: 'linked', fromStatus: null, toStatus: null, reason: l.kind, actorKind: who, actorUserId: ctx.actor.userId, at: iso });
  await ctx.audit({ action: 'referral.linkage', targetType: 'referral', targetIds: [r.id, r.participantId], details: { kind: l.kind, source: l.source, by: who } });
  // The loop closes: through the lifecycle's steps to completed.
  if (r.status === 'requested') version = await move(ctx, who, r, version, 'accepted', null, iso);
  if (r.status === 'accepted') version = await move(ctx, who, r, version, 'in_progress', null, iso);
  if (r.status === 'in_progress') version = await move(ctx, who, r, version, 'completed', null, iso);
  await closeFollowUp(ctx, r, 'done');
  return version;
}

export async function recordLinkage(ctx: Ctx, id: string, input: z.output<typeof RecordLinkageBody>): Promise<ReferralView> {
  const { referral: r } = await requireReferral(ctx, id);
  if (r.version !== input.version) throw await stale(ctx, 'staff', id);
  if (r.status === 'draft') throw new AppError('record.conflict', 'This referral is still a draft. Log or send it first.', { details: { status: r.status, version: r.version } });
  await link(ctx, 'staff', r, input.version, { kind: input.kind, on: input.on, source: input.source });
  return viewOf(ctx, await reloaded(ctx, id));
}

/**
 * An appointment booked for a referral was marked attended (by the coach, in the appointments
 * module): that is linkage, verified by staff, on the appointment's local date.
 */
export async function linkageFromAppointment(ctx: Ctx, appointmentId: string, startsAt: string): Promise<void> {
  const referralId = await repo.referralOfAppointment(ctx.db, ctx.actor.organizationId, appointmentId);
  if (!referralId) return;
  const r = await repo.findReferral(ctx.db, ctx.actor.organizationId, referralId);
  if (!r || r.linkedOn || r.status === 'draft') return;
  const { tz } = await clockAt(ctx);
  await link(ctx, 'staff', r, r.version, { kind: 'appointment_attended', on: localDate(new Date(startsAt), tz), source: 'staff_verified' });
}

// ---- the partner's side

async function requireLink(ctx: Ctx): Promise<{ directoryOrganizationId: string; name: string }> {
  const l = await repo.partnerLink(ctx.db, ctx.actor.organizationId, ctx.actor.userId);
  if (!l) throw new AppError('referral.partner_unlinked', 'Your account is not linked to a receiving organization yet. Ask the program’s administrator to link it.');
  return { directoryOrganizationId: l.directoryOrganizationId, name: l.name ?? '' };
}

/** A referral SENT to the partner's organization; anything else is 404. */
async function requirePartnerReferral(ctx: Ctx, id: string): Promise<repo.ReferralRecord> {
  const link = await requireLink(ctx);
  const r = await repo.findReferral(ctx.db, ctx.actor.organizationId, id);
  if (!r || r.mode !== 'sent' || r.directoryOrganizationId !== link.directoryOrganizationId || !r.disclosureId) throw errors.notFound('referral');
  return r;
}

/** The name shared at sending, if a name was shared. */
function personLabel(payload: unknown): string | null {
  const d = (payload as { demographicsContact?: { firstName?: string | null; lastName?: string | null; preferredName?: string | null } } | null)?.demographicsContact;
  if (!d) return null;
  const first = d.preferredName || d.firstName;
  return [first, d.lastName].filter(Boolean).join(' ') || null;
}

async function partnerViewOf(ctx: Ctx, r: repo.ReferralRecord): Promise<PartnerView> {
  const org = ctx.actor.organizationId;
  const [shared, revoked, appts, events, { programName }] = await Promise.all([
    repo.disclosuresById(ctx.db, org, [r.disclosureId!]),
    repo.consentRevocations(ctx.db, org, r.consentId ? [r.consentId] : []),
    repo.appointmentsById(ctx.db, org, r.appointmentId ? [r.appointmentId] : []),
    repo.eventsOf(ctx.db, org, r.id),
    clockAt(ctx),
  ]);
  const s = shared.get(r.disclosureId!)!;
  const a = r.appointmentId ? appts.get(r.appointmentId) : undefined;
  // What the partner knows of the referral is what was shared with it, never the live record.
  const sent = (s.payload as { referral?: { reason?: string; urgency?: string; notesForReceiver?: string | null } } | null)?.referral ?? {};
  const names = await staffNames(ctx.db, [...events.map((e) => e.actorUserId), ...(r.coachUserId ? [r.coachUserId] : [])]);
  const attended = events.filter((e) => e.kind === 'linked').at(-1);
  return {
    id: r.id,
    serviceName: r.serviceName,
    organizationName: r.receiverName,
    reason: sent.reason ?? r.reason,
    urgency: (sent.urgency ?? r.urgency) as PartnerView['urgency'],
    notesForReceiver: sent.notesForReceiver ?? null,
    status: r.status,
    statusReason: r.statusReason,
    allowedTransitions: allowedFor('partner', r.status),
    sentAt: r.sentAt!,
    shared: { disclosureId: s.id, disclosedAt: s.disclosedAt, categories: s.categories as Category[], payload: s.payload, notice: s.notice },
    consentRevokedAt: r.consentId ? (revoked.get(r.consentId) ?? null) : null,
    appointmentStartsAt: a?.startsAt ?? null,
    appointmentPlace: a?.place ?? null,
    attendedOn: attended ? r.linkedOn : null,
    referringProgram: programName,
    referringCoachName: r.coachUserId ? (names.get(r.coachUserId) ?? null) : null,
    // Who did what: staff names stay inside the program except the referring coach.
    events: events.map((e) => ({
      id: e.id,
      kind: e.kind,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      reason: e.actorKind === 'partner' ? e.reason : null,
      actorKind: e.actorKind,
      actorName: e.actorKind === 'partner' ? (names.get(e.actorUserId) ?? null) : null,
      at: e.at,
    })),
    version: r.version,
  };
}

export async function partnerInbox(ctx: Ctx, q: z.output<typeof PartnerInboxQuery>): Promise<z.output<typeof PartnerInbox>> {
  const link = await requireLink(ctx);
  const [rows, counts] = await Promise.all([
    repo.inbox(ctx.db, ctx.actor.organizationId, link.directoryOrganizationId, { view: q.view, after: q.after, limit: q.limit + 1 }),
    repo.inboxCounts(ctx.db, ctx.actor.organizationId, link.directoryOrganizationId),
  ]);
  const page = rows.slice(0, q.limit);
  if (page.length) {
    await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [...new Set(page.map((r) => r.participantId))], details: { part: 'partner_inbox' } });
  }
  return {
    organizationName: link.name,
    referrals: page.map((r) => ({
      id: r.id,
      personLabel: personLabel(r.payload ? (JSON.parse(r.payload) as unknown) : null),
      serviceName: r.serviceName,
      urgency: r.urgency as 'routine',
      status: r.status,
      sentAt: r.sentAt,
      statusChangedAt: r.statusChangedAt,
      appointmentStartsAt: r.appointmentStartsAt,
      consentRevoked: r.consentRevoked,
    })),
    nextAfter: rows.length > q.limit ? page.at(-1)!.id : null,
    counts: { requested: counts.requested ?? 0, accepted: counts.accepted ?? 0, inProgress: counts.in_progress ?? 0 },
  };
}

export async function partnerReferral(ctx: Ctx, id: string): Promise<PartnerView> {
  const r = await requirePartnerReferral(ctx, id);
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [r.participantId], details: { part: 'partner_referral', referralId: id } });
  return partnerViewOf(ctx, r);
}

export async function partnerChangeStatus(ctx: Ctx, id: string, input: z.output<typeof ReferralStatusBody>): Promise<PartnerView> {
  const r = await requirePartnerReferral(ctx, id);
  if (r.version !== input.version) throw await stale(ctx, 'partner', id);
  const { iso } = await clockAt(ctx);
  await move(ctx, 'partner', r, input.version, input.status, input.reason ?? null, iso);
  return partnerViewOf(ctx, await reloaded(ctx, id));
}

/** The partner books the first visit: an appointment on the coach's calendar, linked to the referral. */
export async function partnerSchedule(ctx: Ctx, id: string, input: z.output<typeof PartnerScheduleBody>): Promise<PartnerView> {
  const r = await requirePartnerReferral(ctx, id);
  if (r.version !== input.version) throw await stale(ctx, 'partner', id);
  if (!['requested', 'accepted', 'in_progress'].includes(r.status)) throw notAllowed('partner', r.status, 'in_progress');
  const { iso, now } = await clockAt(ctx);
  if (Date.parse(input.startsAt) <= now.getTime()) throw errors.invalid('startsAt', 'Enter a time in the future');
  let version = input.version;
  if (r.status === 'requested') version = await move(ctx, 'partner', r, version, 'accepted', null, iso);
  if (r.status === 'accepted') version = await move(ctx, 'partner', r, version, 'in_progress', null, iso);
  // A visit booked earlier and still scheduled gives way to the new one.
  if (r.appointmentId) {
    const old = await apptRepo.findAppointment(ctx.db, ctx.actor.organizationId, r.appointmentId);
    if (old && old.status === 'scheduled') {
      await apptRepo.setStatus(ctx.db, ctx.actor.organizationId, old.id, old.version, { status: 'cancelled', reason: 'Booked again by the receiving organization', by: ctx.actor.userId, now: iso });
    }
  }
  const appointmentId = await apptRepo.insertAppointment(ctx.db, {
    organizationId: ctx.actor.organizationId,
    participantId: r.participantId,
    kind: 'intake',
    startsAt: new Date(input.startsAt).toISOString(),
    endsAt: input.endsAt ? new Date(input.endsAt).toISOString() : null,
    place: input.place ?? r.serviceName ?? r.receiverName,
    directoryServiceId: r.directoryServiceId,
    telehealthUrl: null,
    providerName: r.receiverName,
    transportNeeds: null,
    notes: input.note ?? null,
    coachUserId: r.coachUserId,
    remindParticipant: false,
    reminderNamesPlace: false,
    rescheduledFromId: null,
    createdBy: ctx.actor.userId,
    now: iso,
  });
  await repo.setAppointmentReferral(ctx.db, ctx.actor.organizationId, appointmentId, r.id);
  if (!(await repo.updateReferral(ctx.db, ctx.actor.organizationId, r.id, version, { appointmentId }, iso))) throw await stale(ctx, 'partner', id);
  await repo.insertEvent(ctx.db, { organizationId: ctx.actor.organizationId, referralId: r.id, participantId: r.participantId, kind: 'scheduled', fromStatus: null, toStatus: null, reason: null, actorKind: 'partner', actorUserId: ctx.actor.userId, at: iso });
  await ctx.audit({ action: 'appointment.create', targetType: 'appointment', targetIds: [appointmentId, r.participantId, r.id], details: { kind: 'intake', via: 'partner' } });
  return partnerViewOf(ctx, await reloaded(ctx, id));
}

/** The partner says whether the person came. Came: the booked visit is attended and linkage is recorded, closing the loop. */
export async function partnerAttendance(ctx: Ctx, id: string, input: z.output<typeof PartnerAttendanceBody>): Promise<PartnerView> {
  const r = await requirePartnerReferral(ctx, id);
  if (r.version !== input.version) throw await stale(ctx, 'partner', id);
  if (!['requested', 'accepted', 'in_progress'].includes(r.status)) throw notAllowed('partner', r.status, input.attended ? 'completed' : 'failed');
  const { iso, now, today, tz } = await clockAt(ctx);
  const appt = r.appointmentId ? await apptRepo.findAppointment(ctx.db, ctx.actor.organizationId, r.appointmentId) : undefined;
  const booked = appt && appt.status === 'scheduled' ? appt : undefined;
  if (booked && Date.parse(booked.startsAt) > now.getTime()) throw errors.invalid('attended', 'The booked visit has not started yet. Confirm attendance after it');
  const on = input.on ?? (booked ? localDate(new Date(booked.startsAt), tz) : today);
  let version = input.version;
  if (booked) {
    await apptRepo.setStatus(ctx.db, ctx.actor.organizationId, booked.id, booked.version, { status: input.attended ? 'attended' : 'missed', reason: null, by: ctx.actor.userId, now: iso });
    await ctx.audit({ action: 'appointment.status', targetType: 'appointment', targetIds: [booked.id, r.participantId], details: { from: 'scheduled', to: input.attended ? 'attended' : 'missed', via: 'partner' } });
  }
  await repo.insertEvent(ctx.db, {
    organizationId: ctx.actor.organizationId,
    referralId: r.id,
    participantId: r.participantId,
    kind: 'attendance',
    fromStatus: null,
    toStatus: null,
    reason: input.attended ? 'attended' : 'did_not_attend',
    actorKind: 'partner',
    actorUserId: ctx.actor.userId,
    at: iso,
  });
  if (input.attended) {
    await link(ctx, 'partner', r, version, { kind: input.moudStarted ? 'moud_started' : 'appointment_attended', on, source: 'partner_confirmed' });
  } else {
    if (!(await repo.updateReferral(ctx.db, ctx.actor.organizationId, r.id, version, {}, iso))) throw await stale(ctx, 'partner', id);
    version += 1;
    // The coach reaches out, as for any missed appointment.
    await addTodo(ctx, {
      participantId: r.participantId,
      kind: 'follow_up',
      ownerUserId: r.coachUserId ?? r.createdBy,
      dueOn: today,
      dueTime: null,
      severity: 'high',
      title: 'The referral’s first visit was missed: reach out and offer to rebook',
      note: null,
      clearsOn: 'contact_reached',
      source: { type: 'referral', id: r.id },
    });
  }
  return partnerViewOf(ctx, await reloaded(ctx, id));
}

// ---- partner accounts and settings

export async function listPartnerAccounts(ctx: Ctx) {
  return { accounts: await repo.partnerAccounts(ctx.db, ctx.actor.organizationId) };
}

export async function linkPartnerAccount(ctx: Ctx, userId: string, input: z.output<typeof PartnerLinkBody>) {
  const roles = await rolesIn(ctx.db, userId, ctx.actor.organizationId);
  if (!roles.includes('partner')) throw errors.notFound('partner account');
  if (input.directoryOrganizationId && !(await repo.directoryOrganizationName(ctx.db, ctx.actor.organizationId, input.directoryOrganizationId))) {
    throw errors.invalid('directoryOrganizationId', 'That organization is not in the directory');
  }
  await repo.setPartnerLink(ctx.db, ctx.actor.organizationId, userId, input.directoryOrganizationId, ctx.actor.userId, ctx.clock.now().toISOString());
  await ctx.audit({ action: 'partner_link.update', targetType: 'user', targetIds: [userId], details: { directoryOrganizationId: input.directoryOrganizationId } });
  const account = (await repo.partnerAccounts(ctx.db, ctx.actor.organizationId)).find((a) => a.userId === userId)!;
  return account;
}

export async function getSettings(ctx: Ctx) {
  const s = await repo.followUpSettings(ctx.db, ctx.actor.organizationId);
  return { followUpDays: s.followUpDays, version: s.version };
}

export async function updateSettings(ctx: Ctx, input: z.output<typeof UpdateReferralSettingsBody>) {
  const before = await getSettings(ctx);
  if (!(await repo.setFollowUpDays(ctx.db, ctx.actor.organizationId, input.followUpDays, input.version, ctx.clock.now().toISOString()))) throw errors.conflict(before, before.version);
  await ctx.audit({ action: 'organization.referral_settings', targetType: 'organization', targetIds: [ctx.actor.organizationId], details: { followUpDays: input.followUpDays, from: before.followUpDays } });
  return getSettings(ctx);
}


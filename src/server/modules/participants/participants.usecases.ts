/**
 * Rules for participants and their episodes of care. Every read and write of a participant
 * first resolves it within the organization (another organization's record: 404) and then
 * checks it against `participantScope` (this organization's record outside the caller's
 * caseload or team: 403 participant.out_of_scope). Reads are audited with the ids read, never
 * names or search terms; writes are audited in their transaction.
 */
import type { z } from 'zod';
import type {
  BriefIntakeBody,
  CreateEpisodeBody,
  DuplicateCheckBody,
  ParticipantSearchBody,
  ReassignEpisodeBody,
  TransferEpisodeBody,
  UpdateEpisodeBody,
  UpdateParticipantBody,
} from '../../../contracts/participants.js';
import type { Ctx } from '../../platform/http/context.js';
import { AppError, errors } from '../../platform/errors.js';
import { localDate } from '../../platform/time.js';
import { findOrganization, findProgram, findSite } from '../organizations/organizations.repository.js';
import { findUserById, rolesIn } from '../users/users.repository.js';
import * as repo from './participants.repository.js';
import { requireParticipant, requireParticipantAccess, scopeOf } from './participants.access.js';
import { recordParticipationConsent } from '../consents/consents.usecases.js';
import { presentEpisode, presentParticipant } from './participants.presenters.js';

export const SEARCH_LIMIT = 25;

async function requireEpisode(ctx: Ctx, id: string): Promise<repo.EpisodeRecord> {
  const e = await repo.findEpisode(ctx.db, ctx.actor.organizationId, id);
  if (!e) throw errors.notFound('episode');
  await requireParticipant(ctx, e.participantId);
  return e;
}

async function timeZoneOf(ctx: Ctx, siteId?: string | null): Promise<string> {
  const site = siteId ? await findSite(ctx.db, ctx.actor.organizationId, siteId) : undefined;
  if (site?.timeZone) return site.timeZone;
  return (await findOrganization(ctx.db, ctx.actor.organizationId))?.timeZone ?? 'UTC';
}

async function today(ctx: Ctx, siteId?: string | null): Promise<string> {
  return localDate(ctx.clock.now(), await timeZoneOf(ctx, siteId));
}

type DateFields = { dateOfBirth?: string | null | undefined; birthYear?: number | null | undefined; recoveryStartDate?: string | null | undefined };

/**
 * The dates given (`v`), against today and against each other, with the record's `current` dates
 * filling in those not given. A recovery start before birth (the date of birth, or January 1 of an
 * estimated birth year) is refused naming the field that was given: the recovery start date, else
 * the date of birth or birth year that moved past it.
 */
async function checkDates(ctx: Ctx, v: DateFields, current: DateFields = {}): Promise<void> {
  const now = await today(ctx);
  if (v.dateOfBirth && v.dateOfBirth > now) throw errors.invalid('dateOfBirth', 'Enter a date of birth in the past');
  if (v.birthYear != null && v.birthYear > Number(now.slice(0, 4))) throw errors.invalid('birthYear', 'Enter a birth year in the past');
  if (v.recoveryStartDate && v.recoveryStartDate > now) throw errors.invalid('recoveryStartDate', 'Enter a recovery start date that is today or in the past');
  const given = <K extends keyof DateFields>(k: K): DateFields[K] => (v[k] !== undefined ? v[k] : current[k]);
  const dateOfBirth = given('dateOfBirth');
  const birthYear = given('birthYear');
  const born = dateOfBirth ?? (birthYear != null ? `${String(birthYear).padStart(4, '0')}-01-01` : null);
  const start = given('recoveryStartDate');
  if (!born || !start || start >= born) return;
  if (v.recoveryStartDate !== undefined) throw errors.invalid('recoveryStartDate', 'Enter a recovery start date after the date of birth');
  if (v.dateOfBirth !== undefined) throw errors.invalid('dateOfBirth', 'Enter a date of birth before the recovery start date');
  if (v.birthYear !== undefined) throw errors.invalid('birthYear', 'Enter a birth year before the recovery start date');
}

/** A coach who can take people on: the coach role here and an active account. */
async function requireCoach(ctx: Ctx, userId: string, field: string): Promise<void> {
  if (!(await rolesIn(ctx.db, userId, ctx.actor.organizationId)).includes('coach')) {
    throw errors.invalid(field, 'Choose a coach of this organization');
  }
  if ((await findUserById(ctx.db, userId))?.status !== 'active') {
    throw errors.invalid(field, 'This coach’s account is disabled. Choose an active coach');
  }
}

async function requireProgramAndSite(ctx: Ctx, programId: string, siteId: string): Promise<void> {
  if (!(await findProgram(ctx.db, ctx.actor.organizationId, programId))) throw errors.invalid('programId', 'Choose a program of this organization');
  if (!(await findSite(ctx.db, ctx.actor.organizationId, siteId))) throw errors.invalid('siteId', 'Choose a site of this organization');
}

const activeExists = () =>
  new AppError('episode.active_exists', 'This person already has an open episode in this program. Update that episode instead, or discharge it first.', {
    fields: [{ path: 'programId', message: 'This person already has an open episode in this program' }],
  });

// ---- participants

/** Brief intake: a first name or an alias is enough. With a program and site, also enrolls. */
export async function createParticipant(ctx: Ctx, input: z.output<typeof BriefIntakeBody>): Promise<repo.ParticipantRecord> {
  const now = ctx.clock.now();
  let birthYear: number | null = null;
  if (input.ageAtIntake != null) birthYear = Number((await today(ctx)).slice(0, 4)) - input.ageAtIntake;
  await checkDates(ctx, { dateOfBirth: input.dateOfBirth, birthYear, recoveryStartDate: input.recoveryStartDate });
  const values: repo.ParticipantValues = {
    firstName: input.firstName ?? null,
    lastName: input.lastName ?? null,
    alias: input.alias ?? null,
    dateOfBirth: input.dateOfBirth ?? null,
    birthYear,
    dobEstimated: birthYear !== null,
    phone: input.phone ?? null,
    preferredContactMethod: input.preferredContactMethod ?? null,
    intakeSetting: input.intakeSetting ?? null,
    referralSource: input.referralSource ?? null,
    recoveryStartDate: input.recoveryStartDate ?? null,
    consentToFollowUp: input.consentToFollowUp,
  };
  const id = await repo.insertParticipant(ctx.db, { organizationId: ctx.actor.organizationId, values: { ...values, consentToFollowUp: false }, createdBy: ctx.actor.userId, now: now.toISOString() });
  await ctx.audit({ action: 'participant.create', targetType: 'participant', targetIds: [id], details: { intakeLevel: 'brief' } });
  // The verbal consent becomes a participation consent record (which also sets the flag).
  if (input.consentToFollowUp && input.consentWitnessName) {
    await recordParticipationConsent(ctx, id, { method: 'verbal', witnessName: input.consentWitnessName });
  }
  if (input.programId && input.siteId) {
    await enroll(ctx, id, { programId: input.programId, siteId: input.siteId, referralSource: input.referralSource ?? null });
  }
  return (await repo.findParticipant(ctx.db, ctx.actor.organizationId, id))!;
}

export async function getParticipant(ctx: Ctx, id: string): Promise<{ participant: repo.ParticipantRecord; accessUntil?: string }> {
  const { participant, grantId, grantExpiresAt } = await requireParticipantAccess(ctx, id);
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [id], ...(grantId && { details: { breakGlassGrantId: grantId } }) });
  return grantExpiresAt ? { participant, accessUntil: grantExpiresAt } : { participant };
}

export async function updateParticipant(ctx: Ctx, id: string, input: z.output<typeof UpdateParticipantBody>): Promise<repo.ParticipantRecord> {
  const current = await requireParticipant(ctx, id);
  const { version, intakeLevel, ...fields } = input;
  const values = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as repo.ParticipantValues;
  const merged = { ...current, ...values };
  if (!merged.firstName && !merged.alias) throw errors.invalid(values.firstName === null ? 'firstName' : 'alias', 'Keep a first name or an alias');
  if (!!merged.contactWindowStart !== !!merged.contactWindowEnd) {
    throw errors.invalid(merged.contactWindowStart ? 'contactWindowEnd' : 'contactWindowStart', 'Enter both ends of the contact window, or clear both');
  }
  await checkDates(ctx, values, current);
  // Setting a date of birth replaces an estimate from an age.
  if (values.dateOfBirth && values.dobEstimated === undefined) values.dobEstimated = false;
  const ok = await repo.updateParticipant(
    ctx.db,
    ctx.actor.organizationId,
    id,
    version,
    { values, searchName: repo.searchKey(merged), intakeLevel },
    ctx.clock.now().toISOString(),
  );
  if (!ok) {
    const now = (await repo.findParticipant(ctx.db, ctx.actor.organizationId, id))!;
    throw errors.conflict(presentParticipant(now), now.version);
  }
  await ctx.audit({
    action: 'participant.update',
    targetType: 'participant',
    targetIds: [id],
    details: { fields: [...Object.keys(values), ...(intakeLevel ? ['intakeLevel'] : [])] },
  });
  return (await repo.findParticipant(ctx.db, ctx.actor.organizationId, id))!;
}

/** Words of the query (normalized), each matched as the start of a name word. */
export async function searchParticipants(ctx: Ctx, input: z.output<typeof ParticipantSearchBody>): Promise<repo.ParticipantSummaryRecord[]> {
  const words = repo.normalizeName(input.query).split(' ').filter(Boolean).slice(0, 5);
  // A query of punctuation alone normalizes to nothing: refuse it rather than list everyone.
  if (words.length === 0 && !input.dateOfBirth && !input.phone) throw errors.invalid('query', 'Enter a name, a date of birth or a phone number to search');
  const found = await repo.searchParticipants(ctx.db, scopeOf(ctx), { words, dateOfBirth: input.dateOfBirth, phone: input.phone }, SEARCH_LIMIT);
  // The ids found, never the terms: a search for a name is itself sensitive.
  await ctx.audit({ action: 'participant.search', targetType: 'participant', targetIds: found.map((p) => p.id), details: { results: found.length } });
  return found;
}

/**
 * Possible duplicates in the whole organization: the same phone number, or the same date of
 * birth with a similar name — the same first three letters of the first name (or alias), or
 * the same last name (compared lower-cased, accents stripped). Matches the caller may see come
 * back with their names; the others are only counted.
 */
export async function findDuplicates(ctx: Ctx, input: z.output<typeof DuplicateCheckBody>): Promise<{ matches: repo.ParticipantSummaryRecord[]; outOfScopeMatches: number }> {
  const candidates = await repo.duplicateCandidates(ctx.db, ctx.actor.organizationId, input);
  const first3 = (s: string | null | undefined) => repo.normalizeName(s).replace(/ /g, '').slice(0, 3);
  const givenFirst = [first3(input.firstName), first3(input.alias)].filter((s) => s.length > 0);
  const givenLast = repo.normalizeName(input.lastName);
  const similar = candidates.filter((c) => {
    if (input.phone && c.phone === input.phone) return true;
    if (!input.dateOfBirth || c.dateOfBirth !== input.dateOfBirth) return false;
    const theirFirst = [first3(c.firstName), first3(c.alias), first3(c.preferredName)].filter((s) => s.length > 0);
    if (givenFirst.some((g) => theirFirst.includes(g))) return true;
    return givenLast !== '' && repo.normalizeName(c.lastName) === givenLast;
  });
  const visible = await repo.idsInScope(ctx.db, scopeOf(ctx), similar.map((c) => c.id));
  const matches = similar.filter((c) => visible.has(c.id)).map(({ phone: _phone, ...summary }) => summary);
  await ctx.audit({
    action: 'participant.search',
    targetType: 'participant',
    targetIds: matches.map((m) => m.id),
    details: { kind: 'duplicates', results: matches.length, outOfScope: similar.length - matches.length },
  });
  return { matches, outOfScopeMatches: similar.length - matches.length };
}

// ---- episodes

async function enroll(
  ctx: Ctx,
  participantId: string,
  input: { programId: string; siteId: string; startDate?: string | undefined; referralSource?: string | null | undefined; assignedCoachUserId?: string | null | undefined },
): Promise<string> {
  await requireProgramAndSite(ctx, input.programId, input.siteId);
  let coach = input.assignedCoachUserId;
  if (coach === undefined) coach = ctx.actor.roles.includes('coach') ? ctx.actor.userId : null;
  if (coach) await requireCoach(ctx, coach, 'assignedCoachUserId');
  const startDate = input.startDate ?? (await today(ctx, input.siteId));
  if (startDate > (await today(ctx, input.siteId))) throw errors.invalid('startDate', 'Enter a start date that is today or in the past');
  if (await repo.openEpisodeIn(ctx.db, ctx.actor.organizationId, participantId, input.programId)) throw activeExists();
  let id: string;
  try {
    id = await repo.insertEpisode(ctx.db, {
      organizationId: ctx.actor.organizationId,
      participantId,
      programId: input.programId,
      siteId: input.siteId,
      startDate,
      referralSource: input.referralSource ?? null,
      assignedCoachUserId: coach,
      createdBy: ctx.actor.userId,
      now: ctx.clock.now().toISOString(),
    });
  } catch (err) {
    // Two enrollments raced past the check: the partial unique index refused the second.
    if (repo.isUniqueViolation(err)) throw activeExists();
    throw err;
  }
  await ctx.audit({ action: 'episode.create', targetType: 'episode', targetIds: [id, participantId] });
  return id;
}

export async function listEpisodes(ctx: Ctx, participantId: string): Promise<repo.EpisodeRecord[]> {
  await requireParticipant(ctx, participantId);
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [participantId], details: { part: 'episodes' } });
  return repo.listEpisodes(ctx.db, ctx.actor.organizationId, participantId);
}

export async function createEpisode(ctx: Ctx, participantId: string, input: z.output<typeof CreateEpisodeBody>): Promise<repo.EpisodeRecord> {
  await requireParticipant(ctx, participantId);
  const id = await enroll(ctx, participantId, input);
  return (await repo.findEpisode(ctx.db, ctx.actor.organizationId, id))!;
}

export async function updateEpisode(ctx: Ctx, id: string, input: z.output<typeof UpdateEpisodeBody>): Promise<repo.EpisodeRecord> {
  const current = await requireEpisode(ctx, id);
  const patch: Parameters<typeof repo.updateEpisode>[4] = {};
  if (input.startDate !== undefined) patch.startDate = input.startDate;
  if (input.referralSource !== undefined) patch.referralSource = input.referralSource;
  const startDate = input.startDate ?? current.startDate;
  if (input.startDate && input.startDate > (await today(ctx, current.siteId))) throw errors.invalid('startDate', 'Enter a start date that is today or in the past');
  if (input.status !== undefined && input.status !== current.status) {
    patch.status = input.status;
    if (input.status === 'discharged') {
      patch.dischargeDate = input.dischargeDate ?? (await today(ctx, current.siteId));
      patch.dischargeReason = input.dischargeReason ?? 'other';
    } else {
      if (current.status === 'discharged' && (await repo.openEpisodeIn(ctx.db, ctx.actor.organizationId, current.participantId, current.programId, id))) {
        throw activeExists();
      }
      patch.dischargeDate = null;
      patch.dischargeReason = null;
    }
  } else if (input.status === 'discharged') {
    // Correcting the discharge of a discharged episode.
    if (input.dischargeDate !== undefined) patch.dischargeDate = input.dischargeDate;
    if (input.dischargeReason !== undefined) patch.dischargeReason = input.dischargeReason;
  }
  const dischargeDate = patch.dischargeDate === undefined ? current.dischargeDate : patch.dischargeDate;
  if (dischargeDate && dischargeDate < startDate) {
    throw errors.invalid(patch.dischargeDate !== undefined ? 'dischargeDate' : 'startDate', 'Enter a discharge date on or after the start date');
  }
  if (dischargeDate && dischargeDate > (await today(ctx, current.siteId))) throw errors.invalid('dischargeDate', 'Enter a discharge date that is today or in the past');
  let ok: boolean;
  try {
    ok = await repo.updateEpisode(ctx.db, ctx.actor.organizationId, id, input.version, patch, ctx.clock.now().toISOString());
  } catch (err) {
    if (repo.isUniqueViolation(err)) throw activeExists();
    throw err;
  }
  if (!ok) {
    const now = (await repo.findEpisode(ctx.db, ctx.actor.organizationId, id))!;
    throw errors.conflict(presentEpisode(now), now.version);
  }
  if (patch.status !== undefined) {
    await repo.insertEpisodeEvent(ctx.db, ctx.actor.organizationId, {
      episodeId: id,
      kind: 'status',
      fromValue: current.status,
      toValue: patch.status,
      reason: patch.dischargeReason ?? null,
      actorUserId: ctx.actor.userId,
      occurredAt: ctx.clock.now().toISOString(),
    });
  }
  await ctx.audit({
    action: 'episode.update',
    targetType: 'episode',
    targetIds: [id, current.participantId],
    details: { fields: Object.keys(patch), ...(patch.status && { status: patch.status }) },
  });
  return (await repo.findEpisode(ctx.db, ctx.actor.organizationId, id))!;
}

function requireOpen(e: repo.EpisodeRecord): void {
  if (e.status === 'discharged') {
    throw new AppError('episode.discharged', 'This episode is discharged. Reopen it (change its status) before reassigning or transferring it.');
  }
}

export async function reassignEpisode(ctx: Ctx, id: string, input: z.output<typeof ReassignEpisodeBody>): Promise<repo.EpisodeRecord> {
  const current = await requireEpisode(ctx, id);
  requireOpen(current);
  await requireCoach(ctx, input.toCoachUserId, 'toCoachUserId');
  const now = ctx.clock.now().toISOString();
  await repo.updateEpisode(ctx.db, ctx.actor.organizationId, id, undefined, { assignedCoachUserId: input.toCoachUserId }, now);
  await repo.insertEpisodeEvent(ctx.db, ctx.actor.organizationId, {
    episodeId: id,
    kind: 'reassign',
    fromValue: current.assignedCoachUserId,
    toValue: input.toCoachUserId,
    reason: input.reason,
    actorUserId: ctx.actor.userId,
    occurredAt: now,
  });
  await ctx.audit({ action: 'episode.reassign', targetType: 'episode', targetIds: [id, current.participantId] });
  return (await repo.findEpisode(ctx.db, ctx.actor.organizationId, id))!;
}

export async function transferEpisode(ctx: Ctx, id: string, input: z.output<typeof TransferEpisodeBody>): Promise<repo.EpisodeRecord> {
  const current = await requireEpisode(ctx, id);
  requireOpen(current);
  if (!(await findSite(ctx.db, ctx.actor.organizationId, input.toSiteId))) throw errors.invalid('toSiteId', 'Choose a site of this organization');
  const now = ctx.clock.now().toISOString();
  await repo.updateEpisode(ctx.db, ctx.actor.organizationId, id, undefined, { siteId: input.toSiteId }, now);
  await repo.insertEpisodeEvent(ctx.db, ctx.actor.organizationId, {
    episodeId: id,
    kind: 'transfer',
    fromValue: current.siteId,
    toValue: input.toSiteId,
    reason: input.reason,
    actorUserId: ctx.actor.userId,
    occurredAt: now,
  });
  await ctx.audit({ action: 'episode.transfer', targetType: 'episode', targetIds: [id, current.participantId] });
  return (await repo.findEpisode(ctx.db, ctx.actor.organizationId, id))!;
}

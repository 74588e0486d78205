/**
 * Merging two records of the same person. The duplicate (`:id`) goes into the survivor
 * (`intoId`) in one transaction: every history row moves to the survivor (nothing is deleted),
 * the survivor's empty fields are filled from the duplicate (a survivor value is never
 * overwritten), the duplicate's name words stay findable under the survivor, and the duplicate
 * is marked merged — from then on it answers 404 participant.merged naming the survivor.
 *
 * Program managers reach both records through `requireParticipant` (they see everyone). Admins
 * hold no participant scope: for them both records are resolved within the organization only,
 * and the answer is ids and counts, never participant details.
 */
import type { z } from 'zod';
import type { MergeBody } from '../../../contracts/access.js';
import type { Ctx } from '../../platform/http/context.js';
import { AppError, errors } from '../../platform/errors.js';
import { requireParticipant } from '../participants/participants.access.js';
import * as participants from '../participants/participants.repository.js';
import * as repo from './merge.repository.js';
import { organizationZone, refreshContactSummary } from '../encounters/contact-summary.js';
import { recomputeAllCoverage } from '../moud/moud.usecases.js';

type Field = participants.ParticipantField;
type Record_ = participants.ParticipantRecord;

/** Fields that only make sense together: filled from the duplicate all at once, when the survivor has none of them. */
const GROUPS: readonly (readonly Field[])[] = [
  ['dateOfBirth', 'birthYear', 'dobEstimated'],
  ['emergencyContactName', 'emergencyContactRelationship', 'emergencyContactPhone'],
  ['addressLine', 'city', 'state', 'zip'],
  ['insuranceType', 'insuranceMemberId'],
  ['hasOud', 'hasOudSource'],
  ['currentMoud', 'moudSource'],
];
/**
 * Flags where "yes" is information and "no" may just mean nobody asked: a yes on either record
 * is kept. (Do-not-contact is a safety rule: it is never lost in a merge.)
 */
const ANY_YES: readonly Field[] = ['doNotContact', 'justiceInvolved', 'pregnantOrPostpartum', 'youth', 'veteran', 'coOccurringMentalHealth'];
/**
 * Consent to follow up mirrors the participation consents (consents module), which move with the
 * rest of the history: a yes on the duplicate carries over with the time it was given. Written by
 * this module's repository, not through the editable fields.
 */
const CONSENT: Field = 'consentToFollowUp';
/** Permissions to leave a voicemail or text: the survivor's answer stands ("no" is the safe value). */
const KEEP: readonly Field[] = ['okVoicemail', 'okText'];

const isEmpty = (v: unknown): boolean => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/** What the survivor takes from the duplicate (only fields the survivor lacks). */
export function fillFrom(survivor: Record_, duplicate: Record_): { values: participants.ParticipantValues; filled: Field[]; consent?: { at: string | null } } {
  const values: Record<string, unknown> = {};
  const filled: Field[] = [];
  const grouped = new Set<Field>(GROUPS.flat());
  for (const group of GROUPS) {
    const judged = group.filter((f) => typeof survivor[f] !== 'boolean' || f === 'hasOud');
    if (judged.every((f) => isEmpty(survivor[f])) && judged.some((f) => !isEmpty(duplicate[f]))) {
      for (const f of group) {
        if (survivor[f] === duplicate[f]) continue;
        values[f] = duplicate[f];
        filled.push(f);
      }
    }
  }
  for (const f of participants.PARTICIPANT_FIELDS) {
    if (grouped.has(f) || KEEP.includes(f) || f === CONSENT) continue;
    if (ANY_YES.includes(f)) {
      if (survivor[f] !== true && duplicate[f] === true) {
        values[f] = true;
        filled.push(f);
      }
      continue;
    }
    if (isEmpty(survivor[f]) && !isEmpty(duplicate[f])) {
      values[f] = duplicate[f];
      filled.push(f);
    }
  }
  const consentGiven = !survivor.consentToFollowUp && duplicate.consentToFollowUp;
  if (consentGiven) filled.push(CONSENT);
  return { values, filled, ...(consentGiven && { consent: { at: duplicate.consentToFollowUpAt } }) };
}

const merged = (p: Record_) =>
  new AppError('participant.merged', 'This record was merged into another record. Open that one instead.', { details: { mergedIntoId: p.mergedIntoId } });

/** A record of the organization the caller may merge (see the file comment). */
async function resolve(ctx: Ctx, id: string): Promise<Record_> {
  if (ctx.actor.roles.includes('program_manager')) return requireParticipant(ctx, id);
  const p = await participants.findParticipant(ctx.db, ctx.actor.organizationId, id);
  if (!p) throw errors.notFound('person');
  if (p.mergedIntoId) throw merged(p);
  return p;
}

/** The stale record's id and current version (no participant details: admins merge too). */
const stale = (p: Record_) => errors.conflict({ id: p.id, version: p.version }, p.version);

export interface MergeResult {
  survivorId: string;
  mergedId: string;
  moved: repo.MovedCounts;
  filledFields: string[];
}

export async function mergeParticipants(ctx: Ctx, duplicateId: string, input: z.output<typeof MergeBody>): Promise<MergeResult> {
  const org = ctx.actor.organizationId;
  const duplicate = await resolve(ctx, duplicateId);
  if (input.intoId === duplicateId) throw errors.invalid('intoId', 'Choose another record: a record cannot be merged into itself');
  const survivor = await resolve(ctx, input.intoId);
  if (duplicate.version !== input.version) throw stale(duplicate);
  if (survivor.version !== input.intoVersion) throw stale(survivor);

  const shared = await repo.sharedOpenPrograms(ctx.db, org, duplicateId, survivor.id);
  const conflict = () => {
    const program = shared[0];
    return new AppError('merge.conflict', `Both records have an open episode in ${program ? `the program “${program.name}”` : 'the same program'}. Discharge one of them first, then merge.`, {
      details: { programIds: shared.map((p) => p.id), programId: program?.id ?? null },
    });
  };
  if (shared.length > 0) throw conflict();

  const now = ctx.clock.now().toISOString();
  let moved: repo.MovedCounts;
  try {
    moved = await repo.moveHistory(ctx.db, org, duplicateId, survivor.id, now);
  } catch (err) {
    // Another request opened an episode in the same program meanwhile (the one-open-episode index).
    if (participants.isUniqueViolation(err)) throw conflict();
    throw err;
  }
  if (!(await repo.markMerged(ctx.db, org, duplicateId, input.version, { id: survivor.id, by: ctx.actor.userId, at: now, reason: input.reason }))) {
    throw stale((await participants.findParticipant(ctx.db, org, duplicateId))!);
  }

  const fill = fillFrom(survivor, duplicate);
  const after = { ...survivor, ...fill.values };
  const ok = await participants.updateParticipant(
    ctx.db,
    org,
    survivor.id,
    input.intoVersion,
    { values: fill.values, searchName: participants.searchKey(after) },
    now,
  );
  if (!ok) throw stale((await participants.findParticipant(ctx.db, org, survivor.id))!);
  if (fill.consent) await repo.setConsentToFollowUp(ctx.db, org, survivor.id, fill.consent.at);
  // The duplicate's contacts and ED visits are the survivor's now.
  await refreshContactSummary(ctx.db, org, survivor.id, await organizationZone(ctx.db, org));
  // Two records' fills of the same medication make one supply now.
  await recomputeAllCoverage(ctx, survivor.id);
  // The survivor stays findable by every name the duplicate went by.
  await repo.deleteNameTokens(ctx.db, duplicateId);
  await repo.addNameTokens(ctx.db, org, survivor.id, participants.nameTokens(participants.searchKey(duplicate)));

  await ctx.audit({
    action: 'participant.merge',
    targetType: 'participant',
    targetIds: [survivor.id, duplicateId],
    details: { moved, filledFields: fill.filled },
  });
  return { survivorId: survivor.id, mergedId: duplicateId, moved, filledFields: fill.filled };
}

/**
 * Encounters: logging a contact (one person, or a group: one record each), editing and signing a
 * draft, addenda after signing, the supervisor review queue, deletion as a tombstone, and the
 * phone form's defaults. Every use case touching a participant passes `requireParticipant` first;
 * every read of participant data is audited (ids only); every write is one transaction.
 *
 * Saving a REACHED encounter, in the same transaction: clears the participant's `contact_reached`
 * to-dos, completes the to-do it answers, moves each open episode's last contact forward, and
 * makes an `unreachable` episode active again (with an episode event). An attempt that did not
 * reach the person closes only the to-do it answers.
 */
import type { z } from 'zod';
import {
  encounterProblems,
  placeOfServiceFor,
  type AddendumBody,
  type CreateEncounterBody,
  type DeleteEncounterBody,
  type EncounterDefaults,
  type EncounterListQuery,
  type GroupEncounterBody,
  type ReviewBody,
  type UpdateEncounterBody,
} from '../../../contracts/encounters.js';
import { checkNoteLanguage, type NoteFlag } from '../../../contracts/note-language.js';
import type { Ctx } from '../../platform/http/context.js';
import { AppError, errors } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { requireParticipant, requireParticipantAccess, scopeOf } from '../participants/participants.access.js';
import { idsInScope, insertEpisodeEvent, updateEpisode } from '../participants/participants.repository.js';
import { findTodo, participantNames, teamMembersOf, updateTodo } from '../care/care.repository.js';
import { clearTodos } from '../care/care.usecases.js';
import * as repo from './encounters.repository.js';
import { advanceContactSummary, organizationZone, refreshContactSummary } from './contact-summary.js';
import { presentEncounter } from './encounters.presenters.js';

type Presented = ReturnType<typeof presentEncounter>;

/** Clock skew allowed between a phone and the server before a time counts as "in the future". */
const FUTURE_SKEW_MS = 2 * 60_000;

const locked = (message: string) => new AppError('encounter.locked', message);
const isProgramManager = (ctx: Ctx) => ctx.actor.roles.includes('program_manager');

async function supervises(ctx: Ctx, userId: string): Promise<boolean> {
  if (!ctx.actor.roles.includes('supervisor')) return false;
  return (await teamMembersOf(ctx.db, ctx.actor.organizationId, ctx.actor.userId)).includes(userId);
}

/** The times a person may record: not in the future (allowing a little clock skew). */
function checkTimes(ctx: Ctx, startedAt: string, endedAt: string | null | undefined): void {
  const limit = ctx.clock.now().getTime() + FUTURE_SKEW_MS;
  if (Date.parse(startedAt) > limit) throw errors.invalid('startedAt', 'Enter a start time that has already happened');
  if (endedAt && Date.parse(endedAt) > limit) throw errors.invalid('endedAt', 'Enter an end time that has already happened');
}

const durationOf = (startedAt: string, endedAt: string | null | undefined): number | null =>
  endedAt ? Math.round((Date.parse(endedAt) - Date.parse(startedAt)) / 60_000) : null;

/** The note aid's flags, in the author's language. */
const flagsOf = (note: string | null | undefined, locale: string): NoteFlag[] => (note ? checkNoteLanguage(note, locale.startsWith('es') ? 'es' : 'en') : []);

/** Why a signed note goes to review, if it does: the coach asked, the program's rule, or the note aid. */
function reviewReasonFor(flagForReview: boolean, type: string, reviewTypes: readonly string[], flags: readonly NoteFlag[]): 'coach' | 'program_rule' | 'note_aid' | null {
  if (flagForReview) return 'coach';
  if (reviewTypes.includes(type)) return 'program_rule';
  if (flags.length > 0) return 'note_aid';
  return null;
}

/** The to-do an encounter answers: this participant's, in this organization (else 400 naming todoId). */
async function requireTodoOf(ctx: Ctx, todoId: string, participantId: string) {
  const todo = await findTodo(ctx.db, ctx.actor.organizationId, todoId);
  if (!todo || todo.participantId !== participantId) throw errors.invalid('todoId', 'Choose a to-do of this participant');
  return todo;
}

/** What saving an encounter changes elsewhere (see the file comment). */
async function applyContactEffects(ctx: Ctx, e: { id: string; participantId: string; type: string; reached: boolean; startedAt: string; todoId: string | null }): Promise<void> {
  const now = ctx.clock.now().toISOString();
  await advanceContactSummary(ctx.db, ctx.actor.organizationId, e.participantId, e);
  if (e.reached) {
    await clearTodos(ctx, { participantId: e.participantId, condition: 'contact_reached' });
    for (const ep of await repo.openEpisodes(ctx.db, ctx.actor.organizationId, e.participantId)) {
      await repo.advanceLastContact(ctx.db, ctx.actor.organizationId, ep.id, e.startedAt);
      if (ep.status === 'unreachable') {
        await updateEpisode(ctx.db, ctx.actor.organizationId, ep.id, undefined, { status: 'active' }, now);
        await repo.clearUnreachableReason(ctx.db, ctx.actor.organizationId, ep.id);
        await insertEpisodeEvent(ctx.db, ctx.actor.organizationId, {
          episodeId: ep.id,
          kind: 'status',
          fromValue: 'unreachable',
          toValue: 'active',
          reason: 'contact reached',
          actorUserId: ctx.actor.userId,
          occurredAt: now,
        });
        await ctx.audit({ action: 'episode.reactivate', targetType: 'participant', targetIds: [e.participantId, ep.id], details: { encounterId: e.id } });
      }
    }
  }
  if (e.todoId) {
    const todo = await findTodo(ctx.db, ctx.actor.organizationId, e.todoId);
    if (todo?.status === 'open') {
      await updateTodo(ctx.db, ctx.actor.organizationId, todo.id, todo.version, { status: 'done', resolution: 'encounter', completedAt: now, completedBy: ctx.actor.userId }, now);
      await ctx.audit({ action: 'todo.update', targetType: 'todo', targetIds: [todo.id, e.participantId], details: { status: 'done', encounterId: e.id } });
    }
  }
}

type Fields = z.output<typeof CreateEncounterBody> | z.output<typeof GroupEncounterBody>;

/** Insert one encounter for one participant (access already checked), with its effects, audited. */
async function insertOne(ctx: Ctx, participantId: string, input: Fields, o: { groupId: string | null; todoId: string | null; author: { credential: string | null; locale: string } }): Promise<string> {
  const now = ctx.clock.now().toISOString();
  const episodes = await repo.openEpisodes(ctx.db, ctx.actor.organizationId, participantId);
  const flags = flagsOf(input.note, o.author.locale);
  const reason = input.sign ? reviewReasonFor(input.flagForReview, input.type, episodes[0]?.reviewTypes ?? [], flags) : null;
  const id = await repo.insertEncounter(ctx.db, {
    organizationId: ctx.actor.organizationId,
    participantId,
    episodeId: episodes[0]?.id ?? null,
    groupId: o.groupId,
    type: input.type,
    mode: input.mode,
    setting: input.setting,
    placeOfService: input.placeOfService ?? placeOfServiceFor(input.setting, input.mode),
    startedAt: input.startedAt,
    endedAt: input.endedAt ?? null,
    durationMinutes: durationOf(input.startedAt, input.endedAt),
    reached: input.reached,
    attemptOutcome: input.reached ? null : (input.attemptOutcome ?? null),
    services: input.services,
    participantWords: input.participantWords ?? null,
    note: input.note ?? null,
    noteFlags: flags,
    authorUserId: ctx.actor.userId,
    authorCredential: o.author.credential,
    status: input.sign ? 'signed' : 'draft',
    signedAt: input.sign ? now : null,
    reviewStatus: reason ? 'pending' : 'none',
    reviewReason: reason,
    todoId: o.todoId,
    lifeEventId: null,
    now,
  });
  await ctx.audit({
    action: 'encounter.create',
    targetType: 'participant',
    targetIds: [participantId, id],
    details: { encounterId: id, type: input.type, reached: input.reached, signed: input.sign, ...(o.groupId && { groupId: o.groupId }), ...(reason && { review: reason }) },
  });
  await applyContactEffects(ctx, { id, participantId, type: input.type, reached: input.reached, startedAt: input.startedAt, todoId: o.todoId });
  return id;
}

async function presentById(ctx: Ctx, id: string): Promise<Presented> {
  const e = (await repo.findEncounter(ctx.db, ctx.actor.organizationId, id))!;
  return presentEncounter(e, (await repo.addendaOf(ctx.db, ctx.actor.organizationId, [id])).get(id) ?? []);
}

/** `POST /participants/:id/encounters`. */
export async function logEncounter(ctx: Ctx, participantId: string, input: z.output<typeof CreateEncounterBody>): Promise<Presented> {
  await requireParticipant(ctx, participantId);
  checkTimes(ctx, input.startedAt, input.endedAt);
  const todoId = input.todoId ?? null;
  if (todoId) await requireTodoOf(ctx, todoId, participantId);
  const author = await repo.authorFacts(ctx.db, ctx.actor.userId);
  const id = await insertOne(ctx, participantId, input, { groupId: null, todoId, author });
  return presentById(ctx, id);
}

/** `POST /encounters/group`: one record per person, a shared group id; all or nothing. */
export async function logGroupEncounter(ctx: Ctx, input: z.output<typeof GroupEncounterBody>): Promise<{ groupId: string; encounters: Presented[] }> {
  for (const pid of input.participantIds) await requireParticipant(ctx, pid);
  checkTimes(ctx, input.startedAt, input.endedAt);
  const author = await repo.authorFacts(ctx.db, ctx.actor.userId);
  const groupId = newId();
  const ids: string[] = [];
  for (const pid of input.participantIds) ids.push(await insertOne(ctx, pid, input, { groupId, todoId: null, author }));
  const encounters: Presented[] = [];
  for (const id of ids) encounters.push(await presentById(ctx, id));
  return { groupId, encounters };
}

/** An encounter of this organization whose participant the caller may see (404 / 403). */
async function requireEncounter(ctx: Ctx, id: string): Promise<{ encounter: repo.EncounterRecord; grantId: string | undefined }> {
  const e = await repo.findEncounter(ctx.db, ctx.actor.organizationId, id);
  if (!e) throw errors.notFound('encounter');
  const { grantId } = await requireParticipantAccess(ctx, e.participantId);
  return { encounter: e, grantId };
}

/** `GET /encounters/:id`, with its addenda. */
export async function getEncounter(ctx: Ctx, id: string): Promise<Presented> {
  const { encounter, grantId } = await requireEncounter(ctx, id);
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [encounter.participantId, id], details: { part: 'encounter', ...(grantId && { breakGlassGrantId: grantId }) } });
  return presentEncounter(encounter, (await repo.addendaOf(ctx.db, ctx.actor.organizationId, [id])).get(id) ?? []);
}

const encodeCursor = (e: { startedAt: string; id: string }) => Buffer.from(JSON.stringify({ at: e.startedAt, id: e.id })).toString('base64url');
function decodeCursor(s: string): { at: string; id: string } {
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown;
    if (v && typeof v === 'object' && 'at' in v && 'id' in v && typeof v.at === 'string' && typeof v.id === 'string' && !Number.isNaN(Date.parse(v.at))) {
      return { at: new Date(v.at).toISOString(), id: v.id };
    }
  } catch {
    // fall through
  }
  throw errors.invalid('before', 'Use the nextCursor value from the previous page');
}

/** `GET /participants/:id/encounters`: newest first, paged by cursor. */
export async function listEncounters(ctx: Ctx, participantId: string, q: z.output<typeof EncounterListQuery>): Promise<{ encounters: Presented[]; nextCursor: string | null }> {
  const before = q.before ? decodeCursor(q.before) : undefined;
  const { grantId } = await requireParticipantAccess(ctx, participantId);
  const rows = await repo.listParticipantEncounters(ctx.db, ctx.actor.organizationId, participantId, before, q.limit + 1);
  const page = rows.slice(0, q.limit);
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [participantId], details: { part: 'encounters', count: page.length, ...(grantId && { breakGlassGrantId: grantId }) } });
  const addenda = await repo.addendaOf(ctx.db, ctx.actor.organizationId, page.map((e) => e.id));
  return { encounters: page.map((e) => presentEncounter(e, addenda.get(e.id) ?? [])), nextCursor: rows.length > q.limit ? encodeCursor(page[page.length - 1]!) : null };
}

/** `PATCH /encounters/:id`: the author edits a draft; `sign: true` signs (locks) it. */
export async function updateEncounter(ctx: Ctx, id: string, input: z.output<typeof UpdateEncounterBody>): Promise<Presented> {
  const { encounter: current } = await requireEncounter(ctx, id);
  if (current.authorUserId !== ctx.actor.userId) throw new AppError('auth.forbidden', 'Only the person who wrote this draft can change it.');
  if (current.deletedAt) throw locked('This encounter was deleted.');
  if (current.status === 'signed') throw locked('This note is signed. Add an addendum instead.');
  const merged = {
    type: input.type ?? current.type,
    mode: input.mode ?? current.mode,
    setting: input.setting ?? current.setting,
    startedAt: input.startedAt ?? current.startedAt,
    endedAt: input.endedAt === undefined ? current.endedAt : input.endedAt,
    reached: input.reached ?? current.reached,
    attemptOutcome: input.attemptOutcome === undefined ? current.attemptOutcome : input.attemptOutcome,
    note: input.note === undefined ? current.note : input.note,
  };
  // Reaching the person makes an earlier attempt outcome meaningless: drop it unless given.
  if (merged.reached && input.attemptOutcome === undefined) merged.attemptOutcome = null;
  const problem = encounterProblems(merged)[0];
  if (problem) throw errors.invalid(problem.path, problem.message);
  checkTimes(ctx, merged.startedAt, merged.endedAt);
  const now = ctx.clock.now().toISOString();
  const author = await repo.authorFacts(ctx.db, ctx.actor.userId);
  const flags = flagsOf(merged.note, author.locale);
  const patch: repo.EncounterPatch = {
    type: merged.type,
    mode: merged.mode,
    setting: merged.setting,
    placeOfService: input.placeOfService ?? (input.setting || input.mode ? placeOfServiceFor(merged.setting, merged.mode) : current.placeOfService),
    startedAt: merged.startedAt,
    endedAt: merged.endedAt,
    durationMinutes: durationOf(merged.startedAt, merged.endedAt),
    reached: merged.reached,
    attemptOutcome: merged.attemptOutcome,
    note: merged.note,
    noteFlags: flags,
    ...(input.services !== undefined && { services: input.services }),
    ...(input.participantWords !== undefined && { participantWords: input.participantWords }),
  };
  if (input.sign) {
    const episodes = await repo.openEpisodes(ctx.db, ctx.actor.organizationId, current.participantId);
    const reason = reviewReasonFor(input.flagForReview ?? false, merged.type, episodes[0]?.reviewTypes ?? [], flags);
    Object.assign(patch, { status: 'signed', signedAt: now, reviewStatus: reason ? 'pending' : 'none', reviewReason: reason });
  }
  if (!(await repo.updateEncounter(ctx.db, ctx.actor.organizationId, id, input.version, patch, now))) {
    const latest = (await repo.findEncounter(ctx.db, ctx.actor.organizationId, id))!;
    if (latest.status === 'signed') throw locked('This note is signed. Add an addendum instead.');
    throw errors.conflict(await presentById(ctx, id), latest.version);
  }
  await ctx.audit({
    action: input.sign ? 'encounter.sign' : 'encounter.update',
    targetType: 'participant',
    targetIds: [current.participantId, id],
    details: { encounterId: id, fields: Object.keys(input).filter((k) => k !== 'version') },
  });
  await applyContactEffects(ctx, { id, participantId: current.participantId, type: merged.type, reached: merged.reached, startedAt: merged.startedAt, todoId: current.todoId });
  // A draft's edit can move a contact back (later start → earlier, reached → not, bedside ↔ other).
  if (merged.type !== current.type || merged.reached !== current.reached || merged.startedAt !== current.startedAt) {
    await refreshContactSummary(ctx.db, ctx.actor.organizationId, current.participantId, await organizationZone(ctx.db, ctx.actor.organizationId));
  }
  return presentById(ctx, id);
}

/** `POST /encounters/:id/addenda`: after signing, by the author, a supervisor of the author's team, or a program manager. */
export async function addAddendum(ctx: Ctx, id: string, input: z.output<typeof AddendumBody>): Promise<Presented> {
  const { encounter } = await requireEncounter(ctx, id);
  if (encounter.deletedAt) throw locked('This encounter was deleted.');
  if (encounter.status !== 'signed') throw locked('This note is still a draft. Change the draft instead of adding an addendum.');
  if (encounter.authorUserId !== ctx.actor.userId && !isProgramManager(ctx) && !(await supervises(ctx, encounter.authorUserId))) {
    throw new AppError('auth.forbidden', 'Only the author, their supervisor or a program manager can add an addendum.');
  }
  const addendumId = await repo.insertAddendum(ctx.db, { organizationId: ctx.actor.organizationId, encounterId: id, authorUserId: ctx.actor.userId, text: input.text, now: ctx.clock.now().toISOString() });
  await ctx.audit({ action: 'encounter.addendum', targetType: 'participant', targetIds: [encounter.participantId, id], details: { encounterId: id, addendumId } });
  return presentById(ctx, id);
}

export const REVIEW_QUEUE_LIMIT = 200;

/** `GET /encounters/review-queue`: supervisors see their teams' coaches' notes; program managers all. */
export async function reviewQueue(ctx: Ctx): Promise<{ items: (Presented & { participantName: string | null })[]; truncated: boolean }> {
  const authors = isProgramManager(ctx) ? 'all' : await teamMembersOf(ctx.db, ctx.actor.organizationId, ctx.actor.userId);
  const rows = await repo.listPendingReview(ctx.db, ctx.actor.organizationId, authors, REVIEW_QUEUE_LIMIT + 1);
  const page = rows.slice(0, REVIEW_QUEUE_LIMIT);
  const pids = [...new Set(page.map((e) => e.participantId))];
  // Names only of people the caller may see; the note itself is the reviewer's to read.
  const visible = await idsInScope(ctx.db, scopeOf(ctx), pids);
  const names = await participantNames(ctx.db, ctx.actor.organizationId, pids.filter((p) => visible.has(p)));
  if (pids.length) await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: pids, details: { part: 'review_queue' } });
  const addenda = await repo.addendaOf(ctx.db, ctx.actor.organizationId, page.map((e) => e.id));
  return {
    items: page.map((e) => ({ ...presentEncounter(e, addenda.get(e.id) ?? []), participantName: names.get(e.participantId) ?? null })),
    truncated: rows.length > REVIEW_QUEUE_LIMIT,
  };
}

/** `POST /encounters/:id/review`: co-sign, or return with a comment. Not one's own note. */
export async function reviewEncounter(ctx: Ctx, id: string, input: z.output<typeof ReviewBody>): Promise<Presented> {
  const e = await repo.findEncounter(ctx.db, ctx.actor.organizationId, id);
  if (!e) throw errors.notFound('encounter');
  await requireParticipant(ctx, e.participantId);
  if (e.authorUserId === ctx.actor.userId) throw new AppError('auth.forbidden', 'Another supervisor or a program manager reviews your own notes.');
  if (!isProgramManager(ctx) && !(await supervises(ctx, e.authorUserId))) {
    ctx.auditDenied({ action: 'encounter.review', targetType: 'participant', targetIds: [e.participantId, id], details: { reason: 'not_supervisor' } });
    throw new AppError('auth.forbidden', 'Only the supervisor of this coach’s team or a program manager can review this note.');
  }
  if (e.deletedAt) throw locked('This encounter was deleted.');
  if (e.reviewStatus !== 'pending') throw locked('This note is not waiting for review.');
  const now = ctx.clock.now().toISOString();
  const ok = await repo.updateEncounter(
    ctx.db,
    ctx.actor.organizationId,
    id,
    e.version,
    { reviewStatus: input.decision === 'cosign' ? 'cosigned' : 'returned', reviewComment: input.comment ?? null, reviewedBy: ctx.actor.userId, reviewedAt: now },
    now,
  );
  if (!ok) throw locked('This note changed while you were reviewing it. Open it again.');
  await ctx.audit({ action: 'encounter.review', targetType: 'participant', targetIds: [e.participantId, id], details: { encounterId: id, decision: input.decision } });
  return presentById(ctx, id);
}

/** `DELETE /encounters/:id`: a tombstone (who, when, why), audited. Resolved by organization: admins never see participants. */
export async function deleteEncounter(ctx: Ctx, id: string, input: z.output<typeof DeleteEncounterBody>): Promise<Presented> {
  const e = await repo.findEncounter(ctx.db, ctx.actor.organizationId, id);
  if (!e) throw errors.notFound('encounter');
  if (e.deletedAt) throw locked('This encounter was already deleted.');
  const now = ctx.clock.now().toISOString();
  await repo.updateEncounter(ctx.db, ctx.actor.organizationId, id, undefined, { deletedAt: now, deletedBy: ctx.actor.userId, deletionReason: input.reason }, now);
  // A deleted contact no longer counts: the last contact, ED moment and follow-up go back to what the rest of the history says.
  await refreshContactSummary(ctx.db, ctx.actor.organizationId, e.participantId, await organizationZone(ctx.db, ctx.actor.organizationId));
  await ctx.audit({ action: 'encounter.delete', targetType: 'participant', targetIds: [e.participantId, id], details: { encounterId: id } });
  return presentEncounter((await repo.findEncounter(ctx.db, ctx.actor.organizationId, id))!);
}

const REMOTE = new Set(['phone', 'video', 'text', 'email']);
const NOT_A_DEFAULT_TYPE = new Set(['group', 'ed_bedside', 'crisis', 'outreach_attempt']);

/** `GET /encounters/defaults?participantId=`: the phone form's starting values. */
export async function encounterDefaults(ctx: Ctx, participantId: string): Promise<z.output<typeof EncounterDefaults>> {
  const p = await requireParticipant(ctx, participantId);
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [participantId], details: { part: 'encounter_defaults' } });
  const last = await repo.lastEncounterBy(ctx.db, ctx.actor.organizationId, ctx.actor.userId);
  const preferred = p.preferredContactMethod && p.preferredContactMethod !== 'none' ? p.preferredContactMethod : null;
  const type = last && !NOT_A_DEFAULT_TYPE.has(last.type) ? (last.type as z.output<typeof EncounterDefaults>['type']) : 'check_in';
  const mode = (preferred ?? last?.mode ?? 'phone') as z.output<typeof EncounterDefaults>['mode'];
  let setting = (last?.setting ?? (REMOTE.has(mode) ? 'telehealth' : 'rco_community')) as z.output<typeof EncounterDefaults>['setting'];
  if (REMOTE.has(mode) && setting !== 'telehealth' && setting !== 'home') setting = 'telehealth';
  if (!REMOTE.has(mode) && setting === 'telehealth') setting = 'rco_community';
  return { type, mode, setting, fromLastEncounter: !!last };
}

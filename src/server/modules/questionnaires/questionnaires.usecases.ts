/**
 * Rules for questionnaires. Everything about a participant first passes `requireParticipant`
 * (another organization's: 404; outside the caller's scope: 403); reads are audited as
 * `participant.read` (`part: 'questionnaires'` / `'barc10_trend'`), an answer in its transaction
 * as `questionnaire_response.create` with ids and codes only (key, version, never the answers).
 *
 * Answering: the body names the questionnaire (`key`), the `version` answered and its `language`.
 * A language with no definition (no validated translation) is refused naming `language`; an older
 * version is refused naming `version` unless `olderVersion` says so on purpose. Every item must be
 * answered and in range, with no unknown item (400 naming `answers.<itemId>`). The score is
 * computed here with that exact definition and stored with it; it is never recomputed.
 *
 * A screen's positive answers suggest directory service types; the new response also carries a
 * few directory services of those types, nearest the participant's current site when it has a
 * place on the map, else by name.
 */
import type { z } from 'zod';
import {
  type AnswerValue,
  BARC10_SHARP_DROP,
  scoreAnswers,
  scoreRange,
  suggestedServiceTypes,
  VALIDATED_INSTRUMENT_LANGUAGES,
  type Barc10Trend,
  type CreateQuestionnaireResponseBody,
  type CreatedQuestionnaireResponse,
  type QuestionnaireDefinition,
  type QuestionnaireResponse,
} from '../../../contracts/questionnaires.js';
import type { DirectorySearchResult } from '../../../contracts/directory.js';
import type { Ctx } from '../../platform/http/context.js';
import { AppError, errors } from '../../platform/errors.js';
import { localDate } from '../../platform/time.js';
import { requireParticipant, requireParticipantAccess } from '../participants/participants.access.js';
import * as directory from '../directory/directory.repository.js';
import { presentSearchHit } from '../directory/directory.presenters.js';
import { localWeekMinute } from '../directory/directory.usecases.js';
import * as repo from './questionnaires.repository.js';
import { BARC10_KEY } from './questionnaires.shipped.js';
import { barc10Saved } from '../checkins/checkins.usecases.js';

type Definition = z.infer<typeof QuestionnaireDefinition>;
type Response = z.infer<typeof QuestionnaireResponse>;

/** How many directory services a screen suggests at most, and per service type. */
const SUGGESTED_SERVICES = 6;
const PER_TYPE = 2;

const org = (ctx: Ctx) => ctx.actor.organizationId;

/** The newest version of each (key, language); a program's own row wins over a shipped one of the same version. */
function currentVersions(defs: readonly repo.DefinitionRecord[]): Map<string, repo.DefinitionRecord> {
  const current = new Map<string, repo.DefinitionRecord>();
  for (const d of defs) {
    const k = `${d.key}\u0000${d.language}`;
    const c = current.get(k);
    if (!c || d.version > c.version || (d.version === c.version && d.organizationId !== null)) current.set(k, d);
  }
  return current;
}

function presentDefinition(d: repo.DefinitionRecord, current: boolean): Definition {
  const range = scoreRange(d.items, d.scoring);
  return {
    id: d.id,
    key: d.key,
    version: d.version,
    language: d.language,
    title: d.title,
    source: d.source,
    shipped: d.organizationId === null,
    current,
    items: d.items,
    scoring: d.scoring,
    minScore: range.min,
    maxScore: range.max,
  };
}

function presentResponse(r: repo.ResponseRecord, d: repo.DefinitionRecord): Response {
  return {
    id: r.id,
    participantId: r.participantId,
    definitionId: r.definitionId,
    key: r.key,
    version: d.version,
    language: d.language,
    title: d.title,
    answeredOn: r.answeredOn,
    source: r.source,
    encounterId: r.encounterId,
    answers: r.answers,
    score: r.score,
    maxScore: scoreRange(d.items, d.scoring).max,
    flags: r.flags,
    suggestedServiceTypes: suggestedServiceTypes(d.items, r.answers),
    createdBy: r.createdBy,
    createdAt: r.createdAt,
  };
}

// ---- definitions

/** The current version of each questionnaire (in one language, when asked). */
export async function listQuestionnaires(ctx: Ctx, language: string | undefined): Promise<{ questionnaires: Definition[] }> {
  // A validated instrument only in the languages of its validated translations (a row in another language is never offered).
  const usable = (await repo.listDefinitions(ctx.db, org(ctx))).filter((d) => VALIDATED_INSTRUMENT_LANGUAGES[d.key]?.includes(d.language) ?? true);
  const current = [...currentVersions(usable).values()];
  return { questionnaires: current.filter((d) => !language || d.language === language).map((d) => presentDefinition(d, true)) };
}

// ---- answering

async function definitionFor(ctx: Ctx, input: z.output<typeof CreateQuestionnaireResponseBody>): Promise<repo.DefinitionRecord> {
  const all = await repo.definitionsOf(ctx.db, org(ctx), input.key);
  if (all.length === 0) throw errors.invalid('key', 'There is no questionnaire with this key');
  const inLanguage = all.filter((d) => d.language === input.language);
  if (inLanguage.length === 0) {
    const languages = [...new Set(all.map((d) => d.language))].join(', ');
    throw errors.invalid('language', `${all[0]!.title} has no validated translation in this language. Ask it in: ${languages}.`);
  }
  const current = currentVersions(inLanguage).get(`${input.key}\u0000${input.language}`)!;
  const named = inLanguage.filter((d) => d.version === input.version).sort((a, b) => (a.organizationId === null ? 1 : 0) - (b.organizationId === null ? 1 : 0))[0];
  if (!named) throw errors.invalid('version', `This questionnaire has no version ${input.version}. The current version is ${current.version}.`);
  if (named.version < current.version && input.olderVersion !== true) {
    throw errors.invalid('version', `Version ${named.version} is an older version; the current one is ${current.version}. Answer the current version, or say the answers were given on the older form (olderVersion).`);
  }
  return named;
}

/** A few directory services of the suggested types, nearest the participant's site when it is on the map. */
async function suggestServices(ctx: Ctx, participantId: string, types: readonly string[]): Promise<z.infer<typeof DirectorySearchResult>[]> {
  if (types.length === 0) return [];
  const siteId = await repo.currentSiteOf(ctx.db, org(ctx), participantId);
  const point = siteId ? await directory.findSitePoint(ctx.db, org(ctx), siteId) : undefined;
  const origin = point?.latitude != null && point.longitude != null ? { latitude: Number(point.latitude), longitude: Number(point.longitude) } : null;
  const at = localWeekMinute(ctx.clock.now(), await directory.organizationTimeZone(ctx.db, org(ctx)));
  const out: z.infer<typeof DirectorySearchResult>[] = [];
  const seen = new Set<string>();
  for (const type of types) {
    if (out.length >= SUGGESTED_SERVICES) break;
    const filters: directory.SearchFilters = { words: [], typesMask: directory.typesMask([type]), insuranceMask: 0, acceptingNew: false, telehealth: false, language: null, openAt: null, hasCapacity: false };
    const hits = origin
      ? (await directory.searchByDistance(ctx.db, org(ctx), filters, origin, 0, PER_TYPE + 1)).hits.map((h) => presentSearchHit(h, h.distanceKm, at))
      : (await directory.searchByName(ctx.db, org(ctx), filters, 0, PER_TYPE + 1)).map((h) => presentSearchHit(h, null, at));
    let taken = 0;
    for (const h of hits) {
      const id = `${h.serviceId}:${h.locationId ?? ''}`;
      if (taken >= PER_TYPE || out.length >= SUGGESTED_SERVICES || seen.has(h.serviceId) || seen.has(id)) continue;
      seen.add(h.serviceId);
      out.push(h);
      taken++;
    }
  }
  return out;
}

export async function answer(ctx: Ctx, participantId: string, input: z.output<typeof CreateQuestionnaireResponseBody>): Promise<z.infer<typeof CreatedQuestionnaireResponse>> {
  await requireParticipant(ctx, participantId);
  const def = await definitionFor(ctx, input);
  const encounterId = input.encounterId ?? null;
  if (encounterId && !(await repo.encounterOf(ctx.db, org(ctx), participantId, encounterId))) throw errors.invalid('encounterId', 'Choose an encounter with this person');
  return saveAnswers(ctx, participantId, def, { answers: input.answers, answeredOn: input.answeredOn, encounterId, source: 'coach' });
}

/**
 * Score and store answers to one exact definition (the caller has checked who may, and which
 * definition): the coach's form above, or a participant's one-time link (`source: 'participant_link'`,
 * answered today).
 */
export async function saveAnswers(
  ctx: Ctx,
  participantId: string,
  def: repo.DefinitionRecord,
  input: { answers: Record<string, z.infer<typeof AnswerValue>>; answeredOn?: string | undefined; encounterId: string | null; source: 'coach' | 'participant_link' },
): Promise<z.infer<typeof CreatedQuestionnaireResponse>> {
  const now = ctx.clock.now();
  const tz = await directory.organizationTimeZone(ctx.db, org(ctx));
  const today = localDate(now, tz);
  const answeredOn = input.answeredOn ?? today;
  if (answeredOn > today) throw errors.invalid('answeredOn', 'Enter a date that is today or in the past');
  const { encounterId } = input;
  const scored = scoreAnswers(def.items, def.scoring, input.answers);
  if (!scored.ok) {
    const first = scored.problems[0]!;
    throw new AppError('validation.failed', `Check ${first.path}: ${first.message}`, { fields: scored.problems });
  }
  const id = await repo.insertResponse(ctx.db, {
    organizationId: org(ctx),
    participantId,
    definitionId: def.id,
    key: def.key,
    answeredOn,
    answers: input.answers,
    score: scored.score,
    flags: scored.flags,
    source: input.source,
    encounterId,
    createdBy: ctx.actor.userId,
    now: now.toISOString(),
  });
  await ctx.audit({
    action: 'questionnaire_response.create',
    targetType: 'questionnaire_response',
    targetIds: [id, participantId],
    details: { key: def.key, version: def.version, definitionId: def.id, ...(encounterId && { encounterId }) },
  });
  if (def.key === BARC10_KEY) await barc10Saved(ctx, participantId, id); // a 10-point drop raises an alert
  const r = (await repo.findResponse(ctx.db, org(ctx), id))!;
  const response = presentResponse(r, def);
  return { ...response, suggestedServices: await suggestServices(ctx, participantId, response.suggestedServiceTypes) };
}

/**
 * The definition a one-time link asks: the current version of `key` in `language` when there is one
 * (a validated translation, for an instrument), else in English. Undefined when there is no such
 * questionnaire.
 */
export async function definitionForLink(ctx: Ctx, key: string, language: string): Promise<repo.DefinitionRecord | undefined> {
  const usable = (await repo.definitionsOf(ctx.db, org(ctx), key)).filter((d) => VALIDATED_INSTRUMENT_LANGUAGES[d.key]?.includes(d.language) ?? true);
  const current = currentVersions(usable);
  return current.get(`${key}\u0000${language}`) ?? current.get(`${key}\u0000en`);
}

// ---- reads

async function responsesOf(ctx: Ctx, participantId: string, key?: string): Promise<{ records: repo.ResponseRecord[]; defs: Map<string, repo.DefinitionRecord> }> {
  const records = await repo.listResponses(ctx.db, org(ctx), participantId, key);
  return { records, defs: await repo.definitionsById(ctx.db, records.map((r) => r.definitionId)) };
}

/** A participant's responses (to one questionnaire, when `key` is given), newest first. */
export async function listResponses(ctx: Ctx, participantId: string, key: string | undefined): Promise<{ responses: Response[] }> {
  const { grantId } = await requireParticipantAccess(ctx, participantId);
  const { records, defs } = await responsesOf(ctx, participantId, key);
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [participantId], details: { part: 'questionnaires', ...(key && { key }), ...(grantId && { breakGlassGrantId: grantId }) } });
  return { responses: records.map((r) => presentResponse(r, defs.get(r.definitionId)!)) };
}

/**
 * BARC-10 totals over time (oldest first, every version: the scale is the same), the change since
 * the baseline (the first response), and each consecutive pair whose total fell by 10 or more.
 */
export async function barc10Trend(ctx: Ctx, participantId: string): Promise<z.infer<typeof Barc10Trend>> {
  const { grantId } = await requireParticipantAccess(ctx, participantId);
  const { records, defs } = await responsesOf(ctx, participantId, BARC10_KEY);
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [participantId], details: { part: 'barc10_trend', ...(grantId && { breakGlassGrantId: grantId }) } });
  const points = records
    .filter((r) => r.score !== null)
    .reverse()
    .map((r) => ({ responseId: r.id, answeredOn: r.answeredOn, score: r.score!, version: defs.get(r.definitionId)!.version, strong: r.flags.some((f) => f.flag === 'strong_recovery_capital') }));
  const first = points[0];
  const last = points.at(-1);
  const sharpDrops = [];
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1]!, points[i]!];
    if (a.score - b.score >= BARC10_SHARP_DROP) sharpDrops.push({ fromResponseId: a.responseId, toResponseId: b.responseId, fromScore: a.score, toScore: b.score, answeredOn: b.answeredOn });
  }
  const pick = (p: (typeof points)[number] | undefined) => (p ? { responseId: p.responseId, answeredOn: p.answeredOn, score: p.score } : null);
  return {
    points,
    baseline: pick(first),
    latest: pick(last),
    changeSinceBaseline: first && last ? last.score - first.score : null,
    sharpDrops,
    sharpDrop: sharpDrops.length > 0,
  };
}

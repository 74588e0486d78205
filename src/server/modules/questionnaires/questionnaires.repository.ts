/**
 * All SQL of questionnaires: definitions (shipped ones have no organization; a program's own have
 * its id) and responses. Rows become records here; every response query filters on the
 * organization.
 */
import type { Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import { newId } from '../../platform/ids.js';
import type { QuestionnaireDefinitionsTable, QuestionnaireResponsesTable } from '../../platform/db/tables-questionnaires.js';
import type { Answers, QuestionnaireItem, ScoringRule } from '../../../contracts/questionnaires.js';
import { ScoringRule as ScoringRuleSchema } from '../../../contracts/questionnaires.js';

export interface DefinitionRecord {
  id: string;
  organizationId: string | null;
  key: string;
  version: number;
  language: string;
  title: string;
  source: string | null;
  items: QuestionnaireItem[];
  scoring: ScoringRule;
  status: 'active' | 'retired';
  createdAt: string;
}

export interface ResponseRecord {
  id: string;
  organizationId: string;
  participantId: string;
  definitionId: string;
  key: string;
  answeredOn: string;
  answers: Answers;
  score: number | null;
  flags: { flag: string; label: string }[];
  source: 'coach' | 'participant_link';
  encounterId: string | null;
  createdBy: string;
  createdAt: string;
}

const iso = (v: string | Date): string => new Date(v).toISOString();
const dateText = (v: string | Date): string => (typeof v === 'string' ? v.slice(0, 10) : v.toISOString().slice(0, 10));

const toDefinition = (r: Selectable<QuestionnaireDefinitionsTable>): DefinitionRecord => ({
  id: r.id,
  organizationId: r.organization_id,
  key: r.key,
  version: Number(r.version),
  language: r.language,
  title: r.title,
  source: r.source,
  items: JSON.parse(r.items) as QuestionnaireItem[],
  scoring: ScoringRuleSchema.parse(JSON.parse(r.scoring)),
  status: r.status as DefinitionRecord['status'],
  createdAt: iso(r.created_at),
});

const toResponse = (r: Selectable<QuestionnaireResponsesTable>): ResponseRecord => ({
  id: r.id,
  organizationId: r.organization_id,
  participantId: r.participant_id,
  definitionId: r.definition_id,
  key: r.questionnaire_key,
  answeredOn: dateText(r.answered_on),
  answers: JSON.parse(r.answers) as Answers,
  score: r.score == null ? null : Number(r.score),
  flags: JSON.parse(r.flags) as ResponseRecord['flags'],
  source: r.source as ResponseRecord['source'],
  encounterId: r.encounter_id,
  createdBy: r.created_by,
  createdAt: iso(r.created_at),
});

/** The definitions an organization may use: the shipped ones and its own, every version. */
export async function listDefinitions(db: Executor, organizationId: string): Promise<DefinitionRecord[]> {
  const rows = await db
    .selectFrom('questionnaire_definitions')
    .selectAll()
    .where((eb) => eb.or([eb('organization_id', 'is', null), eb('organization_id', '=', organizationId)]))
    .orderBy('key')
    .orderBy('language')
    .orderBy('version')
    .execute();
  return rows.map(toDefinition);
}

/** Every version of one questionnaire visible to the organization (all languages). */
export async function definitionsOf(db: Executor, organizationId: string, key: string): Promise<DefinitionRecord[]> {
  const rows = await db
    .selectFrom('questionnaire_definitions')
    .selectAll()
    .where('key', '=', key)
    .where((eb) => eb.or([eb('organization_id', 'is', null), eb('organization_id', '=', organizationId)]))
    .orderBy('version')
    .execute();
  return rows.map(toDefinition);
}

export async function definitionsById(db: Executor, ids: readonly string[]): Promise<Map<string, DefinitionRecord>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('questionnaire_definitions').selectAll().where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, toDefinition(r)]));
}

/** A new definition (a program's own, or a new version); the same owner's earlier versions of that key and language become `retired`. */
export async function insertDefinition(
  db: Executor,
  d: { organizationId: string | null; key: string; version: number; language: string; title: string; source: string | null; items: QuestionnaireItem[]; scoring: ScoringRule; createdBy: string | null; now: string },
): Promise<string> {
  const id = newId();
  const retire = db.updateTable('questionnaire_definitions').set({ status: 'retired' }).where('key', '=', d.key).where('language', '=', d.language).where('version', '<', d.version);
  // Only the same owner's rows: a program's own version never touches what other programs see.
  await (d.organizationId === null ? retire.where('organization_id', 'is', null) : retire.where('organization_id', '=', d.organizationId)).execute();
  await db
    .insertInto('questionnaire_definitions')
    .values({
      id,
      organization_id: d.organizationId,
      key: d.key,
      version: d.version,
      language: d.language,
      title: d.title,
      source: d.source,
      items: JSON.stringify(d.items),
      scoring: JSON.stringify(d.scoring),
      status: 'active',
      created_by: d.createdBy,
      created_at: d.now,
    })
    .execute();
  return id;
}

export async function insertResponse(
  db: Executor,
  r: { organizationId: string; participantId: string; definitionId: string; key: string; answeredOn: string; answers: Answers; score: number | null; flags: ResponseRecord['flags']; source: ResponseRecord['source']; encounterId: string | null; createdBy: string; now: string },
): Promise<string> {
  const id = newId();
  await db
    .insertInto('questionnaire_responses')
    .values({
      id,
      organization_id: r.organizationId,
      participant_id: r.participantId,
      definition_id: r.definitionId,
      questionnaire_key: r.key,
      answered_on: r.answeredOn,
      answers: JSON.stringify(r.answers),
      score: r.score,
      flags: JSON.stringify(r.flags),
      source: r.source,
      encounter_id: r.encounterId,
      created_by: r.createdBy,
      created_at: r.now,
      updated_at: r.now,
    })
    .execute();
  return id;
}

export async function findResponse(db: Executor, organizationId: string, id: string): Promise<ResponseRecord | undefined> {
  const r = await db.selectFrom('questionnaire_responses').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return r ? toResponse(r) : undefined;
}

/** A participant's responses (to one questionnaire, when `key` is given), newest answered first. */
export async function listResponses(db: Executor, organizationId: string, participantId: string, key?: string, limit = 200): Promise<ResponseRecord[]> {
  let q = db.selectFrom('questionnaire_responses').selectAll().where('organization_id', '=', organizationId).where('participant_id', '=', participantId);
  if (key) q = q.where('questionnaire_key', '=', key);
  const rows = await q.orderBy('answered_on', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toResponse);
}

/** The site of the participant's current episode (the newest not discharged), if any. */
export async function currentSiteOf(db: Executor, organizationId: string, participantId: string): Promise<string | undefined> {
  const r = await db
    .selectFrom('episodes')
    .select('site_id')
    .where('organization_id', '=', organizationId)
    .where('participant_id', '=', participantId)
    .where('status', '<>', 'discharged')
    .orderBy('start_date', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return r?.site_id;
}

/** Whether the encounter is one of this participant's, in this organization. */
export async function encounterOf(db: Executor, organizationId: string, participantId: string, encounterId: string): Promise<boolean> {
  const r = await db.selectFrom('encounters').select('id').where('organization_id', '=', organizationId).where('participant_id', '=', participantId).where('id', '=', encounterId).executeTakeFirst();
  return r !== undefined;
}

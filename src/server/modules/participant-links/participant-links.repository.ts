/** SQL for participants' one-time links (no rules here; see participant-links.usecases.ts). */
import type { Executor } from '../../platform/db/database.js';
import { newId } from '../../platform/ids.js';
import type { LinkPurpose } from '../../../contracts/participant-links.js';

export interface LinkRecord {
  id: string;
  organizationId: string;
  participantId: string;
  purpose: LinkPurpose;
  definitionId: string | null;
  language: 'en' | 'es';
  delivery: 'message' | 'code';
  outboxMessageId: string | null;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  openedAt: string | null;
  usedAt: string | null;
  revokedAt: string | null;
  resultType: 'questionnaire_response' | 'check_in' | null;
  resultId: string | null;
}

export interface LinkView extends LinkRecord {
  questionnaireKey: string | null;
  questionnaireTitle: string | null;
  questionnaireVersion: number | null;
  messageStatus: string | null;
  channel: string | null;
  score: number | null;
  alerts: string | null;
}

type Row = {
  id: string;
  organization_id: string;
  participant_id: string;
  purpose: string;
  definition_id: string | null;
  language: string;
  delivery: string;
  outbox_message_id: string | null;
  created_by: string;
  created_at: string;
  expires_at: string;
  opened_at: string | null;
  used_at: string | null;
  revoked_at: string | null;
  result_type: string | null;
  result_id: string | null;
};

const COLUMNS = [
  'l.id',
  'l.organization_id',
  'l.participant_id',
  'l.purpose',
  'l.definition_id',
  'l.language',
  'l.delivery',
  'l.outbox_message_id',
  'l.created_by',
  'l.created_at',
  'l.expires_at',
  'l.opened_at',
  'l.used_at',
  'l.revoked_at',
  'l.result_type',
  'l.result_id',
] as const;

const record = (r: Row): LinkRecord => ({
  id: r.id,
  organizationId: r.organization_id,
  participantId: r.participant_id,
  purpose: r.purpose as LinkPurpose,
  definitionId: r.definition_id,
  language: r.language === 'es' ? 'es' : 'en',
  delivery: r.delivery === 'code' ? 'code' : 'message',
  outboxMessageId: r.outbox_message_id,
  createdBy: r.created_by,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  openedAt: r.opened_at,
  usedAt: r.used_at,
  revokedAt: r.revoked_at,
  resultType: r.result_type as LinkRecord['resultType'],
  resultId: r.result_id,
});

export async function insertLink(
  db: Executor,
  l: { organizationId: string; participantId: string; purpose: LinkPurpose; definitionId: string | null; language: string; delivery: string; outboxMessageId: string | null; tokenHash: string | null; createdBy: string; now: string; expiresAt: string },
): Promise<string> {
  const id = newId();
  await db
    .insertInto('participant_links')
    .values({
      id,
      organization_id: l.organizationId,
      participant_id: l.participantId,
      purpose: l.purpose,
      definition_id: l.definitionId,
      language: l.language,
      delivery: l.delivery,
      outbox_message_id: l.outboxMessageId,
      token_hash: l.tokenHash,
      created_by: l.createdBy,
      created_at: l.now,
      expires_at: l.expiresAt,
      opened_at: null,
      used_at: null,
      revoked_at: null,
      revoked_by: null,
      result_type: null,
      result_id: null,
    })
    .execute();
  return id;
}

function viewQuery(db: Executor) {
  return db
    .selectFrom('participant_links as l')
    .leftJoin('questionnaire_definitions as d', 'd.id', 'l.definition_id')
    .leftJoin('outbox_messages as m', 'm.id', 'l.outbox_message_id')
    .leftJoin('questionnaire_responses as qr', (j) => j.onRef('qr.id', '=', 'l.result_id').on('l.result_type', '=', 'questionnaire_response'))
    .leftJoin('check_ins as ci', (j) => j.onRef('ci.id', '=', 'l.result_id').on('l.result_type', '=', 'check_in'))
    .select(COLUMNS)
    .select(['d.key as q_key', 'd.title as q_title', 'd.version as q_version', 'm.status as m_status', 'm.channel as m_channel', 'qr.score as score', 'ci.alerts as alerts']);
}

type ViewRow = Row & { q_key: string | null; q_title: string | null; q_version: number | null; m_status: string | null; m_channel: string | null; score: number | null; alerts: string | null };

const view = (r: ViewRow): LinkView => ({
  ...record(r),
  questionnaireKey: r.q_key,
  questionnaireTitle: r.q_title,
  questionnaireVersion: r.q_version === null ? null : Number(r.q_version),
  messageStatus: r.m_status,
  channel: r.m_channel,
  score: r.score === null ? null : Number(r.score),
  alerts: r.alerts,
});

/** A participant's links, newest first. */
export async function listLinks(db: Executor, organizationId: string, participantId: string, limit = 30): Promise<LinkView[]> {
  const rows = await viewQuery(db).where('l.organization_id', '=', organizationId).where('l.participant_id', '=', participantId).orderBy('l.created_at', 'desc').orderBy('l.id', 'desc').limit(limit).execute();
  return rows.map((r) => view(r as ViewRow));
}

export async function findLinkView(db: Executor, organizationId: string, id: string): Promise<LinkView | undefined> {
  const r = await viewQuery(db).where('l.organization_id', '=', organizationId).where('l.id', '=', id).executeTakeFirst();
  return r && view(r);
}

export async function findByTokenHash(db: Executor, tokenHash: string): Promise<LinkRecord | undefined> {
  const r = await db.selectFrom('participant_links as l').select(COLUMNS).where('l.token_hash', '=', tokenHash).executeTakeFirst();
  return r && record(r);
}

export async function findById(db: Executor, id: string): Promise<LinkRecord | undefined> {
  const r = await db.selectFrom('participant_links as l').select(COLUMNS).where('l.id', '=', id).executeTakeFirst();
  return r && record(r);
}

export async function findByMessage(db: Executor, organizationId: string, outboxMessageId: string): Promise<LinkRecord | undefined> {
  const r = await db.selectFrom('participant_links as l').select(COLUMNS).where('l.organization_id', '=', organizationId).where('l.outbox_message_id', '=', outboxMessageId).executeTakeFirst();
  return r && record(r);
}

/** Give a message link its secret when the message is sent: only while it can still be used. */
export async function setTokenForMessage(db: Executor, linkId: string, tokenHash: string, now: string): Promise<boolean> {
  const r = await db
    .updateTable('participant_links')
    .set({ token_hash: tokenHash })
    .where('id', '=', linkId)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function markOpened(db: Executor, id: string, now: string): Promise<void> {
  await db.updateTable('participant_links').set({ opened_at: now }).where('id', '=', id).where('opened_at', 'is', null).execute();
}

/** Use an answer link: marks it used in the same statement, so two answers at once cannot both pass. */
export async function consume(db: Executor, id: string, now: string): Promise<boolean> {
  const r = await db
    .updateTable('participant_links')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function setResult(db: Executor, id: string, type: 'questionnaire_response' | 'check_in', resultId: string): Promise<void> {
  await db.updateTable('participant_links').set({ result_type: type, result_id: resultId }).where('id', '=', id).execute();
}

/** Turn off links: one (by id), or the earlier open ones a new link of the same kind replaces. */
export async function revoke(db: Executor, organizationId: string, by: string, now: string, which: { id: string } | { participantId: string; purpose: LinkPurpose; definitionKey: string | null }): Promise<string[]> {
  let q = db
    .selectFrom('participant_links as l')
    .leftJoin('questionnaire_definitions as d', 'd.id', 'l.definition_id')
    .select(['l.id', 'l.outbox_message_id'])
    .where('l.organization_id', '=', organizationId)
    .where('l.used_at', 'is', null)
    .where('l.revoked_at', 'is', null)
    .where('l.expires_at', '>', now);
  if ('id' in which) q = q.where('l.id', '=', which.id);
  else {
    q = q.where('l.participant_id', '=', which.participantId).where('l.purpose', '=', which.purpose);
    if (which.definitionKey) q = q.where('d.key', '=', which.definitionKey);
  }
  const rows = await q.execute();
  const ids = rows.map((r) => r.id);
  if (ids.length === 0) return [];
  await db.updateTable('participant_links').set({ revoked_at: now, revoked_by: by }).where('id', 'in', ids).execute();
  // A message not yet sent for a turned-off link is not sent.
  const mids = rows.flatMap((r) => (r.outbox_message_id ? [r.outbox_message_id] : []));
  if (mids.length) {
    await db
      .updateTable('outbox_messages')
      .set({ status: 'cancelled', last_error: 'link_revoked', next_attempt_at: null, updated_at: now })
      .where('id', 'in', mids)
      .where('status', '=', 'pending')
      .execute();
  }
  return ids;
}

export async function greetingFacts(db: Executor, organizationId: string, participantId: string): Promise<{ preferredName: string | null; firstName: string | null; organizationName: string } | undefined> {
  const r = await db
    .selectFrom('participants as p')
    .innerJoin('organizations as o', 'o.id', 'p.organization_id')
    .select(['p.preferred_name', 'p.first_name', 'o.name'])
    .where('p.organization_id', '=', organizationId)
    .where('p.id', '=', participantId)
    .executeTakeFirst();
  return r && { preferredName: r.preferred_name, firstName: r.first_name, organizationName: r.name };
}

/**
 * Signed checkpoints, the audit key, and verification of the audit trail.
 *
 * A checkpoint records a chain's head (seq, hash) signed with HMAC-SHA256 under a key kept
 * outside the database. Each signature also covers the previous checkpoint's signature of the
 * same chain, so the checkpoints form a chain of their own: one removed or forged in the middle
 * breaks the signature of the next. Someone who rewrites events and recomputes every hash from
 * inside the database still cannot produce a checkpoint that matches, and deleting checkpoints
 * does not help either: `verifyAudit` reports events older than the grace window that no
 * checkpoint covers (`checkpoint_missing`).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db, Dialect } from '../db/database.js';
import { systemClock, type Clock } from '../clock.js';
import { newId } from '../ids.js';
import { eventHash, GENESIS_HASH } from './audit.js';

/** How often a running server signs the head of every chain that moved. */
export const CHECKPOINT_INTERVAL_MS = 60_000;
/**
 * How old an event may be before verification insists a signed checkpoint covers it. Five
 * intervals leave room for a slow or restarted server; beyond that a missing checkpoint means
 * checkpoints were deleted or are not being written.
 */
export const MAX_UNCHECKPOINTED_MS = CHECKPOINT_INTERVAL_MS * 5;
/** The "previous signature" of a chain's first checkpoint. */
export const GENESIS_SIGNATURE = '0'.repeat(64);
/** The shortest audit key accepted (from the environment or the key file). */
export const MIN_AUDIT_KEY_LENGTH = 32;

export interface CheckpointFields {
  chainId: string;
  seq: number;
  hash: string;
  createdAt: string;
  /** The signature of the chain's checkpoint before this one (GENESIS_SIGNATURE for the first). */
  prevSignature: string;
}

export function signCheckpoint(key: string, c: CheckpointFields): string {
  return createHmac('sha256', key).update(`${c.chainId}|${c.seq}|${c.hash}|${c.createdAt}|${c.prevSignature}`).digest('hex');
}

// ---- the key

/** The audit key is missing or unusable; the message says what to set. */
export class AuditKeyError extends Error {
  override name = 'AuditKeyError';
}

export interface AuditKeyOptions {
  /** LODESTAR_AUDIT_KEY. */
  key: string | undefined;
  /** LODESTAR_AUDIT_KEY_FILE (absolute). */
  file: string;
  /**
   * May a new key file be created when there is none? Only a server, and only on SQLite when the
   * database holds no checkpoint yet: a new key would make every existing checkpoint look forged,
   * and several servers on one PostgreSQL would each create their own. The CLI never creates one.
   */
  create: boolean;
}

/**
 * The checkpoint key: LODESTAR_AUDIT_KEY, else the key file, else (see `create`) a new key file
 * (mode 0600). Throws AuditKeyError with what to do when there is no usable key.
 */
export async function loadAuditKey(handle: { db: Db; dialect: Dialect }, opts: AuditKeyOptions): Promise<string> {
  if (opts.key) {
    if (opts.key.length < MIN_AUDIT_KEY_LENGTH) throw new AuditKeyError(`LODESTAR_AUDIT_KEY must be at least ${MIN_AUDIT_KEY_LENGTH} characters.`);
    return opts.key;
  }
  if (fs.existsSync(opts.file)) {
    const key = fs.readFileSync(opts.file, 'utf8').trim();
    if (key.length < MIN_AUDIT_KEY_LENGTH) {
      throw new AuditKeyError(`The audit key file ${opts.file} holds ${key.length} characters; an audit key must be at least ${MIN_AUDIT_KEY_LENGTH}.`);
    }
    return key;
  }
  const where = `Set LODESTAR_AUDIT_KEY, or LODESTAR_AUDIT_KEY_FILE to the key file (looked for ${opts.file})`;
  if (!opts.create) {
    throw new AuditKeyError(`No audit key: ${where}, with the key the server signs checkpoints with.`);
  }
  if (handle.dialect === 'postgres') {
    throw new AuditKeyError(
      `No audit key. On PostgreSQL every server must sign with the same key: set LODESTAR_AUDIT_KEY (32+ characters) on each, or provide the key file ${opts.file}.`,
    );
  }
  const signed = await handle.db.selectFrom('audit_checkpoints').select('id').limit(1).executeTakeFirst();
  if (signed) {
    throw new AuditKeyError(
      `The audit trail has signed checkpoints but the key that signed them is missing. ${where}. A new key would make every checkpoint look forged, so none is created.`,
    );
  }
  fs.mkdirSync(path.dirname(opts.file), { recursive: true });
  const key = randomBytes(32).toString('hex');
  fs.writeFileSync(opts.file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

// ---- signing

export interface SignedCheckpoint {
  chainId: string;
  seq: number;
  hash: string;
  createdAt: string;
  signature: string;
}

/** Sign the head of every chain that moved since its last checkpoint. Returns what was signed. */
export async function writeCheckpoints(db: Db, clock: Clock, key: string): Promise<SignedCheckpoint[]> {
  const heads = await db.selectFrom('audit_chains').select(['chain_id', 'last_seq']).orderBy('chain_id').execute();
  const written: SignedCheckpoint[] = [];
  for (const head of heads) {
    if (Number(head.last_seq) === 0) continue;
    const latest = await newestCheckpoint(db, head.chain_id);
    if (latest && Number(latest.seq) >= Number(head.last_seq)) continue;
    const cp = await db.transaction().execute(async (trx) => {
      // Take the chain's row lock (a no-op update): its appenders and any other server signing
      // the same chain wait, so the head is stable and two checkpoints never sign the same
      // predecessor (which would fork the checkpoint chain).
      const locked = await trx
        .updateTable('audit_chains')
        .set({ last_seq: sql<number>`last_seq` })
        .where('chain_id', '=', head.chain_id)
        .returning(['last_seq', 'last_hash'])
        .executeTakeFirstOrThrow();
      const prev = await newestCheckpoint(trx, head.chain_id);
      const seq = Number(locked.last_seq);
      if (prev && Number(prev.seq) >= seq) return undefined;
      const fields: CheckpointFields = {
        chainId: head.chain_id,
        seq,
        hash: locked.last_hash,
        createdAt: clock.now().toISOString(),
        prevSignature: prev?.signature ?? GENESIS_SIGNATURE,
      };
      const signature = signCheckpoint(key, fields);
      await trx
        .insertInto('audit_checkpoints')
        .values({ id: newId(), chain_id: fields.chainId, seq, hash: fields.hash, created_at: fields.createdAt, signature })
        .execute();
      return { chainId: fields.chainId, seq, hash: fields.hash, createdAt: fields.createdAt, signature };
    });
    if (cp) written.push(cp);
  }
  return written;
}

const newestCheckpoint = (db: Db, chainId: string) =>
  db
    .selectFrom('audit_checkpoints')
    .select(['seq', 'hash', 'created_at', 'signature'])
    .where('chain_id', '=', chainId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();

/** The newest checkpoint of every chain: what an operator archives outside the database. */
export async function newestCheckpoints(db: Db): Promise<SignedCheckpoint[]> {
  const chains = await db.selectFrom('audit_chains').select('chain_id').orderBy('chain_id').execute();
  const out: SignedCheckpoint[] = [];
  for (const { chain_id: chainId } of chains) {
    const cp = await newestCheckpoint(db, chainId);
    if (cp) out.push({ chainId, seq: Number(cp.seq), hash: cp.hash, createdAt: cp.created_at, signature: cp.signature });
  }
  return out;
}

// ---- verification

export type VerifyProblemKind =
  | 'hash_mismatch'
  | 'broken_link'
  | 'sequence_gap'
  | 'checkpoint_signature'
  | 'checkpoint_mismatch'
  | 'checkpoint_missing'
  | 'head_mismatch';

export interface VerifyProblem {
  chainId: string;
  seq: number;
  kind: VerifyProblemKind;
  message: string;
}

/** One verified chain: its last event and its newest signed checkpoint. */
export interface ChainHead {
  chainId: string;
  lastSeq: number;
  /** 0 when the chain has no checkpoint. */
  checkpointSeq: number;
  /** When the newest checkpoint was signed (covered by its signature); null when none. */
  checkpointAt: string | null;
}

export interface VerifyReport {
  ok: boolean;
  chains: number;
  events: number;
  checkpoints: number;
  /** When the most recent checkpoint of the verified chains was signed; null when none. */
  newestCheckpointAt: string | null;
  /** The chains verified, in order (up to and including the one with the problem). */
  heads: ChainHead[];
  problem?: VerifyProblem;
}

export interface VerifyOptions {
  /** Verify only this chain (an organization id, or `system`); all chains when absent. */
  chainId?: string | undefined;
  /** The time events are judged against; pass the caller's clock. Defaults to the system clock. */
  now?: Date | undefined;
  /** Events older than this must be covered by a signed checkpoint. Default MAX_UNCHECKPOINTED_MS. */
  maxUncheckpointedMs?: number | undefined;
}

const PAGE = 5000;

/** Walk every chain (or one) from its first event; stop at the first problem. */
export async function verifyAudit(db: Db, key: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const now = opts.now ?? systemClock.now();
  const graceMs = opts.maxUncheckpointedMs ?? MAX_UNCHECKPOINTED_MS;
  const cutoff = now.getTime() - graceMs;
  let query = db.selectFrom('audit_chains').selectAll().orderBy('chain_id');
  if (opts.chainId !== undefined) query = query.where('chain_id', '=', opts.chainId);
  const chainRows = await query.execute();

  let events = 0;
  let checkpoints = 0;
  const heads: ChainHead[] = [];
  const report = (problem?: VerifyProblem): VerifyReport => {
    const times = heads.map((h) => h.checkpointAt).filter((t): t is string => t !== null);
    const newestCheckpointAt = times.length ? times.reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b)) : null;
    return { ok: !problem, chains: chainRows.length, events, checkpoints, newestCheckpointAt, heads, ...(problem && { problem }) };
  };

  for (const chain of chainRows) {
    const chainId = chain.chain_id;
    const cps = await db.selectFrom('audit_checkpoints').selectAll().where('chain_id', '=', chainId).orderBy('seq').execute();
    const head: ChainHead = { chainId, lastSeq: 0, checkpointSeq: 0, checkpointAt: null };
    heads.push(head);

    // The checkpoints of a chain are chained by signature: each covers the one before it.
    const expectedAt = new Map<number, string>();
    let prevSignature = GENESIS_SIGNATURE;
    for (const cp of cps) {
      const seq = Number(cp.seq);
      const expected = signCheckpoint(key, { chainId, seq, hash: cp.hash, createdAt: cp.created_at, prevSignature });
      if (!safeEqual(expected, cp.signature)) {
        return report({
          chainId,
          seq,
          kind: 'checkpoint_signature',
          message: `Checkpoint at ${chainId}#${seq} has an invalid signature: it was forged, or a checkpoint before it was removed.`,
        });
      }
      expectedAt.set(seq, cp.hash);
      prevSignature = cp.signature;
      head.checkpointSeq = seq;
      head.checkpointAt = cp.created_at;
    }

    let prev = GENESIS_HASH;
    let lastSeq = 0;
    /** The last event written before the cutoff: a signed checkpoint must cover it. */
    let mustBeCovered = 0;
    for (;;) {
      const rows = await db
        .selectFrom('audit_events')
        .selectAll()
        .where('chain_id', '=', chainId)
        .where('seq', '>', lastSeq)
        .orderBy('seq')
        .limit(PAGE)
        .execute();
      for (const row of rows) {
        const seq = Number(row.seq);
        if (seq !== lastSeq + 1) {
          return report({ chainId, seq: lastSeq + 1, kind: 'sequence_gap', message: `Event ${chainId}#${lastSeq + 1} is missing.` });
        }
        if (row.prev_hash !== prev) {
          return report({ chainId, seq, kind: 'broken_link', message: `Event ${chainId}#${seq} does not link to the event before it.` });
        }
        if (eventHash({ ...row, seq }) !== row.hash) {
          return report({ chainId, seq, kind: 'hash_mismatch', message: `Event ${chainId}#${seq} was changed after it was written.` });
        }
        const cpHash = expectedAt.get(seq);
        if (cpHash !== undefined) {
          if (cpHash !== row.hash) {
            return report({ chainId, seq, kind: 'checkpoint_mismatch', message: `The chain at ${chainId}#${seq} differs from its signed checkpoint.` });
          }
          checkpoints++;
          expectedAt.delete(seq);
        }
        if (Date.parse(row.occurred_at) < cutoff) mustBeCovered = seq;
        prev = row.hash;
        lastSeq = seq;
        head.lastSeq = seq;
        events++;
      }
      if (rows.length < PAGE) break;
    }
    const missing = [...expectedAt.keys()].sort((a, b) => a - b)[0];
    if (missing !== undefined) {
      return report({ chainId, seq: missing, kind: 'checkpoint_mismatch', message: `Events up to signed checkpoint ${chainId}#${missing} are missing.` });
    }
    if (Number(chain.last_seq) !== lastSeq || chain.last_hash !== prev) {
      return report({ chainId, seq: lastSeq, kind: 'head_mismatch', message: `The head of chain ${chainId} does not match its last event.` });
    }
    if (mustBeCovered > head.checkpointSeq) {
      const minutes = Math.round(graceMs / 60_000);
      const since = head.checkpointAt ? `its newest checkpoint is #${head.checkpointSeq}, signed ${head.checkpointAt}` : 'it has no checkpoint at all';
      return report({
        chainId,
        seq: head.checkpointSeq + 1,
        kind: 'checkpoint_missing',
        message:
          `Events ${chainId}#${head.checkpointSeq + 1}–${mustBeCovered} are more than ${minutes} minute(s) old but no signed checkpoint covers them (${since}): ` +
          'checkpoints were deleted, or no server has signed this chain since.',
      });
    }
  }
  return report();
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

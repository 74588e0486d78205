/**
 * Signed checkpoints and verification of the audit trail.
 *
 * A checkpoint records a chain's head (seq, hash) signed with HMAC-SHA256 under a key kept
 * outside the database. Someone who rewrites events and recomputes every hash from inside the
 * database still cannot produce a checkpoint that matches: `verifyAudit` reports the first
 * broken link or checkpoint. Events after the newest checkpoint are protected by the chain only
 * until the next checkpoint (the interval is set in app.ts).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/database.js';
import type { Clock } from '../clock.js';
import { newId } from '../ids.js';
import { eventHash, GENESIS_HASH } from './audit.js';

export function signCheckpoint(key: string, chainId: string, seq: number, hash: string, createdAt: string): string {
  return createHmac('sha256', key).update(`${chainId}|${seq}|${hash}|${createdAt}`).digest('hex');
}

/** The checkpoint key: from the environment, else a key file created on first use (mode 0600). */
export function loadAuditKey(opts: { key: string | undefined; file: string }): string {
  if (opts.key) return opts.key;
  if (fs.existsSync(opts.file)) return fs.readFileSync(opts.file, 'utf8').trim();
  fs.mkdirSync(path.dirname(opts.file), { recursive: true });
  const key = randomBytes(32).toString('hex');
  fs.writeFileSync(opts.file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

/** Sign the head of every chain that moved since its last checkpoint. Returns how many were written. */
export async function writeCheckpoints(db: Db, clock: Clock, key: string): Promise<number> {
  const heads = await db.selectFrom('audit_chains').select(['chain_id', 'last_seq', 'last_hash']).execute();
  let written = 0;
  for (const head of heads) {
    const latest = await db
      .selectFrom('audit_checkpoints')
      .select(['seq'])
      .where('chain_id', '=', head.chain_id)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    const seq = Number(head.last_seq);
    if (seq === 0 || (latest && Number(latest.seq) >= seq)) continue;
    const createdAt = clock.now().toISOString();
    await db
      .insertInto('audit_checkpoints')
      .values({
        id: newId(),
        chain_id: head.chain_id,
        seq,
        hash: head.last_hash,
        created_at: createdAt,
        signature: signCheckpoint(key, head.chain_id, seq, head.last_hash, createdAt),
      })
      .execute();
    written++;
  }
  return written;
}

export interface VerifyProblem {
  chainId: string;
  seq: number;
  kind: 'hash_mismatch' | 'broken_link' | 'sequence_gap' | 'checkpoint_signature' | 'checkpoint_mismatch' | 'head_mismatch';
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  chains: number;
  events: number;
  checkpoints: number;
  problem?: VerifyProblem;
}

const PAGE = 5000;

/** Walk every chain from its first event; stop at the first problem. */
export async function verifyAudit(db: Db, key: string): Promise<VerifyReport> {
  const heads = await db.selectFrom('audit_chains').selectAll().orderBy('chain_id').execute();
  let events = 0;
  let checkpoints = 0;
  const fail = (problem: VerifyProblem): VerifyReport => ({ ok: false, chains: heads.length, events, checkpoints, problem });

  for (const head of heads) {
    const chainId = head.chain_id;
    const cps = await db.selectFrom('audit_checkpoints').selectAll().where('chain_id', '=', chainId).orderBy('seq').execute();
    const expectedAt = new Map<number, string>();
    for (const cp of cps) {
      const expected = signCheckpoint(key, chainId, Number(cp.seq), cp.hash, cp.created_at);
      if (!safeEqual(expected, cp.signature)) {
        return fail({ chainId, seq: Number(cp.seq), kind: 'checkpoint_signature', message: `Checkpoint at ${chainId}#${cp.seq} has an invalid signature.` });
      }
      expectedAt.set(Number(cp.seq), cp.hash);
    }

    let prev = GENESIS_HASH;
    let lastSeq = 0;
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
          return fail({ chainId, seq: lastSeq + 1, kind: 'sequence_gap', message: `Event ${chainId}#${lastSeq + 1} is missing.` });
        }
        if (row.prev_hash !== prev) {
          return fail({ chainId, seq, kind: 'broken_link', message: `Event ${chainId}#${seq} does not link to the event before it.` });
        }
        if (eventHash({ ...row, seq }) !== row.hash) {
          return fail({ chainId, seq, kind: 'hash_mismatch', message: `Event ${chainId}#${seq} was changed after it was written.` });
        }
        const cpHash = expectedAt.get(seq);
        if (cpHash !== undefined) {
          if (cpHash !== row.hash) {
            return fail({ chainId, seq, kind: 'checkpoint_mismatch', message: `The chain at ${chainId}#${seq} differs from its signed checkpoint.` });
          }
          checkpoints++;
          expectedAt.delete(seq);
        }
        prev = row.hash;
        lastSeq = seq;
        events++;
      }
      if (rows.length < PAGE) break;
    }
    const missing = [...expectedAt.keys()].sort((a, b) => a - b)[0];
    if (missing !== undefined) {
      return fail({ chainId, seq: missing, kind: 'checkpoint_mismatch', message: `Events up to signed checkpoint ${chainId}#${missing} are missing.` });
    }
    if (Number(head.last_seq) !== lastSeq || head.last_hash !== prev) {
      return fail({ chainId, seq: lastSeq, kind: 'head_mismatch', message: `The head of chain ${chainId} does not match its last event.` });
    }
  }
  return { ok: true, chains: heads.length, events, checkpoints };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

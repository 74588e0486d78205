/**
 * Reads of participant data are audited one row per request, batched: entries wait here at most
 * `flushMs` (default 500 ms, well inside the one-second promise) and are written together in one
 * transaction. A batch that fails to write goes back to the front of the queue and is retried
 * `flushMs` later, without waiting for another read. `close()` flushes what is left.
 */
import type { Db } from '../db/database.js';
import type { Clock } from '../clock.js';
import { appendAudit, type AuditEntry } from './audit.js';

export interface AuditReadBuffer {
  record: (entry: AuditEntry) => void;
  flush: () => Promise<void>;
  close: () => Promise<void>;
}

export function createAuditReadBuffer(
  db: Db,
  clock: Clock,
  opts: { flushMs?: number; maxBatch?: number; onError?: (err: unknown) => void } = {},
): AuditReadBuffer {
  const flushMs = opts.flushMs ?? 500;
  const maxBatch = opts.maxBatch ?? 500;
  let pending: AuditEntry[] = [];
  let inFlight: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const arm = () => {
    if (timer || closed) return;
    timer = setTimeout(() => void flush(), flushMs);
    timer.unref();
  };

  const flush = (): Promise<void> => {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    const batch = pending;
    pending = [];
    if (batch.length === 0) return inFlight;
    inFlight = inFlight.then(() =>
      db
        .transaction()
        .execute((trx) => appendAudit(trx, clock, batch))
        .catch((err: unknown) => {
          // Keep the entries and retry them on a timer: the next read may be a long way off.
          pending = batch.concat(pending);
          opts.onError?.(err);
          arm();
        }),
    );
    return inFlight;
  };

  return {
    record(entry) {
      pending.push(entry);
      if (pending.length >= maxBatch) void flush();
      else arm();
    },
    flush,
    async close() {
      closed = true;
      await flush();
      await inFlight;
    },
  };
}

/**
 * Reads of participant data are audited one row per request, batched: entries wait here at most
 * `flushMs` (default 500 ms, well inside the one-second promise) and are written together in one
 * transaction. `close()` flushes what is left.
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
          // Keep the entries: they are retried with the next flush rather than lost.
          pending = batch.concat(pending);
          opts.onError?.(err);
        }),
    );
    return inFlight;
  };

  return {
    record(entry) {
      pending.push(entry);
      if (pending.length >= maxBatch) void flush();
      else if (!timer) {
        timer = setTimeout(() => void flush(), flushMs);
        timer.unref();
      }
    },
    flush,
    async close() {
      await flush();
      await inFlight;
    },
  };
}

/**
 * Boot: config → database → migrate → app → listen, and the background work of a running
 * server (audit checkpoints, purging old idempotency keys, the outbox). Shutdown flushes audit
 * reads and signs a last checkpoint before closing the database. Any number of these may run
 * against one PostgreSQL (docs/SCALING.md says what coordinates them).
 */
import type { Config } from './platform/config.js';
import { systemClock, type Clock } from './platform/clock.js';
import { openDatabase, type DatabaseHandle } from './platform/db/database.js';
import { migrateToLatest } from './migrations/index.js';
import { CHECKPOINT_INTERVAL_MS, loadAuditKey, writeCheckpoints } from './platform/audit/checkpoints.js';
import { createAuditReadBuffer } from './platform/audit/read-buffer.js';
import { purgeExpiredIdempotencyKeys } from './platform/http/idempotency.js';
import { purgeOldSessions } from './platform/auth/housekeeping.js';
import { purgeOldTokens } from './platform/auth/one-time-tokens.js';
import { purgeRateLimits } from './platform/http/rate-limit-store.js';
import { claimTick } from './platform/db/coordination.js';
import { newId } from './platform/ids.js';
import { buildApp, type App } from './app.js';
import { issueSetupLink } from './modules/auth/auth.usecases.js';
import { createOutboxWorker } from './platform/messaging/outbox.js';
import { messagingFromEnv, providersFor, type MessagingSettings } from './platform/messaging/providers.js';
import { appointmentRenderers } from './modules/appointments/appointments.reminders.js';
import { LINK_TEMPLATE, linkRenderer } from './modules/participant-links/participant-links.usecases.js';

export interface RunningServer {
  app: App;
  handle: DatabaseHandle;
  url: string;
  setupLink: string | undefined;
  close: () => Promise<void>;
}

export async function startServer(
  config: Config,
  opts: { clock?: Clock; listen?: boolean; messaging?: MessagingSettings; /** How often the outbox worker looks for due messages (tests). */ outboxIntervalMs?: number } = {},
): Promise<RunningServer> {
  const clock = opts.clock ?? systemClock;
  const handle = openDatabase(config.databaseUrl);
  await migrateToLatest(handle.db);
  // SQLite plans queries from table statistics; without them a search can walk a whole index.
  // `optimize` gathers what is missing or stale (cheap when nothing changed); PostgreSQL's
  // autovacuum does the same on its own.
  handle.sqlite?.pragma('optimize=0x10002');
  let auditKey: string;
  try {
    // A key file is created only for a SQLite database with no checkpoints yet (see loadAuditKey).
    auditKey = await loadAuditKey(handle, { key: config.auditKey, file: config.auditKeyFile, create: true });
  } catch (err) {
    await handle.destroy();
    throw err;
  }
  const auditReads = createAuditReadBuffer(handle.db, clock, {
    onError: (err) => app.log.error({ err }, 'audit read batch failed; will retry'),
  });
  const app = await buildApp({ db: handle.db, dialect: handle.dialect, clock, config, auditKey, auditReads });

  const checkpoint = async () => {
    try {
      await writeCheckpoints(handle.db, clock, auditKey);
    } catch (err) {
      app.log.error({ err }, 'audit checkpoint failed');
    }
  };
  // Several processes may share one PostgreSQL: each interval's housekeeping runs in the one
  // process that claims it (platform/db/coordination.ts). Checkpoints would be safe anyway (the
  // chain's row lock), but N processes signing every chain every minute is N times the work.
  const processId = `${process.pid}-${newId()}`;
  const claimed = (name: string, intervalMs: number, run: () => Promise<void>) => async () => {
    try {
      if (!(await claimTick(handle.db, name, processId, clock.now(), intervalMs))) return;
    } catch (err) {
      app.log.error({ err }, 'scheduled task could not be claimed');
      return;
    }
    await run();
  };
  // Hourly housekeeping: expired idempotency keys and rate-limit windows, and sessions and links long finished.
  const purge = async () => {
    const now = clock.now();
    try {
      await purgeExpiredIdempotencyKeys(handle.db, now);
      await purgeRateLimits(handle.db, now);
      await purgeOldSessions(handle.db, now);
      await purgeOldTokens(handle.db, now);
      handle.sqlite?.pragma('optimize');
    } catch (err) {
      app.log.error({ err }, 'purge failed');
    }
  };
  const timers = [
    setInterval(() => void claimed('audit_checkpoint', CHECKPOINT_INTERVAL_MS, checkpoint)(), CHECKPOINT_INTERVAL_MS),
    setInterval(() => void claimed('purge', 3_600_000, purge)(), 3_600_000),
  ];
  for (const t of timers) t.unref();
  // The message outbox: reminders to participants, sent by their channel's provider.
  const messaging = providersFor(opts.messaging ?? messagingFromEnv(process.env), app.log);
  const outbox = createOutboxWorker({ db: handle.db, dialect: handle.dialect, clock, providers: messaging.providers, renderers: { ...appointmentRenderers, [LINK_TEMPLATE]: linkRenderer(config.publicUrl) }, log: app.log });
  outbox.start(opts.outboxIntervalMs);

  let url = config.publicUrl;
  if (opts.listen !== false) {
    const address = await app.listen({ port: config.port, host: config.host });
    url = config.port === 0 ? address : config.publicUrl;
  }
  const setupLink = await issueSetupLink({ db: handle.db, clock, config });

  let closed = false;
  return {
    app,
    handle,
    url,
    setupLink,
    async close() {
      if (closed) return;
      closed = true;
      for (const t of timers) clearInterval(t);
      await outbox.stop();
      messaging.close();
      await app.close();
      await auditReads.close();
      await checkpoint();
      await handle.destroy();
    },
  };
}

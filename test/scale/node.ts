/**
 * Child process for the scale-out test: one real Lodestar server (`startServer`, what `npm start`
 * runs) configured from the environment, with the outbox worker polling every
 * LODESTAR_TEST_OUTBOX_MS so the test does not wait 15 seconds. Prints `ready <url>` once it
 * listens; SIGTERM closes it as main.ts does (flush audit reads, sign a last checkpoint).
 */
import { loadConfig } from '../../src/server/platform/config.js';
import { startServer } from '../../src/server/server.js';

const server = await startServer(loadConfig(), { outboxIntervalMs: Number(process.env.LODESTAR_TEST_OUTBOX_MS ?? 15_000) });
process.stdout.write(`ready ${server.url}\n`);
process.on('SIGTERM', () => {
  server.close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
});

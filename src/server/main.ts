/** `npm start`: serve Lodestar until SIGINT/SIGTERM. */
import { loadConfig } from './platform/config.js';
import { startServer } from './server.js';

export async function main(): Promise<void> {
  const started = performance.now();
  const config = loadConfig();
  const server = await startServer(config);
  const engine = server.handle.dialect === 'sqlite' ? `SQLite (${server.handle.file ?? 'in memory'})` : 'PostgreSQL';
  console.log(`Lodestar is running at ${config.publicUrl} on ${engine}, ready in ${Math.round(performance.now() - started)} ms.`);
  if (server.setupLink) {
    console.log('\nNo administrator exists yet. Open this one-time link to create the first one:');
    console.log(`\n  ${server.setupLink}\n`);
    console.log('The link works once and expires in 24 hours; restarting Lodestar prints a new one.');
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

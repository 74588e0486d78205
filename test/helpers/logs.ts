/**
 * A test app whose log lines are captured instead of discarded, to check what the server writes
 * to its logs. Otherwise the same as `createTestApp` (real migrations, fixed clock).
 */
import type { Config } from '../../src/server/platform/config.js';
import { createTestApp, type TestApp } from './app.js';

export async function createLoggingTestApp(opts: { logLevel?: string; config?: Partial<Config> } = {}): Promise<TestApp & { logLines: string[] }> {
  const logLines: string[] = [];
  const t = await createTestApp({
    config: { logLevel: opts.logLevel ?? 'info', ...opts.config },
    logStream: { write: (line: string) => void logLines.push(line) },
  });
  return { ...t, logLines };
}

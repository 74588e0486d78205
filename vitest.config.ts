/**
 * Three projects: the server suite on in-memory SQLite, the same suite on PostgreSQL, and the
 * browser tests in Debian's Chromium. PostgreSQL and Chromium are optional locally (the run says
 * which suites it skipped and why) and required in CI (LODESTAR_REQUIRE_PG=1,
 * LODESTAR_REQUIRE_BROWSER=1 turn a missing one into a failure).
 */
import os from 'node:os';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { probePostgres, findChromium } from './test/helpers/environment.js';

const SERVER_TESTS = ['src/**/*.test.ts', 'test/**/*.test.ts'];

export default defineConfig(async () => {

  const pg = await probePostgres();
  const chromium = findChromium();
  const required = (name: string) => process.env[name] === '1' || process.env[name] === 'true';
  // Worker processes load this file again; say what is skipped once.
  const warn = (message: string) => {
    if (process.env.LODESTAR_SKIP_NOTICE_SHOWN?.includes(message)) return;
    console.warn(`\n[lodestar] ${message}\n`);
    process.env.LODESTAR_SKIP_NOTICE_SHOWN = `${process.env.LODESTAR_SKIP_NOTICE_SHOWN ?? ''}|${message}`;
  };

  if (!pg.ok) {
    if (required('LODESTAR_REQUIRE_PG')) throw new Error(`PostgreSQL tests are required but cannot run: ${pg.reason}`);
    warn(`Skipping the PostgreSQL suite: ${pg.reason}`);
  }
  if (!chromium.ok) {
    if (required('LODESTAR_REQUIRE_BROWSER')) throw new Error(`Browser tests are required but cannot run: ${chromium.reason}`);
    warn(`Skipping the browser suite: ${chromium.reason}`);
  }

  const projects: TestProjectInlineConfiguration[] = [
    {
      extends: true,
      test: { name: 'sqlite', include: SERVER_TESTS, env: { LODESTAR_TEST_DB: 'sqlite' } },
    },
  ];
  if (pg.ok) {
    projects.push({
      extends: true,
      test: { name: 'postgres', include: SERVER_TESTS, env: { LODESTAR_TEST_DB: 'postgres', LODESTAR_TEST_PG_URL: pg.url } },
    });
  }
  if (chromium.ok) {
    projects.push({
      extends: true,
      test: {
        name: 'browser',
        include: ['test/e2e/**/*.spec.ts'],
        env: { LODESTAR_CHROMIUM: chromium.path },
        // One browser for every spec: the specs run one after another in a single worker.
        fileParallelism: false,
        maxWorkers: 1,
        globalSetup: ['test/e2e/global-setup.ts'],
        testTimeout: 60_000,
        hookTimeout: 120_000,
      },
    });
  }

  return {
    test: {
      projects,
      pool: 'forks' as const,
      // Vitest's default is one worker fewer than the cores: ONE on this 2-core machine, so the
      // server suites ran file after file. Test files wait on PostgreSQL and child processes as
      // much as they compute, so use every core (the browser specs still run one at a time).
      maxWorkers: Math.max(2, os.availableParallelism()),
      testTimeout: 20_000,
      hookTimeout: 30_000,
      reporters: ['default'] as string[],
    },
  };
});

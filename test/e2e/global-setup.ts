/**
 * Browser suite setup: build the web app (when its sources changed), then start real Lodestar
 * servers in this process, each on its own free port with a fresh SQLite file, so every spec
 * file gets a first run of its own. Specs read the addresses and setup links with
 * `inject('lodestar')`. Everything stops and the files are removed afterwards.
 */
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { buildWeb } from '../../scripts/build.mjs';
import { loadConfig } from '../../src/server/platform/config.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { E2E_SPECS, type E2eServer, type E2eServers } from './support/context.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function start(dir: string): Promise<{ info: E2eServer; server: RunningServer }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    DATABASE_URL: `sqlite:${path.join(dir, 'e2e.db')}`,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    LODESTAR_AUDIT_KEY: 'e2e-audit-key-0123456789abcdef0123456789',
    LODESTAR_AUDIT_KEY_FILE: path.join(dir, 'audit.key'),
    LOG_LEVEL: 'warn',
    WEB_DIST: path.join(root, 'dist/web'),
  });
  const server = await startServer(config);
  if (!server.setupLink) throw new Error('A fresh database should need setup, but the server printed no setup link');
  return { info: { url, setupLink: server.setupLink }, server };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  // Vitest runs with NODE_ENV=test; the app under test must be the production build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await buildWeb({ quiet: true });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lodestar-e2e-'));
  const running = [] as Awaited<ReturnType<typeof start>>[];
  const servers = {} as E2eServers;
  for (const name of E2E_SPECS) {
    await fs.mkdir(path.join(dir, name));
    const s = await start(path.join(dir, name));
    running.push(s);
    servers[name] = s.info;
  }
  project.provide('lodestar', servers);
  console.log(`[e2e] web app built and ${E2E_SPECS.length} servers started in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return async () => {
    await Promise.allSettled(running.map((r) => r.server.close()));
    await fs.rm(dir, { recursive: true, force: true });
  };
}

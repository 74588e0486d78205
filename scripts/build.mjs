// Builds the web app into dist/web when its sources changed since the last build (or with --force).
// `npm start` calls this first, so a fresh clone needs no separate build step.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist/web');
const stamp = path.join(outDir, '.build-stamp');
const inputs = ['src/web', 'src/contracts', 'index.html', 'vite.config.ts', 'package-lock.json'].map((p) => path.join(root, p));

function newestMtime(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

export function webIsStale() {
  if (!fs.existsSync(stamp)) return true;
  const built = fs.statSync(stamp).mtimeMs;
  return inputs.some((p) => newestMtime(p) > built);
}

export async function buildWeb({ force = false, quiet = false } = {}) {
  if (!force && !webIsStale()) return false;
  const started = Date.now();
  if (!quiet) console.log('Building the web app…');
  const { build } = await import('vite');
  await build({ root, configFile: path.join(root, 'vite.config.ts'), logLevel: quiet ? 'warn' : 'info' });
  fs.writeFileSync(stamp, new Date().toISOString());
  if (!quiet) console.log(`Web app built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildWeb({ force: process.argv.includes('--force') });
}

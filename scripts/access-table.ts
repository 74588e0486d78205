/**
 * `node --import tsx scripts/access-table.ts`: rewrite the "Permissions by role" table in
 * docs/ARCHITECTURE.md from the permission registry (src/server/permissions.ts), in registry
 * order. test/security/access-table.test.ts compares the two cell by cell; run this after
 * changing a module's policies, then read the diff: it is the access change under review.
 */
import fs from 'node:fs';
import { ROLES } from '../src/contracts/roles.js';
import { PERMISSIONS } from '../src/server/permissions.js';

const file = new URL('../docs/ARCHITECTURE.md', import.meta.url);
const doc = fs.readFileSync(file, 'utf8');
const heading = '### Permissions by role';
const at = doc.indexOf(heading);
if (at === -1) throw new Error(`docs/ARCHITECTURE.md has no "${heading}" section`);
const lines = doc.slice(at).split('\n');
const start = lines.findIndex((l) => l.startsWith('|'));
const end = lines.findIndex((l, i) => i > start && !l.startsWith('|'));
const table = [
  `| permission | ${ROLES.join(' | ')} |`,
  `|${'---|'.repeat(ROLES.length + 1)}`,
  ...Object.entries(PERMISSIONS).map(([p, roles]) => `| \`${p}\` | ${ROLES.map((r) => ((roles as readonly string[]).includes(r) ? '✓' : '')).join(' | ')} |`),
];
const next = [...lines.slice(0, start), ...table, ...lines.slice(end)].join('\n');
fs.writeFileSync(file, doc.slice(0, at) + next);
console.log(`docs/ARCHITECTURE.md: ${Object.keys(PERMISSIONS).length} permissions × ${ROLES.length} roles`);

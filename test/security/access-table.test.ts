/**
 * The access table in docs/ARCHITECTURE.md ("Permissions by role") is the registry, cell by cell:
 * a permission granted or withdrawn in code without the table (or the other way round) fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../../src/contracts/roles.js';
import { PERMISSIONS } from '../../src/server/permissions.js';

function documentedTable(): Map<string, string[]> {
  const doc = readFileSync(new URL('../../docs/ARCHITECTURE.md', import.meta.url), 'utf8');
  const section = doc.split('### Permissions by role')[1];
  if (!section) throw new Error('docs/ARCHITECTURE.md has no "Permissions by role" section');
  // The first table after the heading: its consecutive rows.
  const all = section.split('\n');
  const start = all.findIndex((l) => l.startsWith('|'));
  const end = all.findIndex((l, i) => i > start && !l.startsWith('|'));
  const lines = all.slice(start, end === -1 ? undefined : end);
  const header = lines[0]!.split('|').slice(2, -1).map((c) => c.trim());
  expect(header).toEqual([...ROLES]);
  const table = new Map<string, string[]>();
  for (const line of lines.slice(2)) {
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    const permission = cells[0]!.replace(/`/g, '');
    table.set(permission, header.filter((_, i) => cells[i + 1] === '✓'));
  }
  return table;
}

describe('the documented access table', () => {
  it('lists every permission with exactly the roles the registry grants', () => {
    const documented = documentedTable();
    const inCode = new Map(Object.entries(PERMISSIONS).map(([p, roles]) => [p, ROLES.filter((r) => (roles as readonly string[]).includes(r))]));
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(inCode));
  });
});

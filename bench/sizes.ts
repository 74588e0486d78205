/**
 * `node --import tsx bench/sizes.ts FILE.db` (issue 8, docs/SCALING.md "Sizing, from
 * measurement"): rows and bytes of every table of a generated `state` SQLite database, with its
 * indexes, and the national extrapolation (PRODUCT.md): participant-driven tables × 8 (2,000,000 /
 * 250,000 participants), encounter-driven and audit tables × 10 (100,000,000 / 10,000,000
 * encounters), per-organization tables × 100, staff tables × 50 (see `factor`).
 * Bytes come from SQLite's dbstat table (pages in use, this engine's row format); PostgreSQL rows
 * are larger (a 23-byte header per row, wider UUIDs as text here), so read them as an order of size.
 */
import SQLite from 'better-sqlite3';

const file = process.argv[2];
if (!file) throw new Error('usage: bench/sizes.ts FILE.db');
const db = new SQLite(file, { readonly: true });
/**
 * How each table grows to the national scale: with encounters (×10), with organizations (×100:
 * 2,000 / 20, each with its own programs and directory), with coaches and staff (×50: 100,000 /
 * 2,000), not at all (×1), else with participants (×8).
 */
const ENCOUNTER_DRIVEN = /^(encounters|encounter_|audit_events|audit_event_targets|audit_checkpoints|todos|notifications|outbox)/;
const ORGANIZATION_DRIVEN = /^(organizations|programs|directory_|audit_chains|measure_versions|measure_fact_sets|measure_results)/;
const STAFF_DRIVEN = /^(users|memberships|sites|teams|team_members|partner_links|sessions)$/;
const FIXED = /^(questionnaire_definitions|kysely_|scheduled_tasks|rate_limits|idempotency_keys|one_time_tokens)/;
const factor = (t: string) => (FIXED.test(t) ? 1 : ENCOUNTER_DRIVEN.test(t) ? 10 : ORGANIZATION_DRIVEN.test(t) ? 100 : STAFF_DRIVEN.test(t) ? 50 : 8);

const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[];
const bytes = new Map<string, number>();
for (const r of db.prepare(`SELECT s.name AS name, m.tbl_name AS tbl, SUM(s.pgsize) AS size FROM dbstat s JOIN sqlite_schema m ON m.name = s.name GROUP BY s.name`).all() as { name: string; tbl: string; size: number }[]) {
  const key = r.name === r.tbl ? `${r.tbl}|data` : `${r.tbl}|index`;
  bytes.set(key, (bytes.get(key) ?? 0) + r.size);
}
const mb = (n: number) => Math.round(n / 1e5) / 10;
const rows = tables
  .map(({ name }) => {
    const count = (db.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).get() as { n: number }).n;
    const data = bytes.get(`${name}|data`) ?? 0;
    const index = bytes.get(`${name}|index`) ?? 0;
    return { table: name, rows: count, 'data MB': mb(data), 'index MB': mb(index), 'bytes/row': count ? Math.round((data + index) / count) : 0, '× national': factor(name), 'national rows': count * factor(name), 'national GB': Math.round(((data + index) * factor(name)) / 1e8) / 10 };
  })
  .filter((r) => r.rows > 0)
  .sort((a, b) => b['national GB'] - a['national GB'] || b.rows - a.rows);
console.table(rows);
const sum = (k: 'rows' | 'national rows' | 'data MB' | 'index MB' | 'national GB') => Math.round(rows.reduce((n, r) => n + r[k], 0) * 10) / 10;
console.log(`state: ${sum('rows')} rows, ${sum('data MB')} MB of tables and ${sum('index MB')} MB of indexes; national: ${sum('national rows')} rows, about ${sum('national GB')} GB in SQLite's format`);

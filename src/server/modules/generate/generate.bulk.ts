/**
 * The generator's bulk path into SQLite. Rows go in through better-sqlite3 directly: one prepared
 * multi-row INSERT per table, column list and batch size, reused for every batch (and every
 * organization of a network), with one reused parameter array — no query building per batch.
 * The statements run on the connection Kysely's transaction holds (SQLite has one connection, and
 * the transaction is the connection's), so they commit or roll back with everything else.
 *
 * `withBulkLoad` sets the connection up for loading and puts it back afterwards:
 * - foreign keys are off during the load, then `PRAGMA foreign_key_check` runs over every table
 *   the generator fills and any violation fails the run loudly (the rows are checked once, by
 *   index lookups, instead of row by row as they go in);
 * - for a NEW database only (no participants, no users yet), the rollback journal is kept in
 *   memory and writes are not synced while loading — a crash mid-load leaves a database that was
 *   new anyway — then WAL and FULL sync come back and the file is synced, so from then on the
 *   database is exactly as durable as any other;
 * - a larger page cache while loading, and temporary b-trees (the index builds' sorts) in memory;
 * - the measures cache's insert triggers (migration 0020: every row a measure reads bumps the
 *   organization's `measure_versions` counter and sets the participant's `measure_dirty` version)
 *   are dropped while loading — they were two upserts per row, most of the insert time — and their
 *   effect is written once per organization (`flushMeasures`): the counter advanced by one per
 *   row and each participant's version that of their last row, in the order the rows went in —
 *   the same rows the triggers leave. The triggers are created again from their own definitions.
 * PostgreSQL (no handle) keeps Kysely's multi-row inserts (generate.ts), with the compiled SQL reused.
 */
import fs from 'node:fs';
import v8 from 'node:v8';
import { sql } from 'kysely';
import type SQLite from 'better-sqlite3';
import type { Db } from '../../platform/db/database.js';
import { SQLITE_PRAGMAS } from '../../platform/db/database.js';
import { MEASURE_SOURCE_TABLES } from '../../migrations/0020-measure-facts-cache.js';

/** Bind-parameter budget per statement: below SQLite's 32,766 and PostgreSQL's 65,535. */
export const PARAMS_PER_INSERT = 30_000;

/** Rows per multi-row INSERT for a table of `columns` columns. */
export const batchRows = (columns: number): number => Math.max(1, Math.min(500, Math.floor(PARAMS_PER_INSERT / columns)));

export type RawRow = Record<string, unknown>;

/**
 * Inserts rows of one shape with prepared statements on the raw handle. Returns false (having
 * written nothing) when the rows do not all have the same columns with no value left undefined:
 * the caller then takes the Kysely path, where a left-out column gets its DEFAULT.
 */
export class SqliteBulkWriter {
  private readonly statements = new Map<string, SQLite.Statement>();
  /** Trigger emulation: rows counted since the last flush, and each participant's last row number. */
  private measureRows = 0;
  private readonly measureLast = new Map<string, number>();

  /** `emulateMeasures`: the measure triggers are dropped, so `track` and `flushMeasures` write what they would have. */
  constructor(private readonly sqlite: SQLite.Database, readonly emulateMeasures = false) {}

  /** Called for every batch of rows inserted (by either path), in insertion order. */
  track(table: string, rows: readonly RawRow[]): void {
    if (!this.emulateMeasures) return;
    const source = MEASURE_SOURCE_TABLES.find((t) => t.table === table);
    if (!source) return;
    for (const row of rows) {
      const participant = row[source.participant];
      if (row.organization_id == null || participant == null) continue;
      this.measureLast.set(participant as string, ++this.measureRows);
    }
  }

  /** Writes the measure rows the dropped triggers would have for the rows tracked since the last flush (all of `organizationId`). */
  flushMeasures(organizationId: string): void {
    if (!this.emulateMeasures || this.measureRows === 0) return;
    const current = this.sqlite.prepare('select version from measure_versions where organization_id = ?').get(organizationId) as { version: number } | undefined;
    const base = current ? Number(current.version) : 0;
    this.sqlite
      .prepare('insert into measure_versions (organization_id, version) values (?, ?) on conflict (organization_id) do update set version = excluded.version')
      .run(organizationId, base + this.measureRows);
    const dirty = this.sqlite.prepare(
      'insert into measure_dirty (participant_id, organization_id, version) values (?, ?, ?) on conflict (participant_id) do update set version = excluded.version, organization_id = excluded.organization_id',
    );
    for (const [participant, n] of this.measureLast) dirty.run(participant, organizationId, base + n);
    this.measureRows = 0;
    this.measureLast.clear();
  }

  insert(table: string, input: readonly RawRow[]): boolean {
    if (input.length === 0) return true;
    const columns = Object.keys(input[0]!);
    const width = columns.length;
    for (const row of input) {
      // Same keys in the same order (object literals of one builder), and none undefined.
      let i = 0;
      for (const k in row) {
        if (k !== columns[i] || row[k] === undefined) return false;
        i++;
      }
      if (i !== width) return false;
    }
    // In primary-key order: the ids of dated rows carry their date, and appending to the key's
    // b-tree is much cheaper than inserting all over it (only the rowids differ from generation order).
    const rows = columns[0] === 'id' ? [...input].sort((a, b) => ((a.id as string) < (b.id as string) ? -1 : (a.id as string) > (b.id as string) ? 1 : 0)) : input;
    const size = batchRows(width);
    const head = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values `;
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    const statement = (count: number): SQLite.Statement => {
      const key = `${head}${count}`;
      let s = this.statements.get(key);
      if (!s) {
        s = this.sqlite.prepare(head + Array.from({ length: count }, () => tuple).join(', '));
        this.statements.set(key, s);
      }
      return s;
    };
    const full = rows.length >= size ? statement(size) : undefined;
    const params: unknown[] = new Array(size * width);
    let at = 0;
    for (; at + size <= rows.length; at += size) {
      let p = 0;
      for (let r = at; r < at + size; r++) {
        const row = rows[r]!;
        for (let c = 0; c < width; c++) params[p++] = row[columns[c]!];
      }
      full!.run(params);
    }
    const rest = rows.length - at;
    if (rest > 0) {
      const last: unknown[] = new Array(rest * width);
      let p = 0;
      for (let r = at; r < rows.length; r++) {
        const row = rows[r]!;
        for (let c = 0; c < width; c++) last[p++] = row[columns[c]!];
      }
      statement(rest).run(last);
    }
    return true;
  }
}

/** Tables the bulk path writes besides the deferred-index ones (accounts and memberships). */
const CHECKED_EXTRA = ['users', 'memberships'] as const;

/**
 * Runs `load` with the connection set up for bulk loading (see the top of this file) and a writer
 * for it, then checks every foreign key of `tables` and restores the settings and triggers — also
 * when `load` fails. Without a handle (PostgreSQL, or SQLite reached only through Kysely) `load`
 * runs as it is, with no writer.
 */
export async function withBulkLoad<T>(sqlite: SQLite.Database | undefined, tables: readonly string[], load: (writer: SqliteBulkWriter | undefined) => Promise<T>): Promise<T> {
  if (!sqlite) return load(undefined);
  const isNew =
    (sqlite.prepare('select count(*) as n from participants').get() as { n: number }).n === 0 &&
    (sqlite.prepare('select count(*) as n from users').get() as { n: number }).n === 0;
  const file = sqlite.memory ? undefined : sqlite.name;
  const before = {
    foreignKeys: sqlite.pragma('foreign_keys', { simple: true }) as number,
    cacheSize: sqlite.pragma('cache_size', { simple: true }) as number,
    journalMode: String(sqlite.pragma('journal_mode', { simple: true })),
    synchronous: sqlite.pragma('synchronous', { simple: true }) as number,
    tempStore: sqlite.pragma('temp_store', { simple: true }) as number,
  };
  const triggerNames = MEASURE_SOURCE_TABLES.filter((t) => tables.includes(t.table)).map((t) => `${t.table}_measure_dirty_insert`);
  const triggers = sqlite
    .prepare(`select name, sql from sqlite_master where type = 'trigger' and name in (${triggerNames.map(() => '?').join(', ')}) order by name`)
    .all(...triggerNames) as { name: string; sql: string }[];
  // Emulate only when every source table's trigger is there to drop (otherwise leave them all be).
  const emulate = triggers.length === triggerNames.length && triggers.length > 0;
  sqlite.pragma('foreign_keys = OFF');
  sqlite.pragma('cache_size = -131072'); // 128 MiB while loading
  sqlite.pragma('temp_store = MEMORY');
  if (isNew && file) {
    sqlite.pragma('journal_mode = MEMORY');
    sqlite.pragma('synchronous = OFF');
  }
  if (emulate) for (const t of triggers) sqlite.exec(`drop trigger "${t.name}"`);
  let failed = true;
  try {
    const result = await load(new SqliteBulkWriter(sqlite, emulate));
    failed = false;
    return result;
  } finally {
    try {
      if (emulate) for (const t of triggers) sqlite.exec(t.sql);
      if (!failed) assertForeignKeys(sqlite, [...CHECKED_EXTRA, ...tables]);
    } finally {
      if (isNew && file) {
        sqlite.pragma(`journal_mode = ${before.journalMode === 'memory' ? SQLITE_PRAGMAS.journal_mode : before.journalMode}`);
        sqlite.pragma(`synchronous = ${before.synchronous}`);
        // The load was written without syncing: sync the file now, so it is durable from here on.
        const fd = fs.openSync(file, 'r+');
        try {
          fs.fsyncSync(fd);
        } finally {
          fs.closeSync(fd);
        }
      }
      sqlite.pragma(`cache_size = ${before.cacheSize}`);
      sqlite.pragma(`temp_store = ${before.tempStore}`);
      sqlite.pragma(`foreign_keys = ${before.foreignKeys}`);
    }
  }
}

/** `PRAGMA foreign_key_check` over the tables; throws naming each table and parent with a violation. */
export function assertForeignKeys(sqlite: SQLite.Database, tables: readonly string[]): void {
  const problems: string[] = [];
  for (const table of tables) {
    const rows = sqlite.prepare(`pragma foreign_key_check("${table}")`).all() as { table: string; parent: string }[];
    if (rows.length > 0) problems.push(`${table} → ${rows[0]!.parent} (${rows.length} rows)`);
  }
  if (problems.length > 0) throw new Error(`Generated rows break foreign keys: ${problems.join('; ')}`);
}

/**
 * A larger young generation for the generating process: the generator makes millions of
 * short-lived objects (rows, dates, strings), and with V8's default semi-space the scavenges and
 * the promotions they cause were a fifth of its CPU time. Only raises the ceiling (the space
 * grows when allocation keeps it busy); process-wide, so it is set once, by the generator only.
 */
let youngGenerationRaised = false;
export function raiseYoungGeneration(): void {
  if (youngGenerationRaised) return;
  youngGenerationRaised = true;
  v8.setFlagsFromString('--max-semi-space-size=64');
}

/**
 * Planner statistics for what was just loaded. On SQLite with the handle, ANALYZE samples each
 * index (`analysis_limit`, as `PRAGMA optimize` does) instead of reading all of it: full
 * statistics over a state's tables took longer than the planner gains from them.
 */
export async function analyzeLoaded(db: Db, sqlite?: SQLite.Database): Promise<void> {
  if (!sqlite) {
    await sql`ANALYZE`.execute(db);
    return;
  }
  const before = sqlite.pragma('analysis_limit', { simple: true }) as number;
  sqlite.pragma('analysis_limit = 1000');
  try {
    sqlite.exec('ANALYZE');
  } finally {
    sqlite.pragma(`analysis_limit = ${before}`);
  }
}

/**
 * `lodestar copy-to-postgres --from sqlite:PATH --to postgres://…`: move a program that outgrew
 * one machine from its SQLite file into PostgreSQL, verified.
 *
 * 1. The source must be at this version's schema (every migration applied, none unknown).
 * 2. The target must be empty: no table may hold more rows than the migrations themselves put
 *    there (the shipped questionnaire definitions). It is migrated to the same schema.
 * 3. In ONE PostgreSQL transaction: every table is copied in foreign-key order, in batches (the
 *    source read by rowid, the rows written with multi-row INSERTs). A table that points at itself
 *    (a merged participant, a rescheduled appointment) gets those columns filled after its rows are
 *    in. Then every table is verified — row count and a checksum, both sides — and only then
 *    committed: a copy that does not verify leaves the target as it was.
 * 4. The checksum of a table is the sum (mod 2^256) of the SHA-256 of each row, with each value
 *    normalized by its PostgreSQL type so that both engines agree: instants as ISO-8601 UTC with
 *    milliseconds, dates as YYYY-MM-DD, numbers as JavaScript prints them (`real` at float4
 *    precision, which is what PostgreSQL keeps), text as is. A sum does not depend on row order,
 *    so the two engines' different text collations do not matter, and a table without a primary
 *    key is checked like any other.
 *
 * The audit trail is copied row for row, so its hash chains and signed checkpoints verify on
 * PostgreSQL with the same audit key (`lodestar audit verify` afterwards).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { sql, type Kysely } from 'kysely';
import { openDatabase, type DatabaseHandle } from './database.js';
import { migrateToLatest, migrations } from '../../migrations/index.js';

/** A refusal or failed verification, worded for the operator. */
export class CopyError extends Error {
  override name = 'CopyError';
}

export interface CopyOptions {
  /** `sqlite:PATH` of an existing file. */
  from: string;
  /** `postgres://…` of an empty (or freshly migrated) database. */
  to: string;
  /** Rows per INSERT (capped so no statement passes PostgreSQL's 65,535 parameters). */
  batchSize?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

export interface TableCopy {
  table: string;
  rows: number;
  /** 64 hex digits, the same on both sides. */
  checksum: string;
}

export interface CopyReport {
  tables: TableCopy[];
  rows: number;
  ms: number;
}

interface Column {
  name: string;
  type: string;
  nullable: boolean;
}

interface TableInfo {
  name: string;
  columns: Column[];
  primaryKey: string[];
  /** Tables whose rows this one's foreign keys point at (itself excluded). */
  dependsOn: Set<string>;
  /** Nullable foreign-key columns filled after every row is in (self references, broken cycles). */
  deferred: string[];
}

// Dynamic table names: the copy reads the schema at run time, so Kysely's table types do not apply.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const MAX_PARAMS = 60_000;
const MOD = 1n << 256n;

export async function copyToPostgres(opts: CopyOptions): Promise<CopyReport> {
  const started = performance.now();
  const log = opts.log ?? (() => undefined);
  if (!opts.from.startsWith('sqlite:') || ['sqlite::memory:', 'sqlite:'].includes(opts.from)) throw new CopyError('--from must be sqlite:PATH, the SQLite database file to copy.');
  if (!/^postgres(ql)?:\/\//.test(opts.to)) throw new CopyError('--to must be a postgres:// URL of the database to copy into.');
  const file = opts.from.slice('sqlite:'.length);
  if (!fs.existsSync(file)) throw new CopyError(`There is no SQLite database at ${file}.`);

  const source = openDatabase(opts.from);
  let target: DatabaseHandle | undefined;
  try {
    await checkSourceSchema(source);
    const seeded = await seededCounts();
    target = openDatabase(opts.to, { poolSize: 2 });
    await checkTargetEmpty(target.db, seeded);
    await migrateToLatest(target.db);
    await checkTargetEmpty(target.db, seeded);

    const tables = await schemaOf(target.db);
    checkSourceColumns(source, tables);
    const order = copyOrder(tables);
    const sqlite = source.sqlite!;
    const report: TableCopy[] = [];

    // One read transaction on the source: every table is read from the same snapshot (WAL), so
    // a server still writing cannot tear the copy. (Stop it first anyway: its later writes would
    // not be in the copy.)
    sqlite.exec('BEGIN');
    try {
      await (target.db as unknown as AnyDb).transaction().execute(async (trx) => {
        // The rows are copied as they are: the tables' own triggers (the measures' change
        // counters, the audit trail's append-only guard) stay off until the copy is in, inside
        // this transaction. Foreign keys stay checked (they are not user triggers).
        for (const t of order) await sql`alter table ${sql.table(t.name)} disable trigger user`.execute(trx);
        // What the migrations seeded is replaced by the source's own rows (which include it).
        for (const t of [...order].reverse()) if (seeded.get(t.name)) await trx.deleteFrom(t.name).execute();
        for (const t of order) {
          const rows = await copyTable(sqlite, trx, t, opts.batchSize ?? 1000);
          log(`copied ${t.name}: ${rows} row(s)`);
        }
        for (const t of order) await sql`alter table ${sql.table(t.name)} enable trigger user`.execute(trx);
        await advanceSequences(trx);
        for (const t of order) {
          const from = sourceChecksum(sqlite, t);
          const to = await targetChecksum(trx, t);
          if (from.rows !== to.rows) throw new CopyError(`Verification failed for ${t.name}: ${from.rows} row(s) in SQLite, ${to.rows} in PostgreSQL. Nothing was committed.`);
          if (from.checksum !== to.checksum) throw new CopyError(`Verification failed for ${t.name}: the rows differ (checksums ${from.checksum.slice(0, 12)}… and ${to.checksum.slice(0, 12)}…). Nothing was committed.`);
          report.push({ table: t.name, rows: from.rows, checksum: from.checksum });
        }
      });
    } finally {
      sqlite.exec('COMMIT');
    }
    report.sort((x, y) => (x.table < y.table ? -1 : 1));
    return { tables: report, rows: report.reduce((n, t) => n + t.rows, 0), ms: Math.round(performance.now() - started) };
  } finally {
    await source.destroy();
    await target?.destroy();
  }
}

// ---- checks

async function checkSourceSchema(source: DatabaseHandle): Promise<void> {
  const known = Object.keys(migrations);
  const has = source.sqlite!.prepare(`select name from sqlite_master where type = 'table' and name = 'kysely_migration'`).get();
  if (!has) throw new CopyError('The SQLite database has no Lodestar schema. Check --from.');
  const applied = (source.sqlite!.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map((r) => r.name);
  const unknown = applied.filter((n) => !known.includes(n));
  if (unknown.length) throw new CopyError(`The SQLite database was migrated by a newer Lodestar (${unknown.join(', ')}). Copy it with that version.`);
  const missing = known.filter((n) => !applied.includes(n));
  if (missing.length) throw new CopyError(`The SQLite database is behind this version of Lodestar (missing ${missing.join(', ')}). Run \`DATABASE_URL=sqlite:… lodestar migrate\` on it first.`);
}

/** How many rows the migrations themselves put in each table (a freshly migrated database). */
async function seededCounts(): Promise<Map<string, number>> {
  const fresh = openDatabase('sqlite::memory:');
  try {
    await migrateToLatest(fresh.db);
    const names = (fresh.sqlite!.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'`).all() as { name: string }[]).map((r) => r.name);
    const counts = new Map<string, number>();
    for (const name of names) {
      const n = Number((fresh.sqlite!.prepare(`select count(*) as n from "${name}"`).get() as { n: number }).n);
      if (n) counts.set(name, n);
    }
    return counts;
  } finally {
    await fresh.destroy();
  }
}

async function checkTargetEmpty(db: AnyDb, seeded: Map<string, number>): Promise<void> {
  const { rows } = await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = current_schema() and tablename not like 'kysely\\_%' order by tablename`.execute(db);
  for (const { tablename } of rows) {
    const { rows: c } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(tablename)}`.execute(db);
    const n = Number(c[0]!.n);
    if (n > (seeded.get(tablename) ?? 0)) throw new CopyError(`The PostgreSQL database is not empty (${tablename} holds ${n} row(s)). Copy into a new, empty database.`);
  }
}

async function schemaOf(db: AnyDb): Promise<TableInfo[]> {
  const { rows: cols } = await sql<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>`
    select table_name, column_name, data_type, is_nullable from information_schema.columns
    where table_schema = current_schema() and table_name not like 'kysely\\_%'
    order by table_name, ordinal_position`.execute(db);
  const { rows: keys } = await sql<{ table_name: string; column_name: string; kind: string; ref: string | null }>`
    select c.conrelid::regclass::text as table_name, a.attname as column_name, c.contype::text as kind, c.confrelid::regclass::text as ref
    from pg_constraint c
    join pg_namespace n on n.oid = c.connamespace
    join unnest(c.conkey) with ordinality as k(attnum, pos) on true
    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum
    where n.nspname = current_schema() and c.contype in ('p', 'f')
    order by c.conname, k.pos`.execute(db);
  const tables = new Map<string, TableInfo>();
  for (const c of cols) {
    let t = tables.get(c.table_name);
    if (!t) tables.set(c.table_name, (t = { name: c.table_name, columns: [], primaryKey: [], dependsOn: new Set(), deferred: [] }));
    t.columns.push({ name: c.column_name, type: c.data_type, nullable: c.is_nullable === 'YES' });
  }
  const unquote = (name: string) => name.replace(/^"|"$/g, '');
  for (const k of keys) {
    const t = tables.get(unquote(k.table_name));
    if (!t) continue;
    if (k.kind === 'p') t.primaryKey.push(k.column_name);
    else if (k.ref && unquote(k.ref) === t.name) t.deferred.push(k.column_name);
    else if (k.ref) t.dependsOn.add(unquote(k.ref));
  }
  return [...tables.values()];
}

function checkSourceColumns(source: DatabaseHandle, tables: TableInfo[]): void {
  for (const t of tables) {
    const cols = (source.sqlite!.prepare(`select name from pragma_table_info(?)`).all(t.name) as { name: string }[]).map((r) => r.name);
    if (cols.length === 0) throw new CopyError(`The SQLite database has no table ${t.name}: its schema differs from this version's.`);
    const missing = t.columns.filter((c) => !cols.includes(c.name)).map((c) => c.name);
    const extra = cols.filter((c) => !t.columns.some((x) => x.name === c));
    if (missing.length || extra.length) throw new CopyError(`The table ${t.name} differs between the databases (${[...missing, ...extra].join(', ')}).`);
  }
}

/** Parents before children. A cycle is broken at a nullable foreign key, filled in afterwards. */
function copyOrder(tables: TableInfo[]): TableInfo[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const order: TableInfo[] = [];
  const remaining = () => tables.filter((t) => !done.has(t.name));
  while (order.length < tables.length) {
    const ready = remaining().filter((t) => [...t.dependsOn].every((d) => done.has(d) || !byName.has(d)));
    if (ready.length === 0) throw new CopyError(`The tables ${remaining().map((t) => t.name).join(', ')} depend on each other; this copy cannot order them.`);
    ready.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const t of ready) {
      done.add(t.name);
      order.push(t);
    }
  }
  return order;
}

// ---- copying

async function copyTable(sqlite: NonNullable<DatabaseHandle['sqlite']>, trx: AnyDb, t: TableInfo, batchSize: number): Promise<number> {
  const names = t.columns.map((c) => c.name);
  const perInsert = Math.max(1, Math.min(batchSize, Math.floor(MAX_PARAMS / names.length)));
  const read = sqlite.prepare(`select rowid as "__rowid", ${names.map((n) => `"${n}"`).join(', ')} from "${t.name}" where rowid > ? order by rowid limit ?`);
  const later: { key: Record<string, unknown>; values: Record<string, unknown> }[] = [];
  let last = -Infinity;
  let copied = 0;
  for (;;) {
    const page = read.all(last === -Infinity ? Number.MIN_SAFE_INTEGER : last, perInsert) as Record<string, unknown>[];
    if (page.length === 0) break;
    last = Number(page[page.length - 1]!.__rowid);
    const rows = page.map((r) => {
      const row: Record<string, unknown> = {};
      for (const c of t.columns) row[c.name] = toTarget(r[c.name], c.type);
      if (t.deferred.length) {
        const values = Object.fromEntries(t.deferred.filter((c) => row[c] !== null).map((c) => [c, row[c]]));
        if (Object.keys(values).length) later.push({ key: Object.fromEntries(t.primaryKey.map((k) => [k, row[k]])), values });
        for (const c of t.deferred) row[c] = null;
      }
      return row;
    });
    await trx.insertInto(t.name).values(rows).execute();
    copied += rows.length;
  }
  for (const { key, values } of later) {
    let q = trx.updateTable(t.name).set(values);
    for (const [k, v] of Object.entries(key)) q = q.where(k, '=', v);
    await q.execute();
  }
  return copied;
}

/** A SQLite value as PostgreSQL takes it for a column of `type`. */
function toTarget(v: unknown, type: string): unknown {
  if (v === null || v === undefined) return null;
  if (type === 'boolean') return v === 1 || v === '1' || v === true;
  return v;
}

/** Serial columns (none today) continue after the copied rows' highest value. */
async function advanceSequences(trx: AnyDb): Promise<void> {
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema() and column_default like 'nextval(%'`.execute(trx);
  for (const r of rows) {
    await sql`select setval(pg_get_serial_sequence(${r.table_name}, ${r.column_name}), greatest(1, (select coalesce(max(${sql.ref(r.column_name)}), 0) from ${sql.table(r.table_name)})))`.execute(trx);
  }
}

// ---- verification

/** A scalar as text; an object (JSON read back parsed) as JSON. */
const text = (v: unknown): string => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

/** One value, written the same way whichever engine it was read from. */
export function normalize(v: unknown, type: string): string | null {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'timestamp with time zone':
    case 'timestamp without time zone': {
      const d = v instanceof Date ? v : new Date(text(v));
      return Number.isNaN(d.getTime()) ? text(v) : d.toISOString();
    }
    case 'date':
      return v instanceof Date ? v.toISOString().slice(0, 10) : text(v).slice(0, 10);
    case 'smallint':
    case 'integer':
    case 'bigint':
    case 'numeric':
    case 'double precision':
      return String(Number(v));
    case 'real':
      return String(Math.fround(Number(v)));
    case 'boolean':
      return v === true || v === 1 || v === '1' || v === 't' ? '1' : '0';
    case 'json':
    case 'jsonb':
      return JSON.stringify(typeof v === 'string' ? JSON.parse(v) : v);
    default:
      return Buffer.isBuffer(v) ? v.toString('hex') : text(v);
  }
}

class Checksum {
  rows = 0;
  private sum = 0n;
  add(row: Record<string, unknown>, columns: Column[]): void {
    const digest = createHash('sha256')
      .update(JSON.stringify(columns.map((c) => normalize(row[c.name], c.type))))
      .digest('hex');
    this.sum = (this.sum + BigInt(`0x${digest}`)) % MOD;
    this.rows += 1;
  }
  get checksum(): string {
    return this.sum.toString(16).padStart(64, '0');
  }
}

function sourceChecksum(sqlite: NonNullable<DatabaseHandle['sqlite']>, t: TableInfo): { rows: number; checksum: string } {
  const sum = new Checksum();
  // One pass over the table; iterate() streams without holding every row.
  for (const row of sqlite.prepare(`select * from "${t.name}"`).iterate() as Iterable<Record<string, unknown>>) sum.add(row, t.columns);
  return { rows: sum.rows, checksum: sum.checksum };
}

async function targetChecksum(trx: AnyDb, t: TableInfo): Promise<{ rows: number; checksum: string }> {
  const sum = new Checksum();
  // Pages in physical order (ctid): works for every table, with or without a primary key.
  let last = '(0,0)';
  for (;;) {
    const { rows } = await sql<Record<string, unknown>>`select ctid::text as "__ctid", * from ${sql.table(t.name)} where ctid > ${last}::tid order by ctid limit 5000`.execute(trx);
    if (rows.length === 0) break;
    for (const row of rows) sum.add(row, t.columns);
    last = String(rows[rows.length - 1]!.__ctid);
  }
  return { rows: sum.rows, checksum: sum.checksum };
}

// ---- the command line

export const COPY_HELP = `  copy-to-postgres --from sqlite:PATH --to postgres://…
                             copy a SQLite database into a new, empty PostgreSQL database in one
                             transaction, verified table by table (row counts and checksums)`;

/** `lodestar copy-to-postgres`; returns the exit code (2 for usage, 1 for a refusal or failed verification). */
export async function copyCommand(args: string[]): Promise<number> {
  const { parseArgs } = await import('node:util');
  let values: { from?: string | undefined; to?: string | undefined };
  try {
    ({ values } = parseArgs({ args, options: { from: { type: 'string' }, to: { type: 'string' } } }));
  } catch (err) {
    console.error(`${(err as Error).message}\n\nUsage:\n${COPY_HELP}`);
    return 2;
  }
  if (!values.from || !values.to) {
    console.error(`copy-to-postgres needs --from and --to.\n\nUsage:\n${COPY_HELP}`);
    return 2;
  }
  try {
    const report = await copyToPostgres({ from: values.from, to: values.to, log: (line) => console.log(line) });
    console.log('\ntable\trows\tchecksum');
    for (const t of report.tables) console.log(`${t.table}\t${t.rows}\t${t.checksum}`);
    console.log(`\nCopied and verified ${report.rows} row(s) in ${report.tables.length} tables in ${(report.ms / 1000).toFixed(1)} s (${Math.round(report.rows / Math.max(0.001, report.ms / 1000))} rows/s).`);
    console.log('Next: point DATABASE_URL at PostgreSQL, set LODESTAR_AUDIT_KEY to the audit key the SQLite server used, and run `lodestar audit verify`.');
    return 0;
  } catch (err) {
    if (err instanceof CopyError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
}

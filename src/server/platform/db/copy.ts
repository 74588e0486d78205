/**
 * `lodestar copy-to-postgres --from sqlite:PATH --to postgres://…`: move a program that outgrew
 * one machine from its SQLite file into PostgreSQL, verified.
 *
 * 1. The source must be at this version's schema (every migration applied, none unknown).
 * 2. The target must be empty: no table may hold more rows than the migrations themselves put
 *    there (the shipped questionnaire definitions). It is migrated to the same schema.
 * 3. In ONE PostgreSQL transaction, on one connection: every table is copied in foreign-key order,
 *    streamed with COPY FROM STDIN (text format; each value the text `pg` would have sent as a
 *    parameter, escaped). The source is read once: the same pass writes each row and adds it to
 *    the source's checksum. Secondary indexes and foreign keys are dropped for the load and created
 *    again after it, in the same transaction (each foreign key then validated over its whole table;
 *    primary keys and unique constraints stay). A table that points at itself (a merged
 *    participant, a rescheduled appointment) gets those columns filled after its rows are in.
 *    Then every table is verified — row count and a checksum, both sides (the target read back
 *    with COPY TO STDOUT) — and only then committed: a copy that does not verify, or fails along
 *    the way, leaves the target as it was (rolled back, the dropped indexes and keys with it).
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
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
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

export async function copyToPostgres(opts: CopyOptions): Promise<CopyReport> {
  const started = performance.now();
  const log = opts.log ?? (() => undefined);
  if (!opts.from.startsWith('sqlite:') || ['sqlite::memory:', 'sqlite:'].includes(opts.from)) throw new CopyError('--from must be sqlite:PATH, the SQLite database file to copy.');
  if (!/^postgres(ql)?:\/\//.test(opts.to)) throw new CopyError('--to must be a postgres:// URL of the database to copy into.');
  const file = opts.from.slice('sqlite:'.length);
  if (!fs.existsSync(file)) throw new CopyError(`There is no SQLite database at ${file}.`);

  const source = openDatabase(opts.from);
  let target: DatabaseHandle | undefined;
  let client: pg.Client | undefined;
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

    // The copy runs on one connection of its own (COPY streams need the transaction's connection).
    client = new pg.Client({ connectionString: opts.to, application_name: 'lodestar-copy' });
    // A connection the server ends makes the client emit 'error' as well as fail the query: the
    // failed query is what reports it.
    client.on('error', () => undefined);
    await client.connect();
    const pgc = client;

    // One read transaction on the source: every table is read from the same snapshot (WAL), so
    // a server still writing cannot tear the copy. (Stop it first anyway: its later writes would
    // not be in the copy.)
    sqlite.exec('BEGIN');
    try {
      await pgc.query('BEGIN');
      try {
        await pgc.query(`set local maintenance_work_mem = '256MB'`);
        // The rows are copied as they are: the tables' own triggers (the measures' change
        // counters, the audit trail's append-only guard) stay off until the copy is in, inside
        // this transaction. (Foreign keys are not user triggers: see below.)
        for (const t of order) await pgc.query(`alter table ${ident(t.name)} disable trigger user`);
        // What the migrations seeded is replaced by the source's own rows (which include it).
        for (const t of [...order].reverse()) if (seeded.get(t.name)) await pgc.query(`delete from ${ident(t.name)}`);
        // Secondary indexes (not unique, not a constraint's) are built once the rows are in,
        // rather than updated row by row; inside the transaction, so a failure keeps them.
        const indexes = await secondaryIndexes(pgc);
        for (const ix of indexes) await pgc.query(`drop index ${ident(ix.name)}`);
        // Likewise foreign keys: checked row by row, each child row locks its parent row; added
        // back after the load, each is validated over the whole table in one pass, before commit.
        const foreignKeys = await foreignKeysOf(pgc);
        for (const fk of foreignKeys) await pgc.query(`alter table ${ident(fk.table)} drop constraint ${ident(fk.name)}`);
        const sums = new Map<string, Checksum>();
        for (const t of order) {
          const sum = await copyTable(sqlite, pgc, t);
          sums.set(t.name, sum);
          log(`copied ${t.name}: ${sum.rows} row(s)`);
        }
        for (const t of order) await pgc.query(`alter table ${ident(t.name)} enable trigger user`);
        await advanceSequences(pgc);
        for (const ix of indexes) await pgc.query(ix.definition);
        if (indexes.length) log(`rebuilt ${indexes.length} secondary index(es)`);
        for (const fk of foreignKeys) await pgc.query(`alter table ${ident(fk.table)} add constraint ${ident(fk.name)} ${fk.definition}`);
        if (foreignKeys.length) log(`checked ${foreignKeys.length} foreign key(s)`);
        for (const t of order) {
          const from = sums.get(t.name)!;
          const to = await targetChecksum(pgc, t);
          if (from.rows !== to.rows) throw new CopyError(`Verification failed for ${t.name}: ${from.rows} row(s) in SQLite, ${to.rows} in PostgreSQL. Nothing was committed.`);
          if (from.checksum !== to.checksum) throw new CopyError(`Verification failed for ${t.name}: the rows differ (checksums ${from.checksum.slice(0, 12)}… and ${to.checksum.slice(0, 12)}…). Nothing was committed.`);
          report.push({ table: t.name, rows: from.rows, checksum: from.checksum });
        }
        await pgc.query('COMMIT');
        // The planner has no statistics for freshly loaded tables until autovacuum gets to them,
        // and guesses one row each: gather them now (outside the transaction, already committed).
        await pgc.query('ANALYZE').then(
          () => log('gathered planner statistics (ANALYZE)'),
          () => log('ANALYZE failed: run it on the database before serving from it'),
        );
      } catch (err) {
        await pgc.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    } finally {
      sqlite.exec('COMMIT');
    }
    report.sort((x, y) => (x.table < y.table ? -1 : 1));
    return { tables: report, rows: report.reduce((n, t) => n + t.rows, 0), ms: Math.round(performance.now() - started) };
  } finally {
    await client?.end().catch(() => undefined);
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

/** A table or column name quoted for PostgreSQL. */
const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** COPY's text format: backslash, tab, newline and carriage return escaped; `\N` is NULL. */
const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
export function copyEscape(s: string): string {
  return COPY_SPECIAL.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : s;
}

/**
 * A SQLite value in COPY's text format for a column of `type`: the text PostgreSQL would have
 * received as a query parameter (what `pg` sends for it), escaped. Booleans (0/1 in SQLite) as
 * t/f, blobs into bytea as `\x…` hex.
 */
export function copyField(v: unknown, type: string): string {
  return encoderFor(type)(v);
}

function encoderFor(type: string): (v: unknown) => string {
  if (type === 'boolean') return (v) => (v === null || v === undefined ? '\\N' : v === 1 || v === '1' || v === true ? 't' : 'f');
  return (v) => {
    if (v === null || v === undefined) return '\\N';
    if (typeof v === 'string') return copyEscape(v);
    if (typeof v === 'number' || typeof v === 'bigint') return String(v);
    if (Buffer.isBuffer(v)) return type === 'bytea' ? `\\\\x${v.toString('hex')}` : copyEscape(v.toString('utf8'));
    return copyEscape(typeof v === 'boolean' ? String(v) : (JSON.stringify(v) ?? ''));
  };
}

/** Rows per COPY chunk written to the connection (about 64 KiB of text). */
const CHUNK_CHARS = 1 << 16;

/**
 * Streams `rows` (arrays in `columns` order) into `table` with COPY FROM STDIN. `onRow` sees each
 * source row before it is encoded and returns the row to write (the deferred columns nulled).
 */
async function copyRows(client: pg.Client, table: string, columns: Column[], rows: Iterable<unknown[]>, onRow?: (row: unknown[]) => unknown[]): Promise<void> {
  const encoders = columns.map((c) => encoderFor(c.type));
  function* chunks(): Generator<string> {
    let buf = '';
    for (const source of rows) {
      const row = onRow ? onRow(source) : source;
      let line = encoders[0]!(row[0]);
      for (let i = 1; i < encoders.length; i++) line += `\t${encoders[i]!(row[i])}`;
      buf += `${line}\n`;
      if (buf.length >= CHUNK_CHARS) {
        yield buf;
        buf = '';
      }
    }
    if (buf) yield buf;
  }
  await pipeline(Readable.from(chunks()), client.query(copyFrom(`copy ${ident(table)} (${columns.map((c) => ident(c.name)).join(', ')}) from stdin`)));
}

/**
 * Copies one table and returns the checksum of the rows read from SQLite (read once: the same
 * pass hashes them and writes them). Self-referencing columns go in as NULL and are filled from a
 * temporary table once every row is in.
 */
async function copyTable(sqlite: NonNullable<DatabaseHandle['sqlite']>, client: pg.Client, t: TableInfo): Promise<Checksum> {
  const names = t.columns.map((c) => c.name);
  const deferred = t.deferred.map((c) => names.indexOf(c));
  const key = t.primaryKey.map((c) => names.indexOf(c));
  if (deferred.length && key.length === 0) throw new CopyError(`The table ${t.name} points at itself but has no primary key; this copy cannot fill those columns.`);
  const read = sqlite.prepare(`select ${names.map((n) => `"${n}"`).join(', ')} from "${t.name}"`).raw(true);
  const sum = new Checksum(t.columns);
  const later: unknown[][] = [];
  await copyRows(client, t.name, t.columns, read.iterate() as Iterable<unknown[]>, (row) => {
    sum.add(row);
    if (deferred.length === 0 || deferred.every((i) => row[i] === null || row[i] === undefined)) return row;
    later.push([...key.map((i) => row[i]), ...deferred.map((i) => row[i])]);
    const copy = row.slice();
    for (const i of deferred) copy[i] = null;
    return copy;
  });
  if (later.length) {
    const cols = [...key, ...deferred].map((i) => t.columns[i]!);
    const tmp = 'lodestar_copy_deferred';
    await client.query(`create temporary table ${ident(tmp)} as select ${cols.map((c) => ident(c.name)).join(', ')} from ${ident(t.name)} with no data`);
    await copyRows(client, tmp, cols, later);
    const set = t.deferred.map((c) => `${ident(c)} = d.${ident(c)}`).join(', ');
    const on = t.primaryKey.map((c) => `t.${ident(c)} = d.${ident(c)}`).join(' and ');
    await client.query(`update ${ident(t.name)} t set ${set} from ${ident(tmp)} d where ${on}`);
    await client.query(`drop table ${ident(tmp)}`);
  }
  return sum;
}

/** Indexes that are neither unique nor behind a constraint: dropped before the load, rebuilt after. */
async function secondaryIndexes(client: pg.Client): Promise<{ name: string; definition: string }[]> {
  const { rows } = await client.query<{ name: string; definition: string }>(`
    select c.relname as name, pg_get_indexdef(i.indexrelid) as definition
    from pg_index i
    join pg_class c on c.oid = i.indexrelid
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and not i.indisunique and not i.indisprimary
      and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)
    order by c.relname`);
  return rows;
}

/** Every foreign key of the schema, with its definition to add it back. */
async function foreignKeysOf(client: pg.Client): Promise<{ table: string; name: string; definition: string }[]> {
  const { rows } = await client.query<{ table: string; name: string; definition: string }>(`
    select t.relname as table, c.conname as name, pg_get_constraintdef(c.oid) as definition
    from pg_constraint c
    join pg_class t on t.oid = c.conrelid
    join pg_namespace n on n.oid = c.connamespace
    where n.nspname = current_schema() and c.contype = 'f'
    order by t.relname, c.conname`);
  return rows;
}

/** Serial columns (none today) continue after the copied rows' highest value. */
async function advanceSequences(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ table_name: string; column_name: string }>(`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema() and column_default like 'nextval(%'`);
  for (const r of rows) {
    await client.query(`select setval(pg_get_serial_sequence($1, $2), greatest(1, (select coalesce(max(${ident(r.column_name)}), 0) from ${ident(r.table_name)})))`, [r.table_name, r.column_name]);
  }
}

// ---- verification

/** A scalar as text; an object (JSON read back parsed) as JSON. */
const text = (v: unknown): string => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

/** One value, written the same way whichever engine it was read from. */
export function normalize(v: unknown, type: string): string | null {
  return normalizerFor(type)(v);
}

type Normalizer = (v: unknown) => string | null;

/** The normalization of a column's values (chosen once per column, not per value). */
function normalizerFor(type: string): Normalizer {
  switch (type) {
    case 'timestamp with time zone':
    case 'timestamp without time zone':
      return (v) => {
        if (v === null || v === undefined) return null;
        const d = v instanceof Date ? v : new Date(text(v));
        return Number.isNaN(d.getTime()) ? text(v) : d.toISOString();
      };
    case 'date':
      return (v) => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString().slice(0, 10) : text(v).slice(0, 10));
    case 'smallint':
    case 'integer':
    case 'bigint':
    case 'numeric':
    case 'double precision':
      return (v) => (v === null || v === undefined ? null : String(Number(v)));
    case 'real':
      return (v) => (v === null || v === undefined ? null : String(Math.fround(Number(v))));
    case 'boolean':
      return (v) => (v === null || v === undefined ? null : v === true || v === 1 || v === '1' || v === 't' ? '1' : '0');
    case 'json':
    case 'jsonb':
      return (v) => (v === null || v === undefined ? null : JSON.stringify(typeof v === 'string' ? JSON.parse(v) : v));
    default:
      return (v) => (v === null || v === undefined ? null : typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString('hex') : text(v));
  }
}

/**
 * The sum (mod 2^256) of each row's SHA-256. Kept as sixteen 16-bit limbs in plain numbers,
 * carried every 2^30 rows' worth of headroom: far cheaper than a BigInt per row, same result.
 */
class Checksum {
  rows = 0;
  private readonly limbs = new Float64Array(16);
  private pending = 0;
  private readonly normalizers: Normalizer[];
  constructor(columns: Column[]) {
    this.normalizers = columns.map((c) => normalizerFor(c.type));
  }
  /** A row's values in the columns' order. */
  add(row: readonly unknown[]): void {
    const n = this.normalizers;
    const values = new Array<string | null>(n.length);
    for (let i = 0; i < n.length; i++) values[i] = n[i]!(row[i]);
    const digest = createHash('sha256').update(JSON.stringify(values)).digest();
    // Big-endian: limb 0 is the least significant 16 bits (the digest's last two bytes).
    for (let i = 0; i < 16; i++) this.limbs[i]! += (digest[30 - 2 * i]! << 8) | digest[31 - 2 * i]!;
    this.rows += 1;
    // Each limb stays exact below 2^53: carry long before 2^37 additions of 2^16.
    if (++this.pending >= 1 << 30) this.carry();
  }
  private carry(): void {
    let c = 0;
    for (let i = 0; i < 16; i++) {
      const v = this.limbs[i]! + c;
      this.limbs[i] = v % 65536;
      c = Math.floor(v / 65536);
    }
    this.pending = 0;
  }
  get checksum(): string {
    this.carry();
    let hex = '';
    for (let i = 15; i >= 0; i--) hex += this.limbs[i]!.toString(16).padStart(4, '0');
    return hex;
  }
}

/** COPY's text format back to the field's text (the escapes COPY TO writes). */
const COPY_UNESCAPES: Record<string, string> = { '\\': '\\', t: '\t', n: '\n', r: '\r', b: '\b', f: '\f', v: '\v' };
export function copyUnescape(s: string): string {
  return s.includes('\\') ? s.replace(/\\(.)/g, (_, c: string) => COPY_UNESCAPES[c] ?? c) : s;
}

/** Types whose COPY text normalizes exactly as the driver's parsed value does (numbers, text, dates). */
const AS_TEXT = new Set([20, 21, 23, 25, 700, 701, 1043, 1082, 1700]);
/** timestamptz as PostgreSQL writes it in UTC: the driver's parse then normalize, without two Date parses. */
const PG_UTC_INSTANT = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d+))?\+00$/;

/** How a field of COPY TO's output becomes the value a query would have returned. */
function readerFor(oid: number): (v: string) => unknown {
  if (AS_TEXT.has(oid)) return (v) => v;
  const parse = pg.types.getTypeParser(oid, 'text') as (v: string) => unknown;
  if (oid !== 1184) return parse;
  return (v) => {
    const m = PG_UTC_INSTANT.exec(v);
    // Date keeps milliseconds: further digits are cut, as Date's own parser does.
    return m ? `${m[1]}T${m[2]}.${(m[3] ?? '').slice(0, 3).padEnd(3, '0')}Z` : parse(v);
  };
}

/**
 * The target's rows, read once with COPY TO STDOUT and turned into the values a query returns
 * (the driver's own parser for each column's type), then checksummed like the source's.
 */
async function targetChecksum(client: pg.Client, t: TableInfo): Promise<Checksum> {
  const cols = t.columns.map((c) => ident(c.name)).join(', ');
  const { fields } = await client.query(`select ${cols} from ${ident(t.name)} limit 0`);
  const parsers = fields.map((f) => readerFor(f.dataTypeID));
  const sum = new Checksum(t.columns);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  const row = new Array<unknown>(parsers.length);
  const take = (line: string) => {
    const parts = line.split('\t');
    if (parts.length !== parsers.length) throw new CopyError(`Verification failed for ${t.name}: a row read back has ${parts.length} field(s), not ${parsers.length}. Nothing was committed.`);
    for (let i = 0; i < parts.length; i++) row[i] = parts[i] === '\\N' ? null : parsers[i]!(copyUnescape(parts[i]!));
    sum.add(row);
  };
  for await (const chunk of client.query(copyTo(`copy ${ident(t.name)} (${cols}) to stdout`)) as AsyncIterable<Buffer>) {
    const lines = (rest + decoder.write(chunk)).split('\n');
    rest = lines.pop()!;
    for (const line of lines) take(line);
  }
  rest += decoder.end();
  if (rest) take(rest);
  return sum;
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

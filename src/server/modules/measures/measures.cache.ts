/**
 * Measures kept up to date (issue 7, "Scale"): the facts of each participant and the computed
 * responses, stored so the dashboard does not re-read every source table or recompute when
 * nothing changed. Migration 0020 has the tables and the triggers that keep them honest.
 *
 * - Version: every insert, update or delete of a row the loader reads bumps the organization's
 *   `measure_versions` counter and marks the participant in `measure_dirty` with it (triggers).
 * - Facts (`cachedFacts`): the loader's output per participant, for one facts key (time zone,
 *   period, history window: what the loader reads depends on them). A request reloads, through
 *   the loader restricted to those ids, only the participants changed since the set's
 *   `as_of_version` (or never loaded), then reads the rest as stored. Only the organization-wide
 *   view is kept this way (a population filter just picks ids); program, site, coach and team
 *   views restrict each person's episodes, so they read through the loader.
 * - Results (`cachedResult`): a response per key (scope, filters, period, parameters…) with the
 *   version it was computed at; a later version is a miss. What the figures are is unchanged:
 *   both give exactly what the loader and the engine give (measures.cache.test.ts).
 *
 * Facts carry ids, local dates and codes (demographic codes for breakdowns), never names or notes.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { MeasurePopulation } from '../../../contracts/measures.js';
import type { Executor } from '../../platform/db/database.js';
import type { Period } from './measures.dates.js';
import type { ParticipantFacts } from './measures.facts.js';
import { loadMeasureFacts, organizationTimeZone, type HistoryNeeds } from './measures.loader.js';

// A type, not an interface: `withTables` wants an index-signature-compatible record.
type CacheTables = {
  measure_versions: { organization_id: string; version: number };
  measure_dirty: { participant_id: string; organization_id: string; version: number };
  measure_fact_sets: { organization_id: string; facts_key: string; as_of_version: number; used_at: string };
  measure_facts: { organization_id: string; facts_key: string; participant_id: string; facts: string; refreshed_at: string };
  measure_results: { organization_id: string; cache_key: string; version: number; result: string; computed_at: string };
};
type CacheDb = Kysely<CacheTables>;
const tablesOf = (db: Executor): CacheDb => db.withTables<CacheTables>();

/** Rows per insert (5 columns: well under both dialects' parameter limits). */
const WRITE_BATCH = 500;
/** Facts sets kept per organization (each is a copy of everyone's facts for one period): the most recently refreshed. */
const MAX_FACT_SETS = 8;

export const cacheKey = (parts: unknown): string => createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);

/** The organization's change counter (0 before any change). */
export async function measuresVersion(db: Executor, organizationId: string): Promise<number> {
  const row = await tablesOf(db).selectFrom('measure_versions').select('version').where('organization_id', '=', organizationId).executeTakeFirst();
  return row ? Number(row.version) : 0;
}

export interface CachedFacts {
  timeZone: string;
  people: ParticipantFacts[];
  /** Participants whose facts were read from the source tables this time. */
  refreshed: number;
}

/** The organization's participants (not merged), in id order, with the population flag when asked. */
async function admittedIds(db: Executor, organizationId: string, population: MeasurePopulation | undefined): Promise<string[]> {
  let q = db.selectFrom('participants').select('participants.id').where('participants.organization_id', '=', organizationId).where('participants.merged_into_id', 'is', null);
  if (population) q = q.where(`participants.${population}`, '=', 1);
  return (await q.orderBy('participants.id').execute()).map((r) => r.id);
}

/**
 * Every admitted participant's facts for `period` across the organization — what
 * `loadMeasureFacts` gives with no program, site or coach filter and the organization scope —
 * from the stored facts, reloading those changed since the set was last brought up to date.
 */
export async function cachedFacts(
  db: Executor,
  organizationId: string,
  o: { period: Period; population?: MeasurePopulation | undefined; history: HistoryNeeds; now: string; version?: number },
): Promise<CachedFacts> {
  const cdb = tablesOf(db);
  // Read first: a change committed after this is above it, and reloaded next time.
  const version = o.version ?? (await measuresVersion(db, organizationId));
  const timeZone = await organizationTimeZone(db, organizationId);
  const factsKey = cacheKey({ timeZone, period: o.period, history: o.history });
  const set = await cdb.selectFrom('measure_fact_sets').select('as_of_version').where('organization_id', '=', organizationId).where('facts_key', '=', factsKey).executeTakeFirst();
  const everyone = await admittedIds(db, organizationId, undefined);
  const stale = new Set<string>();
  if (set) {
    const stored = new Set((await cdb.selectFrom('measure_facts').select('participant_id').where('organization_id', '=', organizationId).where('facts_key', '=', factsKey).execute()).map((r) => r.participant_id));
    for (const id of everyone) if (!stored.has(id)) stale.add(id);
    const dirty = await cdb.selectFrom('measure_dirty').select('participant_id').where('organization_id', '=', organizationId).where('version', '>', set.as_of_version).execute();
    for (const r of dirty) stale.add(r.participant_id);
  }
  const fresh = new Map<string, ParticipantFacts>();
  if (!set || stale.size > 0) {
    const loaded = await loadMeasureFacts(db, organizationId, { period: o.period, history: o.history, ...(set && { only: stale }) });
    for (const p of loaded.people) fresh.set(p.participantId, p);
    // Inside a caller's transaction (an export that audits in the same one) write through it.
    const inTransaction = <T>(f: (trx: Executor) => Promise<T>): Promise<T> => (db.isTransaction ? f(db) : db.transaction().execute(f));
    await inTransaction(async (trx) => {
      const t = tablesOf(trx);
      if (!set) {
        // A new period: make room by dropping the least recently refreshed sets beyond the limit.
        const old = await t.selectFrom('measure_fact_sets').select('facts_key').where('organization_id', '=', organizationId).orderBy('used_at', 'desc').orderBy('facts_key').offset(MAX_FACT_SETS - 1).limit(1000).execute();
        for (const { facts_key } of old) {
          await t.deleteFrom('measure_facts').where('organization_id', '=', organizationId).where('facts_key', '=', facts_key).execute();
          await t.deleteFrom('measure_fact_sets').where('organization_id', '=', organizationId).where('facts_key', '=', facts_key).execute();
        }
      }
      // Participants changed and no longer admitted (merged) lose their row too.
      const gone = set ? [...stale] : [];
      for (let i = 0; i < gone.length; i += WRITE_BATCH) {
        await t.deleteFrom('measure_facts').where('organization_id', '=', organizationId).where('facts_key', '=', factsKey).where('participant_id', 'in', gone.slice(i, i + WRITE_BATCH)).execute();
      }
      const rows = loaded.people.map((p) => ({ organization_id: organizationId, facts_key: factsKey, participant_id: p.participantId, facts: JSON.stringify(p), refreshed_at: o.now }));
      for (let i = 0; i < rows.length; i += WRITE_BATCH) {
        // Another process may be refreshing the same set: the later write wins (same facts or newer).
        await t
          .insertInto('measure_facts')
          .values(rows.slice(i, i + WRITE_BATCH))
          .onConflict((c) => c.columns(['organization_id', 'facts_key', 'participant_id']).doUpdateSet((eb) => ({ facts: eb.ref('excluded.facts'), refreshed_at: eb.ref('excluded.refreshed_at') })))
          .execute();
      }
      await t
        .insertInto('measure_fact_sets')
        .values({ organization_id: organizationId, facts_key: factsKey, as_of_version: version, used_at: o.now })
        .onConflict((c) => c.columns(['organization_id', 'facts_key']).doUpdateSet({ as_of_version: version, used_at: o.now }))
        .execute();
    });
  }
  const ids = o.population ? await admittedIds(db, organizationId, o.population) : everyone;
  const people: ParticipantFacts[] = [];
  if (!set) {
    for (const id of ids) {
      const p = fresh.get(id);
      if (p) people.push(p);
    }
  } else {
    const stored = new Map<string, string>();
    const rows = await cdb.selectFrom('measure_facts').select(['participant_id', 'facts']).where('organization_id', '=', organizationId).where('facts_key', '=', factsKey).execute();
    for (const r of rows) stored.set(r.participant_id, r.facts);
    for (const id of ids) {
      const p = fresh.get(id) ?? (stored.has(id) ? (JSON.parse(stored.get(id)!) as ParticipantFacts) : undefined);
      if (p) people.push(p);
    }
  }
  return { timeZone, people, refreshed: fresh.size };
}

/** Computations under way in this process, by organization, key and version: a burst of requests that all miss computes once. */
const inFlight = new Map<string, Promise<unknown>>();

/**
 * The response stored under `key` when it was computed at the organization's current version;
 * otherwise `compute` runs (given that version) and its result is stored — once for concurrent
 * requests of this process asking the same. Results must be plain JSON (an API response).
 */
export async function cachedResult<T>(db: Executor, organizationId: string, key: unknown, now: string, compute: (version: number) => Promise<T>): Promise<{ value: T; hit: boolean }> {
  const cdb = tablesOf(db);
  const version = await measuresVersion(db, organizationId);
  const cache_key = cacheKey(key);
  const row = await cdb.selectFrom('measure_results').select(['version', 'result']).where('organization_id', '=', organizationId).where('cache_key', '=', cache_key).executeTakeFirst();
  if (row && Number(row.version) === version) return { value: JSON.parse(row.result) as T, hit: true };
  const flight = `${organizationId}:${cache_key}:${version}`;
  const running = inFlight.get(flight) as Promise<T> | undefined;
  // Another request is computing it: its answer, as a copy (the caller may shape it), counts as kept.
  if (running) return { value: JSON.parse(JSON.stringify(await running)) as T, hit: true };
  const computing = compute(version);
  inFlight.set(flight, computing);
  let value: T;
  try {
    value = await computing;
  } finally {
    inFlight.delete(flight);
  }
  const result = JSON.stringify(value);
  await cdb
    .insertInto('measure_results')
    .values({ organization_id: organizationId, cache_key, version, result, computed_at: now })
    .onConflict((c) => c.columns(['organization_id', 'cache_key']).doUpdateSet({ version, result, computed_at: now }))
    .execute();
  return { value, hit: false };
}

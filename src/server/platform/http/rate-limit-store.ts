/**
 * A store for @fastify/rate-limit kept in the database (`rate_limits`, migration 0021), so a limit
 * holds across every Lodestar process behind a load balancer: 20 sign-in attempts a minute means
 * 20, not 20 per process.
 *
 * Fixed windows, as the plugin's in-memory store counts them: the first hit opens a window of
 * `timeWindow`; hits inside it count up; the first hit after it ends opens a new one. Each hit is
 * ONE atomic upsert (`INSERT … ON CONFLICT DO UPDATE … RETURNING`), so two processes counting the
 * same key at once both count (PostgreSQL row lock; SQLite's single writer). The key is stored as
 * a SHA-256 of the route and the client key (an address, an address and an email), never in clear.
 * Windows that ended are deleted by the hourly housekeeping (`purgeRateLimits`).
 *
 * Supports `continueExceeding` (a hit over the limit starts the window again); not
 * `exponentialBackoff`, which no route uses.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { FastifyRateLimitOptions, FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Db } from '../db/database.js';
import type { Clock } from '../clock.js';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

interface StoreOptions {
  continueExceeding?: boolean;
  exponentialBackoff?: boolean;
}

interface RouteOptions extends StoreOptions {
  routeInfo?: { method?: string | string[]; url?: string };
  max?: unknown;
  timeWindow?: unknown;
}

/** Count one hit of `key`; returns the hits in the current window and when it ends (ms). */
export async function hitRateLimit(db: Db, key: string, now: number, windowMs: number, max: number, continueExceeding: boolean): Promise<{ hits: number; expiresMs: number }> {
  const hashed = createHash('sha256').update(key).digest('hex');
  const ends = now + windowMs;
  // In SET, columns name the row as it was before this update (both dialects).
  const expired = sql<boolean>`rate_limits.expires_ms <= ${now}`;
  const row = await db
    .insertInto('rate_limits')
    .values({ key: hashed, hits: 1, expires_ms: ends })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql<number>`case when ${expired} then 1 else rate_limits.hits + 1 end`,
        expires_ms: continueExceeding
          ? sql<number>`case when ${expired} or rate_limits.hits + 1 > ${max} then ${ends} else rate_limits.expires_ms end`
          : sql<number>`case when ${expired} then ${ends} else rate_limits.expires_ms end`,
      }),
    )
    .returning(['hits', 'expires_ms'])
    .executeTakeFirstOrThrow();
  return { hits: Number(row.hits), expiresMs: Number(row.expires_ms) };
}

/** Read a key's window without counting (the plugin's `{ increment: false }`). */
export async function readRateLimit(db: Db, key: string, now: number): Promise<{ hits: number; expiresMs: number } | undefined> {
  const hashed = createHash('sha256').update(key).digest('hex');
  const row = await db.selectFrom('rate_limits').select(['hits', 'expires_ms']).where('key', '=', hashed).executeTakeFirst();
  if (!row || Number(row.expires_ms) <= now) return undefined;
  return { hits: Number(row.hits), expiresMs: Number(row.expires_ms) };
}

/** Delete windows that ended; returns how many. */
export async function purgeRateLimits(db: Db, now: Date): Promise<number> {
  const r = await db.deleteFrom('rate_limits').where('expires_ms', '<=', now.getTime()).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The store class the plugin constructs (`store:` option), bound to this app's database and clock. */
export function databaseRateLimitStore(db: Db, clock: Clock): FastifyRateLimitStoreCtor {
  class DatabaseStore implements FastifyRateLimitStore {
    private readonly continueExceeding: boolean;

    constructor(
      options: FastifyRateLimitOptions & StoreOptions,
      private readonly prefix = '',
    ) {
      if (options.exponentialBackoff) throw new Error('The database rate-limit store does not support exponentialBackoff');
      this.continueExceeding = options.continueExceeding === true;
    }

    incr(key: string, callback: Callback, timeWindow: number, max: number): void {
      const now = clock.now().getTime();
      hitRateLimit(db, this.prefix + key, now, timeWindow, max, this.continueExceeding).then(
        (r) => callback(null, { current: r.hits, ttl: Math.max(0, r.expiresMs - now) }),
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
    }

    read(key: string, callback: Callback): void {
      const now = clock.now().getTime();
      readRateLimit(db, this.prefix + key, now).then(
        (r) => callback(null, r ? { current: r.hits, ttl: r.expiresMs - now } : { current: 0, ttl: 0 }),
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
    }

    child(options: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      // The plugin passes the route's merged limit settings with its route as `routeInfo`.
      const routeOptions = options as unknown as RouteOptions;
      const info = routeOptions.routeInfo ?? {};
      const method = Array.isArray(info.method) ? info.method.join(',') : (info.method ?? '');
      // A route's limit counts that route only, as the plugin's own stores key it; a limiter made
      // with `createRateLimit` has no route, so its limit and window tell it apart from another.
      const limit = typeof routeOptions.max === 'number' && typeof routeOptions.timeWindow === 'number' ? `${routeOptions.max}/${routeOptions.timeWindow}` : '';
      return new DatabaseStore({ ...routeOptions }, `${this.prefix}${method}${info.url ?? ''}|${limit}|`);
    }
  }
  return DatabaseStore;
}

/**
 * Sizes of the synthetic program (issue 8, PRODUCT.md "Scale model"): `rco` — one recovery
 * community organization, 2,000 participants and about 50,000 encounters over a year; `state` — a
 * statewide network of 20 organizations, 2,000 coaches and 250,000 participants over five years
 * (about 10,000,000 encounters, 1,500,000 referrals and 2,000,000 appointments); or a number of
 * participants with the state's proportions. `generateNetwork` makes each organization with
 * `generateProgram` (one transaction each), with secondary indexes built once after loading on
 * SQLite (generate.indexes.ts).
 */
import type { Db } from '../../platform/db/database.js';
import type { Clock } from '../../platform/clock.js';
import { generateProgram, type GenerateCounts, type GenerateResult } from './generate.js';
import { withDeferredIndexes, LOADED_TABLES } from './generate.indexes.js';
import { analyzeLoaded, raiseYoungGeneration, withBulkLoad } from './generate.bulk.js';
import type SQLite from 'better-sqlite3';

export type Scale = 'rco' | 'state' | number;

export interface ScalePlan {
  organizations: number;
  /** Participants of each organization. */
  participants: number[];
  years: number;
  participantsPerCoach: number;
  volume: { appointments: number; referrals: number };
}

/** The state's proportions (PRODUCT.md): 12,500 participants and 100 coaches per organization, five years. */
const STATE_PER_ORGANIZATION = 12_500;
const STATE = { years: 5, participantsPerCoach: 125, volume: { appointments: 2, referrals: 7 } } as const;

/** `rco`, `state`, or a number of participants (state-like proportions). */
export function parseScale(text: string): Scale | null {
  if (text === 'rco' || text === 'state') return text;
  return /^\d+$/.test(text) ? Number(text) : null;
}

export function planFor(scale: Scale): ScalePlan {
  if (scale === 'rco') return { organizations: 1, participants: [2_000], years: 1, participantsPerCoach: 100, volume: { appointments: 1, referrals: 1 } };
  const total = scale === 'state' ? 20 * STATE_PER_ORGANIZATION : scale;
  const organizations = Math.max(1, Math.round(total / STATE_PER_ORGANIZATION));
  // Split as evenly as whole people allow (the first ones take the remainder).
  const participants = Array.from({ length: organizations }, (_, i) => Math.floor(total / organizations) + (i < total % organizations ? 1 : 0));
  return { organizations, participants, years: STATE.years, participantsPerCoach: STATE.participantsPerCoach, volume: { ...STATE.volume } };
}

export interface NetworkResult {
  plan: ScalePlan;
  organizations: GenerateResult[];
  /** Every organization's counts added up. */
  counts: GenerateCounts;
  /** Rows written, and seconds including building the deferred indexes. */
  rows: number;
  seconds: number;
  indexSeconds: number;
}

/**
 * Every organization of the plan, each from its own seed (`seed + index`), then the indexes.
 * `onOrganization` hears of each as it is done (the CLI prints progress).
 */
export async function generateNetwork(
  db: Db,
  clock: Clock,
  o: { scale: Scale; seed: number; password: string; /** SQLite: the raw handle, for the bulk path (generate.bulk.ts). */ sqlite?: SQLite.Database; onOrganization?: (r: GenerateResult, index: number, plan: ScalePlan) => void; /** Tests: a smaller network than any scale. */ plan?: ScalePlan; /** Measuring: false leaves the writes' audit events out (generate.audit.ts). */ audit?: boolean },
): Promise<NetworkResult> {
  const started = performance.now();
  const plan = o.plan ?? planFor(o.scale);
  const organizations: GenerateResult[] = [];
  raiseYoungGeneration();
  const { indexSeconds } = await withBulkLoad(o.sqlite, LOADED_TABLES, (writer) =>
    withDeferredIndexes(db, LOADED_TABLES, async () => {
      for (let index = 0; index < plan.organizations; index++) {
        const r = await generateProgram(db, clock, {
          participants: plan.participants[index]!,
          seed: o.seed + index,
          password: o.password,
          years: plan.years,
          participantsPerCoach: plan.participantsPerCoach,
          volume: plan.volume,
          organization: { index, count: plan.organizations },
          analyze: false,
          deferIndexes: false,
          ...(o.audit === false && { audit: false }),
          ...(writer && { writer }),
        });
        organizations.push(r);
        o.onOrganization?.(r, index, plan);
      }
    }),
  );
  await analyzeLoaded(db, o.sqlite);
  const counts = {} as GenerateCounts;
  for (const r of organizations) for (const [k, v] of Object.entries(r.counts) as [keyof GenerateCounts, number][]) counts[k] = (counts[k] ?? 0) + v;
  return { plan, organizations, counts, rows: counts.rows, seconds: (performance.now() - started) / 1000, indexSeconds };
}

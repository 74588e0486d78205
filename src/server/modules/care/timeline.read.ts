/**
 * Reading the timeline: ask every provider for its newest items before the cursor, merge, keep
 * the newest. There is no timeline table; each provider reads its own indexed table, so a page
 * costs one small range read per provider. With a `kinds` filter, a provider whose families cannot
 * match is skipped, and one whose items are partly filtered out is asked again from its last item
 * until it has given enough matching items or has none left — so filtered pages stay exact too.
 */
import type { Executor } from '../../platform/db/database.js';
import { isBefore, newestFirst } from './care.timeline.js';
import type { TimelineItem, TimelineProvider, TimelineQuery } from './timeline.types.js';

/** `kinds` entries are families (`life_event`) or exact kinds (`life_event.overdose`). */
export const kindMatches = (kinds: readonly string[], kind: string): boolean => kinds.some((k) => kind === k || kind.startsWith(`${k}.`));

const familyMayMatch = (kinds: readonly string[], family: string): boolean => kinds.some((k) => k === family || k.startsWith(`${family}.`) || family.startsWith(`${k}.`));

async function fromProvider(db: Executor, p: TimelineProvider, q: TimelineQuery, kinds: readonly string[] | undefined): Promise<TimelineItem[]> {
  // Sorted and bounded here as well, so a provider that returns a little too much cannot disorder a page.
  const ask = async (before: TimelineQuery['before']) => (await p.items(db, { ...q, before })).filter((i) => isBefore(i, before)).sort(newestFirst);
  if (!kinds) return (await ask(q.before)).slice(0, q.limit);
  if (p.kinds && !p.kinds.some((f) => familyMayMatch(kinds, f))) return [];
  const out: TimelineItem[] = [];
  let before = q.before;
  for (;;) {
    const batch = await ask(before);
    out.push(...batch.filter((i) => kindMatches(kinds, i.kind)));
    const last = batch[batch.length - 1];
    if (out.length >= q.limit || batch.length < q.limit || !last) break;
    before = { at: last.at, id: last.id };
  }
  return out.slice(0, q.limit);
}

/** The newest `q.limit` items before the cursor across `providers`, newest first. */
export async function readTimeline(db: Executor, providers: readonly TimelineProvider[], q: TimelineQuery, kinds?: readonly string[]): Promise<TimelineItem[]> {
  const lists = await Promise.all(providers.map((p) => fromProvider(db, p, q, kinds)));
  return lists.flat().sort(newestFirst).slice(0, q.limit);
}

/**
 * The timeline contract (docs/ARCHITECTURE.md, "Timeline providers"). Each module that keeps
 * something about a participant registers a provider in src/server/timeline.ts; the timeline
 * asks every provider for its newest items before a cursor and merges them at read time. There
 * is no timeline table: each provider reads its own indexed table.
 */
import type { Executor } from '../../platform/db/database.js';

export interface TimelineItem {
  /** Unique within the timeline: `<kind>:<record id>` (one record may give several items). */
  id: string;
  /** What happened, e.g. 'participant.intake', 'consent.signed', 'life_event.overdose'. */
  kind: string;
  /** When, as an ISO-8601 UTC instant in `Date.toISOString()` form (the cursor carries it); items are ordered by (at, id), newest first. */
  at: string;
  /** True when only the date is known (then `at` is that local date's start in the organization's time zone). */
  dateOnly: boolean;
  /** A short English summary, no more than a line; the interface words items from kind and details. */
  summary: string;
  /** Small display values (codes, dates, counts, names of staff): never free text notes. */
  details: Record<string, string | number | boolean | null>;
  /** Where the item is shown in the interface (an app path), if anywhere. */
  link: string | null;
  /** Who recorded it, when known. */
  actorUserId: string | null;
}

export interface TimelineQuery {
  organizationId: string;
  participantId: string;
  /** The organization's time zone, for date-only items. */
  timeZone: string;
  /** Only items strictly older than this (at, id) pair; absent: from the newest. */
  before?: { at: string; id: string } | undefined;
  /** At most this many items (each provider returns its own newest `limit`). */
  limit: number;
}

export interface TimelineProvider {
  /** The source, for tests and docs (e.g. 'episodes'). */
  name: string;
  /**
   * The kind families it may return (`'consent'` for 'consent.signed', …), so a timeline asked for
   * other kinds can skip it. Leave it out to be asked always.
   */
  kinds?: readonly string[];
  items: (db: Executor, q: TimelineQuery) => Promise<TimelineItem[]>;
}

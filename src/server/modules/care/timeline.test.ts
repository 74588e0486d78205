/**
 * The participant timeline through the HTTP API on a real database: every care provider's items in
 * one order, paging with an opaque cursor, kind filters, bad parameters, scope and audit — and a
 * property test that pages of any sizes, concatenated, are exactly the whole sorted timeline
 * (no gaps, no repeats), with many items sharing one instant across providers.
 */
import fc from 'fast-check';
import type { z } from 'zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../contracts/common.js';
import { LIFE_EVENT_KINDS, decodeTimelineCursor, encodeTimelineCursor, type TimelinePage } from '../../../contracts/care.js';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/helpers/app.js';
import { buildParticipant, buildProgram } from '../../../../test/helpers/factories.js';
import { auditEvents } from '../../../../test/helpers/inspect.js';
import { careWorld, lifeEventRow, todoRow, type CareWorld } from '../../../../test/helpers/care.js';
import { insertEpisode, insertEpisodeEvent } from '../participants/participants.repository.js';
import { kindMatches, readTimeline } from './timeline.read.js';
import type { TimelineItem, TimelineProvider } from './timeline.types.js';

type Page = z.infer<typeof TimelinePage>;
const NOW = '2026-11-27T15:00:00.000Z';

describe('the participant timeline', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t.close());

  const err = (res: { json: <T>() => T }) => res.json<ErrorBody>().error;
  const fieldsOf = (res: { json: <T>() => T }) => err(res).fields?.map((f) => f.path);

  /** Every page from the newest, `sizes` cycled, as one list (and the pages' lengths). */
  async function allPages(client: TestClient, participantId: string, sizes: number[], kinds?: string): Promise<{ items: Page['items']; lengths: number[] }> {
    const items: Page['items'] = [];
    const lengths: number[] = [];
    let before: string | null = null;
    for (let i = 0; i < 500; i++) {
      const limit = sizes[i % sizes.length]!;
      const qs = new URLSearchParams({ limit: String(limit), ...(before && { before }), ...(kinds && { kinds }) });
      const res = await client.get(`/api/v1/participants/${participantId}/timeline?${qs.toString()}`);
      if (res.statusCode !== 200) throw new Error(res.body);
      const page = res.json<Page>();
      expect(page.items.length).toBeLessThanOrEqual(limit);
      items.push(...page.items);
      lengths.push(page.items.length);
      if (!page.nextCursor) return { items, lengths };
      expect(page.items).toHaveLength(limit);
      before = page.nextCursor;
    }
    throw new Error('the timeline never ended');
  }

  /** A participant with one item of each kind, at known instants (New York; 1 November is the day the clocks go back). */
  async function storied(w: CareWorld) {
    const { organizationId, participantId, episodeId } = w;
    await t.db.updateTable('participants').set({ created_at: '2026-11-01T14:00:00.000Z' }).where('id', '=', participantId).execute();
    const oldProgram = await buildProgram(t.db, organizationId);
    const old = await insertEpisode(t.db, { organizationId, participantId, programId: oldProgram, siteId: w.siteB, startDate: '2026-09-01', referralSource: null, assignedCoachUserId: null, createdBy: w.coach.id, now: NOW });
    await t.db.updateTable('episodes').set({ status: 'discharged', discharge_date: '2026-10-31', discharge_reason: 'moved' }).where('id', '=', old).execute();
    const event = (e: { kind: 'reassign' | 'transfer' | 'status'; fromValue: string | null; toValue: string | null; occurredAt: string; episodeId?: string }) =>
      insertEpisodeEvent(t.db, organizationId, { episodeId: e.episodeId ?? episodeId, reason: 'Private words about why', actorUserId: w.supervisor.id, ...e });
    const discharge = await event({ episodeId: old, kind: 'status', fromValue: 'active', toValue: 'discharged', occurredAt: '2026-10-31T16:00:00.000Z' });
    const reassign = await event({ kind: 'reassign', fromValue: w.otherCoach.id, toValue: w.coach.id, occurredAt: '2026-11-10T15:00:00.000Z' });
    const transfer = await event({ kind: 'transfer', fromValue: w.siteB, toValue: w.siteA, occurredAt: '2026-11-12T15:00:00.000Z' });
    const onHold = await event({ kind: 'status', fromValue: 'active', toValue: 'on_hold', occurredAt: '2026-11-15T15:00:00.000Z' });
    const client = await w.as(w.coach);
    const overdose = (await client.post(`/api/v1/participants/${participantId}/life-events`, { kind: 'overdose', occurredOn: '2026-11-20', source: 'staff_observed', note: 'Found by his sister' })).json<{ id: string }>().id;
    const edVisit = (await client.post(`/api/v1/participants/${participantId}/life-events`, { kind: 'ed_visit', occurredOn: '2026-11-20', occurredAt: '2026-11-20T14:00:00Z', source: 'records' })).json<{ id: string }>().id;
    // These events start follow-up plans (tested in ed/ed.test.ts); this timeline is about the rest.
    await t.db.deleteFrom('todos').where('participant_id', '=', participantId).where('kind', '=', 'outreach').execute();
    t.clock.set('2026-11-21T15:00:00.000Z');
    const c2 = await w.as(w.coach);
    const todo = (await c2.post(`/api/v1/participants/${participantId}/todos`, { dueOn: '2026-11-22', title: 'Check in after the ED visit' })).json<{ id: string }>().id;
    t.clock.set('2026-11-22T15:00:00.000Z');
    const c3 = await w.as(w.coach);
    await c3.patch(`/api/v1/todos/${todo}`, { version: 1, status: 'done' });
    t.clock.set(NOW);
    return { old, discharge, reassign, transfer, onHold, overdose, edVisit, todo };
  }

  it('merges every source, newest first, with date-only items at the start of their local day', async () => {
    const w = await careWorld(t);
    const s = await storied(w);
    const res = await (await w.as(w.coach)).get(`/api/v1/participants/${w.participantId}/timeline`);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json<Page>();
    expect(page.nextCursor).toBeNull();
    expect(page.items.map((i) => [i.kind, i.id, i.at, i.dateOnly])).toEqual([
      ['todo.done', `todo.closed:${s.todo}`, '2026-11-22T15:00:00.000Z', false],
      ['todo.added', `todo.added:${s.todo}`, '2026-11-21T15:00:00.000Z', false],
      ['life_event.ed_visit', `life_event:${s.edVisit}`, '2026-11-20T14:00:00.000Z', false],
      ['life_event.overdose', `life_event:${s.overdose}`, '2026-11-20T05:00:00.000Z', true],
      ['episode.status', `episode_event:${s.onHold}`, '2026-11-15T15:00:00.000Z', false],
      ['episode.transferred', `episode_event:${s.transfer}`, '2026-11-12T15:00:00.000Z', false],
      ['episode.reassigned', `episode_event:${s.reassign}`, '2026-11-10T15:00:00.000Z', false],
      ['participant.intake', `participant.intake:${w.participantId}`, '2026-11-01T14:00:00.000Z', false],
      // Midnight of 1 November is still summer time (EDT, -4).
      ['episode.started', `episode.started:${w.episodeId}`, '2026-11-01T04:00:00.000Z', true],
      // The discharge is the episode's own item; its status event is not repeated.
      ['episode.discharged', `episode.discharged:${s.old}`, '2026-10-31T04:00:00.000Z', true],
      ['episode.started', `episode.started:${s.old}`, '2026-09-01T04:00:00.000Z', true],
    ]);
    const byKind = (k: string) => page.items.find((i) => i.kind === k)!;
    expect(byKind('episode.reassigned').details).toMatchObject({ toCoachName: expect.stringMatching(/^Test Person/) as string, fromCoachName: expect.stringMatching(/^Test Person/) as string });
    expect(byKind('episode.status').details).toMatchObject({ from: 'active', to: 'on_hold' });
    expect(byKind('life_event.overdose').details).toMatchObject({ lifeEventKind: 'overdose', source: 'staff_observed', date: '2026-11-20', hasNote: true });
    expect(byKind('todo.added').details).toMatchObject({ todoKind: 'follow_up', dueOn: '2026-11-22', severity: 'normal' });
    // Free-text notes and reasons stay out of the timeline.
    expect(res.body).not.toContain('Found by his sister');
    expect(res.body).not.toContain('Private words');
  });

  it('pages with an opaque cursor; kinds filter by family or exact kind; the read is audited once per page', async () => {
    const w = await careWorld(t);
    await storied(w);
    const client = await w.as(w.coach);
    const whole = (await client.get(`/api/v1/participants/${w.participantId}/timeline`)).json<Page>().items;
    const paged = await allPages(client, w.participantId, [3]);
    expect(paged.lengths).toEqual([3, 3, 3, 2]);
    expect(paged.items).toEqual(whole);
    const lifeEvents = (await client.get(`/api/v1/participants/${w.participantId}/timeline?kinds=life_event`)).json<Page>().items;
    expect(lifeEvents.map((i) => i.kind)).toEqual(['life_event.ed_visit', 'life_event.overdose']);
    const some = (await allPages(client, w.participantId, [1], 'episode.status,todo,participant')).items;
    expect(some.map((i) => i.kind)).toEqual(['todo.done', 'todo.added', 'episode.status', 'participant.intake']);
    const reads = await auditEvents(t, { action: 'participant.read', organizationId: w.organizationId });
    expect(reads.filter((r) => (r.details as { part?: string }).part === 'timeline')).toHaveLength(1 + 4 + 1 + 4);
    expect(reads.every((r) => r.targetIds.length === 1 && r.targetIds[0] === w.participantId)).toBe(true);
  });

  it('refuses a malformed cursor, a limit out of 1..100 and a malformed kinds list, naming each', async () => {
    const w = await careWorld(t);
    const client = await w.as(w.coach);
    const url = `/api/v1/participants/${w.participantId}/timeline`;
    const forged = Buffer.from('yesterday\nlife_event:1').toString('base64url');
    for (const [qs, field] of [
      ['before=not-a-cursor!', 'query.before'],
      [`before=${forged}`, 'query.before'],
      ['limit=0', 'query.limit'],
      ['limit=101', 'query.limit'],
      ['limit=ten', 'query.limit'],
      ['kinds=Life-Event', 'query.kinds'],
    ] as const) {
      const res = await client.get(`${url}?${qs}`);
      expect([qs, res.statusCode, err(res).code]).toEqual([qs, 400, 'validation.failed']);
      expect(fieldsOf(res)).toContain(field);
    }
  });

  it('the cursor is opaque but round-trips', () => {
    const c = { at: '2026-11-20T05:00:00.000Z', id: 'life_event:019a0000-0000-7000-8000-000000000000' };
    expect(decodeTimelineCursor(encodeTimelineCursor(c))).toEqual(c);
    expect(encodeTimelineCursor(c)).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeTimelineCursor('')).toBeUndefined();
  });

  it('outside the caller’s scope: 403; a privacy officer reads it (audited)', async () => {
    const w = await careWorld(t);
    const out = await (await w.as(w.coach)).get(`/api/v1/participants/${w.elsewhereId}/timeline`);
    expect([out.statusCode, err(out).code]).toEqual([403, 'participant.out_of_scope']);
    const po = await (await w.as(w.privacyOfficer)).get(`/api/v1/participants/${w.elsewhereId}/timeline`);
    expect(po.statusCode).toBe(200);
    expect(await auditEvents(t, { action: 'participant.read', organizationId: w.organizationId })).toEqual([
      expect.objectContaining({ actorUserId: w.privacyOfficer.id, targetIds: [w.elsewhereId], details: { part: 'timeline' } }),
    ]);
  });

  it('a provider that is filtered out is skipped, and one partly filtered is asked again until a page is full', async () => {
    const at = (n: number) => new Date(Date.UTC(2026, 10, 1) + n * 60_000).toISOString();
    const items = (prefix: string, kind: (n: number) => string, n: number): TimelineItem[] =>
      Array.from({ length: n }, (_, i) => ({ id: `${prefix}:${String(i).padStart(4, '0')}`, kind: kind(i), at: at(i), dateOnly: false, summary: '', details: {}, link: null, actorUserId: null }));
    const calls: string[] = [];
    const fake = (name: string, kinds: string[] | undefined, all: TimelineItem[]): TimelineProvider => ({
      name,
      ...(kinds && { kinds }),
      items: (_db, q) => {
        calls.push(name);
        return Promise.resolve(all.filter((i) => !q.before || i.at < q.before.at || (i.at === q.before.at && i.id < q.before.id)).sort((a, b) => (a.at < b.at ? 1 : -1)).slice(0, q.limit));
      },
    });
    // One in ten of the mixed provider's items is a 'b.x'.
    const mixed = fake('mixed', ['a', 'b'], items('m', (i) => (i % 10 === 0 ? 'b.x' : 'a.y'), 200));
    const other = fake('other', ['c'], items('c', () => 'c.z', 50));
    const page = await readTimeline(t.db, [mixed, other], { organizationId: 'o', participantId: 'p', timeZone: 'UTC', limit: 5 }, ['b']);
    expect(page.map((i) => i.id)).toEqual(['m:0190', 'm:0180', 'm:0170', 'm:0160', 'm:0150']);
    expect(calls.filter((c) => c === 'other')).toEqual([]);
    expect(calls.length).toBeGreaterThan(1);
    expect(kindMatches(['life_event'], 'life_event.overdose')).toBe(true);
    expect(kindMatches(['life_event'], 'life_events.x')).toBe(false);
  });

  describe('property: pages of any sizes, concatenated, are exactly the whole timeline', () => {
    // Instants shared across sources (05:00Z is midnight in New York in November: the same
    // instant as every date-only item of that day), so ties on `at` are everywhere.
    const DATES = ['2026-11-20', '2026-11-21', '2026-11-22'] as const;
    const TIMES = ['05:00:00.000Z', '14:00:00.000Z', '16:30:00.000Z'] as const;
    const instant = fc.tuple(fc.constantFrom(...DATES), fc.constantFrom(...TIMES)).map(([d, tm]) => `${d}T${tm}`);
    const story = fc.record({
      intakeAt: instant,
      episodes: fc.array(
        fc.record({
          start: fc.constantFrom(...DATES),
          dischargedOn: fc.option(fc.constantFrom(...DATES), { nil: null }),
          events: fc.array(fc.record({ kind: fc.constantFrom('reassign', 'transfer', 'status'), to: fc.constantFrom('on_hold', 'unreachable', 'active', 'discharged'), at: instant }), { maxLength: 4 }),
        }),
        { maxLength: 2 },
      ),
      lifeEvents: fc.array(fc.record({ kind: fc.constantFrom(...LIFE_EVENT_KINDS), on: fc.constantFrom(...DATES), time: fc.option(fc.constantFrom(...TIMES), { nil: null }) }), { maxLength: 8 }),
      todos: fc.array(fc.record({ createdAt: instant, closed: fc.constantFrom(null, 'done', 'cancelled'), closedAt: instant }), { maxLength: 6 }),
      sizes: fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 4 }),
      kinds: fc.option(fc.subarray(['participant', 'episode', 'life_event', 'todo', 'life_event.overdose', 'todo.done', 'episode.status'], { minLength: 1 }), { nil: null }),
    });
    type Story = typeof story extends fc.Arbitrary<infer S> ? S : never;

    /** Write the story for a new participant; the items the timeline must give, computed from the story itself. */
    async function write(w: CareWorld, s: Story): Promise<{ participantId: string; expected: { id: string; kind: string; at: string }[] }> {
      const org = w.organizationId;
      const participantId = await buildParticipant(t.db, { organizationId: org, createdBy: w.coach.id });
      await t.db.updateTable('participants').set({ created_at: s.intakeAt }).where('id', '=', participantId).execute();
      const expected: { id: string; kind: string; at: string }[] = [{ id: `participant.intake:${participantId}`, kind: 'participant.intake', at: s.intakeAt }];
      const midnight = (d: string) => `${d}T05:00:00.000Z`;
      for (const e of s.episodes) {
        const id = await insertEpisode(t.db, { organizationId: org, participantId, programId: await buildProgram(t.db, org), siteId: w.siteA, startDate: e.start, referralSource: null, assignedCoachUserId: w.coach.id, createdBy: w.coach.id, now: NOW });
        expected.push({ id: `episode.started:${id}`, kind: 'episode.started', at: midnight(e.start) });
        if (e.dischargedOn) {
          await t.db.updateTable('episodes').set({ status: 'discharged', discharge_date: e.dischargedOn, discharge_reason: 'other' }).where('id', '=', id).execute();
          expected.push({ id: `episode.discharged:${id}`, kind: 'episode.discharged', at: midnight(e.dischargedOn) });
        }
        for (const ev of e.events) {
          const [fromValue, toValue] = ev.kind === 'reassign' ? [w.otherCoach.id, w.coach.id] : ev.kind === 'transfer' ? [w.siteB, w.siteA] : ['active', ev.to];
          const evId = await insertEpisodeEvent(t.db, org, { episodeId: id, kind: ev.kind, fromValue, toValue, reason: null, actorUserId: w.supervisor.id, occurredAt: ev.at });
          if (ev.kind === 'status' && ev.to === 'discharged') continue;
          expected.push({ id: `episode_event:${evId}`, kind: ev.kind === 'reassign' ? 'episode.reassigned' : ev.kind === 'transfer' ? 'episode.transferred' : 'episode.status', at: ev.at });
        }
      }
      for (const le of s.lifeEvents) {
        const occurredAt = le.time ? `${le.on}T${le.time}` : null;
        const id = await lifeEventRow(t.db, { organizationId: org, participantId, createdBy: w.coach.id, kind: le.kind, occurredOn: le.on, occurredAt });
        expected.push({ id: `life_event:${id}`, kind: `life_event.${le.kind}`, at: occurredAt ?? midnight(le.on) });
      }
      for (const td of s.todos) {
        const id = await todoRow(t.db, { organizationId: org, participantId, ownerUserId: w.coach.id, now: td.createdAt });
        expected.push({ id: `todo.added:${id}`, kind: 'todo.added', at: td.createdAt });
        if (td.closed) {
          await t.db.updateTable('todos').set({ status: td.closed, completed_at: td.closedAt, completed_by: w.coach.id }).where('id', '=', id).execute();
          expected.push({ id: `todo.closed:${id}`, kind: `todo.${td.closed}`, at: td.closedAt });
        }
      }
      expected.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
      return { participantId, expected: s.kinds ? expected.filter((x) => kindMatches(s.kinds!, x.kind)) : expected };
    }

    it('for random stories, page sizes and kind filters', async () => {
      const w = await careWorld(t);
      const client = await w.as(w.manager);
      await fc.assert(
        fc.asyncProperty(story, async (s) => {
          const { participantId, expected } = await write(w, s);
          const { items } = await allPages(client, participantId, s.sizes, s.kinds?.join(','));
          expect(items.map((i) => [i.id, i.kind, i.at])).toEqual(expected.map((x) => [x.id, x.kind, x.at]));
        }),
        { numRuns: t.dialect === 'sqlite' ? 300 : 40 },
      );
    }, 120_000);
  });
});

/**
 * To-dos through the HTTP API on a real database: follow-ups, when they fall due and become
 * overdue (local midnight, a site's own time zone, DST), lists, changes, who may change whose,
 * and the functions other modules call (clearTodos, openTodoCounts).
 */
import type { z } from 'zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../contracts/common.js';
import type { Todo, TodoList } from '../../../contracts/care.js';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { buildUser } from '../../../../test/helpers/factories.js';
import { auditEvents, writeFingerprint } from '../../../../test/helpers/inspect.js';
import { asUseCase, careWorld, todoRow } from '../../../../test/helpers/care.js';
import { updateUser } from '../users/users.repository.js';
import { openTodoCounts } from './care.repository.js';
import { clearTodos } from './care.usecases.js';

type TodoJson = z.infer<typeof Todo>;
type TodoListJson = z.infer<typeof TodoList>;
const NOW = '2026-11-27T15:00:00.000Z'; // Friday 10:00 in New York

describe('to-dos', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t.close());

  const err = (res: { json: <T>() => T }) => res.json<ErrorBody>().error;
  const fieldsOf = (res: { json: <T>() => T }) => err(res).fields?.map((f) => f.path);
  const follow = (overrides: Record<string, unknown> = {}) => ({ dueOn: '2026-11-28', title: 'Call about the clinic visit', ...overrides });

  describe('adding a follow-up', () => {
    it('goes on the caller’s list, due by the end of the local day, and is audited', async () => {
      const w = await careWorld(t);
      const client = await w.as(w.coach);
      const res = await client.post(`/api/v1/participants/${w.participantId}/todos`, follow({ note: 'He asked for a morning call' }));
      expect(res.statusCode, res.body).toBe(201);
      const todo = res.json<TodoJson>();
      expect(todo).toMatchObject({
        kind: 'follow_up',
        participantId: w.participantId,
        ownerUserId: w.coach.id,
        dueOn: '2026-11-28',
        dueTime: null,
        // The end of the 28th in New York (EST) is 05:00 UTC on the 29th.
        dueAt: '2026-11-29T05:00:00.000Z',
        overdue: false,
        severity: 'normal',
        clearsOn: 'manual',
        status: 'open',
        source: null,
        version: 1,
      });
      expect(todo.participantName).toMatch(/^Rosa Test/);
      expect(await auditEvents(t, { action: 'todo.create', organizationId: w.organizationId })).toEqual([
        expect.objectContaining({ actorUserId: w.coach.id, targetType: 'todo', targetIds: [todo.id, w.participantId], details: { kind: 'follow_up' } }),
      ]);
    });

    it('becomes overdue exactly at local midnight after its due date', async () => {
      const w = await careWorld(t);
      const id = (await (await w.as(w.coach)).post(`/api/v1/participants/${w.participantId}/todos`, follow())).json<TodoJson>().id;
      const overdueAt = async (now: string) => {
        t.clock.set(now);
        const list = (await (await w.as(w.coach)).get('/api/v1/todos')).json<TodoListJson>();
        return list.todos.find((x) => x.id === id)?.overdue;
      };
      expect(await overdueAt('2026-11-29T04:59:59.999Z')).toBe(false); // 23:59:59.999 on the 28th in New York
      expect(await overdueAt('2026-11-29T05:00:00.000Z')).toBe(true); // midnight
    });

    it('with a time, is due at that local time in the time zone of the participant’s site', async () => {
      const w = await careWorld(t, { siteATimeZone: 'America/Los_Angeles' });
      const client = await w.as(w.coach);
      const timed = (await client.post(`/api/v1/participants/${w.participantId}/todos`, follow({ dueTime: '09:30' }))).json<TodoJson>();
      expect(timed).toMatchObject({ dueTime: '09:30', dueAt: '2026-11-28T17:30:00.000Z' });
      const dayOnly = (await client.post(`/api/v1/participants/${w.participantId}/todos`, follow())).json<TodoJson>();
      expect(dayOnly.dueAt).toBe('2026-11-29T08:00:00.000Z'); // midnight in Los Angeles
    });

    it('across the spring DST change: a time in the skipped hour moves forward; the short day ends an hour early', async () => {
      t.clock.set('2026-03-06T15:00:00.000Z');
      const w = await careWorld(t);
      const client = await w.as(w.coach);
      const skipped = (await client.post(`/api/v1/participants/${w.participantId}/todos`, follow({ dueOn: '2026-03-08', dueTime: '02:30' }))).json<TodoJson>();
      expect(skipped.dueAt).toBe('2026-03-08T07:30:00.000Z'); // 03:30 EDT
      const shortDay = (await client.post(`/api/v1/participants/${w.participantId}/todos`, follow({ dueOn: '2026-03-08' }))).json<TodoJson>();
      expect(shortDay.dueAt).toBe('2026-03-09T04:00:00.000Z'); // midnight EDT
      const before = (await client.post(`/api/v1/participants/${w.participantId}/todos`, follow({ dueOn: '2026-03-07' }))).json<TodoJson>();
      expect(before.dueAt).toBe('2026-03-08T05:00:00.000Z'); // midnight EST
      t.clock.set('2026-03-09T03:59:59.000Z');
      const list = (await (await w.as(w.coach)).get('/api/v1/todos')).json<TodoListJson>().todos;
      expect(list.map((x) => [x.id, x.overdue])).toEqual([
        [before.id, true],
        [skipped.id, true],
        [shortDay.id, false],
      ]);
    });

    it('refuses a due date in the past (local today is fine) and a time that is not HH:MM', async () => {
      const w = await careWorld(t);
      const client = await w.as(w.coach);
      const past = await client.post(`/api/v1/participants/${w.participantId}/todos`, follow({ dueOn: '2026-11-26' }));
      expect([past.statusCode, fieldsOf(past)]).toEqual([400, ['dueOn']]);
      expect((await client.post(`/api/v1/participants/${w.participantId}/todos`, follow({ dueOn: '2026-11-27' }))).statusCode).toBe(201);
      const time = await client.post(`/api/v1/participants/${w.participantId}/todos`, follow({ dueTime: '9:30pm' }));
      expect([time.statusCode, fieldsOf(time)]).toEqual([400, ['dueTime']]);
      const noTitle = await client.post(`/api/v1/participants/${w.participantId}/todos`, follow({ title: '  ' }));
      expect(fieldsOf(noTitle)).toEqual(['title']);
    });

    it('a supervisor may put it on a coach of their team; nobody else’s list, and only an active coach or supervisor', async () => {
      const w = await careWorld(t);
      const sup = await w.as(w.supervisor);
      const ok = await sup.post(`/api/v1/participants/${w.participantId}/todos`, follow({ ownerUserId: w.coach.id }));
      expect(ok.statusCode, ok.body).toBe(201);
      expect(ok.json<TodoJson>()).toMatchObject({ ownerUserId: w.coach.id, createdBy: w.supervisor.id, ownerName: expect.any(String) as string });
      const notTheirTeam = await sup.post(`/api/v1/participants/${w.participantId}/todos`, follow({ ownerUserId: w.otherCoach.id }));
      expect([notTheirTeam.statusCode, fieldsOf(notTheirTeam)]).toEqual([400, ['ownerUserId']]);
      const coachAssigns = await (await w.as(w.coach)).post(`/api/v1/participants/${w.participantId}/todos`, follow({ ownerUserId: w.supervisor.id }));
      expect([coachAssigns.statusCode, fieldsOf(coachAssigns)]).toEqual([400, ['ownerUserId']]);
      const manager = await w.as(w.manager);
      expect((await manager.post(`/api/v1/participants/${w.participantId}/todos`, follow({ ownerUserId: w.otherCoach.id }))).statusCode).toBe(201);
      const admin = await buildUser(t.db, { organizationId: w.organizationId, roles: ['admin'] });
      expect(fieldsOf(await manager.post(`/api/v1/participants/${w.participantId}/todos`, follow({ ownerUserId: admin.id })))).toEqual(['ownerUserId']);
      await updateUser(t.db, w.otherCoach.id, { status: 'disabled' }, NOW);
      expect(fieldsOf(await manager.post(`/api/v1/participants/${w.participantId}/todos`, follow({ ownerUserId: w.otherCoach.id })))).toEqual(['ownerUserId']);
      const stranger = (await careWorld(t)).coach;
      expect(fieldsOf(await manager.post(`/api/v1/participants/${w.participantId}/todos`, follow({ ownerUserId: stranger.id })))).toEqual(['ownerUserId']);
    });

    it('for a participant outside the caller’s scope: 403, nothing written', async () => {
      const w = await careWorld(t);
      const client = await w.as(w.coach);
      const before = await writeFingerprint(t);
      const res = await client.post(`/api/v1/participants/${w.elsewhereId}/todos`, follow());
      expect([res.statusCode, err(res).code]).toEqual([403, 'participant.out_of_scope']);
      expect(await writeFingerprint(t)).toEqual(before);
    });
  });

  describe('lists', () => {
    it('mine: soonest due first, then the most severe; filtered by status and due date; names only', async () => {
      const w = await careWorld(t);
      const base = { organizationId: w.organizationId, ownerUserId: w.coach.id, participantId: w.participantId };
      const later = await todoRow(t.db, { ...base, dueOn: '2026-11-30', dueAt: '2026-12-01T05:00:00.000Z' });
      const lowSoon = await todoRow(t.db, { ...base, severity: 'low', dueAt: '2026-11-28T14:00:00.000Z', dueOn: '2026-11-28', dueTime: '09:00' });
      const urgentSoon = await todoRow(t.db, { ...base, severity: 'urgent', dueAt: '2026-11-28T14:00:00.000Z', dueOn: '2026-11-28', dueTime: '09:00' });
      const highSoon = await todoRow(t.db, { ...base, severity: 'high', dueAt: '2026-11-28T14:00:00.000Z', dueOn: '2026-11-28', dueTime: '09:00' });
      const noParticipant = await todoRow(t.db, { ...base, participantId: null, dueOn: '2026-11-29', dueAt: '2026-11-30T05:00:00.000Z' });
      const done = await todoRow(t.db, { ...base });
      await t.db.updateTable('todos').set({ status: 'done', completed_at: NOW }).where('id', '=', done).execute();
      await todoRow(t.db, { ...base, ownerUserId: w.otherCoach.id });
      const client = await w.as(w.coach);
      const mine = (await client.get('/api/v1/todos')).json<TodoListJson>();
      expect(mine.todos.map((x) => x.id)).toEqual([urgentSoon, highSoon, lowSoon, noParticipant, later]);
      expect(mine.truncated).toBe(false);
      expect(mine.todos[0]!.participantName).toMatch(/^Rosa Test/);
      expect(mine.todos.find((x) => x.id === noParticipant)!.participantName).toBeNull();
      expect((await client.get('/api/v1/todos?dueBy=2026-11-29')).json<TodoListJson>().todos.map((x) => x.id)).toEqual([urgentSoon, highSoon, lowSoon, noParticipant]);
      expect((await client.get('/api/v1/todos?status=done')).json<TodoListJson>().todos.map((x) => x.id)).toEqual([done]);
      const bad = await client.get('/api/v1/todos?dueBy=soon');
      expect(bad.statusCode).toBe(400);
      expect(fieldsOf(bad)).toContain('query.dueBy');
      const reads = await auditEvents(t, { action: 'participant.read', organizationId: w.organizationId });
      expect(reads[0]).toMatchObject({ targetIds: [w.participantId], details: { part: 'todos', owner: 'me' } });
    });

    it('team: a supervisor sees their team’s and their own; a program manager the organization’s; a coach may not ask', async () => {
      const w = await careWorld(t);
      const mk = (ownerUserId: string, participantId: string) => todoRow(t.db, { organizationId: w.organizationId, ownerUserId, participantId });
      const coachs = await mk(w.coach.id, w.participantId);
      const sups = await mk(w.supervisor.id, w.participantId);
      const others = await mk(w.otherCoach.id, w.elsewhereId);
      const team = (await (await w.as(w.supervisor)).get('/api/v1/todos?owner=team')).json<TodoListJson>().todos;
      expect(team.map((x) => x.id).sort()).toEqual([coachs, sups].sort());
      const all = (await (await w.as(w.manager)).get('/api/v1/todos?owner=team')).json<TodoListJson>().todos;
      expect(all.map((x) => x.id).sort()).toEqual([coachs, sups, others].sort());
      expect(all.every((x) => x.participantName !== null)).toBe(true);
      const coach = await (await w.as(w.coach)).get('/api/v1/todos?owner=team');
      expect([coach.statusCode, err(coach).code]).toEqual([403, 'auth.forbidden']);
    });

    it('names only the participants the caller may see', async () => {
      const w = await careWorld(t);
      // A to-do left on the coach's list about someone since moved to another coach.
      const id = await todoRow(t.db, { organizationId: w.organizationId, ownerUserId: w.coach.id, participantId: w.elsewhereId });
      const row = (await (await w.as(w.coach)).get('/api/v1/todos')).json<TodoListJson>().todos.find((x) => x.id === id);
      expect(row).toMatchObject({ participantId: w.elsewhereId, participantName: null });
    });

    it('a participant’s to-dos: open ones first (soonest due), then closed ones; audited as a read', async () => {
      const w = await careWorld(t);
      const base = { organizationId: w.organizationId, ownerUserId: w.coach.id, participantId: w.participantId };
      const closed = await todoRow(t.db, base);
      await t.db.updateTable('todos').set({ status: 'cancelled', completed_at: NOW }).where('id', '=', closed).execute();
      const late = await todoRow(t.db, { ...base, dueAt: '2026-12-05T05:00:00.000Z', dueOn: '2026-12-04' });
      const soon = await todoRow(t.db, { ...base, ownerUserId: w.supervisor.id, dueAt: '2026-11-28T05:00:00.000Z', dueOn: '2026-11-27' });
      const res = await (await w.as(w.coach)).get(`/api/v1/participants/${w.participantId}/todos`);
      expect(res.json<TodoListJson>().todos.map((x) => [x.id, x.status])).toEqual([
        [soon, 'open'],
        [late, 'open'],
        [closed, 'cancelled'],
      ]);
      expect(await auditEvents(t, { action: 'participant.read', organizationId: w.organizationId })).toEqual([expect.objectContaining({ targetIds: [w.participantId], details: { part: 'todos' } })]);
    });
  });

  describe('changing a to-do', () => {
    it('reschedule recomputes when it falls due; complete closes it; a second completion is 409 todo.closed', async () => {
      const w = await careWorld(t);
      const client = await w.as(w.coach);
      const todo = (await client.post(`/api/v1/participants/${w.participantId}/todos`, follow())).json<TodoJson>();
      const moved = await client.patch(`/api/v1/todos/${todo.id}`, { version: 1, dueOn: '2026-12-01', dueTime: '13:15', severity: 'high', title: 'Call after the clinic visit' });
      expect(moved.statusCode, moved.body).toBe(200);
      expect(moved.json<TodoJson>()).toMatchObject({ version: 2, dueOn: '2026-12-01', dueTime: '13:15', dueAt: '2026-12-01T18:15:00.000Z', severity: 'high', title: 'Call after the clinic visit' });
      const untimed = (await client.patch(`/api/v1/todos/${todo.id}`, { version: 2, dueTime: null })).json<TodoJson>();
      expect(untimed).toMatchObject({ dueTime: null, dueAt: '2026-12-02T05:00:00.000Z' });
      const past = await client.patch(`/api/v1/todos/${todo.id}`, { version: 3, dueOn: '2026-11-20' });
      expect([past.statusCode, fieldsOf(past)]).toEqual([400, ['dueOn']]);
      const done = await client.patch(`/api/v1/todos/${todo.id}`, { version: 3, status: 'done' });
      expect(done.json<TodoJson>()).toMatchObject({ status: 'done', resolution: 'manual', completedAt: NOW, completedBy: w.coach.id, overdue: false, version: 4 });
      const again = await client.patch(`/api/v1/todos/${todo.id}`, { version: 4, status: 'done' });
      expect([again.statusCode, err(again).code]).toEqual([409, 'todo.closed']);
      const stale = await client.patch(`/api/v1/todos/${todo.id}`, { version: 3, status: 'cancelled' });
      expect([stale.statusCode, err(stale).code]).toEqual([409, 'todo.closed']);
      expect((await auditEvents(t, { action: 'todo.update', organizationId: w.organizationId })).map((e) => e.details)).toEqual([
        { fields: ['severity', 'title', 'dueOn', 'dueTime', 'dueAt'] },
        { fields: ['dueOn', 'dueTime', 'dueAt'] },
        { fields: ['status', 'resolution', 'completedAt', 'completedBy'], status: 'done' },
      ]);
    });

    it('a stale version answers 409 record.conflict with the to-do as it is now', async () => {
      const w = await careWorld(t);
      const id = await todoRow(t.db, { organizationId: w.organizationId, ownerUserId: w.coach.id, participantId: w.participantId });
      const client = await w.as(w.coach);
      expect((await client.patch(`/api/v1/todos/${id}`, { version: 1, severity: 'urgent' })).statusCode).toBe(200);
      const stale = await (await w.as(w.supervisor)).patch(`/api/v1/todos/${id}`, { version: 1, severity: 'low' });
      expect(stale.statusCode).toBe(409);
      expect(err(stale)).toMatchObject({ code: 'record.conflict', details: { version: 2, current: expect.objectContaining({ id, severity: 'urgent', version: 2 }) } });
    });

    it('cancel closes it with the resolution cancelled', async () => {
      const w = await careWorld(t);
      const id = await todoRow(t.db, { organizationId: w.organizationId, ownerUserId: w.coach.id, participantId: w.participantId });
      const res = await (await w.as(w.coach)).patch(`/api/v1/todos/${id}`, { version: 1, status: 'cancelled' });
      expect(res.json<TodoJson>()).toMatchObject({ status: 'cancelled', resolution: 'cancelled', completedBy: w.coach.id });
    });

    it('someone else’s to-do: another coach is refused (403, recorded, nothing written); the owner’s supervisor and a program manager may change it', async () => {
      const w = await careWorld(t);
      const id = await todoRow(t.db, { organizationId: w.organizationId, ownerUserId: w.coach.id, participantId: w.participantId });
      const otherClient = await w.as(w.otherCoach);
      const before = await writeFingerprint(t);
      const other = await otherClient.patch(`/api/v1/todos/${id}`, { version: 1, status: 'done' });
      expect([other.statusCode, err(other).code]).toEqual([403, 'auth.forbidden']);
      expect(await writeFingerprint(t)).toEqual(before);
      expect(await auditEvents(t, { action: 'todo.update', organizationId: w.organizationId })).toEqual([
        expect.objectContaining({ outcome: 'denied', actorUserId: w.otherCoach.id, targetIds: [id, w.participantId], details: { reason: 'not_owner' } }),
      ]);
      const sup = await (await w.as(w.supervisor)).patch(`/api/v1/todos/${id}`, { version: 1, severity: 'high' });
      expect(sup.statusCode, sup.body).toBe(200);
      const pm = await (await w.as(w.manager)).patch(`/api/v1/todos/${id}`, { version: 2, status: 'done' });
      expect(pm.json<TodoJson>()).toMatchObject({ status: 'done', completedBy: w.manager.id });
    });

    it('reassigning: a supervisor to a coach of their team; the owner alone may not hand it on', async () => {
      const w = await careWorld(t);
      const id = await todoRow(t.db, { organizationId: w.organizationId, ownerUserId: w.supervisor.id, participantId: w.participantId });
      const res = await (await w.as(w.supervisor)).patch(`/api/v1/todos/${id}`, { version: 1, ownerUserId: w.coach.id });
      expect(res.json<TodoJson>()).toMatchObject({ ownerUserId: w.coach.id, version: 2 });
      const handOn = await (await w.as(w.coach)).patch(`/api/v1/todos/${id}`, { version: 2, ownerUserId: w.otherCoach.id });
      expect([handOn.statusCode, fieldsOf(handOn)]).toEqual([400, ['ownerUserId']]);
    });

    it('another organization’s to-do is 404, like one that does not exist', async () => {
      const w = await careWorld(t);
      const other = await careWorld(t);
      const id = await todoRow(t.db, { organizationId: other.organizationId, ownerUserId: other.coach.id, participantId: other.participantId });
      const res = await (await w.as(w.manager)).patch(`/api/v1/todos/${id}`, { version: 1, status: 'done' });
      expect([res.statusCode, err(res).code]).toEqual([404, 'record.not_found']);
    });
  });

  describe('for other modules', () => {
    it('clearTodos completes the participant’s open to-dos the condition clears, and nothing else', async () => {
      const w = await careWorld(t);
      const base = { organizationId: w.organizationId, ownerUserId: w.coach.id, participantId: w.participantId };
      const a = await todoRow(t.db, { ...base, clearsOn: 'contact_reached' });
      const b = await todoRow(t.db, { ...base, clearsOn: 'contact_reached', ownerUserId: w.supervisor.id });
      const manual = await todoRow(t.db, { ...base });
      const cancelled = await todoRow(t.db, { ...base, clearsOn: 'contact_reached' });
      await t.db.updateTable('todos').set({ status: 'cancelled', resolution: 'cancelled', completed_at: NOW }).where('id', '=', cancelled).execute();
      const someoneElse = await todoRow(t.db, { ...base, participantId: w.elsewhereId, clearsOn: 'contact_reached' });
      t.clock.set('2026-11-27T16:00:00.000Z');
      const cleared = await asUseCase(t, w.coach, (ctx) => clearTodos(ctx, { participantId: w.participantId, condition: 'contact_reached' }));
      expect(cleared.sort()).toEqual([a, b].sort());
      const rows = await t.db.selectFrom('todos').select(['id', 'status', 'resolution', 'completed_at', 'completed_by', 'version']).where('organization_id', '=', w.organizationId).execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const id of [a, b]) expect(byId.get(id)).toMatchObject({ status: 'done', resolution: 'contact_reached', completed_at: '2026-11-27T16:00:00.000Z', completed_by: w.coach.id, version: 2 });
      expect([manual, someoneElse].map((id) => byId.get(id)?.status)).toEqual(['open', 'open']);
      expect(byId.get(cancelled)).toMatchObject({ status: 'cancelled', resolution: 'cancelled', version: 1 });
      const audit = await auditEvents(t, { action: 'todo.clear', organizationId: w.organizationId });
      expect(audit).toEqual([expect.objectContaining({ targetType: 'todo', details: { condition: 'contact_reached', count: 2 } })]);
      expect(audit[0]!.targetIds).toContain(w.participantId);
      // Nothing left to clear: nothing changes, nothing recorded.
      expect(await asUseCase(t, w.coach, (ctx) => clearTodos(ctx, { participantId: w.participantId, condition: 'contact_reached' }))).toEqual([]);
      expect(await auditEvents(t, { action: 'todo.clear', organizationId: w.organizationId })).toHaveLength(1);
    });

    it('clearTodos rolls back with the write that called it', async () => {
      const w = await careWorld(t);
      const id = await todoRow(t.db, { organizationId: w.organizationId, ownerUserId: w.coach.id, participantId: w.participantId, clearsOn: 'contact_reached' });
      await expect(
        asUseCase(t, w.coach, async (ctx) => {
          await clearTodos(ctx, { participantId: w.participantId, condition: 'contact_reached' });
          throw new Error('the encounter failed to save');
        }),
      ).rejects.toThrow('the encounter failed to save');
      expect((await t.db.selectFrom('todos').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('open');
    });

    it('openTodoCounts: open and overdue per participant in one grouped query; the other organization’s and closed ones not counted', async () => {
      const w = await careWorld(t);
      const base = { organizationId: w.organizationId, ownerUserId: w.coach.id };
      await todoRow(t.db, { ...base, participantId: w.participantId, dueAt: '2026-11-27T05:00:00.000Z' }); // overdue
      await todoRow(t.db, { ...base, participantId: w.participantId, dueAt: '2026-11-27T15:00:00.000Z' }); // due this instant: overdue
      await todoRow(t.db, { ...base, participantId: w.participantId, dueAt: '2026-11-29T05:00:00.000Z' });
      const closed = await todoRow(t.db, { ...base, participantId: w.participantId, dueAt: '2026-11-20T05:00:00.000Z' });
      await t.db.updateTable('todos').set({ status: 'done' }).where('id', '=', closed).execute();
      await todoRow(t.db, { ...base, ownerUserId: w.otherCoach.id, participantId: w.elsewhereId });
      const other = await careWorld(t);
      await todoRow(t.db, { organizationId: other.organizationId, ownerUserId: other.coach.id, participantId: other.participantId });
      const counts = await openTodoCounts(t.db, w.organizationId, [w.participantId, w.elsewhereId, other.participantId], new Date(NOW));
      expect(Object.fromEntries(counts)).toEqual({ [w.participantId]: { open: 3, overdue: 2 }, [w.elsewhereId]: { open: 1, overdue: 0 } });
      expect((await openTodoCounts(t.db, w.organizationId, [])).size).toBe(0);
    });
  });
});

/**
 * MOUD access and insurance navigation through the HTTP API on a real database, with a fixed clock
 * (New York): the coverage rules on fixed dates (days supply, defaults, same-medication overlap),
 * fills, OTP enrollment periods, barriers, the participant's `current_moud` fact, insurance tasks
 * and their to-dos, the `refill_due` caseload signal at its boundaries, the timeline, bad input,
 * stale versions, scope and audit.
 */
import type { z } from 'zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../contracts/common.js';
import type { Caseload } from '../../../contracts/caseload.js';
import type { TimelinePage, TodoList } from '../../../contracts/care.js';
import { defaultDaysSupply, moudCoverage } from '../../../contracts/moud.js';
import type { InsuranceTask, MoudBarrier, MoudCourse, MoudFill, MoudSummary, OtpEnrollment } from '../../../contracts/moud.js';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/helpers/app.js';
import { auditEvents, writeFingerprint } from '../../../../test/helpers/inspect.js';
import { careWorld, type CareWorld } from '../../../../test/helpers/care.js';

const NOW = '2026-11-27T15:00:00.000Z'; // Friday 10:00 in New York
const TODAY = '2026-11-27';

type Course = z.infer<typeof MoudCourse>;
type Summary = z.infer<typeof MoudSummary>;

describe('MOUD coverage rules (fixed dates)', () => {
  it('one fill covers its date + days supply − 1; the refill is due the day after', () => {
    expect(moudCoverage([{ filledOn: '2026-11-20', daysSupply: 7 }])).toEqual({ spans: [{ from: '2026-11-20', through: '2026-11-26' }], coveredThrough: '2026-11-26', nextRefillDue: '2026-11-27' });
    expect(moudCoverage([{ filledOn: '2026-02-27', daysSupply: 3 }]).coveredThrough).toBe('2026-03-01');
    expect(moudCoverage([])).toEqual({ spans: [], coveredThrough: null, nextRefillDue: null });
  });

  it('an early fill of the same medication starts when the supply on hand runs out (overlap adds up), in any order given', () => {
    const fills = [
      { filledOn: '2026-11-24', daysSupply: 7 }, // 3 days early: covers 11-27 … 12-03
      { filledOn: '2026-11-20', daysSupply: 7 }, // 11-20 … 11-26
    ];
    expect(moudCoverage(fills)).toMatchObject({ spans: [{ from: '2026-11-20', through: '2026-12-03' }], nextRefillDue: '2026-12-04' });
    // Filled the day after running out: contiguous, one span.
    expect(moudCoverage([{ filledOn: '2026-11-01', daysSupply: 7 }, { filledOn: '2026-11-08', daysSupply: 7 }]).spans).toEqual([{ from: '2026-11-01', through: '2026-11-14' }]);
    // Three stacked fills on one day: 21 days.
    expect(moudCoverage(Array.from({ length: 3 }, () => ({ filledOn: '2026-11-01', daysSupply: 7 }))).coveredThrough).toBe('2026-11-21');
  });

  it('a gap starts a new span; the refill is due after the last one', () => {
    const c = moudCoverage([{ filledOn: '2026-10-01', daysSupply: 7 }, { filledOn: '2026-10-09', daysSupply: 14 }]);
    expect(c.spans).toEqual([{ from: '2026-10-01', through: '2026-10-07' }, { from: '2026-10-09', through: '2026-10-22' }]);
    expect(c.nextRefillDue).toBe('2026-10-23');
  });

  it('default days supply: buprenorphine by mouth 7, injection 31, implant 180; naltrexone injection 31; none for oral naltrexone or methadone', () => {
    expect(defaultDaysSupply('buprenorphine', 'sublingual_film')).toBe(7);
    expect(defaultDaysSupply('buprenorphine', 'sublingual_tablet')).toBe(7);
    expect(defaultDaysSupply('buprenorphine', 'extended_release_injection')).toBe(31);
    expect(defaultDaysSupply('buprenorphine', 'implant')).toBe(180);
    expect(defaultDaysSupply('naltrexone', 'extended_release_injection')).toBe(31);
    expect(defaultDaysSupply('naltrexone', 'oral_tablet')).toBeNull();
    expect(defaultDaysSupply('methadone', 'oral_liquid')).toBeNull();
  });
});

describe('MOUD access', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t.close());

  const err = (res: { json: <T>() => T }) => res.json<ErrorBody>().error;
  const fieldsOf = (res: { json: <T>() => T }) => err(res).fields?.map((f) => f.path);
  const created = <T>(res: { statusCode: number; body: string; json: <U>() => U }): T => {
    expect(res.statusCode, res.body).toBe(201);
    return res.json<T>();
  };
  const ok = <T>(res: { statusCode: number; body: string; json: <U>() => U }): T => {
    expect(res.statusCode, res.body).toBe(200);
    return res.json<T>();
  };
  const summary = async (client: TestClient, id: string) => ok<Summary>(await client.get(`/api/v1/participants/${id}/moud`));
  const course = async (client: TestClient, w: CareWorld, body: Record<string, unknown> = {}) =>
    created<Course>(await client.post(`/api/v1/participants/${w.participantId}/moud/courses`, { medication: 'buprenorphine', formulation: 'sublingual_film', prescriber: 'Dr. Rivera, Harbor Clinic', pharmacy: 'Main St Pharmacy', startedOn: '2026-11-01', source: 'participant_reported', ...body }));
  const fill = async (client: TestClient, w: CareWorld, courseId: string, body: Record<string, unknown> = {}) =>
    created<z.infer<typeof MoudFill>>(await client.post(`/api/v1/participants/${w.participantId}/moud/fills`, { courseId, filledOn: '2026-11-20', source: 'participant_reported', ...body }));
  /** Rows and version sums of this module's tables (the shared fingerprint does not count them). */
  const moudRows = async () => {
    const out: Record<string, number> = {};
    for (const table of ['moud_courses', 'moud_fills', 'moud_otp_enrollments', 'moud_barriers', 'insurance_tasks'] as const) {
      const r = await t.db.selectFrom(table).select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('version').as('v')]).executeTakeFirstOrThrow();
      out[table] = Number(r.n);
      out[`${table}.versions`] = Number(r.v ?? 0);
    }
    return out;
  };
  const participantFact = (w: CareWorld) => t.db.selectFrom('participants').select(['current_moud', 'moud_source', 'version']).where('id', '=', w.participantId).executeTakeFirstOrThrow();

  it('a coach records buprenorphine and a fill; the default 7 days gives the next refill date; audited with ids and codes only', async () => {
    const w = await careWorld(t);
    const client = await w.as(w.coach);
    const c = await course(client, w);
    expect(c).toMatchObject({ medication: 'buprenorphine', status: 'active', nextRefillDue: null, fills: [], source: 'participant_reported', verifiedBy: null, version: 1 });
    const f = await fill(client, w, c.id);
    expect(f).toMatchObject({ filledOn: '2026-11-20', daysSupply: 7, daysSupplyDefaulted: true, quantity: null });
    const s = await summary(client, w.participantId);
    expect(s).toMatchObject({ today: TODAY, nextRefillDue: '2026-11-27' });
    expect(s.courses[0]).toMatchObject({ id: c.id, coveredThrough: '2026-11-26', nextRefillDue: '2026-11-27', refillInDays: 0, fills: [expect.objectContaining({ id: f.id })] });

    const audits = await auditEvents(t, { organizationId: w.organizationId });
    expect(audits.filter((a) => a.action.startsWith('moud_'))).toEqual([
      expect.objectContaining({ action: 'moud_course.create', actorUserId: w.coach.id, targetIds: [c.id, w.participantId], details: { medication: 'buprenorphine', status: 'active', source: 'participant_reported' } }),
      expect.objectContaining({ action: 'moud_fill.create', targetIds: [f.id, c.id, w.participantId], details: { medication: 'buprenorphine', daysSupply: 7, source: 'participant_reported' } }),
    ]);
    expect(audits.filter((a) => a.action === 'participant.read')).toEqual([expect.objectContaining({ targetIds: [w.participantId], details: { part: 'moud' } })]);
    expect(JSON.stringify(audits)).not.toMatch(/Rivera|Main St/);
  });

  it('an early fill adds to the supply on hand; a correction recomputes it; a stale version is 409 with the current record', async () => {
    const w = await careWorld(t);
    const client = await w.as(w.coach);
    const c = await course(client, w);
    await fill(client, w, c.id, { filledOn: '2026-11-20', daysSupply: 7 });
    const early = await fill(client, w, c.id, { filledOn: '2026-11-24', daysSupply: 14, quantity: 28, source: 'verified' });
    expect(early).toMatchObject({ daysSupplyDefaulted: false, quantity: 28, source: 'verified', verifiedBy: w.coach.id, verifiedByName: expect.any(String) });
    expect((await summary(client, w.participantId)).nextRefillDue).toBe('2026-12-11'); // 11-20 … 11-26, then 14 days from 11-27

    const fixed = ok<z.infer<typeof MoudFill>>(await client.patch(`/api/v1/moud/fills/${early.id}`, { daysSupply: 7, version: 1 }));
    expect(fixed.version).toBe(2);
    expect((await summary(client, w.participantId)).courses[0]!.nextRefillDue).toBe('2026-12-04');

    const stale = await client.patch(`/api/v1/moud/fills/${early.id}`, { daysSupply: 30, version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(err(stale)).toMatchObject({ code: 'record.conflict', details: { version: 2, current: expect.objectContaining({ daysSupply: 7 }) } });
    const staleCourse = await client.patch(`/api/v1/moud/courses/${c.id}`, { pharmacy: 'Elm Pharmacy', version: 1 });
    expect(ok<Course>(staleCourse).version).toBe(2);
    expect((await client.patch(`/api/v1/moud/courses/${c.id}`, { pharmacy: 'Oak Pharmacy', version: 1 })).statusCode).toBe(409);
  });

  it('fills of the same medication add up across its courses (a new prescriber), other medications do not', async () => {
    const w = await careWorld(t);
    const client = await w.as(w.coach);
    const first = await course(client, w);
    await fill(client, w, first.id, { filledOn: '2026-11-20', daysSupply: 7 });
    const second = await course(client, w, { prescriber: 'Bay Clinic', formulation: 'sublingual_tablet' });
    await fill(client, w, second.id, { filledOn: '2026-11-25', daysSupply: 7 });
    const naltrexone = await course(client, w, { medication: 'naltrexone', formulation: 'oral_tablet', status: 'stopped' });
    await fill(client, w, naltrexone.id, { filledOn: '2026-11-25', daysSupply: 30 });
    const s = await summary(client, w.participantId);
    const by = (id: string) => s.courses.find((c) => c.id === id)!;
    expect(by(first.id).nextRefillDue).toBe('2026-12-04');
    expect(by(second.id).nextRefillDue).toBe('2026-12-04');
    expect(by(naltrexone.id).nextRefillDue).toBe('2026-12-25');
    expect(s.nextRefillDue).toBe('2026-12-04'); // active courses only
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const w = await careWorld(t);
    const client = await w.as(w.coach);
    const bup = await course(client, w);
    const methadone = await course(client, w, { medication: 'methadone', formulation: 'oral_liquid', prescriber: 'Harbor OTP' });
    const oralNaltrexone = await course(client, w, { medication: 'naltrexone', formulation: 'oral_tablet' });
    const otherCoach = await w.as(w.otherCoach);
    const before = { ...(await writeFingerprint(t)), ...(await moudRows()) };
    const url = `/api/v1/participants/${w.participantId}`;
    const cases: [string, Record<string, unknown>, string][] = [
      ['/moud/fills', { courseId: bup.id, filledOn: '2026-11-28', source: 'participant_reported' }, 'filledOn'],
      ['/moud/fills', { courseId: bup.id, filledOn: '2026-11-20', daysSupply: 0, source: 'participant_reported' }, 'daysSupply'],
      ['/moud/fills', { courseId: bup.id, filledOn: '2026-11-20', daysSupply: 366, source: 'participant_reported' }, 'daysSupply'],
      ['/moud/fills', { courseId: bup.id, filledOn: '2026-11-20', daysSupply: 7, source: 'a friend' }, 'source'],
      ['/moud/fills', { courseId: methadone.id, filledOn: '2026-11-20', source: 'participant_reported' }, 'courseId'],
      ['/moud/fills', { courseId: oralNaltrexone.id, filledOn: '2026-11-20', source: 'participant_reported' }, 'daysSupply'],
      ['/moud/courses', { medication: 'fentanyl', formulation: 'sublingual_film', source: 'participant_reported' }, 'medication'],
      ['/moud/courses', { medication: 'methadone', formulation: 'implant', source: 'participant_reported' }, 'formulation'],
      ['/moud/courses', { medication: 'buprenorphine', formulation: 'implant', startedOn: '2026-12-01', source: 'participant_reported' }, 'startedOn'],
      ['/moud/enrollments', { courseId: methadone.id, startedOn: '2026-11-10', endedOn: '2026-11-09', source: 'verified' }, 'endedOn'],
      ['/moud/enrollments', { courseId: bup.id, startedOn: '2026-11-10', source: 'verified' }, 'courseId'],
      ['/moud/barriers', { kind: 'weather', source: 'participant_reported' }, 'kind'],
      ['/moud/barriers', { kind: 'cost', notedOn: '2026-11-28', source: 'participant_reported' }, 'notedOn'],
      ['/insurance-tasks', { kind: 'medicaid_renewal', dueOn: '2026-11-26' }, 'dueOn'],
    ];
    for (const [path, body, field] of cases) {
      const res = await client.post(`${url}${path}`, body);
      expect({ path, field, status: res.statusCode }, res.body).toEqual({ path, field, status: 400 });
      expect(fieldsOf(res)).toEqual([field]);
    }
    // A course of someone else is not found.
    const other = await otherCoach.post(`/api/v1/participants/${w.elsewhereId}/moud/fills`, { courseId: bup.id, filledOn: '2026-11-20', source: 'participant_reported' });
    expect(other.statusCode).toBe(404);
    expect({ ...(await writeFingerprint(t)), ...(await moudRows()) }).toEqual(before);
  });

  it('methadone is OTP enrollment periods: enrolled now, no overlapping period, an end before the start is refused on correction', async () => {
    const w = await careWorld(t);
    const client = await w.as(w.coach);
    const m = await course(client, w, { medication: 'methadone', formulation: 'oral_liquid', prescriber: 'Harbor OTP', status: 'starting', startedOn: null });
    const period = created<z.infer<typeof OtpEnrollment>>(await client.post(`/api/v1/participants/${w.participantId}/moud/enrollments`, { courseId: m.id, startedOn: '2026-11-10', source: 'verified' }));
    expect(period).toMatchObject({ startedOn: '2026-11-10', endedOn: null, verifiedBy: w.coach.id });
    let s = await summary(client, w.participantId);
    expect(s.courses[0]).toMatchObject({ id: m.id, status: 'active', startedOn: '2026-11-10', enrolledNow: true, nextRefillDue: null, enrollments: [expect.objectContaining({ id: period.id })] });
    expect((await participantFact(w)).current_moud).toBe('methadone');
    const overlap = await client.post(`/api/v1/participants/${w.participantId}/moud/enrollments`, { courseId: m.id, startedOn: '2026-11-20', source: 'verified' });
    expect(fieldsOf(overlap)).toEqual(['startedOn']);
    const backwards = await client.patch(`/api/v1/moud/enrollments/${period.id}`, { endedOn: '2026-11-01', version: 1 });
    expect(fieldsOf(backwards)).toEqual(['endedOn']);
    ok(await client.patch(`/api/v1/moud/enrollments/${period.id}`, { endedOn: '2026-11-25', version: 1 }));
    s = await summary(client, w.participantId);
    expect(s.courses[0]!.enrolledNow).toBe(false);
  });

  it('keeps the participant’s current MOUD fact in step: an active course names it, stopping the last one makes it none', async () => {
    const w = await careWorld(t);
    const client = await w.as(w.coach);
    const before = await participantFact(w);
    const c = await course(client, w, { source: 'verified' });
    const after = await participantFact(w);
    expect(after).toMatchObject({ current_moud: 'buprenorphine', moud_source: 'clinician_verified' });
    expect(Number(after.version)).toBe(Number(before.version) + 1);
    const stopped = ok<Course>(await client.patch(`/api/v1/moud/courses/${c.id}`, { status: 'stopped', version: 1 }));
    expect(stopped).toMatchObject({ status: 'stopped', stoppedOn: TODAY });
    expect(await participantFact(w)).toMatchObject({ current_moud: 'none' });
    expect(await auditEvents(t, { action: 'participant.update', organizationId: w.organizationId })).toEqual([
      expect.objectContaining({ targetIds: [w.participantId], details: expect.objectContaining({ via: 'moud', currentMoud: 'buprenorphine' }) }),
      expect.objectContaining({ targetIds: [w.participantId], details: expect.objectContaining({ via: 'moud', currentMoud: 'none' }) }),
    ]);
    // A stop date before the start is refused.
    const c2 = await course(client, w, { startedOn: '2026-11-10' });
    expect(fieldsOf(await client.patch(`/api/v1/moud/courses/${c2.id}`, { status: 'stopped', stoppedOn: '2026-11-09', version: 1 }))).toEqual(['stoppedOn']);
  });

  it('barriers: open, then resolved (not before they came up, not in the future)', async () => {
    const w = await careWorld(t);
    const client = await w.as(w.coach);
    const b = created<z.infer<typeof MoudBarrier>>(await client.post(`/api/v1/participants/${w.participantId}/moud/barriers`, { kind: 'pharmacy_out_of_stock', notedOn: '2026-11-25', source: 'participant_reported' }));
    expect(b).toMatchObject({ status: 'open', notedOn: '2026-11-25', resolvedOn: null });
    expect(fieldsOf(await client.patch(`/api/v1/moud/barriers/${b.id}`, { status: 'resolved', resolvedOn: '2026-11-24', version: 1 }))).toEqual(['resolvedOn']);
    expect(fieldsOf(await client.patch(`/api/v1/moud/barriers/${b.id}`, { status: 'resolved', resolvedOn: '2026-11-28', version: 1 }))).toEqual(['resolvedOn']);
    const done = ok<z.infer<typeof MoudBarrier>>(await client.patch(`/api/v1/moud/barriers/${b.id}`, { status: 'resolved', version: 1 }));
    expect(done).toMatchObject({ status: 'resolved', resolvedOn: TODAY, version: 2 });
  });

  it('an insurance task with a due date is a to-do on the assigned coach’s list; it moves with the due date and closes with the task', async () => {
    const w = await careWorld(t);
    const supervisor = await w.as(w.supervisor);
    const coach = await w.as(w.coach);
    const task = created<z.infer<typeof InsuranceTask>>(await supervisor.post(`/api/v1/participants/${w.participantId}/insurance-tasks`, { kind: 'buprenorphine_prior_authorization', dueOn: '2026-11-30' }));
    expect(task).toMatchObject({ status: 'open', dueOn: '2026-11-30', todoId: expect.any(String) });
    const todos = async () => ok<z.infer<typeof TodoList>>(await coach.get('/api/v1/todos')).todos;
    expect(await todos()).toEqual([expect.objectContaining({ id: task.todoId, kind: 'insurance', ownerUserId: w.coach.id, dueOn: '2026-11-30', title: 'Insurance: prior authorization for buprenorphine', source: { type: 'insurance_task', id: task.id } })]);

    const moved = ok<z.infer<typeof InsuranceTask>>(await coach.patch(`/api/v1/insurance-tasks/${task.id}`, { dueOn: '2026-12-02', status: 'in_progress', version: 1 }));
    expect(moved).toMatchObject({ status: 'in_progress', todoId: task.todoId, version: 2 });
    expect((await todos())[0]).toMatchObject({ id: task.todoId, dueOn: '2026-12-02', status: 'open' });

    const done = ok<z.infer<typeof InsuranceTask>>(await coach.patch(`/api/v1/insurance-tasks/${task.id}`, { status: 'done', version: 2 }));
    expect(done).toMatchObject({ status: 'done', todoId: null, completedAt: NOW });
    expect(await todos()).toEqual([]);
    const todoRow = await t.db.selectFrom('todos').select(['status', 'resolution']).where('id', '=', task.todoId!).executeTakeFirstOrThrow();
    expect(todoRow).toEqual({ status: 'done', resolution: 'insurance_task_done' });
    expect((await coach.patch(`/api/v1/insurance-tasks/${task.id}`, { status: 'open', version: 1 })).statusCode).toBe(409);

    // Without a due date: no to-do until one is given.
    const later = created<z.infer<typeof InsuranceTask>>(await coach.post(`/api/v1/participants/${w.participantId}/insurance-tasks`, { kind: 'medicaid_renewal' }));
    expect(later.todoId).toBeNull();
    const dated = ok<z.infer<typeof InsuranceTask>>(await coach.patch(`/api/v1/insurance-tasks/${later.id}`, { dueOn: TODAY, version: 1 }));
    expect(dated.todoId).toEqual(expect.any(String));
    expect((await todos()).map((x) => x.id)).toEqual([dated.todoId]);
  });

  it('scope: a coach of another team gets 403, another organization’s records 404', async () => {
    const w = await careWorld(t);
    const mine = await w.as(w.coach);
    const c = await course(mine, w);
    const other = await w.as(w.otherCoach);
    expect(err(await other.get(`/api/v1/participants/${w.participantId}/moud`)).code).toBe('participant.out_of_scope');
    expect((await other.patch(`/api/v1/moud/courses/${c.id}`, { pharmacy: 'X', version: 1 })).statusCode).toBe(403);
    const elsewhere = await careWorld(t);
    expect((await (await elsewhere.as(elsewhere.manager)).patch(`/api/v1/moud/courses/${c.id}`, { pharmacy: 'X', version: 1 })).statusCode).toBe(404);
    // A privacy officer holds no MOUD permission (minimum necessary).
    expect((await (await w.as(w.privacyOfficer)).get(`/api/v1/participants/${w.participantId}/moud`)).statusCode).toBe(403);
  });

  it('the caseload flags a refill due within 3 days or overdue, for active medications only', async () => {
    const w = await careWorld(t);
    const client = await w.as(w.coach);
    const flagOf = async () => {
      const items = ok<z.infer<typeof Caseload>>(await client.get('/api/v1/caseload')).items;
      return items.find((i) => i.participantId === w.participantId)!.flags.find((f) => f.key === 'refill_due');
    };
    const c = await course(client, w);
    expect(await flagOf()).toBeUndefined(); // no fills yet
    const f = await fill(client, w, c.id, { filledOn: '2026-11-24', daysSupply: 7 }); // due 12-01: in 4 days
    expect(await flagOf()).toBeUndefined();
    ok(await client.patch(`/api/v1/moud/fills/${f.id}`, { filledOn: '2026-11-23', version: 1 })); // due 11-30: in 3 days
    expect(await flagOf()).toEqual({ key: 'refill_due', detail: { dueOn: '2026-11-30', daysLeft: 3 } });
    ok(await client.patch(`/api/v1/moud/fills/${f.id}`, { filledOn: '2026-11-18', version: 2 })); // due 11-25: 2 days overdue
    expect(await flagOf()).toEqual({ key: 'refill_due', detail: { dueOn: '2026-11-25', daysLeft: -2 } });
    ok(await client.patch(`/api/v1/moud/courses/${c.id}`, { status: 'stopped', version: 1 }));
    expect(await flagOf()).toBeUndefined();
    const overdue = ok<z.infer<typeof Caseload>>(await client.get('/api/v1/caseload?flag=refill_due')).items;
    expect(overdue).toEqual([]);
  });

  it('a fill on a medication being started makes it active from the fill date; injections and implants default to 31 and 180 days', async () => {
    const w = await careWorld(t);
    const client = await w.as(w.coach);
    const shot = await course(client, w, { medication: 'naltrexone', formulation: 'extended_release_injection', status: 'starting', startedOn: null });
    expect((await participantFact(w)).current_moud).toBeNull(); // only starting: the fact is left alone
    expect(await fill(client, w, shot.id, { filledOn: '2026-11-02' })).toMatchObject({ daysSupply: 31, daysSupplyDefaulted: true });
    const implant = await course(client, w, { formulation: 'implant' });
    expect(await fill(client, w, implant.id, { filledOn: '2026-06-01' })).toMatchObject({ daysSupply: 180 });
    const s = await summary(client, w.participantId);
    expect(s.courses.find((c) => c.id === shot.id)).toMatchObject({ status: 'active', startedOn: '2026-11-02', nextRefillDue: '2026-12-03', refillInDays: 6 });
    expect(s.courses.find((c) => c.id === implant.id)).toMatchObject({ coveredThrough: '2026-11-27', nextRefillDue: '2026-11-28' });
    expect(s.nextRefillDue).toBe('2026-11-28');
  });

  it('timeline pages of any size concatenate to the whole MOUD history, ties on a date broken by id', async () => {
    const w = await careWorld(t);
    const client = await w.as(w.coach);
    const c = await course(client, w, { startedOn: '2026-11-20' });
    for (const [on, days] of [['2026-11-20', 7], ['2026-11-20', 7], ['2026-11-24', 3], ['2026-11-26', 7]] as const) await fill(client, w, c.id, { filledOn: on, daysSupply: days });
    for (const kind of ['cost', 'transportation', 'other']) created(await client.post(`/api/v1/participants/${w.participantId}/moud/barriers`, { kind, notedOn: '2026-11-20', source: 'participant_reported' }));
    created(await client.post(`/api/v1/participants/${w.participantId}/insurance-tasks`, { kind: 'pharmacy_coverage', dueOn: '2026-12-01' }));
    const all = ok<z.infer<typeof TimelinePage>>(await client.get(`/api/v1/participants/${w.participantId}/timeline?kinds=moud,insurance&limit=100`)).items.map((i) => i.id);
    expect(all).toHaveLength(9);
    for (const size of [1, 2, 4]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: z.infer<typeof TimelinePage> = ok(await client.get(`/api/v1/participants/${w.participantId}/timeline?kinds=moud,insurance&limit=${size}${cursor ? `&before=${cursor}` : ''}`));
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all);
    }
  });

  it('the timeline shows fills, enrollment periods, barriers and insurance tasks', async () => {
    const w = await careWorld(t);
    const client = await w.as(w.coach);
    const c = await course(client, w);
    const f = await fill(client, w, c.id);
    const m = await course(client, w, { medication: 'methadone', formulation: 'oral_liquid' });
    const e = created<z.infer<typeof OtpEnrollment>>(await client.post(`/api/v1/participants/${w.participantId}/moud/enrollments`, { courseId: m.id, startedOn: '2026-11-02', endedOn: '2026-11-05', source: 'verified' }));
    const b = created<z.infer<typeof MoudBarrier>>(await client.post(`/api/v1/participants/${w.participantId}/moud/barriers`, { kind: 'transportation', detail: 'Bus route cut', notedOn: '2026-11-21', source: 'participant_reported' }));
    const task = created<z.infer<typeof InsuranceTask>>(await client.post(`/api/v1/participants/${w.participantId}/insurance-tasks`, { kind: 'medicaid_application', detail: 'Needs ID first' }));
    const page = ok<z.infer<typeof TimelinePage>>(await client.get(`/api/v1/participants/${w.participantId}/timeline?kinds=moud,insurance&limit=100`));
    expect(page.items.map((i) => i.id)).toEqual([
      `insurance.task_added:${task.id}`,
      `moud.barrier:${b.id}`,
      `moud.fill:${f.id}`,
      `moud.enrollment_ended:${e.id}`,
      `moud.enrolled:${e.id}`,
      `moud.started:${m.id}`, // both started 11-01 (the default): by id
      `moud.started:${c.id}`,
    ]);
    expect(page.items.find((i) => i.id === `moud.fill:${f.id}`)).toMatchObject({ kind: 'moud.fill', dateOnly: true, at: '2026-11-20T05:00:00.000Z', details: expect.objectContaining({ daysSupply: 7, medication: 'buprenorphine' }) });
    expect(JSON.stringify(page)).not.toMatch(/Bus route|Needs ID|Rivera|Main St/);
  });
});

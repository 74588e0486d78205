/**
 * Milestones: the automatic series as a pure function (24 hours, 7, 30, 60, 90 days, 6 and 9
 * months, 1 year, 18 months, then yearly — month ends and leap years kept, no daylight-saving
 * shift), and through the HTTP API on a real database with a fixed clock (New York): past and
 * upcoming milestones of the recovery start and the MOUD start, custom milestones, celebrations
 * that stop a milestone showing on the caseload, bad input, and the timeline.
 */
import type { z } from 'zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../contracts/common.js';
import type { TimelinePage } from '../../../contracts/care.js';
import type { Caseload } from '../../../contracts/caseload.js';
import { milestoneSeries, plusMonths, seriesStep, type CreatedCelebration, type CreatedMilestone, type MilestoneList } from '../../../contracts/checkins.js';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { careWorld, type CareWorld } from '../../../../test/helpers/care.js';
import { insertCourse } from '../moud/moud.repository.js';

const NOW = '2026-11-27T15:00:00.000Z'; // Friday 10:00 in New York
const TODAY = '2026-11-27';

describe('the milestone series', () => {
  it('24 hours, 7, 30, 60, 90 days, 6 and 9 months, 1 year, 18 months, then every year', () => {
    expect(milestoneSeries('2026-01-01', '2029-01-01').map((s) => [s.anchor, s.on])).toEqual([
      ['24h', '2026-01-02'],
      ['7d', '2026-01-08'],
      ['30d', '2026-01-31'],
      ['60d', '2026-03-02'],
      ['90d', '2026-04-01'],
      ['6m', '2026-07-01'],
      ['9m', '2026-10-01'],
      ['1y', '2027-01-01'],
      ['18m', '2027-07-01'],
      ['2y', '2028-01-01'],
      ['3y', '2029-01-01'],
    ]);
    expect(milestoneSeries('2026-01-01', '2026-01-07').map((s) => s.anchor)).toEqual(['24h']);
    expect(milestoneSeries('2026-01-01', '2025-12-31')).toEqual([]);
    expect(seriesStep('2026-01-01', '24h')).toEqual({ anchor: '24h', unit: 'hours', count: 24, on: '2026-01-02' });
    expect(seriesStep('2026-01-01', '18m')).toEqual({ anchor: '18m', unit: 'months', count: 18, on: '2027-07-01' });
    expect(seriesStep('2020-01-01', '12y')).toEqual({ anchor: '12y', unit: 'years', count: 12, on: '2032-01-01' });
    for (const bad of ['5d', '1y ', '0y', '1m', 'x', '']) expect(seriesStep('2026-01-01', bad)).toBeUndefined();
  });

  it('month ends: 6 months after Aug 31 is Feb 28, or Feb 29 in a leap year; 9 months after May 31 is Feb 28', () => {
    expect(seriesStep('2026-08-31', '6m')!.on).toBe('2027-02-28');
    expect(seriesStep('2027-08-31', '6m')!.on).toBe('2028-02-29');
    expect(seriesStep('2026-05-31', '9m')!.on).toBe('2027-02-28');
    expect(seriesStep('2026-03-31', '6m')!.on).toBe('2026-09-30');
    expect(seriesStep('2024-08-31', '18m')!.on).toBe('2026-02-28');
    expect(plusMonths('2026-12-31', 2)).toBe('2027-02-28');
    expect(plusMonths('2026-11-15', -12)).toBe('2025-11-15');
  });

  it('leap days: a Feb 29 start has its anniversary on Feb 28 in common years, Feb 29 in leap years', () => {
    expect(seriesStep('2024-02-29', '1y')!.on).toBe('2025-02-28');
    expect(seriesStep('2024-02-29', '2y')!.on).toBe('2026-02-28');
    expect(seriesStep('2024-02-29', '4y')!.on).toBe('2028-02-29');
    expect(seriesStep('2024-02-29', '30d')!.on).toBe('2024-03-30');
    expect(seriesStep('2023-12-31', '60d')!.on).toBe('2024-02-29');
  });

  it('no daylight-saving shift: 24 hours after the night clocks change is the next calendar day', () => {
    expect(seriesStep('2026-03-07', '24h')!.on).toBe('2026-03-08');
    expect(seriesStep('2026-03-08', '24h')!.on).toBe('2026-03-09');
    expect(seriesStep('2026-10-31', '24h')!.on).toBe('2026-11-01');
    expect(seriesStep('2026-11-01', '7d')!.on).toBe('2026-11-08');
    expect(seriesStep('2026-12-31', '24h')!.on).toBe('2027-01-01');
  });
});

describe('milestones', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t.close());

  type List = z.infer<typeof MilestoneList>;
  const err = (res: { json: <T>() => T }) => res.json<ErrorBody>().error;
  const ok = <T>(res: { statusCode: number; body: string; json: <U>() => U }, status = 200): T => {
    expect(res.statusCode, res.body).toBe(status);
    return res.json<T>();
  };
  const setRecoveryStart = (w: CareWorld, date: string | null) => t.db.updateTable('participants').set({ recovery_start_date: date }).where('id', '=', w.participantId).execute();
  const startMoud = (w: CareWorld, startedOn: string, status: 'active' | 'stopped' = 'active') =>
    insertCourse(
      t.db,
      { organizationId: w.organizationId, participantId: w.participantId, createdBy: w.coach.id, now: NOW },
      { medication: 'buprenorphine', formulation: 'sublingual_film', prescriber: null, prescriberServiceId: null, pharmacy: null, pharmacyServiceId: null, startedOn, status, source: 'participant_reported', verifiedBy: null },
    );
  const list = async (w: CareWorld, as = w.coach) => ok<List>(await (await w.as(as)).get(`/api/v1/participants/${w.participantId}/milestones`));
  const celebrate = async (w: CareWorld, body: Record<string, unknown>, as = w.coach) => (await w.as(as)).post(`/api/v1/participants/${w.participantId}/milestones/celebrations`, body);
  const addCustom = async (w: CareWorld, body: Record<string, unknown>) => (await w.as(w.coach)).post(`/api/v1/participants/${w.participantId}/milestones`, body);
  const milestoneFlag = async (w: CareWorld) => {
    const items = ok<z.infer<typeof Caseload>>(await (await w.as(w.coach)).get('/api/v1/caseload')).items;
    return items.find((i) => i.participantId === w.participantId)!.flags.find((f) => f.key === 'milestone_coming');
  };
  const fieldsOf = (res: { json: <T>() => T }) => err(res).fields!.map((f) => f.path);

  it('lists reached and coming milestones of the recovery start and the earliest MOUD start not stopped', async () => {
    const w = await careWorld(t);
    expect(await list(w)).toEqual({ recoveryStartDate: null, moudStartDate: null, past: [], upcoming: [] });
    await setRecoveryStart(w, '2026-11-20');
    await startMoud(w, '2026-05-31');
    await startMoud(w, '2026-07-01');
    await startMoud(w, '2025-01-01', 'stopped');
    const l = await list(w, w.privacyOfficer);
    expect(l.recoveryStartDate).toBe('2026-11-20');
    expect(l.moudStartDate).toBe('2026-05-31');
    expect(l.past.filter((m) => m.kind === 'recovery').map((m) => [m.anchor, m.on])).toEqual([['7d', TODAY], ['24h', '2026-11-21']]);
    expect(l.past.filter((m) => m.kind === 'moud').map((m) => [m.anchor, m.on])).toEqual([['90d', '2026-08-29'], ['60d', '2026-07-30'], ['30d', '2026-06-30'], ['7d', '2026-06-07'], ['24h', '2026-06-01']]);
    expect(l.upcoming.map((m) => [m.kind, m.anchor, m.on])).toEqual([
      ['moud', '6m', '2026-11-30'],
      ['recovery', '30d', '2026-12-20'],
      ['recovery', '60d', '2027-01-19'],
      ['recovery', '90d', '2027-02-18'],
      ['moud', '9m', '2027-02-28'],
      ['moud', '1y', '2027-05-31'],
    ]);
    expect(l.upcoming.every((m) => m.celebration === null)).toBe(true);
  });

  it('a MOUD milestone a week ahead shows on the caseload until its celebration is logged', async () => {
    const w = await careWorld(t);
    await setRecoveryStart(w, '2026-11-10'); // 30 days on 2026-12-10: not this week
    await startMoud(w, '2026-05-31');
    expect(await milestoneFlag(w)).toEqual({ key: 'milestone_coming', detail: { kind: 'moud', anchor: '6m', unit: 'months', count: 6, on: '2026-11-30', inDays: 3 } });

    const c = ok<z.infer<typeof CreatedCelebration>>(await celebrate(w, { kind: 'moud', anchor: '6m', on: '2026-11-30', note: 'Lunch together' }), 201);
    expect(c).toMatchObject({ kind: 'moud', anchor: '6m', on: '2026-11-30', note: 'Lunch together', celebratedBy: w.coach.id, celebratedAt: NOW });
    expect(await milestoneFlag(w)).toBeUndefined();
    const m = (await list(w)).upcoming.find((x) => x.anchor === '6m')!;
    expect(m.celebration).toEqual({ id: c.id, celebratedBy: w.coach.id, celebratedAt: NOW, note: 'Lunch together' });
    // Once only.
    const again = await celebrate(w, { kind: 'moud', anchor: '6m', on: '2026-11-30' });
    expect(again.statusCode).toBe(409);
    expect(fieldsOf(again)).toEqual(['anchor']);

    const page = ok<z.infer<typeof TimelinePage>>(await (await w.as(w.coach)).get(`/api/v1/participants/${w.participantId}/timeline?kinds=milestone`));
    expect(page.items.map((i) => [i.kind, i.details])).toEqual([['milestone.celebrated', { kind: 'moud', anchor: '6m', on: '2026-11-30' }]]);
    expect(JSON.stringify(page.items)).not.toContain('Lunch');
  });

  it('a return to use recorded at a check-in never resets the recovery start date', async () => {
    const w = await careWorld(t);
    await setRecoveryStart(w, '2026-06-01');
    ok(await (await w.as(w.coach)).post(`/api/v1/participants/${w.participantId}/check-ins`, { mood: 3, cravings: 3, moudTaken: 'yes', useSinceLast: true, overdoseSinceLast: false }), 201);
    expect((await list(w)).recoveryStartDate).toBe('2026-06-01');
    expect(await milestoneFlag(w)).toMatchObject({ detail: { kind: 'recovery', anchor: '6m', on: '2026-12-01', inDays: 4 } });
  });

  it('custom milestones: added with a date, listed, celebrated once', async () => {
    const w = await careWorld(t);
    const housing = ok<z.infer<typeof CreatedMilestone>>(await addCustom(w, { kind: 'housing_found', reachedOn: '2026-11-01' }), 201);
    expect(housing).toMatchObject({ kind: 'housing_found', label: null, reachedOn: '2026-11-01', createdBy: w.coach.id });
    const other = ok<z.infer<typeof CreatedMilestone>>(await addCustom(w, { kind: 'other', label: 'Got a driver’s license', reachedOn: TODAY }), 201);
    const l = await list(w);
    expect(l.past.map((m) => [m.kind, m.customKind, m.label, m.on, m.anchor])).toEqual([
      ['custom', 'other', 'Got a driver’s license', TODAY, other.id],
      ['custom', 'housing_found', null, '2026-11-01', housing.id],
    ]);
    ok(await celebrate(w, { kind: 'custom', anchor: housing.id, on: '2026-11-01', note: null }), 201);
    expect((await list(w)).past.find((m) => m.anchor === housing.id)!.celebration).toMatchObject({ celebratedBy: w.coach.id, note: null });
    expect((await celebrate(w, { kind: 'custom', anchor: housing.id, on: '2026-11-01' })).statusCode).toBe(409);
  });

  it('refuses bad milestones and celebrations naming the field: before birth, in the future, other without a label, a wrong date or step', async () => {
    const w = await careWorld(t);
    await t.db.updateTable('participants').set({ date_of_birth: '1990-05-01' }).where('id', '=', w.participantId).execute();
    const bad: [Record<string, unknown>, string][] = [
      [{ kind: 'job', reachedOn: '1990-04-30' }, 'reachedOn'],
      [{ kind: 'job', reachedOn: '2026-11-28' }, 'reachedOn'],
      [{ kind: 'job', reachedOn: '2026-13-01' }, 'reachedOn'],
      [{ kind: 'other', reachedOn: TODAY }, 'label'],
      [{ kind: 'promotion', reachedOn: TODAY }, 'kind'],
      [{ kind: 'job' }, 'reachedOn'],
    ];
    for (const [body, path] of bad) {
      const res = await addCustom(w, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(fieldsOf(res)).toContain(path);
    }
    expect((await addCustom(w, { kind: 'job', reachedOn: '1990-05-01' })).statusCode).toBe(201);

    // No recovery start date yet.
    let res = await celebrate(w, { kind: 'recovery', anchor: '30d', on: TODAY });
    expect([res.statusCode, fieldsOf(res)]).toEqual([400, ['kind']]);
    await setRecoveryStart(w, '2026-10-28');
    res = await celebrate(w, { kind: 'recovery', anchor: '45d', on: TODAY });
    expect([res.statusCode, fieldsOf(res)]).toEqual([400, ['anchor']]);
    res = await celebrate(w, { kind: 'recovery', anchor: '30d', on: '2026-11-26' });
    expect([res.statusCode, fieldsOf(res)]).toEqual([400, ['on']]);
    // More than a week ahead: not yet.
    res = await celebrate(w, { kind: 'recovery', anchor: '90d', on: '2027-01-26' });
    expect([res.statusCode, fieldsOf(res)]).toEqual([400, ['on']]);
    res = await celebrate(w, { kind: 'moud', anchor: '30d', on: TODAY });
    expect([res.statusCode, fieldsOf(res)]).toEqual([400, ['kind']]);
    res = await celebrate(w, { kind: 'custom', anchor: '01936b2e-0000-7000-8000-000000000000', on: TODAY });
    expect([res.statusCode, fieldsOf(res)]).toEqual([400, ['anchor']]);
    res = await celebrate(w, { kind: 'party', anchor: '30d', on: TODAY });
    expect([res.statusCode, fieldsOf(res)]).toEqual([400, ['kind']]);
    expect((await celebrate(w, { kind: 'recovery', anchor: '30d', on: TODAY })).statusCode).toBe(201);
  });

  it('scope: a coach elsewhere cannot read or add; a privacy officer reads but does not celebrate', async () => {
    const w = await careWorld(t);
    await setRecoveryStart(w, '2026-10-28');
    expect((await (await w.as(w.otherCoach)).get(`/api/v1/participants/${w.participantId}/milestones`)).statusCode).toBe(403);
    expect((await (await w.as(w.otherCoach)).post(`/api/v1/participants/${w.participantId}/milestones`, { kind: 'job', reachedOn: TODAY })).statusCode).toBe(403);
    expect((await celebrate(w, { kind: 'recovery', anchor: '30d', on: TODAY }, w.privacyOfficer)).statusCode).toBe(403);
    expect((await celebrate(w, { kind: 'recovery', anchor: '30d', on: TODAY }, w.supervisor)).statusCode).toBe(201);
  });
});

/**
 * Recovery plans through the HTTP API on a real database with a fixed clock (New York): one plan
 * per episode, goals refused without a domain, every saved change a readable version, stale edits
 * 409 with the current plan, agreement (typed, drawn, verbal with a witness), the review to-do
 * scheduled and closed (90 days by default, the episode's program's days when it sets them), the printable copy in English and Spanish, scope, audit and the
 * timeline.
 */
import type { z } from 'zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../contracts/common.js';
import type { TimelinePage, TodoList } from '../../../contracts/care.js';
import type { PlanVersion, PlanVersionList, PrintablePlan, RecoveryPlan, RecoveryPlanList } from '../../../contracts/recovery-plans.js';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { auditEvents } from '../../../../test/helpers/inspect.js';
import { careWorld, type CareWorld } from '../../../../test/helpers/care.js';
import { buildUser } from '../../../../test/helpers/factories.js';
import { sessionFor } from '../../../../test/helpers/sessions.js';

const NOW = '2026-11-27T15:00:00.000Z'; // Friday 10:00 in New York
type Plan = z.infer<typeof RecoveryPlan>;
type Res = { statusCode: number; body: string; json: <U>() => U };

const GOAL_TEXT = 'Get my own place where my daughter can visit';
const goal = (over: Record<string, unknown> = {}) => ({
  text: GOAL_TEXT,
  domain: 'housing',
  steps: [
    { text: 'Call the housing office', owner: 'participant', dueOn: '2026-12-04' },
    { text: 'Drive to the viewing', owner: 'other', ownerName: 'Aunt Rosa' },
  ],
  notes: [{ on: '2026-11-27', text: 'Filled in the application today' }],
  ...over,
});

describe('recovery plans', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t.close());

  const err = (res: { json: <T>() => T }) => res.json<ErrorBody>().error;
  const ok = <T>(res: Res, status = 200): T => {
    expect(res.statusCode, res.body).toBe(status);
    return res.json<T>();
  };
  const paths = (res: Res) => err(res).fields?.map((f) => f.path);
  const create = async (w: CareWorld, body: Record<string, unknown> = { goals: [goal()] }, participantId = w.participantId, as = w.coach) =>
    (await w.as(as)).post(`/api/v1/participants/${participantId}/recovery-plans`, body);
  const put = async (w: CareWorld, id: string, body: Record<string, unknown>, as = w.coach) => (await w.as(as)).request('PUT', `/api/v1/recovery-plans/${id}`, body);
  const planReviewTodos = async (w: CareWorld, status: 'open' | 'done' = 'open') =>
    ok<z.infer<typeof TodoList>>(await (await w.as(w.coach)).get(`/api/v1/todos?status=${status}`)).todos.filter((x) => x.kind === 'plan_review' && x.participantId === w.participantId);

  it('starts one plan per open episode: goals with ids, steps and notes, version 1, and a review to-do 90 days out on the coach’s list', async () => {
    const w = await careWorld(t);
    const plan = ok<Plan>(await create(w), 201);
    expect(plan).toMatchObject({ participantId: w.participantId, episodeId: w.episodeId, planVersion: 1, version: 1, agreement: null, lastAgreedVersion: null, lastReview: null, nextReviewOn: '2027-02-25', createdBy: w.coach.id });
    expect(plan.goals).toHaveLength(1);
    expect(plan.goals[0]).toMatchObject({ text: GOAL_TEXT, domain: 'housing', status: 'active', notes: [{ on: '2026-11-27', text: 'Filled in the application today' }] });
    expect(plan.goals[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(plan.goals[0]!.steps.map((s) => [s.owner, s.ownerName, s.dueOn, s.done])).toEqual([
      ['participant', null, '2026-12-04', false],
      ['other', 'Aunt Rosa', null, false],
    ]);
    const todos = await planReviewTodos(w);
    expect(todos).toHaveLength(1);
    expect(todos[0]).toMatchObject({ dueOn: '2027-02-25', ownerUserId: w.coach.id, source: { type: 'recovery_plan', id: plan.id } });
    // A second plan for the same episode.
    const again = await create(w);
    expect(again.statusCode).toBe(409);
    expect(err(again).code).toBe('record.duplicate');
    expect(paths(again)).toEqual(['episodeId']);
    // The participant's plans; the plan itself.
    const list = ok<z.infer<typeof RecoveryPlanList>>(await (await w.as(w.coach)).get(`/api/v1/participants/${w.participantId}/recovery-plans`));
    expect(list.plans.map((p) => p.id)).toEqual([plan.id]);
    expect(ok<Plan>(await (await w.as(w.supervisor)).get(`/api/v1/recovery-plans/${plan.id}`))).toEqual(plan);
  });

  it('refuses bad goals with a 4xx naming the field, and writes nothing', async () => {
    const w = await careWorld(t);
    const cases: [Record<string, unknown>, string][] = [
      [{ goals: [goal({ domain: undefined })] }, 'goals.0.domain'],
      [{ goals: [goal({ domain: 'hobbies' })] }, 'goals.0.domain'],
      [{ goals: [goal({ text: '   ' })] }, 'goals.0.text'],
      [{ goals: [goal({ status: 'done' })] }, 'goals.0.status'],
      [{ goals: [goal({ steps: [{ text: 'Ask for a ride', owner: 'other' }] })] }, 'goals.0.steps.0.ownerName'],
      [{ goals: [goal({ steps: [{ text: 'Ask', owner: 'participant', dueOn: '2026-02-30' }] })] }, 'goals.0.steps.0.dueOn'],
      [{ goals: [goal({ notes: [{ on: '2026-11-28', text: 'Tomorrow' }] })] }, 'goals.0.notes.0.on'],
      [{ goals: [goal({ id: '01900000-0000-7000-8000-000000000000' })] }, 'goals.0.id'],
      [{ episodeId: 'nope', goals: [] }, 'episodeId'],
    ];
    for (const [body, path] of cases) {
      const res = await create(w, body);
      expect(res.statusCode, `${path}: ${res.body}`).toBe(400);
      expect(paths(res)).toContain(path);
    }
    expect(await t.db.selectFrom('recovery_plans').select('id').where('participant_id', '=', w.participantId).execute()).toEqual([]);
    // No open episode: nothing to plan for.
    await t.db.updateTable('episodes').set({ status: 'discharged', discharge_date: '2026-11-20' }).where('id', '=', w.episodeId).execute();
    const none = await create(w, { goals: [] }, w.participantId, w.manager);
    expect(none.statusCode).toBe(400);
    expect(paths(none)).toEqual(['episodeId']);
  });

  it('every saved change is a new version; earlier versions stay readable; ids are kept; a stale edit is 409 with the current plan', async () => {
    const w = await careWorld(t);
    const v1 = ok<Plan>(await create(w), 201);
    const g = v1.goals[0]!;
    t.clock.set('2026-11-28T15:00:00.000Z');
    const v2 = ok<Plan>(
      await put(w, v1.id, {
        version: v1.version,
        goals: [
          { ...g, status: 'achieved', steps: [{ ...g.steps[0]!, done: true }], notes: [...g.notes, { on: '2026-11-28', text: 'Signed the lease' }] },
          { text: 'Go back to night classes', domain: 'employment_education', steps: [{ text: 'Find the enrollment form', owner: 'coach' }] },
        ],
      }),
    );
    expect(v2).toMatchObject({ id: v1.id, planVersion: 2, version: 2, updatedBy: w.coach.id });
    expect(v2.goals[0]).toMatchObject({ id: g.id, status: 'achieved', steps: [{ id: g.steps[0]!.id, done: true }] });
    expect(v2.goals[0]!.notes.map((n) => n.id)[0]).toBe(g.notes[0]!.id);
    expect(v2.goals[1]!.domain).toBe('employment_education');
    // A step id moved to another goal is not one that goal has.
    const moved = await put(w, v1.id, { version: 2, goals: [goal(), { ...goal(), steps: [{ ...g.steps[1]!, ownerName: 'Rosa' }] }] });
    expect(moved.statusCode).toBe(400);
    expect(paths(moved)).toEqual(['goals.1.steps.0.id']);
    // Stale.
    const stale = await put(w, v1.id, { version: 1, goals: [] });
    expect(stale.statusCode).toBe(409);
    expect(err(stale).code).toBe('record.conflict');
    expect(err(stale).details).toMatchObject({ version: 2, current: { id: v1.id, planVersion: 2 } });
    // Versions: newest first, each readable as it was.
    const versions = ok<z.infer<typeof PlanVersionList>>(await (await w.as(w.privacyOfficer)).get(`/api/v1/recovery-plans/${v1.id}/versions`));
    expect(versions.versions.map((v) => [v.number, v.goals, v.agreed])).toEqual([
      [2, 2, false],
      [1, 1, false],
    ]);
    const first = ok<z.infer<typeof PlanVersion>>(await (await w.as(w.coach)).get(`/api/v1/recovery-plans/${v1.id}/versions/1`));
    expect(first).toMatchObject({ number: 1, current: false, agreements: [] });
    expect(first.goals).toEqual(v1.goals);
    expect(ok<z.infer<typeof PlanVersion>>(await (await w.as(w.coach)).get(`/api/v1/recovery-plans/${v1.id}/versions/2`)).current).toBe(true);
    expect((await (await w.as(w.coach)).get(`/api/v1/recovery-plans/${v1.id}/versions/3`)).statusCode).toBe(404);
    expect((await (await w.as(w.coach)).get(`/api/v1/recovery-plans/${v1.id}/versions/zero`)).statusCode).toBe(400);
    // A plan of an episode that has ended is not edited any more.
    await t.db.updateTable('episodes').set({ status: 'discharged', discharge_date: '2026-11-28' }).where('id', '=', w.episodeId).execute();
    const ended = await put(w, v1.id, { version: 2, goals: [] }, w.manager);
    expect(ended.statusCode).toBe(409);
    expect(err(ended).code).toBe('episode.discharged');
  });

  it('records the participant’s agreement per version (typed, drawn, verbal with a witness) and reschedules the review from it', async () => {
    const w = await careWorld(t);
    const plan = ok<Plan>(await create(w), 201);
    const agree = async (body: Record<string, unknown>) => (await w.as(w.coach)).post(`/api/v1/recovery-plans/${plan.id}/agreements`, body);
    const refused: [Record<string, unknown>, string][] = [
      [{ method: 'typed', data: 'Sam Rivera', version: 1 }, 'attested'],
      [{ method: 'typed', attested: true, version: 1 }, 'data'],
      [{ method: 'verbal', version: 1 }, 'witnessName'],
      [{ method: 'drawn', data: '<script>alert(1)</script>', version: 1 }, 'data'],
      [{ method: 'nod', version: 1 }, 'method'],
      [{ method: 'verbal', witnessName: 'Jo', agreedOn: '2026-11-30', version: 1 }, 'agreedOn'],
      [{ method: 'verbal', witnessName: 'Jo', agreedOn: '2026-11-01', version: 1 }, 'agreedOn'],
    ];
    for (const [body, path] of refused) {
      const res = await agree(body);
      expect(res.statusCode, `${path}: ${res.body}`).toBe(400);
      expect(paths(res)).toContain(path);
    }
    expect((await agree({ method: 'verbal', witnessName: 'Jo', version: 7 })).statusCode).toBe(409);
    const typed = ok<Plan>(await agree({ method: 'typed', data: 'Sam Rivera', attested: true, version: 1 }), 201);
    expect(typed.agreement).toMatchObject({ planVersion: 1, method: 'typed', data: 'Sam Rivera', attested: true, witnessName: null, agreedOn: '2026-11-27', recordedBy: w.coach.id });
    expect(typed.lastAgreedVersion).toBe(1);
    expect(typed.version).toBe(1); // agreement does not change the plan
    // The review to-do: the one from the start is closed, a new one is 90 days after the agreement.
    expect((await planReviewTodos(w)).map((x) => x.dueOn)).toEqual(['2027-02-25']);
    expect(await planReviewTodos(w, 'done')).toHaveLength(1);
    // A change makes a version not yet agreed to; a verbal agreement with a witness on a later day.
    const v2 = ok<Plan>(await put(w, plan.id, { version: 1, goals: [goal({ id: plan.goals[0]!.id, status: 'paused', steps: [], notes: [] })] }));
    expect(v2).toMatchObject({ planVersion: 2, agreement: null, lastAgreedVersion: 1 });
    t.clock.set('2026-12-02T15:00:00.000Z');
    const verbal = ok<Plan>(await agree({ method: 'verbal', witnessName: 'Dana Lee', version: 2 }), 201);
    expect(verbal.agreement).toMatchObject({ planVersion: 2, method: 'verbal', data: null, witnessName: 'Dana Lee', agreedOn: '2026-12-02' });
    expect(verbal.nextReviewOn).toBe('2027-03-02');
    const drawn = ok<Plan>(await agree({ method: 'drawn', data: 'M10 10 L20 20 C 30 30, 40 40, 50 50', version: 2 }), 201);
    expect(drawn.agreement!.method).toBe('drawn');
    const versions = ok<z.infer<typeof PlanVersionList>>(await (await w.as(w.coach)).get(`/api/v1/recovery-plans/${plan.id}/versions`));
    expect(versions.versions.map((v) => [v.number, v.agreed])).toEqual([
      [2, true],
      [1, true],
    ]);
    const one = ok<z.infer<typeof PlanVersion>>(await (await w.as(w.coach)).get(`/api/v1/recovery-plans/${plan.id}/versions/1`));
    expect(one.agreements.map((a) => a.method)).toEqual(['typed']);
    expect((await planReviewTodos(w)).map((x) => x.dueOn)).toEqual(['2027-03-02']);
  });

  it('a review closes the review to-do and schedules the next one 90 days after it', async () => {
    const w = await careWorld(t);
    const plan = ok<Plan>(await create(w), 201);
    const [todo] = await planReviewTodos(w);
    t.clock.set('2027-02-24T15:00:00.000Z');
    const review = async (body: Record<string, unknown>) => (await w.as(w.coach)).post(`/api/v1/recovery-plans/${plan.id}/reviews`, body);
    const future = await review({ reviewedOn: '2027-02-25', version: 1 });
    expect(future.statusCode).toBe(400);
    expect(paths(future)).toEqual(['reviewedOn']);
    expect(paths(await review({ note: 'x'.repeat(2001), version: 1 }))).toEqual(['note']);
    expect(paths(await review({}))).toEqual(['version']);
    const reviewed = ok<Plan>(await review({ note: 'Housing goal reached; we talked about work next', version: 1 }), 201);
    expect(reviewed.lastReview).toMatchObject({ planVersion: 1, reviewedOn: '2027-02-24', nextReviewOn: '2027-05-25', note: 'Housing goal reached; we talked about work next', recordedBy: w.coach.id });
    expect(reviewed.nextReviewOn).toBe('2027-05-25');
    const open = await planReviewTodos(w);
    expect(open.map((x) => [x.dueOn, x.ownerUserId])).toEqual([['2027-05-25', w.coach.id]]);
    expect(open[0]!.id).not.toBe(todo!.id);
    expect((await planReviewTodos(w, 'done')).map((x) => x.id)).toEqual([todo!.id]);
    // The audit names fields, never the note.
    const [audited] = await auditEvents(t, { action: 'recovery_plan.review', targetId: plan.id });
    expect(audited!.details).toEqual({ planVersion: 1, fields: ['reviewedOn', 'note'] });
  });

  it("reviews fall due after the episode's program's days: 30 days when it is set to 30, from the start, an agreement and a review", async () => {
    const w = await careWorld(t);
    const adminUser = await buildUser(t.db, { organizationId: w.organizationId, roles: ['admin'] });
    const setDays = async (planReviewDays: number) => {
      const admin = (await sessionFor(t, adminUser)).client; // a fresh session: the clock moves between calls
      const program = ok<{ version: number }>(await admin.get(`/api/v1/programs/${w.programId}`));
      expect(ok<{ planReviewDays: number }>(await admin.patch(`/api/v1/programs/${w.programId}`, { version: program.version, planReviewDays })).planReviewDays).toBe(planReviewDays);
    };
    await setDays(30);
    const plan = ok<Plan>(await create(w), 201);
    expect(plan.nextReviewOn).toBe('2026-12-27'); // 2026-11-27 + 30
    expect((await planReviewTodos(w)).map((x) => x.dueOn)).toEqual(['2026-12-27']);

    // Agreed on the last day of December: due 30 days later, across the month end.
    t.clock.set('2026-12-31T15:00:00.000Z');
    const agreed = ok<Plan>(await (await w.as(w.coach)).post(`/api/v1/recovery-plans/${plan.id}/agreements`, { method: 'verbal', witnessName: 'Dana Lee', version: 1 }), 201);
    expect(agreed.nextReviewOn).toBe('2027-01-30');

    // The program changes to 14 days: the open to-do stays; the next review counts 14 from the review.
    await setDays(14);
    t.clock.set('2027-01-29T15:00:00.000Z');
    const reviewed = ok<Plan>(await (await w.as(w.coach)).post(`/api/v1/recovery-plans/${plan.id}/reviews`, { version: 1 }), 201);
    expect(reviewed.lastReview).toMatchObject({ reviewedOn: '2027-01-29', nextReviewOn: '2027-02-12' });
    expect(reviewed.nextReviewOn).toBe('2027-02-12');
    expect((await planReviewTodos(w)).map((x) => x.dueOn)).toEqual(['2027-02-12']);
    expect((await planReviewTodos(w, 'done')).map((x) => x.dueOn).sort()).toEqual(['2026-12-27', '2027-01-30']);
  });

  it('prints the plan in plain words in English or Spanish, with the participant’s own words as written', async () => {
    const w = await careWorld(t);
    const plan = ok<Plan>(await create(w, { goals: [goal(), { text: 'Volver a la iglesia los domingos', domain: 'spirituality', status: 'paused' }] }), 201);
    ok(await (await w.as(w.coach)).post(`/api/v1/recovery-plans/${plan.id}/agreements`, { method: 'verbal', witnessName: 'Dana Lee', version: 1 }), 201);
    const en = ok<z.infer<typeof PrintablePlan>>(await (await w.as(w.coach)).get(`/api/v1/recovery-plans/${plan.id}/print`));
    expect(en).toMatchObject({ language: 'en', title: 'My recovery plan', versionLine: 'Version 1, saved on November 27, 2026', agreementLine: 'I agreed to this plan on November 27, 2026 (out loud, with a witness).', nextReviewLine: 'We will look at this plan together again by February 25, 2027.' });
    expect(en.goals.map((g) => [g.heading, g.domainLabel, g.text, g.statusLabel])).toEqual([
      ['Goal 1', 'Housing', GOAL_TEXT, 'Working on it'],
      ['Goal 2', 'Spirituality', 'Volver a la iglesia los domingos', 'On hold'],
    ]);
    expect(en.goals[0]!.steps).toEqual([
      { text: 'Call the housing office', who: 'Me', due: 'December 4, 2026', done: false, doneLabel: 'Not yet' },
      { text: 'Drive to the viewing', who: 'Aunt Rosa', due: null, done: false, doneLabel: 'Not yet' },
    ]);
    const es = ok<z.infer<typeof PrintablePlan>>(await (await w.as(w.coach)).get(`/api/v1/recovery-plans/${plan.id}/print?language=es`));
    expect(es).toMatchObject({ language: 'es', title: 'Mi plan de recuperación', labels: { goal: 'Meta', steps: 'Pasos' } });
    expect(es.goals.map((g) => [g.domainLabel, g.text, g.statusLabel])).toEqual([
      ['Vivienda', GOAL_TEXT, 'En marcha'],
      ['Espiritualidad', 'Volver a la iglesia los domingos', 'En pausa'],
    ]);
    expect(es.goals[0]!.steps[0]).toMatchObject({ who: 'Yo', due: '4 de diciembre de 2026', doneLabel: 'Pendiente' });
    expect(es.versionLine).toBe('Versión 1, guardada el 27 de noviembre de 2026');
    const fr = await (await w.as(w.coach)).get(`/api/v1/recovery-plans/${plan.id}/print?language=fr`);
    expect(fr.statusCode).toBe(400);
    expect(paths(fr)).toEqual(['query.language']);
    const reads = (await auditEvents(t, { action: 'participant.read', targetId: w.participantId })).map((e) => e.details);
    expect(reads).toEqual(expect.arrayContaining([expect.objectContaining({ part: 'recovery_plan_print', planId: plan.id, language: 'es' })]));
  });

  it('scope: another organization’s plan 404, out of scope 403, a privacy officer reads but does not write', async () => {
    const w = await careWorld(t);
    const other = await careWorld(t);
    const theirs = ok<Plan>(await create(other), 201);
    expect((await (await w.as(w.coach)).get(`/api/v1/recovery-plans/${theirs.id}`)).statusCode).toBe(404);
    expect((await put(w, theirs.id, { version: 1, goals: [] })).statusCode).toBe(404);
    expect((await create(w, { goals: [] }, other.participantId)).statusCode).toBe(404);
    const elsewhere = ok<Plan>(await create(w, { goals: [] }, w.elsewhereId, w.otherCoach), 201);
    const outside = await (await w.as(w.coach)).get(`/api/v1/recovery-plans/${elsewhere.id}`);
    expect(outside.statusCode).toBe(403);
    expect(err(outside).code).toBe('participant.out_of_scope');
    expect((await (await w.as(w.coach)).get(`/api/v1/recovery-plans/${elsewhere.id}/versions/1`)).statusCode).toBe(403);
    expect((await (await w.as(w.coach)).post(`/api/v1/recovery-plans/${elsewhere.id}/reviews`, { version: 1 })).statusCode).toBe(403);
    expect((await create(w, { goals: [] }, w.participantId, w.privacyOfficer)).statusCode).toBe(403);
    const mine = ok<Plan>(await create(w), 201);
    ok(await (await w.as(w.privacyOfficer)).get(`/api/v1/recovery-plans/${mine.id}`));
    expect((await put(w, mine.id, { version: 1, goals: [] }, w.privacyOfficer)).statusCode).toBe(403);
    ok(await put(w, mine.id, { version: 1, goals: [] }, w.manager));
  });

  it('audits ids and counts, never goal text, and the timeline shows created, updated (with the version), agreed and reviewed', async () => {
    const w = await careWorld(t);
    const plan = ok<Plan>(await create(w), 201);
    t.clock.set('2026-11-27T16:00:00.000Z');
    ok(await put(w, plan.id, { version: 1, goals: [...plan.goals, goal({ domain: 'legal', text: 'Finish probation' })] }));
    t.clock.set('2026-11-27T17:00:00.000Z');
    ok(await (await w.as(w.coach)).post(`/api/v1/recovery-plans/${plan.id}/agreements`, { method: 'typed', data: 'Sam Rivera', attested: true, version: 2 }), 201);
    t.clock.set('2026-11-27T18:00:00.000Z');
    ok(await (await w.as(w.coach)).post(`/api/v1/recovery-plans/${plan.id}/reviews`, { version: 2 }), 201);
    const writes = (await auditEvents(t, { targetId: plan.id })).filter((e) => e.action.startsWith('recovery_plan.'));
    expect(writes.map((e) => [e.action, e.details])).toEqual([
      ['recovery_plan.create', { episodeId: w.episodeId, planVersion: 1, goals: 1 }],
      ['recovery_plan.update', { fields: ['goals'], planVersion: 2, goals: 2 }],
      ['recovery_plan.agree', { planVersion: 2, method: 'typed' }],
      ['recovery_plan.review', { planVersion: 2, fields: ['reviewedOn'] }],
    ]);
    expect(JSON.stringify(await auditEvents(t, { targetId: w.participantId }))).not.toMatch(/daughter|probation|application|Sam Rivera/);
    ok(await (await w.as(w.coach)).get(`/api/v1/recovery-plans/${plan.id}/versions`));
    const reads = (await auditEvents(t, { action: 'participant.read', targetId: w.participantId })).map((e) => e.details);
    expect(reads).toEqual(expect.arrayContaining([expect.objectContaining({ part: 'recovery_plan_versions', planId: plan.id })]));
    const timeline = ok<z.infer<typeof TimelinePage>>(await (await w.as(w.coach)).get(`/api/v1/participants/${w.participantId}/timeline?kinds=plan`));
    expect(timeline.items.map((i) => [i.kind, i.details.version])).toEqual([
      ['plan.reviewed', 2],
      ['plan.agreed', 2],
      ['plan.updated', 2],
      ['plan.created', 1],
    ]);
    expect(timeline.items[2]!.summary).toBe('Recovery plan updated: version 2');
    expect(JSON.stringify(timeline.items)).not.toMatch(/daughter|probation|Sam Rivera/);
  });
});

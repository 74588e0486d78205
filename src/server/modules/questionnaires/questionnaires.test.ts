/**
 * Questionnaires through the HTTP API on a real database with a fixed clock (New York): BARC-10
 * scoring at every boundary (10, 46, 47, 60), answers refused naming the item, the language and
 * version rules, a new definition version leaving old scores alone, the BARC-10 trend with its
 * 10-point drop, the social-needs screen's suggested directory services, scope, audit and the
 * timeline.
 */
import type { z } from 'zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../contracts/common.js';
import type { TimelinePage } from '../../../contracts/care.js';
import type { Barc10Trend, CreatedQuestionnaireResponse, QuestionnaireList, QuestionnaireResponseList } from '../../../contracts/questionnaires.js';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { auditEvents } from '../../../../test/helpers/inspect.js';
import { careWorld, type CareWorld } from '../../../../test/helpers/care.js';
import { insertLocation, insertOrganization, insertService, refreshSearchRows, setServiceLocations, setSitePoint } from '../directory/directory.repository.js';
import { insertDefinition } from './questionnaires.repository.js';
import { BARC10_V1 } from './questionnaires.shipped.js';

const NOW = '2026-11-27T15:00:00.000Z'; // Friday 10:00 in New York
type Created = z.infer<typeof CreatedQuestionnaireResponse>;

/** Ten BARC-10 answers: the given values in order, the last one repeated to fill ten. */
const barc = (...values: number[]) => Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`q${i + 1}`, values[Math.min(i, values.length - 1)]!]));

describe('questionnaires', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t.close());

  const err = (res: { json: <T>() => T }) => res.json<ErrorBody>().error;
  const ok = <T>(res: { statusCode: number; body: string; json: <U>() => U }, status = 200): T => {
    expect(res.statusCode, res.body).toBe(status);
    return res.json<T>();
  };

  const answer = async (w: CareWorld, body: Record<string, unknown>, participantId = w.participantId, as = w.coach) =>
    (await w.as(as)).post(`/api/v1/participants/${participantId}/questionnaire-responses`, body);
  const answerBarc = async (w: CareWorld, answers: Record<string, unknown>, extra: Record<string, unknown> = {}) => answer(w, { key: 'barc10', version: 1, answers, ...extra });
  const responsesOf = (w: CareWorld) => t.db.selectFrom('questionnaire_responses').selectAll().where('participant_id', '=', w.participantId).execute();

  it('lists the shipped questionnaires: BARC-10 (ten items, 1–6, 10–60, 47 strong) and the social-needs screen; no BARC-10 in Spanish', async () => {
    const w = await careWorld(t);
    const list = ok<z.infer<typeof QuestionnaireList>>(await (await w.as(w.privacyOfficer)).get('/api/v1/questionnaires'));
    const b = list.questionnaires.find((q) => q.key === 'barc10')!;
    expect(b).toMatchObject({ version: 1, language: 'en', shipped: true, current: true, minScore: 10, maxScore: 60 });
    expect(b.items).toHaveLength(10);
    expect(b.items.every((i) => i.type === 'likert6_agreement' && !i.reverse)).toBe(true);
    expect(b.items[0]!.text).toBe('There are more important things to me in life than using substances.');
    expect(b.items[9]!.text).toBe('I am making good progress on my recovery journey.');
    expect(b.scoring.thresholds).toEqual([{ flag: 'strong_recovery_capital', label: 'Strong recovery capital', atLeast: 47 }]);
    const s = list.questionnaires.find((q) => q.key === 'social_needs')!;
    expect(s.items.map((i) => i.id)).toEqual(['housing', 'food', 'transportation', 'utilities', 'safety']);
    const es = ok<z.infer<typeof QuestionnaireList>>(await (await w.as(w.coach)).get('/api/v1/questionnaires?language=es'));
    expect(es.questionnaires.find((q) => q.key === 'barc10')).toBeUndefined();
    // A Spanish BARC-10 row added ad hoc (no validated translation) is neither offered nor used.
    await insertDefinition(t.db, { organizationId: w.organizationId, key: 'barc10', version: 1, language: 'es', title: 'BARC-10 (traducción)', source: null, items: BARC10_V1.items, scoring: BARC10_V1.scoring, createdBy: w.manager.id, now: NOW });
    const again = ok<z.infer<typeof QuestionnaireList>>(await (await w.as(w.coach)).get('/api/v1/questionnaires?language=es'));
    expect(again.questionnaires.find((q) => q.key === 'barc10')).toBeUndefined();
    const refused = await answer(w, { key: 'barc10', version: 1, language: 'es', answers: barc(4) });
    expect(refused.statusCode).toBe(400);
    expect(err(refused).fields!.map((f) => f.path)).toEqual(['language']);
  });

  it('scores BARC-10 on the server at every boundary: 10, 46 (not strong), 47 (strong), 60', async () => {
    const w = await careWorld(t);
    const cases: [Record<string, number>, number, boolean][] = [
      [barc(1), 10, false],
      [barc(5, 5, 5, 5, 5, 5, 4), 46, false],
      [barc(5, 5, 5, 5, 5, 5, 5, 4), 47, true],
      [barc(6), 60, true],
    ];
    for (const [answers, score, strong] of cases) {
      const r = ok<Created>(await answerBarc(w, answers), 201);
      expect(r).toMatchObject({ key: 'barc10', version: 1, language: 'en', score, maxScore: 60, source: 'coach', answeredOn: '2026-11-27', participantId: w.participantId, suggestedServiceTypes: [], suggestedServices: [] });
      expect(r.flags).toEqual(strong ? [{ flag: 'strong_recovery_capital', label: 'Strong recovery capital' }] : []);
    }
    expect((await responsesOf(w)).map((r) => Number(r.score)).sort((a, b) => a - b)).toEqual([10, 46, 47, 60]);
  });

  it('refuses answers that do not fit, naming each item; the language and version rules; nothing is saved', async () => {
    const w = await careWorld(t);
    const refused = async (body: Record<string, unknown>, paths: string[]) => {
      const res = await answer(w, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(err(res).fields!.map((f) => f.path).sort()).toEqual([...paths].sort());
    };
    const { q10: _dropped, ...nine } = barc(4);
    await refused({ key: 'barc10', version: 1, answers: nine }, ['answers.q10']);
    await refused({ key: 'barc10', version: 1, answers: { ...barc(4), q3: 7 } }, ['answers.q3']);
    await refused({ key: 'barc10', version: 1, answers: { ...barc(4), q4: 0 } }, ['answers.q4']);
    await refused({ key: 'barc10', version: 1, answers: { ...barc(4), q11: 4 } }, ['answers.q11']);
    await refused({ key: 'barc10', version: 1, answers: { ...barc(4), q5: 3.5, q6: true, q7: '4' } }, ['answers.q5', 'answers.q6', 'answers.q7']);
    await refused({ key: 'barc10', version: 1, language: 'es', answers: barc(4) }, ['language']);
    await refused({ key: 'barc10', version: 2, answers: barc(4) }, ['version']);
    await refused({ key: 'barc10', answers: barc(4) }, ['version']);
    await refused({ key: 'nope', version: 1, answers: barc(4) }, ['key']);
    await refused({ key: 'barc10', version: 1, answeredOn: '2026-11-28', answers: barc(4) }, ['answeredOn']);
    await refused({ key: 'barc10', version: 1, encounterId: '01936b2e-0000-7000-8000-000000000001', answers: barc(4) }, ['encounterId']);
    const social = await answer(w, { key: 'social_needs', version: 1, answers: { housing: 'yes', food: false, transportation: false, utilities: false, safety: false } });
    expect(social.statusCode).toBe(400);
    expect(err(social).fields!.map((f) => f.path)).toEqual(['answers.housing']);
    expect(await responsesOf(w)).toHaveLength(0);
  });

  it('a new definition version never changes earlier scores; an older version is taken only when said so', async () => {
    const w = await careWorld(t);
    const before = ok<Created>(await answerBarc(w, barc(5, 5, 5, 5, 5, 5, 4), { answeredOn: '2026-10-01' }), 201);
    expect(before).toMatchObject({ score: 46, flags: [] });
    // This program's own version 2: the first item scored the other way, strong from 40.
    const v2Items = BARC10_V1.items.map((i, n) => (n === 0 ? { ...i, reverse: true } : i));
    await insertDefinition(t.db, { organizationId: w.organizationId, key: 'barc10', version: 2, language: 'en', title: 'BARC-10 (program version)', source: null, items: v2Items, scoring: { method: 'sum', thresholds: [{ flag: 'strong_recovery_capital', label: 'Strong recovery capital', atLeast: 40 }] }, createdBy: w.manager.id, now: NOW });
    const list = ok<z.infer<typeof QuestionnaireResponseList>>(await (await w.as(w.coach)).get(`/api/v1/participants/${w.participantId}/questionnaire-responses?key=barc10`));
    expect(list.responses).toHaveLength(1);
    expect(list.responses[0]).toMatchObject({ id: before.id, version: 1, score: 46, flags: [], definitionId: BARC10_V1.id });
    // Version 1 is now older: refused unless the answers were given on that form.
    const old = await answerBarc(w, barc(4));
    expect(old.statusCode).toBe(400);
    expect(err(old).fields![0]!.path).toBe('version');
    expect(ok<Created>(await answerBarc(w, barc(4), { olderVersion: true }), 201)).toMatchObject({ version: 1, score: 40, flags: [] });
    const v2 = ok<Created>(await answer(w, { key: 'barc10', version: 2, answers: barc(4) }), 201);
    expect(v2).toMatchObject({ version: 2, score: 39, flags: [] }); // 7 − 4 + 9 × 4
    expect(ok<Created>(await answer(w, { key: 'barc10', version: 2, answers: barc(1, 5) }), 201)).toMatchObject({ score: 51, flags: [{ flag: 'strong_recovery_capital' }] });
    const after = ok<z.infer<typeof QuestionnaireResponseList>>(await (await w.as(w.coach)).get(`/api/v1/participants/${w.participantId}/questionnaire-responses?key=barc10`));
    expect(after.responses.find((r) => r.id === before.id)).toMatchObject({ version: 1, score: 46, flags: [] });
    // Another program still has version 1 as its current one.
    const other = await careWorld(t);
    const theirs = ok<z.infer<typeof QuestionnaireList>>(await (await other.as(other.coach)).get('/api/v1/questionnaires'));
    expect(theirs.questionnaires.find((q) => q.key === 'barc10')).toMatchObject({ version: 1, current: true });
    expect(ok<Created>(await answerBarc(other, barc(4)), 201)).toMatchObject({ version: 1, score: 40 });
  });

  it('the BARC-10 trend: totals oldest first, change since the first, and a drop of 10 or more between consecutive ones', async () => {
    const w = await careWorld(t);
    const empty = ok<z.infer<typeof Barc10Trend>>(await (await w.as(w.coach)).get(`/api/v1/participants/${w.participantId}/barc10-trend`));
    expect(empty).toEqual({ points: [], baseline: null, latest: null, changeSinceBaseline: null, sharpDrops: [], sharpDrop: false });
    const a = ok<Created>(await answerBarc(w, barc(4), { answeredOn: '2026-08-01' }), 201); // 40
    const b = ok<Created>(await answerBarc(w, barc(5), { answeredOn: '2026-09-01' }), 201); // 50
    const c = ok<Created>(await answerBarc(w, barc(5, 4), { answeredOn: '2026-10-01' }), 201); // 41: a drop of 9
    const d = ok<Created>(await answerBarc(w, barc(3, 3, 3, 3, 3, 3, 3, 3, 3, 4), { answeredOn: '2026-11-01' }), 201); // 31: a drop of 10
    // Another questionnaire is not part of it.
    ok(await answer(w, { key: 'social_needs', version: 1, answers: { housing: false, food: false, transportation: false, utilities: false, safety: false } }), 201);
    const trend = ok<z.infer<typeof Barc10Trend>>(await (await w.as(w.privacyOfficer)).get(`/api/v1/participants/${w.participantId}/barc10-trend`));
    expect(trend.points.map((p) => [p.answeredOn, p.score, p.strong])).toEqual([
      ['2026-08-01', 40, false],
      ['2026-09-01', 50, true],
      ['2026-10-01', 41, false],
      ['2026-11-01', 31, false],
    ]);
    expect(trend.baseline).toEqual({ responseId: a.id, answeredOn: '2026-08-01', score: 40 });
    expect(trend.latest).toEqual({ responseId: d.id, answeredOn: '2026-11-01', score: 31 });
    expect(trend.changeSinceBaseline).toBe(-9);
    expect(trend.sharpDrops).toEqual([{ fromResponseId: c.id, toResponseId: d.id, fromScore: 41, toScore: 31, answeredOn: '2026-11-01' }]);
    expect(trend.sharpDrop).toBe(true);
    expect(b.score).toBe(50);
    // The list, newest answered first; filtered by key.
    const list = ok<z.infer<typeof QuestionnaireResponseList>>(await (await w.as(w.coach)).get(`/api/v1/participants/${w.participantId}/questionnaire-responses?key=barc10`));
    expect(list.responses.map((r) => r.id)).toEqual([d.id, c.id, b.id, a.id]);
    const all = ok<z.infer<typeof QuestionnaireResponseList>>(await (await w.as(w.coach)).get(`/api/v1/participants/${w.participantId}/questionnaire-responses`));
    expect(all.responses).toHaveLength(5);
  });

  it('the social-needs screen turns yes answers into suggested service types and nearby directory services', async () => {
    const w = await careWorld(t);
    const now = new Date().toISOString();
    const place = async (name: string, types: string[], latitude: number, longitude: number) => {
      const orgId = await insertOrganization(t.db, w.organizationId, { name, type: 'community_service' }, now);
      const serviceId = await insertService(t.db, w.organizationId, { directoryOrganizationId: orgId, name, serviceTypes: types }, now);
      const locationId = await insertLocation(t.db, w.organizationId, { directoryOrganizationId: orgId, name, latitude, longitude }, now);
      await setServiceLocations(t.db, w.organizationId, serviceId, [locationId], now);
      await refreshSearchRows(t.db, w.organizationId, [serviceId]);
      return serviceId;
    };
    // Site A in Baltimore; an A-named housing program far away, a Z-named one close by.
    await setSitePoint(t.db, w.organizationId, w.siteA, { latitude: 39.29, longitude: -76.61 }, null, now);
    const far = await place('Able Housing Partners', ['housing'], 40.71, -74.0);
    const near = await place('Zenith Housing Help', ['housing'], 39.3, -76.62);
    const food = await place('Harbor Food Pantry', ['food'], 39.28, -76.6);
    await place('Ride Share Works', ['transportation'], 39.29, -76.6);
    const r = ok<Created>(await answer(w, { key: 'social_needs', version: 1, answers: { housing: true, food: true, transportation: false, utilities: true, safety: false } }), 201);
    expect(r).toMatchObject({ key: 'social_needs', score: 3, flags: [{ flag: 'social_need', label: 'At least one social need' }] });
    expect(r.suggestedServiceTypes).toEqual(['housing', 'recovery_housing', 'food']);
    expect(r.suggestedServices.map((s) => s.serviceId)).toEqual([near, far, food]);
    expect(r.suggestedServices[0]!.distanceKm).not.toBeNull();
    // No yes: nothing suggested.
    const none = ok<Created>(await answer(w, { key: 'social_needs', version: 1, answers: { housing: false, food: false, transportation: false, utilities: false, safety: false } }), 201);
    expect(none).toMatchObject({ score: 0, flags: [], suggestedServiceTypes: [], suggestedServices: [] });
    // A participant whose site has no place on the map: by name.
    const byName = ok<Created>(await answer(w, { key: 'social_needs', version: 1, answers: { housing: true, food: false, transportation: false, utilities: false, safety: false } }, w.elsewhereId, w.otherCoach), 201);
    expect(byName.suggestedServices.map((s) => [s.serviceId, s.distanceKm])).toEqual([
      [far, null],
      [near, null],
    ]);
    // The list shows the suggested types again (not the services).
    const list = ok<z.infer<typeof QuestionnaireResponseList>>(await (await w.as(w.coach)).get(`/api/v1/participants/${w.participantId}/questionnaire-responses?key=social_needs`));
    expect(list.responses.find((x) => x.id === r.id)!.suggestedServiceTypes).toEqual(['housing', 'recovery_housing', 'food']);
  });

  it('scope: another organization’s participant 404, out of scope 403, a privacy officer reads but does not answer', async () => {
    const w = await careWorld(t);
    const other = await careWorld(t);
    const foreign = await answer(w, { key: 'barc10', version: 1, answers: barc(4) }, other.participantId);
    expect(foreign.statusCode).toBe(404);
    expect((await (await w.as(w.coach)).get(`/api/v1/participants/${other.participantId}/barc10-trend`)).statusCode).toBe(404);
    const outside = await answer(w, { key: 'barc10', version: 1, answers: barc(4) }, w.elsewhereId);
    expect(outside.statusCode).toBe(403);
    expect(err(outside).code).toBe('participant.out_of_scope');
    expect((await (await w.as(w.coach)).get(`/api/v1/participants/${w.elsewhereId}/questionnaire-responses`)).statusCode).toBe(403);
    expect((await answer(w, { key: 'barc10', version: 1, answers: barc(4) }, w.participantId, w.privacyOfficer)).statusCode).toBe(403);
    ok(await (await w.as(w.privacyOfficer)).get(`/api/v1/participants/${w.participantId}/questionnaire-responses`));
  });

  it('audits with ids and codes only, and the timeline shows the key and total, never the answers', async () => {
    const w = await careWorld(t);
    const r = ok<Created>(await answerBarc(w, barc(6)), 201);
    const [created] = await auditEvents(t, { action: 'questionnaire_response.create', targetId: w.participantId });
    expect(created).toMatchObject({ actorUserId: w.coach.id, targetType: 'questionnaire_response', targetIds: [r.id, w.participantId], details: { key: 'barc10', version: 1, definitionId: BARC10_V1.id } });
    expect(JSON.stringify(created!.details)).not.toContain('q1');
    ok(await (await w.as(w.coach)).get(`/api/v1/participants/${w.participantId}/questionnaire-responses?key=barc10`));
    ok(await (await w.as(w.coach)).get(`/api/v1/participants/${w.participantId}/barc10-trend`));
    const reads = (await auditEvents(t, { action: 'participant.read', targetId: w.participantId })).map((e) => e.details);
    expect(reads).toEqual(expect.arrayContaining([expect.objectContaining({ part: 'questionnaires', key: 'barc10' }), expect.objectContaining({ part: 'barc10_trend' })]));
    const timeline = ok<z.infer<typeof TimelinePage>>(await (await w.as(w.coach)).get(`/api/v1/participants/${w.participantId}/timeline?kinds=questionnaire`));
    expect(timeline.items).toHaveLength(1);
    expect(timeline.items[0]).toMatchObject({ id: `questionnaire:${r.id}`, kind: 'questionnaire.answered', details: { key: 'barc10', version: 1, score: 60, answeredOn: '2026-11-27', source: 'coach' }, actorUserId: w.coach.id });
    expect(JSON.stringify(timeline.items[0])).not.toContain('answers');
  });
});

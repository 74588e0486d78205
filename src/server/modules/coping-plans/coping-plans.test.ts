/**
 * Coping (cravings-and-triggers) and safety plans through the HTTP API on a real database with a
 * fixed clock (New York): empty plans before the first save (988 and the default overdose steps
 * always there), every save a readable version, stale saves 409 with the current plan, bad input
 * 400 naming the field, printable copies in English and Spanish, scope, audit and the timeline.
 */
import type { z } from 'zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../contracts/common.js';
import type { TimelinePage } from '../../../contracts/care.js';
import type { CopingPlan, CopingPlanVersion, PlanVersionList, PrintableCopingPlan, PrintableSafetyPlan, SafetyPlan } from '../../../contracts/coping-plans.js';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { auditEvents } from '../../../../test/helpers/inspect.js';
import { careWorld, type CareWorld } from '../../../../test/helpers/care.js';

const NOW = '2026-11-27T15:00:00.000Z'; // Friday 10:00 in New York
type Coping = z.infer<typeof CopingPlan>;
type Safety = z.infer<typeof SafetyPlan>;
type Res = { statusCode: number; body: string; json: <U>() => U };

const TRIGGER = 'Walking past the bar on 5th street';
const REASON = 'My daughter’s birthday in March';
const coping = (over: Record<string, unknown> = {}) => ({
  triggers: [TRIGGER, 'Payday'],
  warningSigns: ['Skipping meetings'],
  copingStrategies: ['Call my sponsor', 'Go for a walk'],
  peopleToCall: [{ name: 'Aunt Rosa', phone: '(555) 123-4567' }],
  safePlaces: ['The library'],
  reasonsForRecovery: [REASON],
  version: 0,
  ...over,
});

describe('coping and safety plans', () => {
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
  const url = (w: CareWorld, kind: 'coping-plan' | 'safety-plan', rest = '', participantId = w.participantId) => `/api/v1/participants/${participantId}/${kind}${rest}`;
  const put = async (w: CareWorld, kind: 'coping-plan' | 'safety-plan', body: Record<string, unknown>, as = w.coach, participantId = w.participantId) =>
    (await w.as(as)).request('PUT', url(w, kind, '', participantId), body);
  const get = async (w: CareWorld, path: string, as = w.coach) => (await w.as(as)).get(path);

  it('a cravings-and-triggers plan: empty before the first save, then versions kept; a stale save is 409 with the current plan', async () => {
    const w = await careWorld(t);
    const empty = ok<Coping>(await get(w, url(w, 'coping-plan')));
    expect(empty).toMatchObject({ participantId: w.participantId, planVersion: 0, version: 0, triggers: [], peopleToCall: [], updatedBy: null });

    const v1 = ok<Coping>(await put(w, 'coping-plan', coping()));
    expect(v1).toMatchObject({ planVersion: 1, version: 1, triggers: [TRIGGER, 'Payday'], peopleToCall: [{ name: 'Aunt Rosa', phone: '(555) 123-4567' }], reasonsForRecovery: [REASON], createdBy: w.coach.id, updatedBy: w.coach.id });
    expect(ok<Coping>(await get(w, url(w, 'coping-plan'), w.supervisor))).toEqual(v1);

    t.clock.set('2026-11-28T15:00:00.000Z');
    const v2 = ok<Coping>(await put(w, 'coping-plan', coping({ triggers: ['Payday'], safePlaces: ['The library', 'Church basement'], version: 1 }), w.supervisor));
    expect(v2).toMatchObject({ planVersion: 2, version: 2, triggers: ['Payday'], safePlaces: ['The library', 'Church basement'], updatedBy: w.supervisor.id, createdBy: w.coach.id });

    // A save from the old version (or a second "first save") is refused with the current plan.
    for (const version of [1, 0]) {
      const stale = await put(w, 'coping-plan', coping({ triggers: ['Lost'], version }));
      expect(stale.statusCode).toBe(409);
      expect(err(stale).code).toBe('record.conflict');
      expect(err(stale).details).toMatchObject({ current: { version: 2, triggers: ['Payday'] } });
    }

    const list = ok<z.infer<typeof PlanVersionList>>(await get(w, url(w, 'coping-plan', '/versions')));
    expect(list.versions.map((v) => [v.number, v.createdBy])).toEqual([[2, w.supervisor.id], [1, w.coach.id]]);
    const old = ok<z.infer<typeof CopingPlanVersion>>(await get(w, url(w, 'coping-plan', '/versions/1')));
    expect(old).toMatchObject({ number: 1, current: false, plan: { planVersion: 1, triggers: [TRIGGER, 'Payday'] } });
    expect((await get(w, url(w, 'coping-plan', '/versions/3'))).statusCode).toBe(404);
    expect((await get(w, url(w, 'coping-plan', '/versions/0'))).statusCode).toBe(400);
    expect(await t.db.selectFrom('coping_plan_versions').select('number').where('participant_id', '=', w.participantId).execute()).toHaveLength(2);
  });

  it('two first saves at the same moment: one plan, the other answer is 409 with it', async () => {
    const w = await careWorld(t);
    const [a, b] = await Promise.all([put(w, 'coping-plan', coping()), put(w, 'coping-plan', coping({ triggers: ['Payday'] }), w.supervisor)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const rows = await t.db.selectFrom('coping_plans').select('id').where('participant_id', '=', w.participantId).where('kind', '=', 'coping').execute();
    expect(rows).toHaveLength(1);
  });

  it('refuses bad input with a 400 naming the field, and writes nothing', async () => {
    const w = await careWorld(t);
    const cases: [string, Record<string, unknown>, string][] = [
      ['coping-plan', coping({ triggers: ['  '] }), 'triggers.0'],
      ['coping-plan', coping({ reasonsForRecovery: ['x'.repeat(501)] }), 'reasonsForRecovery.0'],
      ['coping-plan', coping({ peopleToCall: [{ name: 'Rosa', phone: 'call her' }] }), 'peopleToCall.0.phone'],
      ['coping-plan', coping({ peopleToCall: [{ name: 'Rosa', phone: '12' }] }), 'peopleToCall.0.phone'],
      ['coping-plan', coping({ peopleToCall: [{ phone: '555-1234' }] }), 'peopleToCall.0.name'],
      ['coping-plan', coping({ triggers: Array.from({ length: 31 }, (_, i) => `t${i}`) }), 'triggers'],
      ['coping-plan', coping({ version: undefined }), 'version'],
      ['coping-plan', coping({ version: -1 }), 'version'],
      ['safety-plan', { naloxoneOnHand: 'maybe', version: 0 }, 'naloxoneOnHand'],
      ['safety-plan', { crisisContacts: [{ kind: 'crisis_line', name: 'County line' }], version: 0 }, 'crisisContacts.0'],
      ['safety-plan', { crisisContacts: [{ kind: 'neighbor', name: 'Sam', phone: '555-0101' }], version: 0 }, 'crisisContacts.0'],
      ['safety-plan', { overdoseSteps: [], version: 0 }, 'overdoseSteps'],
      ['safety-plan', { naloxoneKnownBy: [''], version: 0 }, 'naloxoneKnownBy.0'],
    ];
    for (const [kind, body, path] of cases) {
      const res = await put(w, kind as 'coping-plan', body);
      expect(res.statusCode, `${path}: ${res.body}`).toBe(400);
      expect(paths(res)!.some((p) => p === path || p.startsWith(`${path}.`)), `${path}: ${JSON.stringify(paths(res))}`).toBe(true);
    }
    expect((await get(w, url(w, 'coping-plan', '/print?language=fr'))).statusCode).toBe(400);
    expect(await t.db.selectFrom('coping_plans').select('id').where('participant_id', '=', w.participantId).execute()).toEqual([]);
  });

  it('a safety plan: 988 always first, naloxone, the default overdose steps until changed', async () => {
    const w = await careWorld(t);
    const empty = ok<Safety>(await get(w, url(w, 'safety-plan')));
    expect(empty).toMatchObject({ version: 0, naloxoneOnHand: 'unknown', naloxoneKnownBy: [], overdoseStepsAreDefault: true });
    expect(empty.crisisContacts).toEqual([{ kind: 'lifeline', name: '988 Suicide & Crisis Lifeline', phone: '988', text: '988' }]);
    expect(empty.overdoseSteps[0]).toBe('Call 911.');
    expect(empty.overdoseSteps.join(' ')).toMatch(/naloxone.*rescue breaths.*Stay with them.*emergency department/s);

    // Sent back as read (988 included): 988 is not stored twice and stays first.
    const v1 = ok<Safety>(
      await put(w, 'safety-plan', {
        crisisContacts: [...empty.crisisContacts, { kind: 'crisis_line', name: 'County crisis line', phone: '1-800-555-0199' }, { kind: 'personal', name: 'My brother Luis', phone: '555 0102' }],
        naloxoneOnHand: 'yes',
        naloxoneKnownBy: ['Luis', 'my roommate'],
        version: 0,
      }),
    );
    expect(v1.crisisContacts.map((c) => [c.kind, c.name])).toEqual([['lifeline', '988 Suicide & Crisis Lifeline'], ['crisis_line', 'County crisis line'], ['personal', 'My brother Luis']]);
    expect(v1).toMatchObject({ planVersion: 1, version: 1, naloxoneOnHand: 'yes', naloxoneKnownBy: ['Luis', 'my roommate'], overdoseStepsAreDefault: true });

    // Removing every contact still leaves 988; own steps are kept as written.
    const v2 = ok<Safety>(await put(w, 'safety-plan', { crisisContacts: [], naloxoneOnHand: 'no', overdoseSteps: ['Call 911', 'Use the Narcan in the blue bag'], version: 1 }));
    expect(v2.crisisContacts.map((c) => c.kind)).toEqual(['lifeline']);
    expect(v2).toMatchObject({ planVersion: 2, overdoseSteps: ['Call 911', 'Use the Narcan in the blue bag'], overdoseStepsAreDefault: false, naloxoneKnownBy: [] });
    // Back to the default steps.
    const v3 = ok<Safety>(await put(w, 'safety-plan', { overdoseSteps: null, version: 2 }));
    expect(v3).toMatchObject({ planVersion: 3, overdoseStepsAreDefault: true });
    // The coping plan is separate.
    expect(ok<Coping>(await get(w, url(w, 'coping-plan'))).version).toBe(0);
  });

  it('prints in English or Spanish: labels and 988 translated, the participant’s own words as written', async () => {
    const w = await careWorld(t);
    // Never saved: a copy with the defaults and no version line.
    const blank = ok<z.infer<typeof PrintableSafetyPlan>>(await get(w, url(w, 'safety-plan', '/print?language=es')));
    expect(blank).toMatchObject({ language: 'es', title: 'Mi plan de seguridad', versionLine: null });
    expect(blank.crisisContacts[0]).toMatch(/^988 .*988$/);
    expect(blank.overdoseSteps[0]).toBe('Llame al 911.');

    ok(await put(w, 'coping-plan', coping()));
    ok(await put(w, 'safety-plan', { crisisContacts: [{ kind: 'personal', name: 'Aunt Rosa', phone: '555-0101' }], naloxoneOnHand: 'yes', naloxoneKnownBy: ['Rosa'], version: 0 }));

    const en = ok<z.infer<typeof PrintableCopingPlan>>(await get(w, url(w, 'coping-plan', '/print')));
    expect(en).toMatchObject({ language: 'en', title: 'My plan for cravings and triggers', versionLine: 'Version 1, saved on 2026-11-27' });
    expect(en.sections.find((s) => s.key === 'triggers')).toMatchObject({ heading: 'What can set off cravings', items: [TRIGGER, 'Payday'] });
    expect(en.sections.find((s) => s.key === 'peopleToCall')!.items).toEqual(['Aunt Rosa: (555) 123-4567']);
    const es = ok<z.infer<typeof PrintableCopingPlan>>(await get(w, url(w, 'coping-plan', '/print?language=es')));
    expect(es).toMatchObject({ title: 'Mi plan para los antojos y los detonantes', versionLine: 'Versión 1, guardada el 2026-11-27' });
    expect(es.sections.find((s) => s.key === 'reasonsForRecovery')).toMatchObject({ heading: 'Mis razones para la recuperación', items: [REASON] });

    const safetyEs = ok<z.infer<typeof PrintableSafetyPlan>>(await get(w, url(w, 'safety-plan', '/print?language=es')));
    expect(safetyEs.crisisContacts).toEqual(['988 Línea de Prevención del Suicidio y Crisis: llame o envíe un texto al 988', 'Aunt Rosa: 555-0101']);
    expect(safetyEs).toMatchObject({ naloxoneLine: 'Tengo naloxona conmigo o en casa.', naloxoneKnownByLine: 'Quién sabe dónde está: Rosa', overdoseHeading: 'Qué hacer después de una sobredosis' });
    expect(safetyEs.overdoseSteps).toHaveLength(5);
    const safetyEn = ok<z.infer<typeof PrintableSafetyPlan>>(await get(w, url(w, 'safety-plan', '/print?language=en')));
    expect(safetyEn.crisisContacts[0]).toBe('988 Suicide & Crisis Lifeline: call or text 988');
    expect(safetyEn.overdoseSteps[3]).toBe('Stay with them until help arrives.');
  });

  it('scope: another organization’s person 404, out of scope 403, a privacy officer reads but does not write', async () => {
    const w = await careWorld(t);
    const other = await careWorld(t);
    for (const kind of ['coping-plan', 'safety-plan'] as const) {
      expect((await get(w, url(w, kind, '', other.participantId))).statusCode).toBe(404);
      expect((await put(w, kind, { version: 0 }, w.coach, other.participantId)).statusCode).toBe(404);
      const outside = await get(w, url(w, kind, '', w.elsewhereId));
      expect(outside.statusCode).toBe(403);
      expect(err(outside).code).toBe('participant.out_of_scope');
      expect((await get(w, url(w, kind, '/print', w.elsewhereId))).statusCode).toBe(403);
      expect((await put(w, kind, { version: 0 }, w.coach, w.elsewhereId)).statusCode).toBe(403);
      expect((await put(w, kind, { version: 0 }, w.privacyOfficer)).statusCode).toBe(403);
      ok(await get(w, url(w, kind), w.privacyOfficer));
      ok(await put(w, kind, { version: 0 }, w.manager));
    }
  });

  it('audits ids and field names, never the words; the timeline shows each saved version', async () => {
    const w = await careWorld(t);
    const v1 = ok<Coping>(await put(w, 'coping-plan', coping()));
    ok(await put(w, 'coping-plan', coping({ triggers: ['Payday'], version: v1.version })));
    ok(await put(w, 'safety-plan', { crisisContacts: [{ kind: 'personal', name: 'My brother Luis', phone: '555 0102' }], naloxoneKnownBy: ['Luis'], version: 0 }));
    ok(await get(w, url(w, 'safety-plan', '/print?language=es')));

    const writes = (await auditEvents(t, { targetId: w.participantId })).filter((e) => e.action.endsWith('_plan.update'));
    expect(writes.map((e) => [e.action, e.details])).toEqual(
      expect.arrayContaining([
        ['coping_plan.update', { fields: ['triggers', 'warningSigns', 'copingStrategies', 'peopleToCall', 'safePlaces', 'reasonsForRecovery'], planVersion: 1 }],
        ['coping_plan.update', { fields: ['triggers'], planVersion: 2 }],
        ['safety_plan.update', { fields: ['crisisContacts', 'naloxoneOnHand', 'naloxoneKnownBy', 'overdoseSteps'], planVersion: 1 }],
      ]),
    );
    expect(writes).toHaveLength(3);
    expect(JSON.stringify(await auditEvents(t, { targetId: w.participantId }))).not.toMatch(/5th street|Payday|Rosa|Luis|daughter|555/);
    const reads = (await auditEvents(t, { action: 'participant.read', targetId: w.participantId })).map((e) => e.details);
    expect(reads).toContainEqual({ part: 'safety_plan_print', language: 'es' });

    const timeline = ok<z.infer<typeof TimelinePage>>(await get(w, `/api/v1/participants/${w.participantId}/timeline?kinds=coping_plan,safety_plan`));
    expect(timeline.items.map((i) => [i.kind, i.details.version]).sort()).toEqual([
      ['coping_plan.updated', 1],
      ['coping_plan.updated', 2],
      ['safety_plan.updated', 1],
    ]);
    expect(JSON.stringify(timeline.items)).not.toMatch(/5th street|Payday|Rosa|Luis/);
  });
});

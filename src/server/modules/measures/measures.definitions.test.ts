/** The written definitions as data, and the checking of a program's parameters. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { DEFAULTS, MEASURE_DEFINITIONS, MEASURE_IDS, resolveParameters } from './measures.definitions.js';

describe('measure definitions', () => {
  it('every measure has its definition, with each part written out', () => {
    expect(MEASURE_DEFINITIONS.map((d) => d.id)).toEqual([...MEASURE_IDS]);
    for (const d of MEASURE_DEFINITIONS) {
      for (const text of [d.title, d.summary, d.numerator, d.denominator, d.windows]) expect(text.length).toBeGreaterThan(3);
      expect(d.dataSources.length).toBeGreaterThan(0);
    }
  });

  it('the defaults are the ones the rules name, inside their allowed ranges', () => {
    for (const id of MEASURE_IDS) {
      expect(resolveParameters(id)).toEqual(DEFAULTS[id]);
    }
    expect(DEFAULTS.ed_follow_up).toEqual({ windows: [7, 30], admissionExclusionDays: 30, dedupDays: 31 });
    expect(DEFAULTS.moud_continuity).toEqual({ treatmentDays: 180, gapDays: 8, priorFreeDays: 31 });
    expect(DEFAULTS.federal_follow_up.target).toBe(0.8);
  });

  it('a program may set a parameter inside its range; lists are sorted and de-duplicated', () => {
    expect(resolveParameters('linkage', { windows: [30, 14, 14] })).toEqual({ windows: [14, 30] });
    expect(resolveParameters('recovery_capital', { threshold: 40 })).toEqual({ threshold: 40 });
  });

  it('a value out of range, not whole, or a setting the measure does not have is 400 naming it', () => {
    const failure = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e;
      }
      return null;
    };
    const cases: [() => unknown, string][] = [
      [() => resolveParameters('moud_continuity', { gapDays: 1 }), 'parameters.gapDays'],
      [() => resolveParameters('retention', { silenceDays: 30.5 }), 'parameters.silenceDays'],
      [() => resolveParameters('linkage', { windows: [] }), 'parameters.windows'],
      [() => resolveParameters('linkage', { windows: 7 }), 'parameters.windows'],
      [() => resolveParameters('federal_follow_up', { target: 1.2 }), 'parameters.target'],
      [() => resolveParameters('outreach_success', { days: 3 }), 'parameters.days'],
    ];
    for (const [fn, path] of cases) {
      const e = failure(fn);
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).status).toBe(400);
      expect((e as AppError).fields?.[0]?.path).toBe(path);
    }
  });
});

/** The web app keeps its own copy of a few numbers (so zod stays out of the bundle): they must match the contract. */
import { describe, expect, test } from 'vitest';
import * as contract from '../../../contracts/access';
import { BREAK_GLASS_MINUTES, REASON_MAX, REASON_MIN } from './breakGlass.api';

describe('break-the-glass limits', () => {
  test('the web app states the same duration and reason limits as the server contract', () => {
    expect({ BREAK_GLASS_MINUTES, REASON_MIN, REASON_MAX }).toEqual({
      BREAK_GLASS_MINUTES: contract.BREAK_GLASS_MINUTES,
      REASON_MIN: contract.REASON_MIN,
      REASON_MAX: contract.REASON_MAX,
    });
  });

  test('a reason the form accepts by length is one the contract accepts when it is a sentence', () => {
    const sentence = 'Paged to the emergency department tonight';
    expect(sentence.length).toBeGreaterThanOrEqual(REASON_MIN);
    expect(contract.Reason.safeParse(sentence).success).toBe(true);
    expect(contract.Reason.safeParse('x'.repeat(REASON_MIN)).success).toBe(false);
    expect(contract.Reason.safeParse(`${'word '.repeat(REASON_MAX / 5)}more`).success).toBe(false);
  });
});

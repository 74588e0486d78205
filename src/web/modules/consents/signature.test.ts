/** A drawn signature becomes SVG path data the server accepts (commands and numbers only). */
import { describe, expect, test } from 'vitest';
import { padPoint, pathOf } from './signature';

describe('signature path data', () => {
  test('strokes become M/L commands in whole units; a tap becomes a dot; empty strokes vanish', () => {
    expect(pathOf([[[10.4, 20.6], [30, 40]], [], [[5, 5]]])).toBe('M10 21 L30 40 M5 5 l1 0');
    expect(pathOf([])).toBe('');
    expect(pathOf([[[1, 2], [3, 4], [5, 6]]])).toMatch(/^[MLl0-9 ]+$/);
  });

  test('pointer positions scale to the 600 × 200 box and stay inside it', () => {
    const box = { left: 100, top: 50, width: 300, height: 100 };
    expect(padPoint(250, 100, box)).toEqual([300, 100]);
    expect(padPoint(0, 0, box)).toEqual([0, 0]);
    expect(padPoint(1000, 1000, box)).toEqual([600, 200]);
  });
});

/** What the ED pages work out on their own: datetime-local values, and the Spanish words mirroring the English. */
import { describe, expect, test } from 'vitest';
import { fromLocalInput, toLocalInput } from './ed.api';
import { edEn, edEs } from './i18n';

describe('datetime-local values', () => {
  test('an instant round-trips through the input value to the minute', () => {
    const iso = '2026-11-27T13:50:00.000Z';
    expect(fromLocalInput(toLocalInput(iso))).toBe(iso);
  });
  test('empty or unreadable values are no time at all', () => {
    expect(toLocalInput(null)).toBe('');
    expect(toLocalInput('not a time')).toBe('');
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('half past one')).toBeNull();
  });
});

describe('the words', () => {
  const keys = (o: object, prefix = ''): string[] =>
    Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
  test('Spanish has every English key, and no others', () => {
    expect(keys(edEs).sort()).toEqual(keys(edEn).sort());
  });
});

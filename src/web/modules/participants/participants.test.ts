/** What the participant pages work out on their own: search terms, the name a person goes by, an age. */
import { describe, expect, test } from 'vitest';
import { ageFrom, nameOf, termsOf } from './participants.api';

describe('search terms from what was typed', () => {
  test('a date of birth, a phone number, or words of a name', () => {
    expect(termsOf(' 1990-05-12 ')).toEqual({ dateOfBirth: '1990-05-12' });
    expect(termsOf('(555) 201-3344')).toEqual({ phone: '5552013344' });
    expect(termsOf('+1 555 201 3344')).toEqual({ phone: '15552013344' });
    expect(termsOf('riv')).toEqual({ query: 'riv' });
    // Too few digits for a phone number: searched as words.
    expect(termsOf('201-33')).toEqual({ query: '201-33' });
  });
});

describe('the name a person goes by', () => {
  const none = { firstName: null, lastName: null, alias: null, preferredName: null };
  test('preferred name first, then first name, then the alias', () => {
    expect(nameOf({ ...none, firstName: 'Jamie', lastName: 'Rivera', preferredName: 'Jay' })).toBe('Jay Rivera');
    expect(nameOf({ ...none, firstName: 'Jamie', lastName: 'Rivera' })).toBe('Jamie Rivera');
    expect(nameOf({ ...none, alias: 'Smiles' })).toBe('Smiles');
  });
});

describe('age from a date of birth', () => {
  test('counts whole years, the birthday included', () => {
    expect(ageFrom('1990-05-12', new Date(2026, 4, 11))).toBe(35);
    expect(ageFrom('1990-05-12', new Date(2026, 4, 12))).toBe(36);
  });
});

/** The password rules (platform/auth/passwords.ts), without a database. */
import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../../platform/auth/passwords.js';

describe('password policy: not the email address', () => {
  const strong = 'a lantern over the harbor at dusk';

  it('refuses a password containing the name part of the email when it has 4 or more characters', () => {
    expect(passwordProblem(`${strong} riley`, 'Riley@example.org')).toMatch(/email/);
    expect(passwordProblem(`RILEY.ADMIN ${strong}`, 'riley.admin@example.org')).toMatch(/email/);
    expect(passwordProblem(`${strong} rose`, 'rose@example.org')).toMatch(/email/);
  });

  it('accepts a password that merely contains a short (under 4 characters) name part', () => {
    // "jo" is in "journey", "major", "enjoy": refusing them all helps no one.
    expect(passwordProblem('a long journey to the major enjoyment', 'jo@x.org')).toBeUndefined();
    expect(passwordProblem(`${strong} amy`, 'amy@example.org')).toBeUndefined();
    expect(passwordProblem(`${strong} a`, 'a@example.org')).toBeUndefined();
  });

  it('still refuses the whole address, however short its name part', () => {
    expect(passwordProblem(`${strong} Jo@X.org`, 'jo@x.org')).toMatch(/email/);
  });

  it('the other rules are unchanged', () => {
    expect(passwordProblem('short', 'jo@x.org')).toMatch(/at least 12/);
    expect(passwordProblem('password1234', 'jo@x.org')).toMatch(/common/);
    expect(passwordProblem(strong)).toBeUndefined();
  });
});

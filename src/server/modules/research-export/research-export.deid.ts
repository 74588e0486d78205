/**
 * The Safe Harbor rules the research export applies to single values (45 CFR 164.514(b)(2)):
 * pure functions, no database. Every value that leaves goes through one of these; anything that
 * is not a known code becomes null or 'other', so a free-text value stored by mistake in a coded
 * column never leaves the organization.
 */
import { randomBytes } from 'node:crypto';
import { RESTRICTED_ZIP3 } from './restricted-zip3.js';

const RESTRICTED = new Set(RESTRICTED_ZIP3);
const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * 164.514(b)(2)(i)(B): the first three digits of a 5-digit ZIP, or 000 where those digits form an
 * area of 20,000 people or fewer. Anything that is not a US ZIP code is left out (null).
 */
export function zip3(zip: string | null | undefined): string | null {
  const m = /^(\d{3})\d{2}(?:-?\d{4})?$/.exec((zip ?? '').trim());
  if (!m) return null;
  return RESTRICTED.has(m[1]!) ? '000' : m[1]!;
}

/**
 * 164.514(b)(2)(i)(C): the year of birth, or "90+" for anyone over 89 — and, because the year
 * itself would then be "indicative of such age", for anyone who turns 90 in the export's year
 * (the exact birthday is not used, so a person of 89 born late in the year is grouped too).
 */
export function yearOfBirth(birthYear: number | null, exportYear: number): string | null {
  if (birthYear == null || !Number.isInteger(birthYear) || birthYear < 1850 || birthYear > exportYear) return null;
  return exportYear - birthYear >= 90 ? '90+' : String(birthYear);
}

/** The year of a local date or a date of birth (YYYY-MM-DD), or null. */
export function yearOf(date: string | null | undefined): number | null {
  const m = DATE.exec(date ?? '');
  return m ? Number(m[1]) : null;
}

/** Whole days from local date `from` to local date `to` (both YYYY-MM-DD), counted in UTC so no change of clocks moves a day. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** `date` plus `n` days (YYYY-MM-DD). */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** A value from a fixed code list, or `fallback` for anything else (free text never passes). */
export function code<T extends string>(list: readonly T[], value: string | null | undefined, fallback: T | null = null): T | null {
  if (value == null) return null;
  return (list as readonly string[]).includes(value) ? (value as T) : fallback;
}

/**
 * Study ids: random, drawn fresh for every export, not derived from any record id (a hash of an
 * id would link exports to each other and to the organization's records: 164.514(c) allows a
 * re-identification code only when it is "not derived from information about the individual").
 * No mapping is stored, so nobody — the organization included — can link a study id back.
 */
export function studyIds(n: number): string[] {
  const ids = new Set<string>();
  while (ids.size < n) ids.add(randomStudyId());
  return [...ids];
}

// Consonants only: an id never spells a word or a number (a year, a ZIP) by chance. 20^12 ≈ 4·10^15.
const ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
const ID_LENGTH = 12;

function randomStudyId(): string {
  let id = '';
  while (id.length < ID_LENGTH) {
    // Rejection sampling keeps every letter equally likely (256 is not a multiple of 20).
    for (const b of randomBytes(ID_LENGTH * 2)) if (b < 240 && id.length < ID_LENGTH) id += ALPHABET[b % ALPHABET.length];
  }
  return id;
}

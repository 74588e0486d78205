/**
 * Small-cell suppression: cells under 11 hidden, and enough other entries hidden with them that
 * no hidden count can be worked out from what is shown. The recovery check here is independent of
 * the one in the code: it searches for another table that agrees with every shown number and
 * differs in the hidden cell (a ±1 change along hidden entries that keeps every sum).
 */
import { describe, expect, it } from 'vitest';
import { suppressBreakdown, suppressCount, suppressTable, type SuppressedTable } from './measures.suppress.js';

/** The full table with margins, as (r + 1) × (c + 1), and which entries are hidden. */
function layout(counts: number[][], t: SuppressedTable) {
  const r = counts.length;
  const c = counts[0]!.length;
  const hidden: [number, number][] = t.hidden.map((h) => [h.row === 'total' ? r : h.row, h.column === 'total' ? c : h.column]);
  return { r, c, hidden };
}

/**
 * Can the hidden entry k take another value while every row and column sum still holds? Searches
 * changes of −1, 0 or +1 on the hidden entries (a cycle of alternating signs is enough in a
 * two-way table) with entry k changed.
 */
function canDiffer(counts: number[][], t: SuppressedTable, k: number): boolean {
  const { r, c, hidden } = layout(counts, t);
  // Each sum as (hidden entry, sign) pairs: row i is its cells minus its total, column j likewise.
  const sums = [
    ...Array.from({ length: r + 1 }, (_, i) => hidden.flatMap(([hi, hj], n) => (hi === i ? [[n, hj === c ? -1 : 1] as const] : []))),
    ...Array.from({ length: c + 1 }, (_, j) => hidden.flatMap(([hi, hj], n) => (hj === j ? [[n, hi === r ? -1 : 1] as const] : []))),
  ].filter((e) => e.length > 0);
  // Check a sum as soon as its last hidden entry has a value.
  const due = hidden.map((_, n) => sums.filter((e) => Math.max(...e.map(([m]) => m)) === n));
  const change = new Array<number>(hidden.length).fill(0);
  const search = (n: number): boolean => {
    if (n === hidden.length) return true;
    for (const v of n === k ? [1] : [0, 1, -1]) {
      change[n] = v;
      if (due[n]!.every((e) => e.reduce((s, [m, sign]) => s + sign * change[m]!, 0) === 0) && search(n + 1)) return true;
    }
    change[n] = 0;
    return false;
  };
  return search(0);
}

function expectSafe(counts: number[][], t: SuppressedTable) {
  const { r, c } = layout(counts, t);
  const shown = (i: number, j: number) => (i < r && j < c ? t.cells[i]![j] : i < r ? t.rowTotals[i] : j < c ? t.columnTotals[j] : t.total);
  for (let i = 0; i <= r; i++) for (let j = 0; j <= c; j++) {
    const v = shown(i, j);
    if (v !== null && v !== undefined) expect(v).toBeGreaterThanOrEqual(11);
  }
  t.hidden.forEach((_, k) => expect(canDiffer(counts, t, k)).toBe(true));
}

describe('small-cell suppression', () => {
  it('a single figure under 11 is hidden (zero too, by default)', () => {
    expect(suppressCount(10)).toBeNull();
    expect(suppressCount(11)).toBe(11);
    expect(suppressCount(0)).toBeNull();
    expect(suppressCount(0, { hideZeros: false })).toBe(0);
  });

  it('a breakdown with one small category hides the next smallest too, so the total does not give it away', () => {
    expect(suppressBreakdown({ white: 30, black: 20, other: 5 })).toEqual({ counts: { white: 30, black: null, other: null }, total: 55 });
    expect(suppressBreakdown({ a: 40, b: 12 })).toEqual({ counts: { a: 40, b: 12 }, total: 52 });
    // two small ones protect each other; a small total is hidden itself
    expect(suppressBreakdown({ a: 3, b: 4, c: 50 })).toEqual({ counts: { a: null, b: null, c: 50 }, total: 57 });
    expect(suppressBreakdown({ a: 3, b: 4 })).toEqual({ counts: { a: null, b: null }, total: null });
  });

  it('a two-way table: one small cell takes a cell in its row, in its column and the fourth corner', () => {
    const counts = [
      [20, 5, 30],
      [40, 50, 60],
    ];
    const t = suppressTable(counts);
    expect(t.cells).toEqual([
      [null, null, 30],
      [null, null, 60],
    ]);
    expect(t.rowTotals).toEqual([55, 150]);
    expect(t.columnTotals).toEqual([60, 55, 90]);
    expect(t.total).toBe(205);
    expect(t.hidden.filter((h) => h.reason === 'small')).toEqual([{ row: 0, column: 1, reason: 'small' }]);
    expectSafe(counts, t);
  });

  it('a one-column table hides the total next to a small cell', () => {
    const counts = [[5], [40], [30]];
    const t = suppressTable(counts);
    expect(t.cells[0]![0]).toBeNull();
    expectSafe(counts, t);
  });

  it('catches a hidden cell recoverable only by combining sums (two blocks joined by one cell)', () => {
    // Every row and column has two or more hidden cells, yet rows 0+1 minus columns 0+1 give
    // cell (1, 2) exactly: the code must hide more.
    const s = 5;
    const L = 50;
    const counts = [
      [s, s, L, L],
      [s, s, s, L],
      [L, L, s, s],
      [L, L, s, s],
    ];
    const t = suppressTable(counts);
    expect(t.hidden.filter((h) => h.reason === 'complementary').length).toBeGreaterThan(0);
    expectSafe(counts, t);
  });

  it('random tables are always safe', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 25; n++) {
      const rows = 2 + Math.floor(next() * 2);
      const cols = 2 + Math.floor(next() * 2);
      const counts = Array.from({ length: rows }, () => Array.from({ length: cols }, () => (next() < 0.3 ? Math.floor(next() * 11) : 11 + Math.floor(next() * 60))));
      expectSafe(counts, suppressTable(counts));
    }
  });
});

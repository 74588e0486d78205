/**
 * Small-cell suppression for anything exported or shown to roles without record access (issue 7:
 * "small cells (under 11) suppressed"). Primary suppression hides every count under 11 (the CMS
 * cell size suppression policy's threshold; zero is hidden too unless `hideZeros` is off).
 * Complementary suppression then hides more entries until no hidden count can be worked out from
 * the totals that stay visible: every row and column sum keeps 0 or 2+ hidden entries, and a
 * linear-algebra check confirms that no combination of the sums pins a hidden count down.
 * (It guards exact recovery; bounds from "counts are ≥ 0" are not audited.)
 */

export interface SuppressionOptions {
  /** Counts under this are hidden (default 11). */
  minCell?: number;
  /** Hide zeros too (default true: "under 11" includes 0). */
  hideZeros?: boolean;
}

/** A linear relation the reader can see: the parts add up to the total (indices into the values). */
interface Sum {
  parts: readonly number[];
  total: number;
}

export type HiddenReason = 'small' | 'complementary';

/** Which of `values` to hide so that none hidden is recoverable through `sums`. */
function suppress(values: readonly number[], sums: readonly Sum[], opts: SuppressionOptions): Map<number, HiddenReason> {
  const minCell = opts.minCell ?? 11;
  const hideZeros = opts.hideZeros ?? true;
  const hidden = new Map<number, HiddenReason>();
  values.forEach((v, i) => {
    if (v < minCell && (v > 0 || hideZeros)) hidden.set(i, 'small');
  });
  const totals = new Set(sums.map((s) => s.total));
  // Complementary hiding prefers a cell to a total, then the smallest count, then the first.
  const pick = (candidates: number[]): number | undefined =>
    candidates.filter((i) => !hidden.has(i)).sort((a, b) => Number(totals.has(a)) - Number(totals.has(b)) || values[a]! - values[b]! || a - b)[0];
  for (;;) {
    let changed = false;
    for (const s of sums) {
      const members = [...s.parts, s.total];
      if (members.filter((i) => hidden.has(i)).length !== 1) continue;
      const next = pick(members);
      if (next !== undefined) {
        hidden.set(next, 'complementary');
        changed = true;
      }
    }
    if (changed) continue;
    // Each sum is safe on its own; check that no combination of them recovers a hidden count.
    const exposed = recoverable([...hidden.keys()], sums);
    if (exposed === null) return hidden;
    const next = pick(sums.filter((s) => s.total === exposed || s.parts.includes(exposed)).flatMap((s) => [...s.parts, s.total]));
    if (next === undefined) return hidden; // every entry around it is hidden already
    hidden.set(next, 'complementary');
  }
}

/**
 * A hidden entry whose value the visible sums determine, or null. With the hidden entries as the
 * unknowns, each sum is one linear equation; an unknown is determined exactly when its unit
 * vector lies in the row space, i.e. when a row of the reduced row echelon form is that vector.
 */
function recoverable(hiddenIds: readonly number[], sums: readonly Sum[]): number | null {
  const col = new Map(hiddenIds.map((id, k) => [id, k]));
  const rows = sums.map((s) => {
    const r: number[] = new Array<number>(hiddenIds.length).fill(0);
    for (const p of s.parts) if (col.has(p)) r[col.get(p)!]! += 1;
    if (col.has(s.total)) r[col.get(s.total)!]! -= 1;
    return r;
  });
  let lead = 0;
  for (let c = 0; c < hiddenIds.length && lead < rows.length; c++) {
    const pivot = rows.findIndex((r, i) => i >= lead && Math.abs(r[c]!) > 1e-9);
    if (pivot < 0) continue;
    [rows[lead], rows[pivot]] = [rows[pivot]!, rows[lead]!];
    const p = rows[lead]!;
    const f = p[c]!;
    for (let k = 0; k < p.length; k++) p[k]! /= f;
    rows.forEach((r, i) => {
      if (i === lead || Math.abs(r[c]!) < 1e-9) return;
      const g = r[c]!;
      for (let k = 0; k < r.length; k++) r[k]! -= g * p[k]!;
    });
    lead++;
  }
  for (const r of rows) {
    const nonZero = r.flatMap((v, k) => (Math.abs(v) > 1e-9 ? [k] : []));
    if (nonZero.length === 1) return hiddenIds[nonZero[0]!]!;
  }
  return null;
}

export interface SuppressedTable {
  /** null: hidden. */
  cells: (number | null)[][];
  rowTotals: (number | null)[];
  columnTotals: (number | null)[];
  total: number | null;
  /** Every hidden entry and why (`row`/`column` 'total' for the margins). */
  hidden: { row: number | 'total'; column: number | 'total'; reason: HiddenReason }[];
}

/**
 * A table of counts (rows × columns, e.g. a measure's numerator by race and by age band) shown
 * with its row totals, column totals and grand total, suppressed as a whole.
 */
export function suppressTable(counts: readonly (readonly number[])[], opts: SuppressionOptions = {}): SuppressedTable {
  const r = counts.length;
  const c = counts[0]?.length ?? 0;
  if (counts.some((row) => row.length !== c)) throw new RangeError('Every row needs the same number of columns');
  // The flat layout: (r + 1) × (c + 1), the last column the row totals, the last row the column totals.
  const at = (i: number, j: number) => i * (c + 1) + j;
  const values: number[] = [];
  for (let i = 0; i <= r; i++) {
    for (let j = 0; j <= c; j++) {
      if (i < r && j < c) values.push(counts[i]![j]!);
      else if (i < r) values.push(counts[i]!.reduce((a, b) => a + b, 0));
      else if (j < c) values.push(counts.reduce((a, row) => a + row[j]!, 0));
      else values.push(counts.reduce((a, row) => a + row.reduce((x, y) => x + y, 0), 0));
    }
  }
  const range = (n: number) => Array.from({ length: n }, (_, k) => k);
  const sums: Sum[] = [
    ...range(r + 1).map((i) => ({ parts: range(c).map((j) => at(i, j)), total: at(i, c) })),
    ...range(c + 1).map((j) => ({ parts: range(r).map((i) => at(i, j)), total: at(r, j) })),
  ];
  const hidden = suppress(values, sums, opts);
  const shown = (i: number, j: number) => (hidden.has(at(i, j)) ? null : values[at(i, j)]!);
  return {
    cells: range(r).map((i) => range(c).map((j) => shown(i, j))),
    rowTotals: range(r).map((i) => shown(i, c)),
    columnTotals: range(c).map((j) => shown(r, j)),
    total: shown(r, c),
    hidden: [...hidden].sort(([a], [b]) => a - b).map(([k, reason]) => {
      const i = Math.floor(k / (c + 1));
      const j = k % (c + 1);
      return { row: i === r ? 'total' : i, column: j === c ? 'total' : j, reason };
    }),
  };
}

/**
 * One breakdown (counts by category) shown with its total: the categories under 11 are hidden,
 * and when only one is, the next smallest is hidden with it so the total does not give it away.
 */
export function suppressBreakdown<K extends string>(counts: Readonly<Record<K, number>>, opts: SuppressionOptions = {}): { counts: Record<K, number | null>; total: number | null } {
  const keys = Object.keys(counts) as K[];
  const values = keys.map((k) => counts[k]);
  values.push(values.reduce((a, b) => a + b, 0));
  const hidden = suppress(values, [{ parts: keys.map((_, i) => i), total: keys.length }], opts);
  const out = {} as Record<K, number | null>;
  keys.forEach((k, i) => (out[k] = hidden.has(i) ? null : counts[k]));
  return { counts: out, total: hidden.has(keys.length) ? null : values[keys.length]! };
}

/** A single figure on its own (a numerator shown to an aggregate-only role): hidden under 11. */
export function suppressCount(n: number, opts: SuppressionOptions = {}): number | null {
  const minCell = opts.minCell ?? 11;
  return n < minCell && (n > 0 || (opts.hideZeros ?? true)) ? null : n;
}

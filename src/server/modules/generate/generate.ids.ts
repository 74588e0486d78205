/**
 * Row ids for the generated program: UUIDv7 like every id (`platform/ids.ts`), but made from the
 * seed instead of the system's random source, so the same seed and clock give the same ids — and
 * without a random-source call per row (that was a tenth of the generator's time).
 *
 * Layout (RFC 9562 UUIDv7, "fixed bit-length dedicated counter"): 48 bits of Unix milliseconds,
 * the version, a 32-bit counter that only goes up (rand_a and the top of rand_b), the variant,
 * and 42 bits from the seeded stream. The counter makes every id unique within a run, and ids
 * made for the same millisecond sort in the order they were made (events recorded at the same
 * instant keep their order, as the app's monotonic `newId` does).
 */

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export type IdMaker = (ms?: number) => string;

/** Ids for one generation run: `ms` defaults to `defaultMs` (the clock's now); the counter starts at `counterStart` (one range per organization of a network). */
export function generatedIds(seed: number, defaultMs: number, counterStart = 0): IdMaker {
  let state = (seed ^ 0x5bd1e995) >>> 0;
  const next32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  let counter = counterStart;
  return (ms = defaultMs) => {
    if (counter > 0xffffffff) throw new Error('generatedIds: more than 2^32 ids in one run');
    const c = counter++;
    const hi = Math.floor(ms / 0x1000000); // top 24 of the 48 bits
    const lo = ms % 0x1000000; // bottom 24
    const r1 = next32();
    const r2 = next32();
    const b6 = 0x70 | ((c >>> 28) & 0x0f);
    const b7 = (c >>> 20) & 0xff;
    const b8 = 0x80 | ((c >>> 14) & 0x3f);
    const b9 = (c >>> 6) & 0xff;
    const b10 = ((c & 0x3f) << 2) | (r1 & 0x03);
    return (
      HEX[(hi >>> 16) & 0xff]! + HEX[(hi >>> 8) & 0xff]! + HEX[hi & 0xff]! + HEX[(lo >>> 16) & 0xff]! + '-' +
      HEX[(lo >>> 8) & 0xff]! + HEX[lo & 0xff]! + '-' +
      HEX[b6]! + HEX[b7]! + '-' +
      HEX[b8]! + HEX[b9]! + '-' +
      HEX[b10]! + HEX[(r1 >>> 2) & 0xff]! + HEX[(r1 >>> 10) & 0xff]! + HEX[(r1 >>> 18) & 0xff]! + HEX[r2 & 0xff]! + HEX[(r2 >>> 8) & 0xff]!
    );
  };
}

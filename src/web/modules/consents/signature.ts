/**
 * A signature drawn with a finger or a mouse, as SVG path data: each stroke is "M x y" then
 * "L x y" for every further point, in whole units of a 600 × 200 box. The server accepts only
 * path commands and numbers, so a signature can never carry markup.
 */
export const PAD_WIDTH = 600;
export const PAD_HEIGHT = 200;

export type Point = readonly [number, number];

export function pathOf(strokes: readonly (readonly Point[])[]): string {
  return strokes
    .filter((s) => s.length > 0)
    .map((s) => {
      const [first, ...rest] = s.map(([x, y]) => `${Math.round(x)} ${Math.round(y)}`);
      // A tap is a dot: draw it as a tiny line so it shows.
      return rest.length ? `M${first} ${rest.map((p) => `L${p}`).join(' ')}` : `M${first} l1 0`;
    })
    .join(' ');
}

/** A point of a pointer event in the pad's own units, whatever size the pad is shown at. */
export function padPoint(clientX: number, clientY: number, box: { left: number; top: number; width: number; height: number }): Point {
  const x = ((clientX - box.left) / Math.max(box.width, 1)) * PAD_WIDTH;
  const y = ((clientY - box.top) / Math.max(box.height, 1)) * PAD_HEIGHT;
  return [Math.min(PAD_WIDTH, Math.max(0, x)), Math.min(PAD_HEIGHT, Math.max(0, y))];
}

/**
 * Sign with a finger (or a mouse or pen) on a canvas. Pointer events draw on the canvas and build
 * SVG path data (signature.ts), which is what is saved. A person who cannot draw chooses "Type the
 * name" instead (the form offers it beside the pad).
 */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { PAD_HEIGHT, PAD_WIDTH, padPoint, pathOf, type Point } from './signature';

export function SignaturePad({ id, label, describedBy, onChange }: { id: string; label: string; describedBy?: string | undefined; onChange: (path: string) => void }) {
  const { t } = useTranslation();
  const canvas = useRef<HTMLCanvasElement>(null);
  const strokes = useRef<Point[][]>([]);
  const drawing = useRef(false);

  const redraw = () => {
    const c = canvas.current;
    const g = c?.getContext('2d');
    if (!c || !g) return;
    g.clearRect(0, 0, PAD_WIDTH, PAD_HEIGHT);
    g.lineWidth = 3;
    g.lineCap = 'round';
    g.lineJoin = 'round';
    g.strokeStyle = '#0b0c0c';
    g.stroke(new Path2D(pathOf(strokes.current)));
  };
  useEffect(redraw, []);

  const point = (e: React.PointerEvent<HTMLCanvasElement>): Point => padPoint(e.clientX, e.clientY, e.currentTarget.getBoundingClientRect());

  return (
    <div className="signature-pad">
      <canvas
        ref={canvas}
        id={id}
        className="signature-pad-canvas"
        width={PAD_WIDTH}
        height={PAD_HEIGHT}
        role="img"
        aria-label={label}
        aria-describedby={describedBy}
        tabIndex={0}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          drawing.current = true;
          strokes.current.push([point(e)]);
          redraw();
        }}
        onPointerMove={(e) => {
          if (!drawing.current) return;
          strokes.current[strokes.current.length - 1]?.push(point(e));
          redraw();
        }}
        onPointerUp={() => {
          drawing.current = false;
          onChange(pathOf(strokes.current));
        }}
        onPointerCancel={() => {
          drawing.current = false;
          onChange(pathOf(strokes.current));
        }}
      />
      <button
        type="button"
        className="button button--secondary"
        onClick={() => {
          strokes.current = [];
          redraw();
          onChange('');
        }}
      >
        {t('consents.form.clear')}
      </button>
    </div>
  );
}

/** A saved signature, drawn from its path data. */
export function SignatureImage({ path, label }: { path: string; label: string }) {
  return (
    <svg className="signature-image" viewBox={`0 0 ${PAD_WIDTH} ${PAD_HEIGHT}`} role="img" aria-label={label}>
      <path d={path} fill="none" stroke="currentColor" strokeWidth={3} strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

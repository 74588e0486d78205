/**
 * A QR code drawn as SVG from the link's address, in the browser (qrcode-generator: no network, no
 * image kept anywhere). Error correction M; dark modules on white with the quiet zone the standard
 * asks for, so phone cameras read it from a screen.
 */
import qrcode from 'qrcode-generator';
import { useMemo } from 'react';

export function QrCode({ value, label, size = 240 }: { value: string; label: string; size?: number }) {
  const { path, modules } = useMemo(() => {
    const qr = qrcode(0, 'M');
    qr.addData(value);
    qr.make();
    const n = qr.getModuleCount();
    let d = '';
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (qr.isDark(r, c)) d += `M${c + 4} ${r + 4}h1v1h-1z`;
    return { path: d, modules: n + 8 };
  }, [value]);
  return (
    <svg className="qr-code" role="img" aria-label={label} width={size} height={size} viewBox={`0 0 ${modules} ${modules}`} shapeRendering="crispEdges">
      <rect width={modules} height={modules} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}

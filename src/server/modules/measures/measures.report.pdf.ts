/**
 * The funder report as a PDF, drawn on the server with pdfkit (pure JavaScript, no browser): the
 * same content as the web page (/reports/funder) from the one model (measures.report.ts).
 *
 * - Tagged PDF (PDF/UA-style structure: headings, paragraphs, tables with header cells), with the
 *   language and the title set, so a screen reader reads it in order; page footers are artifacts.
 * - Fonts: the standard Helvetica faces, which need no font file but only cover the Windows-1252
 *   characters (English and Spanish). `pdfText` writes the few other characters the definitions
 *   use in plain form (− → -, → → ->, ≥ → >=) and any other one as "?" — a name in another script
 *   would need an embedded font (not shipped yet).
 * - Numbers are written as the web page writes them in English: shares as percentages with one
 *   decimal, other rates with one decimal, "fewer than 11" for hidden counts.
 */
import PDFDocument from 'pdfkit';
import type { FunderReport, PAPER_SIZES } from '../../../contracts/measures-report.js';
import type { MeasureFigure, MeasureResult } from '../../../contracts/measures.js';

export type Paper = (typeof PAPER_SIZES)[number];

export interface PdfOptions {
  paper?: Paper;
  /** Deflate the page streams (default true; tests read the text with it off). */
  compress?: boolean;
  /** When the file is made (the document's creation date). */
  now?: Date;
}

const MARGIN = 54; // 0.75 in
const INK = '#0b0c0c';
const GREY = '#505a5f';
const RULE = '#b1b4b6';

// Windows-1252 beyond ASCII and Latin-1: what the standard fonts can show.
const CP1252_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const PLAIN: Record<string, string> = { '\u2212': '-', '\u2192': '->', '\u2190': '<-', '\u2265': '>=', '\u2264': '<=', '\u2248': '~', '\u2011': '-', '\u2009': ' ', '\u202f': ' ' };

/** Text the standard fonts can draw (see the header). */
export function pdfText(s: string): string {
  let out = '';
  for (const ch of s.normalize('NFC')) {
    const code = ch.codePointAt(0)!;
    if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || CP1252_EXTRA.has(ch)) out += ch;
    else if (ch === '\n') out += ch;
    else out += PLAIN[ch] ?? '?';
  }
  return out;
}

const DATE_FORMAT = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' });
const DECIMAL_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const PERCENT_FORMAT = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
const longDate = (date: string) => (/^\d{4}-\d{2}-\d{2}$/.test(date) ? DATE_FORMAT.format(new Date(`${date}T12:00:00Z`)) : date);
const oneDecimal = (n: number) => DECIMAL_FORMAT.format(n);
const percent = (n: number) => PERCENT_FORMAT.format(n);
const FEWER = 'fewer than 11';

/** An estimate in its unit (the cost model): "$12,400", "320 hours", "14 visits". */
function amount(v: number, unit: MeasureFigure['unit']): string {
  if (unit === 'currency') return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(v);
  return unit ? `${oneDecimal(v)} ${unit}` : oneDecimal(v);
}

/** The period as a line: "July 1, 2026 to September 30, 2026 (2026-Q3)". */
export function periodLine(r: FunderReport): string {
  const dates = `${longDate(r.period.from)} to ${longDate(r.period.to)}`;
  if (!r.period.quarter) return dates;
  return r.period.toDate ? `${dates} (${r.period.quarter}, to date: the quarter has not ended)` : `${dates} (${r.period.quarter})`;
}

/** One figure as the cells of its row: what, result, counts, interval, notes. */
export function figureCells(f: MeasureFigure): [string, string, string, string, string] {
  const count = (n: number | null | undefined) => (n === null || n === undefined ? (f.suppressed ? FEWER : '–') : oneDecimal(n));
  const rated = (v: number) => (f.kind === 'share' || f.kind === 'survival' ? percent(v) : oneDecimal(v));
  let result: string;
  if (f.kind === 'count') result = count(f.numerator);
  else if (f.rate === null) result = f.suppressed ? FEWER : 'nothing to count yet';
  else if (f.kind === 'event_rate') result = `${rated(f.rate)} per ${f.per ?? 1} participant-months`;
  else if (f.kind === 'amount') result = amount(f.rate, f.unit);
  else result = rated(f.rate);
  let counts = '';
  if (f.kind === 'share' || (f.kind === 'count' && f.denominator !== null)) counts = `${count(f.numerator)} of ${count(f.denominator)}`;
  else if (f.kind === 'event_rate') counts = `${count(f.numerator)} events in ${count(f.denominator)} participant-months`;
  else if (f.denominator !== null) counts = `from ${count(f.denominator)}`;
  else if (f.suppressed) counts = FEWER;
  const interval = f.lower !== null && f.upper !== null ? `${rated(f.lower)} to ${rated(f.upper)}` : '';
  const notes: string[] = [];
  if (f.target !== undefined) notes.push(`Target ${percent(f.target)}${f.rate === null ? '' : f.rate >= f.target ? ' (met)' : ' (not met)'}`);
  if (f.pending) notes.push(`${f.pending} still in their window`);
  else if (f.pending === null) notes.push(`${FEWER} still in their window`);
  if (f.inProgress) notes.push(`${f.inProgress} still in progress`);
  else if (f.inProgress === null) notes.push(`${FEWER} still in progress`);
  if (f.missing) notes.push(`${f.missing} without the second date yet`);
  else if (f.missing === null) notes.push(`${FEWER} without the second date yet`);
  return [f.label, result, counts, interval, notes.join('; ')];
}

/** A parameter's value as the definition shows it ("7, 30", "80%"). */
export function parameterValue(m: MeasureResult, key: string): string {
  const p = m.definition.parameters.find((x) => x.key === key);
  const v = m.parameters[key] ?? p?.default;
  if (v === undefined) return '';
  const one = (n: number) => (p?.unit === 'share' ? percent(n) : oneDecimal(n));
  return Array.isArray(v) ? v.map(one).join(', ') : one(v);
}

type Struct = ReturnType<PDFKit.PDFDocument['struct']>;

export function funderReportPdf(r: FunderReport, opts: PdfOptions = {}): Promise<Buffer> {
  const title = `Funder report: ${r.organization.name}`;
  const doc = new PDFDocument({
    size: opts.paper === 'a4' ? 'A4' : 'LETTER',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    compress: opts.compress ?? true,
    bufferPages: true,
    pdfVersion: '1.7',
    tagged: true,
    lang: 'en-US',
    displayTitle: true,
    info: {
      Title: pdfText(title),
      Subject: pdfText(`Outcome and process measures, ${periodLine(r)}`),
      Author: 'Lodestar',
      Creator: 'Lodestar',
      CreationDate: opts.now ?? new Date(),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const root = doc.struct('Document');
  doc.addStructure(root);
  const width = doc.page.width - 2 * MARGIN;
  const text = (parent: Struct, type: string, s: string, o: { font?: string; size?: number; color?: string; gap?: number } = {}) => {
    doc.font(o.font ?? 'Helvetica').fontSize(o.size ?? 10).fillColor(o.color ?? INK);
    doc.text(pdfText(s), MARGIN, doc.y, { width, structParent: parent, structType: type } as PDFKit.Mixins.TextOptions);
    doc.moveDown(o.gap ?? 0.4);
  };
  const heading = (parent: Struct, type: 'H1' | 'H2' | 'H3', s: string) => {
    const size = type === 'H1' ? 20 : type === 'H2' ? 14 : 11;
    // Keep a heading with what follows it.
    if (doc.y + size * 4 > doc.page.height - MARGIN) doc.addPage();
    if (type !== 'H1') doc.moveDown(type === 'H2' ? 0.6 : 0.2);
    text(parent, type, s, { font: 'Helvetica-Bold', size, gap: 0.3 });
  };

  // ---- the front matter
  const front = doc.struct('Sect');
  root.add(front);
  heading(front, 'H1', 'Funder report');
  text(front, 'P', r.organization.name, { font: 'Helvetica-Bold', size: 13, gap: 0.1 });
  text(front, 'P', r.program ? `Program: ${r.program.name}` : 'All programs', { size: 11 });
  text(front, 'P', `Period: ${periodLine(r)}. Dates are local to ${r.timeZone}.`);
  text(front, 'P', r.participants === null ? 'Fewer than 11 participants in these figures.' : `${r.participants} ${r.participants === 1 ? 'participant' : 'participants'} in these figures.`);
  if (r.scope === 'team') text(front, 'P', "These figures cover the participants of the reporting supervisor's teams.");
  if (r.notes.suppression) text(front, 'P', r.notes.suppression);
  text(front, 'P', r.notes.statement, { font: 'Helvetica-Bold' });
  text(front, 'P', `Made on ${longDate(r.madeOn)}.`, { color: GREY });

  // ---- one section per measure
  for (const m of r.measures) {
    const sect = doc.struct('Sect');
    root.add(sect);
    heading(sect, 'H2', m.title);
    text(sect, 'P', m.definition.summary);
    figuresTable(doc, sect, m, width);
    if (m.definition.comparisons?.length) {
      heading(sect, 'H3', 'To compare');
      for (const c of m.definition.comparisons) text(sect, 'P', `${c.label}: ${c.value}`, { gap: 0.15 });
    }
    heading(sect, 'H3', 'How this is counted');
    const d = m.definition;
    const term = (label: string, value: string) => {
      if (!value) return;
      text(sect, 'P', `${label}: ${value}`, { gap: 0.2 });
    };
    term('Counted', d.numerator);
    term('Out of', d.denominator);
    term('Time windows', d.windows);
    term('Left out', d.exclusions.join(' '));
    term('Where the figures come from', d.dataSources.map((x) => x.replace(/\.$/, '')).join('; '));
    term('Settings used', d.parameters.map((p) => `${p.label}: ${parameterValue(m, p.key)}`).join('; '));
  }

  // ---- footers (artifacts, not content)
  const range = doc.bufferedPageRange();
  const footer = pdfText(`Lodestar funder report · ${r.organization.name} · ${r.period.from} to ${r.period.to}`);
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing inside the bottom margin must not add a page
    doc.markContent('Artifact', { type: 'Pagination' });
    doc.font('Helvetica').fontSize(8).fillColor(GREY);
    doc.text(`${footer} · page ${i + 1} of ${range.count}`, MARGIN, doc.page.height - MARGIN / 2 - 8, { width, lineBreak: false });
    doc.endMarkedContent();
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

function figuresTable(doc: PDFKit.PDFDocument, parent: Struct, m: MeasureResult, width: number): void {
  const header = ['Figure', 'Result', 'Counts', '95% interval', 'Notes'];
  const rows = m.figures.map((f) => figureCells(f).map(pdfText));
  doc.moveDown(0.2);
  doc.font('Helvetica').fontSize(9).fillColor(INK);
  const cell = { border: { bottom: 0.5 }, borderColor: RULE, padding: 3 };
  doc.table({
    position: { x: MARGIN, y: doc.y },
    maxWidth: width,
    columnStyles: [width * 0.28, width * 0.17, width * 0.19, width * 0.16, width * 0.2],
    defaultStyle: cell,
    data: [header.map((h) => ({ text: h, type: 'TH' as const, font: { src: 'Helvetica-Bold' } })), ...rows],
    structParent: parent,
  } as PDFKit.Mixins.TableOptionsWithData);
  doc.x = MARGIN;
  doc.moveDown(0.4);
}

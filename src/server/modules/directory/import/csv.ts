/**
 * RFC 4180 CSV: read a table into rows of named text fields (with the line each row starts on, for
 * reports) and write one back. Quoted fields may hold commas, quotes ("") and line breaks; a
 * leading byte-order mark is dropped; CRLF and LF both end a record.
 */

export interface CsvTable {
  header: string[];
  /** Each data row by column name; `line` is the 1-based line of the file the row starts on. */
  rows: { line: number; values: Record<string, string> }[];
}

export class CsvError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'CsvError';
  }
}

/** Split CSV text into records of raw fields, each with the line it starts on. */
function records(text: string): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let fields: string[] = [];
  let field = '';
  let start = line;
  let quoted = false;
  let fieldStarted = false;
  const endField = () => {
    fields.push(field);
    field = '';
    fieldStarted = false;
  };
  const endRecord = () => {
    endField();
    if (!(fields.length === 1 && fields[0] === '')) out.push({ line: start, fields });
    fields = [];
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        const next = text[i];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') throw new CsvError(line, 'A quoted field must end at a comma or the end of the line.');
        continue;
      }
      if (c === '\n') line++;
      field += c;
      i++;
      continue;
    }
    if (c === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
      i++;
      continue;
    }
    if (c === ',') {
      endField();
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      start = line;
      continue;
    }
    field += c;
    fieldStarted = true;
    i++;
  }
  if (quoted) throw new CsvError(start, 'A quoted field is not closed.');
  if (field !== '' || fields.length) endRecord();
  return out;
}

/** Parse a CSV table with a header row. Throws `CsvError` for a broken quote or a row with more fields than the header. */
export function parseCsv(text: string): CsvTable {
  const recs = records(text);
  const head = recs.shift();
  if (!head) return { header: [], rows: [] };
  const header = head.fields.map((h) => h.trim());
  const rows = recs.map((r) => {
    if (r.fields.length > header.length) throw new CsvError(r.line, `This row has ${r.fields.length} fields; the header has ${header.length}.`);
    const values: Record<string, string> = {};
    header.forEach((h, i) => {
      values[h] = r.fields[i] ?? '';
    });
    return { line: r.line, values };
  });
  return { header, rows };
}

const needsQuotes = /[",\r\n]|^\s|\s$/;
const cell = (v: string): string => (needsQuotes.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** Write rows as CSV with the given columns (absent values are empty), CRLF line ends per RFC 4180. */
export function writeCsv(columns: readonly string[], rows: readonly Record<string, string | number | null | undefined>[]): string {
  const lines = [columns.map(cell).join(',')];
  for (const r of rows) lines.push(columns.map((c) => cell(r[c] === null || r[c] === undefined ? '' : String(r[c]))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

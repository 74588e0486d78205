/** One table of the research export as CSV (RFC 4180): a header row of the dictionary's column names, then one line per row. */
import type { ResearchExport, ResearchExportTable } from '../../../contracts/research-export.js';
import { DICTIONARY_COLUMNS } from './research-export.dictionary.js';

export function toCsv(data: ResearchExport, table: ResearchExportTable): string {
  const names = DICTIONARY_COLUMNS.filter((c) => c.table === table).map((c) => c.name);
  const rows = data.tables[table] as readonly Record<string, unknown>[];
  return [names, ...rows.map((r) => names.map((n) => r[n]))].map((cells) => cells.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** Cells are codes, numbers and flags (the contract has nothing else). */
function cell(v: unknown): string {
  if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

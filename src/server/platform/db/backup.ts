/**
 * Online backup of the embedded database: SQLite's backup API copies a consistent snapshot page
 * by page while the server keeps serving. The copy is checked with `PRAGMA integrity_check`.
 */
import SQLite from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';

export async function backupSqlite(source: SQLite.Database, file: string): Promise<{ file: string; pages: number; integrity: string }> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (fs.existsSync(file)) throw new Error(`${file} already exists; choose a new file name`);
  const tmp = `${file}.partial`;
  fs.rmSync(tmp, { force: true });
  const progress = await source.backup(tmp);
  const copy = new SQLite(tmp);
  try {
    // The copy is a plain database file: no WAL to carry around.
    copy.pragma('journal_mode = DELETE');
    const integrity = String(copy.pragma('integrity_check', { simple: true }));
    if (integrity !== 'ok') throw new Error(`backup copy failed its integrity check: ${integrity}`);
    copy.close();
    fs.renameSync(tmp, file);
    return { file, pages: progress.totalPages, integrity };
  } catch (err) {
    if (copy.open) copy.close();
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * Import and export of the directory, for program managers and admins: choose the kind of file
 * and the file, check it (a dry run: what would be new, updated, unchanged, and what is left out),
 * then import it. A file with bad rows changes nothing and lists each row to correct. The export
 * links download the whole directory as HSDS JSON or the HSDS CSV data package.
 */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
// Types only: the schemas (and zod) stay out of the bundle.
import type { ImportBody, ImportRejected, ImportResult, RowProblem } from '../../../contracts/directory-import';
import { api, isApiError } from '../../app/api';
import { useAuth } from '../../app/auth';
import { Banner, Page } from '../../app/components';
import { DataList, type Column } from '../../app/DataList';
import { Button, ButtonGroup } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { describeError } from '../../app/forms/errors';
import { ErrorMessage, fieldId, RadioGroup, SelectField, TextField } from '../../app/forms/fields';

type Format = ImportBody['format'];
type Result = z.infer<typeof ImportResult>;
const FORMATS: Format[] = ['hsds-json', 'hsds-csv', 'meeting-guide', 'findtreatment'];
const FELLOWSHIPS = ['aa', 'na', 'smart', 'mars', 'all_recovery'] as const;
const MAX_BYTES = 24 * 1024 * 1024;
const KINDS = ['organizations', 'locations', 'services', 'serviceAtLocations'] as const;

/** The file as the import wants it: text for JSON, base64 for a zip (read as a data URL: no big strings built by hand). */
function readFile(file: File, asZip: boolean): Promise<{ content: string; encoding: 'utf8' | 'base64' }> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(reader.error ?? new Error('unreadable'));
    reader.onload = () => {
      const value = typeof reader.result === 'string' ? reader.result : '';
      resolve(asZip ? { content: value.slice(value.indexOf(',') + 1), encoding: 'base64' } : { content: value, encoding: 'utf8' });
    };
    if (asZip) reader.readAsDataURL(file);
    else reader.readAsText(file);
  });
}

interface FormErrors {
  format?: string;
  file?: string;
  label?: string;
  fellowship?: string;
}

function Problems({ report }: { report: ImportRejected }) {
  const { t } = useTranslation();
  const columns: Column<RowProblem>[] = [
    { header: t('directoryImport.where'), cell: (p) => (p.row !== null ? t('directoryImport.row', { file: p.file, row: p.row }) : p.file) + (p.id ? ` (${p.id})` : '') },
    { header: t('directoryImport.field'), cell: (p) => p.field },
    { header: t('directoryImport.problem'), cell: (p) => p.message },
  ];
  return (
    <>
      <DataList caption={t('directoryImport.problemsCaption')} columns={columns} rows={report.errors} rowKey={(p) => `${p.file}:${p.row ?? ''}:${p.id ?? ''}:${p.field}:${p.message}`} />
      {report.errorCount > report.errors.length ? <p>{t('directoryImport.moreProblems', { shown: report.errors.length, total: report.errorCount })}</p> : null}
    </>
  );
}

function Outcome({ result }: { result: Result }) {
  const { t } = useTranslation();
  const rows = KINDS.map((kind) => ({ kind, ...result.counts[kind] }));
  const columns: Column<(typeof rows)[number]>[] = [
    { header: t('directoryImport.kind'), cell: (r) => t(`directoryImport.kinds.${r.kind}`) },
    { header: t('directoryImport.created'), cell: (r) => r.created, numeric: true },
    { header: t('directoryImport.updated'), cell: (r) => r.updated, numeric: true },
    { header: t('directoryImport.unchanged'), cell: (r) => r.unchanged, numeric: true },
    { header: t('directoryImport.notInFile'), cell: (r) => r.notInFile, numeric: true },
  ];
  const warningColumns: Column<RowProblem>[] = [
    { header: t('directoryImport.where'), cell: (p) => (p.row !== null ? t('directoryImport.row', { file: p.file, row: p.row }) : p.file) },
    { header: t('directoryImport.field'), cell: (p) => p.field },
    { header: t('directoryImport.problem'), cell: (p) => p.message },
  ];
  return (
    <>
      <Banner kind="success" focus>
        {result.dryRun ? t('directoryImport.checked') : t('directoryImport.imported')}
      </Banner>
      <DataList caption={t('directoryImport.countsCaption')} columns={columns} rows={rows} rowKey={(r) => r.kind} />
      {rows.some((r) => r.notInFile) ? <p className="hint">{t('directoryImport.notInFileHint')}</p> : null}
      {result.warningCount ? (
        <section aria-labelledby="import-warnings">
          <h3 className="heading-s" id="import-warnings">
            {t('directoryImport.warningsHeading')}
          </h3>
          <p>{t('directoryImport.warningsIntro', { count: result.warningCount })}</p>
          <DataList caption={t('directoryImport.warningsHeading')} columns={warningColumns} rows={result.warnings} rowKey={(p) => `${p.file}:${p.row ?? ''}:${p.field}:${p.message}`} />
        </section>
      ) : null}
    </>
  );
}

export function ImportPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [format, setFormat] = useState<Format | ''>('');
  const [fellowship, setFellowship] = useState<(typeof FELLOWSHIPS)[number]>('aa');
  const [label, setLabel] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<FormErrors>({});
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState<'check' | 'import' | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [rejected, setRejected] = useState<ImportRejected | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const mayImport = can('directory.import');
  const mayExport = can('directory.export');

  async function submit(dryRun: boolean) {
    if (busy) return;
    const found: FormErrors = {};
    if (!format) found.format = t('directoryImport.format.required');
    if (!file) found.file = t('directoryImport.file.required');
    else if (file.size > MAX_BYTES) found.file = t('directoryImport.file.tooLarge');
    setErrors(found);
    setResult(null);
    setRejected(null);
    setFailure(null);
    if (Object.keys(found).length || !file || !format) {
      setAttempt((a) => a + 1);
      return;
    }
    setBusy(dryRun ? 'check' : 'import');
    try {
      let read;
      try {
        read = await readFile(file, format === 'hsds-csv');
      } catch {
        setErrors({ file: t('directoryImport.file.unreadable') });
        setAttempt((a) => a + 1);
        return;
      }
      const body: ImportBody = { format, ...read, dryRun, ...(label.trim() && { label: label.trim() }), ...(format === 'meeting-guide' && { fellowship }) };
      setResult(await api.post<Result>('/api/v1/directory/imports', body));
    } catch (err) {
      if (isApiError(err) && err.code === 'validation.failed' && err.details && 'errors' in err.details) {
        setRejected(err.details as unknown as ImportRejected);
      } else if (isApiError(err) && err.code === 'validation.failed' && err.fields.length) {
        // A field of the form itself (the kind of file, the feed name) or a file that is not JSON / not a zip.
        const next: FormErrors = {};
        for (const f of err.fields) {
          if (f.path === 'label') next.label = f.message;
          else if (f.path === 'fellowship') next.fellowship = f.message;
          else if (f.path === 'format') next.format = f.message;
          else next.file = f.message;
        }
        setErrors(next);
        setAttempt((a) => a + 1);
      } else {
        setFailure(describeError(t, err));
      }
    } finally {
      setBusy(null);
    }
  }

  const summary = [
    ...(errors.format ? [{ field: 'format', message: errors.format }] : []),
    ...(errors.file ? [{ field: 'file', message: errors.file }] : []),
    ...(errors.fellowship ? [{ field: 'fellowship', message: errors.fellowship }] : []),
    ...(errors.label ? [{ field: 'label', message: errors.label }] : []),
  ];
  const fileId = fieldId('file');

  if (!mayImport && !mayExport) {
    return (
      <Page title={t('directoryImport.title')}>
        <p>{t('directoryImport.notAllowed')}</p>
      </Page>
    );
  }

  return (
    <Page title={t('directoryImport.title')} hasErrors={summary.length > 0} wide>
      <p className="lead">{t('directoryImport.intro')}</p>
      {mayImport ? (
        <section aria-labelledby="import-heading">
          <h2 className="heading-m" id="import-heading">
            {t('directoryImport.importHeading')}
          </h2>
          <ErrorSummary errors={summary} attempt={attempt} />
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void submit(true);
            }}
          >
            <RadioGroup
              name="format"
              legend={t('directoryImport.format.legend')}
              error={errors.format}
              value={format}
              onChange={(v) => setFormat(v as Format)}
              options={FORMATS.map((f) => ({ value: f, label: t(`directoryImport.format.${f}`), hint: t(`directoryImport.format.${f}-hint`) }))}
            />
            <div className={`form-group${errors.file ? ' form-group--error' : ''}`}>
              <label className="label" htmlFor={fileId}>
                {t('directoryImport.file.label')}
              </label>
              <div id={`${fileId}-hint`} className="hint">
                {t('directoryImport.file.hint')}
              </div>
              {errors.file ? <ErrorMessage id={fileId}>{errors.file}</ErrorMessage> : null}
              <input
                ref={fileInput}
                id={fileId}
                name="file"
                type="file"
                className={`file-upload${errors.file ? ' input--error' : ''}`}
                accept={format === 'hsds-csv' ? '.zip,application/zip' : '.json,application/json'}
                aria-describedby={`${fileId}-hint${errors.file ? ` ${fileId}-error` : ''}`}
                aria-invalid={errors.file ? true : undefined}
                onChange={(e) => setFile(e.target.files?.[0] ?? null)}
              />
            </div>
            {format === 'meeting-guide' ? (
              <SelectField
                name="fellowship"
                label={t('directoryImport.fellowship.label')}
                hint={t('directoryImport.fellowship.hint')}
                error={errors.fellowship}
                value={fellowship}
                onChange={(v) => setFellowship(v as (typeof FELLOWSHIPS)[number])}
                options={FELLOWSHIPS.map((f) => ({ value: f, label: t(`directoryImport.fellowship.${f}`) }))}
              />
            ) : null}
            <TextField name="label" label={t('directoryImport.label.label')} hint={t('directoryImport.label.hint')} optional error={errors.label} value={label} onChange={setLabel} width="medium" autoComplete="off" spellCheck={false} />
            <ButtonGroup>
              <Button type="submit" variant="secondary" busy={busy === 'check'} busyLabel={t('directoryImport.checking')}>
                {t('directoryImport.check')}
              </Button>
              <Button onClick={() => void submit(false)} busy={busy === 'import'} busyLabel={t('directoryImport.importing')}>
                {t('directoryImport.import')}
              </Button>
            </ButtonGroup>
          </form>
          <div aria-live="polite">
            {failure ? <Banner kind="warning">{failure}</Banner> : null}
            {rejected ? (
              <>
                <Banner kind="warning" title={t('directoryImport.rejectedTitle')} focus>
                  {t('directoryImport.rejected', { count: rejected.errorCount })}
                </Banner>
                <Problems report={rejected} />
              </>
            ) : null}
            {result ? <Outcome result={result} /> : null}
          </div>
        </section>
      ) : null}
      {mayExport ? (
        <section aria-labelledby="export-heading">
          <h2 className="heading-m" id="export-heading">
            {t('directoryImport.exportHeading')}
          </h2>
          <p>{t('directoryImport.exportIntro')}</p>
          <ul className="list">
            <li>
              <a href="/api/v1/directory/export?format=hsds-json" download="directory-hsds.json">
                {t('directoryImport.exportJson')}
              </a>
            </li>
            <li>
              <a href="/api/v1/directory/export?format=hsds-csv" download="directory-hsds.zip">
                {t('directoryImport.exportCsv')}
              </a>
            </li>
          </ul>
        </section>
      ) : null}
    </Page>
  );
}

export default ImportPage;

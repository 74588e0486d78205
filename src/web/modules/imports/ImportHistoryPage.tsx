/**
 * Importing program history from CSV, for admins and program managers (`imports.run`): choose
 * what the file holds and the file, read it (its columns, first rows and a suggested mapping),
 * match each field to a column (selects prefilled with the suggestions), check it (a dry run:
 * every problem by line and column, or the counts), then import it. Nothing is written until
 * the whole file is right.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
// Types only: the schemas (and zod) stay out of the bundle.
import type { CsvImportBody, CsvKind, CsvPreview, ImportRejected, ImportResult } from '../../../contracts/imports';
import { api, isApiError } from '../../app/api';
import { Banner, Page } from '../../app/components';
import { DataList, type Column } from '../../app/DataList';
import { Button, ButtonGroup } from '../../app/forms/Button';
import { ErrorSummary } from '../../app/forms/ErrorSummary';
import { describeError } from '../../app/forms/errors';
import { ErrorMessage, fieldId, RadioGroup, SelectField } from '../../app/forms/fields';

const KINDS: CsvKind[] = ['participants', 'encounters'];
const MAX_BYTES = 20 * 1024 * 1024;

interface FormErrors {
  kind?: string;
  file?: string;
  [mapping: `mapping.${string}`]: string | undefined;
}

function Problems({ report }: { report: ImportRejected }) {
  const { t } = useTranslation();
  const columns: Column<ImportRejected['errors'][number]>[] = [
    { header: t('imports.where'), cell: (p) => p.path },
    { header: t('imports.problem'), cell: (p) => p.message },
  ];
  return (
    <>
      <DataList caption={t('imports.problemsCaption')} columns={columns} rows={report.errors} rowKey={(p) => `${p.path}:${p.message}`} />
      {report.errorCount > report.errors.length ? <p>{t('imports.moreProblems', { shown: report.errors.length, total: report.errorCount })}</p> : null}
    </>
  );
}

function Outcome({ result }: { result: ImportResult }) {
  const { t } = useTranslation();
  const rows = Object.entries(result.counts).map(([section, c]) => ({ section, ...c }));
  const columns: Column<(typeof rows)[number]>[] = [
    { header: t('imports.record'), cell: (r) => t(`imports.kind.${r.section}`, { defaultValue: r.section }) },
    { header: t('imports.created'), cell: (r) => r.created, numeric: true },
    { header: t('imports.updated'), cell: (r) => r.updated, numeric: true },
  ];
  return (
    <>
      <Banner kind="success" focus>
        {result.dryRun ? t('imports.checked') : t('imports.imported')}
      </Banner>
      <DataList caption={t('imports.countsCaption')} columns={columns} rows={rows} rowKey={(r) => r.section} />
    </>
  );
}

function PreviewTable({ preview }: { preview: CsvPreview }) {
  const { t } = useTranslation();
  return (
    <div style={{ overflowX: 'auto' }} tabIndex={0} role="region" aria-label={t('imports.previewCaption')}>
      <table className="table">
        <caption className="visually-hidden">{t('imports.previewCaption')}</caption>
        <thead>
          <tr>
            {preview.headers.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {preview.rows.map((row, i) => (
            <tr key={i}>
              {row.map((cell, j) => (
                <td key={j}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ImportHistoryPage() {
  const { t } = useTranslation();
  const [kind, setKind] = useState<CsvKind | ''>('');
  const [file, setFile] = useState<File | null>(null);
  const [csv, setCsv] = useState<string | null>(null);
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<FormErrors>({});
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState<'read' | 'check' | 'import' | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [rejected, setRejected] = useState<ImportRejected | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const fieldLabel = (f: string) => t(`imports.fields.${f}`, { defaultValue: f });

  function reset() {
    setResult(null);
    setRejected(null);
    setFailure(null);
  }

  async function read() {
    if (busy) return;
    const found: FormErrors = {};
    if (!kind) found.kind = t('imports.kind.required');
    if (!file) found.file = t('imports.file.required');
    else if (file.size > MAX_BYTES) found.file = t('imports.file.tooLarge');
    setErrors(found);
    reset();
    setPreview(null);
    if (Object.keys(found).length || !file || !kind) {
      setAttempt((a) => a + 1);
      return;
    }
    setBusy('read');
    try {
      let text: string;
      try {
        text = await file.text();
      } catch {
        setErrors({ file: t('imports.file.unreadable') });
        setAttempt((a) => a + 1);
        return;
      }
      const p = await api.post<CsvPreview>('/api/v1/imports/csv/preview', { kind, csv: text });
      setCsv(text);
      setPreview(p);
      setMapping(p.suggested);
    } catch (err) {
      if (isApiError(err) && err.code === 'validation.failed' && err.details && 'errors' in err.details) setRejected(err.details as unknown as ImportRejected);
      else setFailure(describeError(t, err));
    } finally {
      setBusy(null);
    }
  }

  async function submit(dryRun: boolean) {
    if (busy || !preview || csv === null) return;
    const found: FormErrors = {};
    for (const f of preview.required) if (!mapping[f]) found[`mapping.${f}`] = t('imports.mappingRequired', { field: fieldLabel(f) });
    setErrors(found);
    reset();
    if (Object.keys(found).length) {
      setAttempt((a) => a + 1);
      return;
    }
    setBusy(dryRun ? 'check' : 'import');
    try {
      const body: CsvImportBody = { kind: preview.kind, csv, mapping: Object.fromEntries(Object.entries(mapping).filter(([, h]) => h)), dryRun };
      setResult(await api.post<ImportResult>('/api/v1/imports/csv', body));
    } catch (err) {
      if (isApiError(err) && err.code === 'validation.failed' && err.details && 'errors' in err.details) setRejected(err.details as unknown as ImportRejected);
      else setFailure(describeError(t, err));
    } finally {
      setBusy(null);
    }
  }

  const summary = Object.entries(errors)
    .filter((e): e is [string, string] => typeof e[1] === 'string')
    .map(([field, message]) => ({ field, message }));
  const fileId = fieldId('file');

  return (
    <Page title={t('imports.title')} hasErrors={summary.length > 0} wide>
      <p className="lead">{t('imports.intro')}</p>
      <p className="hint">{t('imports.cliHint')}</p>
      <ErrorSummary errors={summary} attempt={attempt} />
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void read();
        }}
      >
        <RadioGroup
          name="kind"
          legend={t('imports.kind.legend')}
          error={errors.kind}
          value={kind}
          onChange={(v) => {
            setKind(v as CsvKind);
            setPreview(null);
          }}
          options={KINDS.map((k) => ({ value: k, label: t(`imports.kind.${k}`), hint: t(`imports.kind.${k}-hint`) }))}
        />
        <div className={`form-group${errors.file ? ' form-group--error' : ''}`}>
          <label className="label" htmlFor={fileId}>
            {t('imports.file.label')}
          </label>
          <div id={`${fileId}-hint`} className="hint">
            {t('imports.file.hint')}
          </div>
          {errors.file ? <ErrorMessage id={fileId}>{errors.file}</ErrorMessage> : null}
          <input
            id={fileId}
            name="file"
            type="file"
            className={`file-upload${errors.file ? ' input--error' : ''}`}
            accept=".csv,text/csv"
            aria-describedby={`${fileId}-hint${errors.file ? ` ${fileId}-error` : ''}`}
            aria-invalid={errors.file ? true : undefined}
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setPreview(null);
            }}
          />
        </div>
        <ButtonGroup>
          <Button type="submit" variant={preview ? 'secondary' : 'primary'} busy={busy === 'read'} busyLabel={t('imports.reading')}>
            {t('imports.read')}
          </Button>
        </ButtonGroup>
      </form>

      {preview ? (
        <section aria-labelledby="mapping-heading">
          <h2 className="heading-m" id="mapping-heading">
            {t('imports.mappingHeading')}
          </h2>
          <p>{t('imports.mappingIntro', { count: preview.rowCount })}</p>
          <PreviewTable preview={preview} />
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void submit(true);
            }}
          >
            {preview.fields.map((f) => (
              <SelectField
                key={f}
                name={`mapping.${f}`}
                label={preview.required.includes(f) ? t('imports.requiredField', { field: fieldLabel(f) }) : fieldLabel(f)}
                error={errors[`mapping.${f}`]}
                value={mapping[f] ?? ''}
                onChange={(v) => setMapping((m) => ({ ...m, [f]: v }))}
                options={[{ value: '', label: t('imports.notMapped') }, ...preview.headers.map((h) => ({ value: h, label: h }))]}
              />
            ))}
            <ButtonGroup>
              <Button type="submit" variant="secondary" busy={busy === 'check'} busyLabel={t('imports.checking')}>
                {t('imports.check')}
              </Button>
              <Button onClick={() => void submit(false)} busy={busy === 'import'} busyLabel={t('imports.importing')}>
                {t('imports.import')}
              </Button>
            </ButtonGroup>
          </form>
        </section>
      ) : null}

      <div aria-live="polite">
        {failure ? <Banner kind="warning">{failure}</Banner> : null}
        {rejected ? (
          <>
            <Banner kind="warning" title={t('imports.rejectedTitle')} focus>
              {t('imports.rejected', { count: rejected.errorCount })}
            </Banner>
            <Problems report={rejected} />
          </>
        ) : null}
        {result ? <Outcome result={result} /> : null}
      </div>
    </Page>
  );
}

export default ImportHistoryPage;

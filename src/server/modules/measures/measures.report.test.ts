/**
 * The measures CSV and the funder report through HTTP on the measure deck (test/helpers/measures.ts,
 * Chicago time, the clock at 2026-11-27): the CSV has one row per figure with the dashboard's
 * numbers, hides small cells for an admin as the dashboard does, defuses formula cells, and is
 * audited as an export; the report covers a quarter (one not yet ended stops today), names the
 * organization and program, carries the statement that these are not HEDIS results, and comes as
 * a PDF whose text (read back from its deflated page streams) says the period; bad quarters are
 * 400 naming `query.quarter`.
 */
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeasuresResponse } from '../../../contracts/measures.js';
import { FUNDER_REPORT_STATEMENT, MEASURES_CSV_COLUMNS, quarterDates, quarterOf, type FunderReport } from '../../../contracts/measures-report.js';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/helpers/app.js';
import { buildDeck, type Deck } from '../../../../test/helpers/measures.js';
import { buildUser } from '../../../../test/helpers/factories.js';
import { csvCell, measuresCsv } from './measures.export.js';
import { figureCells, pdfText } from './measures.report.pdf.js';

const A = 'from=2026-01-01&to=2026-06-30';

interface ErrorJson {
  error: { code: string; fields?: { path: string }[] };
}

/** The CSV as rows of cells (RFC 4180: quoted cells may hold commas). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split('\r\n').filter(Boolean)) {
    const cells: string[] = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (quoted && ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') {
        quoted = !quoted;
      } else if (ch === ',' && !quoted) {
        cells.push(cur);
        cur = '';
      } else {
        cur += ch;
      }
    }
    cells.push(cur);
    rows.push(cells);
  }
  return rows;
}

/**
 * The text a PDF shows, read the way a viewer does for pdfkit's output: every content stream
 * inflated (FlateDecode), then the hex strings of each text-showing operator (`[<…> k <…>] TJ`)
 * decoded as single-byte (WinAnsi) codes, one line per operator, joined with spaces.
 */
function pdfShownText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const lines: string[] = [];
  // Each stream is read by its dictionary's /Length, not by searching for "endstream": deflated
  // bytes may themselves end in "\r", which a pattern would take for part of the line ending.
  const heads = /\/Length (\d+)[^>]*>>\s*stream\r?\n/g;
  for (const m of raw.matchAll(heads)) {
    const start = m.index + m[0].length;
    const data = pdf.subarray(start, start + Number(m[1]));
    let body: string;
    try {
      body = inflateSync(data).toString('latin1');
    } catch {
      body = data.toString('latin1');
    }
    for (const op of body.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      lines.push([...op[1]!.matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => Buffer.from(h[1]!, 'hex').toString('latin1')).join(''));
    }
  }
  return lines.join(' ').replace(/\s+/g, ' ');
}

describe('measures CSV and funder report', () => {
  let t: TestApp;
  let deck: Deck;
  let manager: TestClient;
  beforeAll(async () => {
    t = await createTestApp();
    deck = await buildDeck(t);
    manager = await deck.as(deck.manager);
  });
  afterAll(() => t.close());

  const exportEvents = (format: string) =>
    t.db
      .selectFrom('audit_events')
      .select(['action', 'target_type', 'target_ids', 'details'])
      .where('organization_id', '=', deck.organizationId)
      .where('action', '=', 'measures.export')
      .execute()
      .then((rows) => rows.filter((r) => (JSON.parse(r.details) as { format?: string }).format === format));

  describe('GET /api/v1/measures.csv', () => {
    it('has one row per figure with the figures of /measures, as an attachment named by the period, audited as an export', async () => {
      const res = await manager.get(`/api/v1/measures.csv?${A}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe('attachment; filename="lodestar-measures-2026-01-01-to-2026-06-30.csv"');
      expect(res.headers['cache-control']).toBe('no-store');
      const [header, ...rows] = parseCsv(res.body);
      expect(header).toEqual([...MEASURES_CSV_COLUMNS]);
      const json = (await manager.get(`/api/v1/measures?${A}`)).json<MeasuresResponse>();
      expect(rows).toHaveLength(json.measures.reduce((n, m) => n + m.figures.length, 0));
      expect(rows.every((r) => r.length === MEASURES_CSV_COLUMNS.length)).toBe(true);
      const col = (name: (typeof MEASURES_CSV_COLUMNS)[number]) => MEASURES_CSV_COLUMNS.indexOf(name);
      const row = (measure: string, key: string) => rows.find((r) => r[col('measure_id')] === measure && r[col('figure_key')] === key && r[col('group')] === '')!;
      const w7 = row('linkage', 'window_7');
      expect([w7[col('period_from')], w7[col('measure_title')], w7[col('kind')], w7[col('numerator')], w7[col('denominator')], w7[col('suppressed')]]).toEqual(['2026-01-01', 'Linkage to treatment', 'share', '2', '6', 'false']);
      expect(Number(w7[col('rate')])).toBeCloseTo(2 / 6, 10);
      expect(Number(w7[col('lower')])).toBeGreaterThan(0);
      expect(row('linkage', 'window_30')[col('pending')]).toBe('1');
      expect(row('federal_follow_up', 'completion')[col('target')]).toBe('0.8');

      const events = await exportEvents('csv');
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ target_type: 'organization', target_ids: JSON.stringify([deck.organizationId]) });
      expect(JSON.parse(events[0]!.details)).toMatchObject({ format: 'csv', from: '2026-01-01', to: '2026-06-30', scope: 'organization', suppressed: false });
    });

    it('hides every count under 11 for an admin, as /measures does', async () => {
      const admin = await buildUser(t.db, { organizationId: deck.organizationId, roles: ['admin'] });
      const res = await (await deck.as(admin)).get(`/api/v1/measures.csv?${A}`);
      expect(res.statusCode, res.body).toBe(200);
      const [header, ...rows] = parseCsv(res.body);
      const w7 = rows.find((r) => r[header!.indexOf('measure_id')] === 'linkage' && r[header!.indexOf('figure_key')] === 'window_7')!;
      for (const c of ['numerator', 'denominator', 'rate', 'lower', 'upper']) expect(w7[header!.indexOf(c)]).toBe('');
      expect(w7[header!.indexOf('suppressed')]).toBe('true');
    });

    it('with a breakdown, adds a row per group of each figure', async () => {
      const res = await manager.get(`/api/v1/measures.csv?${A}&breakdown=sex`);
      expect(res.statusCode, res.body).toBe(200);
      const [header, ...rows] = parseCsv(res.body);
      const at = (r: string[], c: string) => r[header!.indexOf(c)];
      const groups = rows.filter((r) => at(r, 'measure_id') === 'linkage' && at(r, 'figure_key') === 'window_7' && at(r, 'group') !== '');
      expect(groups.length).toBeGreaterThan(1);
      expect(groups.every((r) => at(r, 'breakdown') === 'sex')).toBe(true);
    });

    it('refuses a coach, and names the field of bad input', async () => {
      expect((await (await deck.as(deck.coach)).get(`/api/v1/measures.csv?${A}`)).statusCode).toBe(403);
      const res = await manager.get('/api/v1/measures.csv?from=2026-06-30&to=2026-01-01');
      expect(res.statusCode).toBe(400);
      expect(res.json<ErrorJson>().error.fields?.map((f) => f.path)).toEqual(['query.to']);
    });

    it('writes text a spreadsheet would run as a formula with a leading apostrophe, and numbers as numbers', () => {
      expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
      expect(csvCell('+1')).toBe("'+1");
      expect(csvCell('-2')).toBe("'-2");
      expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
      expect(csvCell('\tx')).toBe("'\tx");
      expect(csvCell('a, b')).toBe('"a, b"');
      expect(csvCell(-3.5)).toBe('-3.5');
      expect(csvCell(null)).toBe('');
      const csv = measuresCsv({
        period: { from: '2026-01-01', to: '2026-03-31' },
        timeZone: 'UTC',
        filters: { programId: null, siteId: null, coachUserId: null, population: null },
        scope: 'organization',
        suppressed: false,
        participants: 1,
        measures: [
          {
            id: 'linkage',
            group: 1,
            title: '=cmd|calc',
            definition: { summary: '', numerator: '', denominator: '', windows: '', exclusions: [], dataSources: [], parameters: [] },
            parameters: {},
            figures: [{ key: 'k', label: '-label', kind: 'mean', numerator: null, denominator: 3, rate: -1.5, lower: null, upper: null, suppressed: false }],
          },
        ],
      });
      expect(parseCsv(csv)[1]).toEqual(['2026-01-01', '2026-03-31', 'linkage', "'=cmd|calc", 'k', "'-label", '', '', 'mean', '', '', '3', '-1.5', '', '', '', '', '', '', '', 'false']);
    });
  });

  describe('the funder report', () => {
    const report = async (client: TestClient, query: string): Promise<FunderReport> => {
      const res = await client.get(`/api/v1/measures/report?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<FunderReport>();
    };

    it('covers a quarter of local dates, with every measure, the organization, the date made and the statement', async () => {
      const r = await report(manager, 'quarter=2026-Q1');
      expect(r.period).toEqual({ from: '2026-01-01', to: '2026-03-31', quarter: '2026-Q1', toDate: false });
      expect(r).toMatchObject({ timeZone: 'America/Chicago', madeOn: '2026-11-27', scope: 'organization', suppressed: false, program: null });
      expect(r.organization.name).toBeTruthy();
      expect(r.notes).toEqual({ statement: FUNDER_REPORT_STATEMENT, suppression: null });
      expect(r.notes.statement).toBe("These figures are computed by Lodestar from the program's records; they are not HEDIS results.");
      const same = (await manager.get('/api/v1/measures?from=2026-01-01&to=2026-03-31')).json<MeasuresResponse>();
      expect(r.measures).toEqual(same.measures);
      expect(r.measures.find((m) => m.id === 'federal_follow_up')!.figures[0]!.target).toBe(0.8);
      expect(r.measures.find((m) => m.id === 'linkage')!.definition.comparisons?.length).toBeGreaterThan(0);
    });

    it('a quarter not yet ended stops today; one program is named; dates work instead of a quarter', async () => {
      expect((await report(manager, 'quarter=2026-Q4')).period).toEqual({ from: '2026-10-01', to: '2026-11-27', quarter: '2026-Q4', toDate: true });
      const program = await report(manager, `quarter=2026-Q2&programId=${deck.programId}`);
      expect(program.program?.id).toBe(deck.programId);
      expect(program.program?.name).toBeTruthy();
      expect((await report(manager, A)).period).toEqual({ from: '2026-01-01', to: '2026-06-30', quarter: null, toDate: false });
    });

    it('for an admin, small cells are hidden and the report says so', async () => {
      const admin = await buildUser(t.db, { organizationId: deck.organizationId, roles: ['admin'] });
      const r = await report(await deck.as(admin), 'quarter=2026-Q1');
      expect(r.suppressed).toBe(true);
      expect(r.participants).toBeNull();
      expect(r.notes.suppression).toMatch(/Counts under 11/);
    });

    describe('bad input names the field', () => {
      const fieldOf = async (query: string, path = '/api/v1/measures/report') => {
        const res = await manager.get(`${path}?${query}`);
        expect(res.statusCode, res.body).toBe(400);
        return res.json<ErrorJson>().error.fields?.map((f) => f.path);
      };
      it('a quarter that is no quarter, has not started, is missing, or comes with dates', async () => {
        for (const q of ['quarter=2026-Q5', 'quarter=2026Q1', 'quarter=Q1-2026', 'quarter=2027-Q1', '', 'quarter=2026-Q1&from=2026-01-01&to=2026-03-31']) expect(await fieldOf(q), q).toEqual(['query.quarter']);
        expect(await fieldOf('quarter=2026-Q5', '/api/v1/measures/report.pdf')).toEqual(['query.quarter']);
      });
      it('dates out of order or half given; a program of nobody; a paper size', async () => {
        expect(await fieldOf('from=2026-06-30&to=2026-01-01')).toEqual(['query.to']);
        expect(await fieldOf('from=2026-06-30')).toEqual(['query.to']);
        expect(await fieldOf('to=2026-06-30')).toEqual(['query.from']);
        expect(await fieldOf('quarter=2026-Q1&programId=01936b2e-0000-7000-8000-000000000000')).toEqual(['query.programId']);
        expect(await fieldOf('quarter=2026-Q1&paper=legal', '/api/v1/measures/report.pdf')).toEqual(['query.paper']);
      });
    });

    it('as a PDF: an attachment named by the quarter, saying the period, the measures and the statement, audited as an export', async () => {
      const res = await manager.get(`/api/v1/measures/report.pdf?quarter=2026-Q1&programId=${deck.programId}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toBe('attachment; filename="lodestar-funder-report-2026-Q1.pdf"');
      const pdf = res.rawPayload;
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const text = pdfShownText(pdf);
      expect(text).toContain('Funder report');
      expect(text).toContain('Period: January 1, 2026 to March 31, 2026 (2026-Q1)');
      expect(text).toContain("These figures are computed by Lodestar from the program's records; they are not HEDIS results.");
      expect(text).toContain('Linkage to treatment');
      expect(text).toContain('Follow-up interviews done in the window');
      expect(text).toContain('Target 80%');
      expect(text).toContain('How this is counted');
      expect(text).not.toContain('certified');
      expect(text).not.toContain('Deckone'); // no participant is named

      const events = await exportEvents('pdf');
      expect(events).toHaveLength(1);
      expect(JSON.parse(events[0]!.details)).toMatchObject({ format: 'pdf', report: 'funder', quarter: '2026-Q1', from: '2026-01-01', to: '2026-03-31', programId: deck.programId });
    });

    it("as a PDF for an admin: 'fewer than 11' and the suppression note; A4 when asked", async () => {
      const admin = await buildUser(t.db, { organizationId: deck.organizationId, roles: ['admin'] });
      const res = await (await deck.as(admin)).get('/api/v1/measures/report.pdf?from=2026-01-01&to=2026-06-30&paper=a4');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-disposition']).toBe('attachment; filename="lodestar-funder-report-2026-01-01-to-2026-06-30.pdf"');
      const text = pdfShownText(res.rawPayload);
      expect(text).toContain('fewer than 11');
      expect(text).toContain('Counts under 11');
      expect(res.rawPayload.toString('latin1')).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
    });
  });

  describe('pieces', () => {
    it('quarters: their dates, and the quarter of a date', () => {
      expect(quarterDates('2028-Q1')).toEqual({ from: '2028-01-01', to: '2028-03-31' });
      expect(quarterDates('2026-Q4')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
      expect(quarterDates('2026-Q0')).toBeNull();
      expect(quarterOf('2026-09-30')).toBe('2026-Q3');
      expect(quarterOf('2026-10-01')).toBe('2026-Q4');
    });

    it('text the standard fonts cannot draw is written plainly', () => {
      expect(pdfText('days N−29 to N → 47 ≥ 45; José’s “plan” – ok…')).toBe('days N-29 to N -> 47 >= 45; José’s “plan” – ok…');
      expect(pdfText('名前')).toBe('??');
    });

    it('a figure as its row: result, counts, interval and notes; hidden counts read "fewer than 11"', () => {
      const base = { key: 'k', label: 'Within 7 days', kind: 'share' as const, suppressed: false, lower: 0.1, upper: 0.7 };
      expect(figureCells({ ...base, numerator: 2, denominator: 6, rate: 2 / 6, pending: 1, target: 0.3 })).toEqual(['Within 7 days', '33.3%', '2 of 6', '10% to 70%', 'Target 30% (met); 1 still in their window']);
      expect(figureCells({ ...base, numerator: null, denominator: null, rate: null, lower: null, upper: null, suppressed: true })).toEqual(['Within 7 days', 'fewer than 11', 'fewer than 11 of fewer than 11', '', '']);
      expect(figureCells({ key: 'r', label: 'Return to use', kind: 'event_rate', numerator: 3, denominator: 40.5, rate: 7.41, lower: 1.5, upper: 21.6, per: 100, suppressed: false })[1]).toBe('7.4 per 100 participant-months');
    });
  });
});

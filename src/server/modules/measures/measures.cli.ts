/**
 * `lodestar measures --org ID --from DATE --to DATE [--json]`: every measure's figures for one
 * organization and period (local dates), so results can be checked from outside the web app
 * (issue 7). The operator runs it on the server with the database's credentials, so the figures
 * are whole (no small-cell suppression) and name nobody. Default parameters.
 */
import { parseArgs } from 'node:util';
import { MeasuresQuery, type MeasureFigure } from '../../../contracts/measures.js';
import { loadConfig } from '../../platform/config.js';
import { openDatabase } from '../../platform/db/database.js';
import { migrateToLatest } from '../../migrations/index.js';
import { loadMeasureFacts } from './measures.loader.js';
import { computeMeasures, historyNeeds, presentMeasures, resolveAllParameters } from './measures.results.js';

export const MEASURES_HELP = `  measures --org ID --from YYYY-MM-DD --to YYYY-MM-DD [--json]
                             every measure's numerator, denominator and rate for one organization
                             and period (local dates, both days included)`;

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const num = (x: number | null | undefined, digits = 0) => (x === null || x === undefined ? '—' : Number.isInteger(x) ? String(x) : x.toFixed(digits || 2));

/** One figure as a line of text. */
export function figureLine(f: MeasureFigure): string {
  switch (f.kind) {
    case 'share':
      return `${num(f.numerator)}/${num(f.denominator)}  ${pct(f.rate)}${f.lower !== null && f.upper !== null ? ` (95% CI ${pct(f.lower)}–${pct(f.upper)})` : ''}${f.pending ? `  pending ${f.pending}` : ''}${f.inProgress ? `  in progress ${f.inProgress}` : ''}`;
    case 'event_rate':
      return `${num(f.numerator)} events / ${num(f.denominator, 1)} participant-months  ${num(f.rate, 2)} per ${f.per ?? 100}${f.lower !== null && f.upper !== null ? ` (95% CI ${num(f.lower, 2)}–${num(f.upper, 2)})` : ''}`;
    case 'count':
      return `${num(f.numerator)}${f.denominator !== null ? ` of ${num(f.denominator)}` : ''}`;
    case 'median':
    case 'mean':
    case 'survival':
      return `${num(f.rate, 2)} (n = ${num(f.denominator)})${f.missing ? `  missing ${f.missing}` : ''}`;
    case 'amount':
      return `${f.rate === null ? '—' : f.unit === 'currency' ? f.rate.toFixed(2) : num(f.rate, 1)}${f.unit && f.unit !== 'currency' ? ` ${f.unit}` : ''} (estimate)`;
  }
}

export async function measuresCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { org: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean', default: false } } });
  const query = MeasuresQuery.safeParse({ from: values.from, to: values.to });
  if (!values.org || !query.success) {
    const problems = query.success ? [] : query.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`);
    console.error([...(values.org ? [] : ['--org: give the organization id']), ...problems, '', `Usage:\n${MEASURES_HELP}`].join('\n'));
    return 2;
  }
  const period = { from: query.data.from, to: query.data.to };
  const config = loadConfig();
  const h = openDatabase(config.databaseUrl);
  try {
    await migrateToLatest(h.db);
    const org = await h.db.selectFrom('organizations').select(['id', 'name']).where('id', '=', values.org).executeTakeFirst();
    if (!org) {
      console.error(`No organization with id ${values.org}`);
      return 2;
    }
    const params = resolveAllParameters();
    const started = performance.now();
    const loaded = await loadMeasureFacts(h.db, org.id, { period, history: historyNeeds(params) });
    const results = presentMeasures(computeMeasures(loaded.people, period, params), params, { suppress: false });
    const seconds = (performance.now() - started) / 1000;
    if (values.json) {
      const measures = results.map((m) => ({ id: m.id, title: m.title, parameters: m.parameters, figures: m.figures.map(({ suppressed: _s, ...f }) => f) }));
      console.log(JSON.stringify({ organizationId: org.id, period, timeZone: loaded.timeZone, participants: loaded.people.length, measures }, null, 2));
      return 0;
    }
    console.log(`Measures for ${org.name} (${org.id}), ${period.from} to ${period.to}, dates in ${loaded.timeZone}; ${loaded.people.length} participants (${seconds.toFixed(2)} s)`);
    for (const m of results) {
      console.log(`\n${m.title} [${m.id}]`);
      for (const f of m.figures) console.log(`  ${f.label.padEnd(64)} ${figureLine(f)}`);
    }
    return 0;
  } finally {
    await h.destroy();
  }
}

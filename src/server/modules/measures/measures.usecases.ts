/**
 * The measures for a caller (issue 7): the figures of every measure for a period and filters,
 * and the drill-down to the units behind one measure.
 *
 * - Scope: a program manager sees the organization; a supervisor (who is not a program manager)
 *   their teams' participants (measures.loader.ts, "Who is in"); an admin the organization, as
 *   aggregates only.
 * - Small cells: a caller without `measures.cases` (no record access) gets every count under 11
 *   hidden, with whatever would give it away (measures.suppress.ts).
 * - Bad input is 400 naming the field: `query.to` (before `from`, or more than 5 years after it:
 *   the contract), `query.programId` / `query.siteId` / `query.coachUserId` for ids that name
 *   nothing in this organization (another organization's id gets the same answer), and
 *   `query.parameters.<measure>.<key>` for a parameter out of its range. An unknown measure is 404.
 * - Names: the drill-down names the participants the caller may open (participantScope); the
 *   others (a supervisor's team members discharged since) are listed by id only.
 * - Audit: the figures name nobody and are audited as `measures.read` with the filters (ids and
 *   dates only); the drill-down is a `participant.read` of the participants it lists.
 */
import { DEFAULT_TREND_FIGURES, type MeasureCasesQuery, type MeasureCasesResponse, type MeasuresQuery, type MeasuresResponse, type MeasureTrendsQuery, type MeasureTrendsResponse } from '../../../contracts/measures.js';
import type { Ctx } from '../../platform/http/context.js';
import { errors } from '../../platform/errors.js';
import { rolesGrant } from '../../platform/auth/permissions.js';
import { measuresPermissions } from './measures.policies.js';
import { loadMeasureFacts, type HistoryNeeds, type MeasureScope } from './measures.loader.js';
import { cachedFacts, cachedResult } from './measures.cache.js';
import { casesOf, computeMeasures, historyNeeds, isMeasureId, presentMeasures, resolveAllParameters } from './measures.results.js';
import * as repo from './measures.repository.js';
import { attachBreakdown, computeBreakdown } from './measures.breakdowns.js';
import { computeTrends } from './measures.trends.js';
import { idsInScope, participantScope } from '../participants/participants.repository.js';

type Filters = Pick<MeasuresQuery, 'from' | 'to' | 'programId' | 'siteId' | 'coachUserId' | 'population' | 'parameters'> & { breakdown?: MeasuresQuery['breakdown'] };

function scopeOf(ctx: Ctx): MeasureScope {
  const { roles, userId } = ctx.actor;
  if (roles.includes('program_manager')) return { organization: true };
  if (roles.includes('supervisor')) return { supervisorUserId: userId };
  return { organization: true };
}

const scopeName = (s: MeasureScope): 'team' | 'organization' => ('supervisorUserId' in s ? 'team' : 'organization');

async function checkFilters(ctx: Ctx, q: Filters): Promise<void> {
  const found = await repo.filtersFound(ctx.db, ctx.actor.organizationId, q);
  if (!found.programId) throw errors.invalid('query.programId', 'Choose a program of this organization');
  if (!found.siteId) throw errors.invalid('query.siteId', 'Choose a site of this organization');
  if (!found.coachUserId) throw errors.invalid('query.coachUserId', 'Choose a coach of this organization');
}

async function compute(ctx: Ctx, q: Filters) {
  const params = resolveAllParameters(q.parameters ?? {});
  await checkFilters(ctx, q);
  const scope = scopeOf(ctx);
  const period = { from: q.from, to: q.to };
  const loaded = await factsOf(ctx, q, scope, period, historyNeeds(params));
  const costs = await repo.programCosts(ctx.db, ctx.actor.organizationId, q.programId);
  return { params, scope, period, loaded, costs, computed: computeMeasures(loaded.people, period, params, costs) };
}

const filterDetails = (q: Filters) => ({
  from: q.from,
  to: q.to,
  ...(q.programId && { programId: q.programId }),
  ...(q.siteId && { siteId: q.siteId }),
  ...(q.coachUserId && { coachUserId: q.coachUserId }),
  ...(q.population && { population: q.population }),
  ...(q.breakdown && { breakdown: q.breakdown }),
  ...(q.parameters && { parameters: Object.keys(q.parameters) }),
});

async function measuresOf(ctx: Ctx, q: MeasuresQuery): Promise<MeasuresResponse> {
  const { params, scope, period, loaded, costs, computed } = await compute(ctx, q);
  const suppress = !rolesGrant(measuresPermissions, 'measures.cases', ctx.actor.roles);
  await ctx.audit({ action: 'measures.read', targetType: 'organization', targetIds: [ctx.actor.organizationId], details: { ...filterDetails(q), scope: scopeName(scope), suppressed: suppress } });
  const count = loaded.people.length;
  const participants = suppress && count < 11 ? null : count;
  // The cost model's "parameters" are the program's settings it used (shown as its assumptions).
  const measures = presentMeasures(computed, params, { suppress }).map((m) => (m.id === 'cost_model' && costs ? { ...m, parameters: Object.fromEntries(Object.entries(costs).filter(([, v]) => v !== null)) } : m));
  const base = {
    period,
    timeZone: loaded.timeZone,
    filters: { programId: q.programId ?? null, siteId: q.siteId ?? null, coachUserId: q.coachUserId ?? null, population: q.population ?? null },
    scope: scopeName(scope),
    suppressed: suppress,
  };
  if (!q.breakdown) return { ...base, participants, measures };
  const groups = computeBreakdown(loaded.people, period, params, q.breakdown);
  return { ...base, ...attachBreakdown(measures, q.breakdown, groups, { suppress, participants }) };
}

/** Chosen figures month by month (measures.trends.ts); audited like the figures, as `measures.read` with `part: 'trends'`. */
export async function getMeasureTrends(ctx: Ctx, q: MeasureTrendsQuery): Promise<MeasureTrendsResponse> {
  const { params, scope, period, loaded, computed } = await compute(ctx, q);
  const suppress = !rolesGrant(measuresPermissions, 'measures.cases', ctx.actor.roles);
  const names = q.figures ?? [...DEFAULT_TREND_FIGURES];
  const trends = computeTrends(loaded.people, period, params, computed, names, { suppress });
  await ctx.audit({ action: 'measures.read', targetType: 'organization', targetIds: [ctx.actor.organizationId], details: { ...filterDetails(q), part: 'trends', figures: names, scope: scopeName(scope), suppressed: suppress } });
  return { period, timeZone: loaded.timeZone, scope: scopeName(scope), suppressed: suppress, ...trends };
}

export async function getMeasureCases(ctx: Ctx, measureId: string, q: MeasureCasesQuery): Promise<MeasureCasesResponse> {
  if (!isMeasureId(measureId)) throw errors.notFound('measure');
  const { scope, period, loaded, computed } = await compute(ctx, q);
  const all = casesOf(measureId, computed, loaded.people, { figure: q.figure, set: q.set });
  const page = all.slice(q.offset, q.offset + q.limit);
  const ids = [...new Set(page.map((c) => c.participantId))];
  // Names only of the people the caller may open now (a supervisor's figures also count people
  // discharged from their teams, whose records they no longer see: those are listed by id).
  const readable = await idsInScope(ctx.db, participantScope(ctx.actor), ids);
  const names = await repo.participantNames(ctx.db, ctx.actor.organizationId, ids.filter((id) => readable.has(id)));
  if (ids.length) await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: ids, details: { part: 'measure_cases', measureId, ...filterDetails(q), scope: scopeName(scope) } });
  return {
    measureId,
    period,
    scope: scopeName(scope),
    total: all.length,
    cases: page.map((c) => ({ ...c, participantName: names.get(c.participantId) ?? null })),
  };
}

// ---- kept up to date (measures.cache.ts)

/**
 * The facts: the organization-wide view (a population filter only picks people) from the kept
 * facts, reloading only the participants changed since; program, site, coach and team views
 * restrict each person's episodes, so they read through the loader.
 */
async function factsOf(ctx: Ctx, q: Filters, scope: MeasureScope, period: { from: string; to: string }, history: HistoryNeeds) {
  const org = ctx.actor.organizationId;
  if (scopeName(scope) === 'organization' && !q.programId && !q.siteId && !q.coachUserId) {
    return cachedFacts(ctx.db, org, { period, population: q.population, history, now: ctx.clock.now().toISOString() });
  }
  return loadMeasureFacts(ctx.db, org, { period, filters: { programId: q.programId, siteId: q.siteId, coachUserId: q.coachUserId, population: q.population }, scope, history });
}

/**
 * Every measure for a period and filters. Organization-wide answers are kept per (filters,
 * period, parameters, breakdown, small-cell rule) until any of the organization's measure data
 * changes (its version moves), so repeated dashboard requests do not recompute; a team's answer
 * depends on team membership too and is computed each time. Every request is audited.
 */
export async function getMeasures(ctx: Ctx, q: MeasuresQuery): Promise<MeasuresResponse> {
  const scope = scopeOf(ctx);
  if (scopeName(scope) === 'team') return measuresOf(ctx, q);
  // Bad input is 400 before anything is served from the cache.
  resolveAllParameters(q.parameters ?? {});
  await checkFilters(ctx, q);
  const suppress = !rolesGrant(measuresPermissions, 'measures.cases', ctx.actor.roles);
  // The cost model reads the program's cost settings, which no measure-data version covers: part of the key.
  const costs = await repo.programCosts(ctx.db, ctx.actor.organizationId, q.programId);
  const key = { v: 1, scope: 'organization', suppress, q: { ...q, parameters: q.parameters ?? null }, costs };
  const { value, hit } = await cachedResult(ctx.db, ctx.actor.organizationId, key, ctx.clock.now().toISOString(), () => measuresOf(ctx, q));
  if (hit) await ctx.audit({ action: 'measures.read', targetType: 'organization', targetIds: [ctx.actor.organizationId], details: { ...filterDetails(q), scope: scopeName(scope), suppressed: suppress } });
  return value;
}

/**
 * The measures' own SQL beyond the loader (measures.loader.ts): checking that the filters name
 * records of the caller's organization, and the display names a drill-down shows.
 */
import type { Executor } from '../../platform/db/database.js';
import type { UnitCosts } from './measures.cost.js';

/** Which of the filter ids name records of this organization (a program, a site, a person with a role here). */
export async function filtersFound(db: Executor, organizationId: string, f: { programId?: string | undefined; siteId?: string | undefined; coachUserId?: string | undefined }): Promise<{ programId: boolean; siteId: boolean; coachUserId: boolean }> {
  const [program, site, coach] = await Promise.all([
    f.programId ? db.selectFrom('programs').select('id').where('organization_id', '=', organizationId).where('id', '=', f.programId).executeTakeFirst() : Promise.resolve({}),
    f.siteId ? db.selectFrom('sites').select('id').where('organization_id', '=', organizationId).where('id', '=', f.siteId).executeTakeFirst() : Promise.resolve({}),
    f.coachUserId ? db.selectFrom('memberships').select('id').where('organization_id', '=', organizationId).where('user_id', '=', f.coachUserId).executeTakeFirst() : Promise.resolve({}),
  ]);
  return { programId: program !== undefined, siteId: site !== undefined, coachUserId: coach !== undefined };
}

/** Display names of participants, by id (preferred or first name and last name, else the alias), in batches. */
export async function participantNames(db: Executor, organizationId: string, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  const names = new Map<string, string>();
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom('participants')
      .select(['id', 'first_name', 'last_name', 'alias', 'preferred_name'])
      .where('organization_id', '=', organizationId)
      .where('id', 'in', unique.slice(i, i + 500))
      .execute();
    for (const r of rows) names.set(r.id, [r.preferred_name ?? r.first_name ?? r.alias, r.last_name].filter(Boolean).join(' '));
  }
  return names;
}

/**
 * The cost model's settings (measures.cost.ts): the chosen program's, or with no program chosen the
 * organization's only program's; null with several programs and none chosen.
 */
export async function programCosts(db: Executor, organizationId: string, programId: string | undefined): Promise<UnitCosts | null> {
  let q = db
    .selectFrom('programs')
    .select(['ed_visit_cost_cents', 'inpatient_day_cost_cents', 'peer_hour_cost_cents', 'baseline_ed_revisit_percent'])
    .where('organization_id', '=', organizationId);
  if (programId) q = q.where('id', '=', programId);
  const rows = await q.limit(2).execute();
  if (rows.length !== 1) return null;
  const r = rows[0]!;
  const n = (x: number | null) => (x === null ? null : Number(x));
  return { edVisitCostCents: n(r.ed_visit_cost_cents), inpatientDayCostCents: n(r.inpatient_day_cost_cents), peerHourCostCents: n(r.peer_hour_cost_cents), baselineEdRevisitPercent: n(r.baseline_ed_revisit_percent) };
}

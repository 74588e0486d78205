/**
 * Read-only looks at the database for assertions: the audit rows a request left, and a
 * fingerprint of everything a request could have written (to show that a refused request
 * wrote nothing).
 */
import { sql } from 'kysely';
import type { TestApp } from './app.js';

export interface AuditRow {
  action: string;
  outcome: string;
  organizationId: string | null;
  actorUserId: string | null;
  targetType: string | null;
  targetIds: string[];
  details: Record<string, unknown>;
}

/** Audit events, oldest first, filtered by action and/or organization and/or target. */
export async function auditEvents(t: TestApp, filter: { action?: string; organizationId?: string; targetId?: string } = {}): Promise<AuditRow[]> {
  await t.auditReads.flush();
  let q = t.db
    .selectFrom('audit_events')
    .select(['action', 'outcome', 'organization_id', 'actor_user_id', 'target_type', 'target_ids', 'details', 'chain_id', 'seq']);
  if (filter.action) q = q.where('action', '=', filter.action);
  if (filter.organizationId) q = q.where('organization_id', '=', filter.organizationId);
  if (filter.targetId) {
    const targetId = filter.targetId;
    q = q.where('id', 'in', (eb) => eb.selectFrom('audit_event_targets').select('event_id').where('target_id', '=', targetId));
  }
  const rows = await q.orderBy('chain_id').orderBy('seq').execute();
  return rows.map((r) => ({
    action: r.action,
    outcome: r.outcome,
    organizationId: r.organization_id,
    actorUserId: r.actor_user_id,
    targetType: r.target_type,
    targetIds: JSON.parse(r.target_ids) as string[],
    details: JSON.parse(r.details) as Record<string, unknown>,
  }));
}

const COUNTED = [
  'organizations', 'programs', 'sites', 'teams', 'team_members', 'users', 'memberships', 'sessions', 'one_time_tokens',
  'participants', 'episodes', 'episode_events', 'consents', 'consent_signatures', 'restriction_requests', 'disclosures',
  'access_grants', 'notifications', 'life_events', 'todos', 'encounters', 'encounter_addenda', 'ed_visits',
  'appointments', 'outbox_messages', 'calendar_feeds', 'moud_courses', 'moud_fills', 'moud_otp_enrollments', 'moud_barriers', 'insurance_tasks',
  'directory_organizations', 'directory_services', 'directory_locations', 'directory_service_at_location', 'directory_schedules', 'directory_phones',
  'directory_capacity_reports', 'directory_stock_reports', 'directory_flags', 'directory_site_points',
  'referrals', 'referral_events', 'partner_links', 'questionnaire_definitions', 'questionnaire_responses',
  'check_ins', 'milestones', 'milestone_celebrations',
  'recovery_plans', 'recovery_plan_versions', 'recovery_plan_agreements', 'recovery_plan_reviews',
  'coping_plans', 'coping_plan_versions',
] as const;
const VERSIONED = ['organizations', 'programs', 'sites', 'teams', 'users', 'participants', 'episodes', 'consents', 'restriction_requests', 'life_events', 'todos', 'encounters', 'ed_visits', 'appointments', 'moud_courses', 'moud_fills', 'moud_otp_enrollments', 'moud_barriers', 'insurance_tasks', 'directory_organizations', 'directory_services', 'directory_locations', 'referrals', 'questionnaire_responses', 'check_ins', 'milestones', 'milestone_celebrations', 'recovery_plans', 'coping_plans'] as const;

/**
 * Everything a request could write, summed up: row counts, the sum of record versions (every
 * update bumps one), revoked sessions, used one-time tokens, and successful audit events.
 * Two equal fingerprints mean nothing was created, changed, revoked or recorded in between.
 */
export async function writeFingerprint(t: TestApp): Promise<Record<string, number>> {
  await t.auditReads.flush();
  const out: Record<string, number> = {};
  for (const table of COUNTED) {
    const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(t.db);
    out[`${table}.rows`] = Number(r.rows[0]?.n ?? 0);
  }
  for (const table of VERSIONED) {
    const r = await sql<{ n: number | null }>`select sum(version) as n from ${sql.table(table)}`.execute(t.db);
    out[`${table}.versions`] = Number(r.rows[0]?.n ?? 0);
  }
  const revoked = await sql<{ n: number }>`select count(*) as n from sessions where revoked_at is not null`.execute(t.db);
  out['sessions.revoked'] = Number(revoked.rows[0]?.n ?? 0);
  const used = await sql<{ n: number }>`select count(*) as n from one_time_tokens where used_at is not null`.execute(t.db);
  out['one_time_tokens.used'] = Number(used.rows[0]?.n ?? 0);
  const audits = await sql<{ n: number }>`select count(*) as n from audit_events where outcome = 'success'`.execute(t.db);
  out['audit_events.success'] = Number(audits.rows[0]?.n ?? 0);
  return out;
}

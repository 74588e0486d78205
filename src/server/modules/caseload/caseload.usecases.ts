/**
 * The caseload: whose open episodes a caller may list (their own; a supervisor, a coach of their
 * teams or the whole team), each row with its signals and an urgency score, sorted most urgent
 * first. And the summary: counts only, for program managers (the organization) and supervisors
 * (their teams). Listing is a read of participant data, audited with the ids listed; the summary
 * names nobody and is audited as a summary.
 */
import type { z } from 'zod';
import type { CaseloadItem, CaseloadQuery, CaseloadSignalKey, CaseloadSummary } from '../../../contracts/caseload.js';
import { CASELOAD_SIGNALS } from '../../../contracts/caseload.js';
import type { Ctx } from '../../platform/http/context.js';
import { AppError } from '../../platform/errors.js';
import { localDate } from '../../platform/time.js';
import { findOrganization } from '../organizations/organizations.repository.js';
import * as repo from './caseload.repository.js';
import { computeSignals, SIGNALS, type SignalHit } from './signals.js';
import { daysBetween } from './dates.js';

type Item = z.infer<typeof CaseloadItem>;
type Status = Item['status'];
type Summary = z.infer<typeof CaseloadSummary>;

const OPEN_STATUSES: readonly Status[] = ['active', 'on_hold', 'unreachable'];

/** Nothing personal: neither whose caseload it was nor whether that person exists. */
const notYours = () => new AppError('auth.forbidden', 'You can see your own caseload, and a supervisor the caseloads of the teams they supervise.');

/** Today at the organization (dates in rules are local: docs/ARCHITECTURE.md). */
async function todayAt(ctx: Ctx): Promise<{ today: string; tz: string }> {
  const tz = (await findOrganization(ctx.db, ctx.actor.organizationId))?.timeZone ?? 'UTC';
  return { today: localDate(ctx.clock.now(), tz), tz };
}

/** Which open episodes the query asks for, if the caller may see them. */
async function ownerFor(ctx: Ctx, q: z.output<typeof CaseloadQuery>): Promise<repo.CaseloadOwner> {
  const { userId, roles } = ctx.actor;
  const isSupervisor = roles.includes('supervisor');
  if (q.coachUserId && q.coachUserId !== userId) {
    if (!isSupervisor || !(await repo.supervises(ctx.db, ctx.actor.organizationId, userId, q.coachUserId))) throw notYours();
    return { coachUserId: q.coachUserId };
  }
  if (q.coachUserId || q.scope === 'mine') return { coachUserId: userId };
  if (q.scope === 'team') {
    if (!isSupervisor) throw notYours();
    return { supervisorUserId: userId };
  }
  // No choice made: a coach's own, or the team of a supervisor who does not coach.
  return !roles.includes('coach') && isSupervisor ? { supervisorUserId: userId } : { coachUserId: userId };
}

/** The name the person goes by, with their last name so two Jamies can be told apart. */
const displayName = (r: repo.CaseloadRow): string => [r.preferredName ?? r.firstName ?? r.alias, r.lastName].filter(Boolean).join(' ');

const weights = new Map(SIGNALS.map((s) => [s.key, s.weight]));
const signalOrder = (key: CaseloadSignalKey) => CASELOAD_SIGNALS.indexOf(key);

/** Most urgent first; then the longest with the program; then the episode id (stable). */
const byUrgency = (a: Item, b: Item) => b.urgency - a.urgency || b.daysSinceStart - a.daysSinceStart || a.episodeId.localeCompare(b.episodeId);
const SORTS: Record<z.output<typeof CaseloadQuery>['sort'], (a: Item, b: Item) => number> = {
  urgency: byUrgency,
  name: (a, b) => a.displayName.localeCompare(b.displayName, undefined, { sensitivity: 'base' }) || byUrgency(a, b),
  since: (a, b) => b.daysSinceStart - a.daysSinceStart || byUrgency(a, b),
  // The longest without a successful contact first; never contacted (null) before anyone.
  last_contact: (a, b) => (b.daysSinceLastContact ?? Infinity) - (a.daysSinceLastContact ?? Infinity) || byUrgency(a, b),
};

export async function listCaseload(ctx: Ctx, q: z.output<typeof CaseloadQuery>): Promise<Item[]> {
  const owner = await ownerFor(ctx, q);
  const organizationId = ctx.actor.organizationId;
  const { today, tz } = await todayAt(ctx);
  const now = ctx.clock.now();
  const rows = await repo.caseloadRows(ctx.db, organizationId, owner);
  const signals = await computeSignals(ctx.db, { organizationId, today, timeZone: tz, now, rows });
  let items: Item[] = rows.map((r) => {
    const flags: SignalHit[] = [...(signals.get(r.participantId) ?? [])].sort((a, b) => signalOrder(a.key) - signalOrder(b.key));
    return {
      participantId: r.participantId,
      displayName: displayName(r),
      episodeId: r.episodeId,
      status: r.status as Status,
      siteId: r.siteId,
      siteName: r.siteName,
      assignedCoachUserId: r.assignedCoachUserId,
      assignedCoachName: r.assignedCoachName,
      startDate: r.startDate,
      daysSinceStart: daysBetween(r.startDate, today),
      intakeAt: r.intakeAt,
      daysSinceIntake: daysBetween(localDate(new Date(r.intakeAt), tz), today),
      daysSinceLastContact: r.lastContactAt ? daysBetween(localDate(new Date(r.lastContactAt), tz), today) : null,
      nextAppointment: null,
      openFollowUps: r.openFollowUps,
      flags,
      urgency: flags.reduce((sum, f) => sum + (weights.get(f.key) ?? 0), 0),
    };
  });
  if (q.flag) {
    const flag = q.flag;
    items = items.filter((i) => i.flags.some((f) => f.key === flag));
  }
  items.sort(SORTS[q.sort]);
  await ctx.audit({
    action: 'participant.read',
    targetType: 'participant',
    targetIds: [...new Set(items.map((i) => i.participantId))],
    details: { part: 'caseload', ...('supervisorUserId' in owner && { scope: 'team' }), ...('coachUserId' in owner && owner.coachUserId !== ctx.actor.userId && { coachUserId: owner.coachUserId }) },
  });
  return items;
}

/** Counts of open episodes by site, coach, status and flag: the organization's, or a supervisor's teams'. */
export async function caseloadSummary(ctx: Ctx): Promise<Summary> {
  const organizationId = ctx.actor.organizationId;
  const wholeOrganization = ctx.actor.roles.includes('program_manager');
  const owner: repo.CaseloadOwner = wholeOrganization ? { organization: true } : { supervisorUserId: ctx.actor.userId };
  const { today, tz } = await todayAt(ctx);
  const [counts, refs, coaches, sites] = await Promise.all([
    repo.episodeCounts(ctx.db, organizationId, owner),
    repo.episodeRefs(ctx.db, organizationId, owner),
    repo.coachesOf(ctx.db, organizationId, owner),
    repo.siteNames(ctx.db, organizationId),
  ]);
  const signals = await computeSignals(ctx.db, { organizationId, today, timeZone: tz, now: ctx.clock.now(), rows: refs });

  const bySite = new Map<string, number>();
  const byCoach = new Map<string, number>(coaches.map((c) => [c.id, 0]));
  const byStatus = new Map<Status, number>(OPEN_STATUSES.map((s) => [s, 0]));
  let unassigned = 0;
  let total = 0;
  for (const c of counts) {
    total += c.count;
    bySite.set(c.siteId, (bySite.get(c.siteId) ?? 0) + c.count);
    if (c.coachUserId) byCoach.set(c.coachUserId, (byCoach.get(c.coachUserId) ?? 0) + c.count);
    else unassigned += c.count;
    byStatus.set(c.status as Status, (byStatus.get(c.status as Status) ?? 0) + c.count);
  }
  // A flag counts episodes, like every other count here: a person open in two programs counts twice.
  const byFlag = new Map<CaseloadSignalKey, number>(CASELOAD_SIGNALS.map((k) => [k, 0]));
  for (const r of refs) for (const hit of signals.get(r.participantId) ?? []) byFlag.set(hit.key, (byFlag.get(hit.key) ?? 0) + 1);

  const names = new Map(coaches.map((c) => [c.id, c.name]));
  const missing = [...byCoach.keys()].filter((id) => !names.has(id));
  for (const [id, name] of await repo.staffNames(ctx.db, missing)) names.set(id, name);

  await ctx.audit({ action: 'caseload.summary', targetType: 'organization', targetIds: [organizationId], details: { scope: wholeOrganization ? 'organization' : 'team' } });
  return {
    scope: wholeOrganization ? 'organization' : 'team',
    total,
    bySite: [...bySite]
      .map(([siteId, count]) => ({ siteId, siteName: sites.get(siteId) ?? '', count }))
      .sort((a, b) => b.count - a.count || a.siteName.localeCompare(b.siteName)),
    byCoach: [...byCoach]
      .map(([coachUserId, count]) => ({ coachUserId, coachName: names.get(coachUserId) ?? '', count }))
      .sort((a, b) => b.count - a.count || a.coachName.localeCompare(b.coachName)),
    unassigned,
    byStatus: [...byStatus].map(([status, count]) => ({ status, count })),
    byFlag: [...byFlag].map(([key, count]) => ({ key, count })),
  };
}

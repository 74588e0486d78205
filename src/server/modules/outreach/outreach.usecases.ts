/**
 * Outreach rules: contact cadence, the coach's "today" list, the unreachable workflow and the
 * supervisor view. Every use case on an episode passes `requireParticipant` first (404 another
 * organization's, 403 out of scope). Dates are local to the organization (`localDate`); reads of
 * participant data are audited with ids only; writes are one transaction, audited inside it.
 */
import type { z } from 'zod';
import type { Cadence, EpisodeOutreach, MarkUnreachableBody, MarkUnreachableResult, OutreachChannel, TeamOutreach, Today, UpdateCadenceBody } from '../../../contracts/outreach.js';
import { OUTREACH_CHANNELS } from '../../../contracts/outreach.js';
import type { EPISODE_STATUSES } from '../../../contracts/participants.js';
import type { TodoKind, TodoSeverity } from '../../../contracts/care.js';
import type { Ctx } from '../../platform/http/context.js';
import { AppError, errors } from '../../platform/errors.js';
import { localDate } from '../../platform/time.js';
import { findOrganization } from '../organizations/organizations.repository.js';
import { idsInScope, insertEpisodeEvent } from '../participants/participants.repository.js';
import { requireParticipantAccess, scopeOf } from '../participants/participants.access.js';
import { addTodo } from '../care/care.usecases.js';
import { startOfLocalDay } from '../care/local-time.js';
import { coachesOf, type CaseloadOwner } from '../caseload/caseload.repository.js';
import { addDays, daysBetween } from '../caseload/dates.js';
import { contactDue, effectiveCadence } from '../caseload/signals.js';
import * as repo from './outreach.repository.js';
import { todayAppointments } from '../appointments/appointments.usecases.js';

type EpisodeStatus = (typeof EPISODE_STATUSES)[number];

/** Re-engagement attempts after an episode is marked unreachable, in days. */
export const RE_ENGAGEMENT_DAYS = [30, 60] as const;
/** The supervisor view counts contacts over this many days. */
export const TEAM_WINDOW_DAYS = 30;
/** At risk of being lost: an ED encounter or visit, then no successful contact for this many days. */
export const AT_RISK_DAYS = 14;
/** How far back an ED visit still makes someone "at risk" (older ones are the caseload's business). */
export const AT_RISK_LOOKBACK_DAYS = 90;
/** The most to-dos the today list shows (the most urgent). */
export const TODAY_LIMIT = 200;

async function clockAt(ctx: Ctx): Promise<{ today: string; tz: string; now: Date }> {
  const tz = (await findOrganization(ctx.db, ctx.actor.organizationId))?.timeZone ?? 'UTC';
  const now = ctx.clock.now();
  return { today: localDate(now, tz), tz, now };
}

/** An episode the caller may act on (404 for another organization's, the participant's gate otherwise). */
async function requireEpisode(ctx: Ctx, id: string): Promise<{ episode: repo.OutreachEpisode; grantId?: string }> {
  const episode = await repo.findOutreachEpisode(ctx.db, ctx.actor.organizationId, id);
  if (!episode) throw errors.notFound('episode');
  const { grantId } = await requireParticipantAccess(ctx, episode.participantId);
  return { episode, ...(grantId && { grantId }) };
}

const discharged = () => new AppError('episode.discharged', 'This episode is discharged. Reopen it before changing its outreach.');

function cadenceOf(e: repo.OutreachEpisode, today: string, tz: string): z.output<typeof Cadence> {
  const effective = effectiveCadence(e.cadenceDays, e.program.cadenceDays);
  const due = contactDue({ startDate: e.startDate, lastContactAt: e.lastContactAt, cadenceDays: effective }, today, tz);
  return {
    episodeId: e.id,
    cadenceDays: e.cadenceDays,
    programCadenceDays: e.program.cadenceDays,
    effectiveCadenceDays: effective,
    lastContactAt: e.lastContactAt,
    dueOn: due.dueOn,
    daysOverdue: due.daysOverdue,
    version: e.version,
  };
}

const contactRules = (p: repo.OutreachEpisode['person']) => ({
  doNotContact: p.doNotContact,
  okVoicemail: p.okVoicemail,
  okText: p.okText,
  preferredMethod: p.preferredMethod,
  windowStart: p.windowStart,
  windowEnd: p.windowEnd,
  safeTimes: p.safeTimes,
});

// ---- cadence

export async function updateCadence(ctx: Ctx, id: string, input: z.output<typeof UpdateCadenceBody>): Promise<z.output<typeof Cadence>> {
  const { episode } = await requireEpisode(ctx, id);
  if (episode.status === 'discharged') throw discharged();
  const { today, tz, now } = await clockAt(ctx);
  if (!(await repo.setCadence(ctx.db, ctx.actor.organizationId, id, input.version, input.cadenceDays, now.toISOString()))) {
    const current = (await repo.findOutreachEpisode(ctx.db, ctx.actor.organizationId, id))!;
    throw errors.conflict(cadenceOf(current, today, tz), current.version);
  }
  await ctx.audit({ action: 'episode.cadence', targetType: 'episode', targetIds: [id, episode.participantId], details: { cadenceDays: input.cadenceDays } });
  return cadenceOf((await repo.findOutreachEpisode(ctx.db, ctx.actor.organizationId, id))!, today, tz);
}

// ---- the unreachable workflow

/**
 * The failed attempts that count toward the unreachable rule: not reached, within the rule's
 * window (local dates: today and the `days − 1` days before it), and after the last successful
 * contact.
 */
export async function outreachOf(ctx: Ctx, id: string): Promise<z.output<typeof EpisodeOutreach>> {
  const { episode, grantId } = await requireEpisode(ctx, id);
  const { today, tz } = await clockAt(ctx);
  const organizationId = ctx.actor.organizationId;
  const rule = episode.program;
  const since = addDays(today, -(rule.days - 1));
  const [contacts, lastReached, disclosure] = await Promise.all([
    repo.contactsSince(ctx.db, organizationId, episode.participantId, startOfLocalDay(since, tz).toISOString()),
    repo.lastReachedAt(ctx.db, organizationId, episode.participantId),
    repo.hasDisclosureConsent(ctx.db, organizationId, episode.participantId, today),
  ]);
  const failed = contacts.filter((c) => !c.reached && (!lastReached || c.startedAt > lastReached));
  const channel = (mode: string): OutreachChannel | undefined => (OUTREACH_CHANNELS as readonly string[]).includes(mode) ? (mode as OutreachChannel) : undefined;
  const tried = new Set(failed.map((c) => channel(c.mode)).filter((c): c is OutreachChannel => !!c));
  const p = episode.person;
  // Who may still be tried: the person's own channels as their contact rules allow, their
  // emergency contact, and their treatment provider only with a disclosure consent in force.
  // "Do not contact" leaves nobody to try.
  const candidates: OutreachChannel[] = p.doNotContact
    ? []
    : [
        ...(p.phone ? (['phone'] as const) : []),
        ...(p.phone && p.okText ? (['text'] as const) : []),
        ...(p.email ? (['email'] as const) : []),
        'in_person' as const,
        ...(p.emergencyContact ? (['emergency_contact'] as const) : []),
        ...(disclosure ? (['treatment_provider'] as const) : []),
      ];
  const open = episode.status === 'active' || episode.status === 'on_hold';
  await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [episode.participantId], details: { part: 'outreach', ...(grantId && { breakGlassGrantId: grantId }) } });
  return {
    episodeId: episode.id,
    participantId: episode.participantId,
    status: episode.status as EpisodeStatus,
    unreachableReason: episode.unreachableReason,
    rule: { attempts: rule.attempts, channels: rule.channels, days: rule.days },
    since,
    lastSuccessfulContactAt: lastReached,
    attempts: failed.map((c) => ({ id: c.id, startedAt: c.startedAt, mode: c.mode, type: c.type, outcome: c.outcome })),
    channelsTried: OUTREACH_CHANNELS.filter((c) => tried.has(c)),
    channelsNotTried: candidates.filter((c) => !tried.has(c)),
    proposeUnreachable: open && failed.length >= rule.attempts && tried.size >= rule.channels,
    contact: contactRules(p),
    cadence: cadenceOf(episode, today, tz),
    version: episode.version,
  };
}

/**
 * The coach's decision: the episode becomes unreachable (with the reason, and a status event),
 * and two re-engagement to-dos go on the coach's list at +30 and +60 days (due at the start of the
 * person's contact window when they gave one). A later successful contact reactivates the
 * episode (the encounters module does that when it saves the contact).
 */
export async function markUnreachable(ctx: Ctx, id: string, input: z.output<typeof MarkUnreachableBody>): Promise<z.output<typeof MarkUnreachableResult>> {
  const { episode } = await requireEpisode(ctx, id);
  if (episode.status === 'discharged') throw discharged();
  const { today, now } = await clockAt(ctx);
  const organizationId = ctx.actor.organizationId;
  const stale = async () => {
    const current = (await repo.findOutreachEpisode(ctx.db, organizationId, id))!;
    return errors.conflict({ episodeId: current.id, status: current.status, unreachableReason: current.unreachableReason, version: current.version }, current.version);
  };
  if (episode.status === 'unreachable' || !(await repo.markUnreachable(ctx.db, organizationId, id, input.version, input.reason, now.toISOString()))) throw await stale();
  await insertEpisodeEvent(ctx.db, organizationId, {
    episodeId: id,
    kind: 'status',
    fromValue: episode.status,
    toValue: 'unreachable',
    reason: input.reason,
    actorUserId: ctx.actor.userId,
    occurredAt: now.toISOString(),
  });
  const owner = episode.assignedCoachUserId ?? ctx.actor.userId;
  const reEngagement: { todoId: string; dueOn: string }[] = [];
  for (const days of RE_ENGAGEMENT_DAYS) {
    const todo = await addTodo(ctx, {
      participantId: episode.participantId,
      kind: 're_engagement' satisfies TodoKind,
      ownerUserId: owner,
      dueOn: addDays(today, days),
      dueTime: episode.person.windowStart,
      severity: 'normal' satisfies TodoSeverity,
      title: `Re-engagement attempt (${days} days after marking unreachable)`,
      note: null,
      clearsOn: 'contact_reached',
      source: { type: 'episode', id },
    });
    reEngagement.push({ todoId: todo.id, dueOn: todo.dueOn });
  }
  await ctx.audit({ action: 'episode.unreachable', targetType: 'episode', targetIds: [id, episode.participantId], details: { from: episode.status } });
  return { episodeId: id, status: 'unreachable', unreachableReason: input.reason, version: episode.version + 1, reEngagement };
}

// ---- today

/** How far ahead "coming up" looks, and how many it shows. */
const UPCOMING_DAYS = 7;
const UPCOMING_LIMIT = 50;

/** The caller's open to-dos due today or overdue (local dates), most urgent first, with how to reach each person. */
export async function today(ctx: Ctx): Promise<z.output<typeof Today>> {
  const { today: day, tz, now } = await clockAt(ctx);
  // Generous upper bound for the index range (a site in another zone may end its day later); due_on decides.
  const q = { organizationId: ctx.actor.organizationId, ownerUserId: ctx.actor.userId, today: day, dueAtBefore: startOfLocalDay(addDays(day, 2), tz).toISOString(), now: now.toISOString() };
  const horizon = addDays(day, UPCOMING_DAYS);
  const [rows, counts, later, appointments] = await Promise.all([
    repo.todayTodos(ctx.db, { ...q, limit: TODAY_LIMIT }),
    repo.todayCounts(ctx.db, q),
    repo.todayTodos(ctx.db, { ...q, today: horizon, dueAtBefore: startOfLocalDay(addDays(horizon, 2), tz).toISOString(), limit: TODAY_LIMIT + UPCOMING_LIMIT }),
    todayAppointments(ctx, day, tz),
  ]);
  const upcomingRows = later
    .filter((r) => r.dueOn > day)
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt))
    .slice(0, UPCOMING_LIMIT);
  const participantIds = [...new Set([...rows, ...upcomingRows].map((r) => r.participantId).filter((p): p is string => !!p))];
  const visible = await idsInScope(ctx.db, scopeOf(ctx), participantIds);
  if (participantIds.length) await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: [...visible], details: { part: 'today' } });
  const nowIso = now.toISOString();
  const itemOf = (r: (typeof rows)[number]) => {
    const seen = r.participantId !== null && visible.has(r.participantId);
    return {
      todoId: r.id,
      kind: r.kind as TodoKind,
      title: r.title,
      severity: r.severity as TodoSeverity,
      dueOn: r.dueOn,
      dueTime: r.dueTime,
      dueAt: r.dueAt,
      overdue: r.dueAt <= nowIso,
      daysOverdue: Math.max(0, daysBetween(r.dueOn, day)),
      participantId: r.participantId,
      participantName: seen ? r.name : null,
      contact: seen && r.contact ? contactRules(r.contact) : null,
      version: r.version,
    };
  };
  return {
    today: day,
    items: rows.map(itemOf),
    upcoming: upcomingRows.map(itemOf),
    counts: { total: counts.total, overdue: counts.overdue, dueToday: counts.total - counts.overdue },
    appointments,
    truncated: counts.total > rows.length,
  };
}

// ---- the supervisor view

/**
 * Per coach (a supervisor's teams' coaches; a program manager's whole organization): open
 * episodes, how many are overdue on their cadence, contacts tried and successful in the last 30
 * days, and people at risk of being lost — an ED encounter or ED visit 14+ days ago (within the
 * last 90) and no successful contact since. Supervisors also get the list of those people.
 */
export async function teamOutreach(ctx: Ctx): Promise<z.output<typeof TeamOutreach>> {
  const organizationId = ctx.actor.organizationId;
  const wholeOrganization = ctx.actor.roles.includes('program_manager');
  const owner: CaseloadOwner = wholeOrganization ? { organization: true } : { supervisorUserId: ctx.actor.userId };
  const { today: day, tz } = await clockAt(ctx);
  const coaches = await coachesOf(ctx.db, organizationId, owner);
  const ids = coaches.map((c) => c.id);
  const sinceDate = addDays(day, -(AT_RISK_LOOKBACK_DAYS - 1));
  // Overdue when the last contact is before the start of the local day today − cadence (see contactDue).
  const cutoffs = new Map((await repo.cadencesInUse(ctx.db, organizationId, ids)).map((days) => {
    const date = addDays(day, -days);
    return [days, { date, instant: startOfLocalDay(date, tz).toISOString() }] as const;
  }));
  const [perCoach, counts, risky] = await Promise.all([
    repo.teamEpisodeCounts(ctx.db, organizationId, ids, cutoffs),
    repo.contactCountsByAuthor(ctx.db, organizationId, ids, startOfLocalDay(addDays(day, -(TEAM_WINDOW_DAYS - 1)), tz).toISOString()),
    // The latest ED moment in the look-back, 14+ local days ago, and no successful contact since.
    repo.atRiskEpisodes(ctx.db, { organizationId, coachIds: ids, lookbackStart: startOfLocalDay(sinceDate, tz).toISOString(), edBefore: startOfLocalDay(addDays(day, -(AT_RISK_DAYS - 1)), tz).toISOString() }),
  ]);
  const rows = new Map(ids.map((id) => [id, { openEpisodes: perCoach.get(id)?.open ?? 0, overdue: perCoach.get(id)?.overdue ?? 0, atRisk: new Set<string>() }]));
  const atRisk: z.output<typeof TeamOutreach>['atRisk'] = [];
  for (const e of risky) {
    const row = rows.get(e.coachUserId);
    if (!row || row.atRisk.has(e.participantId)) continue;
    row.atRisk.add(e.participantId);
    const edOn = localDate(new Date(e.lastEdAt), tz);
    atRisk.push({ participantId: e.participantId, displayName: '', coachUserId: e.coachUserId, lastEdOn: edOn, lastSuccessfulContactAt: e.lastFollowUpAt, daysSinceEd: daysBetween(edOn, day) });
  }

  let list: typeof atRisk | null = null;
  if (!wholeOrganization) {
    // Names only of people the supervisor may see.
    const visible = await idsInScope(ctx.db, scopeOf(ctx), atRisk.map((a) => a.participantId));
    const names = await repo.participantNames(ctx.db, organizationId, [...visible]);
    list = atRisk.filter((a) => visible.has(a.participantId)).map((a) => ({ ...a, displayName: names.get(a.participantId) ?? '' }));
    list.sort((a, b) => b.daysSinceEd - a.daysSinceEd || a.participantId.localeCompare(b.participantId));
    if (list.length) await ctx.audit({ action: 'participant.read', targetType: 'participant', targetIds: list.map((a) => a.participantId), details: { part: 'team_outreach' } });
  }
  await ctx.audit({ action: 'team.outreach', targetType: 'organization', targetIds: [organizationId], details: { scope: wholeOrganization ? 'organization' : 'team' } });
  return {
    scope: wholeOrganization ? 'organization' : 'team',
    today: day,
    windowDays: TEAM_WINDOW_DAYS,
    atRiskDays: AT_RISK_DAYS,
    coaches: coaches
      .map((c) => {
        const r = rows.get(c.id)!;
        const n = counts.get(c.id) ?? { attempts: 0, reached: 0 };
        return { coachUserId: c.id, coachName: c.name, openEpisodes: r.openEpisodes, overdue: r.overdue, attempts: n.attempts, successfulContacts: n.reached, atRisk: r.atRisk.size };
      })
      .sort((a, b) => b.atRisk - a.atRisk || b.overdue - a.overdue || a.coachName.localeCompare(b.coachName)),
    atRisk: list,
  };
}

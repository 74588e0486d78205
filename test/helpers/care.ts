/**
 * Builders for the care tests: a small program (a team at a site with its supervisor and coach, a
 * coach elsewhere, a program manager, a privacy officer, people on each caseload), a use-case
 * context for functions other modules call (clearTodos), and rows made straight through the care
 * repository.
 */
import type { Role } from '../../src/contracts/roles.js';
import { appendAudit } from '../../src/server/platform/audit/audit.js';
import type { Ctx } from '../../src/server/platform/http/context.js';
import type { Executor } from '../../src/server/platform/db/database.js';
import { insertSite } from '../../src/server/modules/organizations/organizations.repository.js';
import { insertLifeEvent, insertTodo, type LifeEventValues, type NewTodo } from '../../src/server/modules/care/care.repository.js';
import type { TestApp, TestClient } from './app.js';
import { buildEpisode, buildOrganization, buildParticipant, buildProgram, buildSite, buildTeamAt, buildUser, type BuiltUser } from './factories.js';
import { sessionFor } from './sessions.js';
import { organizationZone, refreshParticipantSummary } from '../../src/server/modules/encounters/contact-summary.js';

export interface CareWorld {
  organizationId: string;
  timeZone: string;
  programId: string;
  siteA: string;
  siteB: string;
  coach: BuiltUser;
  otherCoach: BuiltUser;
  supervisor: BuiltUser;
  manager: BuiltUser;
  privacyOfficer: BuiltUser;
  /** Enrolled at site A, assigned to `coach`. */
  participantId: string;
  episodeId: string;
  /** Enrolled at site B, assigned to `otherCoach`: outside the coach's and the supervisor's scope. */
  elsewhereId: string;
  as: (user: BuiltUser) => Promise<TestClient>;
}

/** An organization (New York time unless told) with a team at site A (supervisor + coach) and a coach at site B. */
export async function careWorld(t: TestApp, o: { timeZone?: string; siteATimeZone?: string } = {}): Promise<CareWorld> {
  const org = await buildOrganization(t.db, { timeZone: o.timeZone ?? 'America/New_York' });
  const organizationId = org.id;
  const user = (roles: Role[]) => buildUser(t.db, { organizationId, roles });
  const [coach, otherCoach, supervisor, manager, privacyOfficer] = [await user(['coach']), await user(['coach']), await user(['supervisor']), await user(['program_manager']), await user(['privacy_officer'])];
  const programId = await buildProgram(t.db, organizationId);
  const siteA = o.siteATimeZone
    ? await insertSite(t.db, organizationId, { name: 'Bay Clinic', kind: 'emergency_department', programId: null, timeZone: o.siteATimeZone, address: null }, new Date().toISOString())
    : await buildSite(t.db, organizationId);
  const siteB = await buildSite(t.db, organizationId);
  await buildTeamAt(t.db, organizationId, { siteId: siteA, supervisorUserId: supervisor.id, memberUserIds: [coach.id] });
  await buildTeamAt(t.db, organizationId, { siteId: siteB, memberUserIds: [otherCoach.id] });
  const participantId = await buildParticipant(t.db, { organizationId, createdBy: coach.id });
  const episode = await buildEpisode(t.db, { organizationId, participantId, createdBy: coach.id, programId, siteId: siteA, assignedCoachUserId: coach.id });
  const elsewhereId = await buildParticipant(t.db, { organizationId, createdBy: otherCoach.id });
  await buildEpisode(t.db, { organizationId, participantId: elsewhereId, createdBy: otherCoach.id, programId, siteId: siteB, assignedCoachUserId: otherCoach.id });
  const as = async (u: BuiltUser) => (await sessionFor(t, u)).client;
  return { organizationId, timeZone: org.timeZone, programId, siteA, siteB, coach, otherCoach, supervisor, manager, privacyOfficer, participantId, episodeId: episode.id, elsewhereId, as };
}

/**
 * Run `fn` as `user` the way a write route does: one transaction, audit rows appended through it.
 * For the functions other modules call inside their own writes.
 */
export function asUseCase<T>(t: TestApp, user: BuiltUser, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  return t.db.transaction().execute(async (trx) => {
    const entry = (e: Parameters<Ctx['audit']>[0], outcome: 'success' | 'denied') => ({
      ...e,
      outcome,
      organizationId: e.organizationId === undefined ? user.organizationId : e.organizationId,
      actorUserId: user.id,
    });
    const ctx: Ctx = {
      db: trx,
      clock: t.clock,
      actor: { userId: user.id, organizationId: user.organizationId, roles: user.roles, isPlatformAdmin: false, sessionId: 'test' },
      audit: (e) => appendAudit(trx, t.clock, [entry(e, 'success')]),
      auditDenied: (e) => t.auditReads.record(entry(e, 'denied')),
    };
    return fn(ctx);
  });
}

/** A life event row, with the participant's contact summary kept as the real writes keep it. */
export async function lifeEventRow(db: Executor, e: Partial<LifeEventValues> & { organizationId: string; participantId: string; createdBy: string; now?: string }): Promise<string> {
  const id = await insertLifeEvent(db, {
    kind: 'ed_visit',
    occurredOn: '2026-11-20',
    occurredAt: null,
    source: 'records',
    note: null,
    ...e,
    now: e.now ?? new Date().toISOString(),
  });
  if ((e.kind ?? 'ed_visit') === 'ed_visit') await refreshParticipantSummary(db, e.organizationId, e.participantId, await organizationZone(db, e.organizationId));
  return id;
}

export const todoRow = (db: Executor, t: Partial<NewTodo> & { organizationId: string; ownerUserId: string; participantId: string | null }) =>
  insertTodo(db, {
    kind: 'follow_up',
    dueOn: '2026-11-28',
    dueTime: null,
    dueAt: '2026-11-29T05:00:00.000Z',
    severity: 'normal',
    title: 'Call about the clinic visit',
    note: null,
    clearsOn: 'manual',
    sourceType: null,
    sourceId: null,
    createdBy: t.ownerUserId,
    now: new Date().toISOString(),
    ...t,
  });

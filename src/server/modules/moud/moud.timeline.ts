/**
 * What the moud module adds to a participant's timeline (see src/server/timeline.ts): a medication
 * started and stopped, fills, OTP enrollment periods starting and ending, barriers noted and
 * resolved (all date-only, at the start of their local date), and insurance tasks added and closed
 * (at their instants). A person's MOUD record is small (a weekly fill is ~50 rows a year), so each
 * table is read whole by its (organization_id, participant_id …) index and the items are built in
 * memory and cut with `newestBefore` — exact by construction. Details hold codes, dates and staff
 * names only: never the barrier or task text, the prescriber or the pharmacy.
 */
import type { TimelineItem, TimelineProvider } from '../care/timeline.types.js';
import { newestBefore } from '../care/care.timeline.js';
import { startOfLocalDay } from '../care/local-time.js';
import * as repo from './moud.repository.js';

const label = (s: string) => s.replaceAll('_', ' ');

const moud: TimelineProvider = {
  name: 'moud',
  kinds: ['moud'],
  async items(db, q) {
    const org = q.organizationId;
    const [courses, fills, enrollments, barriers] = await Promise.all([
      repo.listCourses(db, org, q.participantId),
      repo.listFills(db, org, q.participantId),
      repo.listEnrollments(db, org, q.participantId),
      repo.listBarriers(db, org, q.participantId),
    ]);
    const names = await repo.staffNames(db, [...courses, ...fills, ...enrollments, ...barriers].flatMap((r) => [r.createdBy, r.verifiedBy]));
    const byId = new Map(courses.map((c) => [c.id, c]));
    const day = (date: string) => startOfLocalDay(date, q.timeZone).toISOString();
    const who = (r: { createdBy: string; verifiedBy: string | null; source: string }) => ({
      source: r.source,
      verifiedBy: r.verifiedBy ? (names.get(r.verifiedBy) ?? null) : null,
      by: names.get(r.createdBy) ?? null,
    });
    const items: TimelineItem[] = [];
    for (const c of courses) {
      const base = { dateOnly: true, link: null, actorUserId: c.createdBy };
      const details = { courseId: c.id, medication: c.medication, formulation: c.formulation, ...who(c) };
      if (c.startedOn && c.status !== 'starting') items.push({ ...base, id: `moud.started:${c.id}`, kind: 'moud.started', at: day(c.startedOn), summary: `Started ${c.medication} (${label(c.formulation)})`, details });
      if (c.stoppedOn) items.push({ ...base, id: `moud.stopped:${c.id}`, kind: 'moud.stopped', at: day(c.stoppedOn), summary: `Stopped ${c.medication}`, details });
    }
    for (const f of fills) {
      const c = byId.get(f.courseId);
      items.push({
        id: `moud.fill:${f.id}`,
        kind: 'moud.fill',
        at: day(f.filledOn),
        dateOnly: true,
        summary: `${f.medication.replace(/^./, (x) => x.toUpperCase())} filled, ${f.daysSupply} days supply`,
        details: { courseId: f.courseId, medication: f.medication, formulation: c?.formulation ?? null, daysSupply: f.daysSupply, daysSupplyDefaulted: f.daysSupplyDefaulted, ...who(f) },
        link: null,
        actorUserId: f.createdBy,
      });
    }
    for (const e of enrollments) {
      const base = { dateOnly: true, link: null, actorUserId: e.createdBy };
      const details = { courseId: e.courseId, medication: 'methadone', startedOn: e.startedOn, endedOn: e.endedOn, ...who(e) };
      items.push({ ...base, id: `moud.enrolled:${e.id}`, kind: 'moud.enrolled', at: day(e.startedOn), summary: 'Enrolled at an opioid treatment program', details });
      if (e.endedOn) items.push({ ...base, id: `moud.enrollment_ended:${e.id}`, kind: 'moud.enrollment_ended', at: day(e.endedOn), summary: 'Opioid treatment program enrollment ended', details });
    }
    for (const b of barriers) {
      const base = { dateOnly: true, link: null, actorUserId: b.createdBy };
      const details = { barrierId: b.id, barrierKind: b.kind, ...who(b) };
      items.push({ ...base, id: `moud.barrier:${b.id}`, kind: 'moud.barrier', at: day(b.notedOn), summary: `Barrier to medication: ${label(b.kind)}`, details });
      if (b.resolvedOn) items.push({ ...base, id: `moud.barrier_resolved:${b.id}`, kind: 'moud.barrier_resolved', at: day(b.resolvedOn), summary: `Barrier resolved: ${label(b.kind)}`, details });
    }
    return newestBefore(items, q);
  },
};

const insurance: TimelineProvider = {
  name: 'insurance_tasks',
  kinds: ['insurance'],
  async items(db, q) {
    const tasks = await repo.listTasks(db, q.organizationId, q.participantId);
    const names = await repo.staffNames(db, tasks.flatMap((t) => [t.createdBy, t.completedBy]));
    const items: TimelineItem[] = [];
    for (const t of tasks) {
      const details = { taskId: t.id, taskKind: t.kind, dueOn: t.dueOn, status: t.status };
      items.push({ id: `insurance.task_added:${t.id}`, kind: 'insurance.task_added', at: t.createdAt, dateOnly: false, summary: `Insurance task added: ${label(t.kind)}`, details: { ...details, by: names.get(t.createdBy) ?? null }, link: null, actorUserId: t.createdBy });
      if (t.completedAt && (t.status === 'done' || t.status === 'cancelled')) {
        items.push({
          id: `insurance.task_closed:${t.id}`,
          kind: t.status === 'done' ? 'insurance.task_done' : 'insurance.task_cancelled',
          at: t.completedAt,
          dateOnly: false,
          summary: `Insurance task ${t.status === 'done' ? 'done' : 'cancelled'}: ${label(t.kind)}`,
          details: { ...details, by: t.completedBy ? (names.get(t.completedBy) ?? null) : null },
          link: null,
          actorUserId: t.completedBy,
        });
      }
    }
    return newestBefore(items, q);
  },
};

export const moudTimelineProviders: readonly TimelineProvider[] = [moud, insurance];

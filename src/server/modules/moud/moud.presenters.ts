/** Records → API shapes (contracts/moud.ts). The organization id stays inside. */
import type { z } from 'zod';
import type { InsuranceTask, MoudBarrier, MoudCourse, MoudFill, MoudSummary, OtpEnrollment } from '../../../contracts/moud.js';
import { daysBetween } from '../caseload/dates.js';
import type { BarrierRecord, CourseRecord, EnrollmentRecord, FillRecord, TaskRecord } from './moud.repository.js';

/** Staff display names by user id (the verifiers). */
export type Names = ReadonlyMap<string, string>;

const stamp = (r: { createdBy: string; version: number; createdAt: string; updatedAt: string }) => ({ createdBy: r.createdBy, version: r.version, createdAt: r.createdAt, updatedAt: r.updatedAt });
const verified = (r: { source: CourseRecord['source']; verifiedBy: string | null }, names: Names) => ({
  source: r.source,
  verifiedBy: r.verifiedBy,
  verifiedByName: r.verifiedBy ? (names.get(r.verifiedBy) ?? null) : null,
});

export const presentFill = (f: FillRecord, names: Names): z.output<typeof MoudFill> => ({
  id: f.id,
  courseId: f.courseId,
  filledOn: f.filledOn,
  daysSupply: f.daysSupply,
  daysSupplyDefaulted: f.daysSupplyDefaulted,
  quantity: f.quantity,
  ...verified(f, names),
  ...stamp(f),
});

export const presentEnrollment = (e: EnrollmentRecord, names: Names): z.output<typeof OtpEnrollment> => ({
  id: e.id,
  courseId: e.courseId,
  startedOn: e.startedOn,
  endedOn: e.endedOn,
  ...verified(e, names),
  ...stamp(e),
});

/** `fills` and `enrollments` of this course, newest first. */
export function presentCourse(c: CourseRecord, fills: FillRecord[], enrollments: EnrollmentRecord[], names: Names, today: string): z.output<typeof MoudCourse> {
  const nextRefillDue = c.medication === 'methadone' ? null : c.nextRefillDue;
  return {
    id: c.id,
    participantId: c.participantId,
    medication: c.medication,
    formulation: c.formulation,
    prescriber: c.prescriber,
    prescriberServiceId: c.prescriberServiceId,
    pharmacy: c.pharmacy,
    pharmacyServiceId: c.pharmacyServiceId,
    startedOn: c.startedOn,
    status: c.status,
    stoppedOn: c.stoppedOn,
    coveredThrough: c.medication === 'methadone' ? null : c.coveredThrough,
    nextRefillDue,
    refillInDays: nextRefillDue ? daysBetween(today, nextRefillDue) : null,
    enrolledNow: enrollments.some((e) => e.startedOn <= today && (!e.endedOn || e.endedOn >= today)),
    fills: fills.map((f) => presentFill(f, names)),
    enrollments: enrollments.map((e) => presentEnrollment(e, names)),
    ...verified(c, names),
    ...stamp(c),
  };
}

export const presentBarrier = (b: BarrierRecord, names: Names): z.output<typeof MoudBarrier> => ({
  id: b.id,
  participantId: b.participantId,
  courseId: b.courseId,
  kind: b.kind,
  detail: b.detail,
  status: b.status,
  notedOn: b.notedOn,
  resolvedOn: b.resolvedOn,
  ...verified(b, names),
  ...stamp(b),
});

export const presentTask = (t: TaskRecord): z.output<typeof InsuranceTask> => ({
  id: t.id,
  participantId: t.participantId,
  kind: t.kind,
  detail: t.detail,
  status: t.status,
  dueOn: t.dueOn,
  todoId: t.status === 'open' || t.status === 'in_progress' ? t.todoId : null,
  completedAt: t.completedAt,
  ...stamp(t),
});

const COURSE_ORDER = { active: 0, starting: 1, stopped: 2 } as const;
const TASK_OPEN = (s: TaskRecord['status']) => (s === 'open' || s === 'in_progress' ? 0 : 1);

export function presentSummary(s: {
  participantId: string;
  today: string;
  courses: CourseRecord[];
  fills: FillRecord[];
  enrollments: EnrollmentRecord[];
  barriers: BarrierRecord[];
  tasks: TaskRecord[];
  names: Names;
}): z.output<typeof MoudSummary> {
  const courses = [...s.courses]
    .sort((a, b) => COURSE_ORDER[a.status] - COURSE_ORDER[b.status] || (b.startedOn ?? '').localeCompare(a.startedOn ?? '') || b.createdAt.localeCompare(a.createdAt))
    .map((c) =>
      presentCourse(
        c,
        s.fills.filter((f) => f.courseId === c.id),
        s.enrollments.filter((e) => e.courseId === c.id),
        s.names,
        s.today,
      ),
    );
  const due = courses.filter((c) => c.status === 'active' && c.nextRefillDue).map((c) => c.nextRefillDue!).sort();
  const barriers = [...s.barriers].sort((a, b) => (a.status === b.status ? 0 : a.status === 'open' ? -1 : 1) || b.notedOn.localeCompare(a.notedOn) || b.id.localeCompare(a.id));
  const tasks = [...s.tasks].sort((a, b) => TASK_OPEN(a.status) - TASK_OPEN(b.status) || (a.dueOn ?? '9999').localeCompare(b.dueOn ?? '9999') || b.createdAt.localeCompare(a.createdAt));
  return {
    participantId: s.participantId,
    today: s.today,
    courses,
    nextRefillDue: due[0] ?? null,
    barriers: barriers.map((b) => presentBarrier(b, s.names)),
    insuranceTasks: tasks.map(presentTask),
  };
}

/** Requests of the participant page's MOUD section. Types only from the contract: zod stays out of the bundle. */
import type { z } from 'zod';
import type {
  CreateInsuranceTaskBody,
  CreateMoudBarrierBody,
  CreateMoudCourseBody,
  CreateMoudFillBody,
  CreateOtpEnrollmentBody,
  InsuranceTask,
  MoudBarrier,
  MoudCourse,
  MoudFill,
  MoudSummary,
  OtpEnrollment,
  UpdateInsuranceTaskBody,
  UpdateMoudBarrierBody,
  UpdateMoudCourseBody,
  UpdateOtpEnrollmentBody,
} from '../../../contracts/moud';
import { api } from '../../app/api';

export type MoudSummaryT = z.infer<typeof MoudSummary>;
export type MoudCourseT = z.infer<typeof MoudCourse>;
export type MoudBarrierT = z.infer<typeof MoudBarrier>;
export type InsuranceTaskT = z.infer<typeof InsuranceTask>;

/** Under the participant's key: a change here refreshes the timeline, to-dos and the profile's MOUD fact too. */
export const moudKeys = {
  participant: (participantId: string) => ['participants', participantId] as const,
  summary: (participantId: string) => ['participants', participantId, 'moud'] as const,
};

const enc = encodeURIComponent;
const base = (participantId: string) => `/api/v1/participants/${enc(participantId)}`;

export const getMoud = (participantId: string) => api.get<MoudSummaryT>(`${base(participantId)}/moud`);
export const createCourse = (participantId: string, body: z.input<typeof CreateMoudCourseBody>, idempotencyKey: string) =>
  api.post<MoudCourseT>(`${base(participantId)}/moud/courses`, body, { idempotencyKey });
export const updateCourse = (id: string, body: z.input<typeof UpdateMoudCourseBody>) => api.patch<MoudCourseT>(`/api/v1/moud/courses/${enc(id)}`, body);
export const createFill = (participantId: string, body: z.input<typeof CreateMoudFillBody>, idempotencyKey: string) =>
  api.post<z.infer<typeof MoudFill>>(`${base(participantId)}/moud/fills`, body, { idempotencyKey });
export const createEnrollment = (participantId: string, body: z.input<typeof CreateOtpEnrollmentBody>, idempotencyKey: string) =>
  api.post<z.infer<typeof OtpEnrollment>>(`${base(participantId)}/moud/enrollments`, body, { idempotencyKey });
export const updateEnrollment = (id: string, body: z.input<typeof UpdateOtpEnrollmentBody>) => api.patch<z.infer<typeof OtpEnrollment>>(`/api/v1/moud/enrollments/${enc(id)}`, body);
export const createBarrier = (participantId: string, body: z.input<typeof CreateMoudBarrierBody>, idempotencyKey: string) =>
  api.post<MoudBarrierT>(`${base(participantId)}/moud/barriers`, body, { idempotencyKey });
export const updateBarrier = (id: string, body: z.input<typeof UpdateMoudBarrierBody>) => api.patch<MoudBarrierT>(`/api/v1/moud/barriers/${enc(id)}`, body);
export const createTask = (participantId: string, body: z.input<typeof CreateInsuranceTaskBody>, idempotencyKey: string) =>
  api.post<InsuranceTaskT>(`${base(participantId)}/insurance-tasks`, body, { idempotencyKey });
export const updateTask = (id: string, body: z.input<typeof UpdateInsuranceTaskBody>) => api.patch<InsuranceTaskT>(`/api/v1/insurance-tasks/${enc(id)}`, body);

/** Requests of the check-in and milestone pages. Types only from the contract: zod stays out of the bundle. */
import type { z } from 'zod';
import type {
  CelebrateMilestoneBody,
  CheckIn,
  CheckInList,
  CheckInTrend,
  CreateCheckInBody,
  CreateMilestoneBody,
  CreatedCheckIn,
  Milestone,
  MilestoneList,
} from '../../../contracts/checkins';
import { api } from '../../app/api';

export type CheckInT = z.infer<typeof CheckIn>;
export type CreatedCheckInT = z.infer<typeof CreatedCheckIn>;
export type CheckInTrendT = z.infer<typeof CheckInTrend>;
export type CheckInBodyT = z.input<typeof CreateCheckInBody>;
export type MilestoneT = z.infer<typeof Milestone>;
export type MilestoneListT = z.infer<typeof MilestoneList>;
export type CelebrateBodyT = z.input<typeof CelebrateMilestoneBody>;
export type MilestoneBodyT = z.input<typeof CreateMilestoneBody>;

/** Kept here (not imported from the contract) so zod stays out of the bundle; the server checks again. */
export const MOUD_TAKEN = ['yes', 'no', 'not_on_moud'] as const;
export const CUSTOM_MILESTONE_KINDS = ['housing_found', 'job', 'family_reunited', 'court_completed', 'other'] as const;
export const MILESTONE_AHEAD_DAYS = 7;

/** The server's permissions the pages look at (it checks every request again). */
export const PERMISSIONS = { read: 'checkins.read', write: 'checkins.write' } as const;

/** Under the participant's key: a change refreshes the timeline and to-dos too. */
export const checkinKeys = {
  participant: (participantId: string) => ['participants', participantId] as const,
  trend: (participantId: string) => ['participants', participantId, 'check-ins', 'trend'] as const,
  list: (participantId: string) => ['participants', participantId, 'check-ins', 'list'] as const,
  milestones: (participantId: string) => ['participants', participantId, 'milestones'] as const,
};

const enc = encodeURIComponent;
const base = (participantId: string) => `/api/v1/participants/${enc(participantId)}`;

export const getCheckInTrend = (participantId: string) => api.get<CheckInTrendT>(`${base(participantId)}/check-in-trend`);
export const listCheckIns = async (participantId: string) => (await api.get<z.infer<typeof CheckInList>>(`${base(participantId)}/check-ins`)).checkIns;
export const recordCheckIn = (participantId: string, body: CheckInBodyT, idempotencyKey: string) =>
  api.post<CreatedCheckInT>(`${base(participantId)}/check-ins`, body, { idempotencyKey });
export const getMilestones = (participantId: string) => api.get<MilestoneListT>(`${base(participantId)}/milestones`);
export const addMilestone = (participantId: string, body: MilestoneBodyT, idempotencyKey: string) => api.post<unknown>(`${base(participantId)}/milestones`, body, { idempotencyKey });
export const celebrate = (participantId: string, body: CelebrateBodyT, idempotencyKey: string) => api.post<unknown>(`${base(participantId)}/milestones/celebrations`, body, { idempotencyKey });

export const checkInPath = (participantId: string) => `/check-ins/new?participant=${enc(participantId)}`;

/** Records → API shapes (contracts/participants.ts). The organization id and search key stay inside. */
import type { z } from 'zod';
import type { Episode, Participant, ParticipantSummary } from '../../../contracts/participants.js';
import type { EpisodeRecord, ParticipantRecord, ParticipantSummaryRecord } from './participants.repository.js';

export const presentParticipant = ({ organizationId: _org, ...p }: ParticipantRecord): z.output<typeof Participant> => p;

export const presentSummary = (p: ParticipantSummaryRecord): z.output<typeof ParticipantSummary> => ({
  id: p.id,
  firstName: p.firstName,
  lastName: p.lastName,
  alias: p.alias,
  preferredName: p.preferredName,
  dateOfBirth: p.dateOfBirth,
});

export const presentEpisode = (e: EpisodeRecord): z.output<typeof Episode> => ({
  id: e.id,
  participantId: e.participantId,
  programId: e.programId,
  siteId: e.siteId,
  startDate: e.startDate,
  referralSource: e.referralSource,
  assignedCoachUserId: e.assignedCoachUserId,
  assignedCoachName: e.assignedCoachName,
  status: e.status,
  dischargeDate: e.dischargeDate,
  dischargeReason: e.dischargeReason,
  version: e.version,
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
});

/**
 * What the measures engine reads: the facts of one participant, as plain ids, local dates and
 * kinds — what a loader can produce in one pass per participant from the tables (episodes,
 * life_events, ed_visits, encounters, appointments, moud_fills, moud_otp_enrollments, referrals,
 * questionnaire_responses). Dates are local to the organization (`YYYY-MM-DD`), converted before
 * they get here; day 0 is the index date. No names, no free text.
 *
 * The loader decides what a row means (which appointments are treatment, which encounter was the
 * bedside encounter of which ED visit); the engine applies the measure rules to the result.
 */
import type { MoudFormulation, MoudMedication } from '../../../contracts/moud-rules.js';
import type { EncounterType } from '../../../contracts/encounters.js';
import type { DISCHARGE_REASONS } from '../../../contracts/participants.js';

export type DischargeReason = (typeof DISCHARGE_REASONS)[number];

/** One period of enrollment (`episodes`). */
export interface EpisodeFact {
  id: string;
  /** Enrollment date: day 0 of the episode. */
  startOn: string;
  /** Discharge date, or null while the episode is open. */
  dischargedOn: string | null;
  dischargeReason: DischargeReason | null;
}

/** An ED-visit life event (with its `ed_visits` row when a peer was called). */
export interface EdVisitFact {
  /** The life event's id: the ED visit's identity in every measure. */
  id: string;
  on: string;
  /** The peer's bedside encounter of this visit (`ed_visits.encounter_id`); null when no peer saw the person. */
  bedsideEncounterId: string | null;
  /** When the peer was asked to come and when they arrived (ISO instants), for response time. */
  peerRequestedAt: string | null;
  peerArrivedAt: string | null;
}

/** An inpatient or residential admission (a `hospital_admission` life event, a residential intake attended). */
export interface AdmissionFact {
  id: string;
  on: string;
  setting: 'inpatient' | 'residential';
}

/** One encounter: a contact, or an attempt that did not reach the person. */
export interface ContactFact {
  id: string;
  on: string;
  type: EncounterType;
  reached: boolean;
  /** The encounter's recorded duration in minutes (the cost model's peer hours); null or absent when not recorded. */
  minutes?: number | null;
}

/**
 * The treatment appointments that count as linkage and follow-up (issue 7: "MOUD induction or
 * prescriber visit, OTP intake, outpatient, intensive outpatient or residential intake,
 * counseling"). The loader maps appointment kinds and directory service types onto these.
 */
export const TREATMENT_VISIT_KINDS = ['moud_induction', 'prescriber_visit', 'otp_intake', 'outpatient_intake', 'intensive_outpatient_intake', 'residential_intake', 'counseling'] as const;
export type TreatmentVisitKind = (typeof TREATMENT_VISIT_KINDS)[number];

export interface AppointmentFact {
  id: string;
  on: string;
  /** The treatment it is, or null for any other appointment (court, housing, benefits…). */
  treatment: TreatmentVisitKind | null;
  attended: boolean;
}

/** A pharmacy fill. `daysSupply` null: unknown, the default supply applies (moud-rules.ts). */
export interface MoudFillFact {
  id: string;
  medication: MoudMedication;
  formulation: MoudFormulation;
  filledOn: string;
  daysSupply: number | null;
}

/** An opioid treatment program enrollment period (methadone coverage); `endedOn` null while enrolled. */
export interface OtpEnrollmentFact {
  id: string;
  startedOn: string;
  endedOn: string | null;
}

/** A return to use or an overdose (life events), fatal overdoses marked. */
export interface UseEventFact {
  id: string;
  on: string;
  kind: 'return_to_use' | 'overdose';
  /** Overdoses only: the person died. */
  fatal: boolean;
}

/** A BARC-10 response with its total (10–60). */
export interface Barc10Fact {
  id: string;
  on: string;
  total: number;
}

export interface ReferralFact {
  id: string;
  /** The day the referral was made. */
  referredOn: string;
  status: string;
  /** The first attended appointment booked for it (or the linkage date), null while none. */
  firstAttendedOn: string | null;
}

/** A federal (GPRA-style) interview: the intake and the 6-month follow-ups. */
export interface FederalInterviewFact {
  id: string;
  on: string;
  kind: 'intake' | 'six_month_follow_up';
}

/**
 * Who the participant is, for breakdowns (race, ethnicity, sex, age band, insurance): the codes as
 * recorded on the participant now, no names. `race` is the list of OMB categories recorded.
 */
export interface DemographicsFact {
  race: readonly string[];
  ethnicity: string | null;
  sexAtBirth: string | null;
  dateOfBirth: string | null;
  insuranceType: string | null;
}

/** Everything one participant contributes to the measures. Each measure reads only its part. */
export interface ParticipantFacts {
  participantId: string;
  episodes: readonly EpisodeFact[];
  edVisits: readonly EdVisitFact[];
  admissions: readonly AdmissionFact[];
  contacts: readonly ContactFact[];
  appointments: readonly AppointmentFact[];
  moudFills: readonly MoudFillFact[];
  otpEnrollments: readonly OtpEnrollmentFact[];
  useEvents: readonly UseEventFact[];
  barc10: readonly Barc10Fact[];
  referrals: readonly ReferralFact[];
  federalInterviews: readonly FederalInterviewFact[];
  /** For breakdowns only (the measures themselves never read it); absent in hand-built decks. */
  demographics?: DemographicsFact;
}

/** The facts a measure reads, for `keyof ParticipantFacts` K. */
export type FactsFor<K extends keyof ParticipantFacts> = Pick<ParticipantFacts, 'participantId' | K>;

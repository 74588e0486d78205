/**
 * Treatment navigation for the generated program (issue 5), built in memory from the people
 * `generateProgram` made and the fictional directory it generated, then bulk-inserted by it:
 *
 * - partner accounts: a `partner` user and a `partner_links` row for a few treating-provider
 *   directory organizations (the busiest receivers);
 * - appointments: past ones attended, missed or cancelled, future ones scheduled, on the calendar
 *   of the episode's coach;
 * - MOUD courses with fills (buprenorphine, naltrexone) or OTP enrollment periods (methadone),
 *   with realistic gaps; each course's `covered_through` / `next_refill_due` comes from
 *   `moudCoverage` over all the person's fills of that medication (the app's rule), and the
 *   person's `current_moud` follows the record as the MOUD module keeps it;
 * - closed-loop referrals to directory services (and a few outside organizations): logged, or
 *   sent under the person's TPO consent through the gate's rules (`evaluate`, the notice it
 *   writes, a frozen payload in `disclosures`); each status move has its `referral_events` row;
 *   about 65% link to care within 30 days (an attended appointment booked for the referral).
 *
 * Each part draws from its own seeded stream, so the people and care history made before stay
 * the same for a seed. Ids come from `generate.ids.ts`; a referral's id carries its creation time
 * and an event's its instant, so the partner inbox (newest first by id) reads in the order the
 * referrals were made, and events of one instant keep the order they happened in.
 */
import type { Insertable } from 'kysely';
import type { Database } from '../../platform/db/tables.js';
import type { IdMaker } from './generate.ids.js';
import { localDate } from '../../platform/time.js';
import { startOfLocalDay } from '../care/local-time.js';
import { moudCoverage, defaultDaysSupply, type MoudFormulation, type MoudMedication } from '../../../contracts/moud-rules.js';
import { PURPOSE_OF_USE } from '../../../contracts/consents.js';
import type { ReferralStatus } from '../../../contracts/referrals.js';
import { evaluate, consentNotice } from '../consents/disclosure-gate.js';
import type { Category, ConsentRecord } from '../consents/consents.repository.js';
import { summaryFor } from '../consents/consents.usecases.js';
import type { ParticipantRecord } from '../participants/participants.repository.js';

type Rng = () => number;
type Row<T extends keyof Database> = Insertable<Database[T]>;

const DAY = 86_400_000;
const addDays = (date: string, n: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
function weighted<T>(rng: Rng, table: readonly (readonly [T, number])[]): T {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let r = rng() * total;
  for (const [v, w] of table) {
    r -= w;
    if (r < 0) return v;
  }
  return table[table.length - 1]![0];
}

/** One generated person, as `generateProgram` made them. */
export interface NavPerson {
  participantId: string;
  coachId: string;
  /** Local date the episode started, and the local date it ended (discharged ones). */
  episodeStart: string;
  dischargeDate: string | null;
  active: boolean;
  full: boolean;
  /** The participant row before insertion: `current_moud` / `moud_source` are set here to follow the MOUD record. */
  participant: Row<'participants'>;
  /** The person's disclosure consents (typed TPO ones), as the gate reads them. */
  disclosureConsents: ConsentRecord[];
  /** No treatment (attended treatment visit, MOUD fill, OTP start) before this local date (generate.outcomes.ts). */
  treatmentFrom?: string;
  /** The local date the person first reaches treatment: a fill, an OTP start or an attended treatment visit falls on it. */
  linkOn?: string | null;
}

/** Appointment kinds that can be a treatment visit for linkage and follow-up (measures.loader.ts `treatmentOf`). */
const TREATMENT_KINDS: ReadonlySet<string> = new Set(['prescriber_follow_up', 'counseling', 'moud_induction', 'intake']);

export interface DirectoryOrg {
  id: string;
  name: string;
  type: string;
}
export interface DirectoryService {
  id: string;
  name: string;
  org: DirectoryOrg;
  types: string[];
  /** Its first location's address, for an appointment's place. */
  place: string | null;
}

export interface NavigationInput {
  organizationId: string;
  organizationName: string;
  timeZone: string;
  now: Date;
  seed: number;
  /** Days after a referral is requested before its follow-up is due (the organization's setting). */
  followUpDays: number;
  people: readonly NavPerson[];
  services: readonly DirectoryService[];
  /** Who links the partner accounts (the generated admin). */
  adminId: string;
  passwordHash: string;
  partnerCount: number;
  email: (local: string) => string;
  /** Row ids (seeded UUIDv7); given a time, the id carries it. */
  id: IdMaker;
  /** Appointments and referrals per person as multiples of the one-year defaults (a state's five years have more). */
  volume?: { appointments: number; referrals: number };
}

export interface NavigationCounts {
  partners: number;
  appointments: number;
  moudCourses: number;
  moudFills: number;
  otpEnrollments: number;
  referrals: number;
  sentReferrals: number;
  linkedReferrals: number;
  referralEvents: number;
  disclosures: number;
  /** The referrals' follow-up to-dos (kind `referral`). */
  referralTodos: number;
}

export interface NavigationRows {
  users: Row<'users'>[];
  memberships: Row<'memberships'>[];
  partnerLinks: Row<'partner_links'>[];
  appointments: Row<'appointments'>[];
  courses: Row<'moud_courses'>[];
  fills: Row<'moud_fills'>[];
  enrollments: Row<'moud_otp_enrollments'>[];
  disclosures: Row<'disclosures'>[];
  referrals: Row<'referrals'>[];
  referralEvents: Row<'referral_events'>[];
  todos: Row<'todos'>[];
}

export interface Navigation {
  rows: NavigationRows;
  counts: NavigationCounts;
  /** Partner logins, the one with the most sent referrals first. */
  partnerEmails: string[];
}

// ---- vocabulary

const APPOINTMENT_KINDS = [['prescriber_follow_up', 24], ['counseling', 20], ['court', 9], ['housing', 10], ['benefits', 11], ['intake', 10], ['moud_induction', 4], ['other', 12]] as const;
const PAST_OUTCOMES = [['attended', 62], ['missed', 24], ['cancelled', 14]] as const;
const CANCEL_REASONS = ['Asked to move it', 'Clinic closed that day', 'No ride', 'Conflict with work'] as const;
const URGENCIES = [['routine', 70], ['urgent', 22], ['asap', 8]] as const;
const REJECT_REASONS = ['No openings this month', 'Insurance not accepted', 'Service not a fit for this need', 'Outside our service area'] as const;
const CANCEL_REFERRAL_REASONS = ['Chose another program', 'Moved out of the area', 'No longer wants this service'] as const;
const FAIL_REASONS = ['Did not come to the first appointment', 'Could not be reached to schedule'] as const;
const OUTSIDE = [
  { name: 'County Probation Office (synthetic)', type: 'other', contact: 'Front desk, 555-0142' },
  { name: 'Regional Housing Authority (synthetic)', type: 'community_service', contact: '555-0177' },
  { name: 'State Benefits Office (synthetic)', type: 'community_service', contact: null },
] as const;

/** Why someone is referred to a service, by the first service type that says. */
function reasonFor(types: readonly string[]): { reason: string; kind: string } {
  const has = (t: string) => types.includes(t);
  if (has('otp_methadone')) return { reason: 'Start methadone at an opioid treatment program', kind: 'moud_induction' };
  if (has('same_day_induction')) return { reason: 'Same-day buprenorphine start', kind: 'moud_induction' };
  if (has('buprenorphine')) return { reason: 'Buprenorphine prescriber', kind: 'intake' };
  if (has('withdrawal_management') || has('residential')) return { reason: 'Withdrawal management and residential care', kind: 'intake' };
  if (has('intensive_outpatient')) return { reason: 'Intensive outpatient program', kind: 'intake' };
  if (has('outpatient_counseling') || has('mental_health')) return { reason: 'Counseling and mental health care', kind: 'counseling' };
  if (has('naltrexone')) return { reason: 'Naltrexone', kind: 'intake' };
  if (has('recovery_housing')) return { reason: 'Recovery housing', kind: 'housing' };
  if (has('housing')) return { reason: 'Housing help', kind: 'housing' };
  if (has('employment')) return { reason: 'Help finding work', kind: 'other' };
  if (has('legal')) return { reason: 'Legal help', kind: 'court' };
  if (has('food')) return { reason: 'Food', kind: 'other' };
  if (has('transportation')) return { reason: 'Rides to appointments', kind: 'other' };
  if (has('harm_reduction') || has('naloxone')) return { reason: 'Naloxone and harm reduction supplies', kind: 'other' };
  if (types.some((t) => t.startsWith('mutual_aid'))) return { reason: 'Mutual-aid meeting', kind: 'other' };
  return { reason: 'Support services', kind: 'other' };
}

/** What a sent referral shares: always within the categories of the TPO consent `generateProgram` records. */
const SENT_CATEGORIES: readonly (readonly Category[])[] = [
  ['demographics_contact'],
  ['demographics_contact', 'moud'],
  ['demographics_contact', 'substance_use_history', 'moud'],
];

// ---- the builder

export function buildNavigation(x: NavigationInput): Navigation {
  const { organizationId: org, timeZone: tz } = x;
  const newId = x.id;
  const nowMs = x.now.getTime();
  const nowIso = x.now.toISOString();
  const today = localDate(x.now, tz);
  const dayStart = new Map<string, number>();
  /** An instant on a local date, `minutes` after its midnight. */
  const at = (date: string, minutes: number): Date => {
    let s = dayStart.get(date);
    if (s === undefined) dayStart.set(date, (s = startOfLocalDay(date, tz).getTime()));
    return new Date(s + minutes * 60_000);
  };
  const workMinutes = (rng: Rng) => 9 * 60 + Math.floor(rng() * 8 * 60);
  const notAfterNow = (d: Date) => (d.getTime() > nowMs ? x.now : d);

  const rows: NavigationRows = { users: [], memberships: [], partnerLinks: [], appointments: [], courses: [], fills: [], enrollments: [], disclosures: [], referrals: [], referralEvents: [], todos: [] };
  const counts: NavigationCounts = { partners: 0, appointments: 0, moudCourses: 0, moudFills: 0, otpEnrollments: 0, referrals: 0, sentReferrals: 0, linkedReferrals: 0, referralEvents: 0, disclosures: 0, referralTodos: 0 };

  const services = x.services;
  const treating = services.filter((s) => s.org.type === 'treating_provider');
  const others = services.filter((s) => s.org.type !== 'treating_provider' && !s.types.includes('pharmacy'));
  const ofType = (t: string) => services.filter((s) => s.types.includes(t));
  const bupServices = ofType('buprenorphine');
  const otpServices = ofType('otp_methadone');
  const naltrexoneServices = ofType('naltrexone');
  const pharmacies = ofType('pharmacy');

  // ---- partner accounts: the treating organizations with the most services receive through Lodestar.
  const treatingOrgs = [...new Map(treating.map((s) => [s.org.id, s.org])).values()];
  const serviceCount = new Map<string, number>();
  for (const s of treating) serviceCount.set(s.org.id, (serviceCount.get(s.org.id) ?? 0) + 1);
  const partnerOrgs = [...treatingOrgs].sort((a, b) => serviceCount.get(b.id)! - serviceCount.get(a.id)! || treatingOrgs.indexOf(a) - treatingOrgs.indexOf(b)).slice(0, Math.max(0, x.partnerCount));
  const partnerOf = new Map<string, { userId: string; email: string }>();
  partnerOrgs.forEach((o, i) => {
    const userId = newId();
    const email = x.email(`partner-${String(i + 1).padStart(3, '0')}`);
    rows.users.push({
      id: userId, email, display_name: `Partner ${String(i + 1).padStart(3, '0')} (synthetic)`, password_hash: x.passwordHash, password_changed_at: nowIso, mfa_secret: null, mfa_enabled: 0,
      mfa_last_step: null, locked_until: null, is_platform_admin: 0, status: 'active', locale: 'en', created_at: nowIso, updated_at: nowIso,
    });
    rows.memberships.push({ id: newId(), organization_id: org, user_id: userId, role: 'partner', created_at: nowIso });
    rows.partnerLinks.push({ organization_id: org, user_id: userId, directory_organization_id: o.id, created_by: x.adminId, created_at: nowIso });
    partnerOf.set(o.id, { userId, email });
  });
  counts.partners = partnerOrgs.length;
  // Referrals concentrate on a few busy clinics: the partner organizations by rank (1/rank).
  const partnerServices = partnerOrgs.map((o) => treating.filter((s) => s.org.id === o.id));
  const partnerWeights = partnerOrgs.map((_, i) => [i, 1 / (i + 1)] as const);

  // ---- appointments

  const apptRng = mulberry(x.seed ^ 0x27d4eb2f);
  const appointmentVolume = x.volume?.appointments ?? 1;
  const referralVolume = x.volume?.referrals ?? 1;
  const addAppointment = (p: NavPerson, a: { kind: string; start: Date; status: string; service: DirectoryService | null; place?: string | null; providerName?: string; reason?: string | null; createdAt: Date; createdBy: string; changedBy?: string; changedAt?: Date | null; referralId?: string | null }): string => {
    const id = newId();
    const changed = a.status !== 'scheduled';
    const changedAt = changed ? (a.changedAt ?? notAfterNow(new Date(a.start.getTime() + (1 + Math.floor(apptRng() * 24)) * 3_600_000))) : null;
    rows.appointments.push({
      id,
      organization_id: org,
      participant_id: p.participantId,
      kind: a.kind,
      starts_at: a.start.toISOString(),
      ends_at: new Date(a.start.getTime() + (a.kind === 'court' ? 120 : 60) * 60_000).toISOString(),
      place: a.place !== undefined ? a.place : (a.service?.place ?? null),
      directory_service_id: a.service?.id ?? null,
      telehealth_url: null,
      provider_name: a.providerName ?? a.service?.org.name ?? null,
      transport_needs: apptRng() < 0.15 ? 'Needs a ride' : null,
      notes: null,
      coach_user_id: p.coachId,
      status: a.status,
      status_reason: a.reason ?? null,
      status_changed_at: changedAt ? changedAt.toISOString() : null,
      status_changed_by: changed ? (a.changedBy ?? p.coachId) : null,
      rescheduled_from_id: null,
      rescheduled_to_id: null,
      remind_participant: 0,
      reminder_names_place: 0,
      referral_id: a.referralId ?? null,
      created_by: a.createdBy,
      created_at: a.createdAt.toISOString(),
      updated_at: (changedAt ?? a.createdAt).toISOString(),
    });
    counts.appointments++;
    return id;
  };

  for (const p of x.people) {
    const last = p.active ? addDays(today, 28) : p.dischargeDate!;
    const span = Math.max(0, daysBetween(p.episodeStart, last));
    const base = p.active ? weighted(apptRng, [[0, 25], [1, 25], [2, 20], [3, 15], [4, 10], [5, 5]] as const) : weighted(apptRng, [[0, 55], [1, 25], [2, 15], [3, 5]] as const);
    const n = Math.round(base * appointmentVolume);
    for (let k = 0; k < n; k++) {
      const kind = weighted(apptRng, APPOINTMENT_KINDS);
      const date = addDays(p.episodeStart, 1 + Math.floor(apptRng() * span));
      const start = at(date, 8 * 60 + 30 * Math.floor(apptRng() * 18));
      const bookedDaysBefore = 1 + Math.floor(apptRng() * 20);
      const createdAt = notAfterNow(new Date(Math.max(start.getTime() - bookedDaysBefore * DAY, at(p.episodeStart, 12 * 60).getTime())));
      const service =
        kind === 'prescriber_follow_up' || kind === 'moud_induction' ? pickOr(apptRng, bupServices) : kind === 'counseling' || kind === 'intake' ? pickOr(apptRng, treating) : kind === 'housing' ? pickOr(apptRng, others) : null;
      const place = kind === 'court' ? 'County Courthouse (synthetic), 1 Justice Plaza' : kind === 'benefits' ? 'County Assistance Office (synthetic)' : undefined;
      if (start.getTime() > nowMs) {
        addAppointment(p, { kind, start, status: 'scheduled', service, place, createdAt, createdBy: p.coachId });
      } else {
        let status: string = weighted(apptRng, PAST_OUTCOMES);
        // Before the person reaches treatment, a treatment visit did not happen.
        if (status === 'attended' && TREATMENT_KINDS.has(kind) && p.treatmentFrom && date < p.treatmentFrom) status = 'missed';
        const changedAt = status === 'cancelled' ? new Date(Math.max(createdAt.getTime() + 3_600_000, start.getTime() - Math.floor(apptRng() * 3) * DAY - 3_600_000)) : undefined;
        addAppointment(p, { kind, start, status, service, place, createdAt, createdBy: p.coachId, reason: status === 'cancelled' ? pick(apptRng, CANCEL_REASONS) : null, changedAt: changedAt ? notAfterNow(changedAt) : undefined });
      }
    }
  }

  // ---- MOUD: courses, fills and OTP enrollment periods; current_moud follows the record.

  const moudRng = mulberry(x.seed ^ 0x165667b1);
  const fillsOf = new Map<string, { filledOn: string; daysSupply: number }[]>(); // participant|medication
  const coursesOf = new Map<string, Row<'moud_courses'>[]>();
  const activeOf = new Map<string, { medication: string; source: string; startedOn: string; createdAt: string }[]>();
  const stamp = (date: string, by: string) => {
    const t = notAfterNow(at(date, 10 * 60 + Math.floor(moudRng() * 8 * 60))).toISOString();
    return { created_by: by, created_at: t, updated_at: t };
  };
  const addCourse = (p: NavPerson, c: { medication: MoudMedication; formulation: MoudFormulation; status: 'starting' | 'active' | 'stopped'; startedOn: string | null; stoppedOn?: string | null; prescriber: DirectoryService | null; pharmacy: DirectoryService | null; verified: boolean }): Row<'moud_courses'> => {
    const row: Row<'moud_courses'> = {
      id: newId(),
      organization_id: org,
      participant_id: p.participantId,
      medication: c.medication,
      formulation: c.formulation,
      prescriber: c.prescriber?.name ?? null,
      prescriber_service_id: c.prescriber?.id ?? null,
      pharmacy: c.pharmacy?.name ?? null,
      pharmacy_service_id: c.pharmacy?.id ?? null,
      started_on: c.startedOn,
      status: c.status,
      stopped_on: c.stoppedOn ?? null,
      source: c.verified ? 'verified' : 'participant_reported',
      verified_by: c.verified ? p.coachId : null,
      covered_through: null,
      next_refill_due: null,
      ...stamp(c.startedOn && c.startedOn <= today ? c.startedOn : today, p.coachId),
    };
    rows.courses.push(row);
    counts.moudCourses++;
    const list = coursesOf.get(p.participantId) ?? [];
    list.push(row);
    coursesOf.set(p.participantId, list);
    if (c.status === 'active') {
      const a = activeOf.get(p.participantId) ?? [];
      a.push({ medication: c.medication, source: row.source, startedOn: c.startedOn ?? '0001-01-01', createdAt: row.created_at });
      activeOf.set(p.participantId, a);
    }
    return row;
  };
  /** Fills from `from` until today (or `until`), each due when the supply runs out, some early, some late. Returns the last covered day. */
  const addFills = (p: NavPerson, course: Row<'moud_courses'>, medication: MoudMedication, formulation: MoudFormulation, from: string, until: string): string | null => {
    const key = `${p.participantId}|${medication}`;
    const list = fillsOf.get(key) ?? [];
    fillsOf.set(key, list);
    let date = from;
    let lastThrough: string | null = null;
    const verified = course.source === 'verified';
    while (date <= until) {
      const usual = defaultDaysSupply(medication, formulation);
      let daysSupply: number;
      let defaulted = false;
      if (formulation === 'extended_release_injection' || formulation === 'implant') {
        daysSupply = usual!;
        defaulted = moudRng() < 0.6;
      } else if (medication === 'naltrexone') {
        daysSupply = 30;
      } else if (moudRng() < 0.08) {
        daysSupply = usual!;
        defaulted = true;
      } else {
        daysSupply = weighted(moudRng, [[7, 30], [14, 25], [28, 30], [30, 15]] as const);
      }
      const source = verified && moudRng() < 0.8 ? 'verified' : 'participant_reported';
      rows.fills.push({
        id: newId(),
        organization_id: org,
        participant_id: p.participantId,
        course_id: course.id,
        medication,
        filled_on: date,
        days_supply: daysSupply,
        days_supply_defaulted: defaulted ? 1 : 0,
        quantity: formulation === 'sublingual_film' || formulation === 'sublingual_tablet' ? daysSupply * weighted(moudRng, [[1, 30], [2, 55], [3, 15]] as const) : null,
        source,
        verified_by: source === 'verified' ? p.coachId : null,
        ...stamp(date, p.coachId),
      });
      counts.moudFills++;
      list.push({ filledOn: date, daysSupply });
      // Supply on hand adds up (the coverage rule); the next fill comes around when it runs out:
      // usually a day or three early, sometimes late (a gap without medication).
      lastThrough = lastThrough && date <= addDays(lastThrough, 1) ? addDays(lastThrough, daysSupply) : addDays(date, daysSupply - 1);
      const slip = weighted(moudRng, [[-3, 12], [-2, 18], [-1, 20], [0, 20], [1, 8], [3, 8], [6, 6], [12, 5], [25, 3]] as const);
      const due = addDays(lastThrough, 1 + slip + (slip > 0 ? Math.floor(moudRng() * slip) : 0));
      const next = due > date ? due : addDays(date, 1);
      date = next;
    }
    return lastThrough;
  };

  for (const p of x.people) {
    if (!p.full) continue;
    const moud = p.participant.current_moud;
    const prescriberFor = (m: MoudMedication) => pickOr(moudRng, m === 'methadone' ? otpServices : m === 'naltrexone' ? naltrexoneServices : bupServices);
    // How long ago they started: during the episode, or before it for some who came in on medication.
    const startBack = Math.max(1, daysBetween(p.episodeStart, today) + (moudRng() < 0.3 ? Math.floor(moudRng() * 200) : -Math.floor(moudRng() * Math.max(1, daysBetween(p.episodeStart, today)) * 0.5)));
    let startedOn = addDays(today, -Math.max(1, startBack));
    // Medication starts when the person reaches treatment (on the linkage date, or not before it).
    if (p.linkOn && startedOn < p.linkOn) startedOn = p.linkOn;
    else if (p.treatmentFrom && startedOn < p.treatmentFrom) startedOn = p.treatmentFrom;
    const verified = moudRng() < 0.35;
    if ((moud === 'buprenorphine' || moud === 'naltrexone' || moud === 'methadone') && startedOn > today) {
      // Not started yet: working on it.
      addCourse(p, { medication: moud, formulation: moud === 'methadone' ? 'oral_liquid' : moud === 'naltrexone' ? 'extended_release_injection' : 'sublingual_film', status: 'starting', startedOn, prescriber: prescriberFor(moud), pharmacy: null, verified: false });
      p.participant.current_moud = 'none';
      p.participant.moud_source = null;
    } else if (moud === 'buprenorphine' || moud === 'naltrexone') {
      const medication = moud;
      const formulation: MoudFormulation =
        medication === 'buprenorphine'
          ? weighted(moudRng, [['sublingual_film', 68], ['sublingual_tablet', 15], ['buccal_film', 3], ['extended_release_injection', 12], ['implant', 2]] as const)
          : weighted(moudRng, [['extended_release_injection', 75], ['oral_tablet', 25]] as const);
      const course = addCourse(p, { medication, formulation, status: 'active', startedOn, prescriber: prescriberFor(medication), pharmacy: formulation.includes('injection') || formulation === 'implant' ? null : pickOr(moudRng, pharmacies), verified });
      // Some have not refilled for a while (overdue): fills stop some days before today.
      const until = moudRng() < 0.14 ? addDays(today, -(8 + Math.floor(moudRng() * 40))) : today;
      addFills(p, course, medication, formulation, startedOn, until < startedOn ? startedOn : until);
    } else if (moud === 'methadone') {
      const course = addCourse(p, { medication: 'methadone', formulation: moudRng() < 0.9 ? 'oral_liquid' : 'oral_tablet', status: 'active', startedOn, prescriber: prescriberFor('methadone'), pharmacy: null, verified });
      const addPeriod = (start: string, end: string | null) => {
        rows.enrollments.push({
          id: newId(), organization_id: org, participant_id: p.participantId, course_id: course.id, started_on: start, ended_on: end,
          source: course.source, verified_by: course.verified_by, ...stamp(start, p.coachId),
        });
        counts.otpEnrollments++;
      };
      const length = daysBetween(startedOn, today);
      if (length > 60 && moudRng() < 0.2) {
        // Left the program for a while, then came back.
        const firstEnd = addDays(startedOn, 10 + Math.floor(moudRng() * (length - 50)));
        const back = addDays(firstEnd, 8 + Math.floor(moudRng() * Math.min(40, daysBetween(firstEnd, today) - 1)));
        addPeriod(startedOn, firstEnd);
        addPeriod(back <= today ? back : today, null);
      } else {
        addPeriod(startedOn, null);
      }
    } else if (moud === 'none' && moudRng() < 0.25) {
      if (moudRng() < 0.7 && startedOn < today) {
        // Took buprenorphine for a while, then stopped.
        const formulation: MoudFormulation = moudRng() < 0.85 ? 'sublingual_film' : 'sublingual_tablet';
        const until = addDays(startedOn, 14 + Math.floor(moudRng() * Math.max(1, daysBetween(startedOn, today) - 14)));
        const course = addCourse(p, { medication: 'buprenorphine', formulation, status: 'stopped', startedOn, prescriber: prescriberFor('buprenorphine'), pharmacy: pickOr(moudRng, pharmacies), verified });
        const through = addFills(p, course, 'buprenorphine', formulation, startedOn, until > today ? today : until) ?? startedOn;
        const stoppedOn = addDays(through, Math.floor(moudRng() * 10));
        course.stopped_on = stoppedOn > today ? today : stoppedOn;
      } else {
        // Working on getting started: an appointment, a prior authorization.
        const soon = addDays(today, Math.floor(moudRng() * 10));
        addCourse(p, { medication: 'buprenorphine', formulation: 'sublingual_film', status: 'starting', startedOn: moudRng() < 0.6 ? soon : null, prescriber: prescriberFor('buprenorphine'), pharmacy: null, verified: false });
      }
    }
  }
  // Derived columns, as the MOUD module keeps them: every course of a medication carries the
  // coverage of all the person's fills of that medication (methadone: none).
  for (const [pid, list] of coursesOf) {
    for (const c of list) {
      const cov = c.medication === 'methadone' ? null : moudCoverage(fillsOf.get(`${pid}|${c.medication}`) ?? []);
      c.covered_through = cov?.coveredThrough ?? null;
      c.next_refill_due = cov?.nextRefillDue ?? null;
    }
  }
  // current_moud follows the record: the most recently started active course names it.
  for (const p of x.people) {
    const active = activeOf.get(p.participantId);
    if (!active) continue;
    const top = [...active].sort((a, b) => (a.startedOn === b.startedOn ? (a.createdAt < b.createdAt ? 1 : -1) : a.startedOn < b.startedOn ? 1 : -1))[0]!;
    p.participant.current_moud = top.medication;
    p.participant.moud_source = top.source === 'verified' ? 'clinician_verified' : 'participant_reported';
  }

  // ---- linkage: a person who reaches treatment on `linkOn` without a fill or OTP start that day
  // attends a treatment visit then.
  const startsOn = new Set<string>();
  for (const f of rows.fills) startsOn.add(`${f.participant_id}|${f.filled_on}`);
  for (const e of rows.enrollments) startsOn.add(`${e.participant_id}|${e.started_on}`);
  for (const p of x.people) {
    if (!p.linkOn || startsOn.has(`${p.participantId}|${p.linkOn}`)) continue;
    const kind = weighted(apptRng, [['prescriber_follow_up', 40], ['counseling', 40], ['moud_induction', 20]] as const);
    const service = kind === 'counseling' ? pickOr(apptRng, treating.filter((s) => s.types.includes('outpatient_counseling'))) ?? pickOr(apptRng, treating) : pickOr(apptRng, bupServices);
    const start = at(p.linkOn, 8 * 60 + 30 * Math.floor(apptRng() * 18));
    const createdAt = notAfterNow(new Date(Math.min(start.getTime() - DAY, Math.max(start.getTime() - 3 * DAY, at(p.episodeStart, 12 * 60).getTime()))));
    const past = start.getTime() <= nowMs - 3 * 3_600_000;
    addAppointment(p, { kind, start, status: past ? 'attended' : 'scheduled', service, createdAt: createdAt.getTime() > start.getTime() ? start : createdAt, createdBy: p.coachId });
  }

  // ---- referrals

  const refRng = mulberry(x.seed ^ 0xd3a2646c);
  const sentCount = new Map<string, number>();
  for (const p of x.people) {
    if (refRng() >= (p.active ? 0.6 : 0.4)) continue;
    const n = Math.max(1, Math.round(weighted(refRng, [[1, 60], [2, 30], [3, 10]] as const) * referralVolume));
    const windowEnd = p.active ? today : p.dischargeDate!;
    const span = Math.max(0, daysBetween(p.episodeStart, windowEnd));
    for (let k = 0; k < n; k++) {
      const createdOn = addDays(p.episodeStart, Math.floor(refRng() * (span + 1)));
      const created = notAfterNow(at(createdOn, workMinutes(refRng)));
      buildReferral(p, created);
    }
  }

  /**
   * One referral, made at `created`, and what happened to it up to now, step by step as the
   * referrals module records it: `created` (and `sent` through the gate) with a follow-up to-do;
   * the receiver accepting, booking the first visit (a partner's booking moves it to in progress),
   * attendance, linkage (which completes it and closes the to-do), or a refusal, cancellation or
   * failure with its reason. Every status move is a `status` event and bumps the version.
   */
  function buildReferral(p: NavPerson, created: Date): void {
    const createdOn = localDate(created, tz);
    const consent = p.disclosureConsents.length > 0 && refRng() < 0.7;
    // The receiver: a busy partner clinic, another treating provider, a community service, or someone outside the directory.
    let service: DirectoryService | null = null;
    let outside: (typeof OUTSIDE)[number] | null = null;
    const r = refRng();
    if (consent && partnerOrgs.length > 0 && r < 0.8) service = pick(refRng, partnerServices[weighted(refRng, partnerWeights)]!);
    else if (r < 0.55 && treating.length > 0) service = pick(refRng, treating);
    else if (r < 0.95 && others.length > 0) service = pick(refRng, others);
    else outside = pick(refRng, OUTSIDE);
    const draft = refRng() < 0.03;
    const urgency = weighted(refRng, URGENCIES);
    const notes = consent && refRng() < 0.4 ? 'Prefers afternoon appointments; text before calling.' : null;
    const { reason, kind: visitKind } = service ? reasonFor(service.types) : { reason: outside!.type === 'other' ? 'Check-in required by probation' : 'Benefits and housing paperwork', kind: 'other' };

    // Sent only where the gate lets it through: a treating provider, under the person's TPO consent.
    let sent: { consent: ConsentRecord; categories: Category[] } | null = null;
    if (!draft && consent && service && service.org.type === 'treating_provider') {
      const categories = [...pick(refRng, SENT_CATEGORIES)];
      const v = evaluate(p.disclosureConsents, [], { recipient: recipientOf(service), purpose: 'treatment', categories }, createdOn);
      if (v.ok) sent = { consent: v.consent, categories };
    }
    const id = newId(created.getTime());
    const partner = sent && service ? partnerOf.get(service.org.id) : undefined;
    const actorOf = (who: 'staff' | 'partner') => (who === 'partner' && partner ? partner.userId : p.coachId);

    const events: Row<'referral_events'>[] = [];
    let version = 1;
    let status: ReferralStatus = draft ? 'draft' : 'requested';
    let statusReason: string | null = null;
    let statusAt = created;
    let statusBy = p.coachId;
    let updatedAt = created;
    const event = (kind: string, when: Date, who: 'staff' | 'partner', e: { from?: ReferralStatus | null; to?: ReferralStatus | null; reason?: string | null } = {}) => {
      events.push({
        id: newId(when.getTime()), organization_id: org, referral_id: id, participant_id: p.participantId, kind, from_status: e.from ?? null, to_status: e.to ?? null,
        reason: e.reason ?? null, actor_kind: who === 'partner' && partner ? 'partner' : 'staff', actor_user_id: actorOf(who), occurred_at: when.toISOString(),
      });
    };
    event('created', created, 'staff', { to: status });

    let disclosureId: string | null = null;
    if (sent && service) {
      disclosureId = newId();
      const payload = {
        referral: { id, referredOn: createdOn, service: service.name, reason, urgency, notesForReceiver: notes },
        ...summaryFor(sent.categories, participantView(p.participant)),
      };
      rows.disclosures.push({
        id: disclosureId, organization_id: org, participant_id: p.participantId, disclosed_at: created.toISOString(), recipient: JSON.stringify(recipientOf(service)),
        categories: JSON.stringify(sent.categories), purpose: 'treatment', purpose_of_use: PURPOSE_OF_USE.treatment, consent_id: sent.consent.id, legal_basis: 'consent',
        legal_basis_detail: null, payload: JSON.stringify(payload), notice: consentNotice(sent.consent), batch_id: null, disclosed_by: p.coachId,
      });
      counts.disclosures++;
      version++;
      event('sent', created, 'staff');
    }

    // A requested referral waits for an outcome: the follow-up to-do on the coach's list.
    const followUpOn = draft ? null : addDays(createdOn, x.followUpDays);
    let todo: Row<'todos'> | null = null;
    if (followUpOn) {
      todo = {
        id: newId(), organization_id: org, participant_id: p.participantId, kind: 'referral', owner_user_id: p.coachId, due_on: followUpOn, due_time: null,
        due_at: at(addDays(followUpOn, 1), 0).toISOString(), severity: urgency === 'routine' ? 'normal' : 'high', title: 'Check whether the referral led to a visit', note: null,
        clears_on: 'manual', source_type: 'referral', source_id: id, status: 'open', resolution: null, completed_at: null, completed_by: null,
        created_by: p.coachId, created_at: created.toISOString(), updated_at: created.toISOString(), version: 1,
      };
      rows.todos.push(todo);
      counts.referralTodos++;
      version++;
    }
    const move = (when: Date, who: 'staff' | 'partner', to: ReferralStatus, reason: string | null = null) => {
      event('status', when, who, { from: status, to, reason });
      status = to;
      statusReason = reason;
      statusAt = when;
      statusBy = actorOf(who);
      updatedAt = when;
      version++;
      if (todo && todo.status === 'open' && (to === 'completed' || to === 'rejected' || to === 'cancelled' || to === 'failed')) {
        Object.assign(todo, {
          status: to === 'completed' ? 'done' : 'cancelled', resolution: to === 'completed' ? 'referral_outcome' : 'referral_closed',
          completed_at: when.toISOString(), completed_by: actorOf(who), updated_at: when.toISOString(), version: 2,
        });
      }
    };

    // What happens next, cut off at now: linked to care within 30 days for about two in three.
    let linkage: { kind: string; on: string; source: string; at: Date; by: string } | null = null;
    let booked: { start: Date; createdAt: Date; by: string } | null = null;
    let outcome: { status: 'attended' | 'missed'; at: Date; by: string } | null = null;
    if (!draft) {
      const who: 'staff' | 'partner' = partner ? 'partner' : 'staff';
      // Linked more often than the 65% the measure shows: a visit before the person reaches treatment is missed (below).
      let story = weighted(refRng, [['linked', 76], ['linked_late', 4], ['rejected', 6], ['cancelled', 5], ['failed', 4], ['open', 5]] as const);
      const acceptAt = new Date(created.getTime() + (2 + Math.floor(refRng() * 58)) * 3_600_000);
      const visitDay = story === 'linked' ? 1 + Math.floor(refRng() ** 1.6 * 27) : story === 'linked_late' ? 31 + Math.floor(refRng() * 30) : 2 + Math.floor(refRng() * 20);
      const minutes = 8 * 60 + 30 * Math.floor(refRng() * 16);
      let visit = at(addDays(createdOn, visitDay), minutes);
      // The first visit comes after the receiver answered (the next day at the earliest).
      if (visit.getTime() < acceptAt.getTime() + 12 * 3_600_000) visit = at(addDays(localDate(acceptAt, tz), 1), minutes);
      // Before the person reaches treatment, a booked first visit is missed.
      if ((story === 'linked' || story === 'linked_late') && p.treatmentFrom && localDate(visit, tz) < p.treatmentFrom) story = 'failed';
      const bookAt = new Date(acceptAt.getTime() + Math.min(Math.floor(refRng() * 20) * 3_600_000, visit.getTime() - acceptAt.getTime() - 3_600_000));
      const record = new Date(visit.getTime() + (1 + Math.floor(refRng() * 30)) * 3_600_000);
      const acceptFirst = refRng() < 0.6;
      const steps: [Date, () => void][] = [];
      /** The first visit is booked: by the partner (which moves the referral to in progress), or by the coach. */
      const book = () =>
        steps.push([
          bookAt,
          () => {
            booked = { start: visit, createdAt: bookAt, by: actorOf(who) };
            if (who === 'partner') {
              if (status === 'requested') move(bookAt, 'partner', 'accepted');
              if (status === 'accepted') move(bookAt, 'partner', 'in_progress');
              version++;
              event('scheduled', bookAt, 'partner');
            }
            updatedAt = bookAt;
          },
        ]);
      const accept = () => steps.push([acceptAt, () => move(acceptAt, who, 'accepted')]);
      if (story === 'rejected') {
        steps.push([acceptAt, () => move(acceptAt, who, 'rejected', pick(refRng, REJECT_REASONS))]);
      } else if (story === 'cancelled') {
        const when = new Date(created.getTime() + (1 + Math.floor(refRng() * 10)) * DAY);
        const why = pick(refRng, CANCEL_REFERRAL_REASONS);
        steps.push([when, () => move(when, 'staff', 'cancelled', why)]);
      } else if (story === 'failed') {
        accept();
        book();
        const failAt = new Date(record.getTime() + (1 + Math.floor(refRng() * 6)) * DAY);
        const why = pick(refRng, FAIL_REASONS);
        steps.push([
          record,
          () => {
            outcome = { status: 'missed', at: record, by: actorOf(who) };
            if (who === 'partner') {
              event('attendance', record, 'partner', { reason: 'did_not_attend' });
              version++;
            }
            updatedAt = record;
          },
        ]);
        steps.push([failAt, () => move(failAt, who, 'failed', why)]);
      } else if (story === 'open') {
        if (refRng() < 0.5) accept();
        // A first visit still ahead (an older one without an answer is what the follow-up is for).
        if (visit.getTime() > nowMs && refRng() < 0.6) book();
      } else {
        if (acceptFirst) accept();
        book();
        // Who learned of it: the partner confirming attendance; else the coach marking the visit
        // attended (staff verified), or recording what the person or records said.
        const viaAppointment = who === 'partner' || refRng() < 0.7;
        const source = who === 'partner' ? 'partner_confirmed' : viaAppointment ? 'staff_verified' : weighted(refRng, [['participant_reported', 60], ['records', 40]] as const);
        const kind = visitKind === 'moud_induction' && (who === 'partner' || !viaAppointment) && refRng() < 0.5 ? 'moud_started' : 'appointment_attended';
        steps.push([
          record,
          () => {
            outcome = { status: 'attended', at: record, by: actorOf(who) };
            if (who === 'partner') event('attendance', record, 'partner', { reason: 'attended' });
            linkage = { kind, on: localDate(visit, tz), source, at: record, by: actorOf(who) };
            version++;
            event('linked', record, who, { reason: kind });
            // The loop closes: through the lifecycle's steps to completed.
            if (status === 'requested') move(record, who, 'accepted');
            if (status === 'accepted') move(record, who, 'in_progress');
            if (status === 'in_progress') move(record, who, 'completed');
          },
        ]);
      }
      for (const [when, run] of steps) if (when.getTime() <= nowMs) run();
    }

    // The visit booked for it: attended, missed, or still ahead (or not yet marked).
    let appointmentId: string | null = null;
    const b = booked as { start: Date; createdAt: Date; by: string } | null;
    const o = outcome as { status: 'attended' | 'missed'; at: Date; by: string } | null;
    if (b) {
      appointmentId = addAppointment(p, {
        kind: partner ? 'intake' : visitKind, start: b.start, status: o?.status ?? 'scheduled', service, place: service ? (service.place ?? service.name) : outside!.name,
        providerName: service ? service.org.name : outside!.name, createdAt: b.createdAt, createdBy: b.by, changedBy: o?.by, changedAt: o?.at ?? null, referralId: id,
      });
    }
    const lk = linkage as { kind: string; on: string; source: string; at: Date; by: string } | null;
    rows.referrals.push({
      id,
      organization_id: org,
      participant_id: p.participantId,
      directory_service_id: service?.id ?? null,
      directory_organization_id: service?.org.id ?? null,
      receiver_name: service?.org.name ?? outside!.name,
      receiver_type: service?.org.type ?? outside!.type,
      service_name: service?.name ?? null,
      receiver_contact: outside?.contact ?? null,
      mode: sent ? 'sent' : 'logged',
      reason,
      urgency,
      notes_for_receiver: notes,
      status,
      status_reason: statusReason,
      status_changed_at: statusAt.toISOString(),
      status_changed_by: statusBy,
      requested_at: draft ? null : created.toISOString(),
      disclosure_id: disclosureId,
      consent_id: sent?.consent.id ?? null,
      sent_at: sent ? created.toISOString() : null,
      appointment_id: appointmentId,
      linkage_kind: lk?.kind ?? null,
      linked_on: lk?.on ?? null,
      linkage_source: lk?.source ?? null,
      linkage_recorded_at: lk ? lk.at.toISOString() : null,
      linkage_recorded_by: lk?.by ?? null,
      coach_user_id: p.coachId,
      follow_up_on: followUpOn,
      follow_up_todo_id: todo ? (todo.id) : null,
      created_by: p.coachId,
      created_at: created.toISOString(),
      updated_at: updatedAt.toISOString(),
      version,
    });
    rows.referralEvents.push(...events);
    counts.referrals++;
    counts.referralEvents += events.length;
    if (sent && service) {
      counts.sentReferrals++;
      sentCount.set(service.org.id, (sentCount.get(service.org.id) ?? 0) + 1);
    }
    if (lk) counts.linkedReferrals++;
  }

  const partnerEmails = partnerOrgs
    .map((o) => ({ email: partnerOf.get(o.id)!.email, n: sentCount.get(o.id) ?? 0 }))
    .sort((a, b) => b.n - a.n || a.email.localeCompare(b.email))
    .map((p) => p.email);
  return { rows, counts, partnerEmails };
}

const recipientOf = (s: DirectoryService) => ({ kind: 'organization' as const, name: s.org.name, type: s.org.type as 'treating_provider', refId: s.org.id });

const pickOr = <T>(rng: Rng, items: readonly T[]): T | null => (items.length ? pick(rng, items) : null);

/** What `summaryFor` reads of a participant, from the row about to be inserted. */
function participantView(r: Row<'participants'>): ParticipantRecord {
  return {
    firstName: r.first_name,
    lastName: r.last_name,
    preferredName: r.preferred_name ?? null,
    dateOfBirth: r.date_of_birth ?? null,
    phone: r.phone ?? null,
    currentMoud: r.current_moud ?? null,
    moudSource: r.moud_source ?? null,
    primarySubstance: r.primary_substance ?? null,
    secondarySubstance: r.secondary_substance ?? null,
    routeOfUse: r.route_of_use ?? null,
  } as unknown as ParticipantRecord;
}

/** mulberry32 (as in generate.ts; repeated here to keep the import graph one-way). */
function mulberry(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The de-identified research export (issue 7) under HIPAA Safe Harbor, 45 CFR 164.514(b)(2).
 * The method, and how each of the 18 identifiers is handled, is in docs/RESEARCH-EXPORT.md and in
 * the dictionary (research-export.dictionary.ts).
 *
 * The cohort: every episode enrolled in the years `from`…`to` (local dates in the organization's
 * time zone), of participants not merged into another record. Each participant gets a random
 * study id for this export only. Events are the participant's life events, contacts, referrals,
 * appointments, MOUD fills and BARC-10 totals that fall within one of those episodes (from 30
 * days before its enrollment to its discharge, or to today while open), timed in days since that
 * episode's enrollment. Rows are sorted by study id, so their order says nothing about when a
 * record was made.
 *
 * The disclosure gate. `disclose()` (modules/consents) is how *participant information* leaves
 * the organization: it needs a 42 CFR Part 2 consent (or a §2.51–2.67 legal basis) per person and
 * writes an entry in each person's accounting of disclosures. A dataset de-identified under the
 * Safe Harbor method is not protected health information (164.514(a)), and Part 2 restricts only
 * "patient identifying information" (§2.11, with the 2024 rule's de-identification standard of
 * 164.514(b)); so it needs no consent, and an accounting is owed only for PHI (164.528). Routing
 * it through disclose() would refuse the export for everyone without a research consent and would
 * put a "disclosure" in every participant's accounting that discloses nothing about them. So it
 * does not go through disclose(). What the gate still does here: only roles that answer for the
 * whole organization's data may export (`research.export`), the export states its purpose and its
 * recipient, and it is recorded as one `research.export` audit event (purpose, recipient, years,
 * format, row counts, and the participants included as targets — ids only, never personal data)
 * written in the same transaction that read the data, so no export leaves unrecorded.
 */
import type { Ctx } from '../../platform/http/context.js';
import { errors } from '../../platform/errors.js';
import { localDate } from '../../platform/time.js';
import { findOrganization } from '../organizations/organizations.repository.js';
import { DISCHARGE_REASONS, ETHNICITIES, INSURANCE_TYPES, RACES, SEX_AT_BIRTH } from '../../../contracts/participants.js';
import { ENCOUNTER_MODES, ENCOUNTER_TYPES } from '../../../contracts/encounters.js';
import { REFERRAL_STATUSES } from '../../../contracts/referrals.js';
import { APPOINTMENT_KINDS, APPOINTMENT_STATUSES } from '../../../contracts/appointments.js';
import { MOUD_MEDICATIONS } from '../../../contracts/moud-rules.js';
import type { ResearchExport, ResearchExportQuery } from '../../../contracts/research-export.js';
import { addDays, code, daysBetween, studyIds, yearOf, yearOfBirth, zip3 } from './research-export.deid.js';
import * as repo from './research-export.repository.js';

type Participant = ResearchExport['tables']['participants'][number];
type Episode = ResearchExport['tables']['episodes'][number];
type Event = ResearchExport['tables']['events'][number];

/** Events up to this many days before an enrollment belong to it (the ED visit that led to it). */
export const DAYS_BEFORE_ENROLLMENT = 30;

const EMPTY_EVENT: Omit<Event, 'study_id' | 'episode_number' | 'kind' | 'days_since_enrollment'> = {
  fatal: null,
  encounter_type: null,
  encounter_mode: null,
  reached: null,
  referral_status: null,
  days_to_first_attended: null,
  appointment_kind: null,
  appointment_status: null,
  medication: null,
  days_supply: null,
  barc10_total: null,
};

interface Span {
  studyId: string;
  number: number;
  start: string;
  /** Discharge date, or today while open. */
  end: string;
}

export async function researchExport(ctx: Ctx, q: ResearchExportQuery): Promise<ResearchExport> {
  const { organizationId } = ctx.actor;
  const tz = (await findOrganization(ctx.db, organizationId))?.timeZone ?? 'UTC';
  const today = localDate(ctx.clock.now(), tz);
  const thisYear = yearOf(today)!;
  if (q.to > thisYear) throw errors.invalid('query.to', `Choose a year up to ${thisYear}`);

  const episodes = await repo.cohortEpisodes(ctx.db, organizationId, `${q.from}-01-01`, `${q.to}-12-31`);
  const participantIds = [...new Set(episodes.map((e) => e.participantId))];
  const ids = studyIds(participantIds.length);
  const studyIdOf = new Map(participantIds.map((id, i) => [id, ids[i]!]));

  // Episodes numbered per participant in order of enrollment (ties: by discharge, open last).
  const byParticipant = new Map<string, repo.CohortEpisode[]>();
  for (const e of episodes) byParticipant.set(e.participantId, [...(byParticipant.get(e.participantId) ?? []), e]);
  const spans = new Map<string, Span[]>();
  const episodeRows: Episode[] = [];
  for (const [pid, list] of byParticipant) {
    list.sort((a, b) => a.startDate.localeCompare(b.startDate) || (a.dischargeDate ?? '9999').localeCompare(b.dischargeDate ?? '9999'));
    const studyId = studyIdOf.get(pid)!;
    spans.set(pid, list.map((e, i) => ({ studyId, number: i + 1, start: e.startDate, end: e.dischargeDate && e.dischargeDate < today ? e.dischargeDate : today })));
    list.forEach((e, i) =>
      episodeRows.push({
        study_id: studyId,
        episode_number: i + 1,
        enrollment_year: yearOf(e.startDate)!,
        days_to_discharge: e.dischargeDate ? daysBetween(e.startDate, e.dischargeDate) : null,
        discharge_reason: e.dischargeDate || e.dischargeReason ? code(DISCHARGE_REASONS, e.dischargeReason, 'other') : null,
      }),
    );
  }

  const participants: Participant[] = (await repo.demographics(ctx.db, organizationId, participantIds)).map((p) => ({
    study_id: studyIdOf.get(p.id)!,
    year_of_birth: yearOfBirth(yearOf(p.dateOfBirth) ?? p.birthYear, thisYear),
    sex: code(SEX_AT_BIRTH, p.sexAtBirth),
    race: races(p.race),
    ethnicity: code(ETHNICITIES, p.ethnicity),
    insurance_type: code(INSURANCE_TYPES, p.insuranceType, 'other'),
    zip3: zip3(p.zip),
    enrollment_year: yearOf(spans.get(p.id)![0]!.start)!,
  }));

  const earliest = episodes.reduce((m, e) => (e.startDate < m ? e.startDate : m), `${q.from}-01-01`);
  const since = addDays(earliest, -DAYS_BEFORE_ENROLLMENT - 1);
  const h = await repo.history(ctx.db, organizationId, participantIds, since, `${since}T00:00:00.000Z`);
  const events = buildEvents(h, spans, tz, deceasedOn(episodes));

  const byStudyId = <T extends { study_id: string }>(a: T, b: T) => a.study_id.localeCompare(b.study_id);
  participants.sort(byStudyId);
  episodeRows.sort((a, b) => byStudyId(a, b) || a.episode_number - b.episode_number);
  events.sort((a, b) => byStudyId(a, b) || a.episode_number - b.episode_number || a.days_since_enrollment - b.days_since_enrollment || a.kind.localeCompare(b.kind));

  const rowCounts = { participants: participants.length, episodes: episodeRows.length, events: events.length };
  await ctx.audit({
    action: 'research.export',
    targetType: 'participant',
    targetIds: participantIds,
    details: { method: 'hipaa_safe_harbor', fromYear: q.from, toYear: q.to, format: q.format, table: q.table ?? null, purpose: q.purpose, recipient: q.recipient, rowCounts },
  });
  return { method: 'hipaa_safe_harbor', fromYear: q.from, toYear: q.to, purpose: q.purpose, rowCounts, tables: { participants, episodes: episodeRows, events } };
}

/** Race is stored as a JSON array of codes; codes outside the OMB list are dropped. */
function races(json: string): string | null {
  let list: unknown;
  try {
    list = JSON.parse(json);
  } catch {
    return null;
  }
  if (!Array.isArray(list)) return null;
  const codes = [...new Set(list.map((r) => code(RACES, typeof r === 'string' ? r : null)).filter((r): r is (typeof RACES)[number] => r !== null))].sort();
  return codes.length > 0 ? codes.join(';') : null;
}

/** Per participant, the discharge dates of episodes discharged as deceased. */
function deceasedOn(episodes: readonly repo.CohortEpisode[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const e of episodes) if (e.dischargeReason === 'deceased' && e.dischargeDate) m.set(e.participantId, [...(m.get(e.participantId) ?? []), e.dischargeDate]);
  return m;
}

function buildEvents(h: repo.History, spans: Map<string, Span[]>, tz: string, deceased: Map<string, string[]>): Event[] {
  const events: Event[] = [];
  const local = (instant: string) => localDate(new Date(instant), tz);
  const add = (participantId: string, on: string, kind: Event['kind'], fields: Partial<Event>) => {
    const span = spanOf(spans.get(participantId), on);
    if (!span) return;
    events.push({ ...EMPTY_EVENT, ...fields, study_id: span.studyId, episode_number: span.number, kind, days_since_enrollment: daysBetween(span.start, on) });
  };

  // A fatal overdose: the latest overdose on or before the discharge of an episode discharged as deceased.
  const fatal = new Set<string>();
  for (const [pid, dates] of deceased) {
    const overdoses = h.lifeEvents.filter((e) => e.participantId === pid && e.kind === 'overdose');
    for (const d of dates) {
      const last = overdoses.filter((o) => o.on <= d).sort((a, b) => b.on.localeCompare(a.on))[0];
      if (last) fatal.add(`${pid}|${last.on}`);
    }
  }
  for (const e of h.lifeEvents) {
    if (e.kind === 'overdose') add(e.participantId, e.on, 'overdose', { fatal: fatal.has(`${e.participantId}|${e.on}`) });
    else if (e.kind === 'hospital_admission') add(e.participantId, e.on, 'admission', {});
    else if (e.kind === 'ed_visit' || e.kind === 'return_to_use') add(e.participantId, e.on, e.kind, {});
  }
  for (const e of h.encounters) {
    add(e.participantId, local(e.startedAt), 'encounter', { encounter_type: code(ENCOUNTER_TYPES, e.type), encounter_mode: code(ENCOUNTER_MODES, e.mode), reached: e.reached });
  }
  const firstAttended = new Map<string, string>();
  for (const a of h.appointments) {
    if (a.status !== 'attended' || !a.referralId) continue;
    const on = local(a.startsAt);
    const seen = firstAttended.get(a.referralId);
    if (!seen || on < seen) firstAttended.set(a.referralId, on);
  }
  for (const r of h.referrals) {
    const on = local(r.at);
    const attended = [firstAttended.get(r.id), r.linkedOn].filter((d): d is string => !!d).sort()[0];
    add(r.participantId, on, 'referral', { referral_status: code(REFERRAL_STATUSES, r.status), days_to_first_attended: attended ? daysBetween(on, attended) : null });
  }
  for (const a of h.appointments) {
    add(a.participantId, local(a.startsAt), 'appointment', { appointment_kind: code(APPOINTMENT_KINDS, a.kind, 'other'), appointment_status: code(APPOINTMENT_STATUSES, a.status) });
  }
  for (const f of h.moudFills) {
    add(f.participantId, f.filledOn, 'moud_fill', { medication: code(MOUD_MEDICATIONS, f.medication), days_supply: Number.isInteger(f.daysSupply) ? f.daysSupply : null });
  }
  for (const b of h.barc10) {
    if (Number.isInteger(b.score) && b.score >= 10 && b.score <= 60) add(b.participantId, b.answeredOn, 'barc10', { barc10_total: b.score });
  }
  return events;
}

/** The episode an event on `on` belongs to: of those covering it, the one enrolled last. */
function spanOf(list: readonly Span[] | undefined, on: string): Span | undefined {
  let found: Span | undefined;
  for (const s of list ?? []) if (addDays(s.start, -DAYS_BEFORE_ENROLLMENT) <= on && on <= s.end) found = s;
  return found;
}

/**
 * Importing program history (issue 7; the format is docs/IMPORT.md). One path for the CLI and
 * the CSV routes: check everything first (the contract, then what needs the database: the time
 * zone, programs, sites and staff by name or email, references between rows, rule boundaries),
 * report every problem by row, and only then write all or nothing in the caller's transaction.
 *
 * Every row carries an external id; the pair (kind, external id) is kept per organization
 * (import_external_ids), so importing the same rows again updates the records made the first
 * time. Fields a row leaves out are left as they are on update.
 *
 * History makes no work: rows are written through the repositories (or as the same rows they
 * write), never through the use cases that schedule ED follow-up to-dos (encounters, ed),
 * referral follow-ups (referrals), appointment reminders (appointments), refill reminders (moud
 * coverage) or BARC-10 and check-in alerts (questionnaires, checkins). Audited as one
 * `import.apply` row with counts only.
 */
import { BARC10_V1 } from '../questionnaires/questionnaires.shipped.js';
import { scoreAnswers } from '../../../contracts/questionnaires.js';
import { defaultDaysSupply, FORMULATIONS_OF, usesFills } from '../../../contracts/moud-rules.js';
import {
  HistoryFile,
  IMPORT_MAX_ERRORS,
  IMPORT_SECTIONS,
  type ImportKind,
  type ImportProblem,
  type ImportResult,
  type ImportSection,
} from '../../../contracts/imports.js';
import type { Clock } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/database.js';
import type { AuditInput } from '../../platform/http/context.js';
import { AppError } from '../../platform/errors.js';
import { localDate } from '../../platform/time.js';
import { insertEpisode, insertParticipant, isUniqueViolation, searchKey, updateEpisode, updateParticipant } from '../participants/participants.repository.js';
import { refreshContactSummary } from '../encounters/contact-summary.js';
import * as repo from './imports.repository.js';

export interface ImportDeps {
  db: Executor;
  clock: Clock;
  organizationId: string;
  /** Who the records are made by: the signed-in user, or the CLI's admin (`--as`). */
  actorUserId: string;
  audit: (e: AuditInput) => Promise<void>;
  /** Where the import came from, for the audit row (`cli`, `csv`). */
  via: string;
}

/** `participants[3].dateOfBirth` from a zod path. */
export function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(file)';
}

export function rejected(problems: readonly ImportProblem[]): AppError {
  const n = problems.length;
  return new AppError('validation.failed', `The file has ${n} problem${n === 1 ? '' : 's'}; nothing was imported. Fix ${n === 1 ? 'it' : 'them'} and import the file again.`, {
    details: { errorCount: n, errors: problems.slice(0, IMPORT_MAX_ERRORS) },
  });
}

/** The file as the contract reads it, or its problems by row. */
export function parseHistory(input: unknown): { ok: true; file: HistoryFile } | { ok: false; problems: ImportProblem[] } {
  const r = HistoryFile.safeParse(input);
  if (r.success) return { ok: true, file: r.data };
  return { ok: false, problems: r.error.issues.map((i) => ({ path: pathOf(i.path), message: i.message })) };
}

type Maps = Record<ImportKind, Map<string, string>>;
const SECTIONS = Object.keys(IMPORT_SECTIONS) as ImportSection[];

/** What the database tells about the file: existing records by external id, places and staff. */
interface Resolved {
  timeZone: string;
  today: string;
  known: Maps;
  programs: Map<string, string | null>;
  sites: Map<string, string | null>;
  staff: Map<string, string>;
}

async function resolve(deps: ImportDeps, file: HistoryFile): Promise<Resolved> {
  const org = await repo.organizationOf(deps.db, deps.organizationId);
  if (!org) throw new AppError('record.not_found', 'That organization was not found.');
  const known = {} as Maps;
  for (const section of SECTIONS) {
    const kind = IMPORT_SECTIONS[section];
    known[kind] = await repo.knownExternalIds(deps.db, deps.organizationId, kind, file[section].map((r) => r.externalId));
  }
  // References to rows imported earlier (not in this file).
  const refs = (ids: (string | null | undefined)[]) => ids.filter((x): x is string => !!x);
  const extra = async (kind: ImportKind, ids: string[]) => {
    const missing = ids.filter((id) => !known[kind].has(id));
    for (const [k, v] of await repo.knownExternalIds(deps.db, deps.organizationId, kind, missing)) known[kind].set(k, v);
  };
  await extra('participant', refs(SECTIONS.filter((s) => s !== 'participants').flatMap((s) => (file[s] as { participant: string }[]).map((r) => r.participant))));
  await extra('episode', refs(file.encounters.map((e) => e.episode)));
  await extra('referral', refs(file.appointments.map((a) => a.referral)));
  const { programs, sites } = await repo.namedPlaces(deps.db, deps.organizationId);
  const staff = await repo.staffByEmail(deps.db, deps.organizationId, refs([...file.episodes.map((e) => e.coach), ...file.encounters.map((e) => e.author)]));
  return { timeZone: org.timeZone, today: localDate(deps.clock.now(), org.timeZone), known, programs, sites, staff };
}

/** The checks that need more than one row or the database. */
function check(file: HistoryFile, r: Resolved): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const problem = (path: string, message: string) => void problems.push({ path, message });
  if (file.timeZone !== r.timeZone) problem('timeZone', `Dates must be local to the organization’s time zone, ${r.timeZone}: convert the file to it and set timeZone to "${r.timeZone}"`);

  for (const section of SECTIONS) {
    const seen = new Map<string, number>();
    (file[section] as { externalId: string }[]).forEach((row, i) => {
      const first = seen.get(row.externalId);
      if (first !== undefined) problem(`${section}[${i}].externalId`, `The id "${row.externalId}" is used twice (also ${section}[${first}]): give each row its own id`);
      else seen.set(row.externalId, i);
    });
  }
  const inFile = (section: ImportSection) => new Set((file[section] as { externalId: string }[]).map((x) => x.externalId));
  const people = inFile('participants');
  const episodes = inFile('episodes');
  const referrals = inFile('referrals');
  const personRef = (path: string, id: string) => {
    if (!people.has(id) && !r.known.participant.has(id)) problem(path, `No participant with the id "${id}" in this file or an earlier import`);
  };
  const past = (path: string, date: string, what: string) => {
    if (date > r.today) problem(path, `${what} is after today (${r.today}): import history only`);
  };
  const instantDay = (instant: string) => localDate(new Date(instant), r.timeZone);

  const open = new Map<string, number>();
  file.episodes.forEach((e, i) => {
    const at = `episodes[${i}]`;
    personRef(`${at}.participant`, e.participant);
    const program = r.programs.get(e.program.toLowerCase());
    if (program === undefined) problem(`${at}.program`, `No program named "${e.program}" in this organization: add it first, or use its exact name`);
    if (program === null) problem(`${at}.program`, `Several programs are named "${e.program}": rename one so the name says which`);
    const site = r.sites.get(e.site.toLowerCase());
    if (site === undefined) problem(`${at}.site`, `No site named "${e.site}" in this organization: add it first, or use its exact name`);
    if (site === null) problem(`${at}.site`, `Several sites are named "${e.site}": rename one so the name says which`);
    if (e.coach && !r.staff.has(e.coach)) problem(`${at}.coach`, 'No staff member of this organization has that email');
    past(`${at}.startDate`, e.startDate, 'The start date');
    if (e.dischargeDate) {
      if (e.dischargeDate < e.startDate) problem(`${at}.dischargeDate`, 'Enter a discharge date on or after the start date');
      past(`${at}.dischargeDate`, e.dischargeDate, 'The discharge date');
      if (e.status && e.status !== 'discharged') problem(`${at}.status`, 'An episode with a discharge date is discharged: set status to "discharged" or leave it out');
    } else {
      if (e.status === 'discharged') problem(`${at}.dischargeDate`, 'Enter the discharge date of a discharged episode');
      if (e.dischargeReason) problem(`${at}.dischargeReason`, 'Enter the discharge date too, or leave the reason out');
      const key = `${e.participant}\u0000${program ?? e.program}`;
      const other = open.get(key);
      if (other !== undefined) problem(`${at}.dischargeDate`, `A person has one open episode per program (episodes[${other}] is open too): give the earlier one its discharge date`);
      else open.set(key, i);
    }
  });
  file.encounters.forEach((e, i) => {
    const at = `encounters[${i}]`;
    personRef(`${at}.participant`, e.participant);
    if (e.episode && !episodes.has(e.episode) && !r.known.episode.has(e.episode)) problem(`${at}.episode`, `No episode with the id "${e.episode}" in this file or an earlier import`);
    if (e.author && !r.staff.has(e.author)) problem(`${at}.author`, 'No staff member of this organization has that email');
    if (instantDay(e.startedAt) > r.today) problem(`${at}.startedAt`, `The contact is after today (${r.today}): import history only`);
    if (e.reached && e.attemptOutcome) problem(`${at}.attemptOutcome`, 'Leave the attempt outcome out of a contact that reached the person');
  });
  file.lifeEvents.forEach((e, i) => {
    personRef(`lifeEvents[${i}].participant`, e.participant);
    past(`lifeEvents[${i}].occurredOn`, e.occurredOn, 'The date');
  });
  file.referrals.forEach((e, i) => {
    personRef(`referrals[${i}].participant`, e.participant);
    past(`referrals[${i}].madeAt`, instantDay(e.madeAt), 'The referral');
    if (e.linkage && e.linkage.on < instantDay(e.madeAt)) problem(`referrals[${i}].linkage.on`, 'Enter a linkage date on or after the day the referral was made');
  });
  file.appointments.forEach((e, i) => {
    const at = `appointments[${i}]`;
    personRef(`${at}.participant`, e.participant);
    if (e.referral && !referrals.has(e.referral) && !r.known.referral.has(e.referral)) problem(`${at}.referral`, `No referral with the id "${e.referral}" in this file or an earlier import`);
    if (e.status !== 'scheduled' && e.status !== 'cancelled' && instantDay(e.startsAt) > r.today) problem(`${at}.status`, 'An appointment after today has no outcome yet: set status to "scheduled"');
  });
  file.moudFills.forEach((e, i) => {
    const at = `moudFills[${i}]`;
    personRef(`${at}.participant`, e.participant);
    past(`${at}.filledOn`, e.filledOn, 'The fill date');
    if (!usesFills(e.medication)) problem(`${at}.medication`, 'Methadone is dispensed by an opioid treatment program: import its enrollment periods as otpPeriods');
    else if (!FORMULATIONS_OF[e.medication].includes(e.formulation)) problem(`${at}.formulation`, `${e.medication} does not come as ${e.formulation}: choose from ${FORMULATIONS_OF[e.medication].join(', ')}`);
    else if (e.daysSupply == null && defaultDaysSupply(e.medication, e.formulation) === null) problem(`${at}.daysSupply`, 'Enter the days supply (this formulation has no default)');
  });
  file.otpPeriods.forEach((e, i) => {
    personRef(`otpPeriods[${i}].participant`, e.participant);
    past(`otpPeriods[${i}].startedOn`, e.startedOn, 'The start date');
    if (e.endedOn && e.endedOn < e.startedOn) problem(`otpPeriods[${i}].endedOn`, 'Enter an end date on or after the start date');
  });
  file.questionnaireResponses.forEach((e, i) => {
    personRef(`questionnaireResponses[${i}].participant`, e.participant);
    past(`questionnaireResponses[${i}].answeredOn`, e.answeredOn, 'The date');
    const scored = scoreAnswers(BARC10_V1.items, BARC10_V1.scoring, e.answers);
    if (!scored.ok) for (const p of scored.problems) problem(`questionnaireResponses[${i}].${p.path}`, p.message);
  });
  return problems;
}

/** Check the whole file and, unless `dryRun`, write it. Throws `validation.failed` with every problem by row. */
export async function importHistory(deps: ImportDeps, input: unknown, o: { dryRun: boolean }): Promise<ImportResult> {
  const parsed = parseHistory(input);
  if (!parsed.ok) throw rejected(parsed.problems);
  const file = parsed.file;
  const resolved = await resolve(deps, file);
  const problems = check(file, resolved);
  if (problems.length) throw rejected(problems);

  const counts: ImportResult['counts'] = {};
  for (const section of SECTIONS) {
    const known = resolved.known[IMPORT_SECTIONS[section]];
    const rows = file[section] as { externalId: string }[];
    const updated = rows.filter((row) => known.has(row.externalId)).length;
    counts[section] = { created: rows.length - updated, updated };
  }
  if (!o.dryRun) await apply(deps, file, resolved, counts);
  const total = Object.values(counts).reduce((t, c) => ({ created: t.created + c.created, updated: t.updated + c.updated }), { created: 0, updated: 0 });
  await deps.audit({ action: o.dryRun ? 'import.dry_run' : 'import.apply', targetType: 'organization', targetIds: [deps.organizationId], details: { via: deps.via, counts } });
  return { dryRun: o.dryRun, counts, total };
}

/** Write every row, in the order references need (people, episodes, referrals before the rest). */
async function apply(deps: ImportDeps, file: HistoryFile, r: Resolved, counts: ImportResult['counts']): Promise<void> {
  const { db, organizationId: org, actorUserId: by } = deps;
  const now = deps.clock.now().toISOString();
  const known = r.known;
  const remember = async (kind: ImportKind, externalId: string, id: string) => {
    known[kind].set(externalId, id);
    await repo.saveExternalId(db, org, kind, externalId, id, now);
  };
  const personId = (ext: string) => known.participant.get(ext)!;
  const touched = new Set<string>();
  const tally = (section: ImportSection, created: boolean, wasKnown: boolean) => {
    // A mapping whose record was removed since is made again: count what happened.
    if (created && wasKnown) {
      counts[section]!.updated--;
      counts[section]!.created++;
    }
  };

  // Participants, through their repository (name search tokens).
  const heads = await repo.participantHeads(db, org, file.participants.map((p) => known.participant.get(p.externalId)).filter((x): x is string => !!x));
  for (const p of file.participants) {
    const { externalId, ...values } = p;
    const id = known.participant.get(externalId);
    const head = id ? heads.get(id) : undefined;
    if (id && head) {
      const names = { firstName: head.firstName, lastName: head.lastName, alias: head.alias, preferredName: head.preferredName };
      for (const k of ['firstName', 'lastName', 'alias', 'preferredName'] as const) if (values[k] !== undefined) names[k] = values[k] ?? null;
      await updateParticipant(db, org, id, head.version, { values, searchName: searchKey(names) }, now);
      touched.add(id);
    } else {
      const newId = await insertParticipant(db, { organizationId: org, values, createdBy: by, now });
      tally('participants', true, !!id);
      await remember('participant', externalId, newId);
      touched.add(newId);
    }
  }

  // Episodes, through their repository (one open episode per program).
  const open = await repo.openEpisodesOf(db, org, [...new Set(file.episodes.map((e) => personId(e.participant)))]);
  const fileEpisodeIds = new Set(file.episodes.map((e) => known.episode.get(e.externalId)).filter(Boolean));
  // Closed episodes first: an episode opened again later in the same program needs the earlier one
  // closed (the one-open-episode index), and a new episode is written open, then closed.
  const order = [...file.episodes.entries()].sort(([, a], [, b]) => Number(!a.dischargeDate) - Number(!b.dischargeDate));
  for (const [i, e] of order) {
    const participantId = personId(e.participant);
    const programId = r.programs.get(e.program.toLowerCase())!;
    const siteId = r.sites.get(e.site.toLowerCase())!;
    const coachId = e.coach ? r.staff.get(e.coach)! : null;
    const status = e.dischargeDate ? 'discharged' : (e.status ?? 'active');
    const existing = known.episode.get(e.externalId);
    if (status !== 'discharged' && open.some((x) => x.participantId === participantId && x.programId === programId && x.id !== existing && !fileEpisodeIds.has(x.id))) {
      throw rejected([{ path: `episodes[${i}]`, message: 'This person already has an open episode in this program that the file does not mention: discharge it first, or give this episode its discharge date' }]);
    }
    const patch = {
      status,
      startDate: e.startDate,
      siteId,
      assignedCoachUserId: coachId,
      dischargeDate: e.dischargeDate ?? null,
      dischargeReason: e.dischargeReason ?? null,
      ...(e.referralSource !== undefined && { referralSource: e.referralSource }),
    } as const;
    try {
      let id = existing;
      if (!id || !(await updateEpisode(db, org, id, undefined, patch, now))) {
        id = await insertEpisode(db, { organizationId: org, participantId, programId, siteId, startDate: e.startDate, referralSource: e.referralSource ?? null, assignedCoachUserId: coachId, createdBy: by, now });
        if (status !== 'active' || e.dischargeDate) await updateEpisode(db, org, id, undefined, patch, now);
        tally('episodes', true, !!existing);
        await remember('episode', e.externalId, id);
      }
      touched.add(participantId);
    } catch (err) {
      if (isUniqueViolation(err)) throw rejected([{ path: `episodes[${i}]`, message: 'A person has one open episode per program: give the earlier episode its discharge date' }]);
      throw err;
    }
  }

  const write = async (section: ImportSection, table: repo.ImportTable, externalId: string, columns: Record<string, unknown>, insertOnly: Record<string, unknown>) => {
    const kind = IMPORT_SECTIONS[section];
    const existing = known[kind].get(externalId);
    const res = await repo.upsertRow(db, table, org, existing, columns, insertOnly, now);
    if (res.created) {
      tally(section, true, !!existing);
      await remember(kind, externalId, res.id);
    }
    return res;
  };
  const stamp = { created_by: by, created_at: now };

  for (const e of file.lifeEvents) {
    const participantId = personId(e.participant);
    await write('lifeEvents', 'life_events', e.externalId, { participant_id: participantId, kind: e.kind, occurred_on: e.occurredOn, source: e.source ?? 'records', ...(e.note !== undefined && { note: e.note }) }, { ...stamp, occurred_at: null, note: null });
    touched.add(participantId);
  }

  for (const e of file.referrals) {
    const participantId = personId(e.participant);
    const madeAt = new Date(e.madeAt).toISOString();
    const res = await write(
      'referrals',
      'referrals',
      e.externalId,
      {
        participant_id: participantId,
        receiver_name: e.receiverName,
        receiver_type: e.receiverType,
        reason: e.reason,
        urgency: e.urgency ?? 'routine',
        status: e.status,
        status_changed_at: madeAt,
        requested_at: e.status === 'draft' ? null : madeAt,
        linkage_kind: e.linkage?.kind ?? null,
        linked_on: e.linkage?.on ?? null,
        linkage_source: e.linkage ? 'records' : null,
        linkage_recorded_at: e.linkage ? now : null,
        linkage_recorded_by: e.linkage ? by : null,
        // The measures read the day a referral was made from created_at (measures.loader.ts).
        created_at: madeAt,
      },
      { created_by: by, mode: 'logged', status_changed_by: by, directory_service_id: null, directory_organization_id: null, follow_up_on: null, follow_up_todo_id: null },
    );
    if (res.created) await repo.insertReferralCreated(db, { organizationId: org, referralId: res.id, participantId, status: e.status, actorUserId: by, at: madeAt });
  }

  for (const e of file.appointments) {
    const startsAt = new Date(e.startsAt).toISOString();
    await write(
      'appointments',
      'appointments',
      e.externalId,
      {
        participant_id: personId(e.participant),
        kind: e.kind,
        starts_at: startsAt,
        status: e.status,
        status_changed_at: e.status === 'scheduled' ? null : startsAt,
        status_changed_by: e.status === 'scheduled' ? null : by,
        ...(e.place !== undefined && { place: e.place }),
        ...(e.providerName !== undefined && { provider_name: e.providerName }),
        referral_id: e.referral ? known.referral.get(e.referral)! : null,
      },
      // Never a reminder for an imported appointment (remind_participant 0), past or ahead.
      { ...stamp, remind_participant: 0, reminder_names_place: 0 },
    );
  }

  const authorOf = (email: string | null | undefined) => (email ? r.staff.get(email)! : by);
  for (const e of file.encounters) {
    const participantId = personId(e.participant);
    const startedAt = new Date(e.startedAt).toISOString();
    await write(
      'encounters',
      'encounters',
      e.externalId,
      {
        participant_id: participantId,
        episode_id: e.episode ? known.episode.get(e.episode)! : null,
        type: e.type,
        mode: e.mode,
        setting: e.setting,
        started_at: startedAt,
        ended_at: e.durationMinutes != null ? new Date(Date.parse(startedAt) + e.durationMinutes * 60_000).toISOString() : null,
        duration_minutes: e.durationMinutes ?? null,
        reached: e.reached ? 1 : 0,
        attempt_outcome: e.attemptOutcome ?? null,
        services: JSON.stringify(e.services ?? []),
        ...(e.note !== undefined && { note: e.note }),
        author_user_id: authorOf(e.author),
      },
      // Signed as recorded elsewhere; never sent to supervisor review (that is for new notes).
      { created_at: now, note: null, note_flags: '[]', status: 'signed', signed_at: now, review_status: 'none', group_id: null, todo_id: null, life_event_id: null },
    );
    touched.add(participantId);
  }

  for (const e of file.moudFills) {
    const participantId = personId(e.participant);
    const courseId = await repo.courseFor(db, { organizationId: org, participantId, medication: e.medication, formulation: e.formulation, startedOn: e.filledOn, createdBy: by, now });
    const daysSupply = e.daysSupply ?? defaultDaysSupply(e.medication, e.formulation)!;
    await write(
      'moudFills',
      'moud_fills',
      e.externalId,
      { participant_id: participantId, course_id: courseId, medication: e.medication, filled_on: e.filledOn, days_supply: daysSupply, days_supply_defaulted: e.daysSupply == null ? 1 : 0, quantity: e.quantity ?? null },
      { ...stamp, source: 'verified' },
    );
  }

  for (const e of file.otpPeriods) {
    const participantId = personId(e.participant);
    const courseId = await repo.courseFor(db, { organizationId: org, participantId, medication: 'methadone', formulation: 'oral_liquid', startedOn: e.startedOn, createdBy: by, now });
    await write('otpPeriods', 'moud_otp_enrollments', e.externalId, { participant_id: participantId, course_id: courseId, started_on: e.startedOn, ended_on: e.endedOn ?? null }, { ...stamp, source: 'verified' });
  }

  for (const e of file.questionnaireResponses) {
    const scored = scoreAnswers(BARC10_V1.items, BARC10_V1.scoring, e.answers);
    if (!scored.ok) continue; // checked above
    await write(
      'questionnaireResponses',
      'questionnaire_responses',
      e.externalId,
      { participant_id: personId(e.participant), definition_id: BARC10_V1.id, questionnaire_key: BARC10_V1.key, answered_on: e.answeredOn, answers: JSON.stringify(e.answers), score: scored.score, flags: JSON.stringify(scored.flags) },
      { ...stamp, source: 'coach', encounter_id: null },
    );
  }

  // The derived contact summary (last ED moment, last follow-up, episodes' last contact).
  for (const id of touched) await refreshContactSummary(db, org, id, r.timeZone);
}

/** Reads a history file's JSON text (a 400 naming the line when it is not JSON). */
export function readJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw rejected([{ path: '(file)', message: `The file is not JSON: ${err instanceof Error ? err.message : String(err)}` }]);
  }
}

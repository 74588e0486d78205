import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../contracts/common.js';
import type { ResearchExport, ResearchExportDictionary } from '../../../contracts/research-export.js';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/helpers/app.js';
import { buildEpisode, buildOrganization, buildParticipant, buildUser, type BuiltUser } from '../../../../test/helpers/factories.js';
import { auditEvents } from '../../../../test/helpers/inspect.js';
import { sessionFor } from '../../../../test/helpers/sessions.js';
import { newId } from '../../platform/ids.js';
import { yearOfBirth, zip3, studyIds } from './research-export.deid.js';

const NOW = '2026-11-27T15:00:00.000Z';
const STAMP = '2026-11-20T12:00:00.000Z';
const URL = '/api/v1/research-export?from=2025&to=2026&purpose=research&recipient=State%20University%20Study%20Team';

type Row = Record<string, unknown>;

describe('pure Safe Harbor rules', () => {
  it('cuts ZIP codes to 3 digits, and restricted areas to 000', () => {
    expect(zip3('19104')).toBe('191');
    expect(zip3('02118-1234')).toBe('021');
    expect(zip3('03601')).toBe('000');
    expect(zip3('89301')).toBe('000');
    expect(zip3('1910')).toBeNull();
    expect(zip3('Hanover NH')).toBeNull();
    expect(zip3(null)).toBeNull();
  });

  it('groups ages 90 and over (and the year in which one may turn 90) as 90+', () => {
    expect(yearOfBirth(1937, 2026)).toBe('1937'); // 88 or 89
    expect(yearOfBirth(1936, 2026)).toBe('90+'); // 89 or 90: the year itself is indicative of 90
    expect(yearOfBirth(1934, 2026)).toBe('90+');
    expect(yearOfBirth(null, 2026)).toBeNull();
    expect(yearOfBirth(2030, 2026)).toBeNull();
  });

  it('draws study ids that are random, distinct and hold no digits', () => {
    const ids = studyIds(500);
    expect(new Set(ids).size).toBe(500);
    for (const id of ids) expect(id).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{12}$/);
  });
});

describe('research export (HIPAA Safe Harbor)', () => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    w = await world();
  });
  afterAll(() => t.close());

  const ins = (table: string, row: Row) => t.db.insertInto(table as never).values(row).execute();
  const as = async (user: BuiltUser): Promise<TestClient> => (await sessionFor(t, user)).client;
  const stamped = (organizationId: string, createdBy: string) => ({ organization_id: organizationId, created_by: createdBy, created_at: STAMP, updated_at: STAMP });

  /**
   * An organization in New York time with three participants in the 2025–2026 cohort full of
   * identifiers, one enrolled in 2023 (outside it), and one in another organization.
   */
  async function world() {
    const org = await buildOrganization(t.db, { timeZone: 'America/New_York' });
    const organizationId = org.id;
    const manager = await buildUser(t.db, { organizationId, roles: ['program_manager'] });
    const officer = await buildUser(t.db, { organizationId, roles: ['privacy_officer'] });
    const coach = await buildUser(t.db, { organizationId, roles: ['coach'] });
    const supervisor = await buildUser(t.db, { organizationId, roles: ['supervisor'] });
    const by = coach.id;
    const ids: string[] = [];
    const person = async (orgId: string, createdBy: string, values: Parameters<typeof buildParticipant>[1]['values']) => {
      const id = await buildParticipant(t.db, { organizationId: orgId, createdBy, values });
      ids.push(id);
      return id;
    };
    const enroll = async (orgId: string, participantId: string, createdBy: string, startDate: string, discharge?: { on: string; reason: string }) => {
      const e = await buildEpisode(t.db, { organizationId: orgId, participantId, createdBy, startDate });
      ids.push(e.id, e.programId, e.siteId);
      if (discharge) {
        await t.db.updateTable('episodes').set({ status: 'discharged', discharge_date: discharge.on, discharge_reason: discharge.reason }).where('id', '=', e.id).execute();
      }
      return e.id;
    };
    const identifiers = {
      names: ['Marisol', 'Quintero', 'Mari Q', 'Tomas Quintero', 'Eleanor', 'Whitcombe', 'Nell', 'Dorian', 'Achterberg', 'Ysolde', 'Faraday'],
      phones: ['2155550123', '2155550199', '6035550142', '6175550188'],
      emails: ['marisol.q@example.org', 'eleanor.w@example.net'],
      addresses: ['14 Larkspur Lane', 'Hanover', '77 Spruce Street', 'Lebanon'],
      zips: ['03601', '19104', '02118-1234', '02118'],
      dates: ['1984-07-19', '1934-03-02'],
      numbers: ['MCD-99812-XQ', 'PPO-55123-ZZ', 'MRN 4417-22', 'MRN-4417-22', '4417-22'],
      texts: [
        'wants to coach her daughter softball team',
        'Talked about the night at Riverside; MRN 4417-22 on her hospital bracelet',
        'I am scared of going back to Kensington',
        'Marisol asked for a same-day start at Hanover Clinic',
        'Call Dr. Okafor at 603-555-0142',
        'https://telehealth.example.org/room/marisol-q',
        'Dr. Ngozi Okafor',
        'Hanover Family Pharmacy',
        'Hanover Clinic',
        'needs bus fare',
      ],
    };

    // Marisol: DOB 1984-07-19, restricted ZIP 036xx, enrolled 2026-03-01 (New York time).
    const p1 = await person(organizationId, by, {
      firstName: 'Marisol', lastName: 'Quintero', alias: 'Mari Q', dateOfBirth: '1984-07-19', phone: '2155550123', email: 'marisol.q@example.org',
      addressLine: '14 Larkspur Lane', city: 'Hanover', state: 'NH', zip: '03601', insuranceType: 'medicaid', insuranceMemberId: 'MCD-99812-XQ',
      emergencyContactName: 'Tomas Quintero', emergencyContactPhone: '2155550199', race: ['white', 'black_or_african_american'], ethnicity: 'hispanic_or_latino',
      sexAtBirth: 'female', strengthsAndHopes: 'wants to coach her daughter softball team',
    });
    const e1 = await enroll(organizationId, p1, by, '2026-03-01');
    // Eleanor: 92 years old, ZIP 19104, enrolled 2025-06-10, died after an overdose (discharged deceased).
    const p2 = await person(organizationId, by, {
      firstName: 'Eleanor', lastName: 'Whitcombe', preferredName: 'Nell', dateOfBirth: '1934-03-02', phone: '6035550142', email: 'eleanor.w@example.net',
      addressLine: '77 Spruce Street', city: 'Lebanon', zip: '19104', insuranceType: 'medicare', insuranceMemberId: 'PPO-55123-ZZ', race: ['white'], sexAtBirth: 'female',
    });
    const e2 = await enroll(organizationId, p2, by, '2025-06-10', { on: '2025-09-01', reason: 'deceased' });
    // Dorian: birth year only, ZIP+4, enrolled 2026-10-01, still enrolled.
    const p3 = await person(organizationId, by, { firstName: 'Dorian', lastName: 'Achterberg', birthYear: 1990, zip: '02118-1234', phone: '6175550188', insuranceType: 'uninsured' });
    const e3 = await enroll(organizationId, p3, by, '2026-10-01');
    // Outside the cohort: enrolled in 2023; and someone of another organization enrolled in 2026.
    const p4 = await person(organizationId, by, { firstName: 'Ysolde', lastName: 'Faraday', zip: '02118' });
    await enroll(organizationId, p4, by, '2023-05-01');
    const other = await buildOrganization(t.db);
    const otherCoach = await buildUser(t.db, { organizationId: other.id, roles: ['coach'] });
    const p5 = await person(other.id, otherCoach.id, { firstName: 'Ysolde', lastName: 'Faraday' });
    await enroll(other.id, p5, otherCoach.id, '2026-02-01');

    const life = async (participantId: string, kind: string, on: string, note: string | null = null) => {
      const id = newId();
      ids.push(id);
      await ins('life_events', { id, participant_id: participantId, kind, occurred_on: on, occurred_at: null, source: 'participant_reported', note, version: 1, ...stamped(organizationId, by) });
      return id;
    };
    const encounter = async (participantId: string, episodeId: string, startedAt: string, o: { type?: string; mode?: string; reached?: 0 | 1 } = {}) => {
      const id = newId();
      ids.push(id);
      await ins('encounters', {
        id, participant_id: participantId, episode_id: episodeId, type: o.type ?? 'check_in', mode: o.mode ?? 'phone', setting: 'home', started_at: startedAt, reached: o.reached ?? 1,
        participant_words: 'I am scared of going back to Kensington', note: 'Talked about the night at Riverside; MRN 4417-22 on her hospital bracelet',
        author_user_id: by, status: 'signed', signed_at: startedAt, organization_id: organizationId, created_at: STAMP, updated_at: STAMP,
      });
      return id;
    };

    // Marisol: an ED visit two days before enrollment; contacts either side of local midnight.
    await life(p1, 'ed_visit', '2026-02-27', 'Brought in by Tomas Quintero');
    await encounter(p1, e1, '2026-03-01T03:30:00.000Z', { type: 'ed_bedside', mode: 'in_person' }); // 2026-02-28 22:30 in New York: day -1
    await encounter(p1, e1, '2026-03-11T03:30:00.000Z'); // 2026-03-10 23:30 (EDT): day 9
    await encounter(p1, e1, '2026-03-11T04:30:00.000Z', { mode: 'text', reached: 0 }); // 2026-03-11 00:30: day 10
    const referralId = newId();
    ids.push(referralId);
    await ins('referrals', {
      id: referralId, participant_id: p1, receiver_name: 'Hanover Clinic', receiver_type: 'organization', receiver_contact: 'Call Dr. Okafor at 603-555-0142', mode: 'logged',
      reason: 'Marisol asked for a same-day start at Hanover Clinic', urgency: 'urgent', notes_for_receiver: 'needs bus fare', status: 'completed',
      requested_at: '2026-03-02T15:00:00.000Z', version: 1, ...stamped(organizationId, by),
    });
    const appointmentId = newId();
    ids.push(appointmentId);
    await ins('appointments', {
      id: appointmentId, participant_id: p1, kind: 'moud_induction', starts_at: '2026-03-05T14:00:00.000Z', place: 'Hanover Clinic', provider_name: 'Dr. Ngozi Okafor',
      telehealth_url: 'https://telehealth.example.org/room/marisol-q', notes: 'needs bus fare', status: 'attended', remind_participant: 0, reminder_names_place: 0,
      referral_id: referralId, version: 1, ...stamped(organizationId, by),
    });
    const courseId = newId();
    ids.push(courseId);
    await ins('moud_courses', {
      id: courseId, participant_id: p1, medication: 'buprenorphine', formulation: 'sublingual_film', prescriber: 'Dr. Ngozi Okafor', pharmacy: 'Hanover Family Pharmacy',
      started_on: '2026-03-05', status: 'active', source: 'verified', version: 1, ...stamped(organizationId, by),
    });
    const fillId = newId();
    ids.push(fillId);
    await ins('moud_fills', { id: fillId, participant_id: p1, course_id: courseId, medication: 'buprenorphine', filled_on: '2026-03-05', days_supply: 7, source: 'verified', version: 1, ...stamped(organizationId, by) });
    const definition = await t.db.selectFrom('questionnaire_definitions').select('id').where('key', '=', 'barc10').executeTakeFirstOrThrow();
    const responseId = newId();
    ids.push(responseId);
    await ins('questionnaire_responses', {
      id: responseId, participant_id: p1, definition_id: definition.id, questionnaire_key: 'barc10', answered_on: '2026-04-01', answers: JSON.stringify({ q1: 6 }), score: 48, flags: '[]',
      source: 'coach', version: 1, ...stamped(organizationId, by),
    });
    await life(p1, 'return_to_use', '2026-05-02', 'At the Quintero house');
    // Eleanor: two overdoses, the second one fatal; an event after discharge is outside every episode.
    await life(p2, 'overdose', '2025-07-04');
    await life(p2, 'overdose', '2025-08-30');
    await life(p2, 'hospital_admission', '2025-08-30');
    await life(p2, 'ed_visit', '2025-10-15');
    // Dorian: an attempt that did not reach him.
    await encounter(p3, e3, '2026-10-05T16:00:00.000Z', { type: 'outreach_attempt', reached: 0 });
    // Someone outside the cohort, and another organization's participant: their events never appear.
    await life(p4, 'overdose', '2026-02-10');

    return { organizationId, manager, officer, coach, supervisor, p1, p2, p3, p4, p5, e1, e2, e3, ids, identifiers };
  }

  const exportAs = async (user: BuiltUser, url = URL) => (await as(user)).get(url);

  /** Every identifier of the seeded participants, every exact date, every record id: none may appear. */
  function expectNoIdentifiers(text: string) {
    const { identifiers, ids } = w;
    const forbidden = [
      ...identifiers.names, ...identifiers.phones, ...identifiers.emails, ...identifiers.addresses, ...identifiers.numbers, ...identifiers.texts, ...identifiers.dates,
      '03601', '19104', '02118', '1934', '603-555', '215555', 'example.org', 'example.net',
      ...ids,
    ];
    for (const value of forbidden) expect(text, `"${value}" must not appear in the export`).not.toContain(value);
    expect(text.match(/\d{4}-\d{2}-\d{2}/g), 'no exact date of any kind').toBeNull();
    expect(text.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi), 'no record id of any kind').toBeNull();
    expect(text).not.toMatch(/T\d{2}:\d{2}/);
  }

  it('exports the cohort with none of the seeded identifiers, in JSON and in every CSV table', async () => {
    const res = await exportAs(w.manager);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expectNoIdentifiers(res.body);
    let all = '';
    for (const table of ['participants', 'episodes', 'events']) {
      const csv = await exportAs(w.manager, `${URL}&format=csv&table=${table}`);
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.headers['content-disposition']).toBe(`attachment; filename="research-export-${table}.csv"`);
      all += csv.body;
    }
    expectNoIdentifiers(all);
  });

  it('keeps the year of birth, groups 90+, cuts ZIP codes, and codes the demographics', async () => {
    const data = (await exportAs(w.manager)).json<ResearchExport>();
    expect(data.rowCounts).toEqual({ participants: 3, episodes: 3, events: data.tables.events.length });
    const byYear = new Map(data.tables.participants.map((p) => [p.enrollment_year * 10_000 + (p.year_of_birth === '90+' ? 9999 : Number(p.year_of_birth)), p]));
    const marisol = byYear.get(2026 * 10_000 + 1984)!;
    const eleanor = byYear.get(2025 * 10_000 + 9999)!;
    const dorian = byYear.get(2026 * 10_000 + 1990)!;
    expect(marisol).toMatchObject({ year_of_birth: '1984', sex: 'female', race: 'black_or_african_american;white', ethnicity: 'hispanic_or_latino', insurance_type: 'medicaid', zip3: '000', enrollment_year: 2026 });
    expect(eleanor).toMatchObject({ year_of_birth: '90+', zip3: '191', insurance_type: 'medicare', enrollment_year: 2025 });
    expect(dorian).toMatchObject({ year_of_birth: '1990', zip3: '021', insurance_type: 'uninsured', sex: null, race: null });
    expect(data.tables.episodes.find((e) => e.study_id === eleanor.study_id)).toEqual({ study_id: eleanor.study_id, episode_number: 1, enrollment_year: 2025, days_to_discharge: 83, discharge_reason: 'deceased' });
    expect(data.tables.episodes.find((e) => e.study_id === dorian.study_id)).toMatchObject({ days_to_discharge: null, discharge_reason: null });
    // Rows come sorted by study id, not in the order the records were made.
    const sids = data.tables.participants.map((p) => p.study_id);
    expect(sids).toEqual([...sids].sort());
  });

  it('times events in days since enrollment on the local calendar, across midnight and a change of clocks', async () => {
    const data = (await exportAs(w.manager)).json<ResearchExport>();
    const sidOf = (yob: string) => data.tables.participants.find((p) => p.year_of_birth === yob)!.study_id;
    const eventsOf = (sid: string) => data.tables.events.filter((e) => e.study_id === sid).map(({ study_id: _s, episode_number: _n, ...rest }) => Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null)));
    expect(eventsOf(sidOf('1984'))).toEqual([
      { kind: 'ed_visit', days_since_enrollment: -2 },
      { kind: 'encounter', days_since_enrollment: -1, encounter_type: 'ed_bedside', encounter_mode: 'in_person', reached: true },
      { kind: 'referral', days_since_enrollment: 1, referral_status: 'completed', days_to_first_attended: 3 },
      { kind: 'appointment', days_since_enrollment: 4, appointment_kind: 'moud_induction', appointment_status: 'attended' },
      { kind: 'moud_fill', days_since_enrollment: 4, medication: 'buprenorphine', days_supply: 7 },
      { kind: 'encounter', days_since_enrollment: 9, encounter_type: 'check_in', encounter_mode: 'phone', reached: true },
      { kind: 'encounter', days_since_enrollment: 10, encounter_type: 'check_in', encounter_mode: 'text', reached: false },
      { kind: 'barc10', days_since_enrollment: 31, barc10_total: 48 },
      { kind: 'return_to_use', days_since_enrollment: 62 },
    ]);
    // The second overdose is the fatal one; the ED visit after discharge belongs to no episode.
    expect(eventsOf(sidOf('90+'))).toEqual([
      { kind: 'overdose', days_since_enrollment: 24, fatal: false },
      { kind: 'admission', days_since_enrollment: 81 },
      { kind: 'overdose', days_since_enrollment: 81, fatal: true },
    ]);
    expect(eventsOf(sidOf('1990'))).toEqual([{ kind: 'encounter', days_since_enrollment: 4, encounter_type: 'outreach_attempt', encounter_mode: 'phone', reached: false }]);
  });

  it('draws new study ids for every export', async () => {
    const a = (await exportAs(w.manager)).json<ResearchExport>().tables.participants.map((p) => p.study_id);
    const b = (await exportAs(w.officer)).json<ResearchExport>().tables.participants.map((p) => p.study_id);
    expect(a).toHaveLength(3);
    expect(a.filter((id) => b.includes(id))).toEqual([]);
  });

  it('describes every exported column in the dictionary, with the 18 identifiers and the restricted ZIP prefixes', async () => {
    const res = await (await as(w.officer)).get('/api/v1/research-export/dictionary');
    expect(res.statusCode).toBe(200);
    const d = res.json<ResearchExportDictionary>();
    expect(d.identifiers.map((i) => i.code).join('')).toBe('ABCDEFGHIJKLMNOPQR');
    expect(d.restrictedZip3).toContain('036');
    expect(d.restrictedZip3).toHaveLength(17);
    const data = (await exportAs(w.manager)).json<ResearchExport>();
    for (const table of ['participants', 'episodes', 'events'] as const) {
      const described = d.columns.filter((c) => c.table === table).map((c) => c.name).sort();
      for (const row of data.tables[table]) expect(Object.keys(row).sort()).toEqual(described);
    }
    for (const c of d.columns) expect(c.deidentification.length).toBeGreaterThan(3);
  });

  it('records each export in the audit trail with purpose, recipient and counts, and no personal data', async () => {
    const before = (await auditEvents(t, { action: 'research.export', organizationId: w.organizationId })).length;
    await exportAs(w.manager, `${URL}&format=csv&table=events`);
    const rows = await auditEvents(t, { action: 'research.export', organizationId: w.organizationId });
    expect(rows).toHaveLength(before + 1);
    const row = rows.at(-1)!;
    expect(row).toMatchObject({ outcome: 'success', actorUserId: w.manager.id, targetType: 'participant' });
    expect(row.targetIds.sort()).toEqual([w.p1, w.p2, w.p3].sort());
    expect(row.details).toMatchObject({ method: 'hipaa_safe_harbor', fromYear: 2025, toYear: 2026, format: 'csv', table: 'events', purpose: 'research', recipient: 'State University Study Team', rowCounts: { participants: 3, episodes: 3 } });
    const details = JSON.stringify(row.details);
    for (const value of [...w.identifiers.names, ...w.identifiers.phones, ...w.identifiers.emails, ...w.identifiers.dates, ...w.identifiers.addresses]) expect(details).not.toContain(value);
  });

  it('refuses coaches and supervisors (403)', async () => {
    for (const user of [w.coach, w.supervisor]) {
      const res = await exportAs(user);
      expect(res.statusCode).toBe(403);
      expect(res.json<ErrorBody>().error.code).toBe('auth.forbidden');
      expect((await (await as(user)).get('/api/v1/research-export/dictionary')).statusCode).toBe(403);
    }
  });

  it('asks for whole years, a purpose and a recipient, and names the field it refuses', async () => {
    const client = await as(w.manager);
    const field = async (url: string) => {
      const res = await client.get(url);
      expect(res.statusCode).toBe(400);
      return res.json<ErrorBody>().error.fields?.map((f) => f.path) ?? [];
    };
    expect(await field('/api/v1/research-export?from=2026&to=2025&purpose=research&recipient=State%20University')).toContain('query.to');
    expect(await field('/api/v1/research-export?from=2026-01-01&to=2026&purpose=research&recipient=State%20University')).toContain('query.from');
    expect(await field('/api/v1/research-export?from=2010&to=2026&purpose=research&recipient=State%20University')).toContain('query.to');
    expect(await field('/api/v1/research-export?from=2026&to=2027&purpose=research&recipient=State%20University')).toContain('query.to');
    expect(await field('/api/v1/research-export?from=2026&to=2026&recipient=State%20University')).toContain('query.purpose');
    expect(await field('/api/v1/research-export?from=2026&to=2026&purpose=marketing&recipient=State%20University')).toContain('query.purpose');
    expect(await field('/api/v1/research-export?from=2026&to=2026&purpose=research')).toContain('query.recipient');
    expect(await field('/api/v1/research-export?from=2026&to=2026&purpose=research&recipient=State%20University&format=csv')).toContain('query.table');
  });
});

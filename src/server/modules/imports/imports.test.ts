/**
 * CSV import through HTTP on real tables: the preview suggests a mapping from the column names,
 * a dry run writes nothing, participants then their encounters go in (local times read in the
 * organization's zone), a second import updates, an ED bedside contact from the past makes no
 * follow-up to-dos, problems come back by CSV line and column, and only admins and program
 * managers may import.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CsvPreview, ImportRejected, ImportResult } from '../../../contracts/imports.js';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/helpers/app.js';
import { careWorld, type CareWorld } from '../../../../test/helpers/care.js';

const PEOPLE = 'Client ID,First name,Last name,DOB,Veteran,Race\nX-1,Nora,Importe,1987-06-01,yes,white;asian\nX-2,Omar,Importe,1992-09-15,no,\n';
const CONTACTS = 'Contact ID,Client ID,Type,Mode,Setting,When,Minutes,Reached\nK-1,X-1,ed_bedside,in_person,ed,2026-03-01 23:30,30,yes\nK-2,X-1,follow_up,phone,telehealth,2026-03-03T10:00:00-06:00,10,yes\n';

describe('imports: CSV', () => {
  let t: TestApp;
  let w: CareWorld;
  let manager: TestClient;
  beforeAll(async () => {
    t = await createTestApp();
    w = await careWorld(t, { timeZone: 'America/Chicago' });
    manager = await w.as(w.manager);
  });
  afterAll(() => t.close());

  const count = async (table: 'participants' | 'encounters' | 'todos') =>
    Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('organization_id', '=', w.organizationId).executeTakeFirstOrThrow()).n);

  it('previews a file with a suggested mapping', async () => {
    const res = await manager.post('/api/v1/imports/csv/preview', { kind: 'participants', csv: PEOPLE });
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json<CsvPreview>();
    expect(p).toMatchObject({ headers: ['Client ID', 'First name', 'Last name', 'DOB', 'Veteran', 'Race'], rowCount: 2, required: ['externalId'] });
    expect(p.rows[0]).toEqual(['X-1', 'Nora', 'Importe', '1987-06-01', 'yes', 'white;asian']);
    expect(p.suggested).toEqual({ externalId: 'Client ID', firstName: 'First name', lastName: 'Last name', dateOfBirth: 'DOB', veteran: 'Veteran', race: 'Race' });
  });

  it('checks with a dry run, then imports participants and their encounters, with no to-dos for the past', async () => {
    const mapping = { externalId: 'Client ID', firstName: 'First name', lastName: 'Last name', dateOfBirth: 'DOB', veteran: 'Veteran', race: 'Race' };
    const before = await count('participants');
    const dry = await manager.post('/api/v1/imports/csv', { kind: 'participants', csv: PEOPLE, mapping, dryRun: true });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json<ImportResult>()).toMatchObject({ dryRun: true, counts: { participants: { created: 2, updated: 0 } } });
    expect(await count('participants')).toBe(before);

    const real = await manager.post('/api/v1/imports/csv', { kind: 'participants', csv: PEOPLE, mapping, dryRun: false });
    expect(real.statusCode, real.body).toBe(200);
    expect(await count('participants')).toBe(before + 2);
    const nora = await t.db.selectFrom('participants').select(['veteran', 'race', 'date_of_birth']).where('organization_id', '=', w.organizationId).where('first_name', '=', 'Nora').executeTakeFirstOrThrow();
    expect(nora).toMatchObject({ veteran: 1, date_of_birth: '1987-06-01' });
    expect(JSON.parse(nora.race)).toEqual(['white', 'asian']);

    const todos = await count('todos');
    const contacts = { externalId: 'Contact ID', participant: 'Client ID', type: 'Type', mode: 'Mode', setting: 'Setting', startedAt: 'When', durationMinutes: 'Minutes', reached: 'Reached' };
    const enc = await manager.post('/api/v1/imports/csv', { kind: 'encounters', csv: CONTACTS, mapping: contacts, dryRun: false });
    expect(enc.statusCode, enc.body).toBe(200);
    expect(enc.json<ImportResult>().counts.encounters).toEqual({ created: 2, updated: 0 });
    // 23:30 on 1 March in Chicago (UTC−6) is 05:30 UTC on 2 March.
    const bedside = await t.db.selectFrom('encounters').select(['started_at', 'ended_at', 'status']).where('organization_id', '=', w.organizationId).where('type', '=', 'ed_bedside').executeTakeFirstOrThrow();
    expect(new Date(bedside.started_at).toISOString()).toBe('2026-03-02T05:30:00.000Z');
    expect(bedside.status).toBe('signed');
    // A bedside contact logged live schedules follow-up calls; one from the past schedules nothing.
    expect(await count('todos')).toBe(todos);

    const again = await manager.post('/api/v1/imports/csv', { kind: 'participants', csv: PEOPLE.replace('Nora', 'Norah'), mapping, dryRun: false });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json<ImportResult>().counts.participants).toEqual({ created: 0, updated: 2 });
    expect(await count('participants')).toBe(before + 2);

    const audit = await t.db.selectFrom('audit_events').select(['actor_user_id', 'details']).where('organization_id', '=', w.organizationId).where('action', '=', 'import.apply').execute();
    expect(audit).toHaveLength(3);
    expect(audit.every((a) => a.actor_user_id === w.manager.id && !/Nora|Importe/.test(a.details))).toBe(true);
  });

  it('reports problems by line and column, and writes nothing', async () => {
    const before = await count('participants');
    const csv = 'Client ID,First name,DOB\nY-1,Pat,1990-02-30\nY-2,Quinn,1991-01-01\n,Robin,1992-01-01\n';
    const res = await manager.post('/api/v1/imports/csv', { kind: 'participants', csv, mapping: { externalId: 'Client ID', firstName: 'First name', dateOfBirth: 'DOB' }, dryRun: false });
    expect(res.statusCode, res.body).toBe(400);
    const body = res.json<{ error: { code: string; details: ImportRejected } }>();
    expect(body.error.code).toBe('validation.failed');
    expect(body.error.details.errors.map((e) => e.path)).toEqual(['line 2 (DOB)', 'line 4 (Client ID)']);
    expect(await count('participants')).toBe(before);

    const unmapped = await manager.post('/api/v1/imports/csv', { kind: 'encounters', csv: CONTACTS, mapping: { externalId: 'Contact ID', nothing: 'Type' }, dryRun: true });
    expect(unmapped.statusCode).toBe(400);
    const paths = unmapped.json<{ error: { details: ImportRejected } }>().error.details.errors.map((e) => e.path);
    expect(paths).toContain('mapping.nothing');
    expect(paths).toContain('mapping.participant');

    const unknownPerson = await manager.post('/api/v1/imports/csv', {
      kind: 'encounters',
      csv: 'id,who,type,mode,setting,when,reached\nK-9,NOPE,check_in,phone,telehealth,2026-03-03 10:00,yes\n',
      mapping: { externalId: 'id', participant: 'who', type: 'type', mode: 'mode', setting: 'setting', startedAt: 'when', reached: 'reached' },
      dryRun: true,
    });
    expect(unknownPerson.statusCode).toBe(400);
    expect(unknownPerson.json<{ error: { details: ImportRejected } }>().error.details.errors[0]).toMatchObject({ path: 'line 2 (who)' });
  });

  it('is for admins and program managers only', async () => {
    const coach = await w.as(w.coach);
    const res = await coach.post('/api/v1/imports/csv/preview', { kind: 'participants', csv: PEOPLE });
    expect(res.statusCode).toBe(403);
  });
});

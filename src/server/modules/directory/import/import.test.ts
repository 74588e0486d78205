/**
 * Directory import and export through the HTTP API on a real database: the shipped HSDS 3.0
 * examples (JSON and the CSV data package), generated Meeting Guide and FindTreatment.gov files,
 * all-or-nothing refusal with a per-row report, dry runs that write nothing, re-imports that
 * update by external id and never duplicate, the export → import round trip into an empty
 * organization (JSON and CSV zip), the search rows an import feeds, who may import and export,
 * the tenant boundary, size and format errors, and the audit.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../../contracts/common.js';
import type { ImportRejected, ImportResult } from '../../../../contracts/directory-import.js';
import { IMPORT_MAX_BYTES } from '../../../../contracts/directory-import.js';
import type { Role } from '../../../../contracts/roles.js';
import { createTestApp, type TestApp, type TestClient } from '../../../../../test/helpers/app.js';
import { auditEvents } from '../../../../../test/helpers/inspect.js';
import { buildOrganization, buildUser } from '../../../../../test/helpers/factories.js';
import { sessionFor } from '../../../../../test/helpers/sessions.js';
import { findTreatmentExport, hsdsCsvExample, hsdsExample, meetingGuideFeed } from '../../../../../test/fixtures/directory/feeds.js';
import { loadDirectory } from './import.repository.js';
import { fingerprint, type DirectoryModel } from './model.js';
import { readZip, writeZip } from './zip.js';

const NOW = '2026-11-27T15:00:00.000Z';

describe('directory import and export', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
  });
  afterAll(() => t.close());

  const as = async (organizationId: string, roles: Role[]): Promise<TestClient> => (await sessionFor(t, await buildUser(t.db, { organizationId, roles }))).client;
  const world = async () => {
    const org = await buildOrganization(t.db, { timeZone: 'America/New_York' });
    return { organizationId: org.id, manager: await as(org.id, ['program_manager']) };
  };
  const ok = <T>(res: { statusCode: number; body: string; json: <U>() => U }): T => {
    expect(res.statusCode, res.body).toBe(200);
    return res.json<T>();
  };
  const rejected = (res: { statusCode: number; body: string; json: <U>() => U }) => {
    expect(res.statusCode, res.body).toBe(400);
    const e = res.json<ErrorBody>().error;
    expect(e.code).toBe('validation.failed');
    return { error: e, report: e.details as unknown as ImportRejected };
  };
  const json = (format: string, doc: unknown, extra: Record<string, unknown> = {}) => ({ format, content: JSON.stringify(doc), ...extra });
  const zip = (files: Record<string, string>, extra: Record<string, unknown> = {}) => ({ format: 'hsds-csv', encoding: 'base64', content: writeZip(files).toString('base64'), ...extra });
  const count = async (organizationId: string) => {
    const n = async (table: 'directory_organizations' | 'directory_services' | 'directory_locations' | 'directory_service_at_location' | 'directory_schedules' | 'directory_phones' | 'directory_search_rows') =>
      Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('organization_id', '=', organizationId).executeTakeFirstOrThrow()).n);
    return {
      organizations: await n('directory_organizations'),
      services: await n('directory_services'),
      locations: await n('directory_locations'),
      serviceAtLocations: await n('directory_service_at_location'),
      schedules: await n('directory_schedules'),
      phones: await n('directory_phones'),
      searchRows: await n('directory_search_rows'),
    };
  };
  /** The directory's content without Lodestar ids or file ids: what "the same directory" means. */
  const content = async (organizationId: string): Promise<string[]> => {
    const { model } = await loadDirectory(t.db, organizationId);
    return canonical(model);
  };

  describe('the shipped HSDS 3.0 examples', () => {
    it('imports each JSON example (service, organization, service at location, location, lists) and reports what it left out; refuses the taxonomy ones', async () => {
      const w = await world();
      const service = ok<ImportResult>(await w.manager.post('/api/v1/directory/imports', json('hsds-json', hsdsExample('service_full.json'))));
      expect(service).toMatchObject({ format: 'hsds-json', source: 'hsds-json', applied: true, dryRun: false });
      expect(service.counts.services).toEqual({ created: 1, updated: 0, unchanged: 0, notInFile: 0 });
      expect(service.counts.organizations.created).toBe(1);
      expect(service.counts.locations.created).toBe(1);
      expect(service.counts.serviceAtLocations.created).toBe(1);
      // The example's location sits at latitude 100: kept without coordinates, and said so.
      expect(service.warnings).toContainEqual(expect.objectContaining({ field: 'service_at_locations[0].location.latitude', message: expect.stringContaining('outside') }));
      // Its attribute is of a taxonomy Lodestar does not know: reported, not silently dropped.
      expect(service.warnings.some((x) => x.field === 'attributes[0]')).toBe(true);

      const row = await t.db.selectFrom('directory_services').selectAll().where('organization_id', '=', w.organizationId).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ name: 'Community Counselling', source: 'hsds-json', external_id: 'ac148810-d857-441c-9679-408f346de14b', status: 'active', minimum_age: 12, maximum_age: 100 });
      expect(JSON.parse(row.languages)).toEqual(expect.arrayContaining(['ur']));
      expect((await count(w.organizationId)).searchRows).toBe(1);

      // The same service again, from the organization's and the list examples: matched, not duplicated.
      const org = ok<ImportResult>(await w.manager.post('/api/v1/directory/imports', json('hsds-json', hsdsExample('organization_full.json'))));
      expect(org.counts.services.created + org.counts.services.updated + org.counts.services.unchanged).toBe(1);
      expect(org.counts.services.created).toBe(0);
      for (const file of ['service_list.json', 'organization_list.json', 'service_at_location_full.json', 'service_at_location_list.json']) {
        const res = ok<ImportResult>(await w.manager.post('/api/v1/directory/imports', json('hsds-json', hsdsExample(file))));
        expect(res.counts.organizations.created, file).toBe(0);
        expect(res.counts.services.created, file).toBe(0);
      }
      expect(await count(w.organizationId)).toMatchObject({ organizations: 1, services: 1, locations: 1, serviceAtLocations: 1 });
      // The list views leave out addresses, phones and hours: what a file does not say is kept, not cleared.
      const place = await t.db.selectFrom('directory_locations').selectAll().where('organization_id', '=', w.organizationId).executeTakeFirstOrThrow();
      expect(place).toMatchObject({ address_1: '1-30 Main Street', city: 'MyCity', postal_code: 'ABC 1234', directory_organization_id: expect.any(String) });
      const serviceRow = await t.db.selectFrom('directory_services').selectAll().where('organization_id', '=', w.organizationId).executeTakeFirstOrThrow();
      expect(JSON.parse(serviceRow.languages)).toEqual(expect.arrayContaining(['ur']));
      expect(await t.db.selectFrom('directory_phones').select('id').where('service_id', '=', serviceRow.id).execute()).not.toEqual([]);

      // The location example alone: the same place, found unchanged.
      const alone = ok<ImportResult>(await w.manager.post('/api/v1/directory/imports', json('hsds-json', hsdsExample('location.json'))));
      expect(alone.counts.locations).toEqual({ created: 0, updated: 0, unchanged: 1, notInFile: 0 });
      // Taxonomies and the base document are not directory entries: said so, nothing imported.
      for (const file of ['base.json', 'taxonomy.json', 'taxonomy_list.json', 'taxonomy_term.json', 'taxonomy_term_list.json']) {
        const { report } = rejected(await w.manager.post('/api/v1/directory/imports', json('hsds-json', hsdsExample(file))));
        expect(report.errors[0]!.message, file).toContain('not directory entries');
      }
    });

    it('imports the CSV data package as a zip, then finds it unchanged the second time', async () => {
      const w = await world();
      const first = ok<ImportResult>(await w.manager.post('/api/v1/directory/imports', zip(hsdsCsvExample())));
      expect(first.source).toBe('hsds-csv');
      expect(first.counts).toMatchObject({ organizations: { created: 1 }, services: { created: 1 }, locations: { created: 1 }, serviceAtLocations: { created: 1 } });
      // Tables the directory does not keep (funding, programs, …) are named in the report.
      expect(first.warnings).toContainEqual(expect.objectContaining({ file: 'funding.csv', message: expect.stringContaining('not part of the directory') }));
      // The phone row names an organization, a service, a location and a service at a location: it belongs to the last.
      const phone = await t.db.selectFrom('directory_phones').selectAll().where('organization_id', '=', w.organizationId).executeTakeFirstOrThrow();
      expect(phone.service_at_location_id).not.toBeNull();
      // The example's schedule is weekly on Thursday and Friday, 10:00 to 18:00.
      const hours = await t.db.selectFrom('directory_schedules').select(['weekday', 'opens_at', 'closes_at']).where('organization_id', '=', w.organizationId).orderBy('weekday').execute();
      expect(hours).toEqual([
        { weekday: 4, opens_at: '10:00', closes_at: '18:00' },
        { weekday: 5, opens_at: '10:00', closes_at: '18:00' },
      ]);
      const before = await count(w.organizationId);
      const again = ok<ImportResult>(await w.manager.post('/api/v1/directory/imports', zip(hsdsCsvExample())));
      expect(again.counts).toMatchObject({ organizations: { created: 0, updated: 0, unchanged: 1 }, services: { created: 0, updated: 0, unchanged: 1 }, locations: { unchanged: 1 }, serviceAtLocations: { unchanged: 1 } });
      expect(await count(w.organizationId)).toEqual(before);
    });
  });

  describe('Meeting Guide feeds', () => {
    it('makes one service per meeting with its weekly time and types, places shared by address, and updates by slug', async () => {
      const w = await world();
      const feed = meetingGuideFeed(12);
      feed[0]!.types = ['O', 'NOT-A-TYPE'];
      const res = ok<ImportResult>(await w.manager.post('/api/v1/directory/imports', json('meeting-guide', feed, { fellowship: 'na' })));
      expect(res.counts.services.created).toBe(12);
      expect(res.counts.locations.created).toBe(5); // five halls
      expect(res.counts.organizations.created).toBe(3); // one group per town
      expect(res.warnings).toEqual([expect.objectContaining({ row: 1, field: 'types', message: expect.stringContaining('NOT-A-TYPE') })]);

      const first = await t.db.selectFrom('directory_services').selectAll().where('organization_id', '=', w.organizationId).where('external_id', '=', 'meeting-1').executeTakeFirstOrThrow();
      expect(JSON.parse(first.service_types)).toEqual(['mutual_aid_na']);
      expect(first).toMatchObject({ source: 'meeting-guide', url: 'https://meet.example.org/room-1', telehealth: 1 });
      const sched = await t.db
        .selectFrom('directory_schedules as s')
        .innerJoin('directory_service_at_location as sal', 'sal.id', 's.service_at_location_id')
        .select(['s.weekday', 's.opens_at', 's.closes_at', 's.meeting_types', 's.attending_type'])
        .where('sal.service_id', '=', first.id)
        .execute();
      expect(sched).toEqual([{ weekday: 0, opens_at: '07:00', closes_at: '08:00', meeting_types: '["O"]', attending_type: 'hybrid' }]);
      const spanish = await t.db.selectFrom('directory_services').select('languages').where('organization_id', '=', w.organizationId).where('external_id', '=', 'meeting-3').executeTakeFirstOrThrow();
      expect(JSON.parse(spanish.languages)).toEqual(['es']); // type S

      // A newer feed: one meeting moved to 19:30, one new. Updated and created by slug, nothing doubled.
      const before = await count(w.organizationId);
      feed[4]!.time = '19:30';
      feed.push({ ...meetingGuideFeed(13)[12]! });
      const again = ok<ImportResult>(await w.manager.post('/api/v1/directory/imports', json('meeting-guide', feed, { fellowship: 'na' })));
      expect(again.counts.services).toEqual({ created: 1, updated: 0, unchanged: 12, notInFile: 0 });
      expect(again.counts.serviceAtLocations).toMatchObject({ created: 1, updated: 1, unchanged: 11 });
      expect(again.changes.slice(0, 2)).toEqual(
        expect.arrayContaining([expect.objectContaining({ kind: 'services', action: 'create', externalId: 'meeting-13' }), expect.objectContaining({ kind: 'serviceAtLocations', action: 'update', externalId: 'meeting-5' })]),
      );
      const after = await count(w.organizationId);
      expect(after.services).toBe(before.services + 1);
      expect(after.schedules).toBe(before.schedules + 1);
      const moved = await t.db
        .selectFrom('directory_schedules as s')
        .innerJoin('directory_service_at_location as sal', 'sal.id', 's.service_at_location_id')
        .select('s.opens_at')
        .where('sal.organization_id', '=', w.organizationId)
        .where('sal.external_id', '=', 'meeting-5')
        .execute();
      expect(moved).toEqual([{ opens_at: '19:30' }]);
    });

    it('refuses the whole feed for one bad meeting, naming each bad row and field, and changes nothing', async () => {
      const w = await world();
      ok(await w.manager.post('/api/v1/directory/imports', json('meeting-guide', meetingGuideFeed(3))));
      const before = await content(w.organizationId);
      const feed = meetingGuideFeed(6);
      feed[1]!.time = '7pm';
      feed[2]!.day = 7;
      feed[3]!.slug = 'meeting-1';
      feed[4]!.latitude = 'north';
      delete (feed[5] as Partial<typeof feed[5]>).name;
      const { error, report } = rejected(await w.manager.post('/api/v1/directory/imports', json('meeting-guide', feed)));
      expect(report.errors).toEqual([
        expect.objectContaining({ row: 2, id: 'meeting-2', field: 'time' }),
        expect.objectContaining({ row: 3, id: 'meeting-3', field: 'day' }),
        expect.objectContaining({ row: 4, id: 'meeting-1', field: 'slug', message: expect.stringContaining('row 1') }),
        expect.objectContaining({ row: 5, field: 'latitude' }),
        expect.objectContaining({ row: 6, field: 'name', message: 'is required' }),
      ]);
      expect(report.errorCount).toBe(5);
      expect(error.fields?.[0]).toEqual({ path: 'content', message: expect.stringContaining('meeting-guide row 2 (meeting-2): time') });
      expect(await content(w.organizationId)).toEqual(before);
      // The refusal is audited (outside the rolled-back transaction), with counts only.
      expect(await auditEvents(t, { action: 'directory.import', organizationId: w.organizationId })).toContainEqual(
        expect.objectContaining({ outcome: 'denied', details: expect.objectContaining({ format: 'meeting-guide', rejected: true, errors: 5 }) }),
      );
    });
  });

  describe('FindTreatment.gov exports', () => {
    it('maps the service codes that matter, reports the others, and shows a dry run without writing', async () => {
      const w = await world();
      const file = findTreatmentExport(10);
      file.rows[0]!.services!.push({ f1: 'Other', f2: 'ZZTOP', f3: 'unknown' });
      const dry = ok<ImportResult>(await w.manager.post('/api/v1/directory/imports', json('findtreatment', file, { dryRun: true })));
      expect(dry).toMatchObject({ dryRun: true, applied: false, counts: { organizations: { created: 10 }, services: { created: 10 }, locations: { created: 10 } } });
      expect(dry.changes.filter((c) => c.kind === 'services')).toHaveLength(10);
      expect(dry.warnings.map((x) => x.message)).toEqual([expect.stringContaining('code SA is not mapped to the directory (10 row(s))'), expect.stringContaining('code ZZTOP is not mapped to the directory (1 row(s))')]);
      expect(await count(w.organizationId)).toMatchObject({ organizations: 0, services: 0, locations: 0, searchRows: 0 });

      ok(await w.manager.post('/api/v1/directory/imports', json('findtreatment', file)));
      const services = await t.db.selectFrom('directory_services').selectAll().where('organization_id', '=', w.organizationId).orderBy('name').execute();
      expect(services).toHaveLength(10);
      const first = services.find((s) => s.name === 'Fictional Recovery Center 1')!;
      expect(JSON.parse(first.service_types)).toEqual(expect.arrayContaining(['buprenorphine', 'otp_methadone']));
      expect(JSON.parse(first.insurance)).toEqual(expect.arrayContaining(['medicaid', 'medicare', 'sliding_scale']));
      const second = services.find((s) => s.name.startsWith('Fictional Recovery Center 2 '))!;
      expect(JSON.parse(second.languages)).toEqual(['es']);
      const org = await t.db.selectFrom('directory_organizations').selectAll().where('id', '=', first.directory_organization_id).executeTakeFirstOrThrow();
      expect(org.type).toBe('treating_provider');
      const place = await t.db.selectFrom('directory_locations').selectAll().where('organization_id', '=', w.organizationId).where('external_id', '=', first.external_id).executeTakeFirstOrThrow();
      expect(place).toMatchObject({ address_1: '200 Main St', city: 'Springfield', state_province: 'PA', postal_code: '19064', latitude: 39.93, longitude: -75.32 });
      expect((await count(w.organizationId)).searchRows).toBe(10);

      // The corrected file a month later: one facility changed its phone; matched by name, street and ZIP.
      file.rows[3]!.phone = '555-0999';
      const again = ok<ImportResult>(await w.manager.post('/api/v1/directory/imports', json('findtreatment', file)));
      expect(again.counts.services).toEqual({ created: 0, updated: 1, unchanged: 9, notInFile: 0 });
      expect(await count(w.organizationId)).toMatchObject({ services: 10, locations: 10 });
    });

    it('refreshes the search tables’ planner statistics after a large import (SQLite: sqlite_stat1), not after a small one', async () => {
      const w = await world();
      const statsTable = async () => (await sql<{ n: number }>`select count(*) as n from sqlite_master where name = 'sqlite_stat1'`.execute(t.db)).rows[0]?.n === 1;
      const stats = async () =>
        (await statsTable()) ? Number((await sql<{ n: number }>`select count(*) as n from sqlite_stat1 where tbl = 'directory_search_rows'`.execute(t.db)).rows[0]?.n ?? 0) : 0;
      if (t.dialect === 'sqlite' && (await statsTable())) await sql`delete from sqlite_stat1 where tbl like 'directory_search_%'`.execute(t.db);
      ok(await w.manager.post('/api/v1/directory/imports', json('findtreatment', findTreatmentExport(20))));
      if (t.dialect === 'sqlite') expect(await stats()).toBe(0);
      ok(await w.manager.post('/api/v1/directory/imports', json('findtreatment', findTreatmentExport(250))));
      if (t.dialect === 'sqlite') expect(await stats()).toBeGreaterThan(0);
      expect((await count(w.organizationId)).searchRows).toBeGreaterThanOrEqual(250);
    });

    it('refuses rows without a name or street, with broken coordinates or codes, or the same facility twice', async () => {
      const w = await world();
      const file = findTreatmentExport(5);
      file.rows[0]!.name1 = '';
      file.rows[1]!.longitude = 'west';
      (file.rows[2] as Record<string, unknown>).services = 'BU';
      (file.rows[3] as Record<string, unknown>).services = [42];
      file.rows.push({ ...file.rows[4]! });
      const { report } = rejected(await w.manager.post('/api/v1/directory/imports', json('findtreatment', file)));
      expect(report.errors.map((e) => [e.row, e.field])).toEqual([
        [1, 'name1'],
        [2, 'longitude'],
        [4, 'services'],
        [6, 'name1'],
      ]);
      expect(await count(w.organizationId)).toMatchObject({ organizations: 0, services: 0 });
    });
  });

  describe('bad HSDS files', () => {
    it('names the table, row and field of each wrong type, duplicate id, missing reference and unknown Lodestar code', async () => {
      const w = await world();
      const files = hsdsCsvExample();
      files['locations.csv'] = files['locations.csv']!.replace(',100,101,', ',abc,101,');
      files['services.csv'] += files['services.csv']!.split('\n')[1]!; // the same service id again
      files['service_at_location.csv'] += 'e94c9f38-1e8f-4564-91d4-d53501ab1799,ac148810-d857-441c-9679-408f346de14b,00000000-0000-4000-8000-000000000000,\n';
      const { report } = rejected(await w.manager.post('/api/v1/directory/imports', zip(files)));
      expect(report.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ file: 'locations.csv', row: 2, field: 'latitude', message: 'must be number' }),
          expect.objectContaining({ file: 'services.csv', row: 3, id: 'ac148810-d857-441c-9679-408f346de14b', field: 'id', message: 'appears more than once in the file' }),
          expect.objectContaining({ file: 'service_at_location.csv', row: 3, field: 'location_id', message: expect.stringContaining('not in locations.csv') }),
        ]),
      );

      const service = hsdsExample('service_full.json') as Record<string, unknown>;
      service.attributes = [{ id: '1f6c51bb-4d57-4a5b-8c53-0c2b6b5f0a01', taxonomy_term: { id: '2f6c51bb-4d57-4a5b-8c53-0c2b6b5f0a01', code: 'miracle_cure', name: 'x', description: 'x', taxonomy: 'lodestar:service_type' } }];
      service.minimum_age = 'twelve';
      const bad = rejected(await w.manager.post('/api/v1/directory/imports', json('hsds-json', service)));
      expect(bad.report.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'minimum_age', message: 'must be number' })]));
      delete service.minimum_age;
      const code = rejected(await w.manager.post('/api/v1/directory/imports', json('hsds-json', service)));
      expect(code.report.errors).toEqual([expect.objectContaining({ field: 'attributes[0]', message: 'miracle_cure is not a directory service type' })]);
      expect(await count(w.organizationId)).toMatchObject({ organizations: 0, services: 0 });
    });

    it('answers 400 naming the field for a wrong format, JSON that is not JSON, a CSV package not in a zip, and 413 for a file too large', async () => {
      const w = await world();
      const fieldOf = async (body: unknown) => rejected(await w.manager.post('/api/v1/directory/imports', body)).error.fields?.map((f) => f.path);
      expect(await fieldOf({ format: 'excel', content: '[]' })).toEqual(['format']);
      expect(await fieldOf({ format: 'hsds-json', content: '{not json' })).toEqual(['content']);
      expect(await fieldOf({ format: 'hsds-csv', content: 'id,name\n' })).toEqual(['encoding']);
      expect(await fieldOf({ format: 'hsds-csv', encoding: 'base64', content: Buffer.from('not a zip').toString('base64') })).toEqual(['content']);
      expect(await fieldOf({ format: 'meeting-guide', content: '{"meetings": 3}' })).toEqual(['content']);
      expect(await fieldOf({ format: 'meeting-guide', content: '[]', label: 'Has Spaces' })).toEqual(['label']);
      const big = await w.manager.post('/api/v1/directory/imports', { format: 'hsds-json', content: 'x'.repeat(IMPORT_MAX_BYTES) });
      expect(big.statusCode).toBe(413);
      expect(big.json<ErrorBody>().error.code).toBe('request.too_large');
    });
  });

  describe('export', () => {
    /** A directory with a bit of everything: HSDS, meetings (online and in person), treatment facilities. */
    async function filled() {
      const w = await world();
      ok(await w.manager.post('/api/v1/directory/imports', json('hsds-json', hsdsExample('service_full.json'))));
      ok(await w.manager.post('/api/v1/directory/imports', json('meeting-guide', [...meetingGuideFeed(8), { slug: 'online-only', name: 'Online Only', day: [1, 3], time: '21:00', conference_url: 'https://meet.example.org/x', types: ['O'] }])));
      ok(await w.manager.post('/api/v1/directory/imports', json('findtreatment', findTreatmentExport(6))));
      return w;
    }

    it('round-trips through HSDS JSON into an empty organization: the same directory, valid HSDS, and unchanged when imported again', async () => {
      const a = await filled();
      const res = await a.manager.get('/api/v1/directory/export?format=hsds-json');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toContain('application/json');
      expect(res.headers['content-disposition']).toBe('attachment; filename="directory-hsds.json"');
      const doc = res.json<{ total_items: number; contents: unknown[] }>();
      expect(doc.total_items).toBe(doc.contents.length);

      const b = await world();
      const imported = ok<ImportResult>(await b.manager.post('/api/v1/directory/imports', { format: 'hsds-json', content: res.body }));
      expect(imported.warnings).toEqual([]);
      expect(await content(b.organizationId)).toEqual(await content(a.organizationId));
      expect((await count(b.organizationId)).searchRows).toBe((await count(a.organizationId)).searchRows);

      // Our own export back into the organization it came from: every entry matched, nothing doubled.
      const back = ok<ImportResult>(await a.manager.post('/api/v1/directory/imports', { format: 'hsds-json', content: res.body }));
      for (const kind of ['organizations', 'services', 'locations', 'serviceAtLocations'] as const) expect(back.counts[kind], kind).toMatchObject({ created: 0, updated: 0 });
    });

    it('round-trips through the HSDS CSV data package (a zip with datapackage.json)', async () => {
      const a = await filled();
      const res = await a.manager.get('/api/v1/directory/export?format=hsds-csv');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('application/zip');
      const files = readZip(res.rawPayload, { maxBytes: 50_000_000 });
      expect(Object.keys(files)).toEqual(expect.arrayContaining(['datapackage.json', 'organizations.csv', 'services.csv', 'locations.csv', 'service_at_location.csv', 'schedules.csv', 'phones.csv', 'attributes.csv', 'taxonomy_terms.csv']));
      const b = await world();
      const imported = ok<ImportResult>(await b.manager.post('/api/v1/directory/imports', { format: 'hsds-csv', encoding: 'base64', content: res.rawPayload.toString('base64') }));
      expect(imported.warnings).toEqual([]);
      expect(await content(b.organizationId)).toEqual(await content(a.organizationId));
    });

    it('exports only the caller’s organization, and is audited with counts', async () => {
      const a = await filled();
      const b = await world();
      ok(await b.manager.post('/api/v1/directory/imports', json('findtreatment', findTreatmentExport(2))));
      const doc = ok<{ contents: { name: string }[] }>(await b.manager.get('/api/v1/directory/export'));
      expect(doc.contents.map((o) => o.name).sort()).toEqual(['Fictional Recovery Center 1', 'Fictional Recovery Center 2']);
      expect(await auditEvents(t, { action: 'directory.export', organizationId: b.organizationId })).toEqual([
        expect.objectContaining({ outcome: 'success', targetType: 'directory', targetIds: [b.organizationId], details: { format: 'hsds-json', organizations: 2, services: 2, locations: 2 } }),
      ]);
      const imports = await auditEvents(t, { action: 'directory.import', organizationId: a.organizationId });
      expect(imports).toHaveLength(3);
      expect(imports[2]).toMatchObject({ outcome: 'success', details: { format: 'findtreatment', source: 'findtreatment', dryRun: false, counts: { services: { created: 6 } } } });
    });
  });

  describe('who may', () => {
    it('lets program managers and admins import and export; not coaches, supervisors or privacy officers', async () => {
      const w = await world();
      for (const role of ['coach', 'supervisor', 'privacy_officer'] as Role[]) {
        const c = await as(w.organizationId, [role]);
        expect((await c.post('/api/v1/directory/imports', json('meeting-guide', meetingGuideFeed(1)))).statusCode, role).toBe(403);
        expect((await c.get('/api/v1/directory/export')).statusCode, role).toBe(403);
      }
      const admin = await as(w.organizationId, ['admin']);
      ok(await admin.post('/api/v1/directory/imports', json('meeting-guide', meetingGuideFeed(1))));
      ok(await admin.get('/api/v1/directory/export'));
      expect((await count(w.organizationId)).services).toBe(1);
    });
  });
});

/** A directory's entries as sorted fingerprints, with the ids that differ between organizations replaced by what they point at. */
function canonical(model: DirectoryModel): string[] {
  const orgName = new Map(model.organizations.map((o) => [o.externalId, o.name]));
  const serviceName = new Map(model.services.map((s) => [s.externalId, `${s.name}|${orgName.get(s.organizationExternalId)}`]));
  const place = new Map(model.locations.map((l) => [l.externalId, `${l.name}|${l.address1}|${l.city}|${l.latitude}|${l.longitude}`]));
  return [
    ...model.organizations.map((o) => `org ${fingerprint({ ...o, externalId: '' })}`),
    ...model.services.map((s) => `service ${fingerprint({ ...s, externalId: '', organizationExternalId: orgName.get(s.organizationExternalId)! })}`),
    ...model.locations.map((l) => `location ${fingerprint({ ...l, externalId: '', organizationExternalId: l.organizationExternalId && orgName.get(l.organizationExternalId)! })}`),
    ...model.serviceAtLocations.map((x) => `sal ${fingerprint({ ...x, externalId: '', serviceExternalId: serviceName.get(x.serviceExternalId)!, locationExternalId: place.get(x.locationExternalId)! })}`),
  ].sort();
}

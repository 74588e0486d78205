/**
 * The resource directory through the HTTP API on a real database, with a fixed clock: editing by
 * program managers (audited, 409 on a stale version), search (distance order with km and miles,
 * from a point or a site, every filter, free text, paging, open now in the organization's time
 * zone), capacity and stock reports (stale after 30 days), flag → verify, bad input naming the
 * field, another organization's records not found, and the generated directory searched nearest
 * first exactly as a full sort would.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../contracts/common.js';
import type { DirectoryLocation, DirectoryOrganization, DirectorySearchResponse, DirectoryService } from '../../../contracts/directory.js';
import type { Role } from '../../../contracts/roles.js';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/helpers/app.js';
import { auditEvents } from '../../../../test/helpers/inspect.js';
import { buildOrganization, buildSite, buildUser, type BuiltUser } from '../../../../test/helpers/factories.js';
import { sessionFor } from '../../../../test/helpers/sessions.js';
import { distanceKm, insuranceMask } from './directory.repository.js';
import { generateDirectory } from './directory.generate.js';

const NOW = '2026-11-27T15:00:00.000Z'; // Friday 10:00 in New York

// Around a fictional town at 40.0 N, 75.0 W: 0.01° of latitude is about 1.1 km.
const HOME = { latitude: 40, longitude: -75 };

interface World {
  organizationId: string;
  manager: TestClient;
  coach: TestClient;
  admin: TestClient;
  managerUser: BuiltUser;
  coachUser: BuiltUser;
  as: (roles: Role[]) => Promise<TestClient>;
}

describe('directory', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t.close());

  const err = (res: { json: <T>() => T }) => res.json<ErrorBody>().error;
  const ok = <T>(res: { statusCode: number; body: string; json: <U>() => U }, status = 200): T => {
    expect(res.statusCode, res.body).toBe(status);
    return res.json<T>();
  };

  async function world(timeZone = 'America/New_York'): Promise<World> {
    const org = await buildOrganization(t.db, { timeZone });
    const as = async (roles: Role[]) => (await sessionFor(t, await buildUser(t.db, { organizationId: org.id, roles }))).client;
    const managerUser = await buildUser(t.db, { organizationId: org.id, roles: ['program_manager'], displayName: 'Morgan Manager' });
    const coachUser = await buildUser(t.db, { organizationId: org.id, roles: ['coach'], displayName: 'Casey Coach' });
    return {
      organizationId: org.id,
      manager: (await sessionFor(t, managerUser)).client,
      coach: (await sessionFor(t, coachUser)).client,
      admin: await as(['admin']),
      managerUser,
      coachUser,
      as,
    };
  }

  const newOrg = async (w: World, body: Record<string, unknown> = {}) =>
    ok<DirectoryOrganization>(await w.manager.post('/api/v1/directory/organizations', { name: 'Harbor Recovery Medicine', type: 'treating_provider', ...body }), 201);
  const newLocation = async (w: World, body: Record<string, unknown> = {}) =>
    ok<DirectoryLocation>(await w.manager.post('/api/v1/directory/locations', { name: 'Harbor main office', address1: '12 Main St', city: 'Alder Falls', stateProvince: 'PA', postalCode: '17001', ...HOME, ...body }), 201);
  /** A service at a new location `km` north of HOME. */
  async function place(w: World, name: string, km: number, body: Record<string, unknown> = {}, location: Record<string, unknown> = {}) {
    const org = await newOrg(w, { name: `${name} Org` });
    const loc = await newLocation(w, { directoryOrganizationId: org.id, latitude: HOME.latitude + km / 111.2, longitude: HOME.longitude, ...location });
    const service = ok<DirectoryService>(
      await w.manager.post('/api/v1/directory/services', { directoryOrganizationId: org.id, name, locationIds: [loc.id], serviceTypes: ['buprenorphine'], insurance: ['medicaid'], acceptingNew: true, ...body }),
      201,
    );
    return { org, loc, service };
  }
  const search = async (c: TestClient, body: Record<string, unknown>) => ok<DirectorySearchResponse>(await c.post('/api/v1/directory/search', body));
  const names = (r: DirectorySearchResponse) => r.results.map((x) => x.serviceName);

  describe('editing', () => {
    it('lets a program manager build an entry (organization, location with hours, service) that any coach reads; each write is audited', async () => {
      const w = await world();
      const org = await newOrg(w, { website: 'https://harbor.example.org', phones: [{ number: '555-0142', type: 'voice' }] });
      expect(org).toMatchObject({ name: 'Harbor Recovery Medicine', type: 'treating_provider', source: 'manual', externalId: null, version: 1, phones: [{ number: '555-0142' }] });
      const loc = await newLocation(w, { directoryOrganizationId: org.id, wheelchairAccessible: true, schedules: [{ weekday: 1, opensAt: '08:00', closesAt: '17:00' }] });
      const created = ok<DirectoryService>(
        await w.manager.post('/api/v1/directory/services', {
          directoryOrganizationId: org.id,
          name: 'Same-day buprenorphine starts',
          serviceTypes: ['buprenorphine', 'same_day_induction', 'buprenorphine'],
          insurance: ['medicaid', 'private'],
          languages: ['en', 'ES'],
          acceptingNew: true,
          telehealth: true,
          locationIds: [loc.id],
          schedules: [{ weekday: 5, opensAt: '09:00', closesAt: '17:00' }],
          phones: [{ number: '555-0150', extension: '2' }],
        }),
        201,
      );
      const entry = ok<DirectoryService>(await w.coach.get(`/api/v1/directory/services/${created.id}`));
      expect(entry).toMatchObject({
        name: 'Same-day buprenorphine starts',
        serviceTypes: ['buprenorphine', 'same_day_induction'],
        languages: ['en', 'es'],
        acceptingNew: true,
        telehealth: true,
        organization: { id: org.id, type: 'treating_provider' },
        schedules: [{ weekday: 5, opensAt: '09:00', closesAt: '17:00' }],
        phones: [{ number: '555-0150', extension: '2' }],
        openNow: true, // Friday 10:00 in New York
        capacity: null,
        openFlags: [],
        lastVerifiedAt: null,
        version: 1,
      });
      expect(entry.locations).toEqual([expect.objectContaining({ id: loc.id, wheelchairAccessible: true, address: expect.objectContaining({ city: 'Alder Falls' }), latitude: HOME.latitude })]);
      for (const action of ['directory.organization_create', 'directory.location_create', 'directory.service_create']) {
        expect(await auditEvents(t, { action, organizationId: w.organizationId }), action).toEqual([expect.objectContaining({ actorUserId: w.managerUser.id, outcome: 'success' })]);
      }
      // A coach reads but does not edit.
      expect((await w.coach.post('/api/v1/directory/organizations', { name: 'X', type: 'other' })).statusCode).toBe(403);
      expect((await w.coach.patch(`/api/v1/directory/services/${created.id}`, { name: 'X', version: 1 })).statusCode).toBe(403);
    });

    it('answers a stale version with 409 and the current entry, and names the field of bad input', async () => {
      const w = await world();
      const { service, loc, org } = await place(w, 'Beacon Clinic', 1);
      const first = ok<DirectoryService>(await w.manager.patch(`/api/v1/directory/services/${service.id}`, { acceptingNew: false, version: 1 }));
      expect(first).toMatchObject({ acceptingNew: false, version: 2 });
      const stale = await w.manager.patch(`/api/v1/directory/services/${service.id}`, { name: 'Renamed', version: 1 });
      expect(stale.statusCode).toBe(409);
      expect(err(stale)).toMatchObject({ code: 'record.conflict', details: { version: 2, current: expect.objectContaining({ name: 'Beacon Clinic', acceptingNew: false }) } });
      expect((await w.manager.patch(`/api/v1/directory/locations/${loc.id}`, { city: 'Elk Hollow', version: 5 })).statusCode).toBe(409);
      expect((await w.manager.patch(`/api/v1/directory/organizations/${org.id}`, { name: 'New name', version: 9 })).statusCode).toBe(409);

      const bad: [string, string, Record<string, unknown>, string][] = [
        ['POST', '/api/v1/directory/services', { directoryOrganizationId: org.id, name: '' }, 'name'],
        ['POST', '/api/v1/directory/services', { directoryOrganizationId: org.id, name: 'X', serviceTypes: ['detox_magic'] }, 'serviceTypes.0'],
        ['POST', '/api/v1/directory/services', { directoryOrganizationId: org.id, name: 'X', insurance: ['gold'] }, 'insurance.0'],
        ['POST', '/api/v1/directory/services', { directoryOrganizationId: org.id, name: 'X', minimumAge: 30, maximumAge: 18 }, 'maximumAge'],
        ['POST', '/api/v1/directory/services', { directoryOrganizationId: org.id, name: 'X', schedules: [{ weekday: 7, opensAt: '09:00' }] }, 'schedules.0.weekday'],
        ['POST', '/api/v1/directory/services', { directoryOrganizationId: org.id, name: 'X', schedules: [{ weekday: 1, opensAt: '25:00' }] }, 'schedules.0.opensAt'],
        ['POST', '/api/v1/directory/services', { directoryOrganizationId: org.id, name: 'X', locationIds: [crypto.randomUUID()] }, 'locationIds.0'],
        ['POST', '/api/v1/directory/services', { directoryOrganizationId: crypto.randomUUID(), name: 'X' }, 'directoryOrganizationId'],
        ['POST', '/api/v1/directory/organizations', { name: 'X', type: 'hospital' }, 'type'],
        ['POST', '/api/v1/directory/organizations', { name: 'X', type: 'other', website: 'harbor.example.org' }, 'website'],
        ['POST', '/api/v1/directory/locations', { latitude: 40 }, 'longitude'],
        ['POST', '/api/v1/directory/locations', { latitude: 91, longitude: 0 }, 'latitude'],
        ['PATCH', `/api/v1/directory/locations/${loc.id}`, { latitude: null, version: 1 }, 'longitude'],
        ['PATCH', `/api/v1/directory/services/${service.id}`, { minimumAge: 200, version: 2 }, 'minimumAge'],
      ];
      for (const [method, url, body, path] of bad) {
        const res = await w.manager.request(method as 'POST', url, body);
        expect(res.statusCode, `${url} ${JSON.stringify(body)}`).toBe(400);
        expect(err(res).fields?.map((f) => f.path), JSON.stringify(body)).toContain(path);
      }
    });

    it('deletes a service with everything on it, refuses to delete a location or organization still in use, and hides another organization’s records (404)', async () => {
      const w = await world();
      const { service, loc, org } = await place(w, 'Clearwater Counseling', 1);
      expect((await w.manager.delete(`/api/v1/directory/locations/${loc.id}`)).statusCode).toBe(409);
      expect((await w.manager.delete(`/api/v1/directory/organizations/${org.id}`)).statusCode).toBe(409);

      const other = await world();
      for (const res of [
        await other.coach.get(`/api/v1/directory/services/${service.id}`),
        await other.manager.patch(`/api/v1/directory/services/${service.id}`, { name: 'Mine now', version: 1 }),
        await other.coach.post(`/api/v1/directory/services/${service.id}/flags`, { topic: 'phone' }),
        await other.coach.post(`/api/v1/directory/services/${service.id}/capacity`, { slotsOpen: 3 }),
        await other.manager.delete(`/api/v1/directory/services/${service.id}`),
        await other.manager.patch(`/api/v1/directory/locations/${loc.id}`, { city: 'X', version: 1 }),
        await other.manager.delete(`/api/v1/directory/organizations/${org.id}`),
      ]) {
        expect(res.statusCode, res.body).toBe(404);
      }
      expect(names(await search(other.coach, { text: 'clearwater' }))).toEqual([]);
      // Another organization's directory organization is not one to attach a service to.
      const res = await other.manager.post('/api/v1/directory/services', { directoryOrganizationId: org.id, name: 'X' });
      expect(err(res).fields?.map((f) => f.path)).toEqual(['directoryOrganizationId']);

      await w.coach.post(`/api/v1/directory/services/${service.id}/flags`, { topic: 'phone' });
      ok(await w.manager.delete(`/api/v1/directory/services/${service.id}`));
      expect((await w.coach.get(`/api/v1/directory/services/${service.id}`)).statusCode).toBe(404);
      expect(names(await search(w.coach, { text: 'clearwater' }))).toEqual([]);
      ok(await w.manager.delete(`/api/v1/directory/locations/${loc.id}`));
      ok(await w.manager.delete(`/api/v1/directory/organizations/${org.id}`));
      expect(await auditEvents(t, { action: 'directory.service_delete', organizationId: w.organizationId })).toHaveLength(1);
    });
  });

  describe('search', () => {
    it('sorts by distance from a point or a site, with km and miles, and pages', async () => {
      const w = await world();
      await place(w, 'Far Clinic', 30);
      await place(w, 'Near Clinic', 2);
      await place(w, 'Middle Clinic', 12);
      await place(w, 'Very Far Clinic', 400);
      const r = await search(w.coach, { point: HOME });
      expect(names(r)).toEqual(['Near Clinic', 'Middle Clinic', 'Far Clinic', 'Very Far Clinic']);
      expect(r.origin).toEqual(HOME);
      expect(r.results[0]).toMatchObject({ distanceKm: 2, distanceMiles: 1.2 });
      expect(r.results[3]!.distanceKm).toBeCloseTo(400, 0);
      const page = await search(w.coach, { point: HOME, limit: 2, offset: 1 });
      expect(names(page)).toEqual(['Middle Clinic', 'Far Clinic']);
      expect(page.hasMore).toBe(true);
      expect((await search(w.coach, { point: HOME, limit: 2, offset: 2 })).hasMore).toBe(false);

      // From a site: a manager puts it on the map first.
      const site = await buildSite(t.db, w.organizationId, { name: 'Bay General ED' });
      const unplaced = await w.coach.post('/api/v1/directory/search', { siteId: site });
      expect(unplaced.statusCode).toBe(400);
      expect(err(unplaced).fields?.map((f) => f.path)).toEqual(['siteId']);
      expect((await w.coach.request('PUT', `/api/v1/directory/sites/${site}/point`, { latitude: HOME.latitude + 30 / 111.2, longitude: HOME.longitude })).statusCode).toBe(403);
      ok(await w.manager.request('PUT', `/api/v1/directory/sites/${site}/point`, { latitude: HOME.latitude + 30 / 111.2, longitude: HOME.longitude }));
      expect(ok<{ sites: unknown[] }>(await w.coach.get('/api/v1/directory/sites')).sites).toEqual([expect.objectContaining({ siteId: site, name: 'Bay General ED', latitude: expect.closeTo(40.27, 2) })]);
      expect(names(await search(w.coach, { siteId: site }))).toEqual(['Far Clinic', 'Middle Clinic', 'Near Clinic', 'Very Far Clinic']);
      // Another organization's site names nothing.
      const other = await world();
      expect((await other.coach.post('/api/v1/directory/search', { siteId: site })).statusCode).toBe(404);

      // Without a point: by name, no distances.
      const byName = await search(w.coach, {});
      expect(names(byName)).toEqual(['Far Clinic', 'Middle Clinic', 'Near Clinic', 'Very Far Clinic']);
      expect(byName.results[0]).toMatchObject({ distanceKm: null, distanceMiles: null });
      expect(byName.origin).toBeNull();
    });

    it('puts services with no place on the map after every located one', async () => {
      const w = await world();
      await place(w, 'Located Clinic', 5);
      const org = await newOrg(w, { name: 'Telehealth Only Org' });
      ok(await w.manager.post('/api/v1/directory/services', { directoryOrganizationId: org.id, name: 'Online buprenorphine visits', serviceTypes: ['buprenorphine'], telehealth: true }), 201);
      const r = await search(w.coach, { point: HOME, serviceTypes: ['buprenorphine'] });
      expect(names(r)).toEqual(['Located Clinic', 'Online buprenorphine visits']);
      expect(r.results[1]).toMatchObject({ distanceKm: null, locationId: null, address: null, telehealth: true });
      expect(names(await search(w.coach, { point: HOME, telehealth: true }))).toEqual(['Online buprenorphine visits']);
    });

    it('filters on every service type asked, any insurance asked, accepting new, telehealth, language, capacity and free text', async () => {
      const w = await world();
      await place(w, 'Bup Medicaid Open', 1, { serviceTypes: ['buprenorphine', 'same_day_induction'], insurance: ['medicaid'], acceptingNew: true, languages: ['en', 'es'] });
      await place(w, 'Bup Private Full', 2, { serviceTypes: ['buprenorphine'], insurance: ['private'], acceptingNew: false, telehealth: true });
      await place(w, 'Methadone Program', 3, { serviceTypes: ['otp_methadone'], insurance: ['medicaid', 'medicare'], acceptingNew: null });
      await place(w, 'NA Tuesday Night', 4, { serviceTypes: ['mutual_aid_na'], insurance: [], acceptingNew: null, languages: ['es'] }, { city: 'Fernbrook', postalCode: '19380' });
      const q = async (body: Record<string, unknown>) => names(await search(w.coach, { point: HOME, ...body }));

      expect(await q({ serviceTypes: ['buprenorphine'] })).toEqual(['Bup Medicaid Open', 'Bup Private Full']);
      expect(await q({ serviceTypes: ['buprenorphine', 'same_day_induction'] })).toEqual(['Bup Medicaid Open']);
      expect(await q({ insurance: ['medicare', 'private'] })).toEqual(['Bup Private Full', 'Methadone Program']);
      expect(await q({ insurance: ['medicaid'], serviceTypes: ['buprenorphine'], acceptingNew: true })).toEqual(['Bup Medicaid Open']);
      expect(await q({ acceptingNew: true })).toEqual(['Bup Medicaid Open']);
      expect(await q({ telehealth: true })).toEqual(['Bup Private Full']);
      expect(await q({ language: 'ES' })).toEqual(['Bup Medicaid Open', 'NA Tuesday Night']);
      expect(await q({ text: 'metha' })).toEqual(['Methadone Program']);
      expect(await q({ text: 'suboxone' })).toEqual(['Bup Medicaid Open', 'Bup Private Full']); // a word for the service type
      expect(await q({ text: 'narcotics anon' })).toEqual(['NA Tuesday Night']);
      expect(await q({ text: 'Fernbrook' })).toEqual(['NA Tuesday Night']);
      expect(await q({ text: '1938' })).toEqual(['NA Tuesday Night']);
      expect(await q({ text: 'bup medicaid' })).toEqual(['Bup Medicaid Open']);
      expect(await q({ text: 'nothing like this' })).toEqual([]);
      expect(await q({ hasCapacity: true })).toEqual([]);

      const r = await search(w.coach, { point: HOME, text: 'bup medicaid' });
      expect(r.results[0]).toMatchObject({
        organizationName: 'Bup Medicaid Open Org',
        organizationType: 'treating_provider',
        address: { address1: '12 Main St', city: 'Alder Falls', stateProvince: 'PA', postalCode: '17001', address2: null },
        serviceTypes: ['buprenorphine', 'same_day_induction'],
        insurance: ['medicaid'],
        languages: ['en', 'es'],
        acceptingNew: true,
        openNow: null, // no hours known
        openFlags: 0,
        lastVerifiedAt: null,
        capacity: null,
      });

      for (const [body, path] of [
        [{ serviceTypes: ['rehab'] }, 'serviceTypes.0'],
        [{ insurance: ['gold'] }, 'insurance.0'],
        [{ point: { latitude: 91, longitude: 0 } }, 'point.latitude'],
        [{ point: { latitude: 40, longitude: -181 } }, 'point.longitude'],
        [{ point: HOME, siteId: crypto.randomUUID() }, 'siteId'],
        [{ siteId: 'not-an-id' }, 'siteId'],
        [{ language: 'spanish' }, 'language'],
        [{ limit: 500 }, 'limit'],
        [{ offset: -1 }, 'offset'],
        [{ text: 'x'.repeat(101) }, 'text'],
        [{ openNow: 'yes' }, 'openNow'],
      ] as const) {
        const res = await w.coach.post('/api/v1/directory/search', body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(err(res).fields?.map((f) => f.path), JSON.stringify(body)).toContain(path);
      }
    });

    it('knows what is open now in the organization’s time zone, overnight hours included', async () => {
      const w = await world('America/Los_Angeles');
      const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opensAt: '09:00', closesAt: '17:00' }));
      await place(w, 'Day Clinic', 1, { schedules: weekdays });
      await place(w, 'Night Meeting', 2, { schedules: [{ weekday: 5, opensAt: '22:00', closesAt: '02:00' }] });
      await place(w, 'Unknown Hours', 3);
      // A new session at each time (the clock jumps past the idle limit).
      const open = async () => names(await search(await w.as(['coach']), { point: HOME, openNow: true }));

      t.clock.set('2026-11-27T16:30:00.000Z'); // Friday 08:30 in Los Angeles (11:30 in New York)
      expect(await open()).toEqual([]);
      const all = await search(await w.as(['coach']), { point: HOME });
      expect(all.results.map((r) => [r.serviceName, r.openNow])).toEqual([
        ['Day Clinic', false],
        ['Night Meeting', false],
        ['Unknown Hours', null],
      ]);
      t.clock.set('2026-11-27T17:30:00.000Z'); // Friday 09:30
      expect(await open()).toEqual(['Day Clinic']);
      t.clock.set('2026-11-28T00:59:00.000Z'); // Friday 16:59
      expect(await open()).toEqual(['Day Clinic']);
      t.clock.set('2026-11-28T01:00:00.000Z'); // Friday 17:00: closed
      expect(await open()).toEqual([]);
      t.clock.set('2026-11-28T06:30:00.000Z'); // Friday 22:30
      expect(await open()).toEqual(['Night Meeting']);
      t.clock.set('2026-11-28T09:59:00.000Z'); // Saturday 01:59: still the Friday meeting
      expect(await open()).toEqual(['Night Meeting']);
      t.clock.set('2026-11-28T10:00:00.000Z'); // Saturday 02:00
      expect(await open()).toEqual([]);
    });
  });

  describe('reports', () => {
    it('records capacity with who and when; "has capacity" finds it', async () => {
      const w = await world();
      const { service } = await place(w, 'Residential Program', 1, { serviceTypes: ['residential'] });
      const bad = await w.coach.post(`/api/v1/directory/services/${service.id}/capacity`, { note: 'called' });
      expect(err(bad).fields?.map((f) => f.path)).toEqual(['bedsOpen']);
      expect(err(await w.coach.post(`/api/v1/directory/services/${service.id}/capacity`, { bedsOpen: -1 })).fields?.map((f) => f.path)).toEqual(['bedsOpen']);
      const entry = ok<DirectoryService>(await w.coach.post(`/api/v1/directory/services/${service.id}/capacity`, { bedsOpen: 2, waitlistLength: 4 }));
      expect(entry.capacity).toEqual({ bedsOpen: 2, slotsOpen: null, waitlistLength: 4, updatedAt: NOW, updatedBy: { id: w.coachUser.id, name: 'Casey Coach' } });
      expect(entry.version).toBe(1); // a report is not an edit: a manager's open form stays current
      const r = await search(w.coach, { point: HOME, hasCapacity: true });
      expect(r.results.map((x) => [x.serviceName, x.capacity])).toEqual([['Residential Program', { bedsOpen: 2, slotsOpen: null, waitlistLength: 4, updatedAt: NOW }]]);
      ok(await w.coach.post(`/api/v1/directory/services/${service.id}/capacity`, { bedsOpen: 0 }));
      expect(names(await search(w.coach, { point: HOME, hasCapacity: true }))).toEqual([]);
      expect(await auditEvents(t, { action: 'directory.capacity_report', organizationId: w.organizationId })).toHaveLength(2);
      expect(await t.db.selectFrom('directory_capacity_reports').select('beds_open').where('service_id', '=', service.id).orderBy('reported_at').execute()).toHaveLength(2);
      // Admins keep the directory but do not report from the field.
      expect((await w.admin.post(`/api/v1/directory/services/${service.id}/capacity`, { bedsOpen: 1 })).statusCode).toBe(403);
    });

    it('shows pharmacy stock reports newest first, stale after 30 days, never dated in the future', async () => {
      const w = await world();
      const { service } = await place(w, 'Main Street Pharmacy', 1, { serviceTypes: ['pharmacy'] });
      ok(await w.coach.post(`/api/v1/directory/services/${service.id}/stock`, { inStock: true, formulation: 'bup_nal_film', observedOn: '2026-10-27' })); // 31 days ago
      let entry = ok<DirectoryService>(await w.coach.get(`/api/v1/directory/services/${service.id}`));
      expect(entry.stockReports).toEqual([expect.objectContaining({ inStock: true, formulation: 'bup_nal_film', observedOn: '2026-10-27', stale: true, reportedBy: { id: w.coachUser.id, name: 'Casey Coach' } })]);
      ok(await w.coach.post(`/api/v1/directory/services/${service.id}/stock`, { inStock: false, observedOn: '2026-10-28' })); // 30 days ago: not yet stale
      entry = ok<DirectoryService>(await w.coach.post(`/api/v1/directory/services/${service.id}/stock`, { inStock: false }));
      expect(entry.stockReports.map((s) => [s.observedOn, s.inStock, s.stale])).toEqual([
        ['2026-11-27', false, false],
        ['2026-10-28', false, false],
        ['2026-10-27', true, true],
      ]);
      const future = await w.coach.post(`/api/v1/directory/services/${service.id}/stock`, { inStock: true, observedOn: '2026-11-28' });
      expect(future.statusCode).toBe(400);
      expect(err(future).fields?.map((f) => f.path)).toEqual(['observedOn']);
      expect(err(await w.coach.post(`/api/v1/directory/services/${service.id}/stock`, { formulation: 'film' })).fields?.map((f) => f.path)).toEqual(expect.arrayContaining(['inStock', 'formulation']));
      expect(await auditEvents(t, { action: 'directory.stock_report', organizationId: w.organizationId })).toHaveLength(3);
    });

    it('shows a flag until a program manager verifies the entry, which stamps who and when', async () => {
      const w = await world();
      const { service } = await place(w, 'Evergreen Clinic', 1);
      const flagged = ok<DirectoryService>(await w.coach.post(`/api/v1/directory/services/${service.id}/flags`, { topic: 'phone', comment: 'Number is disconnected' }));
      expect(flagged.openFlags).toEqual([expect.objectContaining({ topic: 'phone', comment: 'Number is disconnected', createdAt: NOW, createdBy: { id: w.coachUser.id, name: 'Casey Coach' } })]);
      expect((await search(w.coach, { point: HOME })).results[0]).toMatchObject({ openFlags: 1, lastVerifiedAt: null });
      expect(err(await w.coach.post(`/api/v1/directory/services/${service.id}/flags`, { topic: 'rude' })).fields?.map((f) => f.path)).toEqual(['topic']);

      expect((await w.coach.post(`/api/v1/directory/services/${service.id}/verify`, {})).statusCode).toBe(403);
      t.clock.set('2026-11-28T14:00:00.000Z');
      w.manager = (await sessionFor(t, w.managerUser)).client;
      w.coach = (await sessionFor(t, w.coachUser)).client;
      expect(ok(await w.manager.post(`/api/v1/directory/services/${service.id}/verify`, {}))).toEqual({ lastVerifiedAt: '2026-11-28T14:00:00.000Z', flagsResolved: 1 });
      const entry = ok<DirectoryService>(await w.coach.get(`/api/v1/directory/services/${service.id}`));
      expect(entry).toMatchObject({ openFlags: [], lastVerifiedAt: '2026-11-28T14:00:00.000Z', lastVerifiedBy: { id: w.managerUser.id, name: 'Morgan Manager' } });
      expect((await search(w.coach, { point: HOME })).results[0]).toMatchObject({ openFlags: 0, lastVerifiedAt: '2026-11-28T14:00:00.000Z' });
      expect(await auditEvents(t, { action: 'directory.verify', organizationId: w.organizationId })).toEqual([expect.objectContaining({ actorUserId: w.managerUser.id, details: { flagsResolved: 1 } })]);
      expect(await auditEvents(t, { action: 'directory.flag', organizationId: w.organizationId })).toEqual([expect.objectContaining({ actorUserId: w.coachUser.id, details: { topic: 'phone' } })]);
    });
  });

  it('generates a fictional directory whose nearest-first search matches a full sort, page after page', async () => {
    const w = await world();
    const made = await generateDirectory(t.db, w.organizationId, { services: 600, seed: 7 });
    expect(made.services).toBe(600);
    const rows = await t.db.selectFrom('directory_search_rows').select(['id', 'latitude', 'longitude', 'types_mask']).where('organization_id', '=', w.organizationId).execute();
    expect(rows.length).toBeGreaterThanOrEqual(600);
    const origin = { latitude: 40.3, longitude: -77.1 };
    const expected = rows
      .filter((r) => r.latitude != null)
      .map((r) => ({ id: r.id, d: distanceKm(origin, { latitude: Number(r.latitude), longitude: Number(r.longitude) }) }))
      .sort((a, b) => a.d - b.d || (a.id < b.id ? -1 : 1));
    const seen: string[] = [];
    for (let offset = 0; offset < 150; offset += 50) {
      const r = await search(w.coach, { point: origin, limit: 50, offset });
      seen.push(...r.results.map((x) => x.locationId ?? x.serviceId));
      const ds = r.results.map((x) => x.distanceKm!);
      expect([...ds].sort((a, b) => a - b)).toEqual(ds);
    }
    const salIds = (await t.db.selectFrom('directory_search_rows').select(['id', 'location_id']).where('organization_id', '=', w.organizationId).execute());
    const loc = new Map(salIds.map((r) => [r.id, r.location_id]));
    expect(seen).toEqual(expected.slice(0, 150).map((e) => loc.get(e.id)));
    // A filter as a coach would use it: every result has the type.
    const bup = await search(w.coach, { point: origin, serviceTypes: ['buprenorphine'], insurance: ['medicaid'], limit: 50 });
    expect(bup.results.length).toBeGreaterThan(0);
    for (const r of bup.results) expect(r.serviceTypes).toContain('buprenorphine');
    for (const r of bup.results) expect(r.insurance).toContain('medicaid');

    // Free text near a point (read nearest first from the token index): the same order as a full
    // sort of every row with a word starting so, page after page, with and without another filter.
    for (const filter of [{}, { insurance: ['medicaid'] }]) {
      const matching = new Set(
        (await t.db.selectFrom('directory_search_tokens').select('row_id').where('organization_id', '=', w.organizationId).where('token', '>=', 'pharm').where('token', '<', 'pharn').execute()).map((r) => r.row_id),
      );
      const withInsurance = new Set((await t.db.selectFrom('directory_search_rows').select(['id', 'insurance_mask']).where('organization_id', '=', w.organizationId).execute()).filter((r) => !('insurance' in filter) || (r.insurance_mask & insuranceMask(['medicaid'])) !== 0).map((r) => r.id));
      const want = expected.filter((e) => matching.has(e.id) && withInsurance.has(e.id)).map((e) => loc.get(e.id));
      expect(want.length).toBeGreaterThan(45);
      const got: (string | null)[] = [];
      for (let offset = 0; offset < 45; offset += 15) {
        const r = await search(w.coach, { point: origin, text: 'pharm', limit: 15, offset, ...filter });
        got.push(...r.results.map((x) => x.locationId ?? x.serviceId));
        expect(r.hasMore).toBe(true);
      }
      expect(got).toEqual(want.slice(0, 45));
    }
  });
});

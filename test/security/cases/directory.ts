/** Route cases for search, read and edit the resource directory, flag and verify entries, report pharmacy stock and capacity (see ../route-cases.ts). */
import { randomUUID } from 'node:crypto';
import { can } from '../../../src/server/platform/http/access.js';
import type { TestApp } from '../../helpers/app.js';
import { buildSite } from '../../helpers/factories.js';
import { insertLocation, insertOrganization, insertService, refreshSearchRows, setServiceLocations, setSitePoint } from '../../../src/server/modules/directory/directory.repository.js';
import type { RouteCase } from '../case-types.js';

const NOW = () => new Date().toISOString();

/** A directory organization of `org` with one location and one buprenorphine service there. */
async function entry(t: TestApp, org: string) {
  const directoryOrganizationId = await insertOrganization(t.db, org, { name: 'Harbor Recovery Medicine', type: 'treating_provider' }, NOW());
  const locationId = await insertLocation(t.db, org, { directoryOrganizationId, name: 'Harbor main office', latitude: 40, longitude: -75 }, NOW());
  const serviceId = await insertService(t.db, org, { directoryOrganizationId, name: 'Buprenorphine starts', serviceTypes: ['buprenorphine'], insurance: ['medicaid'] }, NOW());
  await setServiceLocations(t.db, org, serviceId, [locationId], NOW());
  await refreshSearchRows(t.db, org, [serviceId]);
  return { directoryOrganizationId, locationId, serviceId };
}
/** A directory organization with nothing in it (free to delete). */
const bareOrganization = (t: TestApp, org: string) => insertOrganization(t.db, org, { name: 'Open Door Community Services', type: 'community_service' }, NOW());
const bareLocation = (t: TestApp, org: string) => insertLocation(t.db, org, { name: 'Church hall', latitude: 40.1, longitude: -75.1 }, NOW());
async function placedSite(t: TestApp, org: string) {
  const siteId = await buildSite(t.db, org);
  await setSitePoint(t.db, org, siteId, { latitude: 40, longitude: -75 }, null, NOW());
  return siteId;
}

const service = async (t: TestApp, org: string) => (await entry(t, org)).serviceId;

export const directoryCases: Record<string, RouteCase> = {
  'POST /api/v1/directory/search': {
    access: can('directory.read'),
    valid: async ({ t, organizationId }) => ({ url: '/api/v1/directory/search', body: { siteId: await placedSite(t, organizationId), serviceTypes: ['buprenorphine'], insurance: ['medicaid'] } }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: '/api/v1/directory/search', body: { siteId: await placedSite(t, otherOrganizationId) } }),
    missing: () => Promise.resolve({ url: '/api/v1/directory/search', body: { siteId: randomUUID() } }),
    invalid: { body: { serviceTypes: ['rehab'] }, path: 'serviceTypes.0' },
  },
  'GET /api/v1/directory/services/:id': {
    access: can('directory.read'),
    valid: async ({ t, organizationId }) => ({ url: `/api/v1/directory/services/${await service(t, organizationId)}` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/directory/services/${await service(t, otherOrganizationId)}` }),
  },
  'GET /api/v1/directory/organizations': {
    access: can('directory.read'),
    valid: () => Promise.resolve({ url: '/api/v1/directory/organizations?name=harb' }),
  },
  'GET /api/v1/directory/sites': {
    access: can('directory.read'),
    valid: () => Promise.resolve({ url: '/api/v1/directory/sites' }),
  },
  'POST /api/v1/directory/services/:id/capacity': {
    access: can('directory.report'),
    valid: async ({ t, organizationId }) => ({ url: `/api/v1/directory/services/${await service(t, organizationId)}/capacity`, body: { slotsOpen: 3, waitlistLength: 0 } }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/directory/services/${await service(t, otherOrganizationId)}/capacity`, body: { slotsOpen: 3 } }),
    invalid: { body: { slotsOpen: -2 }, path: 'slotsOpen' },
  },
  'POST /api/v1/directory/services/:id/stock': {
    access: can('directory.report'),
    valid: async ({ t, organizationId }) => ({ url: `/api/v1/directory/services/${await service(t, organizationId)}/stock`, body: { inStock: true, formulation: 'bup_nal_film' } }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/directory/services/${await service(t, otherOrganizationId)}/stock`, body: { inStock: true } }),
    invalid: { body: { inStock: 'yes' }, path: 'inStock' },
  },
  'POST /api/v1/directory/services/:id/flags': {
    access: can('directory.report'),
    valid: async ({ t, organizationId }) => ({ url: `/api/v1/directory/services/${await service(t, organizationId)}/flags`, body: { topic: 'phone', comment: 'Disconnected' } }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/directory/services/${await service(t, otherOrganizationId)}/flags`, body: { topic: 'phone' } }),
    invalid: { body: { topic: 'rude' }, path: 'topic' },
  },
  'POST /api/v1/directory/services/:id/verify': {
    access: can('directory.manage'),
    valid: async ({ t, organizationId }) => ({ url: `/api/v1/directory/services/${await service(t, organizationId)}/verify`, body: {} }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/directory/services/${await service(t, otherOrganizationId)}/verify`, body: {} }),
    invalid: { body: { note: '' }, path: 'note' },
  },
  'POST /api/v1/directory/organizations': {
    access: can('directory.manage'),
    status: 201,
    valid: () => Promise.resolve({ url: '/api/v1/directory/organizations', body: { name: 'Keystone Health Plan', type: 'health_plan' } }),
    invalid: { body: { name: 'Keystone Health Plan', type: 'insurer' }, path: 'type' },
  },
  'PATCH /api/v1/directory/organizations/:id': {
    access: can('directory.manage'),
    valid: async ({ t, organizationId }) => ({ url: `/api/v1/directory/organizations/${await bareOrganization(t, organizationId)}`, body: { name: 'Open Door Services', version: 1 } }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/directory/organizations/${await bareOrganization(t, otherOrganizationId)}`, body: { name: 'Open Door Services', version: 1 } }),
    invalid: { body: { name: '', version: 1 }, path: 'name' },
  },
  'DELETE /api/v1/directory/organizations/:id': {
    access: can('directory.manage'),
    valid: async ({ t, organizationId }) => ({ url: `/api/v1/directory/organizations/${await bareOrganization(t, organizationId)}` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/directory/organizations/${await bareOrganization(t, otherOrganizationId)}` }),
  },
  'POST /api/v1/directory/locations': {
    access: can('directory.manage'),
    status: 201,
    valid: () => Promise.resolve({ url: '/api/v1/directory/locations', body: { name: 'Church hall', address1: '4 Bridge St', city: 'Fernbrook', latitude: 39.96, longitude: -75.6 } }),
    invalid: { body: { latitude: 39.96 }, path: 'longitude' },
  },
  'PATCH /api/v1/directory/locations/:id': {
    access: can('directory.manage'),
    valid: async ({ t, organizationId }) => ({ url: `/api/v1/directory/locations/${await bareLocation(t, organizationId)}`, body: { city: 'Fernbrook', version: 1 } }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/directory/locations/${await bareLocation(t, otherOrganizationId)}`, body: { city: 'Fernbrook', version: 1 } }),
    invalid: { body: { latitude: 120, version: 1 }, path: 'latitude' },
  },
  'DELETE /api/v1/directory/locations/:id': {
    access: can('directory.manage'),
    valid: async ({ t, organizationId }) => ({ url: `/api/v1/directory/locations/${await bareLocation(t, organizationId)}` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/directory/locations/${await bareLocation(t, otherOrganizationId)}` }),
  },
  'POST /api/v1/directory/services': {
    access: can('directory.manage'),
    status: 201,
    valid: async ({ t, organizationId }) => ({ url: '/api/v1/directory/services', body: { directoryOrganizationId: await bareOrganization(t, organizationId), name: 'Naloxone distribution', serviceTypes: ['naloxone'] } }),
    invalid: { body: { name: 'Naloxone distribution' }, path: 'directoryOrganizationId' },
  },
  'PATCH /api/v1/directory/services/:id': {
    access: can('directory.manage'),
    valid: async ({ t, organizationId }) => ({ url: `/api/v1/directory/services/${await service(t, organizationId)}`, body: { acceptingNew: true, version: 1 } }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/directory/services/${await service(t, otherOrganizationId)}`, body: { acceptingNew: true, version: 1 } }),
    invalid: { body: { serviceTypes: ['rehab'], version: 1 }, path: 'serviceTypes.0' },
  },
  'DELETE /api/v1/directory/services/:id': {
    access: can('directory.manage'),
    valid: async ({ t, organizationId }) => ({ url: `/api/v1/directory/services/${await service(t, organizationId)}` }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/directory/services/${await service(t, otherOrganizationId)}` }),
  },
  'PUT /api/v1/directory/sites/:id/point': {
    access: can('directory.manage'),
    valid: async ({ t, organizationId }) => ({ url: `/api/v1/directory/sites/${await buildSite(t.db, organizationId)}/point`, body: { latitude: 40.27, longitude: -76.88 } }),
    foreign: async ({ t, otherOrganizationId }) => ({ url: `/api/v1/directory/sites/${await buildSite(t.db, otherOrganizationId)}/point`, body: { latitude: 40.27, longitude: -76.88 } }),
    invalid: { body: { latitude: 40.27 }, path: 'longitude' },
  },
};

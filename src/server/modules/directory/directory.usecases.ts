/**
 * Rules of the resource directory. The directory is not participant data: reads are not audited,
 * every write is (ids, codes and changed field names only). Each organization keeps its own
 * directory: a record of another organization is not found (404). Any change to what search shows
 * rebuilds that service's search rows in the same transaction.
 */
import type { z } from 'zod';
import type {
  CapacityBody,
  CreateDirectoryLocationBody,
  CreateDirectoryOrganizationBody,
  CreateDirectoryServiceBody,
  DirectoryLocation,
  DirectoryOrganization,
  DirectorySearchBody,
  DirectorySearchResponse,
  DirectoryService,
  FlagBody,
  SitePointBody,
  StockBody,
  UpdateDirectoryLocationBody,
  UpdateDirectoryOrganizationBody,
  UpdateDirectoryServiceBody,
  VerifyBody,
} from '../../../contracts/directory.js';
import type { Ctx } from '../../platform/http/context.js';
import { AppError, errors } from '../../platform/errors.js';
import { localDate } from '../../platform/time.js';
import { offsetAt } from '../care/local-time.js';
import * as repo from './directory.repository.js';
import { presentEntry, presentLocation, presentOrganization, presentSearchHit } from './directory.presenters.js';

const changed = (patch: Record<string, unknown>): string[] => Object.keys(patch).filter((k) => k !== 'version' && patch[k] !== undefined);
const now = (ctx: Ctx) => ctx.clock.now().toISOString();
const org = (ctx: Ctx) => ctx.actor.organizationId;

/** Weekday (0 Sunday) and minute of the day, local to the zone. */
export function localWeekMinute(instant: Date, timeZone: string): { weekday: number; minute: number } {
  const wall = new Date(instant.getTime() + offsetAt(instant.getTime(), timeZone));
  return { weekday: wall.getUTCDay(), minute: wall.getUTCHours() * 60 + wall.getUTCMinutes() };
}

// ---- search

export async function search(ctx: Ctx, body: z.output<typeof DirectorySearchBody>): Promise<z.infer<typeof DirectorySearchResponse>> {
  const timeZone = await repo.organizationTimeZone(ctx.db, org(ctx));
  const at = localWeekMinute(ctx.clock.now(), timeZone);
  let origin: { latitude: number; longitude: number } | null = body.point ?? null;
  if (body.siteId) {
    const site = await repo.findSitePoint(ctx.db, org(ctx), body.siteId);
    if (!site) throw errors.notFound('site');
    if (site.latitude == null || site.longitude == null) throw errors.invalid('siteId', 'This site has no place on the map yet. Type coordinates, or ask a program manager to set the site’s location.');
    origin = { latitude: Number(site.latitude), longitude: Number(site.longitude) };
  }
  const filters: repo.SearchFilters = {
    // At most 6 words, each at least one letter; longer queries narrow no further in practice.
    words: [...new Set(repo.normalizeWords(body.text))].slice(0, 6),
    typesMask: repo.typesMask(body.serviceTypes ?? []),
    insuranceMask: repo.insuranceMask(body.insurance ?? []),
    acceptingNew: body.acceptingNew === true,
    telehealth: body.telehealth === true,
    language: body.language ?? null,
    openAt: body.openNow ? at : null,
    hasCapacity: body.hasCapacity === true,
  };
  if (origin) {
    const { hits, hasMore } = await repo.searchByDistance(ctx.db, org(ctx), filters, origin, body.offset, body.limit);
    return { results: hits.map((h) => presentSearchHit(h, h.distanceKm, at)), hasMore, origin };
  }
  const rows = await repo.searchByName(ctx.db, org(ctx), filters, body.offset, body.limit);
  return { results: rows.slice(0, body.limit).map((h) => presentSearchHit(h, null, at)), hasMore: rows.length > body.limit, origin: null };
}

// ---- an entry

export async function getService(ctx: Ctx, id: string): Promise<z.infer<typeof DirectoryService>> {
  const rows = await repo.loadServiceEntry(ctx.db, org(ctx), id);
  if (!rows) throw errors.notFound('service');
  const timeZone = await repo.organizationTimeZone(ctx.db, org(ctx));
  const today = localDate(ctx.clock.now(), timeZone);
  return presentEntry(rows, today, localWeekMinute(ctx.clock.now(), timeZone));
}

// ---- organizations

async function requireOrganization(ctx: Ctx, id: string, field?: string): Promise<repo.OrgRow> {
  const o = await repo.findOrganization(ctx.db, org(ctx), id);
  if (!o) throw field ? errors.invalid(field, 'Choose an organization of this directory') : errors.notFound('directory organization');
  return o;
}
async function organizationOut(ctx: Ctx, id: string): Promise<z.infer<typeof DirectoryOrganization>> {
  const o = await requireOrganization(ctx, id);
  return presentOrganization(o, await repo.phonesOfOrganization(ctx.db, org(ctx), [id]));
}

export async function listOrganizations(ctx: Ctx, name: string | undefined): Promise<z.infer<typeof DirectoryOrganization>[]> {
  const rows = await repo.listOrganizations(ctx.db, org(ctx), name, 50);
  const phones = await repo.phonesOfOrganization(ctx.db, org(ctx), rows.map((r) => r.id));
  return rows.map((r) => presentOrganization(r, phones.filter((p) => p.directory_organization_id === r.id)));
}

export async function createOrganization(ctx: Ctx, input: z.output<typeof CreateDirectoryOrganizationBody>): Promise<z.infer<typeof DirectoryOrganization>> {
  const id = await repo.insertOrganization(ctx.db, org(ctx), input, now(ctx));
  if (input.phones) await repo.replacePhones(ctx.db, org(ctx), { directory_organization_id: id }, input.phones, now(ctx));
  await ctx.audit({ action: 'directory.organization_create', targetType: 'directory_organization', targetIds: [id] });
  return organizationOut(ctx, id);
}

export async function updateOrganization(ctx: Ctx, id: string, input: z.output<typeof UpdateDirectoryOrganizationBody>): Promise<z.infer<typeof DirectoryOrganization>> {
  await requireOrganization(ctx, id);
  if (!(await repo.updateOrganization(ctx.db, org(ctx), id, input.version, input, now(ctx)))) {
    const current = await organizationOut(ctx, id);
    throw errors.conflict(current, current.version);
  }
  if (input.phones) await repo.replacePhones(ctx.db, org(ctx), { directory_organization_id: id }, input.phones, now(ctx));
  await repo.refreshSearchRows(ctx.db, org(ctx), await repo.servicesOfOrganization(ctx.db, org(ctx), id));
  await ctx.audit({ action: 'directory.organization_update', targetType: 'directory_organization', targetIds: [id], details: { fields: changed(input) } });
  return organizationOut(ctx, id);
}

export async function deleteOrganization(ctx: Ctx, id: string): Promise<{ ok: true }> {
  await requireOrganization(ctx, id);
  if (await repo.organizationInUse(ctx.db, org(ctx), id)) {
    throw new AppError('record.conflict', 'This organization still has services or locations. Remove them first.');
  }
  await repo.deleteOrganization(ctx.db, org(ctx), id);
  await ctx.audit({ action: 'directory.organization_delete', targetType: 'directory_organization', targetIds: [id] });
  return { ok: true };
}

// ---- locations

async function requireLocation(ctx: Ctx, id: string): Promise<repo.LocationRow> {
  const l = await repo.findLocation(ctx.db, org(ctx), id);
  if (!l) throw errors.notFound('location');
  return l;
}
async function locationOut(ctx: Ctx, id: string): Promise<z.infer<typeof DirectoryLocation>> {
  const l = await requireLocation(ctx, id);
  return presentLocation(l, await repo.schedulesOfLocation(ctx.db, org(ctx), id), (await repo.phonesOfLocation(ctx.db, org(ctx), id)).filter((p) => !p.service_id && !p.service_at_location_id));
}

export async function createLocation(ctx: Ctx, input: z.output<typeof CreateDirectoryLocationBody>): Promise<z.infer<typeof DirectoryLocation>> {
  if (input.directoryOrganizationId) await requireOrganization(ctx, input.directoryOrganizationId, 'directoryOrganizationId');
  const id = await repo.insertLocation(ctx.db, org(ctx), input, now(ctx));
  if (input.schedules) await repo.replaceSchedules(ctx.db, org(ctx), { location_id: id }, input.schedules, now(ctx));
  if (input.phones) await repo.replacePhones(ctx.db, org(ctx), { location_id: id }, input.phones, now(ctx));
  await ctx.audit({ action: 'directory.location_create', targetType: 'directory_location', targetIds: [id] });
  return locationOut(ctx, id);
}

export async function updateLocation(ctx: Ctx, id: string, input: z.output<typeof UpdateDirectoryLocationBody>): Promise<z.infer<typeof DirectoryLocation>> {
  const before = await requireLocation(ctx, id);
  if (input.directoryOrganizationId) await requireOrganization(ctx, input.directoryOrganizationId, 'directoryOrganizationId');
  const lat = input.latitude !== undefined ? input.latitude : before.latitude;
  const lon = input.longitude !== undefined ? input.longitude : before.longitude;
  if ((lat == null) !== (lon == null)) throw errors.invalid('longitude', 'Give both latitude and longitude, or neither');
  if (!(await repo.updateLocation(ctx.db, org(ctx), id, input.version, input, now(ctx)))) {
    const current = await locationOut(ctx, id);
    throw errors.conflict(current, current.version);
  }
  if (input.schedules) await repo.replaceSchedules(ctx.db, org(ctx), { location_id: id }, input.schedules, now(ctx));
  if (input.phones) await repo.replacePhones(ctx.db, org(ctx), { location_id: id }, input.phones, now(ctx));
  await repo.refreshSearchRows(ctx.db, org(ctx), await repo.servicesAtLocation(ctx.db, org(ctx), id));
  await ctx.audit({ action: 'directory.location_update', targetType: 'directory_location', targetIds: [id], details: { fields: changed(input) } });
  return locationOut(ctx, id);
}

export async function deleteLocation(ctx: Ctx, id: string): Promise<{ ok: true }> {
  await requireLocation(ctx, id);
  if ((await repo.servicesAtLocation(ctx.db, org(ctx), id)).length > 0) {
    throw new AppError('record.conflict', 'Services are still offered at this location. Remove it from those services first.');
  }
  await repo.deleteLocation(ctx.db, org(ctx), id);
  await ctx.audit({ action: 'directory.location_delete', targetType: 'directory_location', targetIds: [id] });
  return { ok: true };
}

// ---- services

async function requireService(ctx: Ctx, id: string): Promise<repo.ServiceRow> {
  const s = await repo.findService(ctx.db, org(ctx), id);
  if (!s) throw errors.notFound('service');
  return s;
}

async function checkLocations(ctx: Ctx, ids: readonly string[] | undefined): Promise<void> {
  if (!ids?.length) return;
  const found = await repo.existingLocationIds(ctx.db, org(ctx), ids);
  const i = ids.findIndex((l) => !found.has(l));
  if (i >= 0) throw errors.invalid(`locationIds.${i}`, 'Choose a location of this directory');
}

export async function createService(ctx: Ctx, input: z.output<typeof CreateDirectoryServiceBody>): Promise<z.infer<typeof DirectoryService>> {
  await requireOrganization(ctx, input.directoryOrganizationId, 'directoryOrganizationId');
  await checkLocations(ctx, input.locationIds);
  const id = await repo.insertService(ctx.db, org(ctx), input, now(ctx));
  if (input.locationIds) await repo.setServiceLocations(ctx.db, org(ctx), id, input.locationIds, now(ctx));
  if (input.schedules) await repo.replaceSchedules(ctx.db, org(ctx), { service_id: id }, input.schedules, now(ctx));
  if (input.phones) await repo.replacePhones(ctx.db, org(ctx), { service_id: id }, input.phones, now(ctx));
  await repo.refreshSearchRows(ctx.db, org(ctx), [id]);
  await ctx.audit({ action: 'directory.service_create', targetType: 'directory_service', targetIds: [id] });
  return getService(ctx, id);
}

export async function updateService(ctx: Ctx, id: string, input: z.output<typeof UpdateDirectoryServiceBody>): Promise<z.infer<typeof DirectoryService>> {
  const before = await requireService(ctx, id);
  if (input.directoryOrganizationId) await requireOrganization(ctx, input.directoryOrganizationId, 'directoryOrganizationId');
  await checkLocations(ctx, input.locationIds);
  const min = input.minimumAge !== undefined ? input.minimumAge : before.minimum_age;
  const max = input.maximumAge !== undefined ? input.maximumAge : before.maximum_age;
  if (min != null && max != null && min > max) throw errors.invalid('maximumAge', 'The maximum age is below the minimum');
  if (!(await repo.updateService(ctx.db, org(ctx), id, input.version, input, now(ctx)))) {
    const current = await getService(ctx, id);
    throw errors.conflict(current, current.version);
  }
  if (input.locationIds) await repo.setServiceLocations(ctx.db, org(ctx), id, input.locationIds, now(ctx));
  if (input.schedules) await repo.replaceSchedules(ctx.db, org(ctx), { service_id: id }, input.schedules, now(ctx));
  if (input.phones) await repo.replacePhones(ctx.db, org(ctx), { service_id: id }, input.phones, now(ctx));
  await repo.refreshSearchRows(ctx.db, org(ctx), [id]);
  await ctx.audit({ action: 'directory.service_update', targetType: 'directory_service', targetIds: [id], details: { fields: changed(input) } });
  return getService(ctx, id);
}

export async function deleteService(ctx: Ctx, id: string): Promise<{ ok: true }> {
  await requireService(ctx, id);
  await repo.deleteServiceRows(ctx.db, org(ctx), id);
  await ctx.audit({ action: 'directory.service_delete', targetType: 'directory_service', targetIds: [id] });
  return { ok: true };
}

// ---- what anyone on the team reports

export async function reportCapacity(ctx: Ctx, id: string, input: z.output<typeof CapacityBody>): Promise<z.infer<typeof DirectoryService>> {
  await requireService(ctx, id);
  await repo.recordCapacity(ctx.db, org(ctx), id, { bedsOpen: input.bedsOpen ?? null, slotsOpen: input.slotsOpen ?? null, waitlistLength: input.waitlistLength ?? null, note: input.note ?? null }, ctx.actor.userId, now(ctx));
  await repo.refreshSearchRows(ctx.db, org(ctx), [id]);
  await ctx.audit({ action: 'directory.capacity_report', targetType: 'directory_service', targetIds: [id] });
  return getService(ctx, id);
}

export async function reportStock(ctx: Ctx, id: string, input: z.output<typeof StockBody>): Promise<z.infer<typeof DirectoryService>> {
  await requireService(ctx, id);
  const today = localDate(ctx.clock.now(), await repo.organizationTimeZone(ctx.db, org(ctx)));
  const observedOn = input.observedOn ?? today;
  if (observedOn > today) throw errors.invalid('observedOn', 'Enter today or an earlier date');
  const reportId = await repo.recordStock(ctx.db, org(ctx), id, { inStock: input.inStock, formulation: input.formulation ?? null, observedOn, note: input.note ?? null }, ctx.actor.userId, now(ctx));
  await ctx.audit({ action: 'directory.stock_report', targetType: 'directory_service', targetIds: [id, reportId], details: { inStock: input.inStock } });
  return getService(ctx, id);
}

export async function flagService(ctx: Ctx, id: string, input: z.output<typeof FlagBody>): Promise<z.infer<typeof DirectoryService>> {
  await requireService(ctx, id);
  const flagId = await repo.insertFlag(ctx.db, org(ctx), id, { topic: input.topic, comment: input.comment ?? null }, ctx.actor.userId, now(ctx));
  await repo.refreshSearchRows(ctx.db, org(ctx), [id]);
  await ctx.audit({ action: 'directory.flag', targetType: 'directory_service', targetIds: [id, flagId], details: { topic: input.topic } });
  return getService(ctx, id);
}

export async function verifyService(ctx: Ctx, id: string, input: z.output<typeof VerifyBody>): Promise<{ lastVerifiedAt: string; flagsResolved: number }> {
  void input;
  await requireService(ctx, id);
  const at = now(ctx);
  const resolved = await repo.verifyService(ctx.db, org(ctx), id, ctx.actor.userId, at);
  await repo.refreshSearchRows(ctx.db, org(ctx), [id]);
  await ctx.audit({ action: 'directory.verify', targetType: 'directory_service', targetIds: [id, ...resolved], details: { flagsResolved: resolved.length } });
  return { lastVerifiedAt: at, flagsResolved: resolved.length };
}

// ---- sites on the map

export async function listSitePoints(ctx: Ctx) {
  const rows = await repo.listSitePoints(ctx.db, org(ctx));
  return { sites: rows.map((r) => ({ siteId: r.id, name: r.name, latitude: r.latitude == null ? null : Number(r.latitude), longitude: r.longitude == null ? null : Number(r.longitude) })) };
}

export async function setSitePoint(ctx: Ctx, siteId: string, input: z.output<typeof SitePointBody>) {
  const site = await repo.findSitePoint(ctx.db, org(ctx), siteId);
  if (!site) throw errors.notFound('site');
  await repo.setSitePoint(ctx.db, org(ctx), siteId, input, ctx.actor.userId, now(ctx));
  await ctx.audit({ action: 'directory.site_point', targetType: 'site', targetIds: [siteId] });
  return (await listSitePoints(ctx)).sites.find((s) => s.siteId === siteId)!;
}

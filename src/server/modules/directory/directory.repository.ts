/**
 * All SQL of the resource directory. Every query is filtered by the Lodestar organization (each
 * keeps its own directory). Source rows (organizations, services, locations, service at location,
 * schedules, phones, reports, flags) are the record; search reads only the derived rows that
 * `refreshSearchRows` rebuilds for a service in the same transaction as any change that feeds them
 * (the import module calls it too).
 */
import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type {
  DirectoryLocationsTable,
  DirectoryOrganizationsTable,
  DirectoryPhonesTable,
  DirectorySchedulesTable,
  DirectoryServicesTable,
} from '../../platform/db/tables-directory.js';
import { INSURANCE, SERVICE_TYPES } from '../../../contracts/directory.js';
import { newId } from '../../platform/ids.js';

export type OrgRow = Selectable<DirectoryOrganizationsTable>;
export type ServiceRow = Selectable<DirectoryServicesTable>;
export type LocationRow = Selectable<DirectoryLocationsTable>;
export type ScheduleRow = Selectable<DirectorySchedulesTable>;
export type PhoneRow = Selectable<DirectoryPhonesTable>;

const unique = <T>(a: readonly T[]): T[] => [...new Set(a)];
const chunks = <T>(a: readonly T[], n: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < a.length; i += n) out.push(a.slice(i, i + n));
  return out;
};
export const parseList = (json: string | null | undefined): string[] => {
  if (!json) return [];
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
};
const flag = (b: boolean | null | undefined): 0 | 1 | null => (b == null ? null : b ? 1 : 0);

// ---- codes as bit masks (positions in the contract's lists; those lists are append-only)

export function maskOf(codes: readonly string[], list: readonly string[]): number {
  let m = 0;
  for (const c of codes) {
    const i = list.indexOf(c);
    if (i >= 0) m |= 1 << i;
  }
  return m >>> 0;
}
export const typesMask = (codes: readonly string[]) => maskOf(codes, SERVICE_TYPES);
export const insuranceMask = (codes: readonly string[]) => maskOf(codes, INSURANCE);

// ---- words

/** Lower case, accents stripped, anything but letters and digits a space. */
export function normalizeWords(s: string | null | undefined): string[] {
  return (s ?? '')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
}
export const prefixEnd = (prefix: string): string => prefix.slice(0, -1) + String.fromCodePoint(prefix.codePointAt(prefix.length - 1)! + 1);

/** Words a coach may type for a service type, in English and Spanish. */
const TYPE_WORDS: Record<string, string> = {
  otp_methadone: 'methadone metadona otp opioid treatment program',
  buprenorphine: 'buprenorphine buprenorfina suboxone bupe moud',
  same_day_induction: 'same day walk in induction start',
  naltrexone: 'naltrexone naltrexona vivitrol',
  withdrawal_management: 'withdrawal management detox desintoxicacion',
  residential: 'residential residencial inpatient',
  intensive_outpatient: 'intensive outpatient iop',
  outpatient_counseling: 'outpatient counseling consejeria',
  recovery_housing: 'recovery housing sober living vivienda',
  harm_reduction: 'harm reduction syringe ssp reduccion',
  naloxone: 'naloxone naloxona narcan',
  peer_support: 'peer support recovery coach apoyo',
  mutual_aid_na: 'na narcotics anonymous narcoticos anonimos meeting',
  mutual_aid_aa: 'aa alcoholics anonymous alcoholicos anonimos meeting',
  mutual_aid_smart: 'smart recovery meeting',
  mutual_aid_mars: 'mars medication assisted recovery support meeting',
  mutual_aid_all_recovery: 'all recovery meeting',
  mental_health: 'mental health salud',
  housing: 'housing shelter vivienda',
  employment: 'employment jobs empleo',
  legal: 'legal aid court',
  transportation: 'transportation rides transporte',
  food: 'food pantry comida',
  pharmacy: 'pharmacy farmacia',
};

// ---- hours

export type Interval = [weekday: number, opensMin: number, closesMin: number];
const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Weekly opening intervals split at midnight. A missing end is one hour; an end at or before the start runs into the next day. */
export function intervalsOf(schedules: readonly Pick<ScheduleRow, 'weekday' | 'opens_at' | 'closes_at'>[]): Interval[] {
  const out: Interval[] = [];
  for (const s of schedules) {
    const open = minutes(s.opens_at);
    const close = s.closes_at == null ? open + 60 : minutes(s.closes_at);
    const day = Number(s.weekday);
    if (close > open && close <= 1440) out.push([day, open, close]);
    else {
      const end = close > 1440 ? close - 1440 : close;
      out.push([day, open, 1440]);
      if (end > 0) out.push([(day + 1) % 7, 0, end]);
    }
  }
  return out;
}
export const isOpenAt = (hours: readonly Interval[], weekday: number, minute: number): boolean | null =>
  hours.length === 0 ? null : hours.some(([d, o, c]) => d === weekday && o <= minute && minute < c);

// ---- organizations

export interface OrgInput {
  name?: string | undefined;
  alternateName?: string | null | undefined;
  description?: string | null | undefined;
  type?: string | undefined;
  email?: string | null | undefined;
  website?: string | null | undefined;
}
const orgColumns = (i: OrgInput) => ({
  ...(i.name !== undefined && { name: i.name }),
  ...(i.alternateName !== undefined && { alternate_name: i.alternateName }),
  ...(i.description !== undefined && { description: i.description }),
  ...(i.type !== undefined && { type: i.type }),
  ...(i.email !== undefined && { email: i.email }),
  ...(i.website !== undefined && { website: i.website }),
});

export async function insertOrganization(db: Executor, organizationId: string, i: OrgInput & { name: string; type: string }, now: string, source?: { source: string; externalId: string | null }): Promise<string> {
  const id = newId();
  await db
    .insertInto('directory_organizations')
    .values({ id, organization_id: organizationId, ...orgColumns(i), name: i.name, created_at: now, updated_at: now, ...(source && { source: source.source, external_id: source.externalId }) })
    .execute();
  return id;
}

export async function updateOrganization(db: Executor, organizationId: string, id: string, version: number, i: OrgInput, now: string): Promise<boolean> {
  const res = await db
    .updateTable('directory_organizations')
    .set((eb) => ({ ...orgColumns(i), updated_at: now, version: eb('version', '+', 1) }))
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export const findOrganization = (db: Executor, organizationId: string, id: string): Promise<OrgRow | undefined> =>
  db.selectFrom('directory_organizations').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();

export async function listOrganizations(db: Executor, organizationId: string, namePrefix: string | undefined, limit: number): Promise<OrgRow[]> {
  let q = db.selectFrom('directory_organizations').selectAll().where('organization_id', '=', organizationId);
  // Names are matched case-insensitively by their start, through the (organization, name) index
  // for the usual capitalised spelling.
  if (namePrefix) q = q.where(sql<string>`lower(name)`, 'like', `${namePrefix.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  return q.orderBy('name').orderBy('id').limit(limit).execute();
}

export async function organizationInUse(db: Executor, organizationId: string, id: string): Promise<boolean> {
  const s = await db.selectFrom('directory_services').select('id').where('organization_id', '=', organizationId).where('directory_organization_id', '=', id).limit(1).executeTakeFirst();
  const l = await db.selectFrom('directory_locations').select('id').where('organization_id', '=', organizationId).where('directory_organization_id', '=', id).limit(1).executeTakeFirst();
  return Boolean(s ?? l);
}

export async function deleteOrganization(db: Executor, organizationId: string, id: string): Promise<void> {
  await db.deleteFrom('directory_phones').where('organization_id', '=', organizationId).where('directory_organization_id', '=', id).execute();
  await db.deleteFrom('directory_organizations').where('organization_id', '=', organizationId).where('id', '=', id).execute();
}

/** Services of a directory organization (their search rows show its name and type). */
export async function servicesOfOrganization(db: Executor, organizationId: string, id: string): Promise<string[]> {
  return (await db.selectFrom('directory_services').select('id').where('organization_id', '=', organizationId).where('directory_organization_id', '=', id).execute()).map((r) => r.id);
}

// ---- phones and schedules (replaced as a list)

export interface PhoneInput {
  number: string;
  extension?: string | null | undefined;
  type?: string | null | undefined;
  description?: string | null | undefined;
}
export interface ScheduleInput {
  weekday: number;
  opensAt: string;
  closesAt?: string | null | undefined;
  attendingType?: string | null | undefined;
  meetingTypes?: string[] | null | undefined;
  description?: string | null | undefined;
}
type Owner = { directory_organization_id: string } | { service_id: string } | { location_id: string };

export async function replacePhones(db: Executor, organizationId: string, owner: Owner, phones: readonly PhoneInput[], now: string): Promise<void> {
  const [col, value] = Object.entries(owner)[0] as ['directory_organization_id' | 'service_id' | 'location_id', string];
  await db.deleteFrom('directory_phones').where('organization_id', '=', organizationId).where(col, '=', value).where('service_at_location_id', 'is', null).execute();
  if (phones.length === 0) return;
  await db
    .insertInto('directory_phones')
    .values(phones.map((p) => ({ id: newId(), organization_id: organizationId, [col]: value, number: p.number, extension: p.extension ?? null, type: p.type ?? null, description: p.description ?? null, created_at: now })))
    .execute();
}

export async function replaceSchedules(db: Executor, organizationId: string, owner: { service_id: string } | { location_id: string }, schedules: readonly ScheduleInput[], now: string): Promise<void> {
  const [col, value] = Object.entries(owner)[0] as ['service_id' | 'location_id', string];
  // A service's own hours have no location; a location's own hours belong to no service.
  const other = col === 'service_id' ? 'location_id' : 'service_id';
  await db.deleteFrom('directory_schedules').where('organization_id', '=', organizationId).where(col, '=', value).where(other, 'is', null).where('service_at_location_id', 'is', null).execute();
  if (schedules.length === 0) return;
  await db
    .insertInto('directory_schedules')
    .values(
      schedules.map((s) => ({
        id: newId(),
        organization_id: organizationId,
        [col]: value,
        weekday: s.weekday,
        opens_at: s.opensAt,
        closes_at: s.closesAt ?? null,
        attending_type: s.attendingType ?? null,
        meeting_types: s.meetingTypes ? JSON.stringify(s.meetingTypes) : null,
        description: s.description ?? null,
        created_at: now,
      })),
    )
    .execute();
}

// ---- locations

export interface LocationInput {
  directoryOrganizationId?: string | null | undefined;
  locationType?: string | undefined;
  name?: string | null | undefined;
  description?: string | null | undefined;
  url?: string | null | undefined;
  address1?: string | null | undefined;
  address2?: string | null | undefined;
  city?: string | null | undefined;
  stateProvince?: string | null | undefined;
  postalCode?: string | null | undefined;
  country?: string | null | undefined;
  latitude?: number | null | undefined;
  longitude?: number | null | undefined;
  transportation?: string | null | undefined;
  accessibility?: string | null | undefined;
  wheelchairAccessible?: boolean | null | undefined;
}
const locationColumns = (i: LocationInput) => ({
  ...(i.directoryOrganizationId !== undefined && { directory_organization_id: i.directoryOrganizationId }),
  ...(i.locationType !== undefined && { location_type: i.locationType }),
  ...(i.name !== undefined && { name: i.name }),
  ...(i.description !== undefined && { description: i.description }),
  ...(i.url !== undefined && { url: i.url }),
  ...(i.address1 !== undefined && { address_1: i.address1 }),
  ...(i.address2 !== undefined && { address_2: i.address2 }),
  ...(i.city !== undefined && { city: i.city }),
  ...(i.stateProvince !== undefined && { state_province: i.stateProvince }),
  ...(i.postalCode !== undefined && { postal_code: i.postalCode }),
  ...(i.country !== undefined && { country: i.country }),
  ...(i.latitude !== undefined && { latitude: i.latitude }),
  ...(i.longitude !== undefined && { longitude: i.longitude }),
  ...(i.transportation !== undefined && { transportation: i.transportation }),
  ...(i.accessibility !== undefined && { accessibility: i.accessibility }),
  ...(i.wheelchairAccessible !== undefined && { wheelchair_accessible: flag(i.wheelchairAccessible) }),
});

export async function insertLocation(db: Executor, organizationId: string, i: LocationInput, now: string, source?: { source: string; externalId: string | null }): Promise<string> {
  const id = newId();
  await db
    .insertInto('directory_locations')
    .values({ id, organization_id: organizationId, ...locationColumns(i), created_at: now, updated_at: now, ...(source && { source: source.source, external_id: source.externalId }) })
    .execute();
  return id;
}

export async function updateLocation(db: Executor, organizationId: string, id: string, version: number, i: LocationInput, now: string): Promise<boolean> {
  const res = await db
    .updateTable('directory_locations')
    .set((eb) => ({ ...locationColumns(i), updated_at: now, version: eb('version', '+', 1) }))
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export const findLocation = (db: Executor, organizationId: string, id: string): Promise<LocationRow | undefined> =>
  db.selectFrom('directory_locations').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();

export async function existingLocationIds(db: Executor, organizationId: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  return new Set((await db.selectFrom('directory_locations').select('id').where('organization_id', '=', organizationId).where('id', 'in', ids).execute()).map((r) => r.id));
}

/** Services offered at a location. */
export async function servicesAtLocation(db: Executor, organizationId: string, locationId: string): Promise<string[]> {
  return (await db.selectFrom('directory_service_at_location').select('service_id').where('organization_id', '=', organizationId).where('location_id', '=', locationId).execute()).map((r) => r.service_id);
}

export async function deleteLocation(db: Executor, organizationId: string, id: string): Promise<void> {
  await db.deleteFrom('directory_schedules').where('organization_id', '=', organizationId).where('location_id', '=', id).execute();
  await db.deleteFrom('directory_phones').where('organization_id', '=', organizationId).where('location_id', '=', id).execute();
  await db.deleteFrom('directory_locations').where('organization_id', '=', organizationId).where('id', '=', id).execute();
}

// ---- services

export interface ServiceInput {
  directoryOrganizationId?: string | undefined;
  name?: string | undefined;
  alternateName?: string | null | undefined;
  description?: string | null | undefined;
  url?: string | null | undefined;
  email?: string | null | undefined;
  status?: string | undefined;
  serviceTypes?: readonly string[] | undefined;
  insurance?: readonly string[] | undefined;
  languages?: readonly string[] | undefined;
  acceptingNew?: boolean | null | undefined;
  telehealth?: boolean | undefined;
  eligibilityDescription?: string | null | undefined;
  feesDescription?: string | null | undefined;
  applicationProcess?: string | null | undefined;
  interpretationServices?: string | null | undefined;
  minimumAge?: number | null | undefined;
  maximumAge?: number | null | undefined;
}
const serviceColumns = (i: ServiceInput) => ({
  ...(i.directoryOrganizationId !== undefined && { directory_organization_id: i.directoryOrganizationId }),
  ...(i.name !== undefined && { name: i.name }),
  ...(i.alternateName !== undefined && { alternate_name: i.alternateName }),
  ...(i.description !== undefined && { description: i.description }),
  ...(i.url !== undefined && { url: i.url }),
  ...(i.email !== undefined && { email: i.email }),
  ...(i.status !== undefined && { status: i.status }),
  ...(i.serviceTypes !== undefined && { service_types: JSON.stringify(i.serviceTypes) }),
  ...(i.insurance !== undefined && { insurance: JSON.stringify(i.insurance) }),
  ...(i.languages !== undefined && { languages: JSON.stringify(i.languages) }),
  ...(i.acceptingNew !== undefined && { accepting_new: flag(i.acceptingNew) }),
  ...(i.telehealth !== undefined && { telehealth: i.telehealth ? (1 as const) : (0 as const) }),
  ...(i.eligibilityDescription !== undefined && { eligibility_description: i.eligibilityDescription }),
  ...(i.feesDescription !== undefined && { fees_description: i.feesDescription }),
  ...(i.applicationProcess !== undefined && { application_process: i.applicationProcess }),
  ...(i.interpretationServices !== undefined && { interpretation_services: i.interpretationServices }),
  ...(i.minimumAge !== undefined && { minimum_age: i.minimumAge }),
  ...(i.maximumAge !== undefined && { maximum_age: i.maximumAge }),
});

export async function insertService(db: Executor, organizationId: string, i: ServiceInput & { directoryOrganizationId: string; name: string }, now: string, source?: { source: string; externalId: string | null }): Promise<string> {
  const id = newId();
  await db
    .insertInto('directory_services')
    .values({
      id,
      organization_id: organizationId,
      ...serviceColumns(i),
      directory_organization_id: i.directoryOrganizationId,
      name: i.name,
      accepting_new: flag(i.acceptingNew),
      created_at: now,
      updated_at: now,
      ...(source && { source: source.source, external_id: source.externalId }),
    })
    .execute();
  return id;
}

export async function updateService(db: Executor, organizationId: string, id: string, version: number, i: ServiceInput, now: string): Promise<boolean> {
  const res = await db
    .updateTable('directory_services')
    .set((eb) => ({ ...serviceColumns(i), updated_at: now, version: eb('version', '+', 1) }))
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export const findService = (db: Executor, organizationId: string, id: string): Promise<ServiceRow | undefined> =>
  db.selectFrom('directory_services').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();

/** Where a service is offered: the list replaces the old one (hours and phones of dropped pairs go with them). */
export async function setServiceLocations(db: Executor, organizationId: string, serviceId: string, locationIds: readonly string[], now: string): Promise<void> {
  const current = await db.selectFrom('directory_service_at_location').select(['id', 'location_id']).where('organization_id', '=', organizationId).where('service_id', '=', serviceId).execute();
  const wanted = new Set(locationIds);
  const dropped = current.filter((c) => !wanted.has(c.location_id)).map((c) => c.id);
  if (dropped.length > 0) {
    await db.deleteFrom('directory_schedules').where('service_at_location_id', 'in', dropped).execute();
    await db.deleteFrom('directory_phones').where('service_at_location_id', 'in', dropped).execute();
    await db.deleteFrom('directory_service_at_location').where('id', 'in', dropped).execute();
  }
  const have = new Set(current.map((c) => c.location_id));
  const added = locationIds.filter((l) => !have.has(l));
  if (added.length > 0) {
    await db
      .insertInto('directory_service_at_location')
      .values(added.map((location_id) => ({ id: newId(), organization_id: organizationId, service_id: serviceId, location_id, created_at: now })))
      .execute();
  }
}

/** Remove a service and everything that hangs off it, its search rows included. */
export async function deleteServiceRows(db: Executor, organizationId: string, serviceId: string): Promise<void> {
  await removeSearchRows(db, organizationId, [serviceId]);
  const sals = db.selectFrom('directory_service_at_location').select('id').where('organization_id', '=', organizationId).where('service_id', '=', serviceId);
  await db.deleteFrom('directory_schedules').where('organization_id', '=', organizationId).where((eb) => eb.or([eb('service_id', '=', serviceId), eb('service_at_location_id', 'in', sals)])).execute();
  await db.deleteFrom('directory_phones').where('organization_id', '=', organizationId).where((eb) => eb.or([eb('service_id', '=', serviceId), eb('service_at_location_id', 'in', sals)])).execute();
  for (const table of ['directory_service_at_location', 'directory_capacity_reports', 'directory_stock_reports', 'directory_flags'] as const) {
    await db.deleteFrom(table).where('organization_id', '=', organizationId).where('service_id', '=', serviceId).execute();
  }
  await db.deleteFrom('directory_services').where('organization_id', '=', organizationId).where('id', '=', serviceId).execute();
}

// ---- the entry: everything about one service

export interface ServiceEntryRows {
  service: ServiceRow;
  organization: OrgRow;
  organizationPhones: PhoneRow[];
  locations: (LocationRow & { salId: string })[];
  schedules: ScheduleRow[];
  phones: PhoneRow[];
  stock: { id: string; in_stock: number; formulation: string | null; observed_on: string; note: string | null; reported_at: string; reported_by: string | null; reporter: string | null }[];
  flags: { id: string; topic: string; comment: string | null; created_at: string; created_by: string | null; creator: string | null }[];
  names: Map<string, string>;
}

export async function loadServiceEntry(db: Executor, organizationId: string, id: string): Promise<ServiceEntryRows | undefined> {
  const service = await findService(db, organizationId, id);
  if (!service) return undefined;
  const organization = (await findOrganization(db, organizationId, service.directory_organization_id))!;
  const locations = await db
    .selectFrom('directory_service_at_location as sal')
    .innerJoin('directory_locations as l', 'l.id', 'sal.location_id')
    .selectAll('l')
    .select('sal.id as salId')
    .where('sal.organization_id', '=', organizationId)
    .where('sal.service_id', '=', id)
    .orderBy('l.name')
    .orderBy('l.id')
    .execute();
  const locIds = locations.map((l) => l.id);
  const salIds = locations.map((l) => l.salId);
  const schedules = await db
    .selectFrom('directory_schedules')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where((eb) => {
      const ors = [eb('service_id', '=', id)];
      if (locIds.length) ors.push(eb.and([eb('location_id', 'in', locIds), eb('service_id', 'is', null)]));
      if (salIds.length) ors.push(eb('service_at_location_id', 'in', salIds));
      return eb.or(ors);
    })
    .orderBy('weekday')
    .orderBy('opens_at')
    .execute();
  const phones = await db
    .selectFrom('directory_phones')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where((eb) => {
      const ors = [eb('service_id', '=', id), eb('directory_organization_id', '=', organization.id)];
      if (locIds.length) ors.push(eb('location_id', 'in', locIds));
      if (salIds.length) ors.push(eb('service_at_location_id', 'in', salIds));
      return eb.or(ors);
    })
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const stock = await db
    .selectFrom('directory_stock_reports as s')
    .leftJoin('users as u', 'u.id', 's.reported_by')
    .select(['s.id', 's.in_stock', 's.formulation', 's.observed_on', 's.note', 's.reported_at', 's.reported_by', 'u.display_name as reporter'])
    .where('s.organization_id', '=', organizationId)
    .where('s.service_id', '=', id)
    .orderBy('s.observed_on', 'desc')
    .orderBy('s.reported_at', 'desc')
    .limit(5)
    .execute();
  const flags = await db
    .selectFrom('directory_flags as f')
    .leftJoin('users as u', 'u.id', 'f.created_by')
    .select(['f.id', 'f.topic', 'f.comment', 'f.created_at', 'f.created_by', 'u.display_name as creator'])
    .where('f.organization_id', '=', organizationId)
    .where('f.service_id', '=', id)
    .where('f.resolved_at', 'is', null)
    .orderBy('f.created_at')
    .execute();
  const userIds = unique([service.capacity_updated_by, service.last_verified_by].filter((x): x is string => Boolean(x)));
  const names = new Map<string, string>();
  if (userIds.length) for (const u of await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', userIds).execute()) names.set(u.id, u.display_name);
  return {
    service,
    organization,
    organizationPhones: phones.filter((p) => p.directory_organization_id === organization.id && !p.service_id && !p.location_id),
    locations,
    schedules,
    phones: phones.filter((p) => !(p.directory_organization_id === organization.id && !p.service_id && !p.location_id)),
    stock: stock.map((s) => ({ ...s, observed_on: String(s.observed_on).slice(0, 10) })),
    flags,
    names,
  };
}

export async function phonesOfOrganization(db: Executor, organizationId: string, ids: readonly string[]): Promise<PhoneRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('directory_phones').selectAll().where('organization_id', '=', organizationId).where('directory_organization_id', 'in', ids).where('service_id', 'is', null).where('location_id', 'is', null).orderBy('created_at').orderBy('id').execute();
}

export async function schedulesOfLocation(db: Executor, organizationId: string, id: string): Promise<ScheduleRow[]> {
  return db.selectFrom('directory_schedules').selectAll().where('organization_id', '=', organizationId).where('location_id', '=', id).where('service_id', 'is', null).where('service_at_location_id', 'is', null).orderBy('weekday').orderBy('opens_at').execute();
}
export async function phonesOfLocation(db: Executor, organizationId: string, id: string): Promise<PhoneRow[]> {
  return db.selectFrom('directory_phones').selectAll().where('organization_id', '=', organizationId).where('location_id', '=', id).orderBy('created_at').orderBy('id').execute();
}

// ---- reports

export async function recordCapacity(
  db: Executor,
  organizationId: string,
  serviceId: string,
  c: { bedsOpen: number | null; slotsOpen: number | null; waitlistLength: number | null; note: string | null },
  by: string,
  now: string,
): Promise<void> {
  await db
    .insertInto('directory_capacity_reports')
    .values({ id: newId(), organization_id: organizationId, service_id: serviceId, beds_open: c.bedsOpen, slots_open: c.slotsOpen, waitlist_length: c.waitlistLength, note: c.note, reported_by: by, reported_at: now })
    .execute();
  // Not an edit of the entry: the version stays, so a manager's open edit form is not made stale by a coach's report.
  await db
    .updateTable('directory_services')
    .set({ beds_open: c.bedsOpen, slots_open: c.slotsOpen, waitlist_length: c.waitlistLength, capacity_updated_at: now, capacity_updated_by: by })
    .where('organization_id', '=', organizationId)
    .where('id', '=', serviceId)
    .execute();
}

export async function recordStock(
  db: Executor,
  organizationId: string,
  serviceId: string,
  s: { inStock: boolean; formulation: string | null; observedOn: string; note: string | null },
  by: string,
  now: string,
): Promise<string> {
  const id = newId();
  await db
    .insertInto('directory_stock_reports')
    .values({ id, organization_id: organizationId, service_id: serviceId, in_stock: s.inStock ? 1 : 0, formulation: s.formulation, observed_on: s.observedOn, note: s.note, reported_by: by, reported_at: now })
    .execute();
  return id;
}

export async function insertFlag(db: Executor, organizationId: string, serviceId: string, f: { topic: string; comment: string | null }, by: string, now: string): Promise<string> {
  const id = newId();
  await db.insertInto('directory_flags').values({ id, organization_id: organizationId, service_id: serviceId, topic: f.topic, comment: f.comment, created_by: by, created_at: now }).execute();
  return id;
}

/** Stamp the entry verified and resolve its open flags; returns the flags resolved. */
export async function verifyService(db: Executor, organizationId: string, serviceId: string, by: string, now: string): Promise<string[]> {
  const open = await db.selectFrom('directory_flags').select('id').where('organization_id', '=', organizationId).where('service_id', '=', serviceId).where('resolved_at', 'is', null).execute();
  if (open.length) {
    await db.updateTable('directory_flags').set({ resolved_at: now, resolved_by: by }).where('id', 'in', open.map((f) => f.id)).execute();
  }
  await db.updateTable('directory_services').set({ last_verified_at: now, last_verified_by: by }).where('organization_id', '=', organizationId).where('id', '=', serviceId).execute();
  return open.map((f) => f.id);
}

// ---- sites on the map

export async function listSitePoints(db: Executor, organizationId: string) {
  return db
    .selectFrom('sites as s')
    .leftJoin('directory_site_points as p', 'p.site_id', 's.id')
    .select(['s.id', 's.name', 'p.latitude', 'p.longitude'])
    .where('s.organization_id', '=', organizationId)
    .where('s.active', '=', 1)
    .orderBy('s.name')
    .orderBy('s.id')
    .execute();
}

export async function findSitePoint(db: Executor, organizationId: string, siteId: string) {
  return db
    .selectFrom('sites as s')
    .leftJoin('directory_site_points as p', 'p.site_id', 's.id')
    .select(['s.id', 'p.latitude', 'p.longitude'])
    .where('s.organization_id', '=', organizationId)
    .where('s.id', '=', siteId)
    .executeTakeFirst();
}

export async function setSitePoint(db: Executor, organizationId: string, siteId: string, p: { latitude: number; longitude: number }, by: string | null, now: string): Promise<void> {
  await db
    .insertInto('directory_site_points')
    .values({ site_id: siteId, organization_id: organizationId, latitude: p.latitude, longitude: p.longitude, updated_by: by, updated_at: now })
    .onConflict((oc) => oc.column('site_id').doUpdateSet({ latitude: p.latitude, longitude: p.longitude, updated_by: by, updated_at: now }))
    .execute();
}

export async function organizationTimeZone(db: Executor, organizationId: string): Promise<string> {
  const r = await db.selectFrom('organizations').select('time_zone').where('id', '=', organizationId).executeTakeFirst();
  return r?.time_zone ?? 'UTC';
}

// ---- search rows

export interface SearchSummary {
  serviceName: string;
  organizationName: string;
  organizationType: string;
  locationName: string | null;
  address: { address1: string | null; address2: string | null; city: string | null; stateProvince: string | null; postalCode: string | null } | null;
  phone: string | null;
  serviceTypes: string[];
  insurance: string[];
  languages: string[];
  acceptingNew: boolean | null;
  telehealth: boolean;
  capacity: { bedsOpen: number | null; slotsOpen: number | null; waitlistLength: number | null; updatedAt: string } | null;
  openFlags: number;
  lastVerifiedAt: string | null;
  hours: Interval[];
}

async function removeSearchRows(db: Executor, organizationId: string, serviceIds: readonly string[]): Promise<void> {
  const rows = db.selectFrom('directory_search_rows').select('id').where('organization_id', '=', organizationId).where('service_id', 'in', serviceIds);
  await db.deleteFrom('directory_search_tokens').where('organization_id', '=', organizationId).where('row_id', 'in', rows).execute();
  await db.deleteFrom('directory_search_hours').where('row_id', 'in', rows).execute();
  await db.deleteFrom('directory_search_rows').where('organization_id', '=', organizationId).where('service_id', 'in', serviceIds).execute();
}

/**
 * Fresh planner statistics for the search tables, after a bulk load (generate, a large import):
 * without them SQLite walks the geo index badly until the hourly PRAGMA optimize (measured at
 * 20,000 services: ~27 ms of CPU per search instead of ~2 ms). Both dialects accept it in a
 * transaction.
 */
export async function analyzeSearchTables(db: Executor): Promise<void> {
  for (const table of ['directory_search_rows', 'directory_search_tokens', 'directory_search_hours']) await sql`ANALYZE ${sql.table(table)}`.execute(db);
}

/** Bulk loads at least this large refresh the statistics (`analyzeSearchTables`). */
export const ANALYZE_AFTER_SERVICES = 200;

/**
 * Rebuild the search rows of these services from the source rows (inside the caller's
 * transaction). One row per service at a location (id = the service-at-location id), or one per
 * service offered nowhere in particular (id = the service id). Reads in batches: a whole
 * directory refreshes in a few queries per 400 services.
 */
export async function refreshSearchRows(db: Executor, organizationId: string, serviceIds: readonly string[]): Promise<void> {
  for (const chunk of chunks(unique(serviceIds), 400)) await refreshChunk(db, organizationId, chunk);
}

async function refreshChunk(db: Executor, organizationId: string, ids: string[]): Promise<void> {
  await removeSearchRows(db, organizationId, ids);
  const services = await db.selectFrom('directory_services').selectAll().where('organization_id', '=', organizationId).where('id', 'in', ids).execute();
  if (services.length === 0) return;
  const orgIds = unique(services.map((s) => s.directory_organization_id));
  const orgs = new Map((await db.selectFrom('directory_organizations').selectAll().where('organization_id', '=', organizationId).where('id', 'in', orgIds).execute()).map((o) => [o.id, o]));
  const sals = await db
    .selectFrom('directory_service_at_location as sal')
    .innerJoin('directory_locations as l', 'l.id', 'sal.location_id')
    .select(['sal.id as salId', 'sal.service_id', 'l.id', 'l.name', 'l.address_1', 'l.address_2', 'l.city', 'l.state_province', 'l.postal_code', 'l.latitude', 'l.longitude'])
    .where('sal.organization_id', '=', organizationId)
    .where('sal.service_id', 'in', ids)
    .execute();
  const locIds = unique(sals.map((s) => s.id));
  const salIds = sals.map((s) => s.salId);
  const schedules: ScheduleRow[] = [];
  const phones: PhoneRow[] = [];
  for (const [col, values] of [
    ['service_id', ids],
    ['location_id', locIds],
    ['service_at_location_id', salIds],
  ] as const) {
    for (const part of chunks(values, 400)) {
      schedules.push(...(await db.selectFrom('directory_schedules').selectAll().where('organization_id', '=', organizationId).where(col, 'in', part).execute()));
      phones.push(...(await db.selectFrom('directory_phones').selectAll().where('organization_id', '=', organizationId).where(col, 'in', part).execute()));
    }
  }
  phones.push(...(await phonesOfOrganization(db, organizationId, orgIds)));
  const flagCounts = new Map(
    (
      await db
        .selectFrom('directory_flags')
        .select(['service_id', sql<number>`count(*)`.as('n')])
        .where('organization_id', '=', organizationId)
        .where('service_id', 'in', ids)
        .where('resolved_at', 'is', null)
        .groupBy('service_id')
        .execute()
    ).map((r) => [r.service_id, Number(r.n)]),
  );

  const byKey = <T>(rows: T[], key: (r: T) => string | null): Map<string, T[]> => {
    const m = new Map<string, T[]>();
    for (const r of rows) {
      const k = key(r);
      if (k == null) continue;
      const list = m.get(k) ?? [];
      list.push(r);
      m.set(k, list);
    }
    return m;
  };
  const schedBySal = byKey(schedules, (s) => s.service_at_location_id);
  const schedByService = byKey(schedules, (s) => (s.service_at_location_id == null && s.location_id == null ? s.service_id : null));
  const schedByLocation = byKey(schedules, (s) => (s.service_at_location_id == null && s.service_id == null ? s.location_id : null));
  const phoneBySal = byKey(phones, (p) => p.service_at_location_id);
  const phoneByService = byKey(phones, (p) => (p.service_at_location_id == null ? p.service_id : null));
  const phoneByLocation = byKey(phones, (p) => (p.service_at_location_id == null && p.service_id == null ? p.location_id : null));
  const phoneByOrg = byKey(phones, (p) => (p.service_id == null && p.location_id == null && p.service_at_location_id == null ? p.directory_organization_id : null));
  const salsByService = byKey(sals, (s) => s.service_id);

  const rows: { id: string; organization_id: string; service_id: string; location_id: string | null; latitude: number | null; longitude: number | null; sort_name: string; types_mask: number; insurance_mask: number; accepting_new: 0 | 1; telehealth: 0 | 1; has_capacity: 0 | 1; active: 0 | 1; summary: string }[] = [];
  const tokens: { organization_id: string; token: string; row_id: string; latitude: number | null; longitude: number | null }[] = [];
  const hours: { row_id: string; weekday: number; opens_min: number; closes_min: number }[] = [];

  for (const s of services) {
    const org = orgs.get(s.directory_organization_id);
    const types = parseList(s.service_types);
    const insurance = parseList(s.insurance);
    const languages = parseList(s.languages);
    const baseWords = [s.name, s.alternate_name, org?.name, org?.alternate_name, ...types.map((t) => TYPE_WORDS[t] ?? '')].flatMap(normalizeWords);
    const capacity =
      s.capacity_updated_at != null ? { bedsOpen: s.beds_open, slotsOpen: s.slots_open, waitlistLength: s.waitlist_length, updatedAt: s.capacity_updated_at } : null;
    const places: (typeof sals[number] | null)[] = salsByService.get(s.id) ?? [null];
    for (const place of places) {
      const rowId = place ? place.salId : s.id;
      const sched = (place && schedBySal.get(place.salId)) ?? schedByService.get(s.id) ?? (place && schedByLocation.get(place.id)) ?? [];
      const phone =
        (place && phoneBySal.get(place.salId)?.[0]) ?? phoneByService.get(s.id)?.[0] ?? (place && phoneByLocation.get(place.id)?.[0]) ?? phoneByOrg.get(s.directory_organization_id)?.[0];
      const intervals = intervalsOf(sched);
      const summary: SearchSummary = {
        serviceName: s.name,
        organizationName: org?.name ?? '',
        organizationType: org?.type ?? 'other',
        locationName: place?.name ?? null,
        address: place ? { address1: place.address_1, address2: place.address_2, city: place.city, stateProvince: place.state_province, postalCode: place.postal_code } : null,
        phone: phone ? phone.number : null,
        serviceTypes: types,
        insurance,
        languages,
        acceptingNew: s.accepting_new == null ? null : s.accepting_new === 1,
        telehealth: s.telehealth === 1,
        capacity,
        openFlags: flagCounts.get(s.id) ?? 0,
        lastVerifiedAt: s.last_verified_at,
        hours: intervals,
      };
      rows.push({
        id: rowId,
        organization_id: organizationId,
        service_id: s.id,
        location_id: place?.id ?? null,
        latitude: place?.latitude ?? null,
        longitude: place?.longitude ?? null,
        sort_name: normalizeWords(s.name).join(' ') || s.name.toLowerCase(),
        types_mask: typesMask(types),
        insurance_mask: insuranceMask(insurance),
        accepting_new: s.accepting_new === 1 ? 1 : 0,
        telehealth: s.telehealth === 1 ? 1 : 0,
        has_capacity: (s.beds_open ?? 0) > 0 || (s.slots_open ?? 0) > 0 ? 1 : 0,
        active: s.status === 'active' ? 1 : 0,
        summary: JSON.stringify(summary),
      });
      const words = new Set([...baseWords, ...[place?.name, place?.city, place?.postal_code].flatMap(normalizeWords)]);
      for (const l of languages) words.add(`lang:${l}`);
      const latitude = place?.latitude ?? null;
      const longitude = place?.longitude ?? null;
      for (const token of words) tokens.push({ organization_id: organizationId, token, row_id: rowId, latitude, longitude });
      for (const [weekday, opens_min, closes_min] of intervals) hours.push({ row_id: rowId, weekday, opens_min, closes_min });
    }
  }
  for (const part of chunks(rows, 200)) await db.insertInto('directory_search_rows').values(part).execute();
  for (const part of chunks(tokens, 500)) await db.insertInto('directory_search_tokens').values(part).execute();
  for (const part of chunks(hours, 500)) await db.insertInto('directory_search_hours').values(part).execute();
}

// ---- search

export interface SearchFilters {
  words: string[];
  typesMask: number;
  insuranceMask: number;
  acceptingNew: boolean;
  telehealth: boolean;
  language: string | null;
  openAt: { weekday: number; minute: number } | null;
  hasCapacity: boolean;
}
export interface SearchHit {
  id: string;
  latitude: number | null;
  longitude: number | null;
  summary: string;
  service_id: string;
  location_id: string | null;
}

function filtered(db: Executor, organizationId: string, f: SearchFilters) {
  let q = db.selectFrom('directory_search_rows as r').where('r.organization_id', '=', organizationId).where('r.active', '=', 1);
  if (f.typesMask) q = q.where(sql<number>`r.types_mask & ${f.typesMask}`, '=', f.typesMask);
  if (f.insuranceMask) q = q.where(sql<number>`r.insurance_mask & ${f.insuranceMask}`, '<>', 0);
  if (f.acceptingNew) q = q.where('r.accepting_new', '=', 1);
  if (f.telehealth) q = q.where('r.telehealth', '=', 1);
  if (f.hasCapacity) q = q.where('r.has_capacity', '=', 1);
  const tokenRows = (lo: string, hi: string | null) => {
    let t = db.selectFrom('directory_search_tokens').select('row_id').where('organization_id', '=', organizationId);
    t = hi === null ? t.where('token', '=', lo) : t.where('token', '>=', lo).where('token', '<', hi);
    return t;
  };
  // A word of one or two letters (NA, AA, a state) is a whole word; longer ones match word starts.
  for (const w of f.words) q = q.where('r.id', 'in', w.length <= 2 ? tokenRows(w, null) : tokenRows(w, prefixEnd(w)));
  if (f.language) q = q.where('r.id', 'in', tokenRows(`lang:${f.language}`, null));
  if (f.openAt) {
    const { weekday, minute } = f.openAt;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('directory_search_hours as h')
          .select('h.row_id')
          .whereRef('h.row_id', '=', 'r.id')
          .where('h.weekday', '=', weekday)
          .where('h.opens_min', '<=', minute)
          .where('h.closes_min', '>', minute),
      ),
    );
  }
  return q;
}

/** Free text matching at most this many rows is sorted whole (no boxes, no walk of the name index). */
const TEXT_CAP = 1500;

/**
 * Sorted by name: a page of rows (one more than asked, to tell whether more follow). Free text
 * that matches few rows reads just those (id and name) and sorts them, rather than walking the
 * name index checking each row for the words.
 */
export async function searchByName(db: Executor, organizationId: string, f: SearchFilters, offset: number, limit: number): Promise<SearchHit[]> {
  let page: string[] | null = null;
  if (f.words.length > 0) {
    const few = await filtered(db, organizationId, f).select(['r.id', 'r.sort_name']).limit(TEXT_CAP + 1).execute();
    if (few.length <= TEXT_CAP) {
      page = few
        .sort((a, b) => (a.sort_name < b.sort_name ? -1 : a.sort_name > b.sort_name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .slice(offset, offset + limit + 1)
        .map((r) => r.id);
    }
  }
  // Ids first (narrow rows to sort or walk), then the page's summaries.
  page ??= (await filtered(db, organizationId, f).select('r.id').orderBy('r.sort_name').orderBy('r.id').offset(offset).limit(limit + 1).execute()).map((r) => r.id);
  if (page.length === 0) return [];
  const rows = new Map(
    (await db.selectFrom('directory_search_rows as r').select(['r.id', 'r.latitude', 'r.longitude', 'r.summary', 'r.service_id', 'r.location_id']).where('r.organization_id', '=', organizationId).where('r.id', 'in', page).execute()).map((r) => [r.id, r]),
  );
  return page.map((id) => rows.get(id)!);
}

const EARTH_KM = 6371.0088;
export function distanceKm(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Rows read per box query at most: a box holding more is narrowed instead of read whole. */
const BOX_CAP = 1500;

/**
 * Nearest first. Free text that matches few rows: those rows are read (their coordinates only)
 * and sorted. Otherwise a box around the point, from 8 km, sized from what the last box held
 * (doubling when it held nothing near, narrowing when it held more than BOX_CAP) until the circle
 * inside it holds enough matches; beyond 1,000 km the box is dropped. Box queries read only the
 * covering geo index; summaries are fetched for the page alone. Services with no coordinates
 * (online, telehealth only) come after every located one, by name.
 */
export async function searchByDistance(
  db: Executor,
  organizationId: string,
  f: SearchFilters,
  origin: { latitude: number; longitude: number },
  offset: number,
  limit: number,
): Promise<{ hits: (SearchHit & { distanceKm: number | null })[]; hasMore: boolean }> {
  const need = offset + limit + 1;
  const located0 = (rows: { id: string; latitude: number | null; longitude: number | null }[], radius: number) => {
    const out: { id: string; d: number }[] = [];
    for (const r of rows) {
      const d = distanceKm(origin, { latitude: Number(r.latitude), longitude: Number(r.longitude) });
      if (d <= radius) out.push({ id: r.id, d });
    }
    return out;
  };
  let located: { id: string; d: number }[] = [];
  let complete = false;
  let done = false;
  if (f.words.length > 0) {
    // The first word's located matches, nearest first by the database from the token index alone
    // (an equirectangular distance: exact enough to order them); batches of them are checked
    // against every other filter until enough pass. Each one's distance is then exact (haversine).
    const [first, ...rest] = f.words as [string, ...string[]];
    const cos = Math.cos((origin.latitude * Math.PI) / 180);
    const dLat = sql`(latitude - ${origin.latitude})`;
    const dLon = sql`((longitude - ${origin.longitude}) * ${cos})`;
    let t = db.selectFrom('directory_search_tokens').select(['row_id', 'latitude', 'longitude']).where('organization_id', '=', organizationId).where('latitude', 'is not', null);
    t = first.length <= 2 ? t.where('token', '=', first) : t.where('token', '>=', first).where('token', '<', prefixEnd(first));
    const ordered = t.orderBy(sql`${dLat} * ${dLat} + ${dLon} * ${dLon}`).orderBy('row_id');
    const others = { ...f, words: rest };
    const seen = new Set<string>();
    let at = 0;
    let exhausted = false;
    for (let batch = Math.max(50, need * 2); !exhausted && located.length < need; batch = Math.min(batch * 2, 1000)) {
      const rows = await ordered.offset(at).limit(batch).execute();
      at += rows.length;
      exhausted = rows.length < batch;
      const fresh = rows.filter((r) => !seen.has(r.row_id) && seen.add(r.row_id)); // a row with several words starting so
      if (fresh.length === 0) continue;
      const pass = new Set((await filtered(db, organizationId, others).select('r.id').where('r.id', 'in', fresh.map((r) => r.row_id)).execute()).map((r) => r.id));
      for (const r of fresh) if (pass.has(r.row_id)) located.push({ id: r.row_id, d: distanceKm(origin, { latitude: Number(r.latitude), longitude: Number(r.longitude) }) });
    }
    complete = exhausted;
    done = true;
  }
  let radius = 8;
  let lastTooFew = 0;
  let lastTooMany = Infinity;
  for (let step = 0; !done; step++) {
    let q = filtered(db, organizationId, f).select(['r.id', 'r.latitude', 'r.longitude']).where('r.latitude', 'is not', null);
    const unbounded = radius > 1000 || step >= 12;
    if (!unbounded) {
      const dLat = radius / 111.2;
      const cos = Math.max(0.01, Math.cos((Math.min(89, Math.abs(origin.latitude) + dLat) * Math.PI) / 180));
      const dLon = Math.min(180, radius / (111.2 * cos));
      q = q
        .where('r.latitude', '>=', origin.latitude - dLat)
        .where('r.latitude', '<=', origin.latitude + dLat)
        .where('r.longitude', '>=', origin.longitude - dLon)
        .where('r.longitude', '<=', origin.longitude + dLon)
        .limit(Math.max(BOX_CAP, need * 4) + 1);
    }
    const rows = await q.execute();
    if (!unbounded && rows.length > Math.max(BOX_CAP, need * 4)) {
      // Too many to read: narrow (but stay above the last box that held too few).
      lastTooMany = radius;
      radius = Math.max(radius / 2, (radius + lastTooFew) / 2);
      continue;
    }
    located = located0(rows, unbounded ? Infinity : radius);
    if (located.length >= need) break;
    if (unbounded) {
      complete = true;
      break;
    }
    lastTooFew = radius;
    // Matches grow with the area: aim for twice what is needed, at most halfway to a box that held too many.
    const grow = located.length === 0 ? 4 : Math.min(4, Math.max(1.3, Math.sqrt((2 * need) / located.length)));
    radius = Math.min(radius * grow, lastTooMany === Infinity ? Infinity : (radius + lastTooMany) / 2 > radius * 1.05 ? (radius + lastTooMany) / 2 : radius * grow);
  }
  located.sort((a, b) => a.d - b.d || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const page: { id: string; d: number | null }[] = located.slice(offset, offset + limit + 1);
  if (complete && page.length < limit + 1) {
    // Then the ones with no place on the map, by name.
    const skip = Math.max(0, offset - located.length);
    const more = await filtered(db, organizationId, f)
      .select('r.id')
      .where('r.latitude', 'is', null)
      .orderBy('r.sort_name')
      .orderBy('r.id')
      .offset(skip)
      .limit(limit + 1 - page.length)
      .execute();
    page.push(...more.map((m) => ({ id: m.id, d: null })));
  }
  const hasMore = page.length > limit;
  const shown = page.slice(0, limit);
  if (shown.length === 0) return { hits: [], hasMore: false };
  const full = new Map(
    (await db.selectFrom('directory_search_rows').select(['id', 'latitude', 'longitude', 'summary', 'service_id', 'location_id']).where('organization_id', '=', organizationId).where('id', 'in', shown.map((s) => s.id)).execute()).map((r) => [r.id, r]),
  );
  return { hits: shown.map((s) => ({ ...full.get(s.id)!, distanceKm: s.d })), hasMore };
}

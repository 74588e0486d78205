/**
 * The directory tables (migration 0006) as the import model: read one organization's whole
 * directory (for export and for comparing a file with what is there), and write a planned import.
 * Children (phones, schedules) belong to the most specific of their owners (service at location,
 * then service, then location, then organization) and are replaced with their owner.
 */
import type { Executor } from '../../../platform/db/database.js';
import { newId } from '../../../platform/ids.js';
import { ANALYZE_AFTER_SERVICES, analyzeSearchTables, refreshSearchRows } from '../directory.repository.js';
import type { DirectoryModel, LocationModel, OrganizationModel, PhoneModel, ScheduleModel, ServiceAtLocationModel, ServiceModel } from './model.js';

/** Where a model entity lives: its row, and the keys a file can name it by. */
export interface RowRef {
  id: string;
  source: string;
  externalId: string | null;
}

export interface LoadedDirectory {
  model: DirectoryModel;
  /** Row of each model entity, in the model's order. */
  refs: { organizations: RowRef[]; services: RowRef[]; locations: RowRef[]; serviceAtLocations: RowRef[] };
}

const list = (json: string | null): string[] => {
  if (!json) return [];
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
};

type Owned = { directory_organization_id?: string | null; service_id: string | null; location_id: string | null; service_at_location_id: string | null };
/** The one owner a phone or schedule row belongs to. */
function ownerKey(r: Owned): string {
  if (r.service_at_location_id) return `sal:${r.service_at_location_id}`;
  if (r.service_id) return `service:${r.service_id}`;
  if (r.location_id) return `location:${r.location_id}`;
  return `org:${r.directory_organization_id ?? ''}`;
}

const group = <T>(rows: T[], key: (r: T) => string): Map<string, T[]> => {
  const m = new Map<string, T[]>();
  for (const r of rows) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
  return m;
};

/** An organization's whole directory as the import model; an entity's external id is its file id, or its Lodestar id when it has none. */
export async function loadDirectory(db: Executor, organizationId: string): Promise<LoadedDirectory> {
  const orgs = await db.selectFrom('directory_organizations').selectAll().where('organization_id', '=', organizationId).orderBy('name').orderBy('id').execute();
  const services = await db.selectFrom('directory_services').selectAll().where('organization_id', '=', organizationId).orderBy('name').orderBy('id').execute();
  const locations = await db.selectFrom('directory_locations').selectAll().where('organization_id', '=', organizationId).orderBy('name').orderBy('id').execute();
  const sals = await db.selectFrom('directory_service_at_location').selectAll().where('organization_id', '=', organizationId).orderBy('id').execute();
  const phones = group(await db.selectFrom('directory_phones').selectAll().where('organization_id', '=', organizationId).orderBy('created_at').orderBy('id').execute(), ownerKey);
  const schedules = group(await db.selectFrom('directory_schedules').selectAll().where('organization_id', '=', organizationId).orderBy('weekday').orderBy('opens_at').orderBy('id').execute(), ownerKey);

  const ext = (r: { id: string; external_id: string | null }) => r.external_id ?? r.id;
  const orgExt = new Map(orgs.map((o) => [o.id, ext(o)]));
  const serviceExt = new Map(services.map((s) => [s.id, ext(s)]));
  const locationExt = new Map(locations.map((l) => [l.id, ext(l)]));
  const phonesOf = (key: string): PhoneModel[] => (phones.get(key) ?? []).map((p) => ({ number: p.number, extension: p.extension, type: p.type, description: p.description }));
  const schedulesOf = (key: string): ScheduleModel[] =>
    (schedules.get(key) ?? []).map((s) => ({
      weekday: Number(s.weekday),
      opensAt: s.opens_at,
      closesAt: s.closes_at,
      attendingType: s.attending_type === 'in_person' || s.attending_type === 'online' || s.attending_type === 'hybrid' ? s.attending_type : null,
      meetingTypes: s.meeting_types ? list(s.meeting_types) : null,
      description: s.description,
    }));
  const ref = (r: { id: string; source: string; external_id: string | null }): RowRef => ({ id: r.id, source: r.source, externalId: r.external_id });

  const model: DirectoryModel = {
    organizations: orgs.map(
      (o): OrganizationModel => ({ externalId: ext(o), name: o.name, alternateName: o.alternate_name, description: o.description, type: o.type, email: o.email, website: o.website, phones: phonesOf(`org:${o.id}`) }),
    ),
    services: services.map(
      (s): ServiceModel => ({
        externalId: ext(s),
        organizationExternalId: orgExt.get(s.directory_organization_id)!,
        name: s.name,
        alternateName: s.alternate_name,
        description: s.description,
        url: s.url,
        email: s.email,
        status: s.status,
        serviceTypes: list(s.service_types),
        insurance: list(s.insurance),
        languages: list(s.languages),
        acceptingNew: s.accepting_new === null ? null : Number(s.accepting_new) ? 1 : 0,
        telehealth: Number(s.telehealth) ? 1 : 0,
        eligibilityDescription: s.eligibility_description,
        feesDescription: s.fees_description,
        applicationProcess: s.application_process,
        interpretationServices: s.interpretation_services,
        minimumAge: s.minimum_age === null ? null : Number(s.minimum_age),
        maximumAge: s.maximum_age === null ? null : Number(s.maximum_age),
        phones: phonesOf(`service:${s.id}`),
        schedules: schedulesOf(`service:${s.id}`),
      }),
    ),
    locations: locations.map(
      (l): LocationModel => ({
        externalId: ext(l),
        organizationExternalId: l.directory_organization_id ? (orgExt.get(l.directory_organization_id) ?? null) : null,
        locationType: l.location_type === 'postal' || l.location_type === 'virtual' ? l.location_type : 'physical',
        name: l.name,
        description: l.description,
        url: l.url,
        address1: l.address_1,
        address2: l.address_2,
        city: l.city,
        stateProvince: l.state_province,
        postalCode: l.postal_code,
        country: l.country,
        latitude: l.latitude === null ? null : Number(l.latitude),
        longitude: l.longitude === null ? null : Number(l.longitude),
        transportation: l.transportation,
        accessibility: l.accessibility,
        wheelchairAccessible: l.wheelchair_accessible === null ? null : Number(l.wheelchair_accessible) ? 1 : 0,
        phones: phonesOf(`location:${l.id}`),
        schedules: schedulesOf(`location:${l.id}`),
      }),
    ),
    serviceAtLocations: sals.map(
      (x): ServiceAtLocationModel => ({
        externalId: ext(x),
        serviceExternalId: serviceExt.get(x.service_id)!,
        locationExternalId: locationExt.get(x.location_id)!,
        description: x.description,
        phones: phonesOf(`sal:${x.id}`),
        schedules: schedulesOf(`sal:${x.id}`),
      }),
    ),
  };
  return { model, refs: { organizations: orgs.map(ref), services: services.map(ref), locations: locations.map(ref), serviceAtLocations: sals.map(ref) } };
}

// ---- writing

type OwnerColumn = 'directory_organization_id' | 'service_id' | 'location_id' | 'service_at_location_id';
type ScheduleOwner = Exclude<OwnerColumn, 'directory_organization_id'>;

/** The owner columns that must be empty for a row to belong to an owner of this kind (see ownerKey). */
const MORE_SPECIFIC: Record<OwnerColumn, ScheduleOwner[]> = {
  service_at_location_id: [],
  service_id: ['service_at_location_id'],
  location_id: ['service_at_location_id', 'service_id'],
  directory_organization_id: ['service_at_location_id', 'service_id', 'location_id'],
};

/** Rows collected for inserting in batches. */
class Batch {
  readonly phones: Record<string, unknown>[] = [];
  readonly schedules: Record<string, unknown>[] = [];
  constructor(
    readonly organizationId: string,
    readonly source: string,
    readonly now: string,
  ) {}
  children(col: OwnerColumn, ownerId: string, phones: PhoneModel[], schedules: ScheduleModel[] | null) {
    for (const p of phones) this.phones.push({ id: newId(), organization_id: this.organizationId, [col]: ownerId, source: this.source, number: p.number, extension: p.extension, type: p.type, description: p.description, created_at: this.now });
    for (const x of schedules ?? []) {
      this.schedules.push({
        id: newId(),
        organization_id: this.organizationId,
        [col]: ownerId,
        source: this.source,
        weekday: x.weekday,
        opens_at: x.opensAt,
        closes_at: x.closesAt,
        attending_type: x.attendingType,
        meeting_types: x.meetingTypes ? JSON.stringify(x.meetingTypes) : null,
        description: x.description,
        created_at: this.now,
      });
    }
  }
}

/** Insert rows a few hundred at a time (SQLite and PostgreSQL both limit the parameters of one statement). */
async function insertAll(db: Executor, table: 'directory_organizations' | 'directory_locations' | 'directory_services' | 'directory_service_at_location' | 'directory_phones' | 'directory_schedules', rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    // The rows are built from the table's own columns above; Kysely cannot type a union of tables.
    await db.insertInto(table).values(rows.slice(i, i + 200) as never).execute();
  }
}

async function deleteChildren(db: Executor, organizationId: string, col: OwnerColumn, ownerId: string, schedulesToo: boolean): Promise<void> {
  let del = db.deleteFrom('directory_phones').where('organization_id', '=', organizationId).where(col, '=', ownerId);
  for (const m of MORE_SPECIFIC[col]) del = del.where(m, 'is', null);
  await del.execute();
  if (!schedulesToo || col === 'directory_organization_id') return;
  let delS = db.deleteFrom('directory_schedules').where('organization_id', '=', organizationId).where(col, '=', ownerId);
  for (const m of MORE_SPECIFIC[col]) delS = delS.where(m, 'is', null);
  await delS.execute();
}

const orgColumns = (o: OrganizationModel) => ({ name: o.name, alternate_name: o.alternateName, description: o.description, type: o.type, email: o.email, website: o.website });
const serviceColumns = (s: ServiceModel, directoryOrganizationId: string) => ({
  directory_organization_id: directoryOrganizationId,
  name: s.name,
  alternate_name: s.alternateName,
  description: s.description,
  url: s.url,
  email: s.email,
  status: s.status,
  service_types: JSON.stringify(s.serviceTypes),
  insurance: JSON.stringify(s.insurance),
  languages: JSON.stringify(s.languages),
  accepting_new: s.acceptingNew,
  telehealth: s.telehealth,
  eligibility_description: s.eligibilityDescription,
  fees_description: s.feesDescription,
  application_process: s.applicationProcess,
  interpretation_services: s.interpretationServices,
  minimum_age: s.minimumAge,
  maximum_age: s.maximumAge,
});
const locationColumns = (l: LocationModel, directoryOrganizationId: string | null) => ({
  directory_organization_id: directoryOrganizationId,
  location_type: l.locationType,
  name: l.name,
  description: l.description,
  url: l.url,
  address_1: l.address1,
  address_2: l.address2,
  city: l.city,
  state_province: l.stateProvince,
  postal_code: l.postalCode,
  country: l.country,
  latitude: l.latitude,
  longitude: l.longitude,
  transportation: l.transportation,
  accessibility: l.accessibility,
  wheelchair_accessible: l.wheelchairAccessible,
});

/** One planned change: create (a new row id) or update (the existing row). */
export type Step<T> = { entity: T; rowId: string; create: boolean };

export interface WritePlan {
  organizations: Step<OrganizationModel>[];
  locations: Step<LocationModel>[];
  services: Step<ServiceModel>[];
  serviceAtLocations: Step<ServiceAtLocationModel>[];
  /** Row id of every entity of the file, by external id (changed or not), to resolve references. */
  rowOf: { organization: Map<string, string>; location: Map<string, string>; service: Map<string, string> };
  /** Services whose search rows must be rebuilt (changed, or something they show changed). */
  touchedServices: Set<string>;
}

/**
 * Write a plan in the caller's transaction, then rebuild the search rows of every service it
 * touched. New rows carry the import's source and their external id; updated rows keep theirs
 * (an entry first made by hand and matched by its Lodestar id stays "manual").
 */
export async function applyPlan(db: Executor, organizationId: string, source: string, plan: WritePlan, now: string): Promise<void> {
  const batch = new Batch(organizationId, source, now);
  const created = { source, created_at: now, updated_at: now, organization_id: organizationId };
  const bump = { updated_at: now };

  const newOrgs: Record<string, unknown>[] = [];
  for (const { entity: o, rowId, create } of plan.organizations) {
    if (create) newOrgs.push({ id: rowId, ...created, external_id: o.externalId, ...orgColumns(o) });
    else {
      await db.updateTable('directory_organizations').set((eb) => ({ ...orgColumns(o), ...bump, version: eb('version', '+', 1) })).where('organization_id', '=', organizationId).where('id', '=', rowId).execute();
      await deleteChildren(db, organizationId, 'directory_organization_id', rowId, false);
    }
    batch.children('directory_organization_id', rowId, o.phones, null);
  }
  await insertAll(db, 'directory_organizations', newOrgs);

  const newLocations: Record<string, unknown>[] = [];
  for (const { entity: l, rowId, create } of plan.locations) {
    const owner = l.organizationExternalId ? (plan.rowOf.organization.get(l.organizationExternalId) ?? null) : null;
    if (create) newLocations.push({ id: rowId, ...created, external_id: l.externalId, ...locationColumns(l, owner) });
    else {
      // No owner in the file: the place keeps the one it has (see plan.ts).
      const { directory_organization_id: _kept, ...rest } = locationColumns(l, owner);
      const columns = owner === null ? rest : { ...rest, directory_organization_id: owner };
      await db.updateTable('directory_locations').set((eb) => ({ ...columns, ...bump, version: eb('version', '+', 1) })).where('organization_id', '=', organizationId).where('id', '=', rowId).execute();
      await deleteChildren(db, organizationId, 'location_id', rowId, true);
    }
    batch.children('location_id', rowId, l.phones, l.schedules);
  }
  await insertAll(db, 'directory_locations', newLocations);

  const newServices: Record<string, unknown>[] = [];
  for (const { entity: s, rowId, create } of plan.services) {
    const owner = plan.rowOf.organization.get(s.organizationExternalId)!;
    if (create) newServices.push({ id: rowId, ...created, external_id: s.externalId, ...serviceColumns(s, owner) });
    else {
      await db.updateTable('directory_services').set((eb) => ({ ...serviceColumns(s, owner), ...bump, version: eb('version', '+', 1) })).where('organization_id', '=', organizationId).where('id', '=', rowId).execute();
      await deleteChildren(db, organizationId, 'service_id', rowId, true);
    }
    batch.children('service_id', rowId, s.phones, s.schedules);
  }
  await insertAll(db, 'directory_services', newServices);

  const newSals: Record<string, unknown>[] = [];
  for (const { entity: x, rowId, create } of plan.serviceAtLocations) {
    const serviceId = plan.rowOf.service.get(x.serviceExternalId)!;
    const locationId = plan.rowOf.location.get(x.locationExternalId)!;
    if (create) newSals.push({ id: rowId, organization_id: organizationId, source, external_id: x.externalId, service_id: serviceId, location_id: locationId, description: x.description, created_at: now });
    else {
      await db.updateTable('directory_service_at_location').set({ service_id: serviceId, location_id: locationId, description: x.description }).where('organization_id', '=', organizationId).where('id', '=', rowId).execute();
      await deleteChildren(db, organizationId, 'service_at_location_id', rowId, true);
    }
    batch.children('service_at_location_id', rowId, x.phones, x.schedules);
  }
  await insertAll(db, 'directory_service_at_location', newSals);
  await insertAll(db, 'directory_phones', batch.phones);
  await insertAll(db, 'directory_schedules', batch.schedules);
  if (plan.touchedServices.size) await refreshSearchRows(db, organizationId, [...plan.touchedServices]);
  // A large import changes the search tables' shape: fresh statistics, or searches stay slow until the hourly optimize.
  if (plan.touchedServices.size >= ANALYZE_AFTER_SERVICES) await analyzeSearchTables(db);
}

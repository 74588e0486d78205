/** Directory rows → the API shapes of contracts/directory.ts. */
import type { z } from 'zod';
import { STOCK_STALE_DAYS, type DirectoryLocation, type DirectoryOrganization, type DirectorySearchResult, type DirectoryService } from '../../../contracts/directory.js';
import { intervalsOf, isOpenAt, parseList, type LocationRow, type OrgRow, type PhoneRow, type ScheduleRow, type SearchHit, type SearchSummary, type ServiceEntryRows } from './directory.repository.js';

const bool = (v: number | null | undefined): boolean | null => (v == null ? null : Number(v) === 1);
const num = (v: number | string | null | undefined): number | null => (v == null ? null : Number(v));
const round1 = (n: number) => Math.round(n * 10) / 10;

export function presentSearchHit(h: SearchHit, distanceKm: number | null, at: { weekday: number; minute: number }): DirectorySearchResult {
  const s = JSON.parse(h.summary) as SearchSummary;
  return {
    serviceId: h.service_id,
    locationId: h.location_id,
    serviceName: s.serviceName,
    organizationName: s.organizationName,
    organizationType: s.organizationType,
    locationName: s.locationName,
    address: s.address,
    phone: s.phone,
    serviceTypes: s.serviceTypes,
    insurance: s.insurance,
    languages: s.languages,
    acceptingNew: s.acceptingNew,
    telehealth: s.telehealth,
    capacity: s.capacity,
    openNow: isOpenAt(s.hours, at.weekday, at.minute),
    openFlags: s.openFlags,
    lastVerifiedAt: s.lastVerifiedAt,
    distanceKm: distanceKm == null ? null : round1(distanceKm),
    distanceMiles: distanceKm == null ? null : round1(distanceKm / 1.609344),
  };
}

const phone = (p: PhoneRow) => ({ number: p.number, extension: p.extension, type: p.type, description: p.description });
const schedule = (s: ScheduleRow) => ({
  weekday: Number(s.weekday),
  opensAt: s.opens_at,
  closesAt: s.closes_at,
  attendingType: s.attending_type,
  meetingTypes: parseList(s.meeting_types),
  description: s.description,
});

export function presentOrganization(o: OrgRow, phones: PhoneRow[]): z.infer<typeof DirectoryOrganization> {
  return {
    id: o.id,
    name: o.name,
    alternateName: o.alternate_name,
    description: o.description,
    type: o.type,
    email: o.email,
    website: o.website,
    phones: phones.map(phone),
    source: o.source,
    externalId: o.external_id,
    version: Number(o.version),
  };
}

export function presentLocation(l: LocationRow, schedules: ScheduleRow[], phones: PhoneRow[]): z.infer<typeof DirectoryLocation> {
  return {
    id: l.id,
    directoryOrganizationId: l.directory_organization_id,
    locationType: l.location_type,
    name: l.name,
    description: l.description,
    url: l.url,
    address: { address1: l.address_1, address2: l.address_2, city: l.city, stateProvince: l.state_province, postalCode: l.postal_code },
    latitude: num(l.latitude),
    longitude: num(l.longitude),
    transportation: l.transportation,
    accessibility: l.accessibility,
    wheelchairAccessible: bool(l.wheelchair_accessible),
    schedules: schedules.map(schedule),
    phones: phones.map(phone),
    version: Number(l.version),
  };
}

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

export function presentEntry(r: ServiceEntryRows, today: string, at: { weekday: number; minute: number }): z.infer<typeof DirectoryService> {
  const s = r.service;
  const person = (id: string | null) => (id ? { id, name: r.names.get(id) ?? '' } : null);
  const serviceSchedules = r.schedules.filter((x) => x.service_id === s.id && !x.service_at_location_id && !x.location_id);
  const locations = r.locations.map((l) => {
    const own = r.schedules.filter((x) => x.service_at_location_id === l.salId);
    const locationWide = r.schedules.filter((x) => x.location_id === l.id && !x.service_id && !x.service_at_location_id);
    return presentLocation(
      l,
      // What applies here: the hours for this service at this place, else the place's own (the service's are shown once, below).
      own.length ? own : serviceSchedules.length ? [] : locationWide,
      r.phones.filter((p) => p.location_id === l.id || p.service_at_location_id === l.salId),
    );
  });
  // Open now: the service's hours, else any of its places'.
  const hours = serviceSchedules.length ? intervalsOf(serviceSchedules) : intervalsOf(locations.flatMap((l) => l.schedules.map((x) => ({ weekday: x.weekday, opens_at: x.opensAt, closes_at: x.closesAt }))));
  return {
    id: s.id,
    name: s.name,
    alternateName: s.alternate_name,
    description: s.description,
    url: s.url,
    email: s.email,
    status: s.status,
    serviceTypes: parseList(s.service_types),
    insurance: parseList(s.insurance),
    languages: parseList(s.languages),
    acceptingNew: bool(s.accepting_new),
    telehealth: Number(s.telehealth) === 1,
    eligibilityDescription: s.eligibility_description,
    feesDescription: s.fees_description,
    applicationProcess: s.application_process,
    interpretationServices: s.interpretation_services,
    minimumAge: num(s.minimum_age),
    maximumAge: num(s.maximum_age),
    organization: presentOrganization(r.organization, r.organizationPhones),
    locations,
    schedules: serviceSchedules.map(schedule),
    phones: r.phones.filter((p) => p.service_id === s.id && !p.service_at_location_id).map(phone),
    capacity: s.capacity_updated_at
      ? { bedsOpen: num(s.beds_open), slotsOpen: num(s.slots_open), waitlistLength: num(s.waitlist_length), updatedAt: s.capacity_updated_at, updatedBy: person(s.capacity_updated_by) }
      : null,
    stockReports: r.stock.map((x) => ({
      id: x.id,
      inStock: Number(x.in_stock) === 1,
      formulation: x.formulation,
      observedOn: x.observed_on,
      note: x.note,
      reportedAt: x.reported_at,
      reportedBy: x.reported_by ? { id: x.reported_by, name: x.reporter ?? '' } : null,
      stale: daysBetween(x.observed_on, today) > STOCK_STALE_DAYS,
    })),
    openFlags: r.flags.map((f) => ({ id: f.id, topic: f.topic, comment: f.comment, createdAt: f.created_at, createdBy: f.created_by ? { id: f.created_by, name: f.creator ?? '' } : null })),
    openNow: isOpenAt(hours, at.weekday, at.minute),
    lastVerifiedAt: s.last_verified_at,
    lastVerifiedBy: person(s.last_verified_by),
    source: s.source,
    externalId: s.external_id,
    version: Number(s.version),
  };
}

export type { DirectoryService };

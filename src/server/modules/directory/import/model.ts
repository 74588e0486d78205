/**
 * The one in-memory shape every format parses into and every export is written from: the
 * directory tables of migration 0006 without Lodestar's row ids, keyed by external id. Children
 * (phones, schedules) belong to one parent and are replaced with it; organizations, services,
 * locations and service-at-location are matched on (organization, source, external id).
 */

export interface PhoneModel {
  number: string;
  extension: string | null;
  type: string | null;
  description: string | null;
}

export interface ScheduleModel {
  /** 0 Sunday … 6 Saturday. */
  weekday: number;
  /** Local HH:MM. */
  opensAt: string;
  closesAt: string | null;
  attendingType: 'in_person' | 'online' | 'hybrid' | null;
  /** Meeting Guide type codes, for mutual-aid meetings. */
  meetingTypes: string[] | null;
  description: string | null;
}

export interface OrganizationModel {
  externalId: string;
  name: string;
  alternateName: string | null;
  description: string | null;
  type: string;
  email: string | null;
  website: string | null;
  phones: PhoneModel[];
}

export interface ServiceModel {
  externalId: string;
  organizationExternalId: string;
  name: string;
  alternateName: string | null;
  description: string | null;
  url: string | null;
  email: string | null;
  status: string;
  serviceTypes: string[];
  insurance: string[];
  languages: string[];
  acceptingNew: 0 | 1 | null;
  telehealth: 0 | 1;
  eligibilityDescription: string | null;
  feesDescription: string | null;
  applicationProcess: string | null;
  interpretationServices: string | null;
  minimumAge: number | null;
  maximumAge: number | null;
  phones: PhoneModel[];
  schedules: ScheduleModel[];
}

export interface LocationModel {
  externalId: string;
  organizationExternalId: string | null;
  locationType: 'physical' | 'postal' | 'virtual';
  name: string | null;
  description: string | null;
  url: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  stateProvince: string | null;
  postalCode: string | null;
  country: string | null;
  latitude: number | null;
  longitude: number | null;
  transportation: string | null;
  accessibility: string | null;
  wheelchairAccessible: 0 | 1 | null;
  phones: PhoneModel[];
  schedules: ScheduleModel[];
}

export interface ServiceAtLocationModel {
  externalId: string;
  serviceExternalId: string;
  locationExternalId: string;
  description: string | null;
  phones: PhoneModel[];
  schedules: ScheduleModel[];
}

export interface DirectoryModel {
  organizations: OrganizationModel[];
  services: ServiceModel[];
  locations: LocationModel[];
  serviceAtLocations: ServiceAtLocationModel[];
}

export const emptyModel = (): DirectoryModel => ({ organizations: [], services: [], locations: [], serviceAtLocations: [] });

/** One bad row: where (file or table, row number and/or id), which field, and why. */
export interface RowProblem {
  file: string;
  row: number | null;
  id: string | null;
  field: string;
  message: string;
}

/** What an importer found: the model, the rows that make the file fail, and what it set aside (unknown codes, ignored fields). */
export interface ParseResult {
  model: DirectoryModel;
  errors: RowProblem[];
  warnings: RowProblem[];
}

// ---- what a file does not say

const absentKeys = new WeakMap<object, readonly string[]>();
/**
 * Mark the fields a file leaves out (an HSDS list view without phones, a CSV package without
 * schedules.csv): an update keeps what the directory has for them instead of clearing it.
 */
export function markAbsent<T extends object>(entity: T, keys: readonly string[]): T {
  if (keys.length) absentKeys.set(entity, keys);
  return entity;
}
export const absentOf = (entity: object): readonly string[] => absentKeys.get(entity) ?? [];

// ---- comparing

const sortedChildren = <T>(xs: T[]): string[] => xs.map((x) => JSON.stringify(x)).sort();

/**
 * A stable fingerprint of an entity with its children, for "unchanged": code lists and child
 * rows compare as sets (the order in a file means nothing).
 */
export function fingerprint(entity: OrganizationModel | ServiceModel | LocationModel | ServiceAtLocationModel): string {
  const e = entity as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(e).sort()) {
    const v = e[key];
    if (key === 'phones' || key === 'schedules') out[key] = sortedChildren((v as unknown[]).map(normalizeChild));
    else if (key === 'serviceTypes' || key === 'insurance' || key === 'languages') out[key] = [...(v as string[])].sort();
    else out[key] = v;
  }
  return JSON.stringify(out);
}

function normalizeChild(c: unknown): unknown {
  const s = c as Record<string, unknown>;
  if (Array.isArray(s.meetingTypes)) return { ...s, meetingTypes: [...(s.meetingTypes as string[])].sort() };
  return s;
}

// ---- small parsing helpers shared by the formats

/** A trimmed string, or null when absent or blank. */
export const text = (v: unknown): string | null => {
  if (v === null || v === undefined) return null;
  const s = (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '').trim();
  return s === '' ? null : s;
};

/** HH:MM from "H:MM", "HH:MM" or "HH:MM:SS" (24-hour), or undefined when it is not a time. */
export function clockTime(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(v.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 24 || min > 59 || (h === 24 && min !== 0)) return undefined;
  return `${String(h % 24).padStart(2, '0')}:${m[2]}`;
}

/** A latitude/longitude pair: both numbers in range, or both null. `problem` names what is wrong. */
export function coordinates(lat: unknown, lon: unknown): { latitude: number | null; longitude: number | null; problem?: { field: 'latitude' | 'longitude'; message: string } } {
  const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : null);
  const la = num(lat);
  const lo = num(lon);
  if (la === null && lo === null) return { latitude: null, longitude: null };
  if (la === null || Number.isNaN(la)) return { latitude: null, longitude: null, problem: { field: 'latitude', message: 'must be a number' } };
  if (lo === null || Number.isNaN(lo)) return { latitude: null, longitude: null, problem: { field: 'longitude', message: 'must be a number' } };
  if (la < -90 || la > 90) return { latitude: null, longitude: null, problem: { field: 'latitude', message: `${la} is outside −90…90` } };
  if (lo < -180 || lo > 180) return { latitude: null, longitude: null, problem: { field: 'longitude', message: `${lo} is outside −180…180` } };
  return { latitude: la, longitude: lo };
}

/** Duplicate external ids in one list, as problems naming the later rows. */
export function duplicates<T>(items: T[], idOf: (t: T) => string, where: (t: T, index: number) => { file: string; row: number | null }): RowProblem[] {
  const seen = new Set<string>();
  const out: RowProblem[] = [];
  items.forEach((item, i) => {
    const id = idOf(item);
    if (seen.has(id)) out.push({ ...where(item, i), id, field: 'id', message: 'appears more than once in the file' });
    seen.add(id);
  });
  return out;
}

/**
 * HSDS 3.0 in both shapes, to and from the directory model:
 *
 * - **JSON** (the HSDS API shapes): an organization, service, service-at-location or location
 *   object, a page (`{ contents: [...] }`, as `organization_list` / `service_list` /
 *   `service_at_location_list`) or an array of them. Organizations may nest `services`
 *   and `locations` (our export does); services nest `organization`, `service_at_locations` (with
 *   the `location` or a `location_id`), `phones`, `schedules`, `languages`, `attributes`. Each
 *   top-level and nested organization and service is validated against the shipped schemas.
 * - **CSV data package**: one CSV per table (`organizations.csv`, `services.csv`, …, optional
 *   `datapackage.json` naming the files), each row validated against its table's columns.
 *
 * Lodestar's own facts travel as HSDS attributes whose taxonomy term's `taxonomy` is
 * `lodestar:service_type`, `lodestar:insurance`, `lodestar:organization_type` or
 * `lodestar:flag` (accepting_new, telehealth, wheelchair_accessible with value true/false). An
 * unknown code in a Lodestar taxonomy is an error; attributes of other taxonomies are reported and
 * left out. HSDS schedules become weekly rows (freq WEEKLY + byday + opens_at); others are reported.
 */
import type { DirectoryModel, LocationModel, OrganizationModel, ParseResult, PhoneModel, RowProblem, ScheduleModel, ServiceAtLocationModel, ServiceModel } from './model.js';
import { clockTime, coordinates, duplicates, emptyModel, fingerprint, markAbsent, text } from './model.js';
import { HSDS_TABLES, hsdsColumns, validateHsds, validateHsdsRow, type HsdsTable } from './hsds-schemas.js';
import { CsvError, parseCsv, writeCsv } from './csv.js';
import { isInsurance, isOrganizationType, isServiceType } from './codes.js';
import { createHash } from 'node:crypto';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);

export const TAXONOMY = {
  serviceType: 'lodestar:service_type',
  insurance: 'lodestar:insurance',
  organizationType: 'lodestar:organization_type',
  flag: 'lodestar:flag',
  meetingType: 'lodestar:meeting_type',
} as const;

const DAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;
const ATTENDING: Record<string, ScheduleModel['attendingType']> = { in_person: 'in_person', 'in-person': 'in_person', online: 'online', virtual: 'online', hybrid: 'hybrid' };

// ---- shared pieces (JSON and CSV rows have the same field names)

interface Where {
  file: string;
  row: number | null;
  id: string | null;
}

class Collector {
  readonly errors: RowProblem[] = [];
  readonly warnings: RowProblem[] = [];
  error(w: Where, field: string, message: string) {
    this.errors.push({ ...w, field, message });
  }
  warn(w: Where, field: string, message: string) {
    this.warnings.push({ ...w, field, message });
  }
}

function phoneOf(p: Obj): PhoneModel | null {
  const number = text(p.number);
  if (!number) return null;
  return { number, extension: text(p.extension), type: text(p.type), description: text(p.description) };
}

/** Weekly rows from one HSDS schedule, or a warning when it is not a weekly opening. */
function schedulesOf(s: Obj, where: Where, c: Collector, field: string, attributes: { code: string | null; taxonomy: string | null }[]): ScheduleModel[] {
  const meetingTypes = attributes.filter((a) => a.taxonomy === TAXONOMY.meetingType && a.code).map((a) => a.code!);
  const opens = clockTime(s.opens_at);
  const closes = s.closes_at === undefined || s.closes_at === null || s.closes_at === '' ? null : clockTime(s.closes_at);
  const freq = text(s.freq)?.toUpperCase() ?? 'WEEKLY';
  const byday = (text(s.byday) ?? '').toUpperCase().split(',').map((d) => d.trim()).filter(Boolean);
  if (s.opens_at !== undefined && s.opens_at !== null && s.opens_at !== '' && !opens) {
    c.error(where, `${field}.opens_at`, 'must be a time HH:MM');
    return [];
  }
  if (closes === undefined) {
    c.error(where, `${field}.closes_at`, 'must be a time HH:MM');
    return [];
  }
  if (freq !== 'WEEKLY' || !byday.length || !opens) {
    c.warn(where, field, 'only weekly opening hours (freq WEEKLY, byday, opens_at) are kept; this schedule is left out');
    return [];
  }
  const out: ScheduleModel[] = [];
  for (const d of byday) {
    const weekday = DAYS.indexOf(d as (typeof DAYS)[number]);
    if (weekday < 0) {
      c.error(where, `${field}.byday`, `${d} is not a day (SU, MO, TU, WE, TH, FR, SA)`);
      continue;
    }
    out.push({
      weekday,
      opensAt: opens,
      closesAt: closes,
      attendingType: ATTENDING[text(s.attending_type)?.toLowerCase() ?? ''] ?? null,
      meetingTypes: meetingTypes.length ? meetingTypes : null,
      description: text(s.description),
    });
  }
  return out;
}

interface Facts {
  serviceTypes: string[];
  insurance: string[];
  organizationType?: string;
  flags: Record<string, 0 | 1>;
}

/** Lodestar facts carried as attributes; unknown Lodestar codes are errors, other taxonomies warnings. */
function factsOf(attributes: { code: string | null; taxonomy: string | null; value: string | null; field: string }[], where: Where, c: Collector): Facts {
  const facts: Facts = { serviceTypes: [], insurance: [], flags: {} };
  for (const a of attributes) {
    const code = a.code ?? '';
    switch (a.taxonomy ?? '') {
      case TAXONOMY.serviceType:
        if (isServiceType(code)) facts.serviceTypes.push(code);
        else c.error(where, a.field, `${code || '(empty)'} is not a directory service type`);
        break;
      case TAXONOMY.insurance:
        if (isInsurance(code)) facts.insurance.push(code);
        else c.error(where, a.field, `${code || '(empty)'} is not an insurance code`);
        break;
      case TAXONOMY.organizationType:
        if (isOrganizationType(code)) facts.organizationType = code;
        else c.error(where, a.field, `${code || '(empty)'} is not an organization type`);
        break;
      case TAXONOMY.flag: {
        const v = (a.value ?? 'true').toLowerCase();
        if (!['accepting_new', 'telehealth', 'wheelchair_accessible'].includes(code)) c.error(where, a.field, `${code || '(empty)'} is not a directory flag`);
        else if (v !== 'true' && v !== 'false') c.error(where, `${a.field}.value`, 'must be true or false');
        else facts.flags[code] = v === 'true' ? 1 : 0;
        break;
      }
      case TAXONOMY.meetingType:
        break; // read by schedulesOf
      default:
        c.warn(where, a.field, `attribute ${a.taxonomy ?? '(no taxonomy)'}:${code || '(no code)'} is not a Lodestar code; left out`);
    }
  }
  facts.serviceTypes = [...new Set(facts.serviceTypes)];
  facts.insurance = [...new Set(facts.insurance)];
  return facts;
}

function languageCodes(langs: Obj[], where: Where, c: Collector, field: string): string[] {
  const out = new Set<string>();
  langs.forEach((l, i) => {
    const code = text(l.code)?.toLowerCase();
    if (code && /^[a-z]{2}$/.test(code)) out.add(code);
    else c.warn(where, `${field}[${i}].code`, `language ${text(l.code) ?? text(l.name) ?? '(none)'} has no ISO 639-1 code; left out`);
  });
  return [...out];
}

function organizationFrom(o: Obj, facts: Facts, phones: PhoneModel[]): OrganizationModel {
  return {
    externalId: String(o.id),
    name: text(o.name) ?? '',
    alternateName: text(o.alternate_name),
    description: text(o.description),
    type: facts.organizationType ?? 'other',
    email: text(o.email),
    website: text(o.website),
    phones,
  };
}

function serviceFrom(s: Obj, orgId: string, facts: Facts, languages: string[], phones: PhoneModel[], schedules: ScheduleModel[]): ServiceModel {
  const int = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : null);
  return {
    externalId: String(s.id),
    organizationExternalId: orgId,
    name: text(s.name) ?? '',
    alternateName: text(s.alternate_name),
    description: text(s.description),
    url: text(s.url),
    email: text(s.email),
    status: text(s.status) ?? 'active',
    serviceTypes: facts.serviceTypes,
    insurance: facts.insurance,
    languages,
    acceptingNew: facts.flags.accepting_new ?? null,
    telehealth: facts.flags.telehealth ?? 0,
    eligibilityDescription: text(s.eligibility_description),
    feesDescription: text(s.fees_description),
    applicationProcess: text(s.application_process),
    interpretationServices: text(s.interpretation_services),
    minimumAge: int(s.minimum_age),
    maximumAge: int(s.maximum_age),
    phones,
    schedules,
  };
}

function locationFrom(l: Obj, orgId: string | null, where: Where, c: Collector, extra: { address?: Obj; accessibility: Obj[]; facts: Facts; phones: PhoneModel[]; schedules: ScheduleModel[]; field: string }): LocationModel {
  const point = coordinates(l.latitude, l.longitude);
  if (point.problem) {
    // HSDS types these as plain numbers; a value off the globe is kept out of distance search, not fatal.
    c.warn(where, `${extra.field}.${point.problem.field}`, `${point.problem.message}; the location is imported without coordinates`);
  }
  const a = extra.address;
  const type = text(l.location_type);
  return {
    externalId: String(l.id),
    organizationExternalId: orgId,
    locationType: type === 'postal' || type === 'virtual' ? type : 'physical',
    name: text(l.name),
    description: text(l.description),
    url: text(l.url),
    address1: a ? text(a.address_1) : null,
    address2: a ? text(a.address_2) : null,
    city: a ? text(a.city) : null,
    stateProvince: a ? text(a.state_province) : null,
    postalCode: a ? text(a.postal_code) : null,
    country: a ? text(a.country) : null,
    latitude: point.latitude,
    longitude: point.longitude,
    transportation: text(l.transportation),
    accessibility: extra.accessibility.map((x) => [text(x.description), text(x.details)].filter(Boolean).join(' — ')).filter(Boolean).join('\n') || null,
    wheelchairAccessible: extra.facts.flags.wheelchair_accessible ?? null,
    phones: extra.phones,
    schedules: extra.schedules,
  };
}

/** The physical address of a location (or the first one), for the one address a directory location keeps. */
function pickAddress(addresses: Obj[], where: Where, c: Collector, field: string): Obj | undefined {
  if (addresses.length > 1) c.warn(where, field, `${addresses.length} addresses; only the ${addresses.some((a) => a.address_type === 'physical') ? 'physical' : 'first'} one is kept`);
  return addresses.find((a) => a.address_type === 'physical') ?? addresses[0];
}

/** Which HSDS keys state each model field: a field none of whose keys the file has is left as it is. */
const STATED_BY = {
  organization: { alternateName: ['alternate_name'], email: ['email'], website: ['website'], phones: ['phones'], type: ['attributes'] },
  service: {
    alternateName: ['alternate_name'],
    description: ['description'],
    url: ['url'],
    email: ['email'],
    eligibilityDescription: ['eligibility_description'],
    feesDescription: ['fees_description'],
    applicationProcess: ['application_process'],
    interpretationServices: ['interpretation_services'],
    minimumAge: ['minimum_age'],
    maximumAge: ['maximum_age'],
    phones: ['phones'],
    schedules: ['schedules'],
    languages: ['languages'],
    serviceTypes: ['attributes'],
    insurance: ['attributes'],
    acceptingNew: ['attributes'],
    telehealth: ['attributes'],
  },
  location: {
    name: ['name'],
    description: ['description'],
    url: ['url'],
    transportation: ['transportation'],
    latitude: ['latitude'],
    longitude: ['longitude'],
    address1: ['addresses'],
    address2: ['addresses'],
    city: ['addresses'],
    stateProvince: ['addresses'],
    postalCode: ['addresses'],
    country: ['addresses'],
    accessibility: ['accessibility'],
    wheelchairAccessible: ['attributes'],
    phones: ['phones'],
    schedules: ['schedules'],
  },
  serviceAtLocation: { description: ['description'], phones: ['phones'], schedules: ['schedules'] },
} as const satisfies Record<string, Record<string, readonly string[]>>;

const absentIn = (kind: keyof typeof STATED_BY, has: (hsdsKey: string) => boolean): string[] =>
  Object.entries(STATED_BY[kind])
    .filter(([, keys]) => !(keys as readonly string[]).some(has))
    .map(([field]) => field);

// ---- JSON

const attributesOfJson = (o: Obj, field: string) =>
  arr(o.attributes).map((a, i) => {
    const term = isObj(a.taxonomy_term) ? a.taxonomy_term : {};
    return { code: text(term.code), taxonomy: text(term.taxonomy), value: text(a.value), field: `${field}attributes[${i}]` };
  });

/** Parse an HSDS 3.0 JSON document (see the file comment for the shapes accepted). */
export function parseHsdsJson(doc: unknown, file = 'hsds-json'): ParseResult {
  const c = new Collector();
  const model = emptyModel();
  const items: { value: Obj; path: string }[] = [];
  const list = Array.isArray(doc) ? doc : isObj(doc) && Array.isArray(doc.contents) ? doc.contents : isObj(doc) ? [doc] : null;
  const listPath = Array.isArray(doc) ? '' : isObj(doc) && Array.isArray(doc.contents) ? 'contents' : null;
  if (!list) {
    c.error({ file, row: null, id: null }, '', 'must be an HSDS organization or service, a list of them, or a page with contents');
    return { model, errors: c.errors, warnings: c.warnings };
  }
  list.forEach((v, i) => {
    const path = listPath === null ? '' : `${listPath}[${i}]`;
    if (!isObj(v)) c.error({ file, row: i + 1, id: null }, path, 'must be an object');
    else items.push({ value: v, path });
  });

  const orgs = new Map<string, { fp: string; path: string }>();
  const locations = new Map<string, { fp: string; path: string }>();
  const serviceIds = new Map<string, string>();
  const salIds = new Map<string, string>();
  /** Locations named only by id from a service_at_location; must exist somewhere in the file. */
  const locationRefs: { id: string; where: Where; field: string }[] = [];

  const addOrg = (o: Obj, where: Where, field: string) => {
    const problems = validateHsds('organization', stripNested(o, ['services']));
    for (const p of problems) c.error(where, `${field}${p.field}`, p.message);
    if (problems.length) return undefined;
    const facts = factsOf(attributesOfJson(o, field), where, c);
    const org = markAbsent(
      organizationFrom(o, facts, arr(o.phones).map(phoneOf).filter((p): p is PhoneModel => p !== null)),
      absentIn('organization', (k) => k in o),
    );
    const fp = fingerprint(org);
    const seen = orgs.get(org.externalId);
    if (seen) {
      if (seen.fp !== fp) c.error(where, `${field}id`, `organization ${org.externalId} appears again with different content (first at ${seen.path || 'the top'})`);
    } else {
      orgs.set(org.externalId, { fp, path: field });
      model.organizations.push(org);
    }
    arr(o.locations).forEach((l, i) => addLocation(l, org.externalId, where, `${field}locations[${i}].`));
    return org.externalId;
  };

  const addLocation = (l: Obj, orgId: string | null, where: Where, field: string) => {
    const f = field.replace(/\.$/, '');
    const facts = factsOf(attributesOfJson(l, field), where, c);
    const schedules = arr(l.schedules).flatMap((s, i) => schedulesOf(s, where, c, `${field}schedules[${i}]`, attributesOfJson(s, `${field}schedules[${i}].`)));
    const loc = locationFrom(l, orgId ?? text(l.organization_id), where, c, {
      address: pickAddress(arr(l.addresses), where, c, `${field}addresses`),
      accessibility: arr(l.accessibility),
      facts,
      phones: arr(l.phones).map(phoneOf).filter((p): p is PhoneModel => p !== null),
      schedules,
      field: f,
    });
    const fp = fingerprint({ ...loc, organizationExternalId: null });
    const seen = locations.get(loc.externalId);
    if (seen) {
      if (seen.fp !== fp) c.error(where, `${field}id`, `location ${loc.externalId} appears again with different content (first at ${seen.path})`);
      return;
    }
    locations.set(loc.externalId, { fp, path: f });
    model.locations.push(markAbsent(loc, absentIn('location', (k) => k in l)));
  };

  const addService = (s: Obj, orgFromParent: string | null, where: Where, field: string) => {
    const problems = validateHsds('service', s);
    for (const p of problems) c.error(where, `${field}${p.field}`, p.message);
    if (problems.length) return;
    const id = String(s.id);
    if (serviceIds.has(id)) {
      c.error(where, `${field}id`, `service ${id} appears more than once (first at ${serviceIds.get(id) || 'the top'})`);
      return;
    }
    serviceIds.set(id, field);
    let orgId = orgFromParent;
    if (isObj(s.organization)) orgId = addOrg(s.organization, where, `${field}organization.`) ?? orgId;
    orgId ??= text(s.organization_id);
    if (!orgId) {
      c.error(where, `${field}organization_id`, 'a service needs its organization (nested, organization_id, or inside an organization’s services)');
      return;
    }
    const facts = factsOf(attributesOfJson(s, field), where, c);
    const schedules = arr(s.schedules).flatMap((x, i) => schedulesOf(x, where, c, `${field}schedules[${i}]`, attributesOfJson(x, `${field}schedules[${i}].`)));
    model.services.push(
      markAbsent(
        serviceFrom(s, orgId, facts, languageCodes(arr(s.languages), where, c, `${field}languages`), arr(s.phones).map(phoneOf).filter((p): p is PhoneModel => p !== null), schedules),
        absentIn('service', (k) => k in s),
      ),
    );
    arr(s.service_at_locations).forEach((sal, i) => {
      const f = `${field}service_at_locations[${i}].`;
      const salId = String(sal.id);
      if (salIds.has(salId)) {
        c.error(where, `${f}id`, `service_at_location ${salId} appears more than once`);
        return;
      }
      salIds.set(salId, f);
      let locationId = text(sal.location_id);
      if (isObj(sal.location)) {
        addLocation(sal.location, text(sal.location.organization_id), where, `${f}location.`);
        locationId = String(sal.location.id);
      } else if (locationId) locationRefs.push({ id: locationId, where, field: `${f}location_id` });
      if (!locationId) {
        c.error(where, `${f}location`, 'a service at a location needs the location or its location_id');
        return;
      }
      model.serviceAtLocations.push(
        markAbsent(
          {
            externalId: salId,
            serviceExternalId: id,
            locationExternalId: locationId,
            description: text(sal.description),
            phones: arr(sal.phones).map(phoneOf).filter((p): p is PhoneModel => p !== null),
            schedules: arr(sal.schedules).flatMap((x, j) => schedulesOf(x, where, c, `${f}schedules[${j}]`, attributesOfJson(x, `${f}schedules[${j}].`))),
          },
          absentIn('serviceAtLocation', (k) => k in sal),
        ),
      );
    });
  };

  // Service-at-location documents (`service_at_location_full`, `…_list`) nest their service: gather
  // them into their services, so one service offered at several places is one service.
  const salServices = new Map<string, Obj>();
  for (const { value } of items) {
    if (!isObj(value.service) || !(isObj(value.location) || 'location_id' in value)) continue;
    const sid = String(value.service.id);
    const sal = stripNested(value, ['service']);
    const seen = salServices.get(sid);
    if (seen) (seen.service_at_locations as Obj[]).push(sal);
    else salServices.set(sid, { ...value.service, service_at_locations: [...arr(value.service.service_at_locations), sal] });
  }
  const gathered = new Set<string>();
  items.forEach(({ value, path }, i) => {
    const where: Where = { file, row: listPath === null ? null : i + 1, id: text(value.id) };
    const field = path ? `${path}.` : '';
    if (isObj(value.service) && salServices.has(String(value.service.id))) {
      const sid = String(value.service.id);
      if (!gathered.has(sid)) addService(salServices.get(sid)!, null, where, `${field}service.`);
      gathered.add(sid);
    } else if (looksLikeMetadata(value) && !looksLikeService(value)) {
      c.error(where, path, 'is an HSDS taxonomy or metadata document, not directory entries (organizations, services, locations)');
    } else if ('location_type' in value && !looksLikeService(value)) addLocation(value, null, where, field);
    else if (looksLikeService(value)) addService(value, null, where, field);
    else {
      const orgId = addOrg(value, where, field);
      if (orgId) arr(value.services).forEach((s, j) => addService(s, orgId, where, `${field}services[${j}].`));
    }
  });
  for (const r of locationRefs) if (!locations.has(r.id)) c.error(r.where, r.field, `location ${r.id} is not in the file`);
  // An organization named by a service but never described: a stub would have no name.
  for (const s of model.services) {
    if (!orgs.has(s.organizationExternalId)) c.error({ file, row: null, id: s.externalId }, 'organization_id', `organization ${s.organizationExternalId} is not in the file`);
  }
  dropDanglingLocationOwners(model);
  return { model, errors: c.errors, warnings: c.warnings };
}

const looksLikeService = (o: Obj) => 'status' in o || 'service_at_locations' in o || 'organization' in o || 'organization_id' in o;
/** Taxonomies, taxonomy terms and the base/metadata document: keys no organization has. */
const looksLikeMetadata = (o: Obj) => 'version' in o || 'code' in o || 'taxonomy' in o || 'openapi_url' in o || 'profile' in o;
const stripNested = (o: Obj, keys: string[]): Obj => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

/** A location may name an organization the file does not carry (the shipped CSV example does): it is kept, unowned. */
function dropDanglingLocationOwners(model: DirectoryModel): void {
  const ids = new Set(model.organizations.map((o) => o.externalId));
  for (const l of model.locations) if (l.organizationExternalId && !ids.has(l.organizationExternalId)) l.organizationExternalId = null;
}

// ---- CSV data package

/** The tables of a data package: file name → CSV text. `datapackage.json`, when present, maps resource names to paths. */
export function parseHsdsCsv(files: Record<string, string>): ParseResult {
  const c = new Collector();
  const model = emptyModel();
  const paths = resourcePaths(files, c);
  const tables = {} as Record<HsdsTable, { line: number; row: Record<string, string | number> }[]>;
  const headers = {} as Record<HsdsTable, string[]>;
  for (const table of Object.keys(HSDS_TABLES) as HsdsTable[]) {
    tables[table] = [];
    const name = paths[table] ?? table;
    const content = files[name];
    if (content === undefined) continue;
    let parsed;
    try {
      parsed = parseCsv(content);
    } catch (err) {
      if (!(err instanceof CsvError)) throw err;
      c.error({ file: name, row: err.line, id: null }, '', err.message);
      continue;
    }
    headers[table] = parsed.header;
    if (!parsed.header.includes('id') && parsed.rows.length) {
      c.error({ file: name, row: 1, id: null }, 'id', 'the header has no id column');
      continue;
    }
    for (const r of parsed.rows) {
      const where = { file: name, row: r.line, id: text(r.values.id) };
      const { row, problems } = validateHsdsRow(table, r.values);
      for (const p of problems) c.error(where, p.field, p.message);
      if (!problems.length) tables[table].push({ line: r.line, row });
    }
    for (const d of duplicates(tables[table], (x) => String(x.row.id), (x) => ({ file: name, row: x.line }))) c.errors.push(d);
  }
  const known = new Set([...Object.keys(HSDS_TABLES), 'datapackage.json', ...Object.values(paths)]);
  for (const f of Object.keys(files)) if (!known.has(f)) c.warn({ file: f, row: null, id: null }, '', 'this table is not part of the directory; left out');

  const w = (table: HsdsTable, x: { line: number; row: Obj }): Where => ({ file: paths[table] ?? table, row: x.line, id: text(x.row.id) });
  const by = <K extends string>(table: HsdsTable, key: K) => {
    const m = new Map<string, { line: number; row: Obj }[]>();
    for (const x of tables[table]) {
      const k = text(x.row[key]);
      if (k) m.set(k, [...(m.get(k) ?? []), x]);
    }
    return m;
  };
  const terms = new Map(tables['taxonomy_terms.csv'].map((x) => [String(x.row.id), x.row]));
  const attrs = by('attributes.csv', 'link_id');
  const attributesFor = (id: string) =>
    (attrs.get(id) ?? []).map((a) => {
      const term = terms.get(text(a.row.taxonomy_term_id) ?? '');
      return { code: term ? text(term.code) : null, taxonomy: term ? text(term.taxonomy) : null, value: text(a.row.value), field: `attributes.csv row ${a.line}` };
    });
  const attributeLinks = new Set<string>();
  const phonesBy = (key: string) => by('phones.csv', key);
  const schedulesBy = (key: string) => by('schedules.csv', key);
  const phoneRows = { org: phonesBy('organization_id'), service: phonesBy('service_id'), location: phonesBy('location_id'), sal: phonesBy('service_at_location_id') };
  const scheduleRows = { service: schedulesBy('service_id'), location: schedulesBy('location_id'), sal: schedulesBy('service_at_location_id') };
  // A phone or schedule row can name several owners (the HSDS example does): it belongs to the most specific.
  const owner = (r: Obj) => (text(r.service_at_location_id) ? 'sal' : text(r.service_id) ? 'service' : text(r.location_id) ? 'location' : 'org');
  const phonesOf = (kind: keyof typeof phoneRows, id: string) =>
    (phoneRows[kind].get(id) ?? []).filter((x) => owner(x.row) === kind).map((x) => phoneOf(x.row)).filter((p): p is PhoneModel => p !== null);
  const schedulesOf2 = (kind: keyof typeof scheduleRows, id: string) =>
    (scheduleRows[kind].get(id) ?? []).filter((x) => owner(x.row) === kind).flatMap((x) => {
      attributeLinks.add(String(x.row.id));
      return schedulesOf(x.row, w('schedules.csv', x), c, 'schedule', attributesFor(String(x.row.id)));
    });

  // A table the package does not carry, or a column its table leaves out, leaves that field as it is.
  const hasTable = (t: HsdsTable) => headers[t] !== undefined;
  const children: Record<string, boolean> = {
    phones: hasTable('phones.csv'),
    schedules: hasTable('schedules.csv'),
    languages: hasTable('languages.csv'),
    attributes: hasTable('attributes.csv') && hasTable('taxonomy_terms.csv'),
    addresses: hasTable('addresses.csv'),
    accessibility: hasTable('accessibility.csv'),
  };
  const csvAbsent = (kind: keyof typeof STATED_BY, table: HsdsTable) => absentIn(kind, (k) => children[k] ?? (headers[table] ?? []).includes(k));
  const orgIds = new Set<string>();
  for (const x of tables['organizations.csv']) {
    const id = String(x.row.id);
    attributeLinks.add(id);
    orgIds.add(id);
    model.organizations.push(markAbsent(organizationFrom(x.row, factsOf(attributesFor(id), w('organizations.csv', x), c), phonesOf('org', id)), csvAbsent('organization', 'organizations.csv')));
  }
  const languages = by('languages.csv', 'service_id');
  for (const x of tables['services.csv']) {
    const id = String(x.row.id);
    attributeLinks.add(id);
    const orgId = String(x.row.organization_id);
    if (!orgIds.has(orgId)) c.error(w('services.csv', x), 'organization_id', `organization ${orgId} is not in organizations.csv`);
    const langs = (languages.get(id) ?? []).map((l) => l.row);
    model.services.push(
      markAbsent(
        serviceFrom(x.row, orgId, factsOf(attributesFor(id), w('services.csv', x), c), languageCodes(langs, w('services.csv', x), c, 'languages'), phonesOf('service', id), schedulesOf2('service', id)),
        csvAbsent('service', 'services.csv'),
      ),
    );
  }
  const addresses = by('addresses.csv', 'location_id');
  const access = by('accessibility.csv', 'location_id');
  const locationIds = new Set<string>();
  for (const x of tables['locations.csv']) {
    const id = String(x.row.id);
    attributeLinks.add(id);
    locationIds.add(id);
    const where = w('locations.csv', x);
    model.locations.push(
      markAbsent(
        locationFrom(x.row, text(x.row.organization_id), where, c, {
        address: pickAddress((addresses.get(id) ?? []).map((a) => a.row), where, c, 'addresses.csv'),
        accessibility: (access.get(id) ?? []).map((a) => a.row),
        facts: factsOf(attributesFor(id), where, c),
        phones: phonesOf('location', id),
          schedules: schedulesOf2('location', id),
          field: 'location',
        }),
        csvAbsent('location', 'locations.csv'),
      ),
    );
  }
  const serviceIds = new Set(model.services.map((s) => s.externalId));
  for (const x of tables['service_at_location.csv']) {
    const id = String(x.row.id);
    const where = w('service_at_location.csv', x);
    const sid = String(x.row.service_id);
    const lid = String(x.row.location_id);
    if (!serviceIds.has(sid)) c.error(where, 'service_id', `service ${sid} is not in services.csv`);
    if (!locationIds.has(lid)) c.error(where, 'location_id', `location ${lid} is not in locations.csv`);
    model.serviceAtLocations.push(
      markAbsent(
        { externalId: id, serviceExternalId: sid, locationExternalId: lid, description: text(x.row.description), phones: phonesOf('sal', id), schedules: schedulesOf2('sal', id) },
        csvAbsent('serviceAtLocation', 'service_at_location.csv'),
      ),
    );
  }
  for (const x of tables['attributes.csv']) {
    const link = text(x.row.link_id);
    if (link && !attributeLinks.has(link)) c.warn(w('attributes.csv', x), 'link_id', `${link} is not an organization, service or location in the file; left out`);
  }
  dropDanglingLocationOwners(model);
  return { model, errors: c.errors, warnings: c.warnings };
}

function resourcePaths(files: Record<string, string>, c: Collector): Partial<Record<HsdsTable, string>> {
  const raw = files['datapackage.json'];
  if (raw === undefined) return {};
  let pkg: unknown;
  try {
    pkg = JSON.parse(raw);
  } catch {
    c.error({ file: 'datapackage.json', row: null, id: null }, '', 'is not valid JSON');
    return {};
  }
  const out: Partial<Record<HsdsTable, string>> = {};
  for (const r of isObj(pkg) ? arr(pkg.resources) : []) {
    const name = text(r.name);
    const p = text(r.path);
    const table = Object.entries(HSDS_TABLES).find(([, e]) => e === name)?.[0] as HsdsTable | undefined;
    if (table && p) out[table] = p.slice(p.lastIndexOf('/') + 1);
  }
  return out;
}

// ---- export

/** A stable UUID-shaped id for rows the directory does not keep ids for (phones, schedules, addresses, attributes). */
export function derivedId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** HSDS ids are UUIDs: an external id that is not one (a Meeting Guide slug) gets a stable UUID made from it. */
export const hsdsId = (kind: string, externalId: string): string => (UUID.test(externalId) ? externalId : derivedId(kind, externalId));

const clean = (o: Obj): Obj => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0)));

function attribute(ownerId: string, entity: string, taxonomy: string, code: string, value?: string): Obj {
  return {
    id: derivedId('attribute', ownerId, taxonomy, code),
    link_id: ownerId,
    link_type: taxonomy,
    link_entity: entity,
    ...(value !== undefined && { value }),
    taxonomy_term: { id: derivedId('term', taxonomy, code), code, name: code, description: `${taxonomy} ${code}`, taxonomy },
  };
}

const phoneJson = (ownerId: string, p: PhoneModel, i: number): Obj =>
  clean({ id: derivedId('phone', ownerId, String(i)), number: p.number, extension: p.extension !== null && /^\d+$/.test(p.extension) ? Number(p.extension) : null, type: p.type, description: p.description });

function scheduleJson(ownerId: string, s: ScheduleModel, i: number): Obj {
  const id = derivedId('schedule', ownerId, String(i));
  return clean({
    id,
    freq: 'WEEKLY',
    byday: DAYS[s.weekday],
    opens_at: s.opensAt,
    closes_at: s.closesAt,
    attending_type: s.attendingType,
    description: s.description,
    attributes: (s.meetingTypes ?? []).map((code) => attribute(id, 'schedule', TAXONOMY.meetingType, code)),
  });
}

interface Ids {
  org: (ext: string) => string;
  service: (ext: string) => string;
  location: (ext: string) => string;
  sal: (ext: string) => string;
}
const idsFor = (): Ids => ({ org: (e) => hsdsId('organization', e), service: (e) => hsdsId('service', e), location: (e) => hsdsId('location', e), sal: (e) => hsdsId('service_at_location', e) });

function locationJson(l: LocationModel, ids: Ids): Obj {
  const id = ids.location(l.externalId);
  const attributes = l.wheelchairAccessible === null ? [] : [attribute(id, 'location', TAXONOMY.flag, 'wheelchair_accessible', l.wheelchairAccessible ? 'true' : 'false')];
  const hasAddress = l.address1 || l.city || l.postalCode;
  return clean({
    id,
    location_type: l.locationType,
    url: l.url,
    organization_id: l.organizationExternalId ? ids.org(l.organizationExternalId) : null,
    name: l.name,
    description: l.description,
    transportation: l.transportation,
    latitude: l.latitude,
    longitude: l.longitude,
    addresses: hasAddress
      ? [clean({ id: derivedId('address', id), location_id: id, address_1: l.address1 ?? '', address_2: l.address2, city: l.city ?? '', state_province: l.stateProvince ?? '', postal_code: l.postalCode ?? '', country: l.country ?? 'US', address_type: 'physical' })]
      : [],
    accessibility: l.accessibility ? [{ id: derivedId('accessibility', id), location_id: id, description: l.accessibility }] : [],
    phones: l.phones.map((p, i) => phoneJson(id, p, i)),
    schedules: l.schedules.map((s, i) => scheduleJson(id, s, i)),
    attributes,
  });
}

function serviceAttributes(id: string, s: ServiceModel): Obj[] {
  return [
    ...s.serviceTypes.map((code) => attribute(id, 'service', TAXONOMY.serviceType, code)),
    ...s.insurance.map((code) => attribute(id, 'service', TAXONOMY.insurance, code)),
    ...(s.acceptingNew === null ? [] : [attribute(id, 'service', TAXONOMY.flag, 'accepting_new', s.acceptingNew ? 'true' : 'false')]),
    ...(s.telehealth ? [attribute(id, 'service', TAXONOMY.flag, 'telehealth', 'true')] : []),
  ];
}

/**
 * The directory as one HSDS `organization_list` page: every organization in full, with its
 * locations and its services (each with its service_at_locations naming the location by id, or
 * nesting it when the location has no organization).
 */
export function toHsdsJson(model: DirectoryModel): Obj {
  const ids = idsFor();
  const locationsByOrg = new Map<string, LocationModel[]>();
  const locationById = new Map(model.locations.map((l) => [l.externalId, l]));
  for (const l of model.locations) if (l.organizationExternalId) locationsByOrg.set(l.organizationExternalId, [...(locationsByOrg.get(l.organizationExternalId) ?? []), l]);
  const salsByService = new Map<string, ServiceAtLocationModel[]>();
  for (const sal of model.serviceAtLocations) salsByService.set(sal.serviceExternalId, [...(salsByService.get(sal.serviceExternalId) ?? []), sal]);
  const nestedUnowned = new Set<string>();
  const contents = model.organizations.map((o) => {
    const id = ids.org(o.externalId);
    return clean({
      id,
      name: o.name,
      alternate_name: o.alternateName,
      description: o.description ?? '',
      email: o.email,
      website: o.website,
      phones: o.phones.map((p, i) => phoneJson(id, p, i)),
      attributes: [attribute(id, 'organization', TAXONOMY.organizationType, o.type)],
      locations: (locationsByOrg.get(o.externalId) ?? []).map((l) => locationJson(l, ids)),
      services: model.services
        .filter((s) => s.organizationExternalId === o.externalId)
        .map((s) => {
          const sid = ids.service(s.externalId);
          return clean({
            id: sid,
            organization_id: id,
            name: s.name,
            alternate_name: s.alternateName,
            description: s.description,
            url: s.url,
            email: s.email,
            status: s.status,
            interpretation_services: s.interpretationServices,
            application_process: s.applicationProcess,
            fees_description: s.feesDescription,
            eligibility_description: s.eligibilityDescription,
            minimum_age: s.minimumAge,
            maximum_age: s.maximumAge,
            phones: s.phones.map((p, i) => phoneJson(sid, p, i)),
            schedules: s.schedules.map((x, i) => scheduleJson(sid, x, i)),
            languages: s.languages.map((code) => ({ id: derivedId('language', sid, code), service_id: sid, code })),
            attributes: serviceAttributes(sid, s),
            service_at_locations: (salsByService.get(s.externalId) ?? []).map((sal) => {
              const salId = ids.sal(sal.externalId);
              const loc = locationById.get(sal.locationExternalId);
              const nest = loc && !loc.organizationExternalId && !nestedUnowned.has(loc.externalId);
              if (nest) nestedUnowned.add(loc.externalId);
              return clean({
                id: salId,
                service_id: sid,
                location_id: ids.location(sal.locationExternalId),
                description: sal.description,
                phones: sal.phones.map((p, i) => phoneJson(salId, p, i)),
                schedules: sal.schedules.map((x, i) => scheduleJson(salId, x, i)),
                location: nest ? locationJson(loc, ids) : null,
              });
            }),
          });
        }),
    });
  });
  return { total_items: contents.length, total_pages: 1, page_number: 1, size: contents.length, first_page: true, last_page: true, empty: contents.length === 0, contents };
}

/** The directory as an HSDS CSV data package: `datapackage.json` and one CSV per table. */
export function toHsdsCsv(model: DirectoryModel): Record<string, string> {
  const json = toHsdsJson(model);
  const rows: Record<HsdsTable, Obj[]> = Object.fromEntries(Object.keys(HSDS_TABLES).map((t) => [t, []])) as unknown as Record<HsdsTable, Obj[]>;
  const terms = new Map<string, Obj>();
  const flat = (o: Obj): Obj => Object.fromEntries(Object.entries(o).filter(([, v]) => !Array.isArray(v) && !isObj(v)));
  const addAttributes = (list: unknown) => {
    for (const a of arr(list)) {
      const term = a.taxonomy_term as Obj;
      terms.set(String(term.id), flat(term));
      rows['attributes.csv'].push({ ...flat(a), taxonomy_term_id: term.id });
    }
  };
  const addOwned = (o: Obj, owner: Obj) => {
    for (const p of arr(o.phones)) rows['phones.csv'].push({ ...flat(p), ...owner });
    for (const s of arr(o.schedules)) {
      rows['schedules.csv'].push({ ...flat(s), ...owner });
      addAttributes(s.attributes);
    }
  };
  const addLocation = (l: Obj) => {
    rows['locations.csv'].push(flat(l));
    for (const a of arr(l.addresses)) rows['addresses.csv'].push(flat(a));
    for (const a of arr(l.accessibility)) rows['accessibility.csv'].push(flat(a));
    addOwned(l, { location_id: l.id });
    addAttributes(l.attributes);
  };
  for (const o of arr(json.contents)) {
    rows['organizations.csv'].push(flat(o));
    addOwned(o, { organization_id: o.id });
    addAttributes(o.attributes);
    for (const l of arr(o.locations)) addLocation(l);
    for (const s of arr(o.services)) {
      rows['services.csv'].push(flat(s));
      addOwned(s, { service_id: s.id });
      addAttributes(s.attributes);
      for (const l of arr(s.languages)) rows['languages.csv'].push(flat(l));
      for (const sal of arr(s.service_at_locations)) {
        rows['service_at_location.csv'].push(flat(sal));
        addOwned(sal, { service_at_location_id: sal.id });
        if (isObj(sal.location)) addLocation(sal.location);
      }
    }
  }
  rows['taxonomy_terms.csv'] = [...terms.values()];
  const files: Record<string, string> = {};
  const resources: Obj[] = [];
  for (const [table, entity] of Object.entries(HSDS_TABLES) as [HsdsTable, string][]) {
    const columns = hsdsColumns(table);
    files[table] = writeCsv(columns, rows[table] as Record<string, string | number | null>[]);
    resources.push({ name: entity, path: table, profile: 'tabular-data-resource', format: 'csv', mediatype: 'text/csv', encoding: 'utf-8', schema: { fields: columns.map((name) => ({ name })) } });
  }
  return { 'datapackage.json': `${JSON.stringify({ name: 'lodestar-directory', profile: 'tabular-data-package', resources }, null, 2)}\n`, ...files };
}

/**
 * Meeting Guide JSON feeds (the format of the Meeting Guide app and the 12 Step Meeting List
 * plugin): an array of meetings, each with `slug` (the external id), `name`, `day` (0 Sunday … 6
 * Saturday, or a list of days), `time`/`end_time` (HH:MM), `types` (codes from
 * `meeting-guide/types.json`), `location`, an address (`formatted_address` or
 * address/city/state/postal_code/country), `latitude`/`longitude`, `conference_url`,
 * `attendance_option`, `group`, `notes`.
 *
 * Each meeting becomes a directory service of the feed's fellowship (the format does not say which:
 * AA unless the import names another); meetings at the same address share one location; the
 * meeting's group (or one "mutual-aid meetings" organization) is the directory organization. An
 * unknown type code is reported and left out; a missing slug or name, a day outside 0–6, a time that
 * is not HH:MM, coordinates that are not numbers on the globe, or a slug used twice fail the file.
 */
import { createHash } from 'node:crypto';
import type { LocationModel, OrganizationModel, ParseResult, RowProblem, ScheduleModel, ServiceAtLocationModel, ServiceModel } from './model.js';
import { clockTime, coordinates, emptyModel, text } from './model.js';
import { FELLOWSHIPS, MEETING_LANGUAGE_TYPES, meetingGuideTypes, type Fellowship } from './codes.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const FILE = 'meeting-guide';
const ALL_MEETINGS = 'meetings';

const key = (...parts: (string | null)[]) => createHash('sha256').update(parts.map((p) => (p ?? '').toLowerCase().replace(/\s+/g, ' ').trim()).join('|')).digest('hex').slice(0, 24);

export function parseMeetingGuide(doc: unknown, opts: { fellowship?: Fellowship } = {}): ParseResult {
  const errors: RowProblem[] = [];
  const warnings: RowProblem[] = [];
  const model = emptyModel();
  const fellowship = FELLOWSHIPS[opts.fellowship ?? 'aa'];
  const list = Array.isArray(doc) ? doc : isObj(doc) && Array.isArray(doc.meetings) ? doc.meetings : null;
  if (!list) {
    errors.push({ file: FILE, row: null, id: null, field: '', message: 'must be a Meeting Guide feed: a list of meetings' });
    return { model, errors, warnings };
  }
  const types = meetingGuideTypes();
  const orgs = new Map<string, OrganizationModel>();
  const locations = new Map<string, LocationModel>();
  const slugs = new Map<string, number>();
  const unknownTypes = new Map<string, number[]>();

  list.forEach((m, i) => {
    const row = i + 1;
    const bad = (field: string, message: string, id: string | null = null) => errors.push({ file: FILE, row, id, field, message });
    if (!isObj(m)) return bad('', 'must be an object');
    const slug = text(m.slug);
    const before = errors.length;
    if (!slug) bad('slug', 'is required (it is the meeting’s id)');
    else if (slugs.has(slug)) bad('slug', `${slug} is used again (first in row ${slugs.get(slug)})`, slug);
    else slugs.set(slug, row);
    const name = text(m.name);
    if (!name) bad('name', 'is required', slug);
    if (m.name !== undefined && typeof m.name !== 'string') bad('name', 'must be text', slug);

    const days = m.day === undefined || m.day === null || m.day === '' ? [] : Array.isArray(m.day) ? m.day : [m.day];
    const weekdays: number[] = [];
    for (const d of days) {
      const n = typeof d === 'number' ? d : typeof d === 'string' && /^\d$/.test(d) ? Number(d) : NaN;
      if (!Number.isInteger(n) || n < 0 || n > 6) bad('day', `${JSON.stringify(d)} is not a day (0 Sunday … 6 Saturday)`, slug);
      else weekdays.push(n);
    }
    const time = m.time === undefined || m.time === null || m.time === '' ? null : clockTime(m.time);
    if (time === undefined) bad('time', 'must be a time HH:MM', slug);
    const end = m.end_time === undefined || m.end_time === null || m.end_time === '' ? null : clockTime(m.end_time);
    if (end === undefined) bad('end_time', 'must be a time HH:MM', slug);
    if (days.length && time === null) bad('time', 'is required when the meeting has a day', slug);
    if (time && !days.length) bad('day', 'is required when the meeting has a time', slug);

    const meetingTypes: string[] = [];
    if (m.types !== undefined && m.types !== null) {
      if (!Array.isArray(m.types) || m.types.some((t) => typeof t !== 'string')) bad('types', 'must be a list of type codes', slug);
      else
        for (const t of m.types as string[]) {
          if (types.has(t)) meetingTypes.push(t);
          else if (unknownTypes.has(t)) unknownTypes.get(t)!.push(row);
          else unknownTypes.set(t, [row]);
        }
    }
    const point = coordinates(m.latitude, m.longitude);
    if (point.problem) bad(point.problem.field, point.problem.message, slug);
    const conferenceUrl = text(m.conference_url);
    if (conferenceUrl && !/^https?:\/\/\S+$/i.test(conferenceUrl)) bad('conference_url', 'must be a web address (http or https)', slug);
    if (errors.length > before || !slug || !name) return;

    const address = addressOf(m);
    const hasPlace = Boolean(address.address1 || address.city || point.latitude !== null);
    const option = text(m.attendance_option)?.toLowerCase();
    const attendingType: ScheduleModel['attendingType'] = option === 'online' ? 'online' : option === 'hybrid' ? 'hybrid' : option === 'in_person' ? 'in_person' : conferenceUrl ? (hasPlace ? 'hybrid' : 'online') : 'in_person';

    const group = text(m.group);
    const orgId = group ? `group:${key(group)}` : ALL_MEETINGS;
    if (!orgs.has(orgId))
      orgs.set(orgId, { externalId: orgId, name: group ?? 'Mutual-aid meetings', alternateName: null, description: null, type: 'community_service', email: null, website: null, phones: [] });

    const languages = [...new Set(meetingTypes.map((t) => MEETING_LANGUAGE_TYPES[t]).filter((l): l is string => Boolean(l)))];
    const schedules: ScheduleModel[] = time
      ? weekdays.map((weekday) => ({ weekday, opensAt: time, closesAt: end ?? null, attendingType, meetingTypes: meetingTypes.length ? [...meetingTypes] : null, description: null }))
      : [];
    const service: ServiceModel = {
      externalId: slug,
      organizationExternalId: orgId,
      name,
      alternateName: null,
      description: text(m.notes),
      url: conferenceUrl,
      email: null,
      status: option === 'inactive' ? 'inactive' : meetingTypes.includes('TC') ? 'temporarily closed' : 'active',
      serviceTypes: [fellowship],
      insurance: [],
      languages,
      acceptingNew: 1,
      telehealth: attendingType === 'online' || attendingType === 'hybrid' ? 1 : 0,
      eligibilityDescription: null,
      feesDescription: null,
      applicationProcess: null,
      interpretationServices: null,
      minimumAge: null,
      maximumAge: null,
      phones: text(m.conference_phone) ? [{ number: text(m.conference_phone)!, extension: null, type: 'voice', description: 'Join by phone' }] : [],
      schedules: hasPlace ? [] : schedules,
    };
    model.services.push(service);
    if (hasPlace) {
      const locId = `place:${key(address.address1, address.city, address.postalCode, point.latitude === null ? null : point.latitude.toFixed(5), point.longitude === null ? null : point.longitude.toFixed(5))}`;
      if (!locations.has(locId))
        locations.set(locId, {
          externalId: locId,
          organizationExternalId: null,
          locationType: 'physical',
          name: text(m.location),
          description: text(m.location_notes),
          url: null,
          ...address,
          latitude: point.latitude,
          longitude: point.longitude,
          transportation: null,
          accessibility: null,
          wheelchairAccessible: meetingTypes.includes('X') ? 1 : null,
          phones: [],
          schedules: [],
        });
      const sal: ServiceAtLocationModel = { externalId: slug, serviceExternalId: slug, locationExternalId: locId, description: null, phones: [], schedules };
      model.serviceAtLocations.push(sal);
    }
  });
  model.organizations.push(...orgs.values());
  model.locations.push(...locations.values());
  for (const [code, rows] of unknownTypes) warnings.push({ file: FILE, row: rows[0]!, id: null, field: 'types', message: `${code} is not a Meeting Guide type (${rows.length} meeting(s)); left out` });
  return { model, errors, warnings };
}

function addressOf(m: Obj): Pick<LocationModel, 'address1' | 'address2' | 'city' | 'stateProvince' | 'postalCode' | 'country'> {
  if (text(m.address) || text(m.city)) {
    return { address1: text(m.address), address2: null, city: text(m.city), stateProvince: text(m.state), postalCode: text(m.postal_code), country: text(m.country) ?? 'US' };
  }
  // "123 Main St, Springfield, IL 62701, USA"
  const formatted = text(m.formatted_address);
  if (!formatted) return { address1: null, address2: null, city: null, stateProvince: null, postalCode: null, country: null };
  const parts = formatted.split(',').map((p) => p.trim());
  const country = parts.length >= 4 ? parts.pop()! : 'US';
  const stateZip = /^([A-Za-z]{2})\s+(\d{5}(?:-\d{4})?)$/.exec(parts.at(-1) ?? '');
  if (parts.length >= 3 && stateZip) {
    return { address1: parts.slice(0, -2).join(', '), address2: null, city: parts.at(-2)!, stateProvince: stateZip[1]!, postalCode: stateZip[2]!, country: country === 'USA' ? 'US' : country };
  }
  return { address1: formatted, address2: null, city: null, stateProvince: null, postalCode: null, country: null };
}

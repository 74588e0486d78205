/**
 * The FindTreatment.gov (SAMHSA treatment locator) JSON export: `{ rows: [...] }` (or a bare list),
 * one facility per row with `name1` (the facility), `name2` (a second name line), `street1`
 * (or `street`), `street2`, `city`, `state`, `zip`, `phone`, `intake1`, `website`, `latitude`,
 * `longitude`, and its service codes: `services: [{ f1: category, f2: "BU; MM; OTP", f3: names }]`
 * as the locator exports them, or `codes` / `service_codes` as a list or a "; "-separated text.
 *
 * A facility becomes a directory organization (a treating provider), one service and one location,
 * all with the same external id: the row's `frid`/`id` when it has one, else a key made of
 * name, street and ZIP code (which is what identifies a facility across exports). Codes mapped in
 * `codes.ts` fill service types, insurance, telehealth and languages; every other code is counted
 * in the report. Missing name or address, coordinates that are not numbers on the globe, a code
 * list that is not text, or the same facility twice fail the file.
 */
import { createHash } from 'node:crypto';
import type { ParseResult, RowProblem } from './model.js';
import { coordinates, emptyModel, text } from './model.js';
import { FINDTREATMENT_CODES } from './codes.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const FILE = 'findtreatment';

function codesOf(r: Obj): string[] | undefined {
  const split = (v: string) => v.split(/[;,]/).map((c) => c.trim().toUpperCase()).filter(Boolean);
  const raw = r.services ?? r.codes ?? r.service_codes;
  if (raw === undefined || raw === null) return [];
  if (typeof raw === 'string') return split(raw);
  if (!Array.isArray(raw)) return undefined;
  const out: string[] = [];
  for (const item of raw) {
    if (typeof item === 'string') out.push(...split(item));
    else if (isObj(item) && typeof item.f2 === 'string') out.push(...split(item.f2));
    else return undefined;
  }
  return out;
}

export function parseFindTreatment(doc: unknown): ParseResult {
  const errors: RowProblem[] = [];
  const warnings: RowProblem[] = [];
  const model = emptyModel();
  const list = Array.isArray(doc) ? doc : isObj(doc) && Array.isArray(doc.rows) ? doc.rows : null;
  if (!list) {
    errors.push({ file: FILE, row: null, id: null, field: '', message: 'must be a FindTreatment.gov export: { rows: [...] } or a list of rows' });
    return { model, errors, warnings };
  }
  const seen = new Map<string, number>();
  const unmapped = new Map<string, number[]>();
  list.forEach((r, i) => {
    const row = i + 1;
    const bad = (field: string, message: string, id: string | null = null) => errors.push({ file: FILE, row, id, field, message });
    if (!isObj(r)) return bad('', 'must be an object');
    const before = errors.length;
    for (const f of ['name1', 'name2', 'street1', 'street', 'street2', 'city', 'state', 'zip', 'phone', 'intake1', 'website']) {
      if (r[f] !== undefined && r[f] !== null && typeof r[f] !== 'string' && !(f === 'zip' && typeof r[f] === 'number')) bad(f, 'must be text');
    }
    const name = text(r.name1);
    const street = text(r.street1) ?? text(r.street);
    const zip = text(r.zip);
    if (!name) bad('name1', 'is required');
    if (!street) bad('street1', 'is required');
    if (!text(r.city)) bad('city', 'is required');
    if (zip && !/^\d{5}(-\d{4})?$/.test(zip)) bad('zip', 'must be a 5-digit ZIP code (or ZIP+4)');
    const point = coordinates(r.latitude, r.longitude);
    if (point.problem) bad(point.problem.field, point.problem.message);
    const codes = codesOf(r);
    if (codes === undefined) bad('services', 'must be a list of { f1, f2, f3 } with the codes in f2, or a list of codes');
    if (errors.length > before || !name || !street || codes === undefined) return;

    const id = text(r.frid) ?? text(r.id) ?? `ft:${createHash('sha256').update([name, street, zip ?? ''].map((p) => p.toLowerCase().replace(/\s+/g, ' ')).join('|')).digest('hex').slice(0, 24)}`;
    if (seen.has(id)) return bad(text(r.frid) ? 'frid' : 'name1', `the same facility (name, street and ZIP) is already in row ${seen.get(id)}`, id);
    seen.set(id, row);

    const serviceTypes = new Set<string>();
    const insurance = new Set<string>();
    const languages = new Set<string>();
    let telehealth: 0 | 1 = 0;
    for (const code of new Set(codes)) {
      const m = FINDTREATMENT_CODES[code];
      if (!m) {
        if (unmapped.has(code)) unmapped.get(code)!.push(row);
        else unmapped.set(code, [row]);
        continue;
      }
      m.serviceTypes?.forEach((t) => serviceTypes.add(t));
      m.insurance?.forEach((t) => insurance.add(t));
      if (m.language) languages.add(m.language);
      if (m.telehealth) telehealth = 1;
    }
    const phones = [text(r.phone), text(r.intake1)].filter((p): p is string => Boolean(p));
    model.organizations.push({ externalId: id, name, alternateName: text(r.name2), description: null, type: 'treating_provider', email: null, website: text(r.website), phones: [] });
    model.services.push({
      externalId: id,
      organizationExternalId: id,
      name: text(r.name2) ? `${name} — ${text(r.name2)}` : name,
      alternateName: null,
      description: null,
      url: text(r.website),
      email: null,
      status: 'active',
      serviceTypes: [...serviceTypes],
      insurance: [...insurance],
      languages: [...languages],
      acceptingNew: null,
      telehealth,
      eligibilityDescription: null,
      feesDescription: null,
      applicationProcess: null,
      interpretationServices: null,
      minimumAge: null,
      maximumAge: null,
      phones: [...new Set(phones)].map((number, j) => ({ number, extension: null, type: 'voice', description: j === 0 ? null : 'Intake' })),
      schedules: [],
    });
    model.locations.push({
      externalId: id,
      organizationExternalId: id,
      locationType: 'physical',
      name,
      description: null,
      url: null,
      address1: street,
      address2: text(r.street2),
      city: text(r.city),
      stateProvince: text(r.state),
      postalCode: zip,
      country: 'US',
      latitude: point.latitude,
      longitude: point.longitude,
      transportation: null,
      accessibility: null,
      wheelchairAccessible: null,
      phones: [],
      schedules: [],
    });
    model.serviceAtLocations.push({ externalId: id, serviceExternalId: id, locationExternalId: id, description: null, phones: [], schedules: [] });
  });
  for (const [code, rows] of [...unmapped].sort(([a], [b]) => a.localeCompare(b))) {
    warnings.push({ file: FILE, row: rows[0]!, id: null, field: 'services', message: `code ${code} is not mapped to the directory (${rows.length} row(s)); left out` });
  }
  return { model, errors, warnings };
}

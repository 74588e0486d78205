/**
 * A realistic, clearly fictional resource directory for benchmarks and trying the app: clinics,
 * opioid treatment programs, pharmacies, mutual-aid meetings, recovery housing and community
 * services spread over towns of a made-up region (centred on 40.0 N, 77.5 W, about 330 × 420 km),
 * denser in the towns. Deterministic for a seed (names, places, codes, hours; ids and timestamps
 * are not). Phone numbers are in the 555-0100…555-0199 range reserved for fiction. Source rows go
 * in with multi-row inserts (source 'generated', external ids `gen-…`), then the search rows are
 * built through the repository's `refreshSearchRows`, the same path every edit takes.
 */
import type { Insertable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/tables.js';
import { newId } from '../../platform/ids.js';
import { mulberry32 } from '../generate/generate.js';
import { refreshSearchRows, analyzeSearchTables } from './directory.repository.js';

export interface GenerateDirectoryOptions {
  services: number;
  seed: number;
  /** Prefix of the rows' external ids (default `gen`): another batch into a directory that already has generated rows. */
  externalIdPrefix?: string;
}
export interface GenerateDirectoryResult {
  organizations: number;
  services: number;
  locations: number;
  seconds: number;
}

const TOWNS: [string, number, number][] = [
  ['Alder Falls', 40.27, -76.88],
  ['Bramble Hill', 40.44, -79.99],
  ['Cedar Crossing', 40.04, -76.31],
  ['Dunmore Bay', 41.41, -75.66],
  ['Elk Hollow', 40.61, -75.47],
  ['Fernbrook', 39.96, -75.6],
  ['Granite Ridge', 40.79, -77.86],
  ['Harrow Point', 41.24, -77.0],
  ['Ivy Springs', 40.34, -78.92],
  ['Juniper Glen', 39.9, -77.66],
  ['Kestrel Lake', 41.13, -78.76],
  ['Linden Mills', 40.12, -79.45],
  ['Maple Ford', 39.81, -76.98],
  ['Northgate', 41.0, -76.45],
  ['Oakvale', 40.52, -78.4],
];
const STREETS = ['Main St', 'Market St', 'River Rd', 'Church St', 'Oak Ave', 'Mill St', 'Park Ave', 'Union St', 'High St', 'Water St', 'Bridge St', 'Hillside Dr'];
const WORDS = ['Harbor', 'Beacon', 'New Leaf', 'Open Door', 'Crossroads', 'Keystone', 'Summit', 'Riverbend', 'Bridgeway', 'Lighthouse', 'Hope', 'Pathways', 'Evergreen', 'Northstar', 'Clearwater', 'Common Ground'];

type Kind = { weight: number; org: string; suffix: string[]; types: string[][]; insurance: string[][]; hours: 'clinic' | 'meeting' | 'pharmacy' | 'always' };
const KINDS: Kind[] = [
  { weight: 6, org: 'treating_provider', suffix: ['Opioid Treatment Program', 'Methadone Clinic'], types: [['otp_methadone', 'buprenorphine', 'outpatient_counseling'], ['otp_methadone', 'same_day_induction', 'naloxone']], insurance: [['medicaid', 'medicare', 'private', 'sliding_scale'], ['medicaid', 'uninsured']], hours: 'clinic' },
  { weight: 14, org: 'treating_provider', suffix: ['Recovery Medicine', 'Addiction Medicine', 'Family Health Center'], types: [['buprenorphine'], ['buprenorphine', 'same_day_induction'], ['buprenorphine', 'naltrexone', 'outpatient_counseling'], ['buprenorphine', 'mental_health']], insurance: [['medicaid', 'private'], ['medicaid', 'medicare', 'private'], ['private'], ['medicaid', 'uninsured', 'sliding_scale']], hours: 'clinic' },
  { weight: 8, org: 'treating_provider', suffix: ['Counseling Services', 'Behavioral Health', 'Outpatient Program'], types: [['outpatient_counseling', 'mental_health'], ['intensive_outpatient', 'outpatient_counseling'], ['intensive_outpatient', 'naltrexone']], insurance: [['medicaid', 'private'], ['medicaid', 'medicare', 'private', 'sliding_scale']], hours: 'clinic' },
  { weight: 4, org: 'treating_provider', suffix: ['Residential Treatment', 'Withdrawal Management Center'], types: [['residential', 'withdrawal_management'], ['withdrawal_management', 'buprenorphine'], ['residential', 'buprenorphine']], insurance: [['medicaid', 'private'], ['medicaid', 'medicare', 'private']], hours: 'always' },
  { weight: 20, org: 'community_service', suffix: ['Pharmacy', 'Drug Store'], types: [['pharmacy', 'naloxone'], ['pharmacy']], insurance: [['medicaid', 'medicare', 'private'], ['medicaid', 'private']], hours: 'pharmacy' },
  { weight: 24, org: 'community_service', suffix: ['NA Group', 'AA Group', 'SMART Recovery Meeting', 'MARS Group', 'All Recovery Meeting'], types: [['mutual_aid_na'], ['mutual_aid_aa'], ['mutual_aid_smart'], ['mutual_aid_mars'], ['mutual_aid_all_recovery']], insurance: [['uninsured']], hours: 'meeting' },
  { weight: 6, org: 'community_service', suffix: ['Recovery Residence', 'Sober House'], types: [['recovery_housing'], ['recovery_housing', 'peer_support']], insurance: [['sliding_scale'], ['uninsured', 'sliding_scale']], hours: 'clinic' },
  { weight: 6, org: 'community_service', suffix: ['Harm Reduction Program', 'Syringe Services'], types: [['harm_reduction', 'naloxone'], ['harm_reduction', 'naloxone', 'peer_support']], insurance: [['uninsured']], hours: 'clinic' },
  { weight: 12, org: 'community_service', suffix: ['Community Services', 'Family Center', 'Legal Aid', 'Rides Program', 'Food Pantry', 'Job Center', 'Housing Office'], types: [['housing'], ['employment'], ['legal'], ['transportation'], ['food'], ['mental_health']], insurance: [['uninsured'], ['medicaid', 'uninsured']], hours: 'clinic' },
];
const TOTAL_WEIGHT = KINDS.reduce((n, k) => n + k.weight, 0);

export async function generateDirectory(db: Executor, organizationId: string, opts: GenerateDirectoryOptions): Promise<GenerateDirectoryResult> {
  const started = performance.now();
  const rng = mulberry32(opts.seed ^ 0x2545f491);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rng() * a.length)]!;
  const now = new Date().toISOString();
  const prefix = opts.externalIdPrefix ?? 'gen';
  const phone = () => `555-01${String(Math.floor(rng() * 100)).padStart(2, '0')}`;

  const orgs: Insertable<Database['directory_organizations']>[] = [];
  const services: Insertable<Database['directory_services']>[] = [];
  const locations: Insertable<Database['directory_locations']>[] = [];
  const sals: Insertable<Database['directory_service_at_location']>[] = [];
  const schedules: Insertable<Database['directory_schedules']>[] = [];
  const phones: Insertable<Database['directory_phones']>[] = [];
  let n = 0;
  while (services.length < opts.services) {
    let r = rng() * TOTAL_WEIGHT;
    const kind = KINDS.find((k) => (r -= k.weight) < 0) ?? KINDS[0]!;
    const k = KINDS.indexOf(kind);
    const suffix = pick(kind.suffix);
    const orgId = newId();
    const orgName = `${pick(WORDS)} ${suffix}`;
    orgs.push({ id: orgId, organization_id: organizationId, source: 'generated', external_id: `${prefix}-o-${n}`, name: orgName, type: kind.org, created_at: now, updated_at: now });
    phones.push({ id: newId(), organization_id: organizationId, directory_organization_id: orgId, source: 'generated', external_id: `${prefix}-p-${n}`, number: phone(), type: 'voice', created_at: now });
    // An organization offers one to three services (a clinic often more), each at its one or two places.
    const count = Math.min(opts.services - services.length, kind.hours === 'meeting' ? 1 : 1 + Math.floor(rng() * 2.2));
    const places: string[] = [];
    const nPlaces = rng() < 0.12 ? 2 : 1;
    for (let p = 0; p < nPlaces; p++) {
      const [town, lat, lon] = rng() < 0.8 ? pick(TOWNS) : ['Rural Route', 39.8 + rng() * 1.6, -80.2 + rng() * 5];
      // Towns spread a few km; the countryside lies between them.
      const spread = town === 'Rural Route' ? 0 : 0.08;
      const id = newId();
      places.push(id);
      locations.push({
        id,
        organization_id: organizationId,
        directory_organization_id: orgId,
        source: 'generated',
        external_id: `${prefix}-l-${n}-${p}`,
        name: nPlaces > 1 ? `${orgName} — ${town}` : orgName,
        address_1: `${10 + Math.floor(rng() * 990)} ${pick(STREETS)}`,
        city: town,
        state_province: 'XX',
        postal_code: String(10000 + Math.floor(rng() * 89999)),
        country: 'US',
        latitude: Math.round((lat + (rng() - 0.5) * spread * 2) * 1e5) / 1e5,
        longitude: Math.round((lon + (rng() - 0.5) * spread * 2.6) * 1e5) / 1e5,
        accessibility: rng() < 0.7 ? 'Step-free entrance' : null,
        wheelchair_accessible: rng() < 0.7 ? 1 : 0,
        created_at: now,
        updated_at: now,
      });
    }
    for (let s = 0; s < count; s++) {
      const typeIdx = Math.floor(rng() * kind.types.length);
      const types = kind.types[typeIdx]!;
      const id = newId();
      const languages = rng() < 0.3 ? ['en', 'es'] : rng() < 0.05 ? ['en', 'vi'] : ['en'];
      const capacityKnown = (kind.hours === 'always' || types.includes('recovery_housing') || types.includes('otp_methadone')) && rng() < 0.8;
      services.push({
        id,
        organization_id: organizationId,
        directory_organization_id: orgId,
        source: 'generated',
        external_id: `${prefix}-s-${services.length}`,
        name: kind.hours === 'meeting' ? `${pick(WORDS)} ${kind.suffix[typeIdx] ?? suffix}` : s === 0 ? orgName : `${orgName} ${['Walk-in', 'Telehealth', 'Evening'][s % 3]}`,
        service_types: JSON.stringify(types),
        insurance: JSON.stringify(pick(kind.insurance)),
        languages: JSON.stringify(languages),
        accepting_new: kind.hours === 'meeting' ? null : rng() < 0.75 ? 1 : 0,
        telehealth: kind.org === 'treating_provider' && rng() < 0.35 ? 1 : 0,
        beds_open: capacityKnown && kind.hours === 'always' ? Math.floor(rng() * 6) : null,
        slots_open: capacityKnown && kind.hours !== 'always' ? Math.floor(rng() * 8) : null,
        waitlist_length: capacityKnown ? Math.floor(rng() * 10) : null,
        capacity_updated_at: capacityKnown ? new Date(Date.now() - Math.floor(rng() * 20) * 86_400_000).toISOString() : null,
        last_verified_at: rng() < 0.6 ? new Date(Date.now() - Math.floor(rng() * 180) * 86_400_000).toISOString() : null,
        created_at: now,
        updated_at: now,
      });
      for (const location_id of places) sals.push({ id: newId(), organization_id: organizationId, service_id: id, location_id, source: 'generated', created_at: now });
      const add = (weekday: number, opens: string, closes: string | null, extra: Partial<Insertable<Database['directory_schedules']>> = {}) =>
        schedules.push({ id: newId(), organization_id: organizationId, service_id: id, source: 'generated', weekday, opens_at: opens, closes_at: closes, attending_type: null, meeting_types: null, created_at: now, ...extra });
      if (kind.hours === 'always') for (let d = 0; d < 7; d++) add(d, '00:00', '00:00');
      else if (kind.hours === 'pharmacy') for (let d = 0; d < 7; d++) add(d, d === 0 ? '10:00' : '08:00', d === 0 ? '18:00' : rng() < 0.2 ? '00:00' : '21:00');
      else if (kind.hours === 'meeting') {
        const hour = pick(['07:00', '12:00', '18:30', '19:00', '19:30', '20:00']);
        const days = rng() < 0.5 ? [Math.floor(rng() * 7)] : [1, 3, 5];
        for (const d of days) add(d, hour, `${String(Number(hour.slice(0, 2)) + 1).padStart(2, '0')}${hour.slice(2)}`, { attending_type: rng() < 0.2 ? 'hybrid' : 'in_person', meeting_types: JSON.stringify(['O', ...(languages.includes('es') ? ['S'] : [])]) });
      } else for (let d = 1; d <= 5; d++) add(d, rng() < 0.5 ? '08:00' : '09:00', rng() < 0.3 ? '19:00' : '17:00');
      if (k % 2 === 0 && rng() < 0.5) phones.push({ id: newId(), organization_id: organizationId, service_id: id, source: 'generated', number: phone(), type: 'voice', created_at: now });
    }
    n++;
  }

  const insert = async <T extends keyof Database>(table: T, rows: Insertable<Database[T]>[], size: number) => {
    for (let i = 0; i < rows.length; i += size) await db.insertInto(table).values(rows.slice(i, i + size)).execute();
  };
  await insert('directory_organizations', orgs, 200);
  await insert('directory_locations', locations, 100);
  await insert('directory_services', services, 100);
  await insert('directory_service_at_location', sals, 300);
  await insert('directory_schedules', schedules, 300);
  await insert('directory_phones', phones, 300);
  await refreshSearchRows(db, organizationId, services.map((s) => s.id));
  await analyzeSearchTables(db);
  return { organizations: orgs.length, services: services.length, locations: locations.length, seconds: (performance.now() - started) / 1000 };
}

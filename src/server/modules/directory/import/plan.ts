/**
 * What an import would change: each entity of the file is matched to a row of the organization's
 * directory by (source, external id) — or, for HSDS files, by the Lodestar id an export gave it —
 * (or, for HSDS files, by the one row of any source that has that UUID as its external id) and is
 * then created, updated, or left unchanged (same content, compared as sets for code lists
 * and child rows). Entries of the same source that the file no longer carries are counted, never
 * deleted: a shorter file is more often a partial export than a closure.
 */
import { newId } from '../../../platform/ids.js';
import type { DirectoryModel, LocationModel, OrganizationModel, ServiceAtLocationModel, ServiceModel } from './model.js';
import { absentOf, fingerprint } from './model.js';
import type { LoadedDirectory, RowRef, Step, WritePlan } from './import.repository.js';

export type Kind = 'organizations' | 'locations' | 'services' | 'serviceAtLocations';
export const KINDS: readonly Kind[] = ['organizations', 'locations', 'services', 'serviceAtLocations'];
export type Action = 'create' | 'update' | 'unchanged';

export interface Counts {
  created: number;
  updated: number;
  unchanged: number;
  /** Rows of this source the file does not carry (left as they are). */
  notInFile: number;
}

export interface Change {
  kind: Kind;
  action: Action;
  externalId: string;
  name: string | null;
}

export interface Planned {
  plan: WritePlan;
  counts: Record<Kind, Counts>;
  changes: Change[];
}

type Entity = OrganizationModel | LocationModel | ServiceModel | ServiceAtLocationModel;

export function planImport(file: DirectoryModel, current: LoadedDirectory, source: string, opts: { matchLodestarIds: boolean }): Planned {
  const counts = Object.fromEntries(KINDS.map((k) => [k, { created: 0, updated: 0, unchanged: 0, notInFile: 0 }])) as Record<Kind, Counts>;
  const changes: Change[] = [];
  const rowOf = { organization: new Map<string, string>(), location: new Map<string, string>(), service: new Map<string, string>() };
  /** Row id → the external id the loaded model uses for it, per kind (to compare references as rows). */
  const currentRowOfExt = {
    organization: new Map(current.model.organizations.map((o, i) => [o.externalId, current.refs.organizations[i]!.id])),
    location: new Map(current.model.locations.map((l, i) => [l.externalId, current.refs.locations[i]!.id])),
    service: new Map(current.model.services.map((s, i) => [s.externalId, current.refs.services[i]!.id])),
  };
  const plan: WritePlan = { organizations: [], locations: [], services: [], serviceAtLocations: [], rowOf, touchedServices: new Set() };

  /** Match each file entity of a kind to a current row; returns the steps of those that change. */
  const match = <T extends Entity>(kind: Kind, items: T[], loaded: T[], refs: RowRef[], canonical: (e: T, mine: boolean, other: T) => T, extra?: (e: T) => number | undefined): (Step<T> & { unchanged?: boolean })[] => {
    const bySource = new Map<string, number>();
    const byId = new Map<string, number>();
    const byExternal = new Map<string, number | null>();
    refs.forEach((r, i) => {
      if (r.source === source && r.externalId !== null) bySource.set(r.externalId, i);
      byId.set(r.id, i);
      if (r.externalId !== null) byExternal.set(r.externalId, byExternal.has(r.externalId) ? null : i);
    });
    const claimed = new Set<number>();
    const steps: (Step<T> & { unchanged?: boolean })[] = [];
    for (let e of items) {
      let i = bySource.get(e.externalId);
      // HSDS ids are UUIDs: an export names each entry by its file id, or by its Lodestar id when it
      // has none, so our own export (of whatever source) comes back onto the same rows.
      if (i === undefined && opts.matchLodestarIds) i = byId.get(e.externalId) ?? byExternal.get(e.externalId) ?? undefined;
      if (i === undefined && extra) i = extra(e);
      if (i !== undefined && claimed.has(i)) i = undefined;
      const name = 'name' in e ? e.name : null;
      if (i === undefined) {
        steps.push({ entity: e, rowId: newId(), create: true });
        counts[kind].created++;
        changes.push({ kind, action: 'create', externalId: e.externalId, name });
        continue;
      }
      claimed.add(i);
      // What the file leaves out (a list view without phones, a package without schedules.csv) stays as it is.
      const absent = absentOf(e);
      if (absent.length) {
        const current = loaded[i] as unknown as Record<string, unknown>;
        e = { ...e, ...Object.fromEntries(absent.map((k) => [k, current[k]])) };
      }
      const same = fingerprint(canonical(e, true, loaded[i]!)) === fingerprint(canonical(loaded[i]!, false, loaded[i]!));
      if (same) {
        counts[kind].unchanged++;
        changes.push({ kind, action: 'unchanged', externalId: e.externalId, name });
      } else {
        counts[kind].updated++;
        changes.push({ kind, action: 'update', externalId: e.externalId, name });
      }
      steps.push({ entity: e, rowId: refs[i]!.id, create: false, unchanged: same });
    }
    refs.forEach((r, i) => {
      if (r.source === source && !claimed.has(i)) counts[kind].notInFile++;
    });
    return steps;
  };
  const keep = <T>(steps: (Step<T> & { unchanged?: boolean })[]): Step<T>[] => steps.filter((s) => !s.unchanged);
  /** References compared as rows: a file's external id → its planned row; a loaded one → its row. */
  const fileRow = (kind: keyof typeof rowOf, ext: string | null) => (ext === null ? null : (rowOf[kind].get(ext) ?? `new:${ext}`));
  const loadedRow = (kind: keyof typeof rowOf, ext: string | null) => (ext === null ? null : (currentRowOfExt[kind].get(ext) ?? `missing:${ext}`));

  const orgSteps = match('organizations', file.organizations, current.model.organizations, current.refs.organizations, (o) => ({ ...o, externalId: '' }));
  for (const s of orgSteps) rowOf.organization.set(s.entity.externalId, s.rowId);
  // A file that does not say whose a place is (a location alone, or nested in a service) leaves that as it was.
  const locSteps = match('locations', file.locations, current.model.locations, current.refs.locations, (l, mine, other) => ({
    ...l,
    externalId: '',
    organizationExternalId: mine && l.organizationExternalId !== null ? fileRow('organization', l.organizationExternalId) : loadedRow('organization', (mine ? other : l).organizationExternalId),
  }));
  for (const s of locSteps) rowOf.location.set(s.entity.externalId, s.rowId);
  const serviceSteps = match('services', file.services, current.model.services, current.refs.services, (x, mine) => ({
    ...x,
    externalId: '',
    organizationExternalId: (mine ? fileRow('organization', x.organizationExternalId) : loadedRow('organization', x.organizationExternalId)) ?? '',
  }));
  for (const s of serviceSteps) rowOf.service.set(s.entity.externalId, s.rowId);
  // A service at a location is also the pair itself: the same service at the same place is one row.
  const pairIndex = new Map(current.model.serviceAtLocations.map((x, i) => [`${loadedRow('service', x.serviceExternalId)}|${loadedRow('location', x.locationExternalId)}`, i]));
  const salSteps = match(
    'serviceAtLocations',
    file.serviceAtLocations,
    current.model.serviceAtLocations,
    current.refs.serviceAtLocations,
    (x, mine) => ({
      ...x,
      externalId: '',
      serviceExternalId: (mine ? fileRow('service', x.serviceExternalId) : loadedRow('service', x.serviceExternalId)) ?? '',
      locationExternalId: (mine ? fileRow('location', x.locationExternalId) : loadedRow('location', x.locationExternalId)) ?? '',
    }),
    (x) => pairIndex.get(`${fileRow('service', x.serviceExternalId)}|${fileRow('location', x.locationExternalId)}`),
  );

  plan.organizations = keep(orgSteps);
  plan.locations = keep(locSteps);
  plan.services = keep(serviceSteps);
  plan.serviceAtLocations = keep(salSteps);

  // Search rows show the organization, the places and their hours: rebuild every service that shows something that changed.
  const changedOrgs = new Set(plan.organizations.map((s) => s.rowId));
  const changedLocations = new Set(plan.locations.map((s) => s.rowId));
  for (const s of plan.services) plan.touchedServices.add(s.rowId);
  for (const s of plan.serviceAtLocations) plan.touchedServices.add(rowOf.service.get(s.entity.serviceExternalId)!);
  current.model.services.forEach((s, i) => {
    if (changedOrgs.has(loadedRow('organization', s.organizationExternalId) ?? '')) plan.touchedServices.add(current.refs.services[i]!.id);
  });
  current.model.serviceAtLocations.forEach((x) => {
    if (changedLocations.has(loadedRow('location', x.locationExternalId) ?? '')) plan.touchedServices.add(loadedRow('service', x.serviceExternalId)!);
  });
  for (const s of serviceSteps) if (changedOrgs.has(rowOf.organization.get(s.entity.organizationExternalId) ?? '')) plan.touchedServices.add(s.rowId);
  return { plan, counts, changes };
}

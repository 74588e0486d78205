/**
 * All SQL of imports: the external-id map (migration 0017), the organization's programs, sites
 * and staff by name or email, and the rows an import writes. Participants and episodes go through
 * their own repository (name tokens, the one-open-episode rule); the other records are written as
 * the same rows their modules write (see each module's repository), with none of the side effects
 * their use cases add for new events (to-dos, reminders, alerts): history in the past needs none.
 */
import type { Kysely } from 'kysely';
import type { ImportKind } from '../../../contracts/imports.js';
import type { Executor } from '../../platform/db/database.js';
import { newId } from '../../platform/ids.js';

const CHUNK = 500;

/** Of `externalIds`, those already imported for the organization: external id → record id. */
export async function knownExternalIds(db: Executor, organizationId: string, kind: ImportKind, externalIds: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const ids = [...new Set(externalIds)];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom('import_external_ids')
      .select(['external_id', 'record_id'])
      .where('organization_id', '=', organizationId)
      .where('kind', '=', kind)
      .where('external_id', 'in', ids.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) out.set(r.external_id, r.record_id);
  }
  return out;
}

export async function saveExternalId(db: Executor, organizationId: string, kind: ImportKind, externalId: string, recordId: string, now: string): Promise<void> {
  await db
    .insertInto('import_external_ids')
    .values({ organization_id: organizationId, kind, external_id: externalId, record_id: recordId, created_at: now, updated_at: now })
    .onConflict((oc) => oc.columns(['organization_id', 'kind', 'external_id']).doUpdateSet({ record_id: recordId, updated_at: now }))
    .execute();
}

/** The organization's programs and sites by lower-cased name (a name used twice maps to null: ambiguous). */
export async function namedPlaces(db: Executor, organizationId: string): Promise<{ programs: Map<string, string | null>; sites: Map<string, string | null> }> {
  const byName = (rows: { id: string; name: string }[]) => {
    const m = new Map<string, string | null>();
    for (const r of rows) {
      const key = r.name.trim().toLowerCase();
      m.set(key, m.has(key) ? null : r.id);
    }
    return m;
  };
  const [programs, sites] = await Promise.all([
    db.selectFrom('programs').select(['id', 'name']).where('organization_id', '=', organizationId).execute(),
    db.selectFrom('sites').select(['id', 'name']).where('organization_id', '=', organizationId).execute(),
  ]);
  return { programs: byName(programs), sites: byName(sites) };
}

/** Staff of the organization by (lower-case) email. */
export async function staffByEmail(db: Executor, organizationId: string, emails: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const list = [...new Set(emails)];
  for (let i = 0; i < list.length; i += CHUNK) {
    const rows = await db
      .selectFrom('users')
      .innerJoin('memberships', 'memberships.user_id', 'users.id')
      .select(['users.id', 'users.email'])
      .where('memberships.organization_id', '=', organizationId)
      .where('users.email', 'in', list.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) out.set(r.email.toLowerCase(), r.id);
  }
  return out;
}

/** A user of the organization by email (the CLI's `--as`), or its first admin. */
export async function importingUser(db: Executor, organizationId: string, email: string | undefined): Promise<string | undefined> {
  let q = db
    .selectFrom('users')
    .innerJoin('memberships', 'memberships.user_id', 'users.id')
    .select('users.id')
    .where('memberships.organization_id', '=', organizationId)
    .where('users.status', '=', 'active');
  q = email ? q.where('users.email', '=', email.toLowerCase()) : q.where('memberships.role', '=', 'admin').orderBy('memberships.created_at');
  return (await q.executeTakeFirst())?.id;
}

export async function organizationOf(db: Executor, id: string): Promise<{ id: string; name: string; timeZone: string } | undefined> {
  const r = await db.selectFrom('organizations').select(['id', 'name', 'time_zone']).where('id', '=', id).executeTakeFirst();
  return r && { id: r.id, name: r.name, timeZone: r.time_zone };
}

/** Current version and names of participants (for updating them through their repository). */
export async function participantHeads(
  db: Executor,
  organizationId: string,
  ids: readonly string[],
): Promise<Map<string, { version: number; firstName: string | null; lastName: string | null; alias: string | null; preferredName: string | null }>> {
  const out = new Map<string, { version: number; firstName: string | null; lastName: string | null; alias: string | null; preferredName: string | null }>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom('participants')
      .select(['id', 'version', 'first_name', 'last_name', 'alias', 'preferred_name'])
      .where('organization_id', '=', organizationId)
      .where('id', 'in', ids.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) out.set(r.id, { version: Number(r.version), firstName: r.first_name, lastName: r.last_name, alias: r.alias, preferredName: r.preferred_name });
  }
  return out;
}

/** Open (not discharged) episodes of these participants: participant → program ids with their episode. */
export async function openEpisodesOf(db: Executor, organizationId: string, participantIds: readonly string[]): Promise<{ id: string; participantId: string; programId: string }[]> {
  const out: { id: string; participantId: string; programId: string }[] = [];
  for (let i = 0; i < participantIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom('episodes')
      .select(['id', 'participant_id', 'program_id'])
      .where('organization_id', '=', organizationId)
      .where('participant_id', 'in', participantIds.slice(i, i + CHUNK))
      .where('status', '<>', 'discharged')
      .execute();
    out.push(...rows.map((r) => ({ id: r.id, participantId: r.participant_id, programId: r.program_id })));
  }
  return out;
}

/** The tables an import writes as plain rows (each with organization_id, updated_at and version). */
export type ImportTable = 'life_events' | 'encounters' | 'referrals' | 'appointments' | 'moud_fills' | 'moud_otp_enrollments' | 'questionnaire_responses';

// The table is chosen at run time from a closed list (ImportTable); the row's columns are the
// ones each module's repository writes, built in imports.apply.ts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Kysely<any>;

/**
 * Update the row `id` with `columns` (bumping its version), or insert a new one with `columns`
 * and `insertOnly` when there is none. Returns the row's id and whether it was made.
 */
export async function upsertRow(
  db: Executor,
  table: ImportTable,
  organizationId: string,
  id: string | undefined,
  columns: Record<string, unknown>,
  insertOnly: Record<string, unknown>,
  now: string,
): Promise<{ id: string; created: boolean }> {
  const loose = db as unknown as Loose;
  if (id) {
    const res = await loose
      .updateTable(table)
      .set((eb) => ({ ...columns, updated_at: now, version: eb('version', '+', 1) }))
      .where('organization_id', '=', organizationId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 1) return { id, created: false };
  }
  const newRowId = newId();
  await loose
    .insertInto(table)
    .values({ id: newRowId, organization_id: organizationId, ...insertOnly, ...columns, updated_at: now })
    .execute();
  return { id: newRowId, created: true };
}

/** The participant's course of `medication` in `formulation` (the earliest), made when there is none. */
export async function courseFor(
  db: Executor,
  o: { organizationId: string; participantId: string; medication: string; formulation: string; startedOn: string; createdBy: string; now: string },
): Promise<string> {
  const found = await db
    .selectFrom('moud_courses')
    .select('id')
    .where('organization_id', '=', o.organizationId)
    .where('participant_id', '=', o.participantId)
    .where('medication', '=', o.medication)
    .where('formulation', '=', o.formulation)
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
  if (found) return found.id;
  const id = newId();
  await db
    .insertInto('moud_courses')
    .values({
      id,
      organization_id: o.organizationId,
      participant_id: o.participantId,
      medication: o.medication,
      formulation: o.formulation,
      started_on: o.startedOn,
      status: 'active',
      source: 'verified',
      created_by: o.createdBy,
      created_at: o.now,
      updated_at: o.now,
    })
    .execute();
  return id;
}

/** A referral's first event, as the referrals module records one (timeline). */
export async function insertReferralCreated(db: Executor, o: { organizationId: string; referralId: string; participantId: string; status: string; actorUserId: string; at: string }): Promise<void> {
  await db
    .insertInto('referral_events')
    .values({ id: newId(), organization_id: o.organizationId, referral_id: o.referralId, participant_id: o.participantId, kind: 'created', from_status: null, to_status: o.status, reason: null, actor_kind: 'staff', actor_user_id: o.actorUserId, occurred_at: o.at })
    .execute();
}

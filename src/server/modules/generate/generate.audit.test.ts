/**
 * The audit trail a generated program implies (generate.audit.ts): one event per generated write,
 * under the action the app's use case records, in one unbroken hash chain per organization that
 * the audit verifier accepts (once a checkpoint is signed, as a running server does), with the
 * run's own `generate.run` event last. SQLite goes through the bulk path (the raw handle),
 * PostgreSQL through Kysely.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../../test/helpers/db.js';
import { fixedClock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import { verifyAudit, writeCheckpoints } from '../../platform/audit/checkpoints.js';
import { generateNetwork, type NetworkResult } from './generate.scale.js';

const NOW = '2026-11-27T15:00:00.000Z';
const KEY = 'audit key for the generated audit test';

type Handle = Awaited<ReturnType<typeof createTestDatabase>>;

async function count(db: Db, table: 'participants' | 'episodes' | 'consents' | 'life_events' | 'todos' | 'encounters' | 'ed_visits' | 'check_ins' | 'questionnaire_responses' | 'appointments' | 'moud_courses' | 'moud_fills' | 'moud_otp_enrollments' | 'disclosures', org: string): Promise<number> {
  const r = await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('organization_id', '=', org).executeTakeFirstOrThrow();
  return Number(r.n);
}

describe('generated audit trail', () => {
  let h: Handle;
  let r: NetworkResult;
  const clock = fixedClock(NOW);

  beforeAll(async () => {
    h = await createTestDatabase();
    r = await generateNetwork(h.db, clock, {
      scale: 'state', seed: 11, password: 'generated password for fictional people', ...(h.sqlite && { sqlite: h.sqlite }),
      plan: { organizations: 2, participants: [50, 30], years: 2, participantsPerCoach: 125, volume: { appointments: 2, referrals: 7 } },
    });
  }, 300_000);
  afterAll(async () => {
    await h.drop();
  });

  it('verifies: every chain unbroken from genesis to the run event, hashes and heads matching', async () => {
    // Without a signed checkpoint the verifier refuses events older than its grace period (the
    // generated ones are as old as the writes they record); a running server signs one a minute.
    const unsigned = await verifyAudit(h.db, KEY, { now: clock.now() });
    expect(unsigned.ok).toBe(false);
    expect(unsigned.problem?.kind).toBe('checkpoint_missing');
    await writeCheckpoints(h.db, clock, KEY);
    const report = await verifyAudit(h.db, KEY, { now: clock.now() });
    expect(report.problem).toBeUndefined();
    expect(report.ok).toBe(true);
    const generated = r.counts.auditEvents + r.organizations.length; // plus each organization's generate.run
    expect(report.events).toBe(generated);
    expect(r.counts.auditEvents).toBeGreaterThan(r.counts.encounters);
    for (const o of r.organizations) {
      const events = await h.db.selectFrom('audit_events').select(['seq', 'action', 'occurred_at', 'actor_user_id', 'details']).where('chain_id', '=', o.organizationId).orderBy('seq').execute();
      expect(events.map((e) => Number(e.seq))).toEqual(events.map((_, i) => i + 1));
      expect(events.at(-1)!.action).toBe('generate.run');
      // Time order along the chain, none after now, every write by a person.
      const times = events.map((e) => Date.parse(e.occurred_at));
      expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);
      expect(times.at(-1)).toBe(Date.parse(NOW));
      expect(events.slice(0, -1).every((e) => e.actor_user_id !== null)).toBe(true);
      // No personal data: no participant's name or date of birth in any event's details.
      const people = await h.db.selectFrom('participants').select(['first_name', 'last_name', 'date_of_birth']).where('organization_id', '=', o.organizationId).execute();
      const details = events.map((e) => e.details).join('\n');
      for (const p of people) {
        expect(details).not.toContain(`${p.first_name} ${p.last_name}`);
        expect(details).not.toContain(p.date_of_birth!);
      }
    }
  });

  it('writes one event per generated write under the action the app records, with one target row per target id', async () => {
    for (const o of r.organizations) {
      const org = o.organizationId;
      const rows = await h.db.selectFrom('audit_events').select(['action', (eb) => eb.fn.countAll().as('n')]).where('organization_id', '=', org).groupBy('action').execute();
      const actual = Object.fromEntries(rows.map((x) => [x.action, Number(x.n)]));
      const events = async (kind: string) =>
        Number((await h.db.selectFrom('referral_events').select((eb) => eb.fn.countAll().as('n')).where('organization_id', '=', org).where('kind', '=', kind).executeTakeFirstOrThrow()).n);
      const changedAppointments = Number(
        (await h.db.selectFrom('appointments').select((eb) => eb.fn.countAll().as('n')).where('organization_id', '=', org).where('status', '!=', 'scheduled').executeTakeFirstOrThrow()).n,
      );
      const closedReferralTodos = Number(
        (await h.db.selectFrom('todos').select((eb) => eb.fn.countAll().as('n')).where('organization_id', '=', org).where('source_type', '=', 'referral').where('status', 'in', ['done', 'cancelled']).executeTakeFirstOrThrow()).n,
      );
      const completedEd = Number((await h.db.selectFrom('ed_visits').select((eb) => eb.fn.countAll().as('n')).where('organization_id', '=', org).where('encounter_id', 'is not', null).executeTakeFirstOrThrow()).n);
      const expected: Record<string, number> = {
        'participant.create': await count(h.db, 'participants', org),
        'episode.create': await count(h.db, 'episodes', org),
        'consent.create': await count(h.db, 'consents', org),
        'life_event.create': await count(h.db, 'life_events', org),
        'todo.create': await count(h.db, 'todos', org),
        'todo.update': closedReferralTodos,
        'encounter.create': await count(h.db, 'encounters', org),
        'ed_visit.create': await count(h.db, 'ed_visits', org),
        'ed_visit.complete': completedEd,
        'check_in.create': await count(h.db, 'check_ins', org),
        'questionnaire_response.create': await count(h.db, 'questionnaire_responses', org),
        'appointment.create': await count(h.db, 'appointments', org),
        'appointment.status': changedAppointments,
        'moud_course.create': await count(h.db, 'moud_courses', org),
        'moud_fill.create': await count(h.db, 'moud_fills', org),
        'moud_enrollment.create': await count(h.db, 'moud_otp_enrollments', org),
        'disclosure.create': await count(h.db, 'disclosures', org),
        'referral.create': await events('created'),
        'referral.send': await events('sent'),
        'referral.status': await events('status'),
        'referral.linkage': await events('linked'),
        'generate.run': 1,
      };
      for (const k of Object.keys(expected)) if (expected[k] === 0) delete expected[k];
      expect(actual).toEqual(expected);
      // Enough of everything that the comparison means something.
      expect(expected['encounter.create']).toBeGreaterThan(100);
      expect(expected['referral.status']).toBeGreaterThan(10);
      const all = await h.db.selectFrom('audit_events').select('target_ids').where('organization_id', '=', org).execute();
      const targetIds = all.reduce((s, e) => s + (JSON.parse(e.target_ids) as string[]).length, 0);
      const targets = await h.db.selectFrom('audit_event_targets').select((eb) => eb.fn.countAll().as('n')).where('organization_id', '=', org).executeTakeFirstOrThrow();
      expect(Number(targets.n)).toBe(targetIds);
    }
    // Who wrote an encounter, as the encounter says.
    const authors = new Map((await h.db.selectFrom('encounters').select(['id', 'author_user_id']).execute()).map((e) => [e.id, e.author_user_id]));
    const logged = await h.db.selectFrom('audit_events').select(['target_ids', 'actor_user_id']).where('action', '=', 'encounter.create').execute();
    expect(logged.length).toBe(authors.size);
    expect(logged.every((e) => (JSON.parse(e.target_ids) as string[]).some((id) => authors.get(id) === e.actor_user_id))).toBe(true);
  });
});

/**
 * The audit trail the generated program implies (issue 8: the state's size includes "the audit
 * rows they imply"): for every generated write, the event the app's use case appends with
 * `ctx.audit` for it — same action, target type, target ids and details shape (record ids and
 * counts only, never personal data) — by the row's author, at the instant the row says it was
 * written. Requests did not exist, so `request_id` and `ip` are null.
 *
 * Events of one organization are put in time order (ties keep the order they were made in), then
 * numbered and hashed along the organization's chain with the app's own `eventHash`, continuing
 * from the chain's head if it has one; the caller writes the rows and moves the head
 * (`audit_chains`) to the last one, so the run's own `generate.run` event (appended through
 * `appendAudit`) links to it and `verifyAudit` walks one unbroken chain. Ids are the seeded
 * UUIDv7 ones (`generate.ids.ts`) carrying the event's instant, so id order is chain order.
 *
 * Covered writes: participant, episode, consent, life event and to-do creation; encounters (the ED
 * flow's bedside encounter as that flow records it); ED visits created and completed; check-ins;
 * questionnaire responses; appointments and their status changes; MOUD courses, fills and OTP
 * enrollment periods; referrals created, sent (with the gate's `disclosure.create`), moved between
 * statuses and linked; referral to-dos closed by an outcome. Not covered: the few accounts,
 * sites and teams the repositories make at the start (an administrator's setup, not program work).
 */
import type { Insertable } from 'kysely';
import type { Database } from '../../platform/db/tables.js';
import { eventHash, GENESIS_HASH, type HashedFields } from '../../platform/audit/audit.js';
import type { IdMaker } from './generate.ids.js';
import type { NavigationRows } from './generate.navigation.js';
import type { StoryRows } from './generate.outcomes.js';

type Row<T extends keyof Database> = Insertable<Database[T]>;

/** One event before it is placed in the chain. `details` is already JSON. */
interface Pending {
  at: string;
  actor: string | null;
  action: string;
  targetType: string;
  targetIds: string[];
  details: string;
}

export interface GeneratedWrites {
  participants: readonly Row<'participants'>[];
  episodes: readonly Row<'episodes'>[];
  consents: readonly Row<'consents'>[];
  todos: readonly Row<'todos'>[];
  story: StoryRows;
  nav: NavigationRows;
}

export interface AuditRows {
  events: Row<'audit_events'>[];
  targets: Row<'audit_event_targets'>[];
  /** The chain's head after the last event. */
  lastSeq: number;
  lastHash: string;
  /** Events per action, for the run's counts. */
  byAction: Record<string, number>;
}

const TERMINAL_TODO = new Set(['done', 'cancelled']);

/** The audit events the app would have appended for `w`, in the organization's chain after `head`. */
export function buildAudit(x: { organizationId: string; now: string; id: IdMaker; head: { lastSeq: number; lastHash: string }; writes: GeneratedWrites }): AuditRows {
  const { organizationId: org, writes: w } = x;
  const pending: Pending[] = [];
  const add = (at: string | null | undefined, actor: string | null | undefined, action: string, targetType: string, targetIds: string[], details: Record<string, unknown>) => {
    const when = at && at < x.now ? at : x.now;
    pending.push({ at: when, actor: actor ?? null, action, targetType, targetIds, details: JSON.stringify(details) });
  };

  // participants.usecases: create (brief intake), then the episode.
  for (const p of w.participants) add(p.created_at, p.created_by, 'participant.create', 'participant', [p.id], { intakeLevel: p.intake_level });
  for (const e of w.episodes) add(e.created_at, e.created_by, 'episode.create', 'episode', [e.id, e.participant_id], {});
  // consents.usecases: one signature each here.
  for (const c of w.consents) add(c.created_at, c.created_by, 'consent.create', 'consent', [c.id, c.participant_id], { kind: c.kind, signatures: 1 });
  for (const l of w.story.lifeEvents) add(l.created_at, l.created_by, 'life_event.create', 'life_event', [l.id, l.participant_id], { kind: l.kind });
  // care.usecases addTodo; a referral's follow-up closed by the referral's outcome (referrals.usecases).
  for (const list of [w.todos, w.nav.todos]) {
    for (const t of list) {
      add(t.created_at, t.created_by ?? t.owner_user_id, 'todo.create', 'todo', t.participant_id ? [t.id, t.participant_id] : [t.id], { kind: t.kind });
      if (t.source_type === 'referral' && TERMINAL_TODO.has(t.status ?? '')) {
        add(t.completed_at, t.completed_by, 'todo.update', 'todo', [t.id, t.participant_id!], { fields: ['status', 'resolution'], via: 'referral', status: t.status });
      }
    }
  }
  // ED flow (ed.usecases): the visit, its bedside encounter and its completion.
  const edOf = new Map<string, string>();
  for (const v of w.story.edVisits) {
    if (v.encounter_id) edOf.set(v.encounter_id, v.id);
    add(v.created_at, v.created_by, 'ed_visit.create', 'ed_visit', [v.id, v.participant_id], { fields: ['edArrivedAt', 'peerRequestedAt', 'peerArrivedAt', 'overdose', 'substance'] });
    if (v.encounter_id) add(v.completed_at, v.created_by, 'ed_visit.complete', 'ed_visit', [v.id, v.participant_id], { encounterId: v.encounter_id });
  }
  // encounters.usecases (the ED flow's bedside one as ed.usecases records it).
  for (const e of w.story.encounters) {
    const edVisitId = edOf.get(e.id);
    if (edVisitId) add(e.created_at, e.author_user_id, 'encounter.create', 'encounter', [e.id, e.participant_id], { type: 'ed_bedside', edVisitId });
    else add(e.created_at, e.author_user_id, 'encounter.create', 'participant', [e.participant_id, e.id], { encounterId: e.id, type: e.type, reached: e.reached === 1, signed: e.status === 'signed' });
  }
  // checkins.usecases, questionnaires.usecases.
  for (const c of w.story.checkIns) {
    const alerts = (JSON.parse(c.alerts ?? '[]') as unknown[]).length;
    add(c.created_at, c.created_by, 'check_in.create', 'check_in', [c.id, c.participant_id], { alerts, ...(c.encounter_id && { encounterId: c.encounter_id }) });
  }
  for (const r of w.story.responses) {
    add(r.created_at, r.created_by, 'questionnaire_response.create', 'questionnaire_response', [r.id, r.participant_id], {
      key: r.questionnaire_key, version: 1, definitionId: r.definition_id, ...(r.encounter_id && { encounterId: r.encounter_id }),
    });
  }
  // appointments.usecases; a partner's booking and attendance through referrals.usecases.
  const partners = new Set(w.nav.users.map((u) => u.id));
  for (const a of w.nav.appointments) {
    const viaPartner = partners.has(a.created_by);
    if (viaPartner) add(a.created_at, a.created_by, 'appointment.create', 'appointment', [a.id, a.participant_id, a.referral_id!], { kind: 'intake', via: 'partner' });
    else add(a.created_at, a.created_by, 'appointment.create', 'appointment', [a.id, a.participant_id], { kind: a.kind, remind: a.remind_participant === 1 });
    if (a.status && a.status !== 'scheduled') {
      const byPartner = a.status_changed_by != null && partners.has(a.status_changed_by);
      add(a.status_changed_at, a.status_changed_by, 'appointment.status', 'appointment', [a.id, a.participant_id], { from: 'scheduled', to: a.status, ...(byPartner && { via: 'partner' }) });
    }
  }
  // moud.usecases.
  const medicationOf = new Map<string, string>();
  for (const c of w.nav.courses) {
    medicationOf.set(c.id, c.medication);
    add(c.created_at, c.created_by, 'moud_course.create', 'moud_course', [c.id, c.participant_id], { medication: c.medication, status: c.status, source: c.source });
  }
  for (const f of w.nav.fills) {
    add(f.created_at, f.created_by, 'moud_fill.create', 'moud_fill', [f.id, f.course_id, f.participant_id], { medication: medicationOf.get(f.course_id) ?? f.medication, daysSupply: f.days_supply, source: f.source });
  }
  for (const e of w.nav.enrollments) {
    add(e.created_at, e.created_by, 'moud_enrollment.create', 'moud_enrollment', [e.id, e.course_id, e.participant_id], { ended: !!e.ended_on, source: e.source });
  }
  // referrals.usecases and the disclosure gate: create, send (the disclosure), status moves, linkage.
  const referralOf = new Map<string, Row<'referrals'>>();
  for (const r of w.nav.referrals) referralOf.set(r.id, r);
  const disclosureOf = new Map<string, Row<'disclosures'>>();
  for (const d of w.nav.disclosures) {
    disclosureOf.set(d.id, d);
    add(d.disclosed_at, d.disclosed_by, 'disclosure.create', 'disclosure', [d.id, d.participant_id], {
      purpose: d.purpose, purposeOfUse: d.purpose_of_use, legalBasis: d.legal_basis, consentId: d.consent_id, categories: JSON.parse(d.categories) as unknown,
    });
  }
  for (const e of w.nav.referralEvents) {
    const r = referralOf.get(e.referral_id)!;
    if (e.kind === 'created') {
      add(e.occurred_at, e.actor_user_id, 'referral.create', 'referral', [r.id, r.participant_id], { status: e.to_status, send: r.mode === 'sent', directory: r.directory_service_id != null, urgency: r.urgency });
    } else if (e.kind === 'sent') {
      const d = r.disclosure_id ? disclosureOf.get(r.disclosure_id) : undefined;
      add(e.occurred_at, e.actor_user_id, 'referral.send', 'referral', [r.id, r.participant_id, ...(d ? [d.id] : [])], { categories: d ? (JSON.parse(d.categories) as unknown) : [], update: false });
    } else if (e.kind === 'status') {
      add(e.occurred_at, e.actor_user_id, 'referral.status', 'referral', [r.id, r.participant_id], { from: e.from_status, to: e.to_status, by: e.actor_kind });
    } else if (e.kind === 'linked') {
      add(e.occurred_at, e.actor_user_id, 'referral.linkage', 'referral', [r.id, r.participant_id], { kind: e.reason, source: r.linkage_source, by: e.actor_kind });
    }
    // 'scheduled' and 'attendance' are the partner's appointment writes, audited with the appointments above.
  }

  // Time order; events of one instant keep the order they were made in.
  const n = pending.length;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = Date.parse(pending[i]!.at);
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b);

  const events: Row<'audit_events'>[] = [];
  const targets: Row<'audit_event_targets'>[] = [];
  const byAction: Record<string, number> = {};
  let seq = x.head.lastSeq;
  let prev = x.head.lastHash || GENESIS_HASH;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const p = pending[i]!;
    const targetIds = [...new Set(p.targetIds)];
    const fields: HashedFields = {
      id: x.id(keys[i]),
      chain_id: org,
      seq: ++seq,
      organization_id: org,
      occurred_at: p.at,
      actor_user_id: p.actor,
      action: p.action,
      outcome: 'success',
      target_type: p.targetType,
      target_ids: JSON.stringify(targetIds),
      request_id: null,
      ip: null,
      details: p.details,
      prev_hash: prev,
    };
    prev = eventHash(fields);
    events.push({ ...fields, hash: prev });
    for (const t of targetIds) targets.push({ event_id: fields.id, organization_id: org, target_type: p.targetType, target_id: t, occurred_at: p.at });
    byAction[p.action] = (byAction[p.action] ?? 0) + 1;
  }
  return { events, targets, lastSeq: seq, lastHash: prev, byAction };
}

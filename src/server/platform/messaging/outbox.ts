/**
 * The message outbox. A use case queues a message (`enqueueMessage`) in its own transaction, so a
 * message exists exactly when what caused it was committed. The worker (`createOutboxWorker`)
 * claims due messages, renders their text at send time (a renderer per template decides, with the
 * participant's current safe-contact rules, whether to send, wait or cancel), hands them to the
 * channel's provider, and records the outcome. Failed sends are retried after 1, 5, 30 and 120
 * minutes; the fifth failure marks the message `failed`, which the outbox list shows.
 *
 * Each outcome is written only while the message's `attempts` is still the claim's (a fencing
 * token): a worker that outlived its lease cannot overwrite what a later claim recorded.
 *
 * Several server processes may run workers against one PostgreSQL: claiming takes the due rows
 * with `FOR UPDATE SKIP LOCKED` and moves them to `sending` with a lease (`next_attempt_at` five
 * minutes ahead), so no two workers send the same message; a worker that dies mid-send leaves
 * the lease to expire and the message is tried again. (SQLite has one writer at a time anyway.)
 */
import type { Executor } from '../db/database.js';
import type { Clock } from '../clock.js';
import { newId } from '../ids.js';
import type { MessageChannel } from '../../../contracts/appointments.js';
import type { MessageProvider, MessagingLog } from './providers.js';

/** Delays after the 1st, 2nd, 3rd and 4th failed attempt; the 5th failure is final. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** How long a claimed message is reserved for the worker that claimed it. */
export const CLAIM_LEASE_MS = 5 * 60_000;
/** How many messages one pass claims. */
export const BATCH = 20;
/** How often the server's worker looks for due messages. */
export const WORKER_INTERVAL_MS = 15_000;

export interface NewMessage {
  organizationId: string;
  participantId: string;
  appointmentId: string | null;
  template: string;
  channel: MessageChannel;
  sendAt: string;
  createdBy: string | null;
  now: string;
}

export async function enqueueMessage(db: Executor, m: NewMessage): Promise<string> {
  const id = newId();
  await db
    .insertInto('outbox_messages')
    .values({
      id,
      organization_id: m.organizationId,
      participant_id: m.participantId,
      appointment_id: m.appointmentId,
      template: m.template,
      channel: m.channel,
      status: 'pending',
      next_attempt_at: m.sendAt,
      created_by: m.createdBy,
      created_at: m.now,
      updated_at: m.now,
    })
    .execute();
  return id;
}

/** Cancel the not-yet-sent messages of an appointment (it moved, was cancelled, or happened). */
export async function cancelAppointmentMessages(db: Executor, organizationId: string, appointmentId: string, reason: string, now: string): Promise<number> {
  const r = await db
    .updateTable('outbox_messages')
    .set({ status: 'cancelled', last_error: reason, next_attempt_at: null, updated_at: now })
    .where('organization_id', '=', organizationId)
    .where('appointment_id', '=', appointmentId)
    .where('status', 'in', ['pending', 'sending'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export interface ClaimedMessage {
  id: string;
  organizationId: string;
  participantId: string;
  appointmentId: string | null;
  template: string;
  channel: MessageChannel;
  /** This attempt's number (1 for the first). */
  attempt: number;
}

/** What a renderer decides for a message at send time. */
export type Rendered =
  /** `storedBody`: what the outbox keeps of the text when it must not keep it all (a link's secret). */
  | { send: { to: string; subject: string; body: string; language: 'en' | 'es'; storedBody?: string } }
  | { postponeUntil: string }
  | { cancel: string };

export type Renderer = (db: Executor, message: ClaimedMessage, now: Date) => Promise<Rendered>;

export interface OutboxWorkerDeps {
  db: Executor;
  dialect: 'sqlite' | 'postgres';
  clock: Clock;
  providers: readonly MessageProvider[];
  renderers: Readonly<Record<string, Renderer>>;
  log: MessagingLog;
}

export interface PassResult {
  sent: number;
  retrying: number;
  failed: number;
  cancelled: number;
  postponed: number;
}

/** A short code for what went wrong; never the provider's message (it may quote the address). */
function errorCode(err: unknown): string {
  const e = err as { code?: unknown; responseCode?: unknown };
  if (typeof e?.responseCode === 'number') return `smtp_${e.responseCode}`;
  if (typeof e?.code === 'string' && /^[A-Za-z0-9_]{1,40}$/.test(e.code)) return e.code.toLowerCase();
  return 'send_failed';
}

export function createOutboxWorker(deps: OutboxWorkerDeps): { runOnce: () => Promise<PassResult>; start: (intervalMs?: number) => void; stop: () => Promise<void> } {
  const { db, clock, log } = deps;

  async function claim(now: Date): Promise<ClaimedMessage[]> {
    const nowIso = now.toISOString();
    return db.transaction().execute(async (trx) => {
      let q = trx
        .selectFrom('outbox_messages')
        .select(['id', 'organization_id', 'participant_id', 'appointment_id', 'template', 'channel', 'attempts'])
        .where('status', 'in', ['pending', 'sending'])
        .where('next_attempt_at', '<=', nowIso)
        .orderBy('next_attempt_at')
        .limit(BATCH);
      if (deps.dialect === 'postgres') q = q.forUpdate().skipLocked();
      const rows = await q.execute();
      if (rows.length === 0) return [];
      await trx
        .updateTable('outbox_messages')
        .set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1), next_attempt_at: new Date(now.getTime() + CLAIM_LEASE_MS).toISOString(), updated_at: nowIso }))
        .where('id', 'in', rows.map((r) => r.id))
        .execute();
      return rows.map((r) => ({
        id: r.id,
        organizationId: r.organization_id,
        participantId: r.participant_id,
        appointmentId: r.appointment_id,
        template: r.template,
        channel: r.channel as MessageChannel,
        attempt: Number(r.attempts) + 1,
      }));
    });
  }

  async function settle(m: ClaimedMessage, now: Date, result: PassResult): Promise<void> {
    const nowIso = now.toISOString();
    const renderer = deps.renderers[m.template];
    const provider = deps.providers.find((p) => p.channel === m.channel);
    let rendered: Rendered;
    try {
      rendered = renderer ? await renderer(db, m, now) : { cancel: 'unknown_template' };
      if (!provider && 'send' in rendered) rendered = { cancel: 'no_provider' };
    } catch (err) {
      rendered = { cancel: 'render_failed' };
      log.warn({ outboxId: m.id, err: errorCode(err) }, 'outbox message could not be rendered');
    }
    if ('cancel' in rendered) {
      await db
        .updateTable('outbox_messages')
        .set({ status: 'cancelled', last_error: rendered.cancel, next_attempt_at: null, updated_at: nowIso })
        .where('id', '=', m.id)
        .where('attempts', '=', m.attempt)
        .execute();
      log.info({ outboxId: m.id, channel: m.channel, reason: rendered.cancel }, 'outbox message cancelled');
      result.cancelled += 1;
      return;
    }
    if ('postponeUntil' in rendered) {
      // Waiting for the participant's contact window is not a failed attempt.
      await db
        .updateTable('outbox_messages')
        .set((eb) => ({ status: 'pending', attempts: eb('attempts', '-', 1), next_attempt_at: rendered.postponeUntil, updated_at: nowIso }))
        .where('id', '=', m.id)
        .where('attempts', '=', m.attempt)
        .execute();
      result.postponed += 1;
      return;
    }
    const { storedBody, ...message } = rendered.send;
    try {
      const sent = await provider!.send({ outboxId: m.id, channel: m.channel, ...message });
      await db
        .updateTable('outbox_messages')
        .set({
          status: 'sent',
          sent_at: nowIso,
          next_attempt_at: null,
          last_error: null,
          provider: provider!.name,
          provider_message_id: sent.providerMessageId ?? null,
          language: message.language,
          body: storedBody ?? message.body,
          updated_at: nowIso,
        })
        .where('id', '=', m.id)
        .where('attempts', '=', m.attempt)
        .execute();
      log.info({ outboxId: m.id, channel: m.channel, provider: provider!.name, attempt: m.attempt }, 'outbox message sent');
      result.sent += 1;
    } catch (err) {
      const code = errorCode(err);
      const final = m.attempt >= MAX_ATTEMPTS;
      const next = final ? null : new Date(now.getTime() + RETRY_DELAYS_MS[m.attempt - 1]!).toISOString();
      await db
        .updateTable('outbox_messages')
        .set({ status: final ? 'failed' : 'pending', next_attempt_at: next, last_error: code, provider: provider!.name, updated_at: nowIso })
        .where('id', '=', m.id)
        .where('attempts', '=', m.attempt)
        .execute();
      log.warn({ outboxId: m.id, channel: m.channel, provider: provider!.name, attempt: m.attempt, error: code, final }, final ? 'outbox message failed' : 'outbox message send failed; will retry');
      if (final) result.failed += 1;
      else result.retrying += 1;
    }
  }

  async function runOnce(): Promise<PassResult> {
    const result: PassResult = { sent: 0, retrying: 0, failed: 0, cancelled: 0, postponed: 0 };
    const now = clock.now();
    const claimed = await claim(now);
    for (const m of claimed) await settle(m, now, result);
    return result;
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  return {
    runOnce,
    start(intervalMs = WORKER_INTERVAL_MS) {
      timer = setInterval(() => {
        running = running.then(runOnce).catch((err: unknown) => log.warn({ err: errorCode(err) }, 'outbox pass failed'));
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}

/** Put a failed message back in the queue now (a person asked to try again). */
export async function retryMessage(db: Executor, organizationId: string, id: string, now: string): Promise<boolean> {
  const r = await db
    .updateTable('outbox_messages')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, updated_at: now })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

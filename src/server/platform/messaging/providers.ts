/**
 * Providers send one rendered message on one channel. The outbox worker (outbox.ts) picks the
 * provider by channel; a deployment chooses them in `messagingFromEnv`. Providers never log the
 * address or the text: only the outbox id and the channel.
 */
import nodemailer from 'nodemailer';
import type { MessageChannel } from '../../../contracts/appointments.js';

export interface OutgoingMessage {
  /** The outbox row's id (for log lines and provider references). */
  outboxId: string;
  channel: MessageChannel;
  /** A phone number (digits, E.164 without the plus) or an email address. */
  to: string;
  subject: string;
  body: string;
  language: 'en' | 'es';
}

export interface SendResult {
  providerMessageId?: string | undefined;
}

/** A way to send messages on one channel. Throw to fail the attempt (the worker retries later). */
export interface MessageProvider {
  name: string;
  channel: MessageChannel;
  send: (message: OutgoingMessage) => Promise<SendResult>;
}

/** Where providers and the worker write their lines (pino's logger fits). */
export interface MessagingLog {
  info: (obj: Record<string, unknown>, msg: string) => void;
  warn: (obj: Record<string, unknown>, msg: string) => void;
}

/**
 * The default provider for either channel: the outbox row already holds the message (its text is
 * stored when sent); this writes one log line with the ids, and nothing goes out of the machine.
 */
export function logProvider(channel: MessageChannel, log: MessagingLog): MessageProvider {
  return {
    name: 'log',
    channel,
    send: (m) => {
      log.info({ outboxId: m.outboxId, channel: m.channel, provider: 'log' }, 'message recorded in the outbox (log provider: not sent)');
      return Promise.resolve({});
    },
  };
}

export interface SmtpOptions {
  /** e.g. `smtp://user:pass@mail.example.org:587` or `smtps://…:465`. */
  url: string;
  from: string;
  /** Tests against a local server without TLS. */
  ignoreTls?: boolean;
}

/** Email through an SMTP server (nodemailer). */
export function smtpProvider(opts: SmtpOptions): MessageProvider & { close: () => void } {
  const transport = nodemailer.createTransport(opts.url, { ...(opts.ignoreTls && { ignoreTLS: true }), connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 });
  return {
    name: 'smtp',
    channel: 'email',
    async send(m) {
      const info = await transport.sendMail({
        from: opts.from,
        to: m.to,
        subject: m.subject,
        text: m.body,
        headers: { 'Content-Language': m.language },
      });
      return { providerMessageId: typeof info.messageId === 'string' ? info.messageId : undefined };
    },
    close: () => transport.close(),
  };
}

/** An SMS vendor plugs in here: implement `MessageProvider` with channel 'sms'. Lodestar ships only the log provider. */
export type SmsProvider = MessageProvider & { channel: 'sms' };

export interface MessagingSettings {
  email: { kind: 'log' } | { kind: 'smtp'; url: string; from: string };
  sms: { kind: 'log' };
}

/**
 * From the environment: `LODESTAR_SMTP_URL` and `LODESTAR_MAIL_FROM` together turn on email
 * through SMTP; otherwise email goes to the log provider. SMS always goes to the log provider
 * (no SMS vendor is built in).
 */
export function messagingFromEnv(env: NodeJS.ProcessEnv): MessagingSettings {
  const url = env.LODESTAR_SMTP_URL?.trim();
  const from = env.LODESTAR_MAIL_FROM?.trim();
  if (url && !from) throw new Error('LODESTAR_SMTP_URL is set but LODESTAR_MAIL_FROM is not: set the sender address too');
  return { email: url && from ? { kind: 'smtp', url, from } : { kind: 'log' }, sms: { kind: 'log' } };
}

export function providersFor(settings: MessagingSettings, log: MessagingLog): { providers: MessageProvider[]; close: () => void } {
  const email = settings.email.kind === 'smtp' ? smtpProvider(settings.email) : logProvider('email', log);
  const sms = logProvider('sms', log);
  return { providers: [email, sms], close: () => ('close' in email ? (email as { close: () => void }).close() : undefined) };
}

/**
 * One-time links a participant opens on their own phone, without an account (issue 6): answer a
 * questionnaire (BARC-10, the social-needs screen), do a check-in, or read their own coping or
 * safety plan.
 *
 * The coach makes the link and either has it sent through the message outbox (text or email, by
 * the participant's safe-contact rules) or shows it as a code to scan. The secret travels in the
 * address's fragment (`/l#token=…`): browsers never send a fragment to a server, so it is in no log.
 * The database keeps only its hash. The page shows nothing about the person but a greeting with
 * their preferred name.
 *
 * An answer link works once and for 7 days; a plan link can be read until it expires (7 days) or
 * the coach turns it off. An expired, used or turned-off link answers 410 with a code the page
 * turns into friendly words.
 */
import { z } from 'zod';
import { Id } from './common.js';
import { CreateCheckInBody, MOUD_TAKEN } from './checkins.js';
import { AnswerValue, QuestionnaireItem, ScoringRule } from './questionnaires.js';
import { PrintableCopingPlan, PrintableSafetyPlan } from './coping-plans.js';

export const LINK_PURPOSES = ['questionnaire', 'check_in', 'coping_plan', 'safety_plan'] as const;
export type LinkPurpose = (typeof LINK_PURPOSES)[number];
export const LINK_DELIVERIES = ['message', 'code'] as const;
export const LINK_LANGUAGES = ['en', 'es'] as const;
export type LinkLanguage = (typeof LINK_LANGUAGES)[number];
/** waiting: not opened; opened: opened, not answered; answered (answer links); expired; revoked. */
export const LINK_STATUSES = ['waiting', 'opened', 'answered', 'expired', 'revoked'] as const;
export type LinkStatus = (typeof LINK_STATUSES)[number];
export const LINK_TTL_DAYS = 7;
/** What a link that no longer works says (410). */
export const LINK_GONE_CODES = ['link.expired', 'link.used', 'link.revoked'] as const;

/** `POST /api/v1/participants/:id/links` */
export const CreateLinkBody = z
  .object({
    purpose: z.enum(LINK_PURPOSES, { message: 'Choose what the link is for: a questionnaire, a check-in, the coping plan or the safety plan' }),
    /** The questionnaire to answer (purpose `questionnaire`). */
    questionnaireKey: z.string().trim().min(1).max(60).optional(),
    /** The language of the page (a questionnaire's items only in a validated translation). */
    language: z.enum(LINK_LANGUAGES, { message: 'Choose English or Spanish' }).default('en'),
    /** `message`: through the outbox by text or email; `code`: shown to scan now. */
    delivery: z.enum(LINK_DELIVERIES, { message: 'Choose to send it as a message or show a code' }),
  })
  .superRefine((b, ctx) => {
    if (b.purpose === 'questionnaire' && !b.questionnaireKey) ctx.addIssue({ code: 'custom', path: ['questionnaireKey'], message: 'Choose the questionnaire' });
    if (b.purpose !== 'questionnaire' && b.questionnaireKey) ctx.addIssue({ code: 'custom', path: ['questionnaireKey'], message: 'Only a questionnaire link names a questionnaire' });
  });

export const ParticipantLink = z.object({
  id: Id,
  participantId: Id,
  purpose: z.enum(LINK_PURPOSES),
  questionnaireKey: z.string().nullable(),
  /** The title of the questionnaire (its exact version). */
  questionnaireTitle: z.string().nullable(),
  questionnaireVersion: z.number().int().nullable(),
  language: z.enum(LINK_LANGUAGES),
  delivery: z.enum(LINK_DELIVERIES),
  /** The outbox message (delivery `message`) and how it stands: pending, sending, sent, failed, cancelled. */
  messageStatus: z.string().nullable(),
  channel: z.string().nullable(),
  status: z.enum(LINK_STATUSES),
  createdBy: Id,
  createdAt: z.string(),
  expiresAt: z.string(),
  openedAt: z.string().nullable(),
  answeredAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  /** What the answer made: a questionnaire response or a check-in. */
  result: z.object({ type: z.enum(['questionnaire_response', 'check_in']), id: Id, score: z.number().nullable(), alerts: z.number().int() }).nullable(),
});

/**
 * The new link. For delivery `code` only, `token` and `url` come back once (the page shows them as
 * a code to scan): they are never stored or shown again. A message carries its own secret, made
 * when it is sent.
 */
export const CreatedLink = ParticipantLink.extend({ token: z.string().nullable(), url: z.string().nullable() });
export const LinkList = z.object({ links: z.array(ParticipantLink) });

// ---- the public side (no account)

export const LinkToken = z.string().trim().min(20, 'This link is not complete').max(100, 'This link is not complete');
export const OpenLinkBody = z.object({ token: LinkToken });

export const OpenedLink = z.object({
  purpose: z.enum(LINK_PURPOSES),
  language: z.enum(LINK_LANGUAGES),
  /** "Hi Dani": the preferred name (or first name), nothing else about the person. */
  greetingName: z.string().nullable(),
  /** The organization's name, so the person knows who asks. */
  organizationName: z.string(),
  expiresAt: z.string(),
  questionnaire: z
    .object({ key: z.string(), version: z.number().int(), language: z.string(), title: z.string(), source: z.string().nullable(), items: z.array(QuestionnaireItem), scoring: ScoringRule })
    .nullable(),
  checkIn: z.object({ moudTakenChoices: z.array(z.enum(MOUD_TAKEN)) }).nullable(),
  copingPlan: PrintableCopingPlan.nullable(),
  safetyPlan: PrintableSafetyPlan.nullable(),
});

export const LinkQuestionnaireAnswerBody = z.object({ token: LinkToken, answers: z.record(z.string().max(40), AnswerValue) });
export const LinkCheckInBody = CreateCheckInBody.omit({ checkedInOn: true, encounterId: true }).extend({ token: LinkToken });
/** What the person sees after answering: thanks, and (a questionnaire) the total when the coach wants it shown. */
export const LinkAnswered = z.object({ ok: z.literal(true) });

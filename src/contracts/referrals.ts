/**
 * Closed-loop referrals: a participant referred to a service in the directory (or to an
 * organization outside it), the FHIR Task lifecycle of the referral, what was shared and under
 * which consent, the receiving partner's inbox, and linkage (the person attended, or started
 * MOUD). Instants are ISO UTC strings; `…On` fields are local dates (YYYY-MM-DD) in the
 * organization's time zone.
 */
import { z } from 'zod';
import { Id, Version } from './common.js';
import { INFO_CATEGORIES, RECIPIENT_ORG_TYPES, REFUSAL_REASONS } from './consents.js';

/**
 * The FHIR Task statuses used for closed-loop referrals (`in_progress` is FHIR `in-progress`).
 * draft → requested → accepted | rejected → in_progress → completed; cancelled or failed on the way.
 */
export const REFERRAL_STATUSES = ['draft', 'requested', 'accepted', 'rejected', 'in_progress', 'completed', 'cancelled', 'failed'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** The lifecycle: from each status, where it may go. An empty list is a final status. */
export const REFERRAL_TRANSITIONS: Record<ReferralStatus, readonly ReferralStatus[]> = {
  draft: ['requested', 'cancelled'],
  requested: ['accepted', 'rejected', 'cancelled'],
  accepted: ['in_progress', 'cancelled', 'failed'],
  in_progress: ['completed', 'cancelled', 'failed'],
  rejected: [],
  completed: [],
  cancelled: [],
  failed: [],
};
/** Statuses with no outcome yet: the referral is still open. */
export const OPEN_REFERRAL_STATUSES = ['draft', 'requested', 'accepted', 'in_progress'] as const;
export const allowedTransitions = (from: ReferralStatus): readonly ReferralStatus[] => REFERRAL_TRANSITIONS[from];

/** `logged`: the coach made the call, nothing was sent. `sent`: information went to the receiver through the disclosure gate. */
export const REFERRAL_MODES = ['logged', 'sent'] as const;
export type ReferralMode = (typeof REFERRAL_MODES)[number];
/** FHIR request priority. */
export const REFERRAL_URGENCIES = ['routine', 'urgent', 'asap'] as const;
/** How the program learned the person linked to care. */
export const LINKAGE_KINDS = ['appointment_attended', 'moud_started'] as const;
export const LINKAGE_SOURCES = ['partner_confirmed', 'participant_reported', 'staff_verified', 'records'] as const;
/** Who made a change: someone of the program, or the receiving partner. */
export const REFERRAL_ACTOR_KINDS = ['staff', 'partner'] as const;

const choose = <T extends readonly [string, ...string[]]>(values: T, what: string) => z.enum(values, { message: `Choose ${what} from the list` });
const Text = (max: number, what: string) => z.string().trim().min(1, `Enter ${what}, or leave it out`).max(max, `Use at most ${max} characters`);
const Opt = <T extends z.ZodType>(s: T) => s.nullable().optional();
const LocalDate = z.iso.date({ message: 'Enter a date (YYYY-MM-DD)' });
const Instant = z.iso.datetime({ offset: true, message: 'Enter a date and time' });

/** A receiver outside the directory: named by the coach. */
export const OutsideReceiver = z.object({
  name: z.string().trim().min(1, 'Enter the organization’s name').max(200, 'Use at most 200 characters'),
  type: choose(RECIPIENT_ORG_TYPES, 'a kind of organization'),
  contact: Opt(Text(300, 'how to reach them')),
});

/**
 * `POST /api/v1/participants/:id/referrals`. The receiver is a directory service (its
 * organization receives it) or an organization outside the directory — exactly one.
 * `send: false` logs it (the coach made the call); `send: true` shares `categories` with the
 * receiver through the disclosure gate (403 `referral.consent_required` when no consent covers
 * it). `draft: true` saves it without requesting (nothing sent, nothing logged yet).
 */
export const CreateReferralBody = z
  .object({
    directoryServiceId: Id.optional(),
    outside: OutsideReceiver.optional(),
    reason: z.string().trim().min(1, 'Say why you are referring').max(1000, 'Use at most 1000 characters'),
    urgency: choose(REFERRAL_URGENCIES, 'how soon').default('routine'),
    notesForReceiver: Opt(Text(2000, 'a note for the receiver')),
    send: z.boolean({ message: 'Say whether information is sent' }),
    /** What is shared with the receiver (sent referrals only). */
    categories: z.array(choose(INFO_CATEGORIES, 'kinds of information')).max(INFO_CATEGORIES.length).default([]),
    draft: z.boolean().default(false),
  })
  .superRefine((b, ctx) => {
    if (!b.directoryServiceId && !b.outside) ctx.addIssue({ code: 'custom', path: ['directoryServiceId'], message: 'Choose a service from the directory, or name an organization' });
    if (b.directoryServiceId && b.outside) ctx.addIssue({ code: 'custom', path: ['outside'], message: 'Choose a directory service or an outside organization, not both' });
    if (b.send && b.categories.length === 0) ctx.addIssue({ code: 'custom', path: ['categories'], message: 'Choose what to share, or log the referral without sending' });
    if (!b.send && b.categories.length > 0) ctx.addIssue({ code: 'custom', path: ['categories'], message: 'Nothing is shared with a logged referral' });
    if (b.send && b.outside) ctx.addIssue({ code: 'custom', path: ['send'], message: 'Only a directory organization can receive a referral in Lodestar; log this one' });
  });

/** `PATCH /api/v1/referrals/:id`: the coach's own fields, while the referral is a draft (or logged and open). */
export const UpdateReferralBody = z.object({
  version: Version,
  reason: z.string().trim().min(1, 'Say why you are referring').max(1000, 'Use at most 1000 characters').optional(),
  urgency: choose(REFERRAL_URGENCIES, 'how soon').optional(),
  notesForReceiver: Opt(Text(2000, 'a note for the receiver')),
});

/**
 * `POST /api/v1/referrals/:id/status` (staff) and `POST /api/v1/partner/referrals/:id/status`
 * (partner). A move the lifecycle does not allow is 409 `referral.transition_not_allowed`
 * naming the allowed ones. Declining (`rejected`), cancelling and failing need a reason.
 */
export const ReferralStatusBody = z
  .object({
    status: choose(REFERRAL_STATUSES, 'a status'),
    reason: Opt(Text(500, 'a reason')),
    version: Version,
  })
  .superRefine((b, ctx) => {
    if ((b.status === 'rejected' || b.status === 'cancelled' || b.status === 'failed') && !b.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Say why' });
    }
  });

/** `POST /api/v1/referrals/:id/send`: send a draft or a logged referral through the gate. */
export const SendReferralBody = z.object({
  categories: z.array(choose(INFO_CATEGORIES, 'kinds of information')).min(1, 'Choose what to share').max(INFO_CATEGORIES.length),
  version: Version,
});

/** `POST /api/v1/partner/referrals/:id/appointment`: the partner books the first visit. */
export const PartnerScheduleBody = z
  .object({
    startsAt: Instant,
    endsAt: Opt(Instant),
    place: Opt(Text(300, 'a place')),
    note: Opt(Text(500, 'a note')),
    version: Version,
  })
  .superRefine((v, ctx) => {
    if (v.endsAt && Date.parse(v.endsAt) <= Date.parse(v.startsAt)) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'Enter an end after the start' });
  });

/** `POST /api/v1/partner/referrals/:id/attendance`: the person came (the loop closes), or did not. */
export const PartnerAttendanceBody = z.object({
  attended: z.boolean({ message: 'Say whether the person came' }),
  /** The local date of the visit; defaults to the booked appointment's date, else today. */
  on: LocalDate.optional(),
  /** The person started medication at this visit. */
  moudStarted: z.boolean().default(false),
  version: Version,
});

/** `POST /api/v1/referrals/:id/linkage`: the coach records linkage learned another way. */
export const RecordLinkageBody = z.object({
  kind: choose(LINKAGE_KINDS, 'what happened'),
  on: LocalDate,
  source: choose(LINKAGE_SOURCES, 'where this comes from'),
  version: Version,
});

export const ReferralEvent = z.object({
  id: z.string(),
  /** `created`, `status`, `sent`, `linked`, `scheduled`, `attendance`. */
  kind: z.string(),
  fromStatus: z.enum(REFERRAL_STATUSES).nullable(),
  toStatus: z.enum(REFERRAL_STATUSES).nullable(),
  reason: z.string().nullable(),
  actorKind: z.enum(REFERRAL_ACTOR_KINDS),
  actorName: z.string().nullable(),
  at: z.string(),
});

export const Receiver = z.object({
  directoryServiceId: z.string().nullable(),
  directoryOrganizationId: z.string().nullable(),
  /** The service's name (directory) or null. */
  serviceName: z.string().nullable(),
  organizationName: z.string(),
  organizationType: z.enum(RECIPIENT_ORG_TYPES),
  contact: z.string().nullable(),
});

export const Linkage = z.object({
  kind: z.enum(LINKAGE_KINDS),
  on: z.string(),
  source: z.enum(LINKAGE_SOURCES),
  recordedAt: z.string(),
  recordedByName: z.string().nullable(),
});

/** What was shared, as frozen at sending (the accounting's copy) with its §2.32 notice. */
export const SharedCopy = z.object({
  disclosureId: z.string(),
  disclosedAt: z.string(),
  categories: z.array(z.enum(INFO_CATEGORIES)),
  payload: z.unknown(),
  notice: z.string(),
});

export const Referral = z.object({
  id: z.string(),
  participantId: z.string(),
  receiver: Receiver,
  mode: z.enum(REFERRAL_MODES),
  reason: z.string(),
  urgency: z.enum(REFERRAL_URGENCIES),
  notesForReceiver: z.string().nullable(),
  status: z.enum(REFERRAL_STATUSES),
  statusReason: z.string().nullable(),
  statusChangedAt: z.string().nullable(),
  /** Where it may go next, for the caller (staff). */
  allowedTransitions: z.array(z.enum(REFERRAL_STATUSES)),
  requestedAt: z.string().nullable(),
  shared: SharedCopy.nullable(),
  /** The consent it was sent under, and whether that consent has since been revoked. */
  consentId: z.string().nullable(),
  consentRevokedAt: z.string().nullable(),
  appointmentId: z.string().nullable(),
  appointmentStartsAt: z.string().nullable(),
  linkage: Linkage.nullable(),
  /** The local date a follow-up to-do appears when the referral still has no outcome. */
  followUpOn: z.string().nullable(),
  coachUserId: z.string().nullable(),
  coachName: z.string().nullable(),
  events: z.array(ReferralEvent),
  createdAt: z.string(),
  createdByName: z.string().nullable(),
  version: z.number(),
});
export type Referral = z.infer<typeof Referral>;

export const ReferralSummary = z.object({
  id: z.string(),
  receiverName: z.string(),
  serviceName: z.string().nullable(),
  mode: z.enum(REFERRAL_MODES),
  urgency: z.enum(REFERRAL_URGENCIES),
  status: z.enum(REFERRAL_STATUSES),
  createdAt: z.string(),
  statusChangedAt: z.string().nullable(),
  linkedOn: z.string().nullable(),
  consentRevoked: z.boolean(),
});

export const ReferralList = z.object({ referrals: z.array(ReferralSummary) });

// ---- the partner's side

/** One line of a partner's inbox (the name is the one shared at sending, if any was). */
export const PartnerReferralSummary = z.object({
  id: z.string(),
  /** From the frozen copy: null when no name was shared. */
  personLabel: z.string().nullable(),
  serviceName: z.string().nullable(),
  urgency: z.enum(REFERRAL_URGENCIES),
  status: z.enum(REFERRAL_STATUSES),
  sentAt: z.string(),
  statusChangedAt: z.string().nullable(),
  appointmentStartsAt: z.string().nullable(),
  consentRevoked: z.boolean(),
});

export const PartnerInboxQuery = z.object({
  /** `open` (default): requested, accepted, in progress; `closed`; `all`. */
  view: choose(['open', 'closed', 'all'] as const, 'open, closed or all').default('open'),
  /** Paging: the last `id` of the previous page. */
  after: Id.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const PartnerInbox = z.object({
  organizationName: z.string(),
  referrals: z.array(PartnerReferralSummary),
  nextAfter: z.string().nullable(),
  counts: z.object({ requested: z.number(), accepted: z.number(), inProgress: z.number() }),
});

/** What a partner sees of one referral: the frozen copy, the status, and nothing else of the record. */
export const PartnerReferral = z.object({
  id: z.string(),
  serviceName: z.string().nullable(),
  organizationName: z.string(),
  reason: z.string(),
  urgency: z.enum(REFERRAL_URGENCIES),
  notesForReceiver: z.string().nullable(),
  status: z.enum(REFERRAL_STATUSES),
  statusReason: z.string().nullable(),
  allowedTransitions: z.array(z.enum(REFERRAL_STATUSES)),
  sentAt: z.string(),
  shared: SharedCopy,
  /** Set when the person revoked the consent: no further information will be shared. */
  consentRevokedAt: z.string().nullable(),
  appointmentStartsAt: z.string().nullable(),
  appointmentPlace: z.string().nullable(),
  attendedOn: z.string().nullable(),
  referringProgram: z.string(),
  referringCoachName: z.string().nullable(),
  events: z.array(ReferralEvent),
  version: z.number(),
});

// ---- partner accounts and settings

/** `PUT /api/v1/partner-accounts/:id`: the directory organization a partner account receives for. */
export const PartnerLinkBody = z.object({
  directoryOrganizationId: Id.nullable(),
});

export const PartnerAccount = z.object({
  userId: z.string(),
  displayName: z.string(),
  email: z.string(),
  directoryOrganizationId: z.string().nullable(),
  directoryOrganizationName: z.string().nullable(),
});
export const PartnerAccountList = z.object({ accounts: z.array(PartnerAccount) });

export const ReferralSettings = z.object({
  /** Days after sending or logging with no outcome before a follow-up to-do is due. */
  followUpDays: z.number(),
  version: z.number(),
});
export const UpdateReferralSettingsBody = z.object({
  followUpDays: z.number({ message: 'Enter a number of days' }).int('Enter whole days').min(1, 'Use 1 to 90 days').max(90, 'Use 1 to 90 days'),
  version: Version,
});

export const REFERRAL_REFUSAL_REASONS = REFUSAL_REASONS;

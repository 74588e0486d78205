/**
 * One error type for everything a person may see, and one table from error code to HTTP status.
 * Routes and use cases throw `AppError`s built by the factories below; the error handler in
 * `http.ts` turns them into `{ error: { code, message, fields?, details? } }`. Anything else that
 * reaches the handler is an internal error: logged, never shown.
 */

export type FieldError = { path: string; message: string };

const STATUS = {
  'auth.unauthenticated': 401,
  'auth.invalid_credentials': 401,
  'auth.mfa_required': 401,
  'auth.mfa_invalid': 401,
  'auth.mfa_enrollment_required': 403,
  'auth.locked': 423,
  'auth.token_invalid': 400,
  'auth.csrf_invalid': 403,
  'auth.forbidden': 403,
  'auth.weak_password': 400,
  'setup.already_done': 409,
  'request.malformed_json': 400,
  'request.too_large': 413,
  'request.unsupported_media_type': 415,
  'request.rate_limited': 429,
  'validation.failed': 400,
  'idempotency.key_reused': 422,
  'idempotency.in_progress': 409,
  'record.not_found': 404,
  'record.conflict': 409,
  'record.duplicate': 409,
  'participant.out_of_scope': 403,
  'episode.active_exists': 409,
  'episode.discharged': 409,
  'participant.merged': 404,
  'participant.in_scope': 409,
  'merge.conflict': 409,
  'consent.missing_element': 422,
  'consent.signer_not_allowed': 422,
  'consent.revoked': 409,
  'restriction.must_agree': 422,
  'disclosure.refused': 422,
  'todo.closed': 409,
  'referral.transition_not_allowed': 409,
  'referral.consent_required': 403,
  'referral.partner_unlinked': 403,
  'encounter.locked': 409,
  'link.expired': 410,
  'link.used': 410,
  'link.revoked': 410,
  'link.closed': 409,
  'route.not_found': 404,
  'internal': 500,
} as const;

export type ErrorCode = keyof typeof STATUS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fields: FieldError[] | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { fields?: FieldError[]; details?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = STATUS[code];
    this.fields = opts.fields;
    this.details = opts.details;
  }

  toBody(): { error: { code: string; message: string; fields?: FieldError[]; details?: Record<string, unknown> } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.fields ? { fields: this.fields } : {}),
        ...(this.details ? { details: this.details } : {}),
      },
    };
  }
}

export const errors = {
  unauthenticated: () => new AppError('auth.unauthenticated', 'Sign in to continue.'),
  forbidden: () => new AppError('auth.forbidden', 'Your role does not allow this. Ask an administrator if you need it.'),
  notFound: (what = 'record') => new AppError('record.not_found', `That ${what} was not found.`),
  /** A stale update: `current` is the record as it is now, so the client can review and reapply. */
  conflict: (current: unknown, version: number) =>
    new AppError('record.conflict', 'Someone else changed this record since you opened it. Review the current values and apply your change again.', {
      details: { current, version },
    }),
  duplicate: (field: string, message: string) =>
    new AppError('record.duplicate', message, { fields: [{ path: field, message }] }),
  outOfScope: () =>
    new AppError('participant.out_of_scope', 'This person is not on your caseload or your team. Ask your supervisor if you need to see this record.'),
  invalid: (path: string, message: string) =>
    new AppError('validation.failed', message, { fields: [{ path, message }] }),
};

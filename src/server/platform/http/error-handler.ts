/**
 * The one mapping from errors to responses. Every error body has the shape
 * `{ error: { code, message, fields?, details? } }`; internal errors are logged and shown only
 * as a generic message with the request id, never a stack trace.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type FieldError } from '../errors.js';

function fieldPath(context: string | undefined, instancePath: string): string {
  const inner = instancePath.replace(/^\//, '').replaceAll('/', '.');
  if (!context || context === 'body') return inner || 'body';
  const prefix = context === 'querystring' ? 'query' : context;
  return inner ? `${prefix}.${inner}` : prefix;
}

/**
 * Unique columns a person chooses, by table: a violation of one of these that a use case's own
 * check did not catch is a race with another request saving the same value. Violations anywhere
 * else (audit chains, ids) are internal errors.
 */
const UNIQUE_FIELDS: Record<string, Record<string, string>> = {
  users: { email: 'email' },
};

/**
 * A race that the database caught: 409, naming the field but never its value (PostgreSQL's
 * `detail` quotes the value, which may be personal data).
 */
function fromDatabase(err: Error & { code?: unknown; detail?: unknown; table?: unknown }): AppError | undefined {
  const code = typeof err.code === 'string' ? err.code : '';
  if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
    const pg = typeof err.detail === 'string' && typeof err.table === 'string' ? { table: err.table, column: /^Key \((\w+)\)=/.exec(err.detail)?.[1] } : undefined;
    const lite = /constraint failed: (\w+)\.(\w+)$/.exec(err.message);
    const table = pg?.table ?? lite?.[1];
    const column = pg?.column ?? lite?.[2];
    const path = table && column ? UNIQUE_FIELDS[table]?.[column] : undefined;
    if (!path) return undefined;
    const message = 'This is already in use — someone may have just saved it. Reload and check.';
    return new AppError('record.duplicate', message, { fields: [{ path, message }] });
  }
  if (code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    return new AppError('record.conflict', 'Something this refers to was just changed or removed. Reload and try again.');
  }
  return undefined;
}

export function toAppError(err: FastifyError | AppError | Error): AppError | undefined {
  if (err instanceof AppError) return err;
  const db = fromDatabase(err);
  if (db) return db;
  const e = err as FastifyError & { validationContext?: string };
  if (hasZodFastifySchemaValidationErrors(e)) {
    const fields: FieldError[] = e.validation.map((v) => ({
      path: fieldPath(e.validationContext, v.instancePath),
      message: v.message ?? 'Invalid value',
    }));
    const first = fields[0];
    return new AppError('validation.failed', first ? `Check ${first.path}: ${first.message}` : 'Check the values you entered.', { fields });
  }
  switch (e.code) {
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('request.malformed_json', 'The request says it sends JSON but has no body. Send a JSON document, or leave out the Content-Type header.', {
        fields: [{ path: 'body', message: 'Send a JSON document.' }],
      });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('request.malformed_json', 'The request body is not valid JSON.', {
        fields: [{ path: 'body', message: 'Send a valid JSON document.' }],
      });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('request.too_large', 'The request body is too large.', { fields: [{ path: 'body', message: 'Send a smaller request.' }] });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('request.unsupported_media_type', 'Send the request body as application/json.', {
        fields: [{ path: 'headers.content-type', message: 'Use application/json.' }],
      });
    case 'FST_CSRF_INVALID_TOKEN':
    case 'FST_CSRF_MISSING_SECRET':
      return new AppError('auth.csrf_invalid', 'Your form expired. Reload the page and try again.');
    default:
      break;
  }
  if (e.statusCode === 429) return new AppError('request.rate_limited', 'Too many attempts. Wait a minute and try again.');
  if (e instanceof SyntaxError && e.statusCode === 400) return new AppError('request.malformed_json', 'The request body is not valid JSON.');
  if (e.statusCode === 404) return new AppError('route.not_found', 'There is nothing at this address.');
  if (e.statusCode === 405) return new AppError('route.not_found', 'There is nothing at this address.');
  return undefined;
}

export function errorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const known = toAppError(err);
  if (known) {
    if (known.status >= 500) request.log.error({ err }, 'request failed');
    return reply.code(known.status).send(known.toBody());
  }
  // Unknown: log it with the request id, show nothing of it.
  request.log.error({ err }, 'unhandled error');
  return reply.code(500).send({
    error: { code: 'internal', message: `Something went wrong on our side. Try again; if it keeps happening, quote reference ${request.id}.` },
  });
}

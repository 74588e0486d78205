/**
 * Logs carry no personal data: no query strings, no bodies, no cookies or authorization headers,
 * and known personal fields are redacted wherever they appear.
 */
import type { FastifyServerOptions } from 'fastify';

/** Somewhere to write log lines (pino's destination); stdout when none is given. */
export interface LogStream {
  write: (line: string) => void;
}

export const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.token',
  '*.code',
  '*.email',
  '*.phone',
  '*.name',
  '*.firstName',
  '*.lastName',
  '*.dateOfBirth',
  '*.query',
];

/** The path without its query string: searches never travel into the logs. */
export const pathOnly = (url: string): string => url.split('?')[0] ?? url;

/** `stream` replaces stdout as the destination (tests capture the lines to check what is logged). */
export function loggerOptions(level: string, stream?: LogStream): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream && { stream }),
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({ id: req.id, method: req.method, url: pathOnly(req.url) }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      // Errors keep only what locates the fault: a database error's other fields carry the
      // offending values (PostgreSQL's `detail`: "Key (email)=(…) already exists").
      err: (err: Error) => ({ type: err.constructor.name, message: err.message, stack: err.stack ?? '' }),
    },
  };
}

/**
 * The one way the web app talks to the server. Owns: cookies (credentials), the CSRF token on
 * every state-changing request, Idempotency-Key headers for creating POSTs, turning the error
 * body `{ error: { code, message, fields?, details? } }` into an `ApiError`, and telling the
 * auth layer when the session has ended (401) or needs its second step.
 */
import type { ErrorBody } from '../../contracts/common';

export interface FieldError {
  path: string;
  message: string;
}

/** An error a form or page can act on: a stable code, a message, and the fields it concerns. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldError[];
  readonly details: Record<string, unknown> | undefined;

  constructor(status: number, code: string, message: string, fields: FieldError[] = [], details?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.details = details;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

/** A 409 record.conflict: the record as it is now and its version, to review and reapply. */
export function conflictOf<T>(e: unknown): { current: T; version: number } | undefined {
  if (!isApiError(e) || e.code !== 'record.conflict' || !e.details) return undefined;
  const { current, version } = e.details as { current?: unknown; version?: unknown };
  if (typeof version !== 'number' || typeof current !== 'object' || current === null) return undefined;
  return { current: current as T, version };
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RequestOptions {
  body?: unknown;
  /** Send as Idempotency-Key; reuse the same key when retrying the same submission. */
  idempotencyKey?: string;
  /** Do not report a 401 to the auth layer (the first "who am I" and the sign-in itself). */
  quietAuth?: boolean;
  signal?: AbortSignal;
}

export type AuthProblem = 'auth.unauthenticated' | 'auth.mfa_required' | 'auth.mfa_enrollment_required';
type AuthListener = (problem: AuthProblem) => void;
const authListeners = new Set<AuthListener>();

/** The auth layer listens here to send people to sign-in when the server ended their session. */
export function onAuthProblem(listener: AuthListener): () => void {
  authListeners.add(listener);
  return () => authListeners.delete(listener);
}

let lastContact = Date.now();
/** When the server last answered a request that carried our session (for idle logoff). */
export const lastServerContact = (): number => lastContact;

let csrfToken: Promise<string> | undefined;

async function fetchCsrf(): Promise<string> {
  const res = await send('GET', '/api/v1/auth/csrf', {});
  return (res as { csrfToken: string }).csrfToken;
}

function csrf(refresh = false): Promise<string> {
  if (refresh || !csrfToken) {
    csrfToken = fetchCsrf();
    // A failed fetch must not stick: the next request tries again.
    csrfToken.catch(() => {
      csrfToken = undefined;
    });
  }
  return csrfToken;
}

const STATE_CHANGING = new Set<Method>(['POST', 'PATCH', 'PUT', 'DELETE']);

async function send(method: Method, path: string, opts: RequestOptions, token?: string): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers['x-csrf-token'] = token;
  if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network.unreachable', 'Lodestar could not reach the server. Check your connection and try again.');
  }
  lastContact = Date.now();
  const text = await res.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (res.ok) return parsed;
  const body = (parsed as Partial<ErrorBody> | undefined)?.error;
  if (body && typeof body.code === 'string') {
    throw new ApiError(res.status, body.code, body.message, body.fields ?? [], body.details);
  }
  throw new ApiError(res.status, `http.${res.status}`, 'Something went wrong on our side. Try again in a moment.');
}

async function request<T>(method: Method, path: string, opts: RequestOptions = {}): Promise<T> {
  try {
    if (!STATE_CHANGING.has(method)) return (await send(method, path, opts)) as T;
    try {
      return (await send(method, path, opts, await csrf())) as T;
    } catch (err) {
      // The token can go stale (a new browser session, a server restart): fetch it once more.
      if (isApiError(err) && err.code === 'auth.csrf_invalid') return (await send(method, path, opts, await csrf(true))) as T;
      throw err;
    }
  } catch (err) {
    if (isApiError(err) && !opts.quietAuth && isAuthProblem(err.code)) {
      for (const l of authListeners) l(err.code);
    }
    throw err;
  }
}

const isAuthProblem = (code: string): code is AuthProblem =>
  code === 'auth.unauthenticated' || code === 'auth.mfa_required' || code === 'auth.mfa_enrollment_required';

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, { ...opts, body: body ?? {} }),
  patch: <T>(path: string, body: unknown, opts?: RequestOptions) => request<T>('PATCH', path, { ...opts, body }),
  put: <T>(path: string, body: unknown, opts?: RequestOptions) => request<T>('PUT', path, { ...opts, body }),
  delete: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, opts),
};

/** A fresh Idempotency-Key. randomUUID exists only in secure contexts (HTTPS or localhost). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The API client without a browser: a fake fetch records what would be sent and answers as the server does. */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { api, ApiError, conflictOf, onAuthProblem } from './api';

type Call = { url: string; method: string; headers: Record<string, string>; body: string | undefined };

function fakeServer(answers: Array<(call: Call) => { status: number; body: unknown }>) {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    const call: Call = { url, method: init.method ?? 'GET', headers: init.headers as Record<string, string>, body: init.body as string | undefined };
    calls.push(call);
    const answer = answers.shift();
    if (!answer) throw new Error(`unexpected request ${call.method} ${url}`);
    const { status, body } = answer(call);
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  });
  return calls;
}

const csrf = (token: string) => () => ({ status: 200, body: { csrfToken: token } });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('api client', () => {
  test('sends the CSRF token and the Idempotency-Key, and fetches a new token once when it went stale', async () => {
    const calls = fakeServer([
      csrf('first'),
      () => ({ status: 403, body: { error: { code: 'auth.csrf_invalid', message: 'Your form expired.' } } }),
      csrf('second'),
      () => ({ status: 201, body: { id: 'p1' } }),
    ]);
    const result = await api.post<{ id: string }>('/api/v1/programs', { name: 'ED Bridge' }, { idempotencyKey: 'key-12345678' });
    expect(result).toEqual({ id: 'p1' });
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /api/v1/auth/csrf',
      'POST /api/v1/programs',
      'GET /api/v1/auth/csrf',
      'POST /api/v1/programs',
    ]);
    expect(calls[1]!.headers['x-csrf-token']).toBe('first');
    expect(calls[3]!.headers['x-csrf-token']).toBe('second');
    // The retry is the same submission: same key, same body.
    expect(calls[3]!.headers['idempotency-key']).toBe('key-12345678');
    expect(calls[3]!.body).toBe(calls[1]!.body);

    // The fresh token is kept for the next change; reads carry none.
    const more = fakeServer([() => ({ status: 200, body: { ok: true } }), () => ({ status: 200, body: { programs: [] } })]);
    await api.patch('/api/v1/programs/p1', { version: 1, name: 'x' });
    await api.get('/api/v1/programs');
    expect(more[0]!.headers['x-csrf-token']).toBe('second');
    expect(more[1]!.headers['x-csrf-token']).toBeUndefined();
  });

  test('turns the error body into an ApiError with its fields', async () => {
    fakeServer([
      () => ({
        status: 400,
        body: { error: { code: 'validation.failed', message: 'Check admin.email', fields: [{ path: 'admin.email', message: 'Enter an email address' }] } },
      }),
    ]);
    const err = await api.get('/api/v1/setup/status').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, code: 'validation.failed', fields: [{ path: 'admin.email', message: 'Enter an email address' }] });
  });

  test('a conflict carries the current record and its version', async () => {
    fakeServer([() => ({ status: 409, body: { error: { code: 'record.conflict', message: 'Someone else changed this', details: { current: { name: 'New' }, version: 3 } } } })]);
    const err = await api.patch('/api/v1/programs/p1', { version: 2 }).catch((e: unknown) => e);
    expect(conflictOf(err)).toEqual({ current: { name: 'New' }, version: 3 });
  });

  test('an ended session is reported to the auth layer, unless the caller asked for quiet', async () => {
    const heard: string[] = [];
    const stop = onAuthProblem((p) => heard.push(p));
    const unauthenticated = () => ({ status: 401, body: { error: { code: 'auth.unauthenticated', message: 'Sign in to continue.' } } });
    fakeServer([unauthenticated, unauthenticated]);
    await expect(api.get('/api/v1/me/sessions')).rejects.toMatchObject({ code: 'auth.unauthenticated' });
    await expect(api.get('/api/v1/me', { quietAuth: true })).rejects.toMatchObject({ status: 401 });
    stop();
    expect(heard).toEqual(['auth.unauthenticated']);
  });

  test('a dropped connection becomes an error people can act on', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(api.get('/api/v1/users')).rejects.toMatchObject({ status: 0, code: 'network.unreachable' });
  });
});

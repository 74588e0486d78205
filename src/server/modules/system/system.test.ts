import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';

describe('system routes and the error format', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('GET /healthz checks the database', async () => {
    const res = await t.client().get('/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: 'ok' });
  });

  it('unknown API routes answer 404 in the error shape', async () => {
    const res = await t.client().get('/api/v1/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'route.not_found', message: expect.any(String) } });
  });

  it('malformed JSON is a 400 naming the body, never a 500', async () => {
    const res = await t.client().post('/api/v1/auth/sign-in', undefined, { raw: '{"email": ' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('request.malformed_json');
    expect(res.json().error.fields[0].path).toBe('body');
  });

  it('a NUL character anywhere in a JSON body is a 400 naming the field (PostgreSQL cannot store it)', async () => {
    const res = await t.client().post('/api/v1/auth/sign-in', { email: 'a@example.org', password: 'x\u0000y' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'validation.failed', fields: [{ path: 'password', message: expect.any(String) }] });
    const nested = await t.client().post('/api/v1/setup', { token: 'x'.repeat(20), organization: { name: 'A\u0000', timeZone: 'UTC' }, admin: {} });
    expect(nested.json().error.fields[0].path).toBe('organization.name');
  });

  it('a prototype-poisoning body is refused, never merged', async () => {
    const res = await t.client().post('/api/v1/auth/sign-in', undefined, { raw: '{"__proto__": {"admin": true}, "email": "a@example.org", "password": "x"}' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('request.malformed_json');
  });

  it('a malformed URL gets the error shape, not a framework error', async () => {
    const res = await t.client().get('/api/v1/users/%E0%A4%A');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation.failed');
  });

  it('an oversize body is a 413', async () => {
    const big = JSON.stringify({ email: 'a@example.org', password: 'x'.repeat(t.config.bodyLimit + 10) });
    const res = await t.client().post('/api/v1/auth/sign-in', undefined, { raw: big });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('request.too_large');
  });

  it('a wrong content type is a 415', async () => {
    const res = await t.client().post('/api/v1/auth/sign-in', undefined, { raw: 'email=a', headers: { 'content-type': 'application/xml' } });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('request.unsupported_media_type');
  });

  it('validation errors name the field', async () => {
    const res = await t.client().post('/api/v1/auth/sign-in', { email: 'not-an-email', password: 'x' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation.failed');
    expect(res.json().error.fields).toEqual([{ path: 'email', message: expect.stringContaining('email address') }]);
  });

  it('never lets a browser or proxy cache API answers', async () => {
    const res = await t.client().get('/api/v1/auth/csrf');
    expect(res.headers['cache-control']).toBe('no-store');
    expect((await t.client().get('/api/v1/me')).headers['cache-control']).toBe('no-store');
  });

  it('sends security headers', async () => {
    const res = await t.client().get('/healthz');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('serves an OpenAPI document that lists every API route', async () => {
    const res = await t.client().get('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    const documented = new Set(
      Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
      ),
    );
    const missing = t.app.apiRoutes.map((r) => `${r.method} ${r.url}`).filter((r) => !documented.has(r));
    expect(missing).toEqual([]);
    expect(t.app.apiRoutes.length).toBeGreaterThan(30);
  });

  it('serves browsable API docs under the same CSP (scripts from self only)', async () => {
    const res = await t.client().get('/api/docs');
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toMatch(/<script>(?!\s*<\/script>)/);
  });
});

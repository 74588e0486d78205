/**
 * What the specs do often: sign in and out through the interface, compute TOTP codes, call the
 * API as the signed-in browser (for test data only), and the accessibility check with its
 * screenshots at a phone and a desktop size.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { generate } from 'otplib';
import { DESKTOP, PHONE } from './browser.js';

export const SCREENSHOTS = path.resolve('test-results/screenshots');

/** A TOTP code for the secret; `steps` later than now (each code works once, so a second sign-in uses the next step). */
export async function totp(secret: string, steps = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });
}

export async function signIn(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Open the account menu in the header (if it is not open already). */
export async function openAccountMenu(page: Page): Promise<void> {
  const button = page.getByRole('button', { name: 'Account' });
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
}

export async function signOut(page: Page): Promise<void> {
  await openAccountMenu(page);
  await page.locator('#account-menu-panel').getByRole('button', { name: 'Sign out' }).click();
  await expect.poll(() => page.getByText('You have signed out.').isVisible()).toBe(true);
}

/** Call the API with the browser's session (and a CSRF token), to set up data a page needs. */
export async function api<T>(page: Page, method: 'GET' | 'POST' | 'PATCH' | 'PUT', pathname: string, body?: unknown): Promise<T> {
  const base = new URL(page.url()).origin;
  const headers: Record<string, string> = {};
  if (method !== 'GET') {
    const csrf = await page.request.get(`${base}/api/v1/auth/csrf`);
    headers['x-csrf-token'] = ((await csrf.json()) as { csrfToken: string }).csrfToken;
  }
  const res = await page.request.fetch(`${base}${pathname}`, { method, headers, ...(body === undefined ? {} : { data: body }) });
  const text = await res.text();
  if (!res.ok()) throw new Error(`${method} ${pathname} → ${res.status()}: ${text}`);
  return JSON.parse(text) as T;
}

function describeViolations(violations: { id: string; impact?: string | null; help: string; nodes: { target: unknown; failureSummary?: string }[] }[]): string {
  return violations
    .map((v) => `${v.id} (${v.impact ?? '?'}): ${v.help}\n${v.nodes.map((n) => `    ${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join('\n')}`)
    .join('\n');
}

/**
 * The page as it is now, at a phone and a desktop size: no WCAG 2.1 A/AA violation that axe
 * can find, and a full-page screenshot of each (test-results/screenshots, never committed).
 */
export async function checkAccessibility(page: Page, name: string): Promise<void> {
  await fs.mkdir(SCREENSHOTS, { recursive: true });
  for (const [label, size] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
    await page.setViewportSize(size);
    // Let layout and media-query listeners settle.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    // Nothing wider than the screen: no sideways scrolling on a phone.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${name} is wider than the ${label} screen`).toBeLessThanOrEqual(0);
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${label}.png`), fullPage: true });
    expect(result.passes.length, `axe checked nothing on ${name}`).toBeGreaterThan(10);
    expect(result.violations, `${name} at ${label} size:\n${describeViolations(result.violations)}`).toEqual([]);
  }
  await page.setViewportSize(DESKTOP);
}

/** Wait for a page heading (the app moves focus to it on navigation). */
export async function heading(page: Page, name: string | RegExp): Promise<void> {
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

/** First run through the setup link: the organization and its first administrator, who stays signed in. */
export async function setUpOrganization(page: Page, setupLink: string, organization: string, admin: { name: string; email: string; password: string }): Promise<void> {
  await page.goto(setupLink);
  await page.getByLabel('Organization name').fill(organization);
  await page.getByLabel('Your name').fill(admin.name);
  await page.getByLabel('Your email address').fill(admin.email);
  await page.getByLabel('Create a password').fill(admin.password);
  await page.getByRole('button', { name: 'Set up Lodestar' }).click();
  await heading(page, new RegExp(admin.name));
}

/**
 * As a signed-in administrator: an account with its password already set, and (for a coach) a
 * program, a site and a day team it belongs to. Returns the ids a spec needs.
 */
export async function addCoachWithProgram(
  page: Page,
  coach: { name: string; email: string; password: string },
  place: { program: string; site: string },
): Promise<{ userId: string; programId: string; siteId: string }> {
  const created = await api<{ user: { id: string }; setPasswordLink: { url: string } }>(page, 'POST', '/api/v1/users', { email: coach.email, displayName: coach.name, roles: ['coach'] });
  const token = new URL(created.setPasswordLink.url).hash.replace(/^#token=/, '');
  await api(page, 'POST', '/api/v1/auth/reset-password', { token, password: coach.password });
  const program = await api<{ id: string }>(page, 'POST', '/api/v1/programs', { name: place.program, description: null });
  const site = await api<{ id: string }>(page, 'POST', '/api/v1/sites', { name: place.site, kind: 'community', programId: program.id });
  await api(page, 'POST', '/api/v1/teams', { name: 'Day team', siteId: site.id, supervisorUserId: null, memberUserIds: [created.user.id] });
  return { userId: created.user.id, programId: program.id, siteId: site.id };
}

/**
 * Today in the time zone the browser and the organizations set up by the specs use
 * (America/Chicago: browser.ts). Not the UTC date, which is tomorrow there every evening.
 */
export function localToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Chicago', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

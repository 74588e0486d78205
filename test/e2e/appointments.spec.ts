/**
 * Appointments on a coach's phone: on a participant's page the coach adds an appointment for
 * today (with a reminder to the participant), sees it on the "today" view, goes back and marks it
 * attended. The participant page with the appointment is checked with axe at phone and desktop
 * sizes; the calendar feed settings on the account page too.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserProblems, closeBrowser, newPage, PHONE } from './support/browser.js';
import { api, checkAccessibility as check, heading, signIn, signOut } from './support/lodestar.js';
import { screenshotOnFailure } from './support/failures.js';

const { url: base, setupLink } = inject('lodestar').appointments;

const admin = { name: 'Casey Morgan', email: 'casey.morgan@riverside.example', password: 'harbor pencil meadow thirty' };
const coach = { name: 'Riley Chen', email: 'riley.chen@riverside.example', password: 'quiet lantern orchard fifty' };

let page: Page;
let participantUrl = '';

beforeAll(async () => {
  page = await newPage();
});

afterEach(async (ctx) => {
  await screenshotOnFailure(page, ctx.task);
});

afterAll(async () => {
  await closeBrowser();
  expect(browserProblems()).toEqual([]);
});

const section = () => page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Appointments' }) });

describe('appointments', () => {
  test('setting up: a program, a site, a coach, and a participant on the coach’s caseload', async () => {
    await page.goto(setupLink);
    await page.getByLabel('Organization name').fill('Riverside Peer Support');
    await page.getByLabel('Your name').fill(admin.name);
    await page.getByLabel('Your email address').fill(admin.email);
    await page.getByLabel('Create a password').fill(admin.password);
    await page.getByRole('button', { name: 'Set up Lodestar' }).click();
    await heading(page, new RegExp(admin.name));
    // Days are counted in the organization's zone: make it the browser's, as for a real program.
    const org = await api<{ version: number }>(page, 'GET', '/api/v1/organization');
    await api(page, 'PATCH', '/api/v1/organization', { version: org.version, timeZone: 'America/Chicago' });
    const created = await api<{ user: { id: string }; setPasswordLink: { url: string } }>(page, 'POST', '/api/v1/users', { email: coach.email, displayName: coach.name, roles: ['coach'] });
    const token = new URL(created.setPasswordLink.url).hash.replace(/^#token=/, '');
    await api(page, 'POST', '/api/v1/auth/reset-password', { token, password: coach.password });
    const program = await api<{ id: string }>(page, 'POST', '/api/v1/programs', { name: 'River Bridge', description: null });
    const site = await api<{ id: string }>(page, 'POST', '/api/v1/sites', { name: 'River Clinic', kind: 'community', programId: program.id });
    await api(page, 'POST', '/api/v1/teams', { name: 'Day team', siteId: site.id, supervisorUserId: null, memberUserIds: [created.user.id] });
    await signOut(page);

    await page.setViewportSize(PHONE);
    await signIn(page, base, coach.email, coach.password);
    await heading(page, new RegExp(coach.name));
    const person = await api<{ id: string }>(page, 'POST', '/api/v1/participants', { firstName: 'Jamie', lastName: 'Ortiz', programId: program.id, siteId: site.id });
    participantUrl = `${base}/participants/${person.id}`;
  });

  test('a coach adds an appointment for today on a phone, with a reminder', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(participantUrl);
    await heading(page, /Jamie/);
    await section().getByRole('button', { name: 'Add appointment' }).click();
    // A minute ago in the browser's zone: it has started, so it can be marked attended later.
    const { date, time } = await page.evaluate(() => {
      const d = new Date(Date.now() - 60_000);
      const pad = (n: number) => String(n).padStart(2, '0');
      return { date: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`, time: `${pad(d.getHours())}:${pad(d.getMinutes())}` };
    });
    const form = section().getByRole('group', { name: 'Add an appointment' });
    // Saving without a kind or a time names both fields.
    await form.getByRole('button', { name: 'Save appointment' }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Choose what kind of appointment' }).isVisible()).toBe(true);
    await form.getByLabel('What kind of appointment').selectOption({ label: 'Intake' });
    await form.getByLabel('Date').fill(date);
    await form.getByLabel('Start time').fill(time);
    await form.getByLabel('Place', { exact: false }).first().fill('Riverside Health Center, 12 Main St');
    await form.getByLabel('Transport needs').fill('Bus pass');
    await form.getByLabel('Send the participant a reminder the day before').check();
    await form.getByRole('button', { name: 'Save appointment' }).click();
    await expect.poll(() => section().getByText('Appointment saved.').isVisible()).toBe(true);
    const entry = section().locator('li', { hasText: 'Intake' });
    await expect.poll(() => entry.getByText('Scheduled', { exact: true }).isVisible()).toBe(true);
    await expect.poll(() => entry.getByText('Riverside Health Center, 12 Main St').isVisible()).toBe(true);
    // No phone or email on file: no reminder, and the coach is told why.
    await expect.poll(() => entry.getByText(/no phone number that accepts texts and no email/).isVisible()).toBe(true);
    await check(page, 'appointments-participant');
  });

  test('the appointment is on the coach’s today view', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(base);
    await heading(page, new RegExp(coach.name));
    const today = page.locator('section', { has: page.getByRole('heading', { name: 'Appointments today' }) });
    await expect.poll(() => today.getByRole('link', { name: /Jamie/ }).isVisible()).toBe(true);
    await expect.poll(() => today.getByText('Intake').first().isVisible()).toBe(true);
    await expect.poll(() => today.getByText('Transport: Bus pass').isVisible()).toBe(true);
    await check(page, 'appointments-today');
    await today.getByRole('link', { name: /Jamie/ }).click();
    await heading(page, /Jamie/);
  });

  test('the coach marks it attended', async () => {
    await page.setViewportSize(PHONE);
    const entry = section().locator('li', { hasText: 'Intake' });
    await entry.getByRole('button', { name: /^Attended/ }).click();
    await expect.poll(() => section().getByText('Appointment marked attended.').isVisible()).toBe(true);
    await section().getByRole('button', { name: /Show past appointments/ }).click();
    const done = section().locator('li', { hasText: 'Intake' });
    await expect.poll(() => done.getByText('Attended', { exact: true }).isVisible()).toBe(true);
    await expect.poll(() => done.getByText(new RegExp(`Attended by ${coach.name}`)).isVisible()).toBe(true);
    await expect.poll(() => section().getByText('No appointments scheduled.').isVisible()).toBe(true);
  });

  test('the calendar feed: a private address, shown once, that a calendar app can read', async () => {
    await page.goto(`${base}/account`);
    await heading(page, /account/i);
    const feed = page.locator('section', { has: page.getByRole('heading', { name: 'Calendar feed' }) });
    await feed.getByRole('button', { name: 'Make a calendar address' }).click();
    await expect.poll(() => feed.getByText('Copy this address into your calendar app now.', { exact: false }).isVisible()).toBe(true);
    const address = await feed.getByLabel('Your calendar address (shown only now)').inputValue();
    expect(address).toMatch(/\/api\/v1\/calendar-feeds\/[A-Za-z0-9_-]{43}$/);
    const ics = await page.request.get(address);
    expect(ics.status()).toBe(200);
    const body = await ics.text();
    expect(body).toContain('SUMMARY:Appointment (intake)');
    expect(body).not.toContain('Jamie');
    await check(page, 'appointments-calendar-feed');
  });
});

/**
 * The dashboard's equity and money views (issue 7):
 *   1. An admin sets up a program and a program manager, and enters the program's unit costs and
 *      baseline ED revisit rate on the program form.
 *   2. The manager records three participants (two veterans, races recorded), each with an ED
 *      visit 40 days ago.
 *   3. On a phone, the manager chooses the last 12 months, veterans only, broken down by race:
 *      the linkage card shows its table by race ("Two or more races" for two races); the monthly
 *      trends are drawn with their numbers; the cost model reads "Estimate" with the costs used.
 * Every page is checked with axe.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserProblems, closeBrowser, newPage, PHONE } from './support/browser.js';
import { api, checkAccessibility as check, heading, signIn, signOut } from './support/lodestar.js';
import { screenshotOnFailure } from './support/failures.js';

const { url: base, setupLink } = inject('lodestar').outcomes;

const admin = { name: 'Imani Okafor', email: 'imani.okafor@tidewater.example', password: 'harbor lantern meadow nine' };
const manager = { name: 'Soren Vale', email: 'soren.vale@tidewater.example', password: 'cedar anchor willow seven' };
const people = [
  { firstName: 'Lena', lastName: 'Brooks', veteran: true, race: ['white'] },
  { firstName: 'Omar', lastName: 'Reyes', veteran: true, race: ['white', 'asian'] },
  { firstName: 'June', lastName: 'Park', veteran: false, race: ['asian'] },
] as const;

const DAY = 86_400_000;
const isoDay = (msAgo: number) => new Date(Date.now() - msAgo).toISOString().slice(0, 10);

let page: Page;
let programId = '';

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

describe('breakdowns, trends and the cost model', () => {
  test('the admin sets the program up with its unit costs; the manager records three ED visits', async () => {
    await page.goto(setupLink);
    await page.getByLabel('Organization name').fill('Tidewater Recovery');
    await page.getByLabel('Your name').fill(admin.name);
    await page.getByLabel('Your email address').fill(admin.email);
    await page.getByLabel('Create a password').fill(admin.password);
    await page.getByRole('button', { name: 'Set up Lodestar' }).click();
    await heading(page, new RegExp(admin.name));
    const created = await api<{ setPasswordLink: { url: string } }>(page, 'POST', '/api/v1/users', { email: manager.email, displayName: manager.name, roles: ['program_manager'] });
    const token = new URL(created.setPasswordLink.url).hash.replace(/^#token=/, '');
    await api(page, 'POST', '/api/v1/auth/reset-password', { token, password: manager.password });
    programId = (await api<{ id: string }>(page, 'POST', '/api/v1/programs', { name: 'ED Bridge', description: null })).id;

    await page.goto(`${base}/admin/programs/${programId}`);
    await page.getByLabel('Cost of an ED visit, in dollars').fill('1200');
    await page.getByLabel('Cost of an hour of peer support, in dollars').fill('28.50');
    await page.getByLabel(/Baseline ED revisit rate/).fill('lots');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Enter a whole number from 0 to 100').first().waitFor();
    await check(page, 'program-costs-error');
    await page.getByLabel(/Baseline ED revisit rate/).fill('25');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/admin/programs');
    const saved = await api<{ edVisitCostCents: number; peerHourCostCents: number; baselineEdRevisitPercent: number; inpatientDayCostCents: number | null }>(page, 'GET', `/api/v1/programs/${programId}`);
    expect(saved).toMatchObject({ edVisitCostCents: 120_000, peerHourCostCents: 2_850, baselineEdRevisitPercent: 25, inpatientDayCostCents: null });
    const site = await api<{ id: string }>(page, 'POST', '/api/v1/sites', { name: 'Tidewater General ED', kind: 'emergency_department', programId });
    await signOut(page);

    await signIn(page, base, manager.email, manager.password);
    await heading(page, new RegExp(manager.name));
    for (const p of people) {
      const person = await api<{ id: string; version: number }>(page, 'POST', '/api/v1/participants', { firstName: p.firstName, lastName: p.lastName, programId, siteId: site.id });
      // Brief intake takes a few fields; race and veteran status come with the full intake.
      await api(page, 'PATCH', `/api/v1/participants/${person.id}`, { version: person.version, veteran: p.veteran, race: p.race });
      await api(page, 'POST', `/api/v1/participants/${person.id}/life-events`, { kind: 'ed_visit', occurredOn: isoDay(40 * DAY), source: 'staff_observed' });
    }
  });

  test('on a phone: veterans only, by race, with the monthly trends and the cost estimate', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${base}/reports`);
    await heading(page, 'Outcomes dashboard');
    await page.getByLabel('Period').selectOption({ label: 'Last 12 months' });
    await page.getByLabel('Population').selectOption({ label: 'Veterans' });
    await page.getByLabel('Break down by').selectOption({ label: 'Race' });
    await page.getByRole('button', { name: 'Show figures' }).click();
    await expect.poll(() => Object.fromEntries(new URL(page.url()).searchParams)).toMatchObject({ population: 'veteran', breakdown: 'race' });

    const card = page.getByRole('region', { name: 'Linkage to treatment' });
    const within7 = card.locator('[data-figure="window_7"]');
    await within7.getByText('0%', { exact: true }).waitFor();
    await expect.poll(() => within7.locator('.report-figure-counts').textContent()).toMatch(/^0\s.*of 2\s/);
    await card.getByText('Show by race').click();
    const table = card.getByRole('table', { name: 'Linkage to treatment by race' });
    await table.waitFor();
    await expect.poll(async () => (await table.getByRole('row').allTextContents()).filter((r) => /White|Two or more races|Asian/.test(r))).toEqual([
      expect.stringMatching(/^Asian–/),
      expect.stringMatching(/^White0%\s*\(0\/1\)/),
      expect.stringMatching(/^Two or more races0%\s*\(0\/1\)/),
    ]);
    await card.getByText(/two or more races recorded counts once/).waitFor();

    const trends = page.getByRole('region', { name: 'Monthly trends' });
    await trends.getByRole('img', { name: /Linked within 30 days, month by month: / }).first().waitFor();

    const cost = page.getByRole('region', { name: 'Cost model (an estimate)' });
    await cost.getByText('Estimate', { exact: true }).waitFor();
    await cost.getByText('Costs and baseline used').waitFor();
    await cost.getByText('$1,200').waitFor();
    await cost.getByText('25%').first().waitFor();
    await check(page, 'reports-breakdown');
  });
});

/**
 * The outcomes dashboard (issue 7, web slice):
 *   1. An admin sets up a program, a site and a program manager. The manager records three
 *      participants, each with an ED visit 40 days ago; two of them went to a treatment
 *      appointment three days later (marked attended), the third did not.
 *   2. On a phone, the manager opens Reports, chooses "Last 12 months", and reads the linkage
 *      card: 67%, 2 of 3, in 7 days and in 30, with the interval in words and the comparison
 *      figures; the funnel has the same numbers in its table.
 *   3. The linkage numerator opens the drill-down: the two people who were linked, by name,
 *      linking to their pages; the third is not there.
 *   4. From the dashboard, "Funder report" opens the report for the same period: every measure
 *      with its figures, interval, definition and the federal 80% target, the date made and the
 *      statement that these are not HEDIS results; "Download PDF" downloads a PDF.
 *   5. The admin (aggregates only) sees "fewer than 11" and no drill-down links.
 * Every page is checked with axe at phone and desktop sizes.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserProblems, closeBrowser, newPage, PHONE } from './support/browser.js';
import { api, checkAccessibility as check, heading, signIn, signOut } from './support/lodestar.js';
import { screenshotOnFailure } from './support/failures.js';

const { url: base, setupLink } = inject('lodestar').reports;

const admin = { name: 'Avery Lindqvist', email: 'avery.lindqvist@harbor.example', password: 'maple compass river forty' };
const manager = { name: 'Noor Haddad', email: 'noor.haddad@harbor.example', password: 'violet beacon orchard twelve' };
const people = [
  { firstName: 'Rosa', lastName: 'Delgado', attended: 'moud_induction' },
  { firstName: 'Marcus', lastName: 'Bell', attended: 'counseling' },
  { firstName: 'Theo', lastName: 'Nguyen', attended: null },
] as const;

const DAY = 86_400_000;
const isoDay = (msAgo: number) => new Date(Date.now() - msAgo).toISOString().slice(0, 10);

let page: Page;

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

describe('the outcomes dashboard', () => {
  test('setting up: a program manager and three participants seen in the ED 40 days ago, two linked to treatment', async () => {
    await page.goto(setupLink);
    await page.getByLabel('Organization name').fill('Harbor Peer Recovery');
    await page.getByLabel('Your name').fill(admin.name);
    await page.getByLabel('Your email address').fill(admin.email);
    await page.getByLabel('Create a password').fill(admin.password);
    await page.getByRole('button', { name: 'Set up Lodestar' }).click();
    await heading(page, new RegExp(admin.name));
    const created = await api<{ user: { id: string }; setPasswordLink: { url: string } }>(page, 'POST', '/api/v1/users', { email: manager.email, displayName: manager.name, roles: ['program_manager'] });
    const token = new URL(created.setPasswordLink.url).hash.replace(/^#token=/, '');
    await api(page, 'POST', '/api/v1/auth/reset-password', { token, password: manager.password });
    const program = await api<{ id: string }>(page, 'POST', '/api/v1/programs', { name: 'ED Bridge', description: null });
    const site = await api<{ id: string }>(page, 'POST', '/api/v1/sites', { name: 'Harbor General ED', kind: 'emergency_department', programId: program.id });
    await signOut(page);

    await signIn(page, base, manager.email, manager.password);
    await heading(page, new RegExp(manager.name));
    for (const p of people) {
      const person = await api<{ id: string }>(page, 'POST', '/api/v1/participants', { firstName: p.firstName, lastName: p.lastName, programId: program.id, siteId: site.id });
      // Noon UTC 40 days ago is the same local date in every time zone the setup page offers.
      await api(page, 'POST', `/api/v1/participants/${person.id}/life-events`, { kind: 'ed_visit', occurredOn: isoDay(40 * DAY), source: 'staff_observed' });
      if (p.attended) {
        const appointment = await api<{ id: string; version: number }>(page, 'POST', `/api/v1/participants/${person.id}/appointments`, { kind: p.attended, startsAt: new Date(Date.now() - 37 * DAY).toISOString() });
        await api(page, 'POST', `/api/v1/appointments/${appointment.id}/status`, { status: 'attended', version: appointment.version });
      }
    }
  });

  test('on a phone, the manager reads linkage for the last 12 months, with its definition and the funnel', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${base}/reports`);
    await heading(page, 'Outcomes dashboard');
    await page.getByLabel('Period').selectOption({ label: 'Last 12 months' });
    await page.getByRole('button', { name: 'Show figures' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('period')).toBe('last_12_months');

    const card = page.getByRole('region', { name: 'Linkage to treatment' });
    const within7 = card.locator('[data-figure="window_7"]');
    await within7.getByText('67%', { exact: true }).waitFor();
    await expect.poll(() => within7.locator('.report-figure-counts').textContent()).toMatch(/^2\s.*of 3\s/);
    await within7.getByText(/true rate is between \d+% and \d+%/).waitFor();
    await card.locator('[data-figure="window_30"]').getByText('67%', { exact: true }).waitFor();
    await card.getByText('With peer support (published programs): 65–75%').waitFor();
    await card.getByText(/about 11%/).waitFor();
    await card.getByText('How this is counted').click();
    await card.getByText('Time windows').waitFor();

    // The funnel says its numbers in words, and again in a table.
    const funnel = page.getByRole('img', { name: 'Linkage to treatment: Index events: 3, Linked within 7 days: 2, Linked within 30 days: 2.' });
    await funnel.waitFor();
    const figure = page.locator('figure', { has: funnel });
    await figure.getByText('Show the numbers as a table').click();
    await expect.poll(() => figure.getByRole('row').allTextContents()).toEqual(['StepNumber', 'Index events3', 'Linked within 7 days2', 'Linked within 30 days2']);
    // Nobody has been enrolled long enough for the retention curve: it says so instead of drawing zeros.
    await page.locator('figure', { has: page.getByRole('heading', { level: 3, name: 'Still in contact over time' }) }).getByText('Nothing to count yet').waitFor();
    await page.getByText(/Measures are modeled on public HEDIS specifications/).waitFor();
    await check(page, 'reports-dashboard');
  });

  test('the linkage numerator opens the people behind it, by name', async () => {
    await page.setViewportSize(PHONE);
    await page.getByRole('region', { name: 'Linkage to treatment' }).getByRole('link', { name: '2 (see who is counted in: Linked within 7 days)' }).click();
    await heading(page, 'Linkage to treatment');
    const url = new URL(page.url());
    expect(url.pathname).toBe('/reports/linkage/cases');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ period: 'last_12_months', figure: 'window_7', set: 'numerator' });
    await page.getByText('2 records').waitFor();
    const rosa = page.getByRole('link', { name: /Rosa Delgado/ });
    await rosa.waitFor();
    expect(await rosa.getAttribute('href')).toMatch(/^\/participants\/[\w-]+$/);
    await page.getByRole('link', { name: /Marcus Bell/ }).waitFor();
    expect(await page.getByText(/Theo|Nguyen/).count()).toBe(0);
    await check(page, 'reports-cases');

    // The denominator adds the person who was not linked.
    await page.getByRole('link', { name: 'Everyone it counts from' }).click();
    await page.getByText('3 records').waitFor();
    await page.getByRole('link', { name: /Theo Nguyen/ }).waitFor();
    await page.getByRole('link', { name: 'Back to the dashboard' }).click();
    await heading(page, 'Outcomes dashboard');
    await expect.poll(() => new URL(page.url()).searchParams.get('period')).toBe('last_12_months');
  });

  test('the funder report for the same period, from the dashboard, downloaded as a PDF', async () => {
    await page.setViewportSize(PHONE);
    await page.getByRole('link', { name: 'Funder report', exact: true }).click();
    await heading(page, 'Funder report');
    const url = new URL(page.url());
    expect(url.pathname).toBe('/reports/funder');
    // The dashboard showed the last 12 months (not one quarter): the report takes its dates.
    expect(url.searchParams.get('quarter')).toBeNull();
    expect(url.searchParams.get('from')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(url.searchParams.get('to')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await page.getByText("These figures are computed by Lodestar from the program's records; they are not HEDIS results.").waitFor();
    await page.getByRole('heading', { level: 2, name: 'Harbor Peer Recovery' }).waitFor();
    await page.getByText(/^Made on /).waitFor();

    const linkage = page.getByRole('region', { name: 'Linkage to treatment', exact: true });
    const within7 = linkage.locator('tr[data-figure="window_7"]');
    await within7.getByText('66.7%', { exact: true }).waitFor();
    await within7.getByText('2 of 3', { exact: true }).waitFor();
    await within7.getByText(/^\d+(\.\d)?% to \d+(\.\d)?%$/).waitFor();
    await linkage.getByText('With peer support (published programs): 65–75%').waitFor();
    await linkage.getByText('Time windows').waitFor();
    await page.getByRole('region', { name: 'Federal 6-month follow-up', exact: true }).getByText(/^Target 80%/).waitFor();
    expect(await page.getByText(/certified/i).count()).toBe(0);
    await check(page, 'reports-funder');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download PDF', exact: true }).click()]);
    expect(download.suggestedFilename()).toMatch(/^lodestar-funder-report-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.pdf$/);
    const file = await readFile(await download.path());
    expect(file.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(file.length).toBeGreaterThan(5_000);
  });

  test('an admin sees aggregates only: small counts read "fewer than 11", with no way to the people', async () => {
    await signOut(page);
    await page.setViewportSize(PHONE);
    await signIn(page, base, admin.email, admin.password);
    await heading(page, new RegExp(admin.name));
    await page.goto(`${base}/reports?period=last_12_months`);
    await heading(page, 'Outcomes dashboard');
    await page.getByText('Counts under 11 are shown as “fewer than 11” to protect privacy.').waitFor();
    const card = page.getByRole('region', { name: 'Linkage to treatment' });
    await card.locator('[data-figure="window_7"]').getByText('fewer than 11').first().waitFor();
    expect(await card.getByRole('link').count()).toBe(0);
    await check(page, 'reports-dashboard-aggregates');
  });
});

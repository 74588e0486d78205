/**
 * The resource directory on a coach's phone: near the site she works at, she looks for a
 * buprenorphine prescriber that takes Medicaid and is accepting new participants, sees the nearest
 * match first with its distance, opens the entry, and reports that its phone number is wrong; the
 * program manager then verifies the entry, which clears the report, and finds the import page.
 * Pages are checked with axe at phone and desktop sizes.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserProblems, closeBrowser, forgetEverything, newPage, DESKTOP, PHONE } from './support/browser.js';
import { api, checkAccessibility as check, heading, signIn, signOut } from './support/lodestar.js';
import { screenshotOnFailure } from './support/failures.js';

const { url: base, setupLink } = inject('lodestar').directory;

const admin = { name: 'Quinn Avery', email: 'quinn.avery@riverside.example', password: 'harbor pebble window ninety' };
const manager = { name: 'Riley Moreno', email: 'riley.moreno@riverside.example', password: 'tulip anchor meadow thirty' };
const coach = { name: 'Jamie Cole', email: 'jamie.cole@riverside.example', password: 'cobalt river lantern sixty' };

// The site, and places north of it (0.01° of latitude is about 1.1 km).
const SITE = { latitude: 40.27, longitude: -76.88 };
const north = (km: number) => ({ latitude: SITE.latitude + km / 111.2, longitude: SITE.longitude });

let page: Page;
let entryUrl = '';

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

async function freshPage(size: { width: number; height: number }): Promise<void> {
  await page.close();
  await forgetEverything();
  page = await newPage();
  await page.setViewportSize(size);
}

describe('the resource directory', () => {
  test('setting up: a site on the map, a coach, a program manager, and four buprenorphine prescribers', async () => {
    await page.goto(setupLink);
    await page.getByLabel('Organization name').fill('Riverside Recovery Network');
    await page.getByLabel('Your name').fill(admin.name);
    await page.getByLabel('Your email address').fill(admin.email);
    await page.getByLabel('Create a password').fill(admin.password);
    await page.getByRole('button', { name: 'Set up Lodestar' }).click();
    await heading(page, new RegExp(admin.name));
    for (const [person, role] of [[coach, 'coach'], [manager, 'program_manager']] as const) {
      const created = await api<{ user: { id: string }; setPasswordLink: { url: string } }>(page, 'POST', '/api/v1/users', { email: person.email, displayName: person.name, roles: [role] });
      const token = new URL(created.setPasswordLink.url).hash.replace(/^#token=/, '');
      await api(page, 'POST', '/api/v1/auth/reset-password', { token, password: person.password });
    }
    const program = await api<{ id: string }>(page, 'POST', '/api/v1/programs', { name: 'ED Bridge', description: null });
    const site = await api<{ id: string }>(page, 'POST', '/api/v1/sites', { name: 'Mercy Hospital ED', kind: 'emergency_department', programId: program.id });
    await api(page, 'PUT', `/api/v1/directory/sites/${site.id}/point`, SITE);

    const add = async (name: string, km: number, service: Record<string, unknown>) => {
      const org = await api<{ id: string }>(page, 'POST', '/api/v1/directory/organizations', { name, type: 'treating_provider', phones: [{ number: '555-0142' }] });
      const loc = await api<{ id: string }>(page, 'POST', '/api/v1/directory/locations', { directoryOrganizationId: org.id, address1: `${km * 100} Market St`, city: 'Alder Falls', stateProvince: 'PA', postalCode: '17001', ...north(km) });
      return api<{ id: string }>(page, 'POST', '/api/v1/directory/services', { directoryOrganizationId: org.id, locationIds: [loc.id], serviceTypes: ['buprenorphine'], ...service });
    };
    await add('Harbor Recovery Medicine', 2, { name: 'Same-day buprenorphine starts', insurance: ['medicaid', 'private'], acceptingNew: true, serviceTypes: ['buprenorphine', 'same_day_induction'], languages: ['en', 'es'] });
    await add('Summit Addiction Medicine', 1, { name: 'Summit buprenorphine clinic', insurance: ['private'], acceptingNew: true });
    await add('Keystone Family Health', 0.5, { name: 'Keystone MOUD clinic', insurance: ['medicaid'], acceptingNew: false });
    await add('Northstar Health Center', 40, { name: 'Northstar buprenorphine program', insurance: ['medicaid'], acceptingNew: true });
    await signOut(page);
  });

  test('on a phone, a coach finds the nearest Medicaid buprenorphine prescriber accepting new participants', async () => {
    await freshPage(PHONE);
    await signIn(page, base, coach.email, coach.password);
    await heading(page, new RegExp(coach.name));
    await page.goto(`${base}/directory`);
    await heading(page, 'Find a service');
    await check(page, 'directory-search');

    // The one site on the map is already chosen.
    await expect.poll(() => page.getByLabel('Site', { exact: true }).inputValue()).not.toBe('');
    await page.getByRole('checkbox', { name: 'Buprenorphine prescriber' }).check();
    await page.getByRole('checkbox', { name: 'Medicaid' }).check();
    await page.getByRole('checkbox', { name: 'Accepting new participants' }).check();
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByText('2 results shown').waitFor();
    const results = page.locator('.directory-result');
    await expect.poll(() => results.count()).toBe(2);
    await expect.poll(() => results.nth(0).innerText()).toContain('Same-day buprenorphine starts');
    await expect.poll(() => results.nth(0).innerText()).toContain('2.0 km (1.2 mi)');
    await expect.poll(() => results.nth(0).innerText()).toContain('Accepting new');
    await expect.poll(() => results.nth(1).innerText()).toContain('Northstar buprenorphine program');
    await check(page, 'directory-results');

    await results.nth(0).getByRole('link', { name: 'Same-day buprenorphine starts' }).click();
    await heading(page, 'Same-day buprenorphine starts');
    entryUrl = page.url();
    await page.getByText('Medicaid, Private insurance').waitFor();
    await page.getByText('No one has reported capacity yet.').waitFor();
    await check(page, 'directory-entry');
  });

  test('the coach reports that the phone number is wrong; the report shows on the entry', async () => {
    await page.getByRole('button', { name: 'Report a problem' }).click();
    await page.getByRole('radio', { name: 'Phone number' }).check();
    await page.getByLabel(/What you found/).fill('The number rings a fax machine');
    await check(page, 'directory-report-problem');
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.getByText('Thank you. The problem shows on this entry until someone verifies it.').waitFor();
    const flags = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Reported problems' }) });
    await expect.poll(() => flags.innerText()).toContain(`Phone number, reported`);
    await expect.poll(() => flags.innerText()).toContain(`by ${coach.name}: The number rings a fax machine`);
    await page.getByText('Reported wrong once').waitFor();
    // The coach cannot verify the entry.
    await expect.poll(() => page.getByRole('button', { name: 'Mark as verified' }).count()).toBe(0);
    await signOut(page);
  });

  test('at a desk, the program manager verifies the entry, which clears the report', async () => {
    await freshPage(DESKTOP);
    await signIn(page, base, manager.email, manager.password);
    await heading(page, new RegExp(manager.name));
    await page.goto(entryUrl);
    await heading(page, 'Same-day buprenorphine starts');
    await page.getByText('The number rings a fax machine').waitFor();
    await page.getByRole('button', { name: 'Mark as verified' }).click();
    await page.getByText('Marked as verified.').waitFor();
    await page.getByText('No open problems.').waitFor();
    await page.getByText(new RegExp(`Last verified .* by ${manager.name}`)).waitFor();
    await check(page, 'directory-verified');
  });

  test('the program manager moves the site on the map and finds the import and export page', async () => {
    await page.goto(`${base}/directory`);
    await heading(page, 'Find a service');
    await page.getByText('Put a site on the map').click();
    const place = page.locator('details', { has: page.getByText('Put a site on the map') });
    await place.getByLabel('Site', { exact: true }).selectOption({ label: 'Mercy Hospital ED' });
    await expect.poll(() => place.getByLabel('Latitude').inputValue()).toBe(String(SITE.latitude));
    await place.getByLabel('Latitude').fill(String(north(40).latitude));
    await place.getByRole('button', { name: 'Save the site’s place' }).click();
    await page.getByText('Saved. Coaches can now search near Mercy Hospital ED.').waitFor();
    await check(page, 'directory-place-site');
    // From there, the far program is the nearest.
    await page.getByRole('checkbox', { name: 'Buprenorphine prescriber' }).first().check();
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => page.locator('.directory-result').first().innerText()).toContain('Northstar buprenorphine program');
    await page.getByRole('link', { name: 'Import and export the directory' }).click();
    await heading(page, 'Import and export the directory');
    await check(page, 'directory-import');
  });
});

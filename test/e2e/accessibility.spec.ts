/**
 * Every page that exists, checked with axe (WCAG 2.1 A and AA) at a 360 px phone size and at a
 * desktop size, including error, conflict and result states. Screenshots of each go to
 * test-results/screenshots. Test data that is not the point of a page is made through the API.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserProblems, closeBrowser, forgetEverything, newPage } from './support/browser.js';
import { api, checkAccessibility as check, heading, openAccountMenu, signIn, signOut, totp } from './support/lodestar.js';
import { screenshotOnFailure } from './support/failures.js';
import './support/context.js';

const { url: base, setupLink } = inject('lodestar').accessibility;

const admin = { name: 'Jordan Lee', email: 'jordan.lee@northstar.example', password: 'harbor candle violet ninety' };
const newcomer = { name: 'Maria Gonzalez', email: 'maria.gonzalez@northstar.example', password: 'pebble sunrise marble tuesday' };

type Created = { id: string; version: number; name?: string };

let page: Page;
const ids: { supervisor?: string; program?: string; site?: string; team?: string } = {};

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

describe('before anyone has signed in', () => {
  test('setup, not found and password pages', async () => {
    await page.goto(`${base}/setup`);
    await heading(page, 'Set up Lodestar');
    await page.getByText('Open the setup link').waitFor();
    await check(page, 'setup-without-link');

    await page.goto(`${base}/reset-password`);
    await heading(page, 'Set your password');
    await check(page, 'reset-password-without-link');

    await page.goto(`${base}/no-such-page`);
    await heading(page, 'Page not found');
    await check(page, 'not-found-signed-out');

    await page.goto(setupLink);
    await heading(page, 'Set up Lodestar');
    await page.getByLabel('Organization name').waitFor();
    await check(page, 'setup');

    await page.getByRole('button', { name: 'Set up Lodestar' }).click();
    await page.getByText('There is a problem').waitFor();
    await check(page, 'setup-with-errors');

    await page.getByLabel('Organization name').fill('North Star Recovery Network');
    await page.getByLabel('Your name').fill(admin.name);
    await page.getByLabel('Your email address').fill(admin.email);
    await page.getByLabel('Create a password').fill(admin.password);
    await page.getByRole('button', { name: 'Set up Lodestar' }).click();
    await heading(page, new RegExp(admin.name));
  });
});

describe('signed in as the administrator', () => {
  test('test data for the admin pages', async () => {
    const supervisor = await api<{ user: Created }>(page, 'POST', '/api/v1/users', {
      email: 'dana.supervisor@northstar.example',
      displayName: 'Dana Brooks',
      roles: ['supervisor'],
    });
    ids.supervisor = supervisor.user.id;
    await api(page, 'POST', '/api/v1/users', { email: 'lee.coach@northstar.example', displayName: 'Lee Chen', roles: ['coach'] });
    ids.program = (await api<Created>(page, 'POST', '/api/v1/programs', { name: 'ED Bridge Program', description: 'Peer support from the emergency department onward.' })).id;
    ids.site = (await api<Created>(page, 'POST', '/api/v1/sites', { name: 'Mercy Hospital ED', kind: 'emergency_department', programId: ids.program })).id;
    ids.team = (await api<Created>(page, 'POST', '/api/v1/teams', { name: 'Night team', siteId: ids.site, supervisorUserId: ids.supervisor, memberUserIds: [] })).id;
  });

  test('today, placeholders, access refused, not found, account menu', async () => {
    await page.goto(`${base}/`);
    await heading(page, new RegExp(admin.name));
    await check(page, 'today');

    await openAccountMenu(page);
    await page.locator('#account-menu-panel').waitFor();
    await check(page, 'account-menu-open');

    // The directory is open to administrators (they keep it up to date).
    await page.goto(`${base}/directory`);
    await heading(page, 'Find a service');
    await check(page, 'directory-search-admin');

    await page.goto(`${base}/reports`);
    await heading(page, 'Outcomes dashboard');
    await check(page, 'reports-admin');

    // An administrator does not work with participants.
    await page.goto(`${base}/participants`);
    await heading(page, 'You do not have access to this page');
    await check(page, 'forbidden');

    await page.goto(`${base}/no-such-page`);
    await heading(page, 'Page not found');
    await check(page, 'not-found');
  });

  test('account pages', { timeout: 120_000 }, async () => {
    await page.goto(`${base}/account`);
    await heading(page, 'Your account');
    await check(page, 'account');

    await page.goto(`${base}/account/password`);
    await heading(page, 'Change your password');
    await check(page, 'account-password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('There is a problem').waitFor();
    await check(page, 'account-password-with-errors');

    await page.goto(`${base}/account/two-step`);
    await heading(page, 'Set up two-step verification');
    await check(page, 'account-two-step');
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    await check(page, 'account-two-step-qr');

    await page.goto(`${base}/account/sessions`);
    await heading(page, 'Where you are signed in');
    await page.getByText('This device', { exact: true }).waitFor();
    await check(page, 'account-sessions');

    await page.goto(`${base}/account/language`);
    await heading(page, 'Language');
    await check(page, 'account-language');
  });

  test('admin: people', { timeout: 120_000 }, async () => {
    await page.goto(`${base}/admin`);
    await heading(page, 'Administration');
    await check(page, 'admin');

    await page.goto(`${base}/admin/users`);
    await page.getByRole('link', { name: 'Dana Brooks' }).waitFor();
    await check(page, 'admin-users');

    await page.goto(`${base}/admin/users/new`);
    await heading(page, 'Add a person');
    await check(page, 'admin-user-new');
    await page.getByRole('button', { name: 'Add person' }).click();
    await page.getByText('There is a problem').waitFor();
    await check(page, 'admin-user-new-with-errors');

    await page.getByLabel('Name', { exact: true }).fill('Riley Park');
    await page.getByLabel('Email address').fill('riley.park@northstar.example');
    await page.getByLabel('Program manager').check();
    await page.getByRole('button', { name: 'Add person' }).click();
    await heading(page, 'Person added');
    await check(page, 'admin-user-added');

    await page.goto(`${base}/admin/users/${ids.supervisor}`);
    await heading(page, 'Dana Brooks');
    await check(page, 'admin-user-edit');
    await page.getByRole('button', { name: 'Create a password link' }).click();
    await page.getByLabel('Link to set a new password').waitFor();
    await check(page, 'admin-user-password-link');

    // Someone who left: removed from the organization after a second question.
    await page.goto(`${base}/admin/users`);
    await page.getByRole('link', { name: 'Riley Park' }).click();
    await heading(page, 'Riley Park');
    await page.getByRole('button', { name: 'Remove from this organization' }).click();
    await page.getByText('Remove Riley Park from North Star Recovery Network?').waitFor();
    await check(page, 'admin-user-remove-confirm');
    await page.getByRole('button', { name: 'Yes, remove them' }).click();
    await heading(page, 'People');
    await page.getByText('Riley Park no longer works for North Star Recovery Network in Lodestar.').waitFor();
    expect(await page.locator('main').getByRole('link', { name: 'Riley Park' }).count()).toBe(0);
  });

  test('admin: organization, programs, sites, teams', { timeout: 120_000 }, async () => {
    await page.goto(`${base}/admin/organization`);
    await heading(page, 'Organization settings');
    await page.getByLabel('Organization name').waitFor();
    await check(page, 'admin-organization');

    for (const [section, heading1, id] of [
      ['programs', 'Programs', ids.program],
      ['sites', 'Sites', ids.site],
      ['teams', 'Teams', ids.team],
    ] as const) {
      await page.goto(`${base}/admin/${section}`);
      await heading(page, heading1);
      await page.locator('main table, main .record-list').first().waitFor();
      await check(page, `admin-${section}`);
      await page.goto(`${base}/admin/${section}/new`);
      await page.locator('main form').waitFor();
      await check(page, `admin-${section}-new`);
      await page.goto(`${base}/admin/${section}/${id}`);
      await page.getByRole('button', { name: 'Save changes' }).waitFor();
      await check(page, `admin-${section}-edit`);
    }
  });

  test('admin: someone else changed the record meanwhile', async () => {
    await page.goto(`${base}/admin/programs/${ids.program}`);
    const name = page.getByLabel('Program name');
    await name.waitFor();
    // A colleague renames the program while this form is open.
    await api(page, 'PATCH', `/api/v1/programs/${ids.program}`, { version: 1, name: 'Emergency Department Bridge' });
    await name.fill('ED Bridge and Follow-up');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Someone else changed this' }).waitFor();
    await page.getByRole('cell', { name: 'Emergency Department Bridge' }).waitFor();
    await check(page, 'admin-conflict');

    await page.getByRole('button', { name: 'Save my changes instead' }).click();
    await heading(page, 'Programs');
    await page.getByRole('link', { name: 'ED Bridge and Follow-up' }).waitFor();
  });

  test('audit trail', { timeout: 120_000 }, async () => {
    await page.goto(`${base}/audit`);
    await heading(page, 'Audit trail');
    await check(page, 'audit');

    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { name: 'Results' }).waitFor();
    await page.locator('main table, main .record-list').first().waitFor();
    await check(page, 'audit-results');

    await page.getByRole('button', { name: 'Verify integrity' }).click();
    await page.getByText('The audit trail is intact').waitFor();
    await check(page, 'audit-verified');

    await page.getByLabel('Record id').fill('not-an-id');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('There is a problem').waitFor();
    await check(page, 'audit-with-errors');
  });
});

describe('signing in', () => {
  let resetLink = '';

  test('sign-in page, its errors, and the code step', { timeout: 120_000 }, async () => {
    // The administrator turns on two-step verification and the organization comes to require it.
    const mfa = await api<{ secret: string }>(page, 'POST', '/api/v1/me/mfa/setup');
    await api(page, 'POST', '/api/v1/me/mfa/confirm', { code: await totp(mfa.secret) });
    const created = await api<{ setPasswordLink: { url: string } }>(page, 'POST', '/api/v1/users', {
      email: newcomer.email,
      displayName: newcomer.name,
      roles: ['coach'],
    });
    resetLink = created.setPasswordLink.url;
    const org = await api<{ version: number }>(page, 'GET', '/api/v1/organization');
    await api(page, 'PATCH', '/api/v1/organization', { version: org.version, requireMfa: true });

    await signOut(page);
    await heading(page, 'Sign in');
    await check(page, 'sign-in-signed-out');

    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('There is a problem').waitFor();
    await check(page, 'sign-in-with-errors');

    // The sign-in page in Spanish (the language is this browser's choice until someone signs in).
    await page.getByRole('button', { name: /Español/ }).click();
    await heading(page, 'Iniciar sesión');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('es');
    await page.getByRole('button', { name: 'Iniciar sesión' }).click();
    await page.getByText('Hay un problema').waitFor();
    await check(page, 'sign-in-spanish-with-errors');
    await page.getByRole('button', { name: /English/ }).click();
    await heading(page, 'Sign in');

    await signIn(page, base, admin.email, 'not the right password at all');
    await page.getByText('The email address or password is not right').first().waitFor();
    await check(page, 'sign-in-wrong-password');

    await signIn(page, base, admin.email, admin.password);
    await heading(page, 'Enter your code');
    await check(page, 'sign-in-code');
    await page.getByLabel('Code').fill(await totp(mfa.secret, 1));
    await page.getByRole('button', { name: 'Continue' }).click();
    await heading(page, new RegExp(admin.name));
  });

  test('setting a password from a link, then setting up two-step verification', { timeout: 120_000 }, async () => {
    await page.close();
    await forgetEverything();
    page = await newPage();
    await page.goto(resetLink);
    await heading(page, 'Set your password');
    await page.getByLabel('New password').waitFor();
    await check(page, 'reset-password');

    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByText('There is a problem').waitFor();
    await check(page, 'reset-password-with-errors');

    await page.getByLabel('New password').fill(newcomer.password);
    await page.getByRole('button', { name: 'Set password' }).click();
    await heading(page, 'Sign in');
    await page.getByText('Your password is set').waitFor();
    await check(page, 'sign-in-password-set');

    await page.getByLabel('Email address').fill(newcomer.email);
    await page.getByLabel('Password', { exact: true }).fill(newcomer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading(page, 'Set up two-step verification to continue');
    expect(new URL(page.url()).pathname).toBe('/account/mfa-setup');
    await check(page, 'mfa-enrol');
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    await check(page, 'mfa-enrol-qr');

    const secret = ((await page.locator('.secret code').textContent()) ?? '').replace(/\s/g, '');
    await page.getByLabel('Code').fill(await totp(secret));
    await page.getByRole('button', { name: 'Turn on two-step verification' }).click();
    await heading(page, new RegExp(newcomer.name));
    // A coach sees the coach's areas.
    await check(page, 'today-coach');
  });
});

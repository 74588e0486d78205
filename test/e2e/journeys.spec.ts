/**
 * The first journeys through Lodestar in a real browser against a real server: first-run setup,
 * two-step verification, adding a person who sets their own password, and signing out.
 * The tests build on each other and run in order.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserProblems, closeBrowser, forgetEverything, newPage, PHONE, DESKTOP } from './support/browser.js';
import { api, heading, openAccountMenu, signIn, signOut, totp } from './support/lodestar.js';
import { screenshotOnFailure } from './support/failures.js';
import './support/context.js';

const { url: base, setupLink } = inject('lodestar').journeys;

const admin = { name: 'Alex Rivera', email: 'alex.rivera@harbor.example', password: 'lantern orchard river blue' };
const coach = { name: 'Sam Okafor', email: 'sam.okafor@harbor.example', password: 'copper meadow kite seven' };

let page: Page;
let mfaSecret = '';
let setPasswordLink = '';

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

describe('first run', () => {
  test('the setup link creates the organization and signs the administrator in', async () => {
    await page.goto(setupLink);
    await heading(page, 'Set up Lodestar');
    // The token is read from the fragment, then taken out of the address bar.
    await expect.poll(() => new URL(page.url()).hash).toBe('');

    // Nothing filled in: the error summary takes focus and links to each field.
    await page.getByLabel('Time zone').selectOption('America/New_York');
    await page.getByRole('button', { name: 'Set up Lodestar' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await expect.poll(() => summary.evaluate((el) => el === document.activeElement)).toBe(true);
    await summary.getByRole('link', { name: 'Enter the name of your organization' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('field-organizationName');
    expect(await page.title()).toBe('Error: Set up Lodestar – Lodestar');

    await page.getByLabel('Organization name').fill('Harbor Recovery Center');
    await page.getByLabel('Your name').fill(admin.name);
    await page.getByLabel('Your email address').fill(admin.email);
    await page.getByLabel('Create a password').fill(admin.password);
    await page.getByRole('button', { name: 'Set up Lodestar' }).click();

    await heading(page, new RegExp(`^Good (morning|afternoon|evening), ${admin.name}$`));
    expect(new URL(page.url()).pathname).toBe('/');
    await expect.poll(() => page.locator('.header-organization').textContent()).toBe('Harbor Recovery Center');
    // The page title never carries personal data.
    expect(await page.title()).toBe('Today – Lodestar');
  });
});

describe('two-step verification', () => {
  test('the administrator turns it on from the account page', async () => {
    await openAccountMenu(page);
    await page.locator('#account-menu-panel').getByRole('link', { name: 'Your account' }).click();
    await heading(page, 'Your account');
    await page.getByRole('link', { name: /Set up\s+Two-step verification/ }).click();
    await heading(page, 'Set up two-step verification');
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    mfaSecret = ((await page.locator('.secret code').textContent()) ?? '').replace(/\s/g, '');
    expect(mfaSecret).toMatch(/^[A-Z2-7]{16,}$/);

    await page.getByLabel('Code').fill(await totp(mfaSecret));
    await page.getByRole('button', { name: 'Turn on two-step verification' }).click();
    await heading(page, 'Your account');
    await page.getByText('Two-step verification is on.').waitFor();
  });

  test('signing in again asks for a code after the password', async () => {
    await signOut(page);
    await signIn(page, base, admin.email, admin.password);
    await heading(page, 'Enter your code');

    // A wrong code is refused with a message on the field.
    await page.getByLabel('Code').fill('000000');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('link', { name: 'Enter the newest 6-digit code from your authenticator app' }).waitFor();

    // The code used to enrol cannot be used again: take the next 30-second step's.
    await page.getByLabel('Code').fill(await totp(mfaSecret, 1));
    await page.getByRole('button', { name: 'Continue' }).click();
    await heading(page, new RegExp(`^Good (morning|afternoon|evening), ${admin.name}$`));
  });
});

describe('adding a person', () => {
  test('the administrator adds a coach and sees the one-time link once', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await heading(page, 'Administration');
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'People' }).click();
    await heading(page, 'People');
    await page.getByRole('link', { name: 'Add a person' }).click();
    await heading(page, 'Add a person');
    await page.getByLabel('Name', { exact: true }).fill(coach.name);
    await page.getByLabel('Email address').fill(coach.email);
    await page.getByLabel('Peer recovery coach').check();
    await page.getByRole('button', { name: 'Add person' }).click();

    await heading(page, 'Person added');
    await page.getByText('Give this link to the person; it works once and expires in 24 hours').waitFor();
    setPasswordLink = await page.getByLabel('Link to set their password').inputValue();
    expect(setPasswordLink).toMatch(new RegExp(`^${base}/reset-password#token=`));
    await page.getByRole('link', { name: 'Back to people' }).click();
    await page.getByRole('link', { name: coach.name }).waitFor();
  });

  test('the administrator signs out', async () => {
    await signOut(page);
    await heading(page, 'Sign in');
    // Signed out means signed out: the home page sends us back to sign in.
    await page.goto(`${base}/`);
    await heading(page, 'Sign in');
  });

  test('the coach opens the link in a fresh page, sets a password and signs in', async () => {
    await page.close();
    await forgetEverything();
    page = await newPage();
    await page.setViewportSize(PHONE);
    await page.goto(setPasswordLink);
    await heading(page, 'Set your password');
    await page.getByLabel('New password').fill('short');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('link', { name: /Use at least 12 characters/ }).waitFor();
    await page.getByLabel('New password').fill(coach.password);
    await page.getByRole('button', { name: 'Set password' }).click();

    await heading(page, 'Sign in');
    await page.getByText('Your password is set. Sign in with it now.').waitFor();
    await page.getByLabel('Email address').fill(coach.email);
    await page.getByLabel('Password', { exact: true }).fill(coach.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading(page, new RegExp(`^Good (morning|afternoon|evening), ${coach.name}$`));

    // A coach's phone shows the bottom bar with the coach's areas, and no admin area.
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Participants' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    await page.goto(`${base}/admin/users`);
    await heading(page, 'You do not have access to this page');
  });

  test('the link works only once', async () => {
    const other = await newPage();
    await other.goto(setPasswordLink);
    await other.getByLabel('New password').fill('another long password here');
    await other.getByRole('button', { name: 'Set password' }).click();
    await other.getByText('This link has expired or was already used. Ask an administrator for a new one.').first().waitFor();
    await other.close();
  });

  test('the coach switches the language to Spanish, and it is remembered', async () => {
    await page.setViewportSize(DESKTOP);
    await openAccountMenu(page);
    await page.locator('#account-menu-panel').getByRole('button', { name: /Español/ }).click();
    await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Participantes' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('es');
    // Saved with the account, not only in this browser.
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Hoy' }).waitFor();
    await page.getByRole('button', { name: 'Cuenta' }).click();
    await page.locator('#account-menu-panel').getByRole('button', { name: /English/ }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Today' }).waitFor();
  });

  test('the coach signs out', async () => {
    await signOut(page);
    await page.goto(`${base}/account`);
    await heading(page, 'Sign in');
  });
});

describe('keeping sessions safe', () => {
  test('after a while without activity, a warning, then signing out', async () => {
    // A new tab: the last one remembers it was sent to sign in from the account page.
    await page.close();
    page = await newPage();
    await signIn(page, base, coach.email, coach.password);
    await heading(page, new RegExp(coach.name));
    await page.clock.install();
    await page.clock.fastForward('14:30');
    const warning = page.getByRole('alertdialog', { name: 'You will be signed out soon' });
    await warning.waitFor();
    await warning.getByRole('button', { name: 'Stay signed in' }).click();
    await warning.waitFor({ state: 'detached' });

    await page.clock.fastForward('15:30');
    await heading(page, 'Sign in');
    await page.getByText('You were signed out for your safety').waitFor();
    // The server session ended too.
    await page.goto(`${base}/`);
    await heading(page, 'Sign in');
  });

  test('a session ended elsewhere sends the person to sign in, then back to the same page', async () => {
    await page.close();
    page = await newPage();
    await signIn(page, base, coach.email, coach.password);
    await heading(page, new RegExp(coach.name));
    await page.getByRole('link', { name: 'Your account' }).first().click();
    await heading(page, 'Your account');
    // The person signs out everywhere from another device.
    await api(page, 'POST', '/api/v1/me/sign-out-everywhere');
    await page.getByRole('link', { name: /Review/ }).click();
    await heading(page, 'Sign in');
    await page.getByText('Your session has ended').waitFor();
    await page.getByLabel('Email address').fill(coach.email);
    await page.getByLabel('Password', { exact: true }).fill(coach.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading(page, 'Where you are signed in');
  });
});

/**
 * MOUD access on a coach's phone: on a participant's page the coach adds buprenorphine, records a
 * fill (today, the usual 7 days), sees the next refill date, and adds a prior-authorization task
 * with a due date, which then shows on their to-do list. The section is checked with axe at phone
 * and desktop sizes, in English and in Spanish.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserProblems, closeBrowser, newPage, DESKTOP, PHONE } from './support/browser.js';
import { api, checkAccessibility as check, heading, openAccountMenu, signIn, signOut } from './support/lodestar.js';
import { screenshotOnFailure } from './support/failures.js';

const { url: base, setupLink } = inject('lodestar').moud;

const admin = { name: 'Morgan Diaz', email: 'morgan.diaz@harbor.example', password: 'silver orchard lantern twelve' };
const coach = { name: 'Jordan Reyes', email: 'jordan.reyes@harbor.example', password: 'amber canyon whistle eighty' };

let page: Page;
let participantUrl = '';

const plusDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const inWords = (date: string) => new Intl.DateTimeFormat('en', { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));

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

describe('MOUD access', () => {
  test('setting up: a program, a site, a coach, and a participant on the coach’s caseload', async () => {
    await page.goto(setupLink);
    await page.getByLabel('Organization name').fill('Harbor Peer Recovery');
    await page.getByLabel('Your name').fill(admin.name);
    await page.getByLabel('Your email address').fill(admin.email);
    await page.getByLabel('Create a password').fill(admin.password);
    await page.getByRole('button', { name: 'Set up Lodestar' }).click();
    await heading(page, new RegExp(admin.name));
    const created = await api<{ user: { id: string }; setPasswordLink: { url: string } }>(page, 'POST', '/api/v1/users', { email: coach.email, displayName: coach.name, roles: ['coach'] });
    const token = new URL(created.setPasswordLink.url).hash.replace(/^#token=/, '');
    await api(page, 'POST', '/api/v1/auth/reset-password', { token, password: coach.password });
    const program = await api<{ id: string }>(page, 'POST', '/api/v1/programs', { name: 'Harbor Bridge', description: null });
    const site = await api<{ id: string }>(page, 'POST', '/api/v1/sites', { name: 'Harbor Clinic', kind: 'community', programId: program.id });
    await api(page, 'POST', '/api/v1/teams', { name: 'Day team', siteId: site.id, supervisorUserId: null, memberUserIds: [created.user.id] });
    await signOut(page);

    await page.setViewportSize(PHONE);
    await signIn(page, base, coach.email, coach.password);
    await heading(page, new RegExp(coach.name));
    const person = await api<{ id: string }>(page, 'POST', '/api/v1/participants', { firstName: 'Avery', lastName: 'Lane', programId: program.id, siteId: site.id });
    participantUrl = `${base}/participants/${person.id}`;
  });

  test('a coach records a buprenorphine fill on a phone and sees the next refill date', async () => {
    await page.goto(participantUrl);
    await heading(page, /Avery/);
    const section = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Medication for opioid use disorder' }) });
    await section.getByText('No medication recorded yet.').waitFor();

    await section.getByRole('button', { name: 'Add a medication' }).click();
    await section.getByRole('radio', { name: 'Buprenorphine' }).check();
    await section.getByRole('radio', { name: 'Film under the tongue' }).check();
    await section.getByLabel(/Prescriber or opioid treatment program/).fill('Dr. Patel, Harbor Clinic');
    await section.getByRole('button', { name: 'Save medication' }).click();
    await section.getByText('Medication saved.').waitFor();
    await section.getByRole('heading', { name: 'Buprenorphine: Film under the tongue' }).waitFor();

    // Two taps: today and the usual 7 days are already filled in.
    await section.getByRole('button', { name: 'Record a fill of Buprenorphine' }).click();
    await expect.poll(() => section.getByLabel('Date picked up').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const filledOn = await section.getByLabel('Date picked up').inputValue();
    await section.getByRole('button', { name: 'Save fill' }).click();
    const due = inWords(plusDays(filledOn, 7));
    await section.getByText(`Fill saved. Next refill: ${due}.`).waitFor();
    await expect.poll(() => section.locator('.moud-refill').innerText()).toContain(`Refill due in 7 days, ${due}`);
    await section.getByText(`${inWords(filledOn)}: 7 days (usual supply)`).waitFor();
    await check(page, 'moud-fill');
  });

  test('the coach adds a prior-authorization task with a due date; it goes on their to-do list', async () => {
    const section = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Medication for opioid use disorder' }) });
    await section.getByRole('button', { name: 'Add an insurance task' }).click();
    await section.getByRole('radio', { name: 'Prior authorization for buprenorphine' }).check();
    const dueOn = plusDays(new Date().toISOString().slice(0, 10), 3);
    await section.getByLabel(/Due date/).fill(dueOn);
    await section.getByRole('button', { name: 'Save task' }).click();
    await section.getByText('Task saved.').waitFor();
    const task = section.getByRole('listitem').filter({ hasText: 'Prior authorization for buprenorphine' });
    await task.getByText(`Due ${inWords(dueOn)}`).waitFor();
    await task.getByText('To do').waitFor();

    const todos = await api<{ todos: { kind: string; title: string; dueOn: string }[] }>(page, 'GET', '/api/v1/todos');
    expect(todos.todos).toEqual([expect.objectContaining({ kind: 'insurance', title: 'Insurance: prior authorization for buprenorphine', dueOn })]);
    await check(page, 'moud-task');
  });

  test('in Spanish the section reads in Spanish', async () => {
    await page.setViewportSize(DESKTOP);
    await openAccountMenu(page);
    await page.locator('#account-menu-panel').getByRole('button', { name: /Español/ }).click();
    // The switch saves the language with the account first, then applies it: wait for both before leaving the page.
    await page.waitForFunction(() => document.documentElement.lang === 'es');
    await page.goto(participantUrl);
    const section = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Medicamentos para el trastorno por consumo de opioides' }) });
    await section.getByRole('heading', { name: 'Próximo surtido' }).waitFor();
    await section.locator('strong', { hasText: 'Autorización previa para buprenorfina' }).waitFor();
    await check(page, 'moud-es');
  });
});

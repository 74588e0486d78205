/**
 * Federal (GPRA) follow-up on a coach's phone (issue 7): on a participant's page the coach records
 * the intake interview of six months ago and sees the 6-month follow-up due today with its window
 * (a date in the future is refused next to its field). From the home page the tracker lists the
 * person in window now; after the follow-up is recorded, the tracker lists it as done. The
 * section and the tracker are checked with axe at phone and desktop sizes.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserProblems, closeBrowser, newPage, PHONE } from './support/browser.js';
import { addCoachWithProgram, api, checkAccessibility as check, heading, setUpOrganization, signIn, signOut } from './support/lodestar.js';
import { screenshotOnFailure } from './support/failures.js';

const { url: base, setupLink } = inject('lodestar').federal;

const admin = { name: 'Robin Vance', email: 'robin.vance@lakeside.example', password: 'granite willow beacon seven' };
const coach = { name: 'Casey Moreno', email: 'casey.moreno@lakeside.example', password: 'saffron meadow kettle ninety' };

let page: Page;
let participantId = '';
let participantUrl = '';
let today = '';

const inWords = (date: string) => new Intl.DateTimeFormat('en', { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
const plusDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** Six months earlier, on a day that exists in both months (the 28th at most), so the follow-up is due on `date` or just before. */
function sixMonthsBefore(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) - 6;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-${String(Math.min(d, 28)).padStart(2, '0')}`;
}

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

const section = () => page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Federal interviews' }) });

describe('federal follow-up', () => {
  test('setting up: a coach and a participant on the coach’s caseload', async () => {
    await setUpOrganization(page, setupLink, 'Lakeside Recovery', admin);
    const { programId, siteId } = await addCoachWithProgram(page, coach, { program: 'Lakeside Bridge', site: 'Lakeside Center' });
    await signOut(page);
    await page.setViewportSize(PHONE);
    await signIn(page, base, coach.email, coach.password);
    await heading(page, new RegExp(coach.name));
    const person = await api<{ id: string }>(page, 'POST', '/api/v1/participants', { firstName: 'Riley', lastName: 'Stone', programId, siteId });
    participantId = person.id;
    participantUrl = `${base}/participants/${person.id}`;
    today = (await api<{ today: string }>(page, 'GET', `/api/v1/participants/${participantId}/federal-interviews`)).today;
  });

  test('on a phone, the coach records the intake of six months ago and sees the follow-up due with its window', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(participantUrl);
    await heading(page, /Riley/);
    await section().getByText('No federal interviews recorded yet.').waitFor();

    await section().getByRole('button', { name: 'Record an interview' }).click();
    expect(await section().getByRole('radio', { name: 'Intake interview' }).isChecked()).toBe(true);
    expect(await section().getByLabel('Date of the interview').inputValue()).toBe(today);
    // A date after today is refused next to its field.
    await section().getByLabel('Date of the interview').fill(plusDays(today, 1));
    await section().getByRole('button', { name: 'Save interview' }).click();
    await page.getByRole('link', { name: 'Enter a date like 2026-03-14, today or earlier' }).waitFor();
    await check(page, 'federal-record-errors');

    await page.setViewportSize(PHONE);
    const intakeOn = sixMonthsBefore(today);
    await section().getByLabel('Date of the interview').fill(intakeOn);
    await section().getByRole('button', { name: 'Save interview' }).click();
    await section().getByText('Intake interview saved.').waitFor();
    const list = await api<{ followUps: { dueOn: string; windowFrom: string; windowThrough: string; status: string }[] }>(page, 'GET', `/api/v1/participants/${participantId}/federal-interviews`);
    const due = list.followUps[0]!;
    expect(due.status).toBe('in_window');
    await section().getByText(`Due ${inWords(due.dueOn)}`).waitFor();
    await section().getByText('In window now').waitFor();
    await section().getByText(`The window is open until ${inWords(due.windowThrough)}.`).waitFor();
    await section().getByText(`Counts if done from ${inWords(due.windowFrom)} to ${inWords(due.windowThrough)}`).waitFor();
    await check(page, 'federal-section');
  });

  test('the tracker, from the home page, lists the person in window now; once the follow-up is recorded, as done', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(base);
    await heading(page, new RegExp(coach.name));
    await page.getByRole('link', { name: 'Federal follow-up tracker' }).click();
    await heading(page, 'Federal follow-up tracker');
    const inWindow = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'In window now (1)' }) });
    await inWindow.getByRole('link', { name: 'Riley Stone' }).waitFor();
    await page.getByText('Today is').waitFor();
    await check(page, 'federal-tracker');

    await page.setViewportSize(PHONE);
    await inWindow.getByRole('link', { name: 'Riley Stone' }).click();
    await heading(page, /Riley/);
    await section().getByRole('button', { name: 'Record an interview' }).click();
    expect(await section().getByRole('radio', { name: '6-month follow-up' }).isChecked()).toBe(true);
    await section().getByRole('button', { name: 'Save interview' }).click();
    await section().getByText('6-month follow-up saved.').waitFor();
    await section().getByText(`Done on ${inWords(today)}, inside the window.`).waitFor();

    await page.goto(`${base}/reports/federal-follow-up?month=${today.slice(0, 7)}`);
    await heading(page, 'Federal follow-up tracker');
    const done = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Done (1)' }) });
    await done.getByRole('link', { name: 'Riley Stone' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'In window now (0)' }).waitFor();
  });
});

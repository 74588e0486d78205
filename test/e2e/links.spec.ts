/**
 * A participant answers on their own phone through a one-time link (issue 6, "Done when"):
 *   1. The coach, on a phone, makes a BARC-10 link and shows it as a code: a QR code with the
 *      address under it.
 *   2. On a phone with nobody signed in, the participant opens the address: a greeting with the
 *      name they go by and nothing else about them; they answer the ten statements and send.
 *      The same link again says plainly it was already used.
 *   3. The coach sees the total and the trend on the participant's page (up 10 from the BARC-10
 *      they asked at intake a week before), and the link answered.
 *   4. The coach makes a check-in link and keeps the participant's page open; the participant
 *      answers with cravings at 8 in another tab; the coach's page says answers arrived, and the
 *      alert is on their list. Logging a contact that reached the person clears it.
 *   5. An expired link shows a friendly page, not an error.
 * Pages are checked with axe at phone and desktop sizes.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserProblems, closeBrowser, forgetEverything, newPage, PHONE } from './support/browser.js';
import { api, checkAccessibility as check, heading, signIn, signOut, addCoachWithProgram, setUpOrganization } from './support/lodestar.js';
import { screenshotOnFailure } from './support/failures.js';

const { url: base, setupLink } = inject('lodestar').links;

const admin = { name: 'Morgan Ellis', email: 'morgan.ellis@northside.example', password: 'quartz lantern meadow seventy' };
const coach = { name: 'Jordan Price', email: 'jordan.price@northside.example', password: 'copper willow harbor sixty' };

let page: Page;
let participantUrl = '';
let participantId = '';

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

const section = (name: string) => page.locator('section', { has: page.getByRole('heading', { level: 2, name }) });

async function makeLink(choices: { purpose: string; questionnaire?: string }): Promise<string> {
  await page.goto(participantUrl);
  await heading(page, /Dani/);
  await section('Links for the participant').getByRole('link', { name: 'Send a link' }).click();
  await heading(page, 'Send a link');
  await page.getByRole('group', { name: 'What is the link for?' }).getByLabel(choices.purpose, { exact: true }).check();
  if (choices.questionnaire) await page.getByRole('group', { name: 'Which questionnaire?' }).getByLabel(choices.questionnaire).check();
  await page.getByLabel('Show a code to scan now').check();
  await page.getByRole('button', { name: 'Make the link' }).click();
  await heading(page, 'Link ready');
  await page.getByRole('img', { name: 'A code to scan that opens the link' }).waitFor();
  const address = (await page.getByTestId('link-address').textContent()) ?? '';
  expect(address).toMatch(new RegExp(`^${base.replace(/[.]/g, '\\.')}/l#token=[A-Za-z0-9_-]{43}$`));
  return address;
}

describe('one-time links for participants', () => {
  test('setting up: a coach and a participant who goes by Dani', async () => {
    await setUpOrganization(page, setupLink, 'Northside Peer Recovery', admin);
    const { programId, siteId } = await addCoachWithProgram(page, coach, { program: 'Northside Bridge', site: 'Northside Center' });
    await signOut(page);

    await page.setViewportSize(PHONE);
    await signIn(page, base, coach.email, coach.password);
    await heading(page, new RegExp(coach.name));
    const person = await api<{ id: string; version: number }>(page, 'POST', '/api/v1/participants', { firstName: 'Danielle', lastName: 'Okafor', programId, siteId });
    await api(page, 'PATCH', `/api/v1/participants/${person.id}`, { version: person.version, preferredName: 'Dani' });
    // A first BARC-10 the coach asked at intake a week ago: 40 of 60, the baseline of the trend.
    const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    await api(page, 'POST', `/api/v1/participants/${person.id}/questionnaire-responses`, { key: 'barc10', version: 1, answeredOn: weekAgo, answers: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`q${i + 1}`, 4])) });
    participantId = person.id;
    participantUrl = `${base}/participants/${person.id}`;
  });

  let barcAddress = '';

  test('the coach makes a BARC-10 link and shows it as a code to scan', async () => {
    await page.goto(participantUrl);
    await heading(page, /Dani/);
    await section('Links for the participant').getByText('No links sent yet.').waitFor();
    barcAddress = await makeLink({ purpose: 'Questionnaire', questionnaire: 'Brief Assessment of Recovery Capital (BARC-10)' });
    await check(page, 'links-code');
  });

  test('on a phone with nobody signed in, the participant answers the ten statements', async () => {
    await forgetEverything();
    await page.setViewportSize(PHONE);
    await page.goto(barcAddress);
    await page.getByText('Hi Dani').waitFor();
    await page.getByText('Your coach at Northside Peer Recovery sent you this.').waitFor();
    // The secret leaves the address bar; nothing else about the person is on the page.
    await expect.poll(() => new URL(page.url()).hash).toBe('');
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toMatch(/Okafor|Danielle/);
    await heading(page, 'Brief Assessment of Recovery Capital (BARC-10)');

    // Sending with nothing chosen names every statement.
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await page.getByRole('link', { name: 'Answer question 1', exact: true }).waitFor();
    await check(page, 'links-barc10-errors');
    const groups = page.getByRole('group').filter({ has: page.getByRole('radio', { name: 'Strongly agree', exact: true }) });
    await expect.poll(() => groups.count()).toBe(10);
    for (let i = 0; i < 10; i++) await groups.nth(i).getByRole('radio', { name: 'Agree', exact: true }).check();
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await heading(page, 'Thank you');
    await page.getByText('Your answers reached your coach.').waitFor();
    await page.getByText(/Call or text 988/).waitFor();
    await check(page, 'links-thanks');

    // The same link again (a fresh load, as when it is tapped again in the message): used, in plain words.
    await page.goto('about:blank');
    await page.goto(barcAddress);
    await heading(page, 'This link no longer works');
    await page.getByText('This link was already used. Thank you: your answers reached your coach.').waitFor();
    await check(page, 'links-used');
  });

  test('the coach sees the total and the trend, and the link answered', async () => {
    await page.setViewportSize(PHONE);
    await signIn(page, base, coach.email, coach.password);
    await heading(page, new RegExp(coach.name));
    await page.goto(participantUrl);
    await heading(page, /Dani/);
    const q = section('Questionnaires');
    await q.getByText('Latest total: 50 of 60').waitFor();
    await q.getByText('Strong recovery capital', { exact: true }).waitFor();
    // The trend: up 10 since the coach's first one, the chart with both totals.
    await q.getByText(/^Up 10 since the first: 40 on /).waitFor();
    const chart = q.getByRole('img', { name: /BARC-10 totals over time/ });
    const described = await chart.getAttribute('aria-labelledby');
    const summary = await page.evaluate((ids) => ids!.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' '), described);
    expect(summary).toContain('40 on');
    expect(summary).toContain('50 on');
    const links = section('Links for the participant');
    const entry = links.getByRole('listitem').filter({ hasText: 'Brief Assessment of Recovery Capital (BARC-10)' });
    await entry.getByText('Answered', { exact: true }).waitFor();
    await entry.getByText(/Total 50/).waitFor();
    await check(page, 'links-answered');
  });

  test('a check-in with cravings at 8 arrives while the coach watches; the alert clears after a contact that reached them', async () => {
    await page.setViewportSize(PHONE);
    const address = await makeLink({ purpose: 'Check-in' });
    await page.getByRole('link', { name: 'Done' }).click();
    await heading(page, /Dani/);
    const links = section('Links for the participant');
    await links.getByText('This list updates by itself while a link is waiting for answers.').waitFor();

    // The participant answers in another tab (the link needs no account).
    const phone = await newPage();
    await phone.setViewportSize(PHONE);
    await phone.goto(address);
    await phone.getByText('Hi Dani').waitFor();
    await phone.getByRole('group', { name: 'How is your mood today?' }).getByLabel('2, low').check();
    await phone.getByRole('group', { name: /How strong are your cravings today/ }).getByLabel('8', { exact: true }).check();
    await phone.getByRole('group', { name: 'Have you taken your medication as planned?' }).getByLabel('Yes').check();
    await phone.getByRole('group', { name: 'Have you used since your last check-in?' }).getByLabel('No').check();
    await phone.getByRole('group', { name: 'Have you had an overdose since your last check-in?' }).getByLabel('No').check();
    await phone.getByLabel('What do you need today? (optional)').fill('A ride to the clinic on Monday');
    await check(phone, 'links-check-in');
    await phone.getByRole('button', { name: 'Send my answers' }).click();
    await phone.getByRole('heading', { name: 'Thank you' }).waitFor();
    await phone.close();

    // The coach's page, still open, says the answers arrived (it asks again every 10 seconds).
    await links.getByText('Answers arrived: Check-in.').waitFor({ timeout: 25_000 });
    await links.getByRole('listitem').filter({ hasText: 'Check-in' }).getByText('1 alert raised').waitFor();
    const todos = section('Follow-ups');
    await todos.getByText('Reach out: cravings at 8 of 10').first().waitFor();
    await section('Check-ins').getByText('8 of 10').first().waitFor();

    // A contact that reached the person clears the alert.
    await page.getByRole('link', { name: 'Log a contact' }).click();
    await heading(page, 'Log a contact');
    await page.getByLabel('Yes, we talked').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await heading(page, /Dani/);
    await page.getByText('Contact saved.').waitFor();
    await expect.poll(() => section('Follow-ups').getByText('Reach out: cravings at 8 of 10').count()).toBe(0);
    const alerts = await api<{ todos: { kind: string; status: string }[] }>(page, 'GET', `/api/v1/participants/${participantId}/todos`);
    expect(alerts.todos.filter((t) => t.kind === 'alert').map((t) => t.status)).toEqual(['done']);
  });

  test('a link that does not work shows a friendly page', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${base}/l#token=${'x'.repeat(43)}`);
    await heading(page, 'This link does not work');
    await page.getByText('Ask your coach for a new link.').waitFor();
    await check(page, 'links-not-found');
  });
});

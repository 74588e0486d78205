/**
 * Questionnaires on a coach's phone (issue 6): the coach answers a BARC-10 for a participant twice,
 * the second time 10 points lower, and sees on the participant's page the latest total, the change
 * since the first, the trend chart with its numbers, and the warning about the drop. A wrong
 * answer the server refuses lands on its statement (`answers.q3`). Then the social-needs screen
 * with housing = yes suggests the housing service of the directory, with a link to refer the
 * person to it. In Spanish, the BARC-10 statements stay in English (no validated translation) while
 * the rest of the page is in Spanish. Pages are checked with axe at phone and desktop sizes.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserProblems, closeBrowser, newPage, DESKTOP, PHONE } from './support/browser.js';
import { api, checkAccessibility as check, heading, openAccountMenu, signIn, signOut } from './support/lodestar.js';
import { screenshotOnFailure } from './support/failures.js';

const { url: base, setupLink } = inject('lodestar').questionnaires;

const admin = { name: 'Riley Chen', email: 'riley.chen@lakeside.example', password: 'granite meadow violin thirty' };
const coach = { name: 'Casey Morgan', email: 'casey.morgan@lakeside.example', password: 'harbor tulip compass ninety' };

const HOUSING = 'Rapid rehousing and rent help';
/** The kinds of services a "yes" to housing suggests, in words. */
const SUGGESTED = 'Housing, Recovery housing';
const FIRST_ITEM = 'There are more important things to me in life than using substances.';
const THIRD_ITEM = 'I have enough energy to complete the tasks I set myself.';

let page: Page;
let participantId = '';
let participantUrl = '';
let housingServiceId = '';

const plusDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const inWords = (date: string) => new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));

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

const section = () => page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Questionnaires' }) });

/** Answer every BARC-10 statement with the same agreement label, one radio group per statement. */
async function answerAll(label: string): Promise<void> {
  const groups = page.getByRole('group').filter({ has: page.getByRole('radio', { name: 'Strongly agree', exact: true }) });
  await expect.poll(() => groups.count()).toBe(10);
  for (let i = 0; i < 10; i++) await groups.nth(i).getByRole('radio', { name: label, exact: true }).check();
}

describe('questionnaires', () => {
  test('setting up: a coach, a participant, and a housing service in the directory', async () => {
    await page.goto(setupLink);
    await page.getByLabel('Organization name').fill('Lakeside Recovery Community');
    await page.getByLabel('Your name').fill(admin.name);
    await page.getByLabel('Your email address').fill(admin.email);
    await page.getByLabel('Create a password').fill(admin.password);
    await page.getByRole('button', { name: 'Set up Lodestar' }).click();
    await heading(page, new RegExp(admin.name));
    const created = await api<{ user: { id: string }; setPasswordLink: { url: string } }>(page, 'POST', '/api/v1/users', { email: coach.email, displayName: coach.name, roles: ['coach'] });
    const token = new URL(created.setPasswordLink.url).hash.replace(/^#token=/, '');
    await api(page, 'POST', '/api/v1/auth/reset-password', { token, password: coach.password });
    const program = await api<{ id: string }>(page, 'POST', '/api/v1/programs', { name: 'Lakeside Bridge', description: null });
    const site = await api<{ id: string }>(page, 'POST', '/api/v1/sites', { name: 'Lakeside Center', kind: 'community', programId: program.id });
    await api(page, 'POST', '/api/v1/teams', { name: 'Day team', siteId: site.id, supervisorUserId: null, memberUserIds: [created.user.id] });
    const org = await api<{ id: string }>(page, 'POST', '/api/v1/directory/organizations', { name: 'Lakeside Housing Partners', type: 'community_service', phones: [{ number: '555-0190' }] });
    const loc = await api<{ id: string }>(page, 'POST', '/api/v1/directory/locations', { directoryOrganizationId: org.id, address1: '12 Shore Rd', city: 'Lakeside', stateProvince: 'PA', postalCode: '17002' });
    housingServiceId = (await api<{ id: string }>(page, 'POST', '/api/v1/directory/services', { directoryOrganizationId: org.id, locationIds: [loc.id], name: HOUSING, serviceTypes: ['housing'], acceptingNew: true })).id;
    await signOut(page);

    await page.setViewportSize(PHONE);
    await signIn(page, base, coach.email, coach.password);
    await heading(page, new RegExp(coach.name));
    const person = await api<{ id: string }>(page, 'POST', '/api/v1/participants', { firstName: 'Robin', lastName: 'Hale', programId: program.id, siteId: site.id });
    participantId = person.id;
    participantUrl = `${base}/participants/${person.id}`;
  });

  test('on a phone, the coach answers a first BARC-10: the total, and strong recovery capital at 47 or more', async () => {
    await page.goto(participantUrl);
    await heading(page, /Robin/);
    await section().getByText('No BARC-10 answered yet.').waitFor();
    await section().getByRole('link', { name: 'Answer the BARC-10' }).click();
    await heading(page, 'Brief Assessment of Recovery Capital (BARC-10)');
    await page.getByRole('group', { name: `1. ${FIRST_ITEM}` }).waitFor();

    // Nothing answered: every statement is named in the summary, and its group says what to do.
    await page.getByRole('button', { name: 'Save answers' }).click();
    await page.getByRole('link', { name: 'Choose an answer for statement 3' }).waitFor();
    await check(page, 'questionnaires-barc10-errors');

    // A week ago, "Agree" (5) to all ten: 50 of 60.
    await answerAll('Agree');
    const today = await page.getByLabel('Date answered').inputValue();
    expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const weekAgo = plusDays(today, -7);
    await page.getByLabel('Date answered').fill(weekAgo);
    await page.getByRole('button', { name: 'Save answers' }).click();
    await heading(page, /Robin/);
    await page.getByText('Brief Assessment of Recovery Capital (BARC-10) saved. Total: 50 of 60: strong recovery capital.').waitFor();
    await section().getByText('Latest total: 50 of 60').waitFor();
    await section().getByText('Strong recovery capital', { exact: true }).waitFor();
    await section().getByText(`Answered ${inWords(weekAgo)}`).waitFor();
    await section().getByText('This is the first one, a starting point for later ones.').waitFor();
    await check(page, 'questionnaires-first-barc10');
  });

  test('an answer the server refuses lands on its statement', async () => {
    await page.setViewportSize(PHONE);
    await section().getByRole('link', { name: 'Answer the BARC-10' }).click();
    await heading(page, 'Brief Assessment of Recovery Capital (BARC-10)');
    await answerAll('Somewhat agree');
    // Send statement 3 as 7, outside the 1–6 scale: the real server answers 400 naming answers.q3.
    await page.route('**/questionnaire-responses', async (route) => {
      const body = route.request().postDataJSON() as { answers: Record<string, number> };
      await route.continue({ postData: JSON.stringify({ ...body, answers: { ...body.answers, q3: 7 } }) });
    });
    await page.getByRole('button', { name: 'Save answers' }).click();
    const summaryLink = page.getByRole('link', { name: 'Choose a number from 1 (strongly disagree) to 6 (strongly agree)' });
    await summaryLink.waitFor();
    await page.unroute('**/questionnaire-responses');
    const third = page.getByRole('group', { name: `3. ${THIRD_ITEM}` });
    await third.getByText('Choose a number from 1 (strongly disagree) to 6 (strongly agree)').waitFor();
    await summaryLink.click();
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('answers.q3');
    // Nothing was saved.
    const saved = await api<{ responses: unknown[] }>(page, 'GET', `/api/v1/participants/${participantId}/questionnaire-responses?key=barc10`);
    expect(saved.responses).toHaveLength(1);
  });

  test('a second BARC-10, 10 points lower: the change since the first, the chart and the drop warning', async () => {
    // The same form, now sent as it is: "Somewhat agree" (4) to all ten, today: 40.
    await page.getByRole('button', { name: 'Save answers' }).click();
    await heading(page, /Robin/);
    await page.getByText('Brief Assessment of Recovery Capital (BARC-10) saved. Total: 40 of 60.').waitFor();
    const s = section();
    await s.getByText('Latest total: 40 of 60').waitFor();
    await s.getByText('Below 47, the level of strong recovery capital.').waitFor();
    const first = await api<{ baseline: { answeredOn: string } }>(page, 'GET', `/api/v1/participants/${participantId}/barc10-trend`);
    await s.getByText(`Down 10 since the first: 50 on ${inWords(first.baseline.answeredOn)}`).waitFor();
    await s.getByRole('heading', { name: 'The total fell by 10 points or more' }).waitFor();
    await s.getByText(/^From 50 to 40 on /).waitFor();
    // The chart: an image whose description reads the numbers, and each point labelled.
    const chart = s.getByRole('img', { name: /BARC-10 totals over time/ });
    await chart.waitFor();
    const described = await chart.getAttribute('aria-labelledby');
    const text = await page.evaluate((ids) => ids!.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' '), described);
    expect(text).toContain('50 on');
    expect(text).toContain('40 on');
    // The same numbers as a table, without the chart.
    await s.getByText('Show the totals as a table').click();
    const table = s.getByRole('table', { name: 'BARC-10 totals by date' });
    await table.getByRole('row').filter({ hasText: '50 (Strong recovery capital)' }).waitFor();
    await table.getByRole('cell', { name: '40', exact: true }).waitFor();
    await check(page, 'questionnaires-trend');
  });

  test('the social-needs screen with housing = yes suggests the housing service, with a link to refer', async () => {
    await page.setViewportSize(PHONE);
    await section().getByText('No social-needs screen answered yet.').waitFor();
    await section().getByRole('link', { name: 'Answer the social-needs screen' }).click();
    await heading(page, 'Social needs screen');
    const groups = page.getByRole('group').filter({ has: page.getByRole('radio', { name: 'Yes', exact: true }) });
    await expect.poll(() => groups.count()).toBe(5);
    await page.getByRole('group', { name: /losing your housing/ }).getByRole('radio', { name: 'Yes', exact: true }).check();
    for (const about of [/food would run out/, /reliable transportation/, /threatened to shut off/, /unsafe where you live/]) {
      await page.getByRole('group', { name: about }).getByRole('radio', { name: 'No', exact: true }).check();
    }
    await check(page, 'questionnaires-social-needs-form');
    await page.getByRole('button', { name: 'Save answers' }).click();
    await page.getByText('Screen saved.').waitFor();
    await page.getByText('Needs named: Housing.').waitFor();
    await page.getByRole('heading', { level: 2, name: 'Services that may help' }).waitFor();
    const service = page.getByRole('link', { name: HOUSING, exact: true });
    expect(await service.getAttribute('href')).toBe(`/directory/services/${housingServiceId}`);
    const refer = page.getByRole('link', { name: `Refer to ${HOUSING}` });
    expect(await refer.getAttribute('href')).toBe(`/referrals/new?participant=${participantId}&service=${housingServiceId}`);
    await check(page, 'questionnaires-social-needs-result');

    await refer.click();
    await heading(page, 'New referral');
    await page.getByText(HOUSING).first().waitFor();
    await page.goto(participantUrl);
    const screen = section().getByRole('listitem').filter({ hasText: 'Needs named' });
    await screen.getByText('Housing', { exact: true }).waitFor();
    await screen.getByText(SUGGESTED).waitFor();
  });

  test('in Spanish, the BARC-10 statements stay in English and the rest of the page is in Spanish', async () => {
    await page.setViewportSize(DESKTOP);
    await openAccountMenu(page);
    await page.locator('#account-menu-panel').getByRole('button', { name: /Español/ }).click();
    // The switch saves the language with the account first, then applies it: wait for both before leaving the page.
    await page.waitForFunction(() => document.documentElement.lang === 'es');
    await page.goto(`${base}/questionnaires/barc10/new?participant=${participantId}`);
    await heading(page, 'Brief Assessment of Recovery Capital (BARC-10)');
    await page.getByText(/Las preguntas de este cuestionario se muestran en inglés/).waitFor();
    const firstGroup = page.getByRole('group', { name: `1. ${FIRST_ITEM}` });
    await firstGroup.getByRole('radio', { name: 'Muy de acuerdo' }).waitFor();
    expect(await firstGroup.locator('legend [lang="en"]').count()).toBe(1);
    await page.getByRole('button', { name: 'Guardar respuestas' }).waitFor();
    await check(page, 'questionnaires-barc10-es');
    await page.goto(participantUrl);
    const es = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Cuestionarios' }) });
    await es.getByText('Último total: 40 de 60').waitFor();
    await es.getByText(/^10 puntos menos que el primero: 50 el /).waitFor();
    await es.getByRole('heading', { name: 'El total bajó 10 puntos o más' }).waitFor();
    await check(page, 'questionnaires-es');
  });
});

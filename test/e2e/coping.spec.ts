/**
 * Coping and safety plans on a coach's phone (issue 6). The coach makes the safety plan with the
 * participant: the 988 Lifeline is first and cannot be removed, a local crisis line and a person
 * are added (a phone number with words in it is refused next to its field, and a value the server
 * refuses lands on its field), naloxone is on hand and someone knows where, the usual steps after an
 * overdose stay. After a second save the plan has two versions, the first still readable; the
 * Spanish printable copy has the Spanish overdose steps while the interface stays in English. A
 * save that meets someone else's change (409) reloads their plan, says so, and keeps what the
 * coach had typed visible. A cravings-and-triggers plan is made too. Pages are checked with axe.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserProblems, closeBrowser, newPage, PHONE } from './support/browser.js';
import { api, checkAccessibility as check, heading, signIn, signOut, addCoachWithProgram, setUpOrganization } from './support/lodestar.js';
import { screenshotOnFailure } from './support/failures.js';

const { url: base, setupLink } = inject('lodestar').coping;

const admin = { name: 'Jordan Ellis', email: 'jordan.ellis@riverside.example', password: 'copper lantern meadow forty' };
const coach = { name: 'Sam Ortiz', email: 'sam.ortiz@riverside.example', password: 'violet harbor pencil twelve' };

let page: Page;
let participantId = '';
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

const section = () => page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Coping and safety plans' }) });
const card = (name: string) => section().locator('.coping-card', { has: page.getByRole('heading', { level: 3, name }) });

interface SafetyPlan {
  version: number;
  planVersion: number;
  crisisContacts: { kind: string; name: string; phone: string }[];
  naloxoneOnHand: string;
  naloxoneKnownBy: string[];
  overdoseSteps: string[];
  overdoseStepsAreDefault: boolean;
}

describe('coping and safety plans', () => {
  test('setting up: a coach and a participant', async () => {
    await setUpOrganization(page, setupLink, 'Riverside Recovery Network', admin);
    const { programId, siteId } = await addCoachWithProgram(page, coach, { program: 'Riverside Bridge', site: 'Riverside Center' });
    await signOut(page);

    await page.setViewportSize(PHONE);
    await signIn(page, base, coach.email, coach.password);
    await heading(page, new RegExp(coach.name));
    const person = await api<{ id: string }>(page, 'POST', '/api/v1/participants', { firstName: 'Avery', lastName: 'Quinn', programId, siteId });
    participantId = person.id;
    participantUrl = `${base}/participants/${person.id}`;
  });

  test('on a phone, the safety plan: 988 first and fixed, contacts, naloxone, the usual overdose steps', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(participantUrl);
    await heading(page, /Avery/);
    const safety = card('Safety plan');
    await safety.getByText('Not saved yet. The 988 Lifeline is always on it.').waitFor();
    await safety.getByText('988 Suicide & Crisis Lifeline').waitFor();
    await safety.getByText('Not sure').waitFor();
    await card('Cravings and triggers plan').getByText('Not made yet.').waitFor();
    await check(page, 'coping-section-empty');

    await page.setViewportSize(PHONE);
    await safety.getByRole('link', { name: 'Make the plan (the safety plan)' }).click();
    await heading(page, 'Safety plan');
    const crisis = page.getByRole('group', { name: 'Who to call in a crisis' });
    // The 988 Lifeline is the first thing in the crisis contacts, with no Remove button.
    const first = crisis.locator('.coping-person').first();
    await first.getByText('988 Suicide & Crisis Lifeline').waitFor();
    await first.getByText('Always first on the plan. It cannot be removed.').waitFor();
    expect(await first.getByRole('button').count()).toBe(0);
    expect(await first.getByRole('link', { name: /988/ }).getAttribute('href')).toBe('tel:988');
    // The usual steps after an overdose, as the server gave them.
    expect(await page.getByRole('radio', { name: 'The usual steps in plain words' }).isChecked()).toBe(true);
    await page.getByRole('list', { name: 'The usual steps in plain words' }).getByText('Call 911.').waitFor();

    await crisis.getByRole('button', { name: 'Add a local crisis line' }).click();
    // The new entry has the cursor.
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('crisisContacts.0.name');
    const line = page.getByRole('group', { name: 'Contact 1' });
    await line.getByLabel('Name').fill('County crisis line');
    await line.getByLabel('Phone number').fill('555-0100');
    await crisis.getByRole('button', { name: 'Add a person to call in a crisis' }).click();
    const sister = page.getByRole('group', { name: 'Contact 2' });
    expect(await sister.getByRole('radio', { name: 'Person they trust' }).isChecked()).toBe(true);
    await sister.getByLabel('Name').fill('Ana (sister)');
    await sister.getByLabel('Phone number').fill('call her');
    await page.getByRole('group', { name: 'Do they have naloxone (Narcan) on hand?' }).getByRole('radio', { name: 'Yes' }).check();
    await page.getByRole('button', { name: 'Add someone who knows' }).click();
    await page.getByLabel('Who knows 1').fill('My sister Ana');
    // A blank entry is left out when saving.
    await page.getByRole('button', { name: 'Add someone who knows' }).click();

    await page.getByRole('button', { name: 'Save the plan' }).click();
    await page.getByRole('link', { name: 'Enter a phone number with digits only' }).click();
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('crisisContacts.1.phone');
    expect(await page.getByLabel('Who knows 2').count()).toBe(0);
    await check(page, 'coping-safety-edit-errors');
    await page.setViewportSize(PHONE);
    await sister.getByLabel('Phone number').fill('(555) 010-0199');

    // The real server refuses a name longer than 120 characters (sent past the page's own check): 400 naming the entry.
    await page.route('**/safety-plan', async (route) => {
      if (route.request().method() !== 'PUT') return route.continue();
      const body = route.request().postDataJSON() as Record<string, unknown>;
      await route.continue({ postData: JSON.stringify({ ...body, naloxoneKnownBy: ['x'.repeat(121)] }) });
    });
    await page.getByRole('button', { name: 'Save the plan' }).click();
    const summaryLink = page.getByRole('link', { name: 'Use at most 120 characters' });
    await summaryLink.waitFor();
    await page.unroute('**/safety-plan');
    await summaryLink.click();
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('naloxoneKnownBy.0');
    const none = await api<SafetyPlan>(page, 'GET', `/api/v1/participants/${participantId}/safety-plan`);
    expect(none.version).toBe(0);

    await page.getByRole('button', { name: 'Save the plan' }).click();
    await heading(page, /Avery/);
    await page.getByText('Safety plan saved.').waitFor();
    const saved = card('Safety plan');
    await saved.getByText(/^Version 1, saved /).waitFor();
    await saved.getByText('County crisis line').waitFor();
    await saved.getByText('My sister Ana').waitFor();
    const facts = await saved.locator('dl').innerText();
    expect(facts).toMatch(/Naloxone on hand\s+Yes/);
    // 988 comes before the other contacts.
    const text = await saved.innerText();
    expect(text.indexOf('988 Suicide & Crisis Lifeline')).toBeLessThan(text.indexOf('County crisis line'));
    const stored = await api<SafetyPlan>(page, 'GET', `/api/v1/participants/${participantId}/safety-plan`);
    expect(stored).toMatchObject({
      planVersion: 1,
      naloxoneOnHand: 'yes',
      naloxoneKnownBy: ['My sister Ana'],
      overdoseStepsAreDefault: true,
      crisisContacts: [
        { kind: 'lifeline', phone: '988' },
        { kind: 'crisis_line', name: 'County crisis line', phone: '555-0100' },
        { kind: 'personal', name: 'Ana (sister)', phone: '(555) 010-0199' },
      ],
    });
  });

  test('edited again: two versions, the first still readable', async () => {
    await page.setViewportSize(PHONE);
    await card('Safety plan').getByRole('link', { name: 'Edit (the safety plan)' }).click();
    await heading(page, 'Safety plan');
    expect(await page.getByLabel('Who knows 1').inputValue()).toBe('My sister Ana');
    await page.getByRole('button', { name: 'Add someone who knows' }).click();
    await page.getByLabel('Who knows 2').fill('Coach Sam');
    await check(page, 'coping-safety-edit');
    await page.getByRole('button', { name: 'Save the plan' }).click();
    await heading(page, /Avery/);
    await page.getByText('Safety plan saved.').waitFor();
    await card('Safety plan').getByText(/^Version 2, saved /).waitFor();

    await page.setViewportSize(PHONE);
    await card('Safety plan').getByRole('link', { name: 'Earlier versions (the safety plan)' }).click();
    await heading(page, 'Safety plan: versions');
    const items = page.locator('ul.record-list > li');
    await items.first().getByRole('link', { name: 'View version 2' }).waitFor();
    await items.first().getByText('Current').waitFor();
    await items.nth(1).getByRole('link', { name: 'View version 1' }).waitFor();
    expect(await items.count()).toBe(2);
    await check(page, 'coping-safety-versions');

    await page.getByRole('link', { name: 'View version 1' }).click();
    await heading(page, 'Safety plan: version 1');
    await page.getByText(/^An earlier version, read only\./).waitFor();
    await page.getByText('My sister Ana').waitFor();
    expect(await page.getByText('Coach Sam').count()).toBe(0);
    expect(await page.getByRole('textbox').count()).toBe(0);
    await check(page, 'coping-safety-version-1');
  });

  test('the Spanish printable copy: 988 in Spanish first, the Spanish steps after an overdose', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(participantUrl);
    await heading(page, /Avery/);
    await card('Safety plan').getByRole('link', { name: 'Printable copy in Spanish (the safety plan)' }).click();
    await heading(page, 'Safety plan: printable copy');
    const doc = page.locator('article.printable-safety[lang="es"]');
    await doc.getByRole('heading', { name: 'Mi plan de seguridad' }).waitFor();
    const crisis = doc.locator('.printable-crisis li');
    expect(await crisis.first().innerText()).toMatch(/^988 Línea de Prevención del Suicidio y Crisis/);
    await crisis.nth(1).getByText('County crisis line: 555-0100').waitFor();
    await doc.getByText('Tengo naloxona conmigo o en casa.').waitFor();
    await doc.getByText('Quién sabe dónde está: My sister Ana, Coach Sam').waitFor();
    await doc.getByRole('heading', { name: 'Qué hacer después de una sobredosis' }).waitFor();
    const steps = doc.locator('.printable-steps li');
    expect(await steps.first().innerText()).toBe('Llame al 911.');
    await steps.getByText(/^Dé naloxona \(Narcan\)/).waitFor();
    // The interface stays in English, and the language choice is in the address.
    await page.getByRole('button', { name: 'Print' }).waitFor();
    expect(new URL(page.url()).searchParams.get('language')).toBe('es');
    await check(page, 'coping-safety-print-es');

    await page.getByRole('radio', { name: 'English' }).check();
    await page.locator('article.printable-safety[lang="en"]').locator('.printable-steps li').first().getByText('Call 911.').waitFor();
  });

  test('a save that meets someone else’s change is refused (409): their plan is reloaded, mine stays visible', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(participantUrl);
    await heading(page, /Avery/);
    await card('Safety plan').getByRole('link', { name: 'Edit (the safety plan)' }).click();
    await heading(page, 'Safety plan');
    await page.getByLabel('Who knows 2').fill('Coach Sam, in the office');

    // Someone else saves a change while this coach edits.
    const current = await api<SafetyPlan>(page, 'GET', `/api/v1/participants/${participantId}/safety-plan`);
    await api(page, 'PUT', `/api/v1/participants/${participantId}/safety-plan`, {
      version: current.version,
      crisisContacts: current.crisisContacts,
      naloxoneOnHand: 'no',
      naloxoneKnownBy: ['My sister Ana'],
      overdoseSteps: null,
    });
    await page.getByRole('button', { name: 'Save the plan' }).click();
    await page.getByText(/^Someone else changed this plan while you were editing/).waitFor();
    expect(await page.getByRole('radio', { name: 'No', exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel('Who knows 2').count()).toBe(0);
    // What this coach had typed is still there to see (not saved).
    await page.getByText('Show what you had entered (not saved)').click();
    await page.locator('.coping-draft').getByText('Coach Sam, in the office').waitFor();
    await check(page, 'coping-safety-conflict');
    const after = await api<SafetyPlan>(page, 'GET', `/api/v1/participants/${participantId}/safety-plan`);
    expect(after).toMatchObject({ planVersion: 3, naloxoneOnHand: 'no', naloxoneKnownBy: ['My sister Ana'] });

    // Saving now goes on top of their version.
    await page.getByRole('button', { name: 'Add someone who knows' }).click();
    await page.getByLabel('Who knows 2').fill('Coach Sam, in the office');
    await page.getByRole('button', { name: 'Save the plan' }).click();
    await heading(page, /Avery/);
    await page.getByText('Safety plan saved.').waitFor();
    const last = await api<SafetyPlan>(page, 'GET', `/api/v1/participants/${participantId}/safety-plan`);
    expect(last).toMatchObject({ planVersion: 4, naloxoneOnHand: 'no', naloxoneKnownBy: ['My sister Ana', 'Coach Sam, in the office'] });
  });

  test('a cravings-and-triggers plan in the participant’s words, and its printable copy', async () => {
    await page.setViewportSize(PHONE);
    await card('Cravings and triggers plan').getByRole('link', { name: 'Make the plan (the cravings and triggers plan)' }).click();
    await heading(page, 'Cravings and triggers plan');
    await page.getByRole('button', { name: 'Add a trigger' }).click();
    await page.getByLabel('Trigger 1').fill('Payday on Fridays');
    await page.getByRole('button', { name: 'Add a trigger' }).click();
    await page.getByLabel('Trigger 2').fill('Driving past the old block');
    await page.getByRole('button', { name: 'Add something that helps' }).click();
    await page.getByLabel('Thing that helps 1').fill('A walk by the river');
    await page.getByRole('button', { name: 'Add a person to call' }).click();
    const rosa = page.getByRole('group', { name: 'Person 1' });
    await rosa.getByLabel('Name').fill('Rosa, my sponsor');
    await rosa.getByLabel('Phone number').fill('555 0142');
    await page.getByRole('button', { name: 'Add a reason' }).click();
    await page.getByLabel('Reason 1').fill('My daughter');
    // Removing an entry takes it out and leaves the cursor on the list's Add button.
    await page.getByRole('button', { name: 'Remove Trigger 2' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Add a trigger');
    await check(page, 'coping-coping-edit');
    await page.getByRole('button', { name: 'Save the plan' }).click();
    await heading(page, /Avery/);
    await page.getByText('Cravings and triggers plan saved.').waitFor();
    const c = card('Cravings and triggers plan');
    await c.getByText(/^Version 1, saved /).waitFor();
    await c.getByText('Payday on Fridays').waitFor();
    expect(await c.getByText('Driving past the old block').count()).toBe(0);
    await c.getByRole('link', { name: 'Call Rosa, my sponsor: 555 0142' }).waitFor();
    await check(page, 'coping-section');

    await page.setViewportSize(PHONE);
    await card('Cravings and triggers plan').getByRole('link', { name: 'Printable copy in English (the cravings and triggers plan)' }).click();
    await heading(page, 'Cravings and triggers plan: printable copy');
    const doc = page.locator('article.printable-coping[lang="en"]');
    await doc.getByRole('heading', { name: 'My plan for cravings and triggers' }).waitFor();
    await doc.getByRole('region', { name: 'People I can call' }).getByText('Rosa, my sponsor: 555 0142').waitFor();
    await doc.getByRole('region', { name: 'Safe places I can go' }).getByText('Nothing written yet.').waitFor();
    await check(page, 'coping-coping-print');
  });
});

/**
 * A closed-loop referral, end to end (issue 5, "Done when"): an administrator links a partner
 * account to a Medicaid buprenorphine clinic with openings near a site; on her phone a coach finds
 * that clinic in the directory, refers a participant whose consent covers treating providers,
 * is told in words when she picks information the consent does not cover, and sends it; the
 * clinic's partner user sees it in the inbox, reads the notice that came with it, accepts it and
 * confirms the person came and started medication; the participant's timeline shows the linkage.
 * Pages are checked with axe at phone and desktop sizes.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserProblems, closeBrowser, forgetEverything, newPage, DESKTOP, PHONE } from './support/browser.js';
import { api, checkAccessibility as check, heading, signIn, signOut, localToday } from './support/lodestar.js';
import { screenshotOnFailure } from './support/failures.js';

const { url: base, setupLink } = inject('lodestar').referrals;

const admin = { name: 'Morgan Ellis', email: 'morgan.ellis@riverside.example', password: 'meadow copper lantern forty' };
const coach = { name: 'Dana Brooks', email: 'dana.brooks@riverside.example', password: 'orchard pebble harbor twenty' };
const partner = { name: 'Sam Okafor', email: 'sam.okafor@harbor.example', password: 'willow anchor river seventy' };

const CLINIC = 'Harbor Recovery Medicine';
const SERVICE = 'Same-day buprenorphine starts';
// The site, and places north of it (0.01° of latitude is about 1.1 km).
const SITE = { latitude: 40.27, longitude: -76.88 };
const north = (km: number) => ({ latitude: SITE.latitude + km / 111.2, longitude: SITE.longitude });

let page: Page;
let serviceUrl = '';
let participantUrl = '';
let referralUrl = '';
/** Services whose openings the coach reports (capacity is reported by those who work with the places). */
const withOpenings: string[] = [];

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

async function addUser(person: { name: string; email: string; password: string }, role: string): Promise<string> {
  const created = await api<{ user: { id: string }; setPasswordLink: { url: string } }>(page, 'POST', '/api/v1/users', { email: person.email, displayName: person.name, roles: [role] });
  const token = new URL(created.setPasswordLink.url).hash.replace(/^#token=/, '');
  await api(page, 'POST', '/api/v1/auth/reset-password', { token, password: person.password });
  return created.user.id;
}

describe('closed-loop referrals', () => {
  test('setting up: a site on the map, a coach, a partner account, and buprenorphine clinics near the site', async () => {
    await page.goto(setupLink);
    await page.getByLabel('Organization name').fill('Riverside Recovery Network');
    await page.getByLabel('Your name').fill(admin.name);
    await page.getByLabel('Your email address').fill(admin.email);
    await page.getByLabel('Create a password').fill(admin.password);
    await page.getByRole('button', { name: 'Set up Lodestar' }).click();
    await heading(page, new RegExp(admin.name));
    const org = await api<{ version: number }>(page, 'GET', '/api/v1/organization');
    await api(page, 'PATCH', '/api/v1/organization', { version: org.version, timeZone: 'America/Chicago' });
    const coachId = await addUser(coach, 'coach');
    await addUser(partner, 'partner');
    const program = await api<{ id: string }>(page, 'POST', '/api/v1/programs', { name: 'River Bridge', description: null });
    const site = await api<{ id: string }>(page, 'POST', '/api/v1/sites', { name: 'Mercy Hospital ED', kind: 'emergency_department', programId: program.id });
    await api(page, 'POST', '/api/v1/teams', { name: 'Day team', siteId: site.id, supervisorUserId: null, memberUserIds: [coachId] });
    await api(page, 'PUT', `/api/v1/directory/sites/${site.id}/point`, SITE);

    const add = async (name: string, km: number, service: Record<string, unknown>) => {
      const o = await api<{ id: string }>(page, 'POST', '/api/v1/directory/organizations', { name, type: 'treating_provider', phones: [{ number: '555-0142' }] });
      const loc = await api<{ id: string }>(page, 'POST', '/api/v1/directory/locations', { directoryOrganizationId: o.id, address1: `${km * 100} Market St`, city: 'Alder Falls', stateProvince: 'PA', postalCode: '17001', ...north(km) });
      return api<{ id: string }>(page, 'POST', '/api/v1/directory/services', { directoryOrganizationId: o.id, locationIds: [loc.id], serviceTypes: ['buprenorphine'], acceptingNew: true, ...service });
    };
    const clinic = await add(CLINIC, 2, { name: SERVICE, insurance: ['medicaid', 'private'], serviceTypes: ['buprenorphine', 'same_day_induction'] });
    serviceUrl = `${base}/directory/services/${clinic.id}`;
    // Nearer, Medicaid, but no openings reported; and one with openings that does not take Medicaid.
    await add('Keystone Family Health', 1, { name: 'Keystone MOUD clinic', insurance: ['medicaid'] });
    withOpenings.push(clinic.id, (await add('Summit Addiction Medicine', 0.5, { name: 'Summit buprenorphine clinic', insurance: ['private'] })).id);
  });

  test('the administrator links the partner account to the clinic on its directory entry', async () => {
    await page.goto(serviceUrl);
    await heading(page, SERVICE);
    const box = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Partner accounts' }) });
    await box.getByText('No partner account receives referrals for this organization.').waitFor();
    // An administrator makes no referrals.
    await expect.poll(() => page.getByRole('link', { name: 'Refer a participant' }).count()).toBe(0);
    await box.getByRole('button', { name: 'Link account' }).click();
    await box.getByRole('link', { name: 'Choose an account' }).waitFor();
    await box.getByLabel('Link a partner account').selectOption({ label: `${partner.name} (${partner.email})` });
    await box.getByRole('button', { name: 'Link account' }).click();
    await box.getByText(`${partner.name} now receives referrals for ${CLINIC}.`).waitFor();
    await box.getByRole('button', { name: `Unlink ${partner.name}` }).waitFor();
    await check(page, 'referrals-partner-accounts');

    // Next to the organization's settings: after how many days an unanswered referral becomes a follow-up.
    await page.goto(`${base}/admin/organization`);
    const settings = page.getByRole('region', { name: 'Referrals' });
    const days = settings.getByLabel('Follow up after how many days?');
    await expect.poll(() => days.inputValue()).toMatch(/^\d+$/);
    await days.fill('0');
    await settings.getByRole('button', { name: 'Save' }).click();
    await settings.getByRole('link', { name: 'Enter whole days from 1 to 90' }).waitFor();
    await days.fill('5');
    await settings.getByRole('button', { name: 'Save' }).click();
    await settings.getByText('Referral settings saved.').waitFor();
    await check(page, 'referrals-settings');
    await signOut(page);
  });

  test('on a phone, the coach finds the Medicaid buprenorphine clinic with openings near the site and refers a participant', async () => {
    await freshPage(PHONE);
    await signIn(page, base, coach.email, coach.password);
    await heading(page, new RegExp(coach.name));
    const today = localToday();
    const person = await api<{ id: string }>(page, 'POST', '/api/v1/participants', { firstName: 'Jamie', lastName: 'Ortiz', programId: (await api<{ programs: { id: string }[] }>(page, 'GET', '/api/v1/programs')).programs[0]!.id, siteId: (await api<{ sites: { id: string }[] }>(page, 'GET', '/api/v1/sites')).sites[0]!.id });
    participantUrl = `${base}/participants/${person.id}`;
    for (const id of withOpenings) await api(page, 'POST', `/api/v1/directory/services/${id}/capacity`, { slotsOpen: 3 });
    // A consent for treatment, payment and operations naming "my treating providers": contact details and MOUD.
    await api(page, 'POST', `/api/v1/participants/${person.id}/consents`, {
      kind: 'disclosure_tpo',
      categories: ['demographics_contact', 'moud'],
      recipients: [{ kind: 'class', class: 'treating_providers' }],
      purposes: ['treatment', 'payment', 'operations'],
      rightToRevokeExplained: true,
      redisclosureStatementGiven: true,
      refusalConsequencesExplained: true,
      expirationEvent: 'none',
      signedOn: today,
      formLanguage: 'en',
      signature: { method: 'typed', data: 'Jamie Ortiz', attested: true, signerRole: 'participant', signerName: 'Jamie Ortiz' },
    });

    await page.goto(`${base}/directory`);
    await heading(page, 'Find a service');
    await expect.poll(() => page.getByLabel('Site', { exact: true }).inputValue()).not.toBe('');
    await page.getByRole('checkbox', { name: 'Buprenorphine prescriber' }).check();
    await page.getByRole('checkbox', { name: 'Medicaid' }).check();
    await page.getByRole('checkbox', { name: 'Has beds or slots open' }).check();
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const results = page.locator('.directory-result');
    await expect.poll(() => results.count()).toBe(1);
    await expect.poll(() => results.nth(0).innerText()).toContain('2.0 km');
    await results.nth(0).getByRole('link', { name: SERVICE }).click();
    await heading(page, SERVICE);

    await page.getByRole('link', { name: 'Refer a participant' }).click();
    await heading(page, 'New referral');
    await page.getByText(CLINIC).first().waitFor();
    await check(page, 'referrals-new');

    // Sending without choosing anything names what is missing.
    await page.getByRole('button', { name: 'Log referral' }).click();
    await page.getByRole('link', { name: 'Choose who is being referred' }).waitFor();
    await page.getByRole('link', { name: 'Say why you are referring' }).waitFor();

    await page.getByLabel('Find the participant').fill('Jamie');
    await page.getByRole('button', { name: 'Choose Jamie Ortiz' }).click();
    await page.getByRole('button', { name: 'Choose someone else' }).waitFor();
    await page.getByLabel('Why are you referring?').fill('Wants to start buprenorphine this week');
    await page.getByRole('radio', { name: 'Urgent' }).check();
    await page.getByLabel(/Notes for the receiver/).fill('Best reached in the morning');
    await page.getByRole('radio', { name: `Send to ${CLINIC} through Lodestar` }).check();
    await page.getByRole('checkbox', { name: 'Name, date of birth and contact details' }).check();
    // The consent does not cover the recovery plan: the gate refuses, and says why in words.
    await page.getByRole('checkbox', { name: 'Recovery plan' }).check();
    await page.getByRole('button', { name: 'Send referral' }).click();
    await page.getByRole('heading', { name: 'This referral cannot be sent yet' }).waitFor();
    await page.getByText('The consent for this organization does not cover everything you chose to share.').waitFor();
    await page.getByText('Not covered: Recovery plan.').waitFor();
    expect(await page.getByRole('link', { name: 'Record a consent' }).getAttribute('href')).toBe(`/participants/${person.id}/consents/new`);
    await check(page, 'referrals-new-refused');

    await page.getByRole('checkbox', { name: 'Recovery plan' }).uncheck();
    await page.getByRole('button', { name: 'Send referral' }).click();
    await heading(page, CLINIC);
    referralUrl = page.url();
    expect(referralUrl).toMatch(/\/referrals\/[0-9a-f-]{36}$/);
    await page.getByText('Referral sent.').waitFor();
    // Five days to an outcome, as the administrator set.
    const followUp = await page.evaluate(() => new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'America/Chicago' }).format(new Date(Date.now() + 5 * 86_400_000)));
    await page.locator('.summary-list-row', { hasText: 'Follow up on' }).getByText(followUp).waitFor();
    await page.locator('.summary-list').getByText('Requested', { exact: true }).waitFor();
    const shared = page.getByRole('region', { name: 'What was shared' });
    await shared.getByText('Wants to start buprenorphine this week').waitFor();
    await expect.poll(() => shared.locator('blockquote').innerText()).toMatch(/42 CFR part 2/);
    await check(page, 'referrals-sent');
    await signOut(page);
  });

  test('the partner user sees it in the inbox, reads the notice, accepts it and confirms the person came', async () => {
    await freshPage(DESKTOP);
    await signIn(page, base, partner.email, partner.password);
    // The inbox is a partner's start page; nothing of the program's record is offered.
    await heading(page, `Referrals to ${CLINIC}`);
    await page.getByRole('link', { name: 'Partner inbox' }).first().waitFor();
    await expect.poll(() => page.getByRole('link', { name: /^(Participants|Today)$/ }).count()).toBe(0);
    await page.getByText('New: 1 · Accepted: 0 · In progress: 0').waitFor();
    await check(page, 'referrals-inbox');
    await page.getByRole('link', { name: 'Jamie Ortiz' }).click();
    await heading(page, SERVICE);
    await page.getByText('Wants to start buprenorphine this week').first().waitFor();
    await page.getByText('Best reached in the morning').first().waitFor();
    const shared = page.getByRole('region', { name: 'What was shared' });
    await expect.poll(() => shared.locator('blockquote').innerText()).toMatch(/42 CFR part 2/);
    await check(page, 'referrals-partner-referral');

    await page.getByRole('button', { name: 'Accept', exact: true }).click();
    await page.getByText('Referral accepted.').waitFor();
    await page.locator('.summary-list').getByText('Accepted', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Confirm attendance' }).click();
    const attendance = page.getByRole('group', { name: 'Confirm attendance' });
    await attendance.getByRole('button', { name: 'Confirm', exact: true }).click();
    await page.getByRole('link', { name: 'Say whether the person came' }).waitFor();
    await attendance.getByRole('radio', { name: 'Yes, the person came' }).check();
    await attendance.getByRole('checkbox', { name: 'The person started medication at this visit' }).check();
    await check(page, 'referrals-partner-attendance');
    await attendance.getByRole('button', { name: 'Confirm', exact: true }).click();
    await page.getByText('Attendance confirmed.').waitFor();
    await page.locator('.summary-list').getByText('Completed', { exact: true }).waitFor();
    // Closed: nothing more to answer, and the inbox's open view is empty.
    await expect.poll(() => page.getByRole('heading', { name: 'Answer this referral' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Back to the inbox' }).click();
    await page.getByText('No referrals here.').waitFor();
    await page.getByRole('link', { name: 'Closed', exact: true }).click();
    await page.getByRole('link', { name: 'Jamie Ortiz' }).waitFor();
    await signOut(page);
  });

  test('the coach sees the loop closed: completed, linked to care, and the linkage on the timeline', async () => {
    await freshPage(PHONE);
    await signIn(page, base, coach.email, coach.password);
    await heading(page, new RegExp(coach.name));
    await page.goto(participantUrl);
    await heading(page, /Jamie/);
    const referrals = page.getByRole('region', { name: 'Referrals' });
    await referrals.getByText('Completed', { exact: true }).waitFor();
    await expect.poll(() => referrals.getByRole('link', { name: new RegExp(CLINIC) }).getAttribute('href')).toBe(new URL(referralUrl).pathname);
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline.getByText(`Linked to care at ${CLINIC} (started medication)`).waitFor();
    await check(page, 'referrals-participant');

    await page.goto(referralUrl);
    await heading(page, CLINIC);
    const linkage = page.getByRole('region', { name: 'Linkage to care' });
    await linkage.getByText(/Started medication \(MOUD\) on/).waitFor();
    await linkage.getByText('Source: The receiving organization confirmed it').waitFor();
    const history = page.getByRole('region', { name: 'History' });
    await history.getByText('Requested → Accepted').waitFor();
    await history.getByText('The person came').waitFor();
    await check(page, 'referrals-closed');
  });

  test('a second referral: the partner books the first visit, and cannot confirm attendance before it', async () => {
    const participantId = new URL(participantUrl).pathname.split('/').pop()!;
    const serviceId = new URL(serviceUrl).pathname.split('/').pop()!;
    await api(page, 'POST', `/api/v1/participants/${participantId}/referrals`, { directoryServiceId: serviceId, reason: 'Counseling alongside medication', send: true, categories: ['demographics_contact'] });
    await signOut(page);
    await freshPage(PHONE);
    await signIn(page, base, partner.email, partner.password);
    await heading(page, `Referrals to ${CLINIC}`);
    await page.getByRole('link', { name: 'Jamie Ortiz' }).click();
    await heading(page, SERVICE);
    await page.getByText('Counseling alongside medication').first().waitFor();
    await page.getByRole('button', { name: 'Accept', exact: true }).click();
    await page.getByText('Referral accepted.').waitFor();
    await page.getByRole('button', { name: 'Book the first visit' }).click();
    const book = page.getByRole('group', { name: 'Book the first visit' });
    const tomorrow = await page.evaluate(() => {
      const d = new Date(Date.now() + 86_400_000);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    });
    await book.getByLabel('Date').fill(tomorrow);
    await book.getByLabel('Time').fill('09:30');
    await book.getByLabel(/Place/).fill('Harbor Recovery Medicine, 200 Market St');
    await check(page, 'referrals-partner-book');
    await book.getByRole('button', { name: 'Book visit' }).click();
    await page.getByText('First visit booked.').waitFor();
    await page.locator('.summary-list').getByText('In progress', { exact: true }).waitFor();
    await page.locator('.summary-list').getByText('Harbor Recovery Medicine, 200 Market St').waitFor();
    // The visit is tomorrow: saying the person came is refused, next to the question.
    await page.getByRole('button', { name: 'Confirm attendance' }).click();
    const attendance = page.getByRole('group', { name: 'Confirm attendance' });
    await attendance.getByRole('radio', { name: 'Yes, the person came' }).check();
    await attendance.getByRole('button', { name: 'Confirm', exact: true }).click();
    await page.getByRole('link', { name: /has not started yet/ }).waitFor();
    await page.locator('.summary-list').getByText('In progress', { exact: true }).waitFor();
  });
});

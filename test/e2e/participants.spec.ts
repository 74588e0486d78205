/**
 * The participant journey on a phone at the bedside and at a supervisor's desk: a coach does a
 * brief intake with verbal consent to follow-up, is asked "Is this the same person?" when
 * entering the same person twice, finds them in the caseload and by search, completes the full
 * intake later; a supervisor reassigns the episode to a second coach, who then has them in their
 * caseload. Every new page is checked with axe at phone and desktop sizes. The tests build on
 * each other and run in order; the organization, people and teams are made through the API.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserProblems, closeBrowser, forgetEverything, newPage, PHONE, DESKTOP } from './support/browser.js';
import { api, checkAccessibility as check, heading, signIn, signOut } from './support/lodestar.js';
import { screenshotOnFailure } from './support/failures.js';
import './support/context.js';

const { url: base, setupLink } = inject('lodestar').participants;

const admin = { name: 'Robin Hale', email: 'robin.hale@bayside.example', password: 'granite willow harbor sixty' };
const supervisor = { name: 'Dana Brooks', email: 'dana.brooks@bayside.example', password: 'lemon parcel quiet ninety' };
const coach = { name: 'Sam Okafor', email: 'sam.okafor@bayside.example', password: 'copper meadow kite seven' };
const secondCoach = { name: 'Taylor Kim', email: 'taylor.kim@bayside.example', password: 'violet tunnel maple forty' };

type Created = { id: string };

let page: Page;
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

/** Start again signed out, in a fresh tab at the given size. */
async function freshPage(size: { width: number; height: number }): Promise<void> {
  await page.close();
  await forgetEverything();
  page = await newPage();
  await page.setViewportSize(size);
}

async function signInAs(person: { name: string; email: string; password: string }): Promise<void> {
  await signIn(page, base, person.email, person.password);
  await heading(page, new RegExp(person.name));
}

const mainNav = () => page.getByRole('navigation', { name: 'Main' });

describe('setting up', () => {
  test('an administrator, a program, a site, and a team with a supervisor and two coaches', async () => {
    await page.goto(setupLink);
    await page.getByLabel('Organization name').fill('Bayside Recovery Partners');
    await page.getByLabel('Your name').fill(admin.name);
    await page.getByLabel('Your email address').fill(admin.email);
    await page.getByLabel('Create a password').fill(admin.password);
    await page.getByRole('button', { name: 'Set up Lodestar' }).click();
    await heading(page, new RegExp(admin.name));

    const userIds: string[] = [];
    for (const [person, role] of [[supervisor, 'supervisor'], [coach, 'coach'], [secondCoach, 'coach']] as const) {
      const created = await api<{ user: Created; setPasswordLink: { url: string } }>(page, 'POST', '/api/v1/users', { email: person.email, displayName: person.name, roles: [role] });
      const token = new URL(created.setPasswordLink.url).hash.replace(/^#token=/, '');
      await api(page, 'POST', '/api/v1/auth/reset-password', { token, password: person.password });
      userIds.push(created.user.id);
    }
    const [supervisorId, coachId, secondCoachId] = userIds;
    const program = await api<Created>(page, 'POST', '/api/v1/programs', { name: 'ED Bridge Program', description: null });
    const site = await api<Created>(page, 'POST', '/api/v1/sites', { name: 'Mercy Hospital ED', kind: 'emergency_department', programId: program.id });
    await api(page, 'POST', '/api/v1/teams', { name: 'Night team', siteId: site.id, supervisorUserId: supervisorId, memberUserIds: [coachId, secondCoachId] });
    await signOut(page);
  });
});

describe('a coach at the bedside, on a phone', () => {
  test('the coach opens Participants and sees an empty caseload', async () => {
    await freshPage(PHONE);
    await signInAs(coach);
    await mainNav().getByRole('link', { name: 'Participants' }).click();
    await heading(page, 'Participants');
    await page.getByText('Nobody is on your caseload yet').waitFor();
    // The next action is under the thumb, above the bottom navigation.
    const start = page.getByRole('link', { name: 'Start brief intake' });
    const box = await start.boundingBox();
    expect(box && box.y + box.height).toBeGreaterThan(PHONE.height - 140);
    await check(page, 'participants-caseload-empty');
  });

  test('a brief intake with verbal consent to follow-up, on one screen', async () => {
    await page.setViewportSize(PHONE);
    await page.getByRole('link', { name: 'Start brief intake' }).click();
    await heading(page, 'Brief intake');
    await check(page, 'participants-brief-intake');
    await page.setViewportSize(PHONE);

    // Nothing filled in: the error summary says what to do.
    await page.getByRole('button', { name: 'Save brief intake' }).click();
    await page.getByRole('link', { name: 'Enter a first name or an alias' }).waitFor();
    await page.getByRole('link', { name: 'Choose yes or no: do they agree to be contacted for follow-up?' }).waitFor();
    expect(await page.title()).toBe('Error: Brief intake – Lodestar');
    await check(page, 'participants-brief-intake-with-errors');
    await page.setViewportSize(PHONE);

    await fillBriefIntake();
    await page.getByRole('button', { name: 'Save brief intake' }).click();
    await heading(page, 'Jamie Rivera');
    participantUrl = page.url();
    expect(new URL(participantUrl).pathname).toMatch(/^\/participants\/[0-9a-f-]{36}$/);
    // A name never goes in the title.
    expect(await page.title()).toBe('Participant – Lodestar');
    await page.getByText('The brief intake is saved.').waitFor();
    await page.getByRole('heading', { name: 'Brief intake — complete the full intake' }).waitFor();
    await page.getByText('Agreed to be contacted for follow-up').waitFor();
    await page.getByText('(555) 201-3344').waitFor();
    await page.locator('.record-facts').getByText(coach.name).waitFor();
    await check(page, 'participants-profile-brief');
  });

  test('entering the same person again asks "Is this the same person?", and opens the existing record', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${base}/participants/new`);
    await heading(page, 'Brief intake');
    await fillBriefIntake();
    await page.getByRole('button', { name: 'Save brief intake' }).click();
    await page.getByRole('heading', { name: 'Is this the same person?' }).waitFor();
    await page.getByText('Born 1990-05-12').waitFor();
    await check(page, 'participants-brief-intake-duplicates');
    await page.setViewportSize(PHONE);
    await page.getByRole('link', { name: 'Open Jamie Rivera' }).click();
    await heading(page, 'Jamie Rivera');
    expect(page.url()).toBe(participantUrl);
  });

  test('the coach finds the person in the caseload and by search (the terms never in the address)', async () => {
    await page.setViewportSize(PHONE);
    await mainNav().getByRole('link', { name: 'Participants' }).click();
    await heading(page, 'Participants');
    // The caseload shows the name they go by, with their last name.
    await page.getByRole('list', { name: 'Your caseload' }).getByRole('link', { name: 'Jamie Rivera', exact: true }).waitFor();
    await check(page, 'participants-caseload');
    await page.setViewportSize(PHONE);

    const searched = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/v1/participants/search');
    await page.getByLabel('Find a participant').fill('riv');
    const request = await searched;
    expect(request.method()).toBe('POST');
    expect(request.url()).not.toContain('riv');
    expect(request.postDataJSON()).toEqual({ query: 'riv' });
    await page.getByRole('list', { name: 'Search results' }).getByRole('link', { name: 'Jamie Rivera' }).waitFor();
    expect(page.url()).not.toContain('riv');
    await check(page, 'participants-search-results');
    await page.setViewportSize(PHONE);

    await page.getByLabel('Find a participant').fill('zzqx');
    await page.getByText('Nobody matches this').waitFor();

    await page.getByLabel('Find a participant').fill('1990-05-12');
    await page.getByRole('list', { name: 'Search results' }).getByRole('link', { name: 'Jamie Rivera' }).click();
    await heading(page, 'Jamie Rivera');
  });

  test('later, the coach completes the full intake', async () => {
    await page.setViewportSize(PHONE);
    await page.getByRole('link', { name: 'Complete the full intake' }).click();
    await heading(page, 'Full intake');
    await page.getByRole('heading', { name: 'Contact and safe-contact rules' }).waitFor();
    await check(page, 'participants-full-intake');
    await page.setViewportSize(PHONE);

    await page.getByLabel('Name they want to be called').fill('Jay');
    await page.getByLabel('Pronouns').fill('they/them');
    await page.getByLabel('It is safe to send text messages').check();
    await page.getByLabel('Safe times to contact them').fill('Weekdays after 5pm');
    await page.getByLabel('Name', { exact: true }).fill('Ana Rivera');
    await page.getByLabel('Relationship').fill('Sister');
    await page.getByLabel('Where they are living now').selectOption({ label: 'Without a home, in a shelter' });
    await page.getByLabel('Insurance', { exact: true }).selectOption({ label: 'Medicaid' });
    await page.getByLabel('Main substance').selectOption({ label: 'Fentanyl' });
    await page.getByRole('group', { name: 'Opioid use disorder' }).getByLabel('Yes').check();
    await page.getByLabel('Current medication for opioid use disorder').selectOption({ label: 'Buprenorphine' });
    await page.locator('#field-moudSource').selectOption({ label: 'verified by a clinician' });
    await page.getByLabel('Their recovery start date').fill('2026-01-15');
    await page.getByLabel('Prefer not to say').first().check();
    await page.getByLabel('Strengths and hopes').fill('Loves cooking; wants to see their daughter on weekends.');

    // A mistake first: the server's rule and ours agree on the ZIP code.
    await page.getByLabel('ZIP code').fill('021');
    await page.getByRole('button', { name: 'Save full intake' }).click();
    await page.getByRole('link', { name: 'Enter a ZIP code like 02118' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('field-zip');
    await page.getByLabel('ZIP code').fill('02118');
    await page.getByRole('button', { name: 'Save full intake' }).click();

    await heading(page, 'Jay Rivera');
    expect(await page.title()).toBe('Participant – Lodestar');
    await page.getByText('The details are saved.').waitFor();
    await page.getByText('Full intake', { exact: true }).waitFor();
    await page.getByText('Buprenorphine (Source: verified by a clinician)').waitFor();
    expect(await page.getByRole('heading', { name: 'Brief intake — complete the full intake' }).count()).toBe(0);
    await check(page, 'participants-profile-full');
  });
  test('someone else saved meanwhile: the coach reviews their change and saves their own over it', async () => {
    await page.setViewportSize(PHONE);
    const id = new URL(participantUrl).pathname.split('/').pop()!;
    await page.goto(`${participantUrl}/edit`);
    await heading(page, 'Full intake');
    const pronouns = page.getByLabel('Pronouns');
    await expect.poll(() => pronouns.inputValue()).toBe('they/them');
    // A colleague changes the record while this form is open.
    const current = await api<{ version: number }>(page, 'GET', `/api/v1/participants/${id}`);
    await api(page, 'PATCH', `/api/v1/participants/${id}`, { version: current.version, language: 'Spanish' });
    await page.getByLabel('Safe times to contact them').fill('Weekday mornings');
    await page.getByRole('button', { name: 'Save full intake' }).click();
    await page.getByRole('heading', { name: 'Someone else changed this' }).waitFor();
    // What this coach changed is shown next to the record as it is now: the safe times.
    await page.locator('.conflict').getByText('Weekdays after 5pm').first().waitFor();
    await check(page, 'participants-full-intake-conflict');
    await page.getByRole('button', { name: 'Save my changes instead' }).click();
    await heading(page, 'Jay Rivera');
    // The profile's contact details come first (the outreach panel below words the same rules too).
    await page.locator('dd', { hasText: 'Safe times: Weekday mornings' }).first().waitFor();
    // The colleague's change to another field is kept.
    await page.locator('dd', { hasText: 'Spanish' }).first().waitFor();
  });
});

describe('consent, the timeline and follow-ups, on the phone', () => {
  test('the bedside consent is on file; the coach records a consent to share with a clinic, signed with a finger', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(participantUrl);
    await heading(page, 'Jay Rivera');
    const consents = page.getByRole('region', { name: 'Consents' });
    await consents.getByRole('heading', { name: 'Taking part in the program' }).waitFor();
    await consents.getByRole('link', { name: 'Record consent' }).click();
    await heading(page, 'Record consent');

    // Saving with nothing chosen names what is missing.
    await page.getByRole('button', { name: 'Save consent' }).click();
    await page.getByRole('link', { name: 'Choose what the person is agreeing to' }).waitFor();
    await check(page, 'consents-new-with-errors');
    await page.setViewportSize(PHONE);

    await page.getByLabel('Sharing with named recipients').check();
    await page.getByLabel('Medication for opioid use disorder (MOUD)').check();
    await page.getByRole('button', { name: 'Add an organization' }).click();
    await page.getByRole('group', { name: 'Organization 1' }).getByLabel('Name').fill('Harbor Health Clinic');
    await page.getByRole('group', { name: 'Organization 1' }).getByLabel('Type of organization').selectOption({ label: 'Treating provider' });
    await page.getByLabel('Care coordination').check();
    await page.getByLabel('On a date').check();
    await page.getByLabel('End date').fill('2027-11-27');
    await page.getByLabel(/may revoke this consent at any time/).check();
    await page.getByLabel('Full name of the person signing').fill('Jamie Rivera');
    // A finger on the signature box: two strokes.
    const pad = page.getByRole('img', { name: 'Signature box' });
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    for (const [y0, y1] of [[0.3, 0.7], [0.7, 0.3]] as const) {
      await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * y0);
      await page.mouse.down();
      for (let i = 1; i <= 8; i++) await page.mouse.move(box.x + box.width * (0.1 + i * 0.1), box.y + box.height * (y0 + ((y1 - y0) * i) / 8));
      await page.mouse.up();
    }
    await page.getByLabel('I confirm this is my signature.').check();
    await page.getByRole('button', { name: 'Save consent' }).click();
    await heading(page, 'Jay Rivera');
    await page.getByText('Consent saved.').waitFor();
    await consents.getByRole('heading', { name: 'Sharing with named recipients' }).waitFor();
    await consents.getByText('Harbor Health Clinic').first().waitFor();
    await check(page, 'participants-profile-consents');
  });

  test('the printable consent, in Spanish whatever the interface language', async () => {
    await page.setViewportSize(PHONE);
    const consents = page.getByRole('region', { name: 'Consents' });
    await consents.getByRole('link', { name: /^Print/ }).first().click();
    await page.getByText('42 CFR part 2 prohibits unauthorized use or disclosure of these records.').first().waitFor();
    await page.getByLabel('Spanish').check();
    await page.getByText(/42 CFR/).first().waitFor();
    await check(page, 'consents-print');
    await page.setViewportSize(PHONE);
    await page.goBack();
    await heading(page, 'Jay Rivera');
  });

  test('the timeline shows the intake and the consents; the coach adds a follow-up and a life event', async () => {
    await page.setViewportSize(PHONE);
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline.getByText('Intake', { exact: true }).waitFor();
    // The bedside consent and the consent to share.
    await timeline.getByText('Consent recorded', { exact: true }).nth(1).waitFor();

    const followUps = page.getByRole('region', { name: 'Follow-ups' });
    await followUps.getByRole('button', { name: 'Add follow-up' }).click();
    await page.getByLabel('What to do').fill('Call after the clinic visit');
    await page.getByLabel('Due date').fill(new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10));
    await page.getByRole('button', { name: 'Save follow-up' }).click();
    await followUps.getByText('Call after the clinic visit').first().waitFor();

    await timeline.getByRole('button', { name: 'Add life event' }).click();
    await page.getByLabel('What happened').selectOption({ label: 'Emergency department visit' });
    await page.getByLabel('Date it happened').fill(new Date(Date.now() - 86_400_000).toISOString().slice(0, 10));
    await page.getByLabel('Where this came from').selectOption({ label: 'From records' });
    await page.getByRole('button', { name: 'Save life event' }).click();
    await timeline.getByText('Emergency department visit', { exact: true }).waitFor();
    await timeline.getByText('Follow-up added', { exact: true }).first().waitFor();
    // An emergency department visit starts the post-overdose follow-up plan: outreach steps appear.
    await followUps.getByText(/^Reach out: 24 hours after/).first().waitFor();
    await check(page, 'participants-profile-timeline');
  });
});

describe('a supervisor at a desk', () => {
  test('the supervisor reassigns the episode to the second coach, with a reason', async () => {
    await freshPage(DESKTOP);
    await signInAs(supervisor);
    await page.goto(participantUrl);
    await heading(page, 'Jay Rivera');
    await page.getByRole('button', { name: 'Reassign' }).click();
    await page.getByRole('heading', { name: 'Reassign to another coach' }).waitFor();
    await page.getByRole('button', { name: 'Reassign' }).click();
    await page.getByRole('link', { name: 'Choose the coach to reassign to' }).waitFor();
    await check(page, 'participants-reassign-with-errors');

    await page.getByLabel('New coach').selectOption({ label: secondCoach.name });
    await page.getByLabel('Why are you reassigning?').fill('Caseload balance: Sam is on leave next month.');
    await page.getByRole('button', { name: 'Reassign' }).click();
    await page.getByText(`Reassigned to ${secondCoach.name}.`).waitFor();
    await page.locator('.record-facts').getByText(secondCoach.name).waitFor();
    await check(page, 'participants-profile-reassigned');
  });
});

describe('after reassigning', () => {
  test('the second coach has the person in their caseload', async () => {
    await freshPage(PHONE);
    await signInAs(secondCoach);
    await mainNav().getByRole('link', { name: 'Participants' }).click();
    await heading(page, 'Participants');
    await page.getByRole('list', { name: 'Your caseload' }).getByRole('link', { name: 'Jay Rivera', exact: true }).click();
    await heading(page, 'Jay Rivera');
  });

  test('the first coach no longer sees them, and is told to ask their supervisor', async () => {
    await freshPage(PHONE);
    await signInAs(coach);
    await page.goto(participantUrl);
    await heading(page, 'Participant');
    await page.getByRole('heading', { name: 'This person is not on your caseload or your team' }).waitFor();
    expect(await page.getByText('Jay Rivera').count()).toBe(0);
    await check(page, 'participants-out-of-scope');
  });

  test('in an emergency the first coach breaks the glass with a reason, and sees that access is temporary', async () => {
    await page.setViewportSize(PHONE);
    await page.getByRole('button', { name: 'I need access now' }).click();
    await page.getByRole('button', { name: 'Open the record for 60 minutes' }).click();
    await page.getByRole('link', { name: 'Say why you need this record now' }).waitFor();
    await check(page, 'participants-break-glass-with-errors');
    await page.setViewportSize(PHONE);
    await page.getByLabel('Why do you need this record now?').fill('Paged to the ED for this person; their coach is off shift tonight.');
    await page.getByRole('button', { name: 'Open the record for 60 minutes' }).click();
    await heading(page, 'Jay Rivera');
    await page.getByText('You opened this record with emergency access.', { exact: false }).waitFor();
    await check(page, 'participants-profile-break-glass');
  });

  test('entering them again, the first coach learns a match exists that they cannot see', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${base}/participants/new`);
    await heading(page, 'Brief intake');
    await fillBriefIntake();
    await page.getByRole('button', { name: 'Save brief intake' }).click();
    await page.getByText('A possible match exists that you cannot see; ask your supervisor.').waitFor();
    expect(await page.getByRole('link', { name: /^Open / }).count()).toBe(0);
    await check(page, 'participants-brief-intake-out-of-scope-match');
  });
});

describe('contacts, the ED visit and outreach, on the phone', () => {
  let alexUrl = '';

  test('at the bedside: the ED visit on a phone, ending with the follow-up plan on the coach\'s today view', async () => {
    await freshPage(PHONE);
    await signInAs(secondCoach);
    await page.goto(participantUrl);
    await heading(page, 'Jay Rivera');
    await page.getByRole('link', { name: 'Start ED visit' }).click();
    await heading(page, 'ED visit');
    await page.getByRole('button', { name: 'Now – You were asked to come' }).click();
    await page.getByRole('button', { name: 'Now – You arrived at the bedside' }).click();
    await page.getByText(/^Response time: \d+ minutes?$/).waitFor();
    // Each answer saves as it is given, and shows once saved.
    for (const question of ['Was this visit for an overdose?', 'Was naloxone given?']) {
      const yes = page.getByRole('group', { name: question }).getByLabel('Yes');
      await yes.click();
      await expect.poll(() => yes.isChecked()).toBe(true);
    }
    await check(page, 'ed-visit-bedside');
    await page.setViewportSize(PHONE);
    await page.getByRole('button', { name: 'Complete visit' }).click();
    await heading(page, 'ED visit completed');
    await page.getByRole('heading', { name: 'Follow-up plan' }).waitFor();
    await check(page, 'ed-visit-completed');
    await page.setViewportSize(PHONE);

    // The plan's steps are on the coach's today view, under what is coming up.
    await mainNav().getByRole('link', { name: 'Today' }).click();
    const today = page.getByRole('region', { name: 'Today' });
    await today.getByRole('heading', { name: 'Coming up this week' }).waitFor();
    await today.getByText(/Reach out: 24 hours after/).first().waitFor();
    await check(page, 'today-with-follow-up-plan');
  });

  test('three attempts over two channels that do not reach someone lead to the unreachable proposal', async () => {
    await page.setViewportSize(PHONE);
    const { programs } = await api<{ programs: Created[] }>(page, 'GET', '/api/v1/programs');
    const { sites } = await api<{ sites: Created[] }>(page, 'GET', '/api/v1/sites');
    const alex = await api<Created>(page, 'POST', '/api/v1/participants', {
      firstName: 'Alex',
      lastName: 'Moreno',
      consentToFollowUp: true,
      consentWitnessName: 'Nurse Patel',
      programId: programs[0]!.id,
      siteId: sites[0]!.id,
    });
    alexUrl = `${base}/participants/${alex.id}`;
    await page.goto(alexUrl);
    await heading(page, 'Alex Moreno');
    for (const [i, [mode, outcome]] of ([['Phone', 'No answer'], ['Text message', 'Sent a message'], ['Phone', 'Left a voicemail']] as const).entries()) {
      await page.getByRole('link', { name: 'Log a contact' }).click();
      await heading(page, 'Log a contact');
      if (i === 0) {
        await check(page, 'encounters-log-contact');
        await page.setViewportSize(PHONE);
      }
      await page.getByLabel('No, not this time').check();
      await page.getByLabel(outcome).check();
      await page.getByLabel('Type of contact').selectOption({ label: 'Outreach attempt' });
      await page.getByText('More details').click();
      await page.getByLabel('How').selectOption({ label: mode });
      await page.getByRole('button', { name: 'Save' }).click();
      await heading(page, 'Alex Moreno');
      await page.getByText('Contact saved.').waitFor();
    }
    await page.getByRole('heading', { name: 'Consider marking this person unreachable' }).waitFor();
    await check(page, 'participants-unreachable-proposal');
    await page.setViewportSize(PHONE);
    await page.getByLabel('Why are you marking this person unreachable?').fill('Three tries by phone and text over two weeks; no answer.');
    await page.getByRole('button', { name: 'Mark unreachable' }).click();
    await page.getByText(/^Marked unreachable\. Re-engagement attempts are on your list/).waitFor();
  });

  test('a group encounter logs one contact for each person present', async () => {
    await page.setViewportSize(PHONE);
    await mainNav().getByRole('link', { name: 'Participants' }).click();
    await heading(page, 'Participants');
    await page.getByRole('link', { name: 'Log a group encounter' }).click();
    await heading(page, 'Log a group encounter');
    for (const [term, name] of [['jay', 'Jay Rivera'], ['alex', 'Alex Moreno']] as const) {
      await page.getByLabel('Find a participant').fill(term);
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('button', { name: `Add ${name}` }).click();
      await page.getByRole('button', { name: `Remove ${name}` }).waitFor();
    }
    await page.getByLabel('Where').selectOption({ label: 'Residential program' });
    await page.getByLabel('Recovery planning').check();
    await page.getByLabel('Note').fill('Thursday recovery group: everyone shared one win from the week.');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Group encounter saved for 2 participants.').waitFor();
    await check(page, 'encounters-group-saved');
  });

  test('the supervisor sees the team view, with people at risk, and the notes to review', async () => {
    await freshPage(DESKTOP);
    await signInAs(supervisor);
    await mainNav().getByRole('link', { name: 'Team' }).click();
    await heading(page, 'Team');
    await page.getByRole('table', { name: 'Outreach by coach' }).getByText(secondCoach.name).waitFor();
    await check(page, 'team-outreach');
    await page.setViewportSize(DESKTOP);
    await page.getByRole('link', { name: 'Notes to review' }).click();
    await heading(page, 'Notes to review');
    await check(page, 'encounters-review-queue');
  });
});

async function fillBriefIntake(): Promise<void> {
  await page.getByLabel('First name or alias').fill('Jamie');
  await page.getByLabel('Last name').fill('Rivera');
  await page.getByLabel('Date of birth', { exact: true }).fill('1990-05-12');
  await page.getByLabel('Phone number').fill('555-201-3344');
  await page.getByLabel('Best way to reach them').selectOption({ label: 'Text message' });
  await page.getByLabel('Where did you meet?').selectOption({ label: 'Emergency department' });
  await page.getByLabel('Who referred them?').fill('ED nurse');
  await page.getByLabel('Program', { exact: true }).selectOption({ label: 'ED Bridge Program' });
  await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Mercy Hospital ED' });
  await page.getByLabel('Yes, they agree to be contacted').check();
  await page.getByLabel('Who else heard them agree?').fill('Nurse Patel');
}

/**
 * Importing participants from a spreadsheet (issue 7, "CSV import … with a column-mapping step in
 * the web app"): an administrator opens the import from the home page, reads a CSV whose columns
 * have the spreadsheet's own names, matches them, and checks the file. A row with an impossible
 * date is named by its line and column and nothing is written; the corrected file checks clean,
 * imports (2 new), and importing it again updates the same 2 instead of adding them twice.
 * Checked with axe at each step.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserProblems, closeBrowser, newPage } from './support/browser.js';
import { checkAccessibility as check, heading, setUpOrganization } from './support/lodestar.js';
import { screenshotOnFailure } from './support/failures.js';

const { setupLink } = inject('lodestar').imports;

const admin = { name: 'Morgan Hale', email: 'morgan.hale@riverbend.example', password: 'copper lantern orchard twelve' };

const csv = (birth: string) => ['Client ID,Given name,Family name,Birth date', `RB-001,Jordan,Ellis,${birth}`, 'RB-002,Sam,Okafor,1979-11-02', ''].join('\n');

let page: Page;

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

async function readFile(content: string): Promise<void> {
  await page.getByRole('radio', { name: /^Participants/ }).check();
  await page.getByLabel('CSV file').setInputFiles({ name: 'participants.csv', mimeType: 'text/csv', buffer: Buffer.from(content) });
  await page.getByRole('button', { name: 'Read the file' }).click();
  await page.getByRole('heading', { level: 2, name: 'Match the columns' }).waitFor();
}

async function matchColumns(): Promise<void> {
  await page.getByLabel('Id in your spreadsheet (needed)').selectOption('Client ID');
  await page.getByLabel('First name').selectOption('Given name');
  await page.getByLabel('Last name').selectOption('Family name');
  await page.getByLabel('Date of birth').selectOption('Birth date');
}

describe('importing participants from a CSV', () => {
  test('an administrator finds the import on the home page', async () => {
    await setUpOrganization(page, setupLink, 'Riverbend Recovery', admin);
    await page.getByRole('link', { name: 'Import program history' }).click();
    await heading(page, 'Import program history');
    // Reading with nothing chosen names both fields.
    await page.getByRole('button', { name: 'Read the file' }).click();
    await page.getByRole('link', { name: 'Choose what the file holds' }).waitFor();
    await page.getByRole('link', { name: 'Choose a CSV file' }).waitFor();
    await check(page, 'import-empty');
  });

  test('a row with an impossible date is named by line and column, and nothing is written', async () => {
    await readFile(csv('1988-02-30'));
    // The preview shows the spreadsheet's own columns and rows.
    await page.getByRole('columnheader', { name: 'Given name' }).waitFor();
    await page.getByRole('cell', { name: 'Okafor' }).waitFor();
    await matchColumns();
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.getByText('Nothing was imported').waitFor();
    await page.getByRole('rowheader', { name: /^line 2 \(Birth date\)/ }).waitFor();
    await check(page, 'import-problems');
  });

  test('the corrected file checks clean, imports, and a second import updates instead of duplicating', async () => {
    await readFile(csv('1988-02-28'));
    await matchColumns();
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.getByText('The file is ready to import. Nothing has been written yet.').waitFor();

    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText('The file was imported.').waitFor();
    const counts = page.getByRole('table', { name: 'Records' });
    expect(await counts.getByRole('row').nth(1).innerText()).toMatch(/2\s+0$/);
    await check(page, 'import-done');

    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText('The file was imported.').waitFor();
    await expect.poll(async () => counts.getByRole('row').nth(1).innerText()).toMatch(/0\s+2$/);
  });
});

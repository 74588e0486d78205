/**
 * One Chromium for a spec file: Debian's (LODESTAR_CHROMIUM), never a downloaded one, launched
 * lazily with its own temporary profile and closed in `afterAll`. Specs run one after another
 * in a single worker, so there is never more than one browser on the machine.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

let context: BrowserContext | undefined;
let profile: string | undefined;

export const PHONE = { width: 360, height: 740 } as const;
export const DESKTOP = { width: 1280, height: 900 } as const;

export async function browser(): Promise<BrowserContext> {
  if (context) return context;
  const executablePath = process.env.LODESTAR_CHROMIUM;
  if (!executablePath) throw new Error('LODESTAR_CHROMIUM is not set (vitest.config.ts sets it when Chromium is installed)');
  profile = await fs.mkdtemp(path.join(os.tmpdir(), 'lodestar-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: DESKTOP,
    locale: 'en-US',
    timezoneId: 'America/Chicago',
  });
  context.setDefaultTimeout(15_000);
  return context;
}

const problems: string[] = [];

/**
 * What the browser console reported that must never happen: Content-Security-Policy refusals
 * (an inline script or style the server's policy blocks) and uncaught errors in the app.
 */
export const browserProblems = (): readonly string[] => problems;

/** A new tab, watched for CSP refusals and uncaught errors. */
export async function newPage(): Promise<Page> {
  const page = await (await browser()).newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) problems.push(`CSP: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`Uncaught: ${err.message}`));
  return page;
}

/** Forget every cookie and stored value: the next page starts signed out. */
export async function forgetEverything(): Promise<void> {
  const ctx = await browser();
  await ctx.clearCookies();
}

export async function closeBrowser(): Promise<void> {
  const ctx = context;
  context = undefined;
  await ctx?.close();
  if (profile) await fs.rm(profile, { recursive: true, force: true });
  profile = undefined;
}

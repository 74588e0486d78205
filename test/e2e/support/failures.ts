/** When a browser test fails, keep a picture of the page and its text (test-results/failures). */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';

export async function screenshotOnFailure(page: Page | undefined, task: { name: string; result?: { state?: string } }): Promise<void> {
  if (!page || page.isClosed() || task.result?.state !== 'fail') return;
  const dir = path.resolve('test-results/failures');
  await fs.mkdir(dir, { recursive: true });
  const name = task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80);
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true }).catch(() => undefined);
  const text = await page.locator('body').innerText().catch(() => '');
  await fs.writeFile(path.join(dir, `${name}.txt`), `${page.url()}\n\n${text}`);
}

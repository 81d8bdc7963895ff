import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { createApp } from '../../main/core/app';
import { startWebHost, type WebHost } from '../../main/web/web-host';
import { launchChromium } from '../support/browser';
import { removeTempDirs, tempDir } from '../support/temp-dir';

const RENDERER = fileURLToPath(new URL('../../out/renderer', import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots', import.meta.url));

let browser: BrowserContext;
let host: WebHost;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  const app = createApp({ home: await tempDir(), host: 'web' });
  host = await startWebHost({ app, rendererFolder: RENDERER });
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await removeTempDirs();
});

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

describe('first run with the sample address book, in Chromium against the real core', () => {
  it('creates a profile, backs up the sample, browses and opens a contact’s info', async () => {
    await page.goto(host.url);
    await page.getByTestId('create-profile-form').waitFor();
    await shot('01-first-run');
    await page.getByTestId('profile-name').fill('Alice');
    await page.getByTestId('password').fill('a long backup password');
    await page.getByTestId('password-confirm').fill('a long backup password');
    await page.getByTestId('create-profile-submit').click();
    // The recovery key offered on the first run is shown once (first-run-recovery.test.ts walks it).
    await page.getByTestId('recovery-key-saved').click();

    await page.getByTestId('try-sample').click();
    await page.getByTestId('menu-dashboard').click();
    await page.getByTestId('configure-backup').waitFor();
    await page.getByTestId('configure-backup-switch').check();
    await page.getByTestId('configure-backup-apply').check();
    await page.getByTestId('configure-backup-save').click();
    await expect.poll(() => page.getByTestId('configure-backup-result').textContent()).toMatch(/1/);
    await expect
      .poll(() => page.getByTestId('toast').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringMatching(/Backup job created/)]));
    await shot('02-dashboard-configured');

    await page.getByTestId('menu-tasks').click();
    await expect
      .poll(() => page.getByTestId('task-state').first().textContent(), { timeout: 30_000 })
      .toMatch(/succeeded/i);
    await shot('03-task-manager');

    await page.getByTestId('menu-contacts').click();
    await page.getByTestId('contacts-view').waitFor();
    await shot('04-contacts');
    await expect.poll(() => page.getByTestId('list-count').textContent(), { timeout: 15_000 }).toMatch(/340/);
    expect(await page.getByTestId('folder-item').count()).toBeGreaterThanOrEqual(5);

    // 340 rows are two pages: scrolling to the end fetches the second, and End reaches the last row.
    const grid = page.getByTestId('contact-list');
    await grid.focus();
    await page.keyboard.press('End');
    await expect
      .poll(() => page.locator('[data-testid="contact-row"][data-index="339"]').count(), { timeout: 10_000 })
      .toBe(1);
    expect(await page.getByTestId('contact-row-pending').count()).toBe(0);
    // Select all ticks every contact, loaded page or not (once their ids arrive); again clears them.
    await page.getByTestId('select-all').click();
    await expect.poll(() => page.getByTestId('list-count').textContent()).toMatch(/340 selected/);
    expect(await page.getByTestId('select-all').isChecked()).toBe(true);
    await page.getByTestId('select-all').click();
    await expect.poll(() => page.getByTestId('list-count').textContent()).toMatch(/0 selected/);

    await page.getByTestId('contact-search').fill('Ada Müller');
    await expect
      .poll(async () => Number((await page.getByTestId('list-count').textContent())?.match(/\d+/)?.[0]))
      .toBeLessThan(340);
    await expect.poll(() => page.getByTestId('contact-row').count()).toBeGreaterThan(0);
    await page.getByTestId('contact-row').first().click();
    await page.getByTestId('info-pane').waitFor();
    const name = await page.getByTestId('contact-display-name').textContent();
    expect(name).toMatch(/Ada Müller/);
    await shot('05-contact-info');
    expect(consoleErrors).toEqual([]);
  });
});

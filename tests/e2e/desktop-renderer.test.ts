import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { startDesktopBundle, type DesktopBundle } from '../support/desktop-bundle';
import { removeTempDirs, tempDir } from '../support/temp-dir';
import { createProfileThroughUi } from '../support/e2e-harness';

// The built renderer as the desktop app loads it: every file comes from the built main bundle's
// app:// handler (protocol.handle), with its headers, and window.contactsBackup calls the bundle's
// IPC handlers as the preload would. Chromium cannot open an app:// URL itself, so the page's
// address is an http://localhost stand-in (a secure context, like app://) whose requests are all answered by that handler.
const STAND_IN = 'http://localhost:9';
const SHOTS = process.env.SHOTS_DIR ?? 'test-results/screenshots/desktop';

let desktop: DesktopBundle;
let browser: BrowserContext;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  desktop = await startDesktopBundle(await tempDir());
  const handler = desktop.electron.protocolHandlers.get('app')!;
  browser = await launchChromium();
  await browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: STAND_IN });
  await browser.route(`${STAND_IN}/**`, async (route) => {
    const url = route.request().url().replace(STAND_IN, 'app://contacts-backup');
    const response = await handler(new Request(url));
    await route.fulfill({
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: Buffer.from(await response.arrayBuffer()),
    });
  });
  page = await browser.newPage();
  page.on('pageerror', (error) => problems.push(String(error)));
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  await page.exposeFunction('__desktopInvoke', (channel: string, request: unknown) =>
    desktop.invoke(channel, request),
  );
  await page.addInitScript(() => {
    type Listener = (payload: unknown) => void;
    const listeners = new Map<string, Set<Listener>>();
    const target = window as unknown as Record<string, unknown>;
    target.__desktopPush = (event: string, payload: unknown) =>
      listeners.get(event)?.forEach((listener) => listener(payload));
    target.contactsBackup = {
      invoke: (channel: string, request: unknown) =>
        (target.__desktopInvoke as (c: string, r: unknown) => Promise<unknown>)(channel, request),
      on: (event: string, listener: Listener) => {
        if (!listeners.has(event)) listeners.set(event, new Set());
        listeners.get(event)!.add(listener);
        return () => listeners.get(event)!.delete(listener);
      },
    };
  });
  desktop.electron.pushes.on('push', (event: string, payload: unknown) => {
    void page
      .evaluate(
        ([name, value]) =>
          (window as unknown as { __desktopPush: (n: unknown, v: unknown) => void }).__desktopPush(
            name,
            value,
          ),
        [event, payload],
      )
      .catch(() => undefined);
  });
});

afterAll(async () => {
  await browser?.close();
  desktop?.dispose();
  await removeTempDirs();
});

describe('the built renderer served by the desktop bundle', () => {
  it('tries the sample address book, backs it up and copies a diagnostic report', async () => {
    await page.goto(`${STAND_IN}/index.html#/`);
    // The first run, its recovery key shown once and saved.
    await createProfileThroughUi(page, 'Alice');

    await page.getByTestId('try-sample').click();
    await page.getByTestId('menu-dashboard').click();
    await page.getByTestId('configure-backup-switch').check();
    await page.getByTestId('configure-backup-apply').check();
    await page.getByTestId('configure-backup-save').click();
    await page.getByTestId('menu-tasks').click();
    await expect
      .poll(() => page.getByTestId('task-state').first().textContent(), { timeout: 30_000 })
      .toMatch(/succeeded/i);
    await page.getByTestId('menu-contacts').click();
    await expect.poll(() => page.getByTestId('list-count').textContent(), { timeout: 15_000 }).toMatch(/340/);

    await page.getByTestId('menu-settings').click();
    const panel = page.getByTestId('diagnostics-panel');
    await panel.scrollIntoViewIfNeeded();
    await page.getByTestId('copy-diagnostics').click();
    await expect.poll(() => page.getByTestId('diagnostics-status').textContent()).toMatch(/copied/i);
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(/^Contacts Backup diagnostic report/);
    expect(copied).toMatch(/Job backup succeeded/);
    expect(copied).not.toContain('a long backup password');
    await page.screenshot({ path: `${SHOTS}/settings-diagnostics-1280x800.png` });
    await page.setViewportSize({ width: 900, height: 600 });
    await panel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/settings-diagnostics-900x600.png` });
    expect(problems).toEqual([]);
  });

  it('shows the report to copy by hand where the clipboard is refused', async () => {
    await browser.clearPermissions();
    await page.evaluate(() => {
      Object.defineProperty(navigator.clipboard, 'writeText', {
        value: () => Promise.reject(new DOMException('Denied', 'NotAllowedError')),
      });
    });
    await page.getByTestId('copy-diagnostics').click();
    await expect
      .poll(() => page.getByTestId('diagnostics-status').textContent())
      .toMatch(/select the report/i);
    const report = page.getByTestId('diagnostics-report');
    expect(await report.inputValue()).toMatch(/^Contacts Backup diagnostic report/);
    await report.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/settings-diagnostics-by-hand-900x600.png` });
  });
});

/**
 * Shared pieces of the browser end-to-end tests: the real core behind the loopback web host, Debian's
 * Chromium on it, screenshots, and the few UI steps every walk needs (first run, add a vCard folder,
 * wait for a job in the Task Manager). Every wait is on a named UI state, never a fixed sleep.
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { createApp, type AppCore, type AppPorts } from '../../main/core/app';
import { startWebHost, type WebHost } from '../../main/web/web-host';
import { launchChromium } from './browser';
import { tempDir } from './temp-dir';

export const RENDERER = fileURLToPath(new URL('../../out/renderer', import.meta.url));
export const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots', import.meta.url));
export const PASSWORD = 'a long backup password';

export interface E2eHarness {
  readonly home: string;
  readonly app: AppCore;
  readonly host: WebHost;
  readonly browser: BrowserContext;
  readonly page: Page;
  /** Console errors and uncaught page errors, for an "no errors" assertion at the end. */
  readonly consoleErrors: string[];
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(
  options: {
    home?: string;
    ports?: Partial<AppPorts>;
    viewport?: { width: number; height: number };
    appRegistrations?: AppPorts['appRegistrations'];
  } = {},
): Promise<E2eHarness> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const home = options.home ?? (await tempDir('cb-e2e-home-'));
  const app = createApp({
    ...options.ports,
    home,
    host: 'web',
    ...(options.appRegistrations ? { appRegistrations: options.appRegistrations } : {}),
  });
  const host = await startWebHost({ app, rendererFolder: RENDERER });
  const browser = await launchChromium(options.viewport);
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(15_000);
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  return {
    home,
    app,
    host,
    browser,
    page,
    consoleErrors,
    async shot(name) {
      await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
    },
    async close() {
      await browser.close().catch(() => undefined);
      await app.lock().catch(() => undefined);
      await host.close();
    },
  };
}

/** First run: creates the profile through the form and waits for the dashboard. */
export async function createProfileThroughUi(page: Page, name = 'Alice', password = PASSWORD): Promise<void> {
  await page.getByTestId('create-profile-form').waitFor();
  await page.getByTestId('profile-name').fill(name);
  await page.getByTestId('password').fill(password);
  await page.getByTestId('password-confirm').fill(password);
  const wantsKey = await page.getByTestId('make-recovery-key').isChecked();
  await page.getByTestId('create-profile-submit').click();
  // The first run offers a recovery key (on by default) and shows it once before the dashboard.
  if (wantsKey) {
    await page.getByTestId('recovery-key').waitFor();
    await page.getByTestId('recovery-key-saved').click();
  }
  await page.getByTestId('dashboard').waitFor();
}

/**
 * Adds a vCard folder on this machine as a source and waits for it in Settings; returns the new
 * account's id. The UI takes files through a file picker (uploaded into the profile), and a browser
 * cannot pick a live folder, so the folder (which later steps edit at the source) is added through
 * the page's own API, as a script would.
 */
export async function addVcardThroughUi(page: Page, path: string, label: string): Promise<string> {
  await page.getByTestId('menu-settings').click();
  await page.getByTestId('settings-accounts').waitFor();
  const id = await page.evaluate(
    async ({ path, label }) => {
      const result = await window.contactsBackup!.invoke('accounts.addVcard', { path, label });
      if (!result.ok) throw new Error(result.error.message);
      return result.value.id;
    },
    { path, label },
  );
  // Settings shows it once the accounts are read again (a reload of the screen, as after any change).
  await page.getByTestId('menu-dashboard').click();
  await page.getByTestId('menu-settings').click();
  await page.getByTestId('settings-account').filter({ hasText: label }).waitFor();
  return id;
}

/** Settings > Add a vCard or PST file through the file picker; returns the new account's id. */
export async function addSourceFileThroughUi(
  page: Page,
  file: string,
  label: string,
  kind: 'vcard' | 'pst' = 'vcard',
): Promise<string> {
  await page.getByTestId('menu-settings').click();
  await page.getByTestId('add-source-form').waitFor();
  await page.getByTestId('source-kind').selectOption(kind);
  await page.getByTestId('source-file').setInputFiles(file);
  await page.getByTestId('source-label').fill(label);
  await page.getByTestId('source-add').click();
  const account = page.getByTestId('settings-account').filter({ hasText: label });
  await account.waitFor();
  const id = await account.getAttribute('data-account-id');
  if (!id) throw new Error(`The account "${label}" has no data-account-id.`);
  return id;
}

export interface TaskRowData {
  readonly id: string;
  readonly state: string;
  readonly kind: string;
}

/** The rows of the Task Manager as shown (the page must be on the Task Manager). */
export function taskRowsInUi(page: Page): Promise<TaskRowData[]> {
  return page.getByTestId('task-row').evaluateAll((rows) =>
    rows.map((row) => ({
      id: row.getAttribute('data-job-id') ?? '',
      state: row.getAttribute('data-state') ?? '',
      kind: row.getAttribute('data-kind') ?? '',
    })),
  );
}

/** Job ids the core knows, read in the page through the same API the UI uses. */
export async function jobIdsInCore(page: Page): Promise<Set<string>> {
  const ids = await page.evaluate(async () => {
    const api = window.contactsBackup;
    if (!api) throw new Error('window.contactsBackup is missing');
    const result = await api.invoke('tasks.list', {});
    if (!result.ok) throw new Error(result.error.message);
    return result.value.map((job) => job.id);
  });
  return new Set(ids);
}

/** Polls `probe` until it returns a value (not undefined), or fails with the last description. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof FatalWait) throw error;
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Thrown from an `until` probe to stop waiting at once (a job failed). */
export class FatalWait extends Error {}

/**
 * Opens the Task Manager and waits there until the one job of `kind` created after `before` is
 * shown as succeeded; fails at once if it is shown failed, cancelled or interrupted. Returns its id.
 */
export async function watchNewJobInTaskManager(
  page: Page,
  kind: string,
  before: ReadonlySet<string>,
  timeoutMs = 30_000,
): Promise<string> {
  await page.getByTestId('menu-tasks').click();
  await page.getByTestId('task-manager').waitFor();
  const id = await until(`a new ${kind} job in the Task Manager`, async () => {
    const fresh = (await taskRowsInUi(page)).filter((row) => !before.has(row.id) && row.kind === kind);
    if (fresh.length > 1) throw new FatalWait(`More than one new ${kind} job: ${JSON.stringify(fresh)}`);
    return fresh[0]?.id;
  });
  const row = page.locator(`[data-testid="task-row"][data-job-id="${id}"]`);
  await until(
    `job ${id} (${kind}) to succeed`,
    async () => {
      const state = await row.getAttribute('data-state');
      if (state === 'failed' || state === 'cancelled' || state === 'interrupted') {
        const text = await row.innerText();
        throw new FatalWait(`Job ${id} (${kind}) ended ${state}: ${text}`);
      }
      return state === 'succeeded' ? state : undefined;
    },
    timeoutMs,
  );
  return id;
}

/** The number at the start of the list status line ("12 contacts, 0 selected", "40,000 contacts"). */
export async function listedCount(page: Page): Promise<number> {
  const text = (await page.getByTestId('list-count').textContent()) ?? '';
  const match = text.match(/^(\d[\d,]*)/);
  if (!match) throw new Error(`Unexpected list count "${text}".`);
  return Number(match[1].replace(/,/g, ''));
}

/**
 * Opens a folder in the tree and answers how many contacts it holds, once the list has read it:
 * the status line keeps the old folder's count until the new list arrives (the list is busy).
 */
export async function openFolder(page: Page, folder: Locator): Promise<number> {
  await folder.click();
  return until('the folder to be open and its list read', async () => {
    if ((await folder.getAttribute('aria-current')) !== 'true') return undefined;
    if ((await page.locator('div.contact-list').getAttribute('aria-busy')) === 'true') return undefined;
    const total = Number(await page.getByTestId('contact-list').getAttribute('data-total'));
    const shown = await listedCount(page);
    if (shown !== total) return undefined;
    return total;
  });
}

/** Waits until the list shows exactly `count` contacts (status line and grid agree). */
export async function waitForListCount(page: Page, count: number, timeoutMs = 15_000): Promise<void> {
  await until(
    `the list to show ${count} contacts`,
    async () => {
      const shown = await listedCount(page);
      const total = Number(await page.getByTestId('contact-list').getAttribute('data-total'));
      if (shown !== count || total !== count) throw new Error(`shows ${shown} (grid ${total})`);
      return true;
    },
    timeoutMs,
  );
}

/** Waits for a toast whose text matches. */
export async function waitForToast(page: Page, text: RegExp | string): Promise<void> {
  await page.getByTestId('toast').filter({ hasText: text }).first().waitFor();
}

/**
 * Dismisses every toast shown. The renderer merges toasts with the same title within 3 s (its own
 * and the server's copy of one event), so a test that creates two jobs of one kind in quick
 * succession clears the first toast before looking for the second.
 */
export async function dismissToasts(page: Page): Promise<void> {
  const toasts = page.getByTestId('toast');
  for (let attempt = 0; (await toasts.count()) > 0; attempt += 1) {
    if (attempt > 20) throw new Error('The toasts could not be dismissed.');
    // A toast may time out and leave between finding it and clicking it: look again then.
    await toasts
      .first()
      .getByRole('button', { name: 'Dismiss notification' })
      .click({ timeout: 2000 })
      .catch(() => undefined);
  }
}

/**
 * Issue 14's walk in Chromium against the web host and the Google and Microsoft fakes: a new user
 * connects Google from the first-run screen and signs in in the opened tab (the fake's consent
 * page), turns on Configure Backup and sees the contacts; the same for Microsoft; then the fake
 * revokes the Google grant, the account shows "Sign in again" in red, the user signs in again and
 * the next backup continues the same history (no second account, no duplicate contacts).
 * Screenshots of every step go to test-results/screenshots (accounts-*.png).
 */
import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createApp, type AppCore } from '../../main/core/app';
import { startWebHost, type WebHost } from '../../main/web/web-host';
import { startFakeGoogle, type FakeGoogle } from '../fakes/google/fake-google';
import { startFakeMicrosoft, type FakeMicrosoft } from '../fakes/graph/fake-microsoft';
import { CHROMIUM_PATH } from '../support/browser';
import {
  RENDERER,
  SCREENSHOTS,
  FatalWait,
  createProfileThroughUi,
  jobIdsInCore,
  taskRowsInUi,
  until,
  waitForListCount,
  watchNewJobInTaskManager,
  dismissToasts,
} from '../support/e2e-harness';
import { removeTempDirs, tempDir } from '../support/temp-dir';
import { fakeRegistrations } from '../support/fake-registrations';

const GOOGLE_USER = 'ada@gmail.example';
const MICROSOFT_USER = 'grace@outlook.example';
const GOOGLE_CLIENT = 'e2e-desktop.apps.googleusercontent.com';
const MICROSOFT_CLIENT = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

let google: FakeGoogle;
let microsoft: FakeMicrosoft;
let app: AppCore;
let host: WebHost;
let browser: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

async function shot(target: Page, name: string): Promise<void> {
  await target.screenshot({ path: `${SCREENSHOTS}/accounts-${name}.png`, fullPage: true });
}

/** Clicks a sign-in button and returns the tab the app opened for the sign-in page. */
async function signInTab(click: () => Promise<void>, urlPart: string): Promise<Page> {
  const opened = browser.waitForEvent('page');
  await click();
  const tab = await opened;
  await tab.waitForURL((url) => url.href.includes(urlPart));
  await tab.waitForLoadState('domcontentloaded');
  return tab;
}

async function userKeyOf(kind: string): Promise<string> {
  return page.evaluate(async (wanted) => {
    const result = await window.contactsBackup!.invoke('accounts.list', {});
    if (!result.ok) throw new Error(result.error.message);
    const account = result.value.find((candidate) => candidate.kind === wanted);
    if (!account) throw new Error(`no ${wanted} account`);
    return account.users[0].userKey;
  }, kind);
}

/** Waits in the Task Manager until every backup job created after `before` is shown succeeded. */
async function allNewBackupsSucceed(before: ReadonlySet<string>): Promise<void> {
  await page.getByTestId('menu-tasks').click();
  await page.getByTestId('task-manager').waitFor();
  await until('the new backup jobs to succeed', async () => {
    const fresh = (await taskRowsInUi(page)).filter((row) => !before.has(row.id) && row.kind === 'backup');
    const failed = fresh.find((row) => ['failed', 'cancelled', 'interrupted'].includes(row.state));
    if (failed) throw new FatalWait(`backup job ${failed.id} ended ${failed.state}`);
    return fresh.length > 0 && fresh.every((row) => row.state === 'succeeded') ? true : undefined;
  });
}

async function accountCount(): Promise<number> {
  return page.evaluate(async () => {
    const result = await window.contactsBackup!.invoke('accounts.list', {});
    if (!result.ok) throw new Error(result.error.message);
    return result.value.length;
  });
}

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  google = await startFakeGoogle();
  google.addUser(GOOGLE_USER, { name: 'Ada Lovelace' });
  google.setBrowserUser(GOOGLE_USER);
  google.oauth.consentPage = true;
  for (const given of ['Charles', 'Mary', 'Augustus'])
    google.addContact(GOOGLE_USER, {
      names: [{ givenName: given, familyName: 'Babbage' }],
      emailAddresses: [{ value: `${given.toLowerCase()}@example.org` }],
    });

  microsoft = await startFakeMicrosoft();
  microsoft.registerApp(MICROSOFT_CLIENT);
  const mailbox = microsoft.addMailbox(MICROSOFT_USER, { displayName: 'Grace Hopper' });
  microsoft.state.signInEmail = MICROSOFT_USER;
  microsoft.state.consentPage = true;
  microsoft.addContact(mailbox, { givenName: 'Howard', surname: 'Aiken', displayName: 'Howard Aiken' });
  microsoft.addContact(mailbox, { givenName: 'Jean', surname: 'Sammet', displayName: 'Jean Sammet' });

  const home = await tempDir('cb-e2e-accounts-');
  app = createApp({
    home,
    host: 'web',
    appRegistrations: fakeRegistrations(google, microsoft, {
      google: GOOGLE_CLIENT,
      microsoft: MICROSOFT_CLIENT,
      googleSecret: 'desktop-client-secret',
    }),
  });
  host = await startWebHost({ app, rendererFolder: RENDERER });
  const { mkdtemp } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  browser = await chromium.launchPersistentContext(await mkdtemp(join(tmpdir(), 'cb-chromium-')), {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1280, height: 800 },
    // The Microsoft identity fake is HTTPS with a self-signed certificate (MSAL needs https).
    ignoreHTTPSErrors: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (error) => pageErrors.push(String(error)));
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await app?.lock().catch(() => undefined);
  await host?.close();
  await google?.close();
  await microsoft?.close();
  await removeTempDirs();
});

describe('connecting Google and Microsoft from the app', () => {
  it('connects Google from the first-run screen, backs it up and shows the contacts', async () => {
    await page.goto(host.url);
    await createProfileThroughUi(page);
    await page.getByTestId('no-accounts').waitFor();
    await page.getByTestId('connect-google').waitFor();
    expect(await page.getByText('coming soon').count()).toBe(0);
    await shot(page, '01-first-run-connect');

    const tab = await signInTab(() => page.getByTestId('connect-google').click(), '/o/oauth2/v2/auth');
    await page.getByTestId('sign-in-waiting').waitFor();
    await shot(page, '02-google-waiting');
    await tab.getByText('Contacts Backup wants to access your Google Account').waitFor();
    await shot(tab, '03-google-consent-page');
    await tab.locator('#allow').click();
    await tab.getByText('You can close this window').waitFor();

    await page
      .getByTestId('connect-result')
      .filter({ hasText: `Connected ${GOOGLE_USER}` })
      .waitFor();
    await page.getByTestId('configure-backup').waitFor();
    await shot(page, '04-google-connected');

    const before = await jobIdsInCore(page);
    await page.getByTestId('configure-backup-switch').check();
    await page.getByTestId('configure-backup-apply').check();
    await page.getByTestId('configure-backup-save').click();
    await page.getByTestId('configure-backup-result').waitFor();
    await watchNewJobInTaskManager(page, 'backup', before);

    await page.getByTestId('menu-contacts').click();
    await page.getByTestId('user-select').selectOption(await userKeyOf('google'));
    await waitForListCount(page, 3);
    await page.getByText('Charles Babbage').first().waitFor();
    await shot(page, '05-google-contacts');
  });

  it('connects Microsoft 365 / Outlook.com the same way from the Dashboard', async () => {
    await page.getByTestId('menu-dashboard').click();
    await page.getByTestId('connect-microsoft').waitFor();
    const tab = await signInTab(
      () => page.getByTestId('connect-microsoft').click(),
      '/oauth2/v2.0/authorize',
    );
    await tab.getByText('Permissions requested').waitFor();
    await shot(tab, '06-microsoft-consent-page');
    await tab.locator('#accept').click();
    await page
      .getByTestId('connect-result')
      .filter({ hasText: `Connected ${MICROSOFT_USER}` })
      .waitFor();
    await shot(page, '07-microsoft-connected');

    // Configure Backup again with "Apply to enabled users": one new job per enabled user.
    const before = await jobIdsInCore(page);
    await page.getByTestId('configure-backup-switch').check();
    await page.getByTestId('configure-backup-apply').check();
    await page.getByTestId('configure-backup-save').click();
    await page.getByTestId('configure-backup-result').waitFor();
    await allNewBackupsSucceed(before);
    await page.getByTestId('menu-contacts').click();
    await page.getByTestId('user-select').selectOption(await userKeyOf('microsoft'));
    await waitForListCount(page, 2);
    await page.getByText('Jean Sammet').first().waitFor();
    await shot(page, '08-microsoft-contacts');
  });

  it('after the grant is revoked, "Sign in again" continues the same history', async () => {
    const googleKey = await userKeyOf('google');
    google.revokeGrants(GOOGLE_USER);
    await page.getByTestId('user-select').selectOption(googleKey);
    await waitForListCount(page, 3);
    await page.getByTestId('action-run-backup').click();

    await page.getByTestId('menu-dashboard').click();
    const row = page.locator(`[data-testid="account-row"][data-status="sign-in-needed"]`);
    await row.waitFor();
    await row.getByTestId('sign-in-again').waitFor();
    await shot(page, '09-sign-in-needed');

    google.addContact(GOOGLE_USER, { names: [{ givenName: 'Ada', familyName: 'King' }] });
    const tab = await signInTab(() => row.getByTestId('sign-in-again').click(), '/o/oauth2/v2/auth');
    await tab.locator('#allow').click();
    await page.getByTestId('sign-in-again-result').waitFor();
    await page.locator(`[data-testid="account-row"][data-status="ok"]`).first().waitFor();
    await shot(page, '10-signed-in-again');
    expect(await accountCount()).toBe(2);
    expect(await userKeyOf('google')).toBe(googleKey);

    await page.getByTestId('menu-contacts').click();
    await page.getByTestId('user-select').selectOption(googleKey);
    const before = await jobIdsInCore(page);
    await page.getByTestId('action-run-backup').click();
    await watchNewJobInTaskManager(page, 'backup', before);
    await page.getByTestId('menu-contacts').click();
    await page.getByTestId('user-select').selectOption(googleKey);
    await waitForListCount(page, 4);
    expect(await page.getByText('Charles Babbage').count()).toBe(1);
    await shot(page, '11-history-continues');
    expect(pageErrors).toEqual([]);
  });

  it('says what is wrong when the user declines, and Cancel ends the wait', async () => {
    await page.setViewportSize({ width: 900, height: 600 });
    await page.getByTestId('menu-dashboard').click();
    // Toasts of the earlier steps (the failed backup while signed out stays until dismissed) sit over
    // the page's lower left at this size: a person closes them first.
    await dismissToasts(page);
    const tab = await signInTab(() => page.getByTestId('connect-google').click(), '/o/oauth2/v2/auth');
    await tab.getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('connect-error').filter({ hasText: 'You declined access' }).waitFor();
    await shot(page, '12-declined-900');

    const waiting = await signInTab(
      () => page.getByTestId('connect-microsoft').click(),
      '/oauth2/v2.0/authorize',
    );
    await page.getByTestId('sign-in-waiting').waitFor();
    await shot(page, '13-waiting-900');
    await page.getByTestId('sign-in-cancel').click();
    await page.getByTestId('sign-in-waiting').waitFor({ state: 'detached' });
    expect(await page.getByTestId('connect-error').count()).toBe(0);
    await waiting.close();
    expect(await accountCount()).toBe(2);
  });

  it('a build without the app’s registrations says what is missing and offers the own-id form', async () => {
    const bare = createApp({ home: await tempDir('cb-e2e-bare-'), host: 'web', appRegistrations: {} });
    const bareHost = await startWebHost({ app: bare, rendererFolder: RENDERER });
    try {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(bareHost.url);
      await createProfileThroughUi(page, 'Bob');
      await page.getByTestId('connect-google-missing').waitFor();
      expect(await page.getByTestId('connect-google').count()).toBe(0);
      expect(await page.getByTestId('connect-microsoft-missing').textContent()).toContain(
        'CONTACTS_BACKUP_MICROSOFT_CLIENT_ID',
      );
      await page.getByTestId('google-own-client-id').waitFor();
      await page.getByText('Under Credentials, create an OAuth client id of type “Desktop app”.').waitFor();
      expect(await page.getByText('coming soon').count()).toBe(0);
      await shot(page, '14-no-registrations');
    } finally {
      await bare.lock().catch(() => undefined);
      await bareHost.close();
    }
  });
});

/**
 * The business edition walked in Chromium against the web host and the Google and Microsoft fakes
 * (issue 14, items 3 and 4): an administrator installs a business licence, connects a Microsoft 365
 * tenant by typing its app's client secret and a Google Workspace domain by choosing the
 * service-account key file, enables the users, and backs them up. Then the secret is replaced and
 * the key deleted at the services: each account shows "Sign in again", a wrong secret is refused
 * with a sentence, the new secret and the new key file continue the same accounts and histories.
 * Screenshots at 1280x800 and 900x600 go to test-results/screenshots (business-*.png).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startFakeMicrosoft, type FakeMicrosoft } from '../fakes/graph/fake-microsoft';
import { startFakeGoogle, type FakeGoogle } from '../fakes/google/fake-google';
import type { FakeServiceAccountKey } from '../fakes/google/oauth';
import { licenceKey, useTestLicenceKey } from '../integration/licensing/harness';
import {
  createProfileThroughUi,
  dismissToasts,
  jobIdsInCore,
  startHarness,
  waitForListCount,
  watchNewJobInTaskManager,
  type E2eHarness,
} from '../support/e2e-harness';
import { removeTempDirs } from '../support/temp-dir';
import { fakeRegistrations } from '../support/fake-registrations';

const TENANT = '7d3f0b9c-1111-4222-8333-444455556666';
const TENANT_APP = 'b0b0b0b0-aaaa-4bbb-8ccc-dddddddddddd';
const TENANT_USER = 'alice@contoso.example';
const DOMAIN_ADMIN = 'admin@school.example';

let microsoft: FakeMicrosoft;
let google: FakeGoogle;
let h: E2eHarness;
let page: Page;
let key: FakeServiceAccountKey;

async function accountOf(kind: string) {
  return page.evaluate(async (wanted) => {
    const result = await window.contactsBackup!.invoke('accounts.list', {});
    if (!result.ok) throw new Error(result.error.message);
    const found = result.value.filter((candidate) => candidate.kind === wanted);
    if (found.length !== 1) throw new Error(`${found.length} ${wanted} accounts`);
    return { id: found[0].id, userKey: found[0].users[0].userKey, count: result.value.length };
  }, kind);
}

/** Turns the user on under Settings › Users (auto-enable may already have done it). */
async function enableUser(email: string): Promise<void> {
  await page.getByTestId('menu-settings').click();
  const user = page.getByTestId('licence-user').filter({ hasText: email });
  await user.waitFor();
  const box = user.getByTestId('user-enable-checkbox');
  if (!(await box.isChecked())) await box.check();
  await expect.poll(() => box.isChecked()).toBe(true);
}

/** "Run Backup" for one user in Contacts; answers when the Task Manager shows it succeeded. */
async function backUpInUi(userKey: string, expected: number): Promise<void> {
  await page.getByTestId('menu-contacts').click();
  await page.getByTestId('user-select').selectOption(userKey);
  const before = await jobIdsInCore(page);
  await page.getByTestId('action-run-backup').click();
  await watchNewJobInTaskManager(page, 'backup', before);
  await page.getByTestId('menu-contacts').click();
  await page.getByTestId('user-select').selectOption(userKey);
  await waitForListCount(page, expected);
}

/** Runs a backup that fails for want of a sign-in and answers the Dashboard's card of the account. */
async function backUpUntilSignInNeeded(userKey: string, accountId: string) {
  await page.getByTestId('menu-contacts').click();
  await page.getByTestId('user-select').selectOption(userKey);
  await page.getByTestId('action-run-backup').click();
  await page.getByTestId('menu-dashboard').click();
  const card = page.locator(
    `[data-testid="account-row"][data-account-id="${accountId}"][data-status="sign-in-needed"]`,
  );
  await card.waitFor();
  return card;
}

beforeAll(async () => {
  useTestLicenceKey();
  microsoft = await startFakeMicrosoft();
  microsoft.registerApp(TENANT_APP, 'first-secret');
  const alice = microsoft.addMailbox(TENANT_USER, { tenantId: TENANT, displayName: 'Alice Example' });
  microsoft.addContact(alice, { givenName: 'Howard', surname: 'Aiken', displayName: 'Howard Aiken' });
  microsoft.addContact(alice, { givenName: 'Jean', surname: 'Sammet', displayName: 'Jean Sammet' });
  google = await startFakeGoogle();
  google.addUser(DOMAIN_ADMIN, { admin: true, name: 'School Admin' });
  google.addContact(DOMAIN_ADMIN, {
    names: [{ givenName: 'Ada', familyName: 'Lovelace' }],
    emailAddresses: [{ value: 'ada@example.org' }],
  });
  key = google.createServiceAccount('school.example');
  h = await startHarness({
    appRegistrations: fakeRegistrations(google, microsoft, {
      google: 'e2e-desktop.apps.googleusercontent.com',
      microsoft: TENANT_APP,
    }),
  });
  page = h.page;
});

afterAll(async () => {
  await h?.close();
  await google?.close();
  await microsoft?.close();
  await removeTempDirs();
});

describe('the business edition from the app', () => {
  it('installs a business licence and connects a Microsoft 365 tenant with its client secret', async () => {
    await page.goto(h.host.url);
    await createProfileThroughUi(page, 'Office admin');
    await page.getByTestId('menu-settings').click();
    await page.getByTestId('licence-key').fill(licenceKey({ seats: 5 }));
    await page.getByTestId('licence-install').click();
    await expect.poll(() => page.getByTestId('licence-status').textContent()).toMatch(/business/i);

    // Settings › Accounts holds the business edition's forms.
    await page.getByTestId('connect-business').locator('summary').click();
    const form = page.getByTestId('tenant-form');
    await page.getByTestId('tenant-id').fill(TENANT);
    await form.getByLabel('Application (client) id').fill(TENANT_APP);
    await page.getByTestId('tenant-secret').fill('first-secret');
    await h.shot('business-01-tenant-form');
    await form.getByRole('button', { name: 'Connect the tenant' }).click();
    await form.getByRole('status').filter({ hasText: 'with 1 user' }).waitFor();
    expect(await page.getByTestId('tenant-secret').inputValue()).toBe('');

    await enableUser(TENANT_USER);
    const tenant = await accountOf('microsoft');
    await backUpInUi(tenant.userKey, 2);
    await page.getByText('Jean Sammet').first().waitFor();
    await h.shot('business-02-tenant-contacts');
  });

  it('after the client secret is replaced, "Sign in again" takes the new one and keeps the history', async () => {
    const tenant = await accountOf('microsoft');
    microsoft.registerApp(TENANT_APP, 'second-secret');
    microsoft.expireAccessTokens();
    const card = await backUpUntilSignInNeeded(tenant.userKey, tenant.id);
    await card.getByTestId('sign-in-again').click();
    const renewal = card.getByTestId('renewal-form');
    await renewal.waitFor();
    expect(await renewal.textContent()).toContain('client secret no longer works');
    await card.getByTestId('renewal-secret').fill('not-the-secret');
    await card.getByTestId('renewal-submit').click();
    await card.getByTestId('sign-in-again-error').waitFor();
    expect(await card.getAttribute('data-status')).toBe('sign-in-needed');
    expect(await card.getByTestId('blocked-reason').textContent()).toContain('needs a new client secret');
    await dismissToasts(page);
    await h.shot('business-03-wrong-secret');

    await card.getByTestId('renewal-secret').fill('second-secret');
    await card.getByTestId('renewal-submit').click();
    await page.getByTestId('sign-in-again-result').waitFor();
    await page
      .locator(`[data-testid="account-row"][data-account-id="${tenant.id}"][data-status="ok"]`)
      .waitFor();
    await h.shot('business-04-signed-in-again');

    microsoft.addContact(microsoft.mailbox(TENANT_USER), {
      givenName: 'Grace',
      surname: 'Hopper',
      displayName: 'Grace Hopper',
    });
    await backUpInUi(tenant.userKey, 3);
    expect(await page.getByText('Jean Sammet').count()).toBe(1);
    const after = await accountOf('microsoft');
    expect(after).toEqual({ ...tenant, count: 1 });
  });

  it('connects a Workspace domain from its key file and signs it in again with a new key, at 900x600', async () => {
    await page.setViewportSize({ width: 900, height: 600 });
    await page.getByTestId('menu-settings').click();
    await dismissToasts(page);
    const details = page.getByTestId('connect-business');
    if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
    const form = page.getByTestId('workspace-form');
    await form.getByLabel('Administrator email').fill(DOMAIN_ADMIN);
    await form.getByLabel('Domain (optional)').fill('school.example');
    await page.getByTestId('workspace-key-file').setInputFiles({
      name: 'backup-key.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(key)),
    });
    await h.shot('business-05-workspace-form-900');
    await form.getByRole('button', { name: 'Connect the domain' }).click();
    await form.getByRole('status').filter({ hasText: 'with 1 user' }).waitFor();
    await enableUser(DOMAIN_ADMIN);
    const domain = await accountOf('google');
    await backUpInUi(domain.userKey, 1);

    const newKey = google.replaceServiceAccountKey(key);
    google.expireAccessTokens();
    await dismissToasts(page);
    const card = await backUpUntilSignInNeeded(domain.userKey, domain.id);
    await card.getByTestId('sign-in-again').click();
    await card.getByTestId('renewal-form').waitFor();
    expect(await card.getByTestId('renewal-form').textContent()).toContain('service-account key');
    await card.getByTestId('renewal-key-file').setInputFiles({
      name: 'new-key.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(newKey)),
    });
    await dismissToasts(page);
    await h.shot('business-06-new-key-900');
    await card.getByTestId('renewal-submit').click();
    await page.getByTestId('sign-in-again-result').waitFor();
    await page
      .locator(`[data-testid="account-row"][data-account-id="${domain.id}"][data-status="ok"]`)
      .waitFor();
    await h.shot('business-07-domain-signed-in-again-900');
    google.addContact(DOMAIN_ADMIN, { names: [{ givenName: 'Mary', familyName: 'Somerville' }] });
    await backUpInUi(domain.userKey, 2);
    expect(await accountOf('google')).toEqual({ ...domain, count: 2 });
    expect(h.consoleErrors).toEqual([]);
  });
});

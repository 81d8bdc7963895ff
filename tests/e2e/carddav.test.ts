/**
 * The CardDAV walk in Chromium against the real core and a real Radicale: Settings → Connect CardDAV
 * (a wrong app password first, which the form explains), then Configure Backup, the backup job in the
 * Task Manager, and the server's contacts with a photo in Contacts.
 */
import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  createProfileThroughUi,
  jobIdsInCore,
  startHarness,
  waitForListCount,
  watchNewJobInTaskManager,
  type E2eHarness,
} from '../support/e2e-harness';
import { startRadicale, type DavServer } from '../support/dav-servers';
import { generateContacts } from '../support/generate-contacts';
import { writeVcard } from '../../main/core/contacts/vcard-write';
import { removeTempDirs, tempDir } from '../support/temp-dir';

const SHOTS = '/tmp/shots-carddav';
let server: DavServer;
let harness: E2eHarness;

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  server = await startRadicale(await tempDir('cb-e2e-radicale-'));
  await server.addBook('contacts', 'Contacts');
  const people = generateContacts(12, { seed: 21, photoShare: 0.5 });
  await server.seed(
    'contacts',
    people.map((person) => ({
      name: `${person.uid}.vcf`,
      text: writeVcard(person.contact, {
        version: '4.0',
        uid: person.uid,
        ...(person.photo ? { photo: person.photo } : {}),
      }),
    })),
  );
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
  await server?.stop();
  await removeTempDirs();
});

async function shots(page: Page, name: string): Promise<void> {
  await harness.shot(`carddav-${name}`);
  await page.screenshot({ path: `${SHOTS}/${name}-1280x800.png`, fullPage: true });
  await page.setViewportSize({ width: 900, height: 600 });
  await page.screenshot({ path: `${SHOTS}/${name}-900x600.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}

describe('Connect CardDAV in the app', () => {
  it('connects a Radicale account, backs it up and shows its contacts', async () => {
    const { page } = harness;
    await page.goto(harness.host.url);
    await createProfileThroughUi(page);
    // The first screen offers the connect list next to the sample address book.
    await page.getByTestId('no-accounts').getByTestId('connect-open-carddav').waitFor();
    await shots(page, '00-first-run');

    await page.getByTestId('menu-settings').click();
    await page.getByTestId('connect-list').waitFor();
    await page.getByTestId('connect-open-carddav').click();
    const form = page.getByTestId('connect-form-carddav');
    await form.waitFor();
    // iCloud and Fastmail have fixed servers: no address field; "other" asks for it.
    await page.getByTestId('connect-field-preset').selectOption('icloud');
    expect(await page.getByTestId('connect-field-server').count()).toBe(0);
    await page.getByTestId('connect-field-preset').selectOption('other');
    await page.getByTestId('connect-field-server').fill(server.url);
    await page.getByTestId('connect-field-user').fill(server.user);
    await page.getByTestId('connect-field-password').fill('not the password');
    await page.getByTestId('connect-submit').click();
    const error = page.getByTestId('connect-error');
    await error.waitFor();
    expect(await error.getAttribute('data-code')).toBe('auth-required');
    expect(await error.textContent()).toMatch(/refused the user name or password/);
    // The password field is emptied whatever the outcome.
    expect(await page.getByTestId('connect-field-password').inputValue()).toBe('');
    await form.scrollIntoViewIfNeeded();
    await shots(page, '01-wrong-password');

    await page.getByTestId('connect-field-password').fill(server.password);
    await page.getByTestId('connect-submit').click();
    await page.getByTestId('connect-outcome').waitFor();
    expect(await page.getByTestId('connect-outcome').textContent()).toMatch(/Connected alice/);
    const account = page.getByTestId('settings-account').filter({ hasText: 'alice' });
    await account.waitFor();
    expect(await account.textContent()).toMatch(/CardDAV/);
    await shots(page, '02-connected');

    await page.getByTestId('menu-dashboard').click();
    await page.getByTestId('configure-backup').waitFor();
    const before = await jobIdsInCore(page);
    await page.getByTestId('configure-backup-switch').check();
    await page.getByTestId('configure-backup-apply').check();
    await page.getByTestId('configure-backup-save').click();
    await watchNewJobInTaskManager(page, 'backup', before);

    await page.getByTestId('menu-contacts').click();
    await page.getByTestId('contacts-view').waitFor();
    await waitForListCount(page, 12);
    expect(await page.getByTestId('folder-item').filter({ hasText: 'Contacts' }).count()).toBe(1);
    await page.getByTestId('contact-row').first().click();
    await page.getByTestId('info-pane').waitFor();
    await shots(page, '03-contacts');

    // The app password is revoked at the server: the next backup fails and the account asks for a new one.
    await server.setPassword!('a-new-app-password');
    const beforeFailing = await jobIdsInCore(page);
    await page.getByTestId('action-run-backup').click();
    await page.getByTestId('menu-tasks').click();
    await page.getByTestId('task-manager').waitFor();
    await expect
      .poll(
        async () => {
          const rows = await page
            .getByTestId('task-row')
            .evaluateAll((elements) =>
              elements.map((row) => [row.getAttribute('data-job-id'), row.getAttribute('data-state')]),
            );
          return rows.find(([id]) => id && !beforeFailing.has(id))?.[1];
        },
        { timeout: 30_000 },
      )
      .toBe('failed');
    await page.getByTestId('menu-settings').click();
    await page.getByTestId('account-reconnect').click();
    const again = page.getByTestId('settings-account').getByTestId('connect-form-carddav');
    await again.waitFor();
    // The server and user are filled in from the account; only the password is asked for.
    expect(await again.getByTestId('connect-field-server').inputValue()).toBe(server.url);
    expect(await again.getByTestId('connect-field-user').inputValue()).toBe(server.user);
    await again.getByTestId('connect-field-password').fill('a-new-app-password');
    await shots(page, '04-password-again');
    await again.getByTestId('connect-submit').click();
    await expect.poll(() => page.getByTestId('account-reconnect').count(), { timeout: 15_000 }).toBe(0);
    const beforeRetry = await jobIdsInCore(page);
    await page.getByTestId('menu-contacts').click();
    await page.getByTestId('action-run-backup').click();
    await watchNewJobInTaskManager(page, 'backup', beforeRetry);
    expect(harness.consoleErrors.filter((line) => !/401|Unauthorized/.test(line))).toEqual([]);
  });
});

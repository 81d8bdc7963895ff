/**
 * The two Settings panels for channels the CLI had and the app lacked, walked in Chromium against the
 * web host and the real core: a contact of the sample deleted from the backup with "Keep them out
 * of later backups" is counted under Settings > Kept out of backups, "Let them back in" clears it
 * and the next backup stores it again (`exclusions.list` / `exclusions.clear`); Retention's "Apply
 * now" removes an old version of an edited contact at once and then says nothing is left to remove
 * (`retention.apply`). Screens at 1280x800 and 900x600 go to test-results/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import {
  PASSWORD,
  SCREENSHOTS,
  addVcardThroughUi,
  createProfileThroughUi,
  dismissToasts,
  jobIdsInCore,
  startHarness,
  until,
  waitForListCount,
  waitForToast,
  watchNewJobInTaskManager,
  type E2eHarness,
} from '../support/e2e-harness';
import { removeTempDirs, tempDir } from '../support/temp-dir';

const SAMPLE = 'Sample address book';
const SAMPLE_COUNT = 340;
const VCARD_LABEL = 'Home cards';

let h: E2eHarness;
let page: Page;
let vcardFile: string;
let vcardUserKey: string;
let sampleUserKey: string;
let deletedName: string;

function card(uid: string, name: string, phone: string): string {
  return ['BEGIN:VCARD', 'VERSION:4.0', `UID:${uid}`, `FN:${name}`, `TEL:${phone}`, 'END:VCARD', ''].join(
    '\r\n',
  );
}

/** The viewport at both sizes, with the panel of `headingId` jumped to from the Settings list. */
async function shot(name: string, headingId: string): Promise<void> {
  for (const [width, height] of [
    [1280, 800],
    [900, 600],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.locator(`[data-testid="settings-nav-item"][data-target="${headingId}"]`).click();
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}x${height}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function openSettingsAt(headingId: string): Promise<void> {
  await page.getByTestId('menu-settings').click();
  await page.getByTestId('settings').waitFor();
  await page.locator(`[data-testid="settings-nav-item"][data-target="${headingId}"]`).click();
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(headingId);
}

async function openContactsOf(userKey: string): Promise<void> {
  await page.getByTestId('menu-contacts').click();
  await page.getByTestId('contacts-view').waitFor();
  await page.getByTestId('user-select').selectOption(userKey);
}

/** Back up now from the Contacts toolbar (nothing selected) and wait for the job to succeed. */
async function backUpNow(): Promise<void> {
  await expect.poll(() => page.getByTestId('list-count').textContent()).toMatch(/, 0 selected$/);
  const before = await jobIdsInCore(page);
  await dismissToasts(page);
  await page.getByTestId('action-run-backup').click();
  await waitForToast(page, 'Backup job created');
  await watchNewJobInTaskManager(page, 'backup', before);
}

function keptOutRow(userKey: string) {
  return page.locator(`[data-testid="kept-out-user"][data-user-key="${userKey}"]`);
}

beforeAll(async () => {
  const folder = await tempDir('cb-e2e-kept-out-');
  vcardFile = join(folder, 'home.vcf');
  await writeFile(
    vcardFile,
    card('ada', 'Ada Lovelace', '+44 20 7946 0000') + card('bob', 'Bob Babbage', '+44 20 7946 0001'),
    'utf8',
  );
  h = await startHarness();
  page = h.page;
  await page.goto(h.host.url);
  await createProfileThroughUi(page, 'Alice', PASSWORD);
});

afterAll(async () => {
  await h?.close();
  await removeTempDirs();
});

describe('Settings > Kept out of backups and Retention > Apply now, in Chromium', () => {
  it('adds the sample and a vCard folder and backs both up', async () => {
    const accountId = await addVcardThroughUi(page, join(vcardFile, '..'), VCARD_LABEL);
    vcardUserKey = `${accountId}/local`;
    await page.getByTestId('settings-add-sample').click();
    await page.getByTestId('settings-account').filter({ hasText: SAMPLE }).waitFor();
    await page.getByTestId('menu-dashboard').click();
    await page.getByTestId('configure-backup').waitFor();
    await page.getByTestId('configure-backup-switch').check();
    await page.getByTestId('configure-backup-apply').check();
    await page.getByTestId('configure-backup-save').click();
    await expect
      .poll(() => page.getByTestId('configure-backup-result').textContent())
      .toMatch(/^Initial backup created: 2 jobs\./);
    await page.getByTestId('menu-tasks').click();
    await until('both initial backups to succeed', async () => {
      const states = await page
        .getByTestId('task-row')
        .evaluateAll((rows) => rows.map((r) => r.dataset.state));
      if (states.includes('failed')) throw new Error(JSON.stringify(states));
      return states.length === 2 && states.every((state) => state === 'succeeded') ? states : undefined;
    });
    await page.getByTestId('menu-dashboard').click();
    const sampleUser = page
      .getByTestId('account-row')
      .filter({ hasText: SAMPLE })
      .getByTestId('account-user-row');
    sampleUserKey = (await sampleUser.getAttribute('data-user-key')) ?? '';
    expect(sampleUserKey).not.toBe('');
  });

  it('shows no contact kept out before any delete, with the button disabled', async () => {
    await openSettingsAt('settings-kept-out');
    const row = keptOutRow(sampleUserKey);
    await expect
      .poll(() => row.getByTestId('kept-out-count').textContent())
      .toBe('No contacts are kept out of backups.');
    expect(await row.getByTestId('kept-out-clear').isDisabled()).toBe(true);
    expect(await page.getByTestId('kept-out-user').count()).toBe(2);
  });

  it('deletes one sample contact with "Keep them out of later backups" ticked', async () => {
    await openContactsOf(sampleUserKey);
    await waitForListCount(page, SAMPLE_COUNT);
    const first = page.getByTestId('contact-row').nth(0);
    deletedName = ((await first.locator('.name').textContent()) ?? '').trim();
    expect(deletedName).not.toBe('');
    await first.click();
    await expect.poll(() => page.getByTestId('list-count').textContent()).toMatch(/, 1 selected$/);
    await page.getByTestId('action-delete').click();
    const dialog = page.getByTestId('delete-dialog');
    await dialog.waitFor();
    await page.getByTestId('delete-keep-out').check();
    await page.getByTestId('delete-password').fill(PASSWORD);
    await page.getByTestId('delete-confirm').click();
    await dialog.waitFor({ state: 'detached' });
    await waitForToast(page, 'Delete job created');
    await waitForListCount(page, SAMPLE_COUNT - 1);
  });

  it('counts it under Kept out of backups; Let them back in clears it with a toast', async () => {
    await dismissToasts(page);
    await openSettingsAt('settings-kept-out');
    const row = keptOutRow(sampleUserKey);
    await expect
      .poll(() => row.getByTestId('kept-out-count').textContent())
      .toBe('1 contact is kept out of later backups.');
    // The other user has none; each row names its user, and so does its button.
    await expect
      .poll(() => keptOutRow(vcardUserKey).getByTestId('kept-out-count').textContent())
      .toBe('No contacts are kept out of backups.');
    const button = row.getByRole('button', { name: /^Let them back in: / });
    expect(await button.isEnabled()).toBe(true);
    expect(await button.textContent()).toBe('Let them back in');
    // Keyboard: Tab from the heading reaches the enabled button (the other row's is disabled), with
    // the visible focus ring every button has.
    await page.keyboard.press('Tab');
    expect(await button.evaluate((element) => element === document.activeElement)).toBe(true);
    const outline = await button.evaluate((element) => getComputedStyle(element).outlineStyle);
    expect(outline).not.toBe('none');
    const axe = await new AxeBuilder({ page }).include('[data-testid="settings-kept-out"]').analyze();
    expect(
      axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
    ).toEqual([]);
    await shot('kept-out-one', 'settings-kept-out');

    await button.click();
    await waitForToast(page, '1 contact will be backed up again at the next backup.');
    await expect
      .poll(() => row.getByTestId('kept-out-count').textContent())
      .toBe('No contacts are kept out of backups.');
    expect(await button.isDisabled()).toBe(true);
    await shot('kept-out-cleared', 'settings-kept-out');
  });

  it('the next backup reads the whole sample and stores the contact again, once', async () => {
    await openContactsOf(sampleUserKey);
    await waitForListCount(page, SAMPLE_COUNT - 1);
    await backUpNow();
    await openContactsOf(sampleUserKey);
    await waitForListCount(page, SAMPLE_COUNT);
    await page.getByTestId('contact-search').fill(deletedName);
    await expect.poll(() => page.getByTestId('contact-row').filter({ hasText: deletedName }).count()).toBe(1);
    await page.getByTestId('contact-search').fill('');
  });

  it('Retention > Apply now removes the old version at once, then says nothing is left', async () => {
    // A second version of Ada: a new phone at the source, backed up.
    const text = await readFile(vcardFile, 'utf8');
    await writeFile(vcardFile, text.replace('+44 20 7946 0000', '+44 20 7946 9999'), 'utf8');
    await openContactsOf(vcardUserKey);
    await waitForListCount(page, 2);
    await backUpNow();

    await openSettingsAt('settings-retention');
    await page.getByTestId('retention-kind').selectOption('last');
    await page.getByTestId('retention-revisions').fill('1');
    await page.getByTestId('retention-save').click();
    await expect
      .poll(() => page.getByTestId('retention-next-run').textContent())
      .toBe('The next backup removes 1 old version and 0 contacts deleted at the source.');

    await dismissToasts(page);
    const apply = page.getByTestId('retention-apply');
    expect(await apply.textContent()).toBe('Apply now');
    await apply.click();
    await waitForToast(page, 'Retention removed 1 old version and 0 contacts deleted at the source.');
    // Back to its normal state, and the preview read again (the views refreshed).
    await expect.poll(() => apply.textContent()).toBe('Apply now');
    expect(await apply.isEnabled()).toBe(true);
    await expect
      .poll(() => page.getByTestId('retention-next-run').textContent())
      .toBe('The next backup removes nothing.');
    await shot('retention-applied', 'settings-retention');

    // While the call runs the button says so and cannot be pressed twice: the page's API object
    // holds the next retention.apply until the test lets it go.
    await page.evaluate(() => {
      const api = window.contactsBackup!;
      const invoke = api.invoke.bind(api);
      const w = window as unknown as { releaseApply?: () => void };
      const held = new Promise<void>((resolve) => (w.releaseApply = resolve));
      api.invoke = (async (channel: string, request: unknown) => {
        if (channel === 'retention.apply') await held;
        return invoke(channel as never, request as never);
      }) as typeof api.invoke;
    });
    await apply.click();
    await expect.poll(() => apply.textContent()).toBe('Applying…');
    expect(await apply.isDisabled()).toBe(true);
    await page.evaluate(() => (window as unknown as { releaseApply: () => void }).releaseApply());
    await waitForToast(page, 'Retention removed nothing: every version is within the policy.');
    await expect.poll(() => apply.textContent()).toBe('Apply now');
    expect(await apply.isEnabled()).toBe(true);
    expect(h.consoleErrors).toEqual([]);
  });
});

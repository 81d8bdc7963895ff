/**
 * Issue 17 walked in Debian's Chromium against the web host and the real core: selection by click,
 * Ctrl-click, Shift-click and the keyboard; sorting; the context menu by mouse and by Shift+F10;
 * both delete dialogs naming what they remove; the comparison of two versions of a contact; the
 * 900x600 layout (narrow folders, info drawer, Task Manager without sideways scrolling); light and
 * dark screenshots; axe on those screens; and a host that stops, then comes back with a new token.
 * Screenshots go to test-results/screenshots/finish-*.png (and /tmp/shots-finish when it exists).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { writeVcard } from '../../main/core/contacts/vcard-write';
import { addVcardAccount } from '../../main/core/session/account-service';
import { enqueueBackup } from '../../main/core/session/backup-service';
import type { ProfileSession } from '../../main/core/session/profile-session';
import { startWebHost, type WebHost } from '../../main/web/web-host';
import { writeVcfSource, type GeneratedContact } from '../support/generate-contacts';
import {
  PASSWORD,
  RENDERER,
  SCREENSHOTS,
  openFolder,
  startHarness,
  until,
  waitForListCount,
  waitForToast,
  type E2eHarness,
} from '../support/e2e-harness';
import { removeTempDirs, tempDir } from '../support/temp-dir';

const COUNT = 40;
const EXTRA_SHOTS = '/tmp/shots-finish';

let h: E2eHarness;
let page: Page;
let generated: GeneratedContact[];
let changed: GeneratedContact;
let newEmail: string;
let secondHost: WebHost | undefined;

async function backup(session: ProfileSession, userKey: string): Promise<void> {
  const { job } = enqueueBackup(session, { userKey }, 'user', true);
  const done = await session.jobs.wait(job.id);
  if (done.state !== 'succeeded') throw new Error(`The setup backup ended ${done.state}.`);
}

async function shot(name: string): Promise<void> {
  await h.shot(`finish-${name}`);
  await mkdir(EXTRA_SHOTS, { recursive: true });
  await copyFile(join(SCREENSHOTS, `finish-${name}.png`), join(EXTRA_SHOTS, `${name}.png`));
}

async function seriousViolations(screen: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  if (results.passes.length < 10) return [`${screen}: axe checked only ${results.passes.length} rule(s)`];
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${screen}: ${violation.id}: ${violation.help} — ${violation.nodes
          .slice(0, 4)
          .map((node) => node.target.join(' '))
          .join(' | ')}`,
    );
}

function countLine(): Promise<string | null> {
  return page.getByTestId('list-count').textContent();
}

function rows() {
  return page.getByTestId('contact-row');
}

/** The selected rows' indexes as shown (aria-selected). */
async function selectedIndexes(): Promise<number[]> {
  return page
    .locator('[data-testid="contact-row"][aria-selected="true"]')
    .evaluateAll((elements) => elements.map((element) => Number(element.getAttribute('data-index'))));
}

beforeAll(async () => {
  const vcards = await tempDir('cb-finish-vcards-');
  const file = join(vcards, 'book.vcf');
  generated = writeVcfSource(file, COUNT, { seed: 17, photoShare: 0.2, folders: 4, version: '4.0' });
  h = await startHarness();
  page = h.page;
  const session = await h.app.createProfile('Alice', PASSWORD);
  const account = await addVcardAccount(session, vcards, 'Home vCards');
  const userKey = `${account.id}/local`;
  await backup(session, userKey);
  // A second version of one contact: a new email address and a note, for the comparison.
  changed = generated.find((item) => item.contact.emails.length > 0 && !item.contact.notes)!;
  newEmail = `renamed.${changed.contact.emails[0].value}`;
  const text = await readFile(file, 'utf8');
  const at = text.lastIndexOf('BEGIN:VCARD', text.indexOf(changed.uid));
  const end = text.indexOf('END:VCARD', at) + 'END:VCARD\r\n'.length;
  expect(at).toBeGreaterThan(-1);
  const [first, ...others] = changed.contact.emails;
  const card = writeVcard(
    {
      ...changed.contact,
      emails: [{ ...first, value: newEmail }, ...others],
      notes: 'Moved to the new office',
    },
    {
      version: '4.0',
      uid: changed.uid,
      categories: changed.folderNames,
      ...(changed.photo ? { photo: changed.photo } : {}),
    },
  );
  await writeFile(file, text.slice(0, at) + card + text.slice(end), 'utf8');
  await backup(session, userKey);
  await h.app.lock();
  await page.goto(h.host.url);
  await page.getByTestId('unlock-form').waitFor();
  await page.getByTestId('unlock-password').fill(PASSWORD);
  await page.getByTestId('unlock-submit').click();
  await page.getByTestId('dashboard').waitFor();
  await page.getByTestId('menu-contacts').click();
  await waitForListCount(page, COUNT);
});

afterAll(async () => {
  await secondHost?.close();
  await h?.close();
  await removeTempDirs();
});

describe('issue 17: an app that feels finished', () => {
  it('selects by click, Ctrl-click and Shift-click, and the actions follow the selection', async () => {
    expect(await page.getByTestId('action-delete').isDisabled()).toBe(true);
    await rows().nth(0).click();
    await expect.poll(countLine).toBe(`${COUNT} contacts, 1 selected`);
    await page.getByTestId('contact-info').waitFor();
    expect(await page.getByTestId('action-delete').isDisabled()).toBe(false);
    expect(await page.getByTestId('action-restore').isDisabled()).toBe(false);
    // A plain click on another row moves the selection; Ctrl-click adds; Shift-click selects a range.
    await rows().nth(2).click();
    expect(await selectedIndexes()).toEqual([2]);
    await rows()
      .nth(4)
      .click({ modifiers: ['Control'] });
    expect(await selectedIndexes()).toEqual([2, 4]);
    await rows()
      .nth(7)
      .click({ modifiers: ['Shift'] });
    await expect.poll(selectedIndexes).toEqual([4, 5, 6, 7]);
    await expect.poll(countLine).toBe(`${COUNT} contacts, 4 selected`);
    await rows()
      .nth(5)
      .click({ modifiers: ['Control'] });
    await expect.poll(selectedIndexes).toEqual([4, 6, 7]);
    await shot('01-selection-1280');
  });

  it('selects with the keyboard: Escape, Space, Shift+arrows, Ctrl+A', async () => {
    const grid = page.getByTestId('contact-list');
    await grid.focus();
    await page.keyboard.press('Escape');
    await expect.poll(countLine).toBe(`${COUNT} contacts, 0 selected`);
    await page.keyboard.press('Home');
    await page.keyboard.press('Space');
    await expect.poll(selectedIndexes).toEqual([0]);
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await expect.poll(selectedIndexes).toEqual([0, 1, 2]);
    await page.keyboard.press('Control+a');
    await expect.poll(countLine).toBe(`${COUNT} contacts, ${COUNT} selected`);
    await page.keyboard.press('Escape');
    await expect.poll(countLine).toBe(`${COUNT} contacts, 0 selected`);
  });

  it('sorts by company and last changed, and back by name', async () => {
    const companyHeader = page
      .locator('[role="columnheader"]')
      .filter({ has: page.getByTestId('sort-company') });
    await page.getByTestId('sort-company').click();
    await expect.poll(() => companyHeader.getAttribute('aria-sort')).toBe('ascending');
    const companies = async () =>
      (await rows().locator('.cell-company').allTextContents()).slice(0, 12).filter((text) => text);
    await until('rows sorted by company', async () => {
      const shown = await companies();
      const sorted = [...shown].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' }));
      return shown.length > 1 && JSON.stringify(shown) === JSON.stringify(sorted) ? true : undefined;
    });
    await page.getByTestId('sort-updated').click();
    // Newest change first: the contact changed by the second backup leads.
    await expect.poll(() => rows().nth(0).locator('.name').textContent()).toBe(changed.contact.displayName);
    await page.getByTestId('sort-name').click();
    const nameHeader = page.locator('[role="columnheader"]').filter({ has: page.getByTestId('sort-name') });
    await expect.poll(() => nameHeader.getAttribute('aria-sort')).toBe('ascending');
    await waitForListCount(page, COUNT);
  });

  it('opens the context menu by right-click and by Shift+F10, and its items act on the selection', async () => {
    await rows().nth(3).click({ button: 'right' });
    const menu = page.getByTestId('context-menu');
    await menu.waitFor();
    expect(await selectedIndexes()).toEqual([3]);
    expect(await menu.getByRole('menuitem').allTextContents()).toEqual([
      'Back up now',
      'Restore',
      'Delete',
      'Export',
      'Show versions',
    ]);
    await shot('02-context-menu');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });

    // Keyboard only: extend to two rows, Shift+F10, arrow to Export, Enter.
    await page.getByTestId('contact-list').focus();
    await page.keyboard.press('Shift+ArrowDown');
    await expect.poll(selectedIndexes).toEqual([3, 4]);
    await page.keyboard.press('Shift+F10');
    await menu.waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Back up now');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByTestId('export-dialog').waitFor();
    expect(await page.getByTestId('export-summary').textContent()).toContain('2 contacts selected');
    expect(await page.getByTestId('export-effect').textContent()).toContain('backup and the source');
    await page.keyboard.press('Escape');
    await page.getByTestId('export-dialog').waitFor({ state: 'detached' });

    // Back up now from the menu: one toast for the action.
    await rows().nth(3).click({ button: 'right' });
    await page.getByTestId('context-backup').click();
    await waitForToast(page, 'Backup job created');
    await expect.poll(() => page.getByTestId('toast').count()).toBe(1);
  });

  it('the delete dialog names the count and the first contacts, and can keep them out of backups', async () => {
    await rows().nth(0).click();
    await rows()
      .nth(6)
      .click({ modifiers: ['Shift'] });
    await expect.poll(countLine).toBe(`${COUNT} contacts, 7 selected`);
    const names = (await rows().locator('.name').allTextContents()).slice(0, 5);
    await page.getByTestId('action-delete').click();
    const dialog = page.getByTestId('delete-dialog');
    await dialog.waitFor();
    expect(await dialog.getByRole('heading').first().textContent()).toBe('Delete 7 contacts from the backup');
    expect(await page.getByTestId('delete-count').getAttribute('data-count')).toBe('7');
    const listed = await page.getByTestId('delete-names').locator('li').allTextContents();
    expect(listed).toEqual([...names, 'and 2 more']);
    expect(await page.getByTestId('delete-again').textContent()).toContain('come back into the backup');
    await page.getByTestId('delete-keep-out').check();
    await page.getByTestId('delete-password').fill(PASSWORD);
    // The dialog's buttons are never under a toast.
    const confirm = await page.getByTestId('delete-confirm').boundingBox();
    for (const toast of await page.getByTestId('toast').all()) {
      const box = await toast.boundingBox();
      if (!box || !confirm) continue;
      const overlaps =
        box.x < confirm.x + confirm.width &&
        confirm.x < box.x + box.width &&
        box.y < confirm.y + confirm.height &&
        confirm.y < box.y + box.height;
      expect(overlaps).toBe(false);
    }
    await shot('03-delete-contacts-dialog');
    await page.getByTestId('delete-confirm').click();
    await dialog.waitFor({ state: 'detached' });
    await waitForToast(page, 'Delete job created');
    await waitForListCount(page, COUNT - 7);
  });

  it('the Delete Folder dialog names the folder, its count and first contacts', async () => {
    const folder = page.getByTestId('folder-item').first();
    const folderName = (await folder.locator('span').first().textContent()) ?? '';
    const inFolder = await openFolder(page, folder);
    await page.getByTestId('folder-menu').click();
    await page.getByTestId('folder-menu-delete').click();
    await page.getByTestId('delete-dialog').waitFor();
    await expect
      .poll(() => page.getByTestId('delete-count').getAttribute('data-count'))
      .toBe(String(inFolder));
    expect(await page.getByTestId('delete-count').textContent()).toContain(`The folder ${folderName}`);
    expect(await page.getByTestId('delete-names').locator('li').count()).toBe(
      Math.min(inFolder, 5) + (inFolder > 5 ? 1 : 0),
    );
    await shot('04-delete-folder-dialog');
    await page.keyboard.press('Escape');
    await page.getByTestId('delete-dialog').waitFor({ state: 'detached' });
    await openFolder(page, page.getByTestId('folder-item-all'));
    await waitForListCount(page, COUNT - 7);
  });

  it('compares two versions of a contact with the changes highlighted and Restore in view', async () => {
    await page.getByTestId('contact-search').fill(newEmail);
    await waitForListCount(page, 1);
    await rows().nth(0).click({ button: 'right' });
    await page.getByTestId('context-versions').click();
    const items = page.getByTestId('version-item');
    await expect.poll(() => items.count()).toBe(2);
    // "Show versions" puts the focus on the version list.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'version-item',
    );
    await items.nth(0).click();
    await page.getByTestId('version-diff').waitFor();
    const diff = page.getByTestId('diff-row');
    const kinds = await diff.evaluateAll((elements) =>
      elements.map(
        (element) =>
          `${element.getAttribute('data-kind')} ${element.querySelector('.diff-field')?.textContent}`,
      ),
    );
    expect(kinds).toContain('changed Emails');
    expect(kinds).toContain('added Notes');
    expect(await page.getByTestId('version-diff').textContent()).toContain(newEmail);
    await expect.poll(() => page.getByTestId('restore-version').isVisible()).toBe(true);
    const restoreBox = await page.getByTestId('restore-version').boundingBox();
    expect(restoreBox && restoreBox.y + restoreBox.height <= 800).toBe(true);
    await shot('05-version-compare-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot('06-version-compare-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    // Comparing the other way round: the older version against the newer one.
    await items.nth(1).click();
    await page.getByTestId('compare-with').selectOption({ index: 1 });
    await page.getByTestId('version-diff').waitFor();
    expect(await page.getByTestId('version-diff').textContent()).toContain(newEmail);
    await page.getByTestId('contact-search').fill('');
    await waitForListCount(page, COUNT - 7);
  });

  it('is usable at 900x600 in light and dark: narrow folders, list on screen, info drawer, Task Manager', async () => {
    await page.setViewportSize({ width: 900, height: 600 });
    const problems: string[] = [];
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page
        .getByTestId('info-close')
        .click()
        .catch(() => undefined);
      const tree = await page.getByTestId('folder-tree').boundingBox();
      const list = await page.getByTestId('contact-list').boundingBox();
      expect(tree!.width).toBeLessThan(220);
      expect(list!.y).toBeLessThan(300);
      expect(list!.y + list!.height).toBeLessThanOrEqual(600);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(900);
      await shot(`07-contacts-900-${scheme}`);
      await rows().nth(1).click();
      const drawer = page.getByTestId('info-pane');
      await page.getByTestId('contact-info').waitFor();
      expect(await drawer.evaluate((element) => getComputedStyle(element).position)).toBe('fixed');
      const box = await drawer.boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(900);
      problems.push(...(await seriousViolations(`contacts-900-drawer-${scheme}`)));
      await shot(`08-info-drawer-900-${scheme}`);
      await page.keyboard.press('Escape');
      await page.getByTestId('contact-list').focus();
      await page.keyboard.press('Shift+F10');
      await page.getByTestId('context-menu').waitFor();
      problems.push(...(await seriousViolations(`context-menu-${scheme}`)));
      await page.keyboard.press('Escape');
      await page.getByTestId('action-delete').click();
      await page.getByTestId('delete-dialog').waitFor();
      problems.push(...(await seriousViolations(`delete-dialog-900-${scheme}`)));
      await shot(`09-delete-dialog-900-${scheme}`);
      await page.keyboard.press('Escape');
      await page.getByTestId('menu-tasks').click();
      await page.getByTestId('task-table').waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(900);
      await shot(`10-task-manager-900-${scheme}`);
      await page.getByTestId('menu-contacts').click();
      await waitForListCount(page, COUNT - 7);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });
    await shot('11-contacts-1280');
    expect(problems).toEqual([]);
  });

  it('shows a disconnected state, not the unlock form, and then says when the address is no longer valid', async () => {
    const port = h.host.port;
    await h.host.close();
    await page.getByTestId('disconnected').waitFor();
    expect(await page.getByTestId('disconnected').getAttribute('data-state')).toBe('reconnecting');
    expect(await page.getByTestId('unlock-form').count()).toBe(0);
    expect(await page.getByTestId('connection-retry').isVisible()).toBe(true);
    await shot('12-disconnected');
    // The host comes back on the same port with a new token: the old page says so.
    secondHost = await startWebHost({ app: h.app, rendererFolder: RENDERER, port });
    await page.getByTestId('connection-retry').click();
    await until('the page to say its address is no longer valid', async () =>
      (await page.getByTestId('disconnected').getAttribute('data-state')) === 'token-invalid'
        ? true
        : undefined,
    );
    expect(await page.getByTestId('disconnected').textContent()).toContain('Open the new address');
    await shot('13-token-invalid');
    // The new address works.
    await page.goto(secondHost.url);
    await page.getByTestId('app').waitFor();
    await until('the new page to connect', async () =>
      (await page.getByTestId('disconnected').count()) === 0 ? true : undefined,
    );
  });
});

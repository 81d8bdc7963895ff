/**
 * The user guide's Contacts Backup chapter walked from start to end in Debian's Chromium against the
 * web host and the real core: first run, accounts, Configure Backup, the initial backup in the Task
 * Manager, browsing/searching/info, Run Backup on selected contacts, the three restores, Delete with a
 * wrong and then the right password, Folder > Export Folder to PST (read back with readpst), and the
 * Task Manager compared with `contacts-backup tasks --watch --json`. Each screen is saved to
 * test-results/screenshots/guide-NN-*.png.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { writeVcfSource, type GeneratedContact } from '../support/generate-contacts';
import {
  PASSWORD,
  addVcardThroughUi,
  dismissToasts,
  createProfileThroughUi,
  jobIdsInCore,
  startHarness,
  taskRowsInUi,
  until,
  waitForListCount,
  waitForToast,
  watchNewJobInTaskManager,
  type E2eHarness,
  type TaskRowData,
} from '../support/e2e-harness';
import { runCli } from '../support/run-cli';
import { removeTempDirs, tempDir } from '../support/temp-dir';

const run = promisify(execFile);
const COUNT = 60;
const FOLDERS = ['Family', 'Friends', 'Work', 'Clients'];
const VCARD_LABEL = 'Family address book';

let h: E2eHarness;
let page: Page;
let vcardFolder: string;
let work: string;
let generated: GeneratedContact[];
let vcardUserKey: string;

beforeAll(async () => {
  vcardFolder = await tempDir('cb-e2e-vcards-');
  work = await tempDir('cb-e2e-work-');
  generated = writeVcfSource(join(vcardFolder, 'address-book.vcf'), COUNT, {
    seed: 11,
    photoShare: 0.25,
    folders: FOLDERS.length,
    version: '4.0',
  });
  h = await startHarness();
  page = h.page;
});

afterAll(async () => {
  await h?.close();
  await removeTempDirs();
});

/**
 * After every step: a second window on the Task Manager route (as the desktop app's own Task
 * Manager window) shows exactly the jobs the core has, and `contacts-backup tasks --watch --json`
 * (which reads the job list the running host writes) lists the same, with the same states.
 */
let taskWindow: Page | undefined;
afterEach(async () => {
  const session = h?.app.session;
  if (!session) return;
  if (!taskWindow) {
    taskWindow = await h.browser.newPage();
    await taskWindow.goto(`${h.host.url}#/tasks`);
  }
  const sorted = (rows: readonly TaskRowData[]) =>
    JSON.stringify([...rows].sort((a, b) => a.id.localeCompare(b.id)));
  const core = () => sorted(session.jobs.list().map(({ id, state, kind }) => ({ id, state, kind })));
  await until('the Task Manager window to show what the core has', async () => {
    if (!(await taskWindow!.getByTestId('task-manager').isVisible())) return undefined;
    return sorted(await taskRowsInUi(taskWindow!)) === core() ? true : undefined;
  });
  await until('`tasks --watch --json` to list what the core has', async () => {
    const result = await runCli(h.home, ['tasks', '--watch', '--json'], {
      CONTACTS_BACKUP_PASSWORD: PASSWORD,
    });
    if (result.code !== 0) throw new Error(`exit ${result.code}: ${result.stderr}`);
    const lines = result.stdout.trim().split('\n');
    const jobs = JSON.parse(lines[lines.length - 1]) as TaskRowData[];
    return sorted(jobs.map(({ id, state, kind }) => ({ id, state, kind }))) === core() ? true : undefined;
  });
}, 60_000);

function inFolder(name: string): GeneratedContact[] {
  return generated.filter((item) => item.folderNames.includes(name));
}

/** Every .vcf file under a folder, recursively. */
async function vcfFiles(folder: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.vcf')) found.push(join(entry.parentPath, entry.name));
  }
  return found.sort();
}

async function openContacts(): Promise<void> {
  await page.getByTestId('menu-contacts').click();
  await page.getByTestId('contacts-view').waitFor();
}

async function search(text: string): Promise<void> {
  await page.getByTestId('contact-search').fill(text);
}

function row(name: string) {
  return page.getByTestId('contact-row').filter({ hasText: name });
}

async function chooseFolder(name: string): Promise<void> {
  const item = page.getByTestId('folder-item').filter({ hasText: name });
  await item.click();
  await expect.poll(() => item.getAttribute('aria-current')).toBe('true');
}

async function previewAndStartRestore(expectedCreate: number): Promise<void> {
  const dialog = page.getByTestId('restore-dialog');
  await dialog.waitFor();
  await expect(await page.getByTestId('restore-start').isDisabled()).toBe(true);
  await page.getByTestId('restore-preview').click();
  await page.getByTestId('restore-plan').waitFor();
  expect(await page.getByTestId('plan-create').textContent()).toBe(`${expectedCreate} to create`);
  expect(await page.getByTestId('plan-update').textContent()).toBe('0 to update');
}

describe('the Contacts Backup chapter of the user guide, in Chromium against the real core', () => {
  it('first run: creates the profile', async () => {
    await page.goto(h.host.url);
    await page.getByTestId('create-profile-form').waitFor();
    await h.shot('guide-01-first-run');
    await createProfileThroughUi(page, 'Alice', PASSWORD);
    await page.getByTestId('no-accounts').waitFor();
    expect(await page.getByTestId('profile-name-label').textContent()).toContain('Alice');
    await h.shot('guide-02-dashboard-empty');
  });

  it('adds a writable vCard-folder account and the sample through Settings', async () => {
    const accountId = await addVcardThroughUi(page, vcardFolder, VCARD_LABEL);
    vcardUserKey = `${accountId}/local`;
    await page.getByTestId('settings-add-sample').click();
    await page.getByTestId('settings-account').filter({ hasText: 'Sample address book' }).waitFor();
    expect(await page.getByTestId('settings-account').count()).toBe(2);
    await h.shot('guide-03-settings-accounts');
  });

  it('Dashboard > Configure Backup: on, Apply to enabled users, Save creates the initial backups', async () => {
    await page.getByTestId('menu-dashboard').click();
    await page.getByTestId('configure-backup').waitFor();
    expect(await page.getByTestId('account-row').count()).toBe(2);
    await page.getByTestId('configure-backup-switch').check();
    await page.getByTestId('configure-backup-apply').check();
    await page.getByTestId('configure-backup-save').click();
    await expect
      .poll(() => page.getByTestId('configure-backup-result').textContent())
      .toMatch(/^Initial backup created: 2 jobs\./);
    await waitForToast(page, 'Backup job created');
    await h.shot('guide-04-configure-backup-saved');
  });

  it('watches the initial backups in the Task Manager until they succeed', async () => {
    await page.getByTestId('menu-tasks').click();
    await page.getByTestId('task-manager').waitFor();
    await until('both initial backups to succeed', async () => {
      const rows = await taskRowsInUi(page);
      if (rows.some((r) => r.state === 'failed')) throw new Error(JSON.stringify(rows));
      return rows.length === 2 && rows.every((r) => r.kind === 'backup' && r.state === 'succeeded')
        ? rows
        : undefined;
    });
    const vcardRow = page.getByTestId('task-row').filter({ hasText: VCARD_LABEL });
    expect(await vcardRow.getByTestId('task-counts').textContent()).toContain(`added ${COUNT}`);
    await h.shot('guide-05-task-manager-initial-backup');
    // The dashboard shows the result per user.
    await page.getByTestId('menu-dashboard').click();
    const user = page.locator(`[data-testid="account-user-row"][data-user-key="${vcardUserKey}"]`);
    await expect.poll(() => user.getByTestId('contact-count').textContent()).toBe(String(COUNT));
  });

  it('Contacts: browses the folder tree with counts and the list', async () => {
    await openContacts();
    await page.getByTestId('user-select').selectOption(vcardUserKey);
    await waitForListCount(page, COUNT);
    expect(await page.getByTestId('folder-item-all').textContent()).toContain(String(COUNT));
    for (const name of FOLDERS) {
      const count = page.getByTestId('folder-item').filter({ hasText: name }).locator('.count');
      await expect.poll(() => count.textContent()).toBe(String(inFolder(name).length));
    }
    expect(await page.getByTestId('contact-row').count()).toBeGreaterThan(5);
    await h.shot('guide-06-contacts-browse');
    await chooseFolder('Work');
    await waitForListCount(page, inFolder('Work').length);
    const names = await page.getByTestId('contact-row').locator('.name').allTextContents();
    const workNames = new Set(inFolder('Work').map((item) => item.contact.displayName));
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(workNames.has(name), name).toBe(true);
    await h.shot('guide-07-contacts-folder');
    await page.getByTestId('folder-item-all').click();
    await waitForListCount(page, COUNT);
  });

  it('search: part of a phone number finds its contact', async () => {
    const target = generated.find((item) => item.contact.phones.length > 0)!;
    const digits = target.contact.phones[0].value.replace(/\D+/g, '');
    const part = digits.slice(-7); // the last seven digits, typed without the spaces shown
    const expected = generated.filter((item) =>
      item.contact.phones.some((phone) => phone.value.replace(/\D+/g, '').includes(part)),
    );
    await search(part);
    await waitForListCount(page, expected.length);
    await row(target.contact.displayName).first().waitFor();
    await h.shot('guide-08-search-phone');
    // A formatted fragment ("456 7890") matches the same contact too.
    const formatted = target.contact.phones[0].value.split(' ').slice(-2).join(' ');
    await search(formatted);
    await row(target.contact.displayName).first().waitFor();
    await search('');
    await waitForListCount(page, COUNT);
  });

  it('opens a contact’s info: every field it has shows, with its photo', async () => {
    const fieldIds = (item: GeneratedContact): string[] => {
      const c = item.contact;
      const ids = ['field-displayName', 'field-name'];
      const lists: [string, readonly unknown[]][] = [
        ['field-nicknames', c.nicknames],
        ['field-emails', c.emails],
        ['field-phones', c.phones],
        ['field-addresses', c.addresses],
        ['field-urls', c.urls],
        ['field-organizations', c.organizations],
        ['field-events', c.events],
        ['field-relations', c.relations],
        ['field-im', c.imAddresses],
        ['field-sip', c.sipAddresses],
        ['field-customFields', c.customFields],
        ['field-folders', item.folderNames],
      ];
      for (const [id, list] of lists) if (list.length > 0) ids.push(id);
      if (c.birthday) ids.push('field-birthday');
      if (c.notes) ids.push('field-notes');
      if (c.gender) ids.push('field-gender');
      if (c.fileAs) ids.push('field-fileAs');
      return ids;
    };
    // The richest contact with a photo and an email to find it by.
    const target = generated
      .filter((item) => item.photo && item.contact.emails.length > 0)
      .sort((a, b) => fieldIds(b).length - fieldIds(a).length)[0];
    await search(target.contact.emails[0].value);
    await waitForListCount(page, 1);
    await row(target.contact.displayName).getByTestId('contact-info-button').click();
    await page.getByTestId('info-pane').waitFor();
    await page.getByTestId('contact-info').waitFor();
    expect(await page.getByTestId('contact-display-name').textContent()).toBe(target.contact.displayName);
    const photo = page.getByTestId('contact-photo');
    expect(await photo.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(40);
    const expected = fieldIds(target);
    expect(expected.length).toBeGreaterThanOrEqual(6);
    for (const id of expected) expect(await page.getByTestId(id).isVisible(), id).toBe(true);
    const phones = await page.getByTestId('field-phones').textContent();
    for (const phone of target.contact.phones) expect(phones).toContain(phone.value);
    const emails = await page.getByTestId('field-emails').textContent();
    for (const email of target.contact.emails) expect(emails).toContain(email.value);
    await h.shot('guide-09-contact-info');
    await page.getByTestId('info-close').click();
    await search('');
    await waitForListCount(page, COUNT);
  });

  it('selected contacts > Run Backup: "Backup job created" and the job in the Task Manager', async () => {
    const before = await jobIdsInCore(page);
    const rows = page.getByTestId('contact-row');
    await rows.nth(0).getByTestId('contact-row-checkbox').check();
    await rows.nth(1).getByTestId('contact-row-checkbox').check();
    await expect
      .poll(() => page.getByTestId('list-count').textContent())
      .toBe(`${COUNT} contacts, 2 selected`);
    await dismissToasts(page);
    await page.getByTestId('action-run-backup').click();
    await waitForToast(page, 'Backup job created');
    expect(
      await page.getByTestId('toast').filter({ hasText: 'Backup job created' }).first().textContent(),
    ).toContain('2 selected contacts');
    await h.shot('guide-10-run-backup-toast');
    const id = await watchNewJobInTaskManager(page, 'backup', before);
    const jobRow = page.locator(`[data-testid="task-row"][data-job-id="${id}"]`);
    expect(await jobRow.textContent()).toContain('Back up 2 selected contacts');
    await h.shot('guide-11-task-manager-selected-backup');
  });

  it('restores one contact: Restore, preview, Start, the job succeeds and writes it back', async () => {
    await openContacts();
    await waitForListCount(page, COUNT);
    const filesBefore = await vcfFiles(vcardFolder);
    const before = await jobIdsInCore(page);
    // Rows 0 and 1 are still ticked from Run Backup: keep the first only.
    const first = page.getByTestId('contact-row').nth(0);
    const name = await first.locator('.name').textContent();
    await page.getByTestId('contact-row').nth(1).getByTestId('contact-row-checkbox').uncheck();
    expect(await first.getByTestId('contact-row-checkbox').isChecked()).toBe(true);
    await expect
      .poll(() => page.getByTestId('list-count').textContent())
      .toBe(`${COUNT} contacts, 1 selected`);
    await dismissToasts(page);
    await page.getByTestId('action-restore').click();
    await previewAndStartRestore(1);
    await h.shot('guide-12-restore-contact-preview');
    await page.getByTestId('restore-start').click();
    await page.getByTestId('restore-dialog').waitFor({ state: 'detached' });
    await waitForToast(page, 'Restore job created');
    await watchNewJobInTaskManager(page, 'restore', before);
    await h.shot('guide-13-restore-contact-done');
    const added = (await vcfFiles(vcardFolder)).filter((file) => !filesBefore.includes(file));
    expect(added.length).toBe(1);
    expect(await readFile(added[0], 'utf8')).toContain(`FN:${name}`);
  });

  it('restores a folder: Folder > Restore Folder', async () => {
    await openContacts();
    await chooseFolder('Family');
    await waitForListCount(page, inFolder('Family').length);
    const filesBefore = await vcfFiles(vcardFolder);
    const before = await jobIdsInCore(page);
    await dismissToasts(page);
    await page.getByTestId('folder-menu').click();
    await page.getByTestId('folder-menu-restore').click();
    await previewAndStartRestore(inFolder('Family').length);
    await h.shot('guide-14-restore-folder-preview');
    await page.getByTestId('restore-start').click();
    await waitForToast(page, 'Restore job created');
    await watchNewJobInTaskManager(page, 'restore', before);
    const added = (await vcfFiles(vcardFolder)).filter((file) => !filesBefore.includes(file));
    expect(added.length).toBe(inFolder('Family').length);
  });

  it('Restore All', async () => {
    await openContacts();
    await page.getByTestId('folder-item-all').click();
    await waitForListCount(page, COUNT);
    const before = await jobIdsInCore(page);
    await dismissToasts(page);
    await page.getByTestId('action-restore-all').click();
    await previewAndStartRestore(COUNT);
    await h.shot('guide-15-restore-all-preview');
    await page.getByTestId('restore-start').click();
    await waitForToast(page, 'Restore job created');
    await watchNewJobInTaskManager(page, 'restore', before);
    await h.shot('guide-16-task-manager-restores');
  });

  it('deletes a contact: a wrong password is refused and keeps it, the right one removes it', async () => {
    const target = generated.find(
      (item) =>
        item.folderNames.length === 1 && item.folderNames[0] === 'Clients' && item.contact.emails.length,
    )!;
    await openContacts();
    await search(target.contact.emails[0].value);
    await waitForListCount(page, 1);
    const targetRow = row(target.contact.displayName);
    const contactId = await targetRow.getAttribute('data-contact-id');
    await targetRow.getByTestId('contact-row-checkbox').check();
    await page.getByTestId('action-delete').click();
    await page.getByTestId('delete-dialog').waitFor();
    await page.getByTestId('delete-password').fill('not my password');
    await page.getByTestId('delete-confirm').click();
    await expect
      .poll(() => page.getByTestId('delete-error').textContent())
      .toContain('That backup password is not correct. Nothing was deleted.');
    await h.shot('guide-17-delete-wrong-password');
    expect(await page.locator(`[data-testid="contact-row"][data-contact-id="${contactId}"]`).count()).toBe(1);
    expect(await h.app.session!.history.index.contacts.has(contactId!)).toBe(true);

    const before = await jobIdsInCore(page);
    await page.getByTestId('delete-password').fill(PASSWORD);
    await page.getByTestId('delete-confirm').click();
    await page.getByTestId('delete-dialog').waitFor({ state: 'detached' });
    await waitForToast(page, 'Delete job created');
    await watchNewJobInTaskManager(page, 'delete', before);
    await openContacts();
    await page.getByTestId('contact-list-empty').waitFor();
    await waitForListCount(page, 0);
    await h.shot('guide-18-delete-done');
    await search('');
    await waitForListCount(page, COUNT - 1);
    expect(await page.locator(`[data-testid="contact-row"][data-contact-id="${contactId}"]`).count()).toBe(0);
  });

  it('Folder > Export Folder to PST: the job succeeds and readpst finds the folder’s contacts', async () => {
    const expected = inFolder('Work');
    await chooseFolder('Work');
    await waitForListCount(page, expected.length);
    const before = await jobIdsInCore(page);
    await page.getByTestId('folder-menu').click();
    await page.getByTestId('folder-menu-export').click();
    await page.getByTestId('export-dialog').waitFor();
    expect(await page.getByTestId('export-format').inputValue()).toBe('pst');
    const file = join(work, 'work-folder.pst');
    await page.getByTestId('export-start').click();
    await waitForToast(page, 'Export job created');
    // The browser host offers the file as a download; it is saved where the person chooses.
    const link = page.getByTestId('export-download');
    await link.waitFor({ timeout: 30_000 });
    await h.shot('guide-19-export-pst-done');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/\.pst$/);
    await download.saveAs(file);
    await page
      .getByTestId('export-dialog')
      .getByRole('button', { name: 'Close', exact: true })
      .last()
      .click();
    await watchNewJobInTaskManager(page, 'export', before);

    expect(existsSync(file)).toBe(true);
    expect((await stat(file)).size).toBeGreaterThan(1000);
    const out = join(work, 'readpst');
    await mkdir(out, { recursive: true });
    await run('readpst', ['-S', '-cv', '-tc', '-8', '-o', out, file], { timeout: 60_000 });
    const names: string[] = [];
    for (const entry of await readdir(out, { withFileTypes: true, recursive: true })) {
      if (!entry.isFile()) continue;
      const text = await readFile(join(entry.parentPath, entry.name), 'utf8');
      // readpst writes FN as "Family, Given"; N carries the parts: Family;Given;Middle;…
      for (const match of text.matchAll(/^N(?:;[^:]*)?:(.*)$/gm)) {
        const [family, given] = match[1].trim().split(/(?<!\\);/);
        names.push(`${given} ${family}`.replace(/\\([,;\\])/g, '$1'));
      }
    }
    expect(names.sort()).toEqual(
      expected.map((item) => `${item.contact.name.given} ${item.contact.name.family}`).sort(),
    );
  });

  it('the Task Manager shows what the core and `contacts-backup tasks --watch --json` list', async () => {
    await page.getByTestId('menu-tasks').click();
    await page.getByTestId('task-manager').waitFor();
    await h.shot('guide-20-task-manager-final');
    const byId = (rows: readonly TaskRowData[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));
    const ui = byId(await taskRowsInUi(page));
    expect(ui.length).toBe(8); // 2 initial + 1 selected backup, 3 restores, 1 delete, 1 export
    expect(ui.every((r) => r.state === 'succeeded')).toBe(true);

    const inPage = await page.evaluate(async () => {
      const result = await window.contactsBackup!.invoke('tasks.list', {});
      if (!result.ok) throw new Error(result.error.message);
      return result.value.map((job) => ({ id: job.id, state: job.state, kind: job.kind }));
    });
    expect(byId(inPage)).toEqual(ui);

    // The web host holds the profile's writer lock; `tasks --watch` reads without it.
    const cli = await until('the CLI to list the same jobs', async () => {
      const result = await runCli(h.home, ['tasks', '--watch', '--json'], {
        CONTACTS_BACKUP_PASSWORD: PASSWORD,
      });
      if (result.code !== 0) throw new Error(`exit ${result.code}: ${result.stderr}`);
      const lines = result.stdout.trim().split('\n');
      const jobs = JSON.parse(lines[lines.length - 1]) as { id: string; state: string; kind: string }[];
      const rows = byId(jobs.map((job) => ({ id: job.id, state: job.state, kind: job.kind })));
      return JSON.stringify(rows) === JSON.stringify(ui) ? rows : undefined;
    });
    expect(cli).toEqual(ui);
    expect(h.consoleErrors).toEqual([]);
  });
});

/**
 * The restore walk of issue 15 in Chromium against the web host and the real core: the sample
 * address book (read-only) offers "a new vCard folder" first and says why it is not itself a
 * target; Restore All, one contact and a folder each preview counts and names, and the Task
 * Manager's result sentence has the same counts; what lands on disk is each contact once.
 * Screenshots at 1280x800 and 900x600 go to /tmp/shots-restore/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { parseVcards } from '../../main/core/contacts/vcard-parse';
import {
  createProfileThroughUi,
  dismissToasts,
  jobIdsInCore,
  openFolder,
  startHarness,
  waitForListCount,
  watchNewJobInTaskManager,
  type E2eHarness,
} from '../support/e2e-harness';
import { removeTempDirs, tempDir } from '../support/temp-dir';

const SHOTS = '/tmp/shots-restore';
const SAMPLE = 340;

let h: E2eHarness;
let page: Page;
let work: string;

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  work = await tempDir('cb-e2e-restore-');
  h = await startHarness({ viewport: { width: 1280, height: 800 } });
  page = h.page;
});

afterAll(async () => {
  await h?.close();
  await removeTempDirs();
});

async function shots(name: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: `${SHOTS}/${name}-1280.png` });
  await page.setViewportSize({ width: 900, height: 600 });
  await page.screenshot({ path: `${SHOTS}/${name}-900.png` });
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** UIDs of every card under a folder (recursively) or in one file, with how often each occurs. */
async function uidsAt(path: string, file = false): Promise<Map<string, number>> {
  const files = file
    ? [path]
    : (await readdir(path, { recursive: true, withFileTypes: true }))
        .filter((entry) => entry.isFile() && entry.name.endsWith('.vcf'))
        .map((entry) => join(entry.parentPath, entry.name));
  const counts = new Map<string, number>();
  for (const name of files) {
    for (const card of parseVcards(await readFile(name, 'utf8')).cards)
      counts.set(card.uid ?? '', (counts.get(card.uid ?? '') ?? 0) + 1);
  }
  return counts;
}

/** In the open dialog: choose the vCard target, preview, check counts and names, start; returns the job's sentence. */
async function restoreInto(
  kind: 'folder' | 'file',
  path: string,
  expected: { count: number; firstNames?: string[] },
  shot: string,
): Promise<string> {
  const dialog = page.getByTestId('restore-dialog');
  await dialog.waitFor();
  const select = page.getByTestId('restore-target');
  await expect.poll(() => select.isDisabled()).toBe(false);
  // The sample is read-only: a new vCard folder is chosen for the user, and nothing else is offered.
  expect(await select.inputValue()).toBe('*vcard-folder*');
  const options = await select.locator('option').allTextContents();
  expect(options).toEqual(['A new vCard folder…', 'A new vCard file…']);
  expect(await page.getByTestId('restore-not-offered').textContent()).toMatch(
    /Sample address book is read-only: restore it into a new vCard folder or file/,
  );
  // Opened, so the screenshots show the reason too.
  await page.getByTestId('restore-not-offered').locator('summary').click();
  if (kind === 'file') await select.selectOption('*vcard-file*');
  await page.getByTestId('restore-target-path').fill(path);
  await page.getByTestId('restore-preview').click();
  await page.getByTestId('restore-plan').waitFor();
  expect(await page.getByTestId('plan-create').textContent()).toBe(`${expected.count} to create`);
  expect(await page.getByTestId('plan-update').textContent()).toBe('0 to update');
  expect(await page.getByTestId('plan-skip').textContent()).toBe('0 to skip');
  expect(await page.getByTestId('plan-target').textContent()).toBe(`Into ${path}`);
  const names = (await page.getByTestId('plan-names-create').textContent()) ?? '';
  const listed = names
    .replace(/^To create: /, '')
    .replace(/, and \d+ more$/, '')
    .split(', ');
  expect(listed).toHaveLength(Math.min(50, expected.count));
  if (expected.count > 50) expect(names).toMatch(new RegExp(`, and ${expected.count - 50} more$`));
  else expect(names).not.toMatch(/more$/);
  if (expected.firstNames) expect(listed).toEqual(expected.firstNames);
  await shots(`${shot}-preview`);
  const before = await jobIdsInCore(page);
  await dismissToasts(page);
  await page.getByTestId('restore-start').click();
  await dialog.waitFor({ state: 'detached' });
  const id = await watchNewJobInTaskManager(page, 'restore', before, 60_000);
  const result = page.locator(`[data-testid="task-row"][data-job-id="${id}"] [data-testid="task-result"]`);
  const sentence = (await result.textContent()) ?? '';
  await shots(`${shot}-done`);
  return sentence;
}

describe('restore to a new vCard folder or file, in Chromium against the real core', () => {
  it('backs up the sample address book', async () => {
    await page.goto(h.host.url);
    await createProfileThroughUi(page);
    await page.getByTestId('try-sample').click();
    await page.getByTestId('menu-dashboard').click();
    await page.getByTestId('configure-backup').waitFor();
    await page.getByTestId('configure-backup-switch').check();
    await page.getByTestId('configure-backup-apply').check();
    await page.getByTestId('configure-backup-save').click();
    await page.getByTestId('menu-tasks').click();
    await expect
      .poll(() => page.getByTestId('task-state').first().textContent(), { timeout: 60_000 })
      .toMatch(/succeeded/i);
    await page.getByTestId('menu-contacts').click();
    await waitForListCount(page, SAMPLE, 30_000);
  });

  it('Restore All into a new vCard folder: preview with names, result equal to it', async () => {
    await page.getByTestId('action-restore-all').click();
    const target = join(work, 'all');
    const sentence = await restoreInto('folder', target, { count: SAMPLE }, 'restore-all');
    expect(sentence).toMatch(
      new RegExp(`Restored: ${SAMPLE} created, 0 updated, 0 skipped \\(in "Restored `),
    );
    const uids = await uidsAt(target);
    expect(uids.size).toBe(SAMPLE);
    expect([...uids.values()].every((count) => count === 1)).toBe(true);
  });

  it('one contact into a new vCard folder', async () => {
    await page.getByTestId('menu-contacts').click();
    await waitForListCount(page, SAMPLE);
    const row = page.getByTestId('contact-row').nth(0);
    const name = ((await row.locator('.name').textContent()) ?? '').trim();
    await row.getByTestId('contact-row-checkbox').check();
    await page.getByTestId('action-restore').click();
    const target = join(work, 'one');
    const sentence = await restoreInto('folder', target, { count: 1, firstNames: [name] }, 'restore-one');
    expect(sentence).toMatch(/Restored: 1 created, 0 updated, 0 skipped/);
    expect((await uidsAt(target)).size).toBe(1);
  });

  it('a folder into a new vCard file, written whole', async () => {
    await page.getByTestId('menu-contacts').click();
    await page.getByTestId('contact-row').nth(0).getByTestId('contact-row-checkbox').uncheck();
    const folder = page.getByTestId('folder-item').first();
    const count = await openFolder(page, folder);
    expect(count).toBeGreaterThan(0);
    await page.getByTestId('folder-menu').click();
    await page.getByTestId('folder-menu-restore').click();
    const target = join(work, 'folder.vcf');
    const sentence = await restoreInto('file', target, { count }, 'restore-folder');
    expect(sentence).toMatch(new RegExp(`Restored: ${count} created, 0 updated, 0 skipped`));
    const uids = await uidsAt(target, true);
    expect(uids.size).toBe(count);
    expect([...uids.values()].every((n) => n === 1)).toBe(true);
    expect((await readdir(work)).filter((name) => name.endsWith('.restoring'))).toEqual([]);
    expect(h.consoleErrors).toEqual([]);
  });
});

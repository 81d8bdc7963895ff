/**
 * Issue 16 in Chromium against the web host and the real core on a fake clock: every setting is
 * changed through Settings and seen to take effect. The schedule gives "Next backup at ..." on the
 * Dashboard and fires on the fake clock; retention prunes old versions at the next backup; a
 * notification turned off shows no toast; start at login reaches the host; a vCard source is added
 * through the file picker (and a CSV refused with a sentence); an export arrives as a download;
 * the profile is renamed and its password changed. Screens at 1280x800 and 900x600 are saved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  PASSWORD,
  addSourceFileThroughUi,
  createProfileThroughUi,
  dismissToasts,
  jobIdsInCore,
  startHarness,
  watchNewJobInTaskManager,
  type E2eHarness,
} from '../support/e2e-harness';
import { removeTempDirs, tempDir } from '../support/temp-dir';

const SHOTS = '/tmp/shots-live';
const LABEL = 'Home cards';

function card(uid: string, name: string, phone: string): string {
  return ['BEGIN:VCARD', 'VERSION:4.0', `UID:${uid}`, `FN:${name}`, `TEL:${phone}`, 'END:VCARD', ''].join(
    '\r\n',
  );
}

function book(adaPhone: string): string {
  return card('ada', 'Ada Lovelace', adaPhone) + card('bob', 'Bob Babbage', '+44 20 7946 0001');
}

let h: E2eHarness;
let page: Page;
let work: string;
let now = new Date('2026-06-01T09:00:00').getTime();
const ticks: (() => void)[] = [];
const loginItem: boolean[] = [];

/** Moves the fake clock minute by minute, ticking the scheduler as the real heartbeat would. */
function advanceMinutes(minutes: number): void {
  for (let minute = 0; minute < minutes; minute += 1) {
    now += 60_000;
    for (const tick of ticks) tick();
  }
}

async function shot(name: string): Promise<void> {
  await mkdir(SHOTS, { recursive: true });
  for (const [width, height] of [
    [1280, 800],
    [900, 600],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: `${SHOTS}/${name}-${width}x${height}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await h.shot(`settings-${name}`);
}

/** The uploaded copy of the source in the profile's imports folder (the test edits it at the source). */
async function importedSource(): Promise<string> {
  const profiles = join(h.home, 'profiles');
  for (const profile of await readdir(profiles)) {
    const imports = join(profiles, profile, 'imports');
    const entries = await readdir(imports, { recursive: true, withFileTypes: true }).catch(() => []);
    const match = entries.find((entry) => entry.isFile() && entry.name === 'home.vcf');
    if (match) return join(match.parentPath, match.name);
  }
  throw new Error('No uploaded source in the imports folder.');
}

async function openSettings(): Promise<void> {
  await page.getByTestId('menu-settings').click();
  await page.getByTestId('settings').waitFor();
}

beforeAll(async () => {
  work = await tempDir('cb-e2e-settings-');
  h = await startHarness({
    ports: {
      clock: { now: () => new Date(now) },
      scheduler: { timers: { everyMinute: (tick) => (ticks.push(tick), () => undefined) } },
      setStartAtLogin: (on) => loginItem.push(on),
    },
  });
  page = h.page;
  await page.goto(h.host.url);
  await createProfileThroughUi(page, 'Alice', PASSWORD);
});

afterAll(async () => {
  await h?.close();
  await removeTempDirs();
});

describe('Settings, walked in Chromium on a fake clock', () => {
  it('lists its sections beside the panels; each entry takes the reader to its panel', async () => {
    await openSettings();
    const items = page.getByTestId('settings-nav-item');
    const targets = await items.evaluateAll((buttons) => buttons.map((button) => button.dataset.target));
    expect(targets.length).toBe(14);
    // Every entry names a panel that is on the page, in the order of the panels.
    const headings = await page
      .getByTestId('settings-sections')
      .evaluate((sections) => [...sections.querySelectorAll(':scope > section > h2')].map((h2) => h2.id));
    expect(headings).toEqual(targets);
    await page.locator('[data-testid="settings-nav-item"][data-target="settings-check"]').click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('settings-check');
    const top = await page.locator('#settings-check').evaluate((h2) => h2.getBoundingClientRect().top);
    expect(top).toBeLessThan(200);
    await shot('sections');
  });

  it('adds a vCard source through the file picker, and refuses a CSV with a sentence', async () => {
    const csv = join(work, 'people.vcf');
    await writeFile(csv, 'Name,E-mail\nAda,ada@example.org\n');
    await openSettings();
    await page.getByTestId('source-file').setInputFiles(csv);
    await page.getByTestId('source-add').click();
    await expect
      .poll(() => page.getByTestId('source-error').textContent())
      .toContain('This is a CSV (spreadsheet) file, not a vCard file');
    expect(await page.getByTestId('settings-account').count()).toBe(0);

    const file = join(work, 'home.vcf');
    await writeFile(file, book('+44 20 7946 0000'));
    await addSourceFileThroughUi(page, file, LABEL);
    expect(await page.getByTestId('source-error').count()).toBe(0);
    expect(await readFile(await importedSource(), 'utf8')).toBe(book('+44 20 7946 0000'));
  });

  it('turns backup on; the idle lock off; start at login on (the host is told)', async () => {
    await page.getByTestId('menu-dashboard').click();
    const before = await jobIdsInCore(page);
    await page.getByTestId('configure-backup-switch').check();
    await page.getByTestId('configure-backup-save').click();
    await watchNewJobInTaskManager(page, 'backup', before);

    await openSettings();
    // The fake clock jumps hours below; the idle lock would otherwise lock the profile.
    await page.getByTestId('idle-lock-minutes').fill('0');
    await page.getByTestId('idle-lock-minutes').blur();
    await page.getByTestId('start-at-login').check();
    await expect.poll(() => loginItem).toEqual([true]);
    await expect
      .poll(() => page.evaluate(async () => (await window.contactsBackup!.invoke('settings.get', {})).ok))
      .toBe(true);
    const settings = await page.evaluate(async () => {
      const result = await window.contactsBackup!.invoke('settings.get', {});
      return result.ok ? result.value : undefined;
    });
    expect(settings).toMatchObject({ idleLockMinutes: 0, startAtLogin: true });
  });

  it('sets the schedule: the next runs, "Next backup at" on the Dashboard, and the scheduler fires', async () => {
    await openSettings();
    await page.getByTestId('schedule-form').waitFor();
    await page.getByTestId('schedule-mode-times').check();
    await page.getByTestId('schedule-times').fill('09:30, 10:30');
    await page.getByTestId('schedule-spread').uncheck();
    await page.getByTestId('schedule-save').click();
    const first = new Date('2026-06-01T09:30:00').toISOString();
    await expect
      .poll(() => page.getByTestId('schedule-next-runs').locator('time').first().getAttribute('datetime'))
      .toBe(first);
    await shot('schedule');

    await page.getByTestId('menu-dashboard').click();
    await expect.poll(() => page.getByTestId('next-backup').getAttribute('data-at')).toBe(first);
    expect(await page.getByTestId('next-backup').textContent()).toMatch(/^Next backup at /);
    await shot('dashboard');

    // An edit at the source, then 09:30 on the fake clock: the scheduler creates the backup.
    await writeFile(await importedSource(), book('+44 20 7946 1111'));
    const before = await jobIdsInCore(page);
    advanceMinutes(31);
    const id = await watchNewJobInTaskManager(page, 'backup', before);
    const row = page.locator(`[data-testid="task-row"][data-job-id="${id}"]`);
    expect(await row.getByTestId('task-result').textContent()).toBe(
      '0 added, 1 changed, 0 deleted at the source, 1 unchanged.',
    );
    await page.getByTestId('menu-dashboard').click();
    await expect
      .poll(() => page.getByTestId('next-backup').getAttribute('data-at'))
      .toBe(new Date('2026-06-01T10:30:00').toISOString());
  });

  it('sets retention: Settings says what the next backup removes, and the next backup removes it', async () => {
    await openSettings();
    await page.getByTestId('retention-kind').selectOption('last');
    await page.getByTestId('retention-revisions').fill('1');
    await page.getByTestId('retention-save').click();
    await expect
      .poll(() => page.getByTestId('retention-next-run').textContent())
      .toBe('The next backup removes 1 old version and 0 contacts deleted at the source.');
    await shot('retention');

    await writeFile(await importedSource(), book('+44 20 7946 2222'));
    const before = await jobIdsInCore(page);
    advanceMinutes(60);
    const id = await watchNewJobInTaskManager(page, 'backup', before);
    const row = page.locator(`[data-testid="task-row"][data-job-id="${id}"]`);
    expect(await row.getByTestId('task-result').textContent()).toBe(
      '0 added, 1 changed, 0 deleted at the source, 1 unchanged. Retention removed 2 old versions.',
    );
    await row.getByTestId('task-changes-toggle').click();
    await expect.poll(() => row.getByTestId('task-changes').textContent()).toContain('Ada Lovelace');
    await shot('tasks');
    await openSettings();
    await expect
      .poll(() => page.getByTestId('retention-next-run').textContent())
      .toBe('The next backup removes nothing.');
  });

  it('turns the "job created" notification off: no toast; back on: a toast that links to its job', async () => {
    await openSettings();
    await dismissToasts(page);
    await page.getByTestId('notify-jobCreated').uncheck();
    await expect.poll(() => page.getByTestId('notify-jobCreated').isChecked()).toBe(false);
    let before = await jobIdsInCore(page);
    await page.getByTestId('check-start').click();
    await watchNewJobInTaskManager(page, 'check', before);
    expect(await page.getByTestId('toast').filter({ hasText: 'job created' }).count()).toBe(0);

    await openSettings();
    await page.getByTestId('notify-jobCreated').check();
    await expect.poll(() => page.getByTestId('notify-jobCreated').isChecked()).toBe(true);
    before = await jobIdsInCore(page);
    await page.getByTestId('check-start').click();
    const toast = page.getByTestId('toast').filter({ hasText: 'Check job created' });
    await toast.waitFor();
    await toast.getByTestId('toast-job-link').click();
    await page.getByTestId('task-manager').waitFor();
    const jobId = [...(await jobIdsInCore(page))].find((id) => !before.has(id))!;
    await expect
      .poll(() =>
        page.locator(`[data-testid="task-row"][data-job-id="${jobId}"]`).getAttribute('data-highlighted'),
      )
      .toBe('true');
  });

  it('exports the contacts and receives the file as a download', async () => {
    await page.getByTestId('menu-contacts').click();
    await page.getByTestId('contact-row').first().waitFor();
    await page.getByTestId('action-export').click();
    await page.getByTestId('export-dialog').waitFor();
    await page.getByTestId('export-format').selectOption('vcf');
    expect(await page.getByTestId('export-path').count()).toBe(0);
    await page.getByTestId('export-start').click();
    const link = page.getByTestId('export-download');
    await link.waitFor({ timeout: 30_000 });
    await shot('export');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/\.vcf$/);
    const saved = join(work, 'download.vcf');
    await download.saveAs(saved);
    const text = await readFile(saved, 'utf8');
    expect(text.match(/BEGIN:VCARD/g)).toHaveLength(2);
    expect(text).toContain('+44 20 7946 2222');
    await page
      .getByTestId('export-dialog')
      .getByRole('button', { name: 'Close', exact: true })
      .last()
      .click();
  });

  it('renames the profile and changes its backup password; the new one unlocks it', async () => {
    await openSettings();
    await page.getByTestId('profile-rename-name').fill('Alice at home');
    await page.getByTestId('profile-rename-submit').click();
    await expect.poll(() => page.getByTestId('profile-name-label').textContent()).toContain('Alice at home');

    await page.getByTestId('profile-password-open').click();
    await page.getByTestId('profile-password-current').fill('not the password');
    await page.getByTestId('profile-password-next').fill('a new long password');
    await page.getByTestId('profile-password-again').fill('a new long password');
    await page.getByTestId('profile-password-submit').click();
    await expect
      .poll(() => page.getByTestId('profile-password-error').textContent())
      .toContain('not correct');
    await page.getByTestId('profile-password-current').fill(PASSWORD);
    await page.getByTestId('profile-password-next').fill('a new long password');
    await page.getByTestId('profile-password-again').fill('a new long password');
    await page.getByTestId('profile-password-submit').click();
    await page.getByText('Backup password changed.').waitFor();
    await shot('profiles');

    await page.getByTestId('lock-button').click();
    await page.getByTestId('unlock-form').waitFor();
    await page.getByTestId('unlock-password').fill('a new long password');
    await page.getByTestId('unlock-submit').click();
    // Unlocked again on the screen that was open, under the new name.
    await page.getByTestId('settings').waitFor();
    expect(await page.getByTestId('profile-name-label').textContent()).toContain('Alice at home');
    expect(h.consoleErrors).toEqual([]);
  });
});

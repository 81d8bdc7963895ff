/**
 * axe-core on every screen of the app, in the light and the dark colour scheme: first run, unlock,
 * dashboard, contacts with the info pane open, the restore, delete and export dialogs, the Task
 * Manager and Settings. No violation of impact "serious" or "critical" may remain; the failure
 * message lists each one with the screen, rule and elements.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { addVcardAccount } from '../../main/core/session/account-service';
import { enqueueBackup } from '../../main/core/session/backup-service';
import { writeVcfSource } from '../support/generate-contacts';
import { PASSWORD, startHarness, waitForListCount, type E2eHarness } from '../support/e2e-harness';
import { removeTempDirs, tempDir } from '../support/temp-dir';

const COUNT = 40;
const SCHEMES = ['light', 'dark'] as const;

let h: E2eHarness;
let photoEmail: string;
/** A second host on an empty data folder, for the first-run screen. */
let fresh: E2eHarness;

beforeAll(async () => {
  const vcards = await tempDir('cb-a11y-vcards-');
  const generated = writeVcfSource(join(vcards, 'book.vcf'), COUNT, {
    seed: 5,
    photoShare: 0.5,
    folders: 4,
    version: '4.0',
  });
  photoEmail = generated.find((item) => item.photo && item.contact.emails.length > 0)!.contact.emails[0]
    .value;
  h = await startHarness();
  // A profile with one backed-up vCard folder, made in-process, then locked: the UI starts at Unlock.
  const session = await h.app.createProfile('Alice', PASSWORD);
  const account = await addVcardAccount(session, vcards, 'Home vCards');
  const { job } = enqueueBackup(session, { userKey: `${account.id}/local` }, 'user', true);
  const done = await session.jobs.wait(job.id);
  if (done.state !== 'succeeded') throw new Error(`The setup backup ended ${done.state}.`);
  await h.app.lock();
  fresh = await startHarness();
});

afterAll(async () => {
  await fresh?.close();
  await h?.close();
  await removeTempDirs();
});

async function violations(page: Page, screen: string, scheme: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  // A page axe could not read (blank, wrong frame) passes nothing: that is a failure, not a pass.
  if (results.passes.length < 10)
    return [`${screen} (${scheme}): axe checked only ${results.passes.length} rule(s)`];
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${screen} (${scheme}): [${violation.impact}] ${violation.id}: ${violation.help} — ${violation.nodes
          .slice(0, 5)
          .map(
            (node) =>
              `${node.target.join(' ')}${node.failureSummary ? ` (${node.failureSummary.replace(/\s+/g, ' ')})` : ''}`,
          )
          .join(' | ')}`,
    );
}

describe.each(SCHEMES)('axe on every screen, %s colour scheme', (scheme) => {
  it('finds no serious or critical violation', async () => {
    const problems: string[] = [];
    const check = async (page: Page, screen: string) => {
      problems.push(...(await violations(page, screen, scheme)));
      await (page === h.page ? h : fresh).shot(`a11y-${scheme}-${screen}`);
    };

    // First run (empty data folder).
    await fresh.page.emulateMedia({ colorScheme: scheme });
    await fresh.page.goto(fresh.host.url);
    await fresh.page.getByTestId('create-profile-form').waitFor();
    expect(await fresh.page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(
      scheme === 'dark',
    );
    await check(fresh.page, 'first-run');

    const page = h.page;
    await h.app.lock(); // each scheme starts locked, whatever the one before left
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(h.host.url);
    await page.getByTestId('unlock-form').waitFor();
    await check(page, 'unlock');

    await page.getByTestId('unlock-password').fill(PASSWORD);
    await page.getByTestId('unlock-submit').click();
    await page.getByTestId('dashboard').waitFor();
    await page.getByTestId('account-row').waitFor();
    await page.getByTestId('configure-backup').waitFor();
    await check(page, 'dashboard');

    await page.getByTestId('menu-contacts').click();
    await page.getByTestId('contacts-view').waitFor();
    await waitForListCount(page, COUNT);
    await page.getByTestId('contact-search').fill(photoEmail);
    await waitForListCount(page, 1);
    const withPhoto = page.getByTestId('contact-row').first();
    await withPhoto.getByTestId('contact-info-button').click();
    await page.getByTestId('contact-info').waitFor();
    await page.getByTestId('contact-photo').waitFor();
    await check(page, 'contacts-info');

    await withPhoto.getByTestId('contact-row-checkbox').check();
    await page.getByTestId('action-restore').click();
    await page.getByTestId('restore-dialog').waitFor();
    await page.getByTestId('restore-preview').click();
    await page.getByTestId('restore-plan').waitFor();
    await check(page, 'restore-dialog');
    await page.keyboard.press('Escape');
    await page.getByTestId('restore-dialog').waitFor({ state: 'detached' });

    await page.getByTestId('action-delete').click();
    await page.getByTestId('delete-dialog').waitFor();
    await page.getByTestId('delete-password').fill('wrong password');
    await page.getByTestId('delete-confirm').click();
    await page.getByTestId('delete-error').waitFor();
    await check(page, 'delete-dialog');
    await page.keyboard.press('Escape');
    await page.getByTestId('delete-dialog').waitFor({ state: 'detached' });

    await page.getByTestId('contact-search').fill('');
    await waitForListCount(page, COUNT);
    await page.getByTestId('folder-item').first().click();
    await page.getByTestId('folder-menu').click();
    await page.getByTestId('folder-menu-export').click();
    await page.getByTestId('export-dialog').waitFor();
    await check(page, 'export-dialog');
    await page.keyboard.press('Escape');
    await page.getByTestId('export-dialog').waitFor({ state: 'detached' });

    await page.getByTestId('menu-tasks').click();
    await page.getByTestId('task-row').first().waitFor();
    await page.getByTestId('task-log-toggle').first().click();
    await page.getByTestId('task-log').first().waitFor();
    await check(page, 'task-manager');

    await page.getByTestId('menu-settings').click();
    await page.getByTestId('settings-accounts').waitFor();
    await page.getByTestId('settings-account').first().waitFor();
    await page.getByTestId('audit-row').first().waitFor();
    await check(page, 'settings');

    // Back to the locked state for the next colour scheme.
    await page.getByTestId('lock-button').click();
    await page.getByTestId('unlock-form').waitFor();

    expect(problems, `axe found serious/critical violations:\n${problems.join('\n')}`).toEqual([]);
  });
});

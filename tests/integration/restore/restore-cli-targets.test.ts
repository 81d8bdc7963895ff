/**
 * The CLI's restore targets (issue 15 item 4): `restore --list-targets` says where a user's contacts
 * can go and why others cannot; a read-only source (the sample) restores into a new vCard folder
 * by default; a read-only account given with --to is refused with a sentence.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli, runCliJson, type ListedContact } from '../../support/run-cli';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

afterAll(removeTempDirs);

describe('restore targets in the CLI', () => {
  it('lists targets, restores the sample into a new vCard folder by default, refuses a read-only --to', async () => {
    const home = await tempDir();
    expect((await runCli(home, ['init'])).code).toBe(0);
    expect((await runCli(home, ['account', 'add', 'sample'])).code).toBe(0);
    expect((await runCli(home, ['backup'])).code).toBe(0);
    const listed = await runCli(home, ['restore', '--list-targets']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^--to-vcard-folder PATH\ta new vCard folder$/m);
    expect(listed.stdout).toMatch(
      /^\(not offered\) .*Sample address book.*: .* is read-only: restore it into a new vCard folder or file/m,
    );

    const [contact] = await runCliJson<ListedContact[]>(home, ['contacts', 'list', '--search', 'Ada']);
    const preview = await runCli(home, ['restore', '--contact', contact.id, '--preview']);
    expect(preview.stdout).toMatch(/^Would create 1, update 0, skip 0 contacts in .*restores/m);
    expect(preview.stdout).toContain(`Create: ${contact.contact.displayName}.`);

    const restored = await runCli(home, ['restore', '--all']);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stderr).toMatch(/The source is read-only: restoring into a new vCard folder, /);
    expect(restored.stdout).toMatch(/^Restored: 340 created, 0 updated, 0 skipped \(in "Restored /m);
    const folders = await readdir(join(home, 'restores'));
    expect(folders).toHaveLength(1);

    const accounts = await runCliJson<{ id: string; users: { id: string }[] }[]>(home, ['account', 'list']);
    const refused = await runCli(home, [
      'restore',
      '--all',
      '--to',
      `${accounts[0].id}/${accounts[0].users[0].id}`,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is read-only: restore it into a new vCard folder or file/);
  }, 180_000);
});

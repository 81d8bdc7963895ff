import { afterAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Contact } from '../../../main/core/contacts/model';
import { parseVcards } from '../../../main/core/contacts/vcard-parse';
import { SAMPLE_ADDRESS_BOOK_PATH } from '../../support/repo-paths';
import { writeVcfSource } from '../../support/generate-contacts';
import { runCli, runCliJson, startCli, type ListedContact } from '../../support/run-cli';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

afterAll(removeTempDirs);

function withoutPhoto(contact: Contact): Omit<Contact, 'photo'> {
  const { photo: _photo, ...rest } = contact;
  return rest;
}

describe('contacts-backup CLI', () => {
  it('backs up the sample address book with every field, and a second backup adds nothing', async () => {
    const home = await tempDir();
    expect((await runCli(home, ['init'])).code).toBe(0);
    expect((await runCli(home, ['account', 'add', 'sample'])).code).toBe(0);
    const backup = await runCli(home, ['backup']);
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/340 added, 0 changed/);

    const listed = await runCliJson<ListedContact[]>(home, ['contacts', 'list']);
    const parsed = parseVcards(await readFile(SAMPLE_ADDRESS_BOOK_PATH, 'utf8'));
    expect(parsed.errors).toEqual([]);
    expect(listed).toHaveLength(parsed.cards.length);
    const bySource = new Map(listed.map((item) => [item.sourceId, item]));
    let photos = 0;
    for (const card of parsed.cards) {
      const stored = bySource.get(card.uid!);
      expect(stored, `contact ${card.uid} is listed`).toBeDefined();
      expect(withoutPhoto(stored!.contact)).toEqual(
        withoutPhoto({ ...card.contact, folderIds: stored!.contact.folderIds }),
      );
      expect(Boolean(stored!.contact.photo)).toBe(Boolean(card.photo));
      if (card.photo) photos += 1;
    }
    expect(photos).toBeGreaterThan(10);

    const second = await runCli(home, ['backup']);
    expect(second.stdout).toMatch(/0 added, 0 changed, 0 deleted at source, 340 unchanged/);
    const again = await runCliJson<ListedContact[]>(home, ['contacts', 'list']);
    expect(again.every((item) => item.versions === 1)).toBe(true);
  });

  it('adds exactly one revision when one contact of a vCard source is edited, and shows both versions', async () => {
    const home = await tempDir();
    const source = join(home, 'book.vcf');
    writeVcfSource(source, 50, { seed: 7 });
    await runCli(home, ['init']);
    expect((await runCli(home, ['account', 'add', 'vcard', '--file', source])).code).toBe(0);
    expect((await runCli(home, ['backup'])).code).toBe(0);
    const before = await runCliJson<ListedContact[]>(home, ['contacts', 'list']);
    const target = before[0];
    const text = await readFile(source, 'utf8');
    const name = target.contact.displayName;
    expect(text.includes(`FN:${name}\r\n`)).toBe(true);
    await writeFile(source, text.replace(`FN:${name}\r\n`, `FN:${name} Edited\r\n`));
    const backup = await runCli(home, ['backup']);
    expect(backup.stdout).toMatch(/0 added, 1 changed, 0 deleted at source, 49 unchanged/);
    const after = await runCliJson<ListedContact[]>(home, ['contacts', 'list']);
    expect(after.filter((item) => item.versions === 2).map((item) => item.id)).toEqual([target.id]);
    const shown = await runCliJson<{ versions: { contact: Contact; until?: string }[] }>(home, [
      'contacts',
      'show',
      target.id,
      '--versions',
    ]);
    expect(shown.versions.map((version) => version.contact.displayName)).toEqual([name, `${name} Edited`]);
    const text2 = await runCli(home, ['contacts', 'show', target.id, '--versions']);
    expect(text2.stdout).toMatch(/current/);
  });

  it('survives kill -9 in the middle of a backup: earlier snapshots intact, the job shown as interrupted', async () => {
    const home = await tempDir();
    const source = join(home, 'big.vcf');
    writeVcfSource(source, 300, { seed: 1 });
    await runCli(home, ['init']);
    await runCli(home, ['account', 'add', 'vcard', '--file', source]);
    await runCli(home, ['backup']);
    const before = await runCliJson<ListedContact[]>(home, ['contacts', 'list']);
    writeVcfSource(source, 15_000, { seed: 2 });

    const child = startCli(home, ['backup']);
    child.stdin!.end();
    await new Promise<void>((resolve) => {
      let seen = '';
      child.stderr!.on('data', (chunk) => {
        seen += chunk;
        if (seen.includes('Reading contacts')) resolve();
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('close', resolve));

    const after = await runCliJson<ListedContact[]>(home, ['contacts', 'list']);
    expect(after.map((item) => item.id).sort()).toEqual(before.map((item) => item.id).sort());
    const tasks = await runCliJson<{ id: string; state: string }[]>(home, ['tasks']);
    expect(tasks.map((task) => task.state)).toEqual(['interrupted', 'succeeded']);

    // Resumed, it ends where an uninterrupted run ends: every contact of the new source, once.
    const resumed = await runCli(home, ['tasks', 'resume', tasks[0].id]);
    expect(resumed.code).toBe(0);
    const afterResume = await runCliJson<ListedContact[]>(home, ['contacts', 'list']);
    const live = afterResume.filter((item) => !item.deleted);
    expect(live).toHaveLength(15_000);
    expect(new Set(live.map((item) => item.sourceId)).size).toBe(15_000);
    const check = await runCli(home, ['check']);
    expect(check.code).toBe(0);
    // Two backups of 15,000 contacts: given room on a loaded 2-core machine (a guard, not a speed target).
  }, 180_000);

  it('fails with a one-line reason: no password, a wrong password, no profile, a missing file', async () => {
    const home = await tempDir();
    const noProfile = await runCli(home, ['contacts', 'list']);
    expect(noProfile.code).toBe(1);
    expect(noProfile.stderr).toMatch(
      /^contacts-backup: No profile in .*Run `contacts-backup init` first\.\n$/,
    );
    await runCli(home, ['init']);
    const noPassword = await runCli(home, ['contacts', 'list'], { CONTACTS_BACKUP_PASSWORD: '' });
    expect(noPassword.code).toBe(1);
    expect(noPassword.stderr).toMatch(/No backup password/);
    const wrong = await runCli(home, ['contacts', 'list'], { CONTACTS_BACKUP_PASSWORD: 'not it at all' });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toBe('contacts-backup: That backup password is not correct.\n');
    const viaStdin = await runCli(
      home,
      ['--password-stdin', 'contacts', 'list'],
      { CONTACTS_BACKUP_PASSWORD: '' },
      'test password 1\n',
    );
    expect(viaStdin.code).toBe(0);
    const missing = await runCli(home, ['account', 'add', 'vcard', '--file', join(home, 'nope.vcf')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/There is no file or folder/);
  });
});

/**
 * The CLI side of issue 17 item 2 and issue 18 item 1: a weak password is refused with the
 * estimator's sentence, the recovery key is made and used without ever being a command-line
 * argument, and `check` reports a rolled-back catalog and `check --repair` rebuilds it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { copyFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../../support/run-cli';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

afterAll(removeTempDirs);

function card(name: string): string {
  return `BEGIN:VCARD\r\nVERSION:4.0\r\nUID:${name.replace(/ /g, '-')}\r\nFN:${name}\r\nEND:VCARD\r\n`;
}

async function profileFolder(home: string): Promise<string> {
  const [id] = await readdir(join(home, 'profiles'));
  return join(home, 'profiles', id);
}

describe('CLI: password strength and the recovery key', () => {
  it('refuses "password", makes a recovery key, and resets a forgotten password with it', async () => {
    const home = await tempDir();
    const weak = await runCli(home, ['init'], { CONTACTS_BACKUP_PASSWORD: 'password' });
    expect(weak.code).not.toBe(0);
    expect(weak.stderr).toMatch(/too easy to guess\. This is a heavily used password/);
    expect((await runCli(home, ['init'])).code).toBe(0);
    const made = await runCli(home, ['profile', 'recovery-key', 'create']);
    expect(made.code).toBe(0);
    expect(made.stderr).toMatch(/shown only once/);
    const key = made.stdout.trim();
    expect(key).toMatch(/^([0-9A-Z]{4}-){7}[0-9A-Z]{4}$/);

    const tooWeak = await runCli(
      home,
      ['profile', 'reset-password', '--recovery-key-stdin'],
      {},
      `${key}\npassword\n`,
    );
    expect(tooWeak.stderr).toMatch(/too easy to guess/);
    const wrongKey = await runCli(
      home,
      ['profile', 'reset-password', '--recovery-key-stdin'],
      {},
      `${'A'.repeat(32)}\na brand new long password\n`,
    );
    expect(wrongKey.code).toBe(3);
    expect(wrongKey.stderr).toMatch(/recovery key does not open this profile/);
    const reset = await runCli(
      home,
      ['profile', 'reset-password', '--recovery-key-stdin'],
      {},
      `${key}\na brand new long password\n`,
    );
    expect(reset.stderr).toBe('');
    expect(reset.code).toBe(0);
    expect((await runCli(home, ['snapshots'])).code).toBe(3);
    expect(
      (await runCli(home, ['snapshots'], { CONTACTS_BACKUP_PASSWORD: 'a brand new long password' })).code,
    ).toBe(0);
  }, 240_000);
});

describe('CLI: changing the password and deleting a profile', () => {
  it('changes the password from standard input (old one refused after) and deletes a profile only with --yes and its password', async () => {
    const home = await tempDir();
    expect((await runCli(home, ['init'])).code).toBe(0);
    const weak = await runCli(
      home,
      ['profile', 'change-password', '--password-stdin', '--new-password-stdin'],
      {},
      'test password 1\npassword\n',
    );
    expect(weak.code).not.toBe(0);
    expect(weak.stderr).toMatch(/too easy to guess/);
    const changed = await runCli(
      home,
      ['profile', 'change-password', '--password-stdin', '--new-password-stdin'],
      {},
      'test password 1\nanother quite long password\n',
    );
    expect(changed.stderr).toBe('');
    expect(changed.stdout).toMatch(/has a new backup password/);
    expect((await runCli(home, ['snapshots'])).code).toBe(3);
    const fresh = { CONTACTS_BACKUP_PASSWORD: 'another quite long password' };
    expect((await runCli(home, ['snapshots'], fresh)).code).toBe(0);

    expect(
      (
        await runCli(home, ['profile', 'add', 'second'], {
          CONTACTS_BACKUP_PASSWORD: 'a second long password',
        })
      ).code,
    ).toBe(0);
    const unconfirmed = await runCli(home, ['profile', 'delete', 'second']);
    expect(unconfirmed.code).not.toBe(0);
    expect(unconfirmed.stderr).toMatch(/--yes/);
    const wrong = await runCli(home, ['profile', 'delete', 'second', '--yes'], fresh);
    expect(wrong.code).toBe(3);
    const deleted = await runCli(home, ['profile', 'delete', 'second', '--yes'], {
      CONTACTS_BACKUP_PASSWORD: 'a second long password',
    });
    expect(deleted.stderr).toBe('');
    expect(deleted.stdout).toMatch(/Deleted profile "second"/);
    const listed = await runCli(home, ['profile', 'list', '--json']);
    expect((JSON.parse(listed.stdout) as { name: string }[]).map((item) => item.name)).toEqual(['default']);
  }, 240_000);
});

describe('CLI: check on a rolled-back catalog', () => {
  it('reports it (exit 1, nothing deleted) and --repair rebuilds it from the segments', async () => {
    const home = await tempDir();
    const source = join(home, 'book.vcf');
    await writeFile(source, card('Ada Lovelace'));
    await runCli(home, ['init']);
    await runCli(home, ['account', 'add', 'vcard', '--file', source]);
    expect((await runCli(home, ['backup'])).code).toBe(0);
    const folder = await profileFolder(home);
    await copyFile(join(folder, 'db', 'catalog.cbs'), join(home, 'old-catalog.cbs'));
    await writeFile(source, card('Ada Lovelace') + card('Grace Hopper'));
    expect((await runCli(home, ['backup'])).code).toBe(0);
    const segments = (await readdir(join(folder, 'db', 'segments'))).sort();
    await copyFile(join(home, 'old-catalog.cbs'), join(folder, 'db', 'catalog.cbs'));

    const list = await runCli(home, ['contacts', 'list']);
    expect(list.code).toBe(1);
    expect(list.stderr).toMatch(/backup catalog \(db\/catalog\.cbs\) is older than the one last saved/);
    const check = await runCli(home, ['check']);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/error: db\/catalog\.cbs: .*older/);
    expect((await readdir(join(folder, 'db', 'segments'))).sort()).toEqual(segments);
    const repair = await runCli(home, ['check', '--repair']);
    expect(repair.stdout).toMatch(/Rebuilt the catalog/);
    expect(repair.code).toBe(0);
    expect((await readdir(join(folder, 'db', 'segments'))).sort()).toEqual(segments);
    const listed = await runCli(home, ['contacts', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/Grace Hopper/);
    expect((await runCli(home, ['check'])).code).toBe(0);
  }, 240_000);
});

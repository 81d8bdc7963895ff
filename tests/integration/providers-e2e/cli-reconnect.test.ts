/**
 * Issue 14, item 4 through the real CLI: a revoked grant makes `backup` fail (not exit 0 while
 * skipping), `account reconnect ID` signs the same account in again, and adding the same mailbox
 * again signs it in instead of creating a second account; the history continues.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/google/fake-google';
import { googleRedirectBrowser, runCliWithSignIn } from '../../support/fake-browser';
import { runCli, runCliJson, type ListedContact } from '../../support/run-cli';
import type { AccountView } from '../../../main/core/contract/contract-types';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

afterAll(removeTempDirs);

const EMAIL = 'ada@example.com';

describe('contacts-backup account reconnect against the Google fake', () => {
  let fake: FakeGoogle;
  beforeEach(async () => {
    fake = await startFakeGoogle();
    fake.addUser(EMAIL, { name: 'Ada Lovelace' });
    fake.addUser('grace@example.com', { name: 'Grace Hopper' });
    fake.setBrowserUser(EMAIL);
    for (let index = 0; index < 3; index += 1)
      fake.addContact(EMAIL, { names: [{ givenName: `Person${index}` }] });
  });
  afterEach(async () => fake.close());

  it('fails a backup that skipped a signed-out account, reconnects it in place, and never duplicates it', async () => {
    const { endpoints } = fake;
    const endpointArgs = [
      '--root-url',
      endpoints.rootUrl,
      '--auth-url',
      endpoints.authUrl,
      '--token-url',
      endpoints.tokenUrl,
      '--no-browser',
    ];
    const home = await tempDir();
    expect((await runCli(home, ['init'])).code).toBe(0);
    const addArgs = [
      'account',
      'add',
      'google',
      '--client-id',
      'cli.apps.googleusercontent.com',
      ...endpointArgs,
    ];
    const added = await runCliWithSignIn(home, addArgs, googleRedirectBrowser());
    expect(added.code, added.stderr).toBe(0);
    const id = /Added account (\w+)/.exec(added.stdout)![1];
    expect((await runCli(home, ['backup'])).code).toBe(0);

    fake.revokeGrants(EMAIL);
    const failed = await runCli(home, ['backup']);
    expect(failed.code).toBe(1);
    const skipped = await runCli(home, ['backup']);
    expect(skipped.code).toBe(1);
    expect(skipped.stderr).toContain(`Skipped ${EMAIL}`);
    expect(skipped.stderr).toContain('account reconnect ID');

    // Signing in as someone else is refused with a sentence, and the account stays as it was.
    fake.setBrowserUser('grace@example.com');
    const wrong = await runCliWithSignIn(
      home,
      ['account', 'reconnect', id, '--no-browser'],
      googleRedirectBrowser(),
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`You signed in as grace@example.com, but this account backs up ${EMAIL}`);

    fake.setBrowserUser(EMAIL);
    const again = await runCliWithSignIn(
      home,
      ['account', 'reconnect', id, '--no-browser'],
      googleRedirectBrowser(),
    );
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`Signed in again to account ${id}`);
    fake.addContact(EMAIL, { names: [{ givenName: 'Newcomer' }] });
    const next = await runCli(home, ['backup']);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toMatch(/1 added, 0 changed, 0 deleted at source, 3 unchanged/);

    // The same mailbox added again: signed in again, still one account.
    fake.revokeGrants(EMAIL);
    const readd = await runCliWithSignIn(home, addArgs, googleRedirectBrowser());
    expect(readd.code, readd.stderr).toBe(0);
    expect(readd.stdout).toContain(`is already account ${id}: signed in again`);
    const accounts = await runCliJson<AccountView[]>(home, ['account', 'list']);
    expect(accounts.map((account) => account.id)).toEqual([id]);
    expect(accounts[0].status).toBe('ok');
    expect((await runCli(home, ['backup'])).code).toBe(0);
    expect(await runCliJson<ListedContact[]>(home, ['contacts', 'list'])).toHaveLength(4);
  }, 300_000);
});

/**
 * Issue 14, item 4 for Microsoft at the session level: a revoked grant puts the account in
 * "sign-in needed", reconnecting keeps its id and cursors, another mailbox is refused with a
 * sentence, and connecting the same mailbox again signs the existing account in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type AppCore } from '../../../main/core/app';
import { connectMicrosoftAccount, reconnectAccount } from '../../../main/core/session/account-service';
import { enqueueBackup } from '../../../main/core/session/backup-service';
import { userKeyOf } from '../../../main/core/history/types';
import type { ProfileSession } from '../../../main/core/session/profile-session';
import { startFakeMicrosoft, type FakeMicrosoft } from '../../fakes/graph/fake-microsoft';
import { removeTempDirs, tempDir } from '../../support/temp-dir';
import { CLIENT_ID, personalSettings, scriptedBrowser } from './harness';

let fake: FakeMicrosoft;
let app: AppCore;
let session: ProfileSession;

beforeAll(async () => {
  fake = await startFakeMicrosoft();
  fake.registerApp(CLIENT_ID);
  const mailbox = fake.addMailbox('ada@outlook.com', { displayName: 'Ada' });
  fake.addMailbox('eve@outlook.com', { displayName: 'Eve' });
  fake.addContact(mailbox, { givenName: 'Grace', surname: 'Hopper', displayName: 'Grace Hopper' });
  app = createApp({ home: await tempDir(), host: 'cli', openBrowser: scriptedBrowser(fake) });
  session = await app.createProfile('Tester', 'test password 1');
});
afterAll(async () => {
  await app.lock();
  await fake.close();
  await removeTempDirs();
});

async function backupOnce(accountId: string, userId: string) {
  const { job } = enqueueBackup(session, { userKey: userKeyOf(accountId, userId) }, 'cli', true);
  return session.jobs.wait(job.id);
}

describe('Microsoft: sign in again', () => {
  it('reconnects the same account after a revoked grant and refuses another mailbox', async () => {
    fake.state.signInEmail = 'ada@outlook.com';
    const { account, outcome } = await connectMicrosoftAccount(session, personalSettings(fake));
    expect(outcome).toBe('added');
    account.backupEnabled = true;
    const userId = account.users[0].id;
    expect((await backupOnce(account.id, userId)).state).toBe('succeeded');

    fake.revokeRefreshTokens();
    fake.state.accessTokens.clear();
    expect((await backupOnce(account.id, userId)).state).toBe('failed');
    expect(account.status).toBe('sign-in-needed');

    fake.state.signInEmail = 'eve@outlook.com';
    await expect(reconnectAccount(session, account.id)).rejects.toThrow(
      'You signed in as eve@outlook.com, but this account backs up ada@outlook.com.',
    );
    expect(account.status).toBe('sign-in-needed');

    fake.state.signInEmail = 'ada@outlook.com';
    const again = await reconnectAccount(session, account.id);
    expect(again.id).toBe(account.id);
    expect(again.status).toBe('ok');
    fake.addContact(fake.mailbox('ada@outlook.com'), { givenName: 'Jean', displayName: 'Jean Sammet' });
    const next = await backupOnce(account.id, userId);
    expect(next.state).toBe('succeeded');
    expect(next.counts).toMatchObject({ added: 1, unchanged: 1 });

    const twice = await connectMicrosoftAccount(session, personalSettings(fake));
    expect(twice).toMatchObject({ outcome: 'reconnected', account: { id: account.id } });
    expect(session.accounts.all()).toHaveLength(1);
  });
});

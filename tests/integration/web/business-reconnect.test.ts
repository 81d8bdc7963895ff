/**
 * "Sign in again" for business accounts through the API router, as the window sends it (issue 14,
 * item 4): a Microsoft 365 tenant whose client secret was replaced and a Workspace domain whose
 * service-account key was deleted go to "sign-in needed" at their next backup; a wrong secret or
 * key changes nothing; the new one continues the same account and history (same id, no second
 * account, no duplicate contacts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type AppCore } from '../../../main/core/app';
import type { AccountView, NotificationView, ResponseOf } from '../../../main/core/contract/contract-types';
import { createRouter, type Router } from '../../../main/core/api/router';
import { startFakeMicrosoft, type FakeMicrosoft } from '../../fakes/graph/fake-microsoft';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/google/fake-google';
import { licenceKey, useTestLicenceKey } from '../licensing/harness';
import { removeTempDirs, tempDir } from '../../support/temp-dir';
import { fakeRegistrations } from '../../support/fake-registrations';

const TENANT = '7d3f0b9c-1111-4222-8333-444455556666';
const APP = 'b0b0b0b0-aaaa-4bbb-8ccc-dddddddddddd';
const sender = { trusted: true, description: 'test' };

let microsoft: FakeMicrosoft;
let google: FakeGoogle;
let app: AppCore;
let router: Router;

async function ok<T>(channel: string, request: unknown): Promise<T> {
  const result = await router.call(channel as never, request as never, sender);
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value as T;
}

async function accounts(): Promise<AccountView[]> {
  return ok<AccountView[]>('accounts.list', {});
}

/** Runs a backup of the user and answers its finished job record. */
async function backUp(userKey: string) {
  const job = await ok<ResponseOf<'backup.run'>>('backup.run', { userKey });
  return app.requireSession().jobs.wait(job.id);
}

async function contactCount(userKey: string): Promise<number> {
  return (await ok<{ total: number }>('contacts.list', { userKey, limit: 1 })).total;
}

beforeAll(async () => {
  useTestLicenceKey();
  microsoft = await startFakeMicrosoft();
  microsoft.registerApp(APP, 'first-secret');
  const alice = microsoft.addMailbox('alice@contoso.example', { tenantId: TENANT, displayName: 'Alice' });
  microsoft.addContact(alice, { givenName: 'Howard', surname: 'Aiken', displayName: 'Howard Aiken' });
  microsoft.addContact(alice, { givenName: 'Jean', surname: 'Sammet', displayName: 'Jean Sammet' });
  google = await startFakeGoogle();
  google.addUser('admin@school.example', { admin: true });
  google.addContact('admin@school.example', {
    names: [{ givenName: 'Ada', familyName: 'Lovelace' }],
    emailAddresses: [{ value: 'ada@example.org' }],
  });
  app = createApp({
    home: await tempDir(),
    host: 'web',
    appRegistrations: fakeRegistrations(google, microsoft, {
      google: 'desktop.apps.googleusercontent.com',
      microsoft: APP,
    }),
  });
  await app.createProfile('Admin', 'test password 1');
  router = createRouter(app);
  await ok('licence.install', { key: licenceKey({ seats: 5 }) });
});
afterAll(async () => {
  await app.lock();
  await microsoft.close();
  await google.close();
  await removeTempDirs();
});

describe('signing a business account in again from the window', () => {
  it('a tenant whose client secret was replaced takes the new secret and keeps its history', async () => {
    const tenant = await ok<AccountView>('accounts.connectTenant', {
      tenantId: TENANT,
      clientId: APP,
      clientSecret: 'first-secret',
    });
    expect(tenant.renewal).toBe('client-secret');
    await ok('users.setEnabled', { accountId: tenant.id, userIds: [tenant.users[0].id], enabled: true });
    const userKey = tenant.users[0].userKey;
    expect((await backUp(userKey)).state).toBe('succeeded');
    expect(await contactCount(userKey)).toBe(2);

    // The administrator replaces the secret; the app's access token runs out.
    microsoft.registerApp(APP, 'second-secret');
    microsoft.expireAccessTokens();
    const notifications: NotificationView[] = [];
    const unsubscribe = app.subscribe((name, payload) => {
      if (name === 'notification') notifications.push(payload as NotificationView);
    });
    expect((await backUp(userKey)).state).toBe('failed');
    unsubscribe();
    // Both toasts ask for this account's sign-in, so windows drop them once it is signed in again.
    expect(notifications.filter((notification) => notification.kind !== 'info')).toEqual([
      expect.objectContaining({ title: 'Sign-in needed', signInOf: tenant.id }),
      expect.objectContaining({ kind: 'error', signInOf: tenant.id }),
    ]);
    const needing = (await accounts()).find((account) => account.id === tenant.id)!;
    expect(needing.status).toBe('sign-in-needed');

    // A wrong secret is tried first and changes nothing.
    const wrong = await router.call(
      'accounts.reconnect',
      { accountId: tenant.id, clientSecret: 'not-the-secret' },
      sender,
    );
    expect(wrong.ok).toBe(false);
    expect(!wrong.ok && wrong.error.message).toMatch(/secret|sign/i);
    expect((await accounts()).find((account) => account.id === tenant.id)!.status).toBe('sign-in-needed');

    const again = await ok<AccountView>('accounts.reconnect', {
      accountId: tenant.id,
      clientSecret: 'second-secret',
    });
    expect(again.id).toBe(tenant.id);
    expect(again.status).toBe('ok');
    microsoft.addContact(microsoft.mailbox('alice@contoso.example'), {
      givenName: 'Grace',
      surname: 'Hopper',
      displayName: 'Grace Hopper',
    });
    expect((await backUp(userKey)).state).toBe('succeeded');
    expect(await contactCount(userKey)).toBe(3);
    expect((await accounts()).filter((account) => account.kind === 'microsoft')).toHaveLength(1);
    // The secret lives in the sealed secrets only.
    const record = app.requireSession().accounts.find(tenant.id)!;
    expect(JSON.stringify(record.settings)).not.toContain('second-secret');
  });

  it('a Workspace domain whose key was deleted takes a new key file and keeps its history', async () => {
    const key = google.createServiceAccount('school.example');
    const domain = await ok<AccountView>('accounts.connectWorkspace', {
      adminEmail: 'admin@school.example',
      domain: 'school.example',
      keyJson: JSON.stringify(key),
    });
    expect(domain.renewal).toBe('key-file');
    await ok('users.setEnabled', { accountId: domain.id, userIds: [domain.users[0].id], enabled: true });
    const userKey = domain.users[0].userKey;
    expect((await backUp(userKey)).state).toBe('succeeded');
    expect(await contactCount(userKey)).toBe(1);

    const newKey = google.replaceServiceAccountKey(key);
    google.expireAccessTokens();
    expect((await backUp(userKey)).state).toBe('failed');
    expect((await accounts()).find((account) => account.id === domain.id)!.status).toBe('sign-in-needed');

    // The old (deleted) key is refused and nothing changes.
    const stale = await router.call(
      'accounts.reconnect',
      { accountId: domain.id, keyJson: JSON.stringify(key) },
      sender,
    );
    expect(stale.ok).toBe(false);
    expect((await accounts()).find((account) => account.id === domain.id)!.status).toBe('sign-in-needed');

    const again = await ok<AccountView>('accounts.reconnect', {
      accountId: domain.id,
      keyJson: JSON.stringify(newKey),
    });
    expect(again.id).toBe(domain.id);
    expect(again.status).toBe('ok');
    expect((await backUp(userKey)).state).toBe('succeeded');
    expect(await contactCount(userKey)).toBe(1);
    expect((await accounts()).filter((account) => account.kind === 'google')).toHaveLength(1);
  });
});

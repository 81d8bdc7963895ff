import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGoogleProvider } from '../../../main/core/providers/google';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/google/fake-google';
import { fakeSettings, fakeSleep, memorySecrets, runSync, workContext } from './helpers';

describe('Google Workspace mode (service account with domain-wide delegation)', () => {
  let fake: FakeGoogle;
  beforeEach(async () => {
    fake = await startFakeGoogle();
    fake.addUser('admin@corp.example', { admin: true, name: 'Admin' });
    for (let index = 0; index < 7; index += 1)
      fake.addUser(`user${index}@corp.example`, { name: `User ${index}` });
    fake.setSuspended('user3@corp.example', true);
    fake.addUser('stranger@other.example');
  });
  afterEach(async () => fake.close());

  function workspaceProvider(pageSize?: number) {
    const key = fake.createServiceAccount('corp.example');
    const settings = fakeSettings(fake, {
      mode: 'workspace',
      workspace: { adminEmail: 'admin@corp.example' },
    });
    return createGoogleProvider(settings, memorySecrets({ kind: 'workspace', serviceAccountKey: key }), {
      sleep: fakeSleep(fake),
      pageSize,
    });
  }

  it('lists the domain’s users from the Directory API, suspended ones as inactive', async () => {
    const users = await workspaceProvider().listUsers(workContext());
    expect(users.map((user) => user.email)).toEqual([
      'admin@corp.example',
      ...Array.from({ length: 7 }, (_, index) => `user${index}@corp.example`),
    ]);
    expect(users.find((user) => user.email === 'user3@corp.example')?.active).toBe(false);
    expect(users.every((user) => /^\d+$/.test(user.id))).toBe(true);
    const list = fake.requestsOf('directory.users.list')[0];
    expect(list.query.get('customer')).toBe('my_customer');
    // The jwt-bearer grant reached the fake's token endpoint, not Google's fixed URL.
    expect(fake.requestsOf('oauth.token').length).toBeGreaterThan(0);
  });

  it('pages through a directory of more than 500 users', async () => {
    for (let index = 0; index < 600; index += 1)
      fake.addUser(`bulk${String(index).padStart(3, '0')}@corp.example`);
    const users = await workspaceProvider().listUsers(workContext());
    expect(users).toHaveLength(608);
    expect(new Set(users.map((user) => user.id)).size).toBe(608);
    expect(fake.requestsOf('directory.users.list')).toHaveLength(2);
  });

  it('syncs each user by directory id with a token impersonating that user', async () => {
    fake.addContact('user1@corp.example', { names: [{ givenName: 'One' }] });
    fake.addContact('user2@corp.example', { names: [{ givenName: 'Two' }] });
    fake.addContact('user2@corp.example', { names: [{ givenName: 'Three' }] });
    const provider = workspaceProvider();
    const users = await provider.listUsers(workContext());
    const byEmail = new Map(users.map((user) => [user.email, user.id]));
    const one = await runSync(provider, byEmail.get('user1@corp.example')!, undefined);
    const two = await runSync(provider, byEmail.get('user2@corp.example')!, undefined);
    expect([...one.upserts.values()].map((item) => item.contact.name.given)).toEqual(['One']);
    expect([...two.upserts.values()].map((item) => item.contact.name.given).sort()).toEqual(['Three', 'Two']);
    const contactCalls = fake.requestsOf('people.connections.list');
    expect(contactCalls.map((call) => call.user)).toEqual(['user1@corp.example', 'user2@corp.example']);
  });

  it('finds a user’s email from their id when listUsers was not called first', async () => {
    fake.addContact('user4@corp.example', { names: [{ givenName: 'Four' }] });
    const id = (await workspaceProvider().listUsers(workContext())).find(
      (user) => user.email === 'user4@corp.example',
    )!.id;
    const run = await runSync(workspaceProvider(), id, undefined);
    expect(run.upserts.size).toBe(1);
    expect(fake.requestsOf('directory.users.get')).toHaveLength(1);
  });

  it('asks for a new sign-in when delegation does not cover the user', async () => {
    await expect(runSync(workspaceProvider(), 'stranger@other.example', undefined)).rejects.toMatchObject({
      code: 'auth-required',
    });
  });
});

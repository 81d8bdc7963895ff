/**
 * Business edition from the window (issue 14, item 3) through the API router, as the renderer sends
 * it: a Microsoft 365 tenant with its secret typed in (refused with a sentence for /common before any
 * request), a Workspace domain with the key file's content, and a Directory API failure named as the
 * user listing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type AppCore } from '../../../main/core/app';
import { createRouter, type Router } from '../../../main/core/api/router';
import { startFakeMicrosoft, type FakeMicrosoft } from '../../fakes/graph/fake-microsoft';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/google/fake-google';
import { removeTempDirs, tempDir } from '../../support/temp-dir';
import { fakeRegistrations } from '../../support/fake-registrations';

const TENANT = '7d3f0b9c-1111-4222-8333-444455556666';
const APP = 'b0b0b0b0-aaaa-4bbb-8ccc-dddddddddddd';
const sender = { trusted: true, description: 'test' };

let microsoft: FakeMicrosoft;
let google: FakeGoogle;
let app: AppCore;
let router: Router;

beforeAll(async () => {
  microsoft = await startFakeMicrosoft();
  microsoft.registerApp(APP, 'app-secret-value');
  microsoft.addMailbox('alice@contoso.example', { tenantId: TENANT, displayName: 'Alice' });
  google = await startFakeGoogle();
  google.addUser('admin@school.example', { admin: true });
  google.addUser('pupil@school.example');
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
});
afterAll(async () => {
  await app.lock();
  await microsoft.close();
  await google.close();
  await removeTempDirs();
});

describe('business accounts from the window', () => {
  it('refuses a tenant given as /common with a sentence, before any request', async () => {
    const tokenRequests = microsoft.state.grants.length;
    const result = await router.call(
      'accounts.connectTenant',
      { tenantId: 'common', clientId: APP, clientSecret: 'app-secret-value' },
      sender,
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(!result.ok && result.error.message).toMatch(/not through \/common/);
    expect(microsoft.state.grants.length).toBe(tokenRequests);
  });

  it('connects a tenant with the secret typed in the window and lists its users', async () => {
    const result = await router.call(
      'accounts.connectTenant',
      { tenantId: TENANT, clientId: APP, clientSecret: 'app-secret-value' },
      sender,
    );
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    const view = result.value as { label: string; users: { email: string }[] };
    expect(view.users.map((user) => user.email)).toEqual(['alice@contoso.example']);
    // The secret is in the sealed secrets only, never in the account settings.
    const record = app
      .requireSession()
      .accounts.all()
      .find((a) => a.label === view.label)!;
    expect(JSON.stringify(record.settings)).not.toContain('app-secret-value');
  });

  it('connects a Workspace domain from the key file’s content', async () => {
    const key = google.createServiceAccount('school.example');
    const result = await router.call(
      'accounts.connectWorkspace',
      { adminEmail: 'admin@school.example', domain: 'school.example', keyJson: JSON.stringify(key) },
      sender,
    );
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    const view = result.value as { users: { email: string }[] };
    expect(view.users.map((user) => user.email).sort()).toEqual([
      'admin@school.example',
      'pupil@school.example',
    ]);
  });

  it('says when the picked file is not a key, and names a Directory failure as the user listing', async () => {
    const notKey = await router.call(
      'accounts.connectWorkspace',
      { adminEmail: 'admin@school.example', keyJson: '{"hello":1}' },
      sender,
    );
    expect(!notKey.ok && notKey.error.message).toMatch(/not a service-account key/);
    const otherDomain = google.createServiceAccount('elsewhere.example');
    const refused = await router.call(
      'accounts.connectWorkspace',
      { adminEmail: 'admin@school.example', keyJson: JSON.stringify(otherDomain) },
      sender,
    );
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.message).toMatch(/list the domain’s users/);
  });

  it('says what is missing when no registration is configured', async () => {
    const bare = createApp({ home: await tempDir(), host: 'web', appRegistrations: {} });
    await bare.createProfile('Bare', 'test password 1');
    const bareRouter = createRouter(bare);
    expect(await bareRouter.call('accounts.signInOptions', {}, sender)).toEqual({
      ok: true,
      value: { google: false, microsoft: false },
    });
    const result = await bareRouter.call('accounts.connect', { provider: 'google' }, sender);
    expect(result).toMatchObject({ ok: false, error: { code: 'not-configured' } });
    expect(!result.ok && result.error.message).toMatch(/no Google OAuth client of its own/);
    await bare.lock();
  });
});

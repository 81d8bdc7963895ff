import { createHash, randomBytes } from 'node:crypto';
import { PublicClientApplication } from '@azure/msal-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMicrosoftProvider, signInMicrosoft } from '../../../main/core/providers/microsoft';
import { ProviderError } from '../../../main/core/providers/provider';
import { startFakeMicrosoft, type FakeMicrosoft } from '../../fakes/graph/fake-microsoft';
import { CLIENT_ID, memorySecrets, personalSettings, scriptedBrowser, workContext } from './harness';

let fake: FakeMicrosoft;

beforeAll(async () => {
  fake = await startFakeMicrosoft();
  fake.registerApp(CLIENT_ID);
  fake.addMailbox('ada@outlook.com', { displayName: 'Ada Lovelace' });
});
afterAll(() => fake.close());

describe('Microsoft sign-in with the real msal-node', () => {
  it('signs in through form_post and PKCE, keeps the MSAL cache in the secrets, and reads contacts', async () => {
    const secrets = memorySecrets();
    const browser = scriptedBrowser(fake);
    const settings = personalSettings(fake);
    const who = await signInMicrosoft(settings, browser, secrets);
    expect(who.email).toBe('ada@outlook.com');
    const mailbox = fake.mailbox('ada@outlook.com');
    expect(who.homeAccountId).toBe(`${mailbox.id}.${mailbox.tenantId}`);
    const authorize = new URL(browser.urls[0]);
    expect(authorize.searchParams.get('response_mode')).toBe('form_post');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('scope')?.split(' ')).toEqual(
      expect.arrayContaining(['https://graph.microsoft.com/Contacts.ReadWrite', 'offline_access']),
    );
    expect(browser.listenerStatus).toBe(200);
    const stored = secrets.value as { msalCache?: string; homeAccountId?: string };
    expect(stored.homeAccountId).toBe(who.homeAccountId);
    expect(JSON.parse(stored.msalCache ?? '{}').RefreshToken).toBeTruthy();

    fake.addContact(mailbox, { givenName: 'Grace', surname: 'Hopper' });
    const provider = createMicrosoftProvider(settings, secrets);
    const users = await provider.listUsers(workContext());
    expect(users).toEqual([
      { id: mailbox.id, email: 'ada@outlook.com', displayName: 'Ada Lovelace', active: true },
    ]);
    const batches: string[] = [];
    await provider.sync(
      users[0].id,
      undefined,
      async (b) => void batches.push(...b.upserts.map((u) => u.contact.displayName)),
      workContext(),
    );
    expect(batches).toEqual(['Grace Hopper']);
  });

  it('renews expired access tokens silently with the refresh token', async () => {
    const secrets = memorySecrets();
    const settings = personalSettings(fake);
    // Shorter than MSAL's 5-minute renewal margin: every silent call must refresh.
    fake.state.accessTokenLifetimeSeconds = 60;
    try {
      await signInMicrosoft(settings, scriptedBrowser(fake), secrets);
      const before = fake.state.grants.filter((g) => g === 'refresh_token').length;
      const provider = createMicrosoftProvider(settings, secrets);
      await provider.sync('me', undefined, async () => undefined, workContext());
      expect(fake.state.grants.filter((g) => g === 'refresh_token').length).toBeGreaterThan(before);
    } finally {
      fake.state.accessTokenLifetimeSeconds = 3600;
    }
  });

  it('retries once with a fresh token when Graph says 401', async () => {
    const secrets = memorySecrets();
    const settings = personalSettings(fake);
    await signInMicrosoft(settings, scriptedBrowser(fake), secrets);
    // Graph forgets every token it issued (as after a token revocation at the service).
    fake.state.accessTokens.clear();
    const provider = createMicrosoftProvider(settings, secrets);
    const outcome = await provider.sync('me', undefined, async () => undefined, workContext());
    expect(outcome.full).toBe(true);
    expect(fake.requests().some((r) => r.status === 401)).toBe(true);
  });

  it('turns a revoked refresh token (invalid_grant) into auth-required with a plain sentence', async () => {
    const secrets = memorySecrets();
    const settings = personalSettings(fake);
    await signInMicrosoft(settings, scriptedBrowser(fake), secrets);
    fake.revokeRefreshTokens();
    fake.state.accessTokens.clear();
    const provider = createMicrosoftProvider(settings, secrets);
    const error = await provider
      .sync('me', undefined, async () => undefined, workContext())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).code).toBe('auth-required');
    expect((error as ProviderError).message).not.toMatch(/AADSTS|invalid_grant/);
  });

  it('without a sign-in, the provider asks for one', async () => {
    const provider = createMicrosoftProvider(personalSettings(fake), memorySecrets());
    await expect(provider.listUsers(workContext())).rejects.toMatchObject({ code: 'auth-required' });
  });

  it('fake: getAuthCodeUrl redirects with a query and a wrong PKCE verifier gets invalid_grant AADSTS50148', async () => {
    const settings = personalSettings(fake);
    const app = new PublicClientApplication({
      auth: {
        clientId: CLIENT_ID,
        authority: `${fake.identityOrigin}/common`,
        knownAuthorities: settings.knownAuthorities as string[],
      },
      system: {
        networkClient: (
          await import('../../../main/core/providers/microsoft/https-network-client')
        ).httpsNetworkClient(fake.caPem),
      },
    });
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const redirectUri = 'http://localhost:53123';
    const url = await app.getAuthCodeUrl({
      scopes: ['Contacts.ReadWrite'],
      redirectUri,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
    });
    const location = await new Promise<string>((resolve, reject) => {
      import('node:https').then(({ request }) => {
        const req = request(url, { ca: fake.caPem }, (res) => {
          res.resume();
          resolve(res.headers.location ?? '');
        });
        req.on('error', reject);
        req.end();
      }, reject);
    });
    const code = new URL(location).searchParams.get('code') ?? '';
    expect(location.startsWith(redirectUri)).toBe(true);
    const wrong = await app
      .acquireTokenByCode({ code, redirectUri, scopes: ['Contacts.ReadWrite'], codeVerifier: 'x'.repeat(43) })
      .catch((e: unknown) => e);
    expect(String((wrong as Error).message)).toMatch(/invalid_grant[\s\S]*AADSTS50148/);
    const right = await app.acquireTokenByCode({
      code,
      redirectUri,
      scopes: ['Contacts.ReadWrite'],
      codeVerifier: verifier,
    });
    expect(right.account?.username).toBe('ada@outlook.com');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMicrosoftProvider, signInMicrosoft } from '../../../main/core/providers/microsoft';
import { ProviderError } from '../../../main/core/providers/provider';
import { startFakeMicrosoft, type FakeMicrosoft } from '../../fakes/graph/fake-microsoft';
import {
  CLIENT_ID,
  emptyMirror,
  memorySecrets,
  personalSettings,
  scriptedBrowser,
  syncInto,
  workContext,
} from './harness';

const tokenRequests = (fake: FakeMicrosoft) => fake.state.grants.filter((g) => g !== 'client_credentials');

describe('Microsoft: token requests, the account CA and declined consent', () => {
  let fake: FakeMicrosoft;
  beforeAll(async () => {
    fake = await startFakeMicrosoft();
    fake.registerApp(CLIENT_ID);
    const mailbox = fake.addMailbox('ada@outlook.com', { displayName: 'Ada Lovelace' });
    const folder = fake.addFolder(mailbox, 'Friends');
    for (let n = 0; n < 60; n += 1)
      fake.addContact(mailbox, { givenName: `P${n}`, surname: 'Test' }, n % 2 ? folder : undefined);
  });
  afterAll(() => fake.close());

  it('the fake lists granted scopes as full URIs, as Entra does', async () => {
    const secrets = memorySecrets();
    fake.state.signInEmail = 'ada@outlook.com';
    await signInMicrosoft(personalSettings(fake), scriptedBrowser(fake), secrets);
    const cache = JSON.parse((secrets.value as { msalCache: string }).msalCache) as {
      AccessToken: Record<string, { target: string }>;
    };
    const targets = Object.values(cache.AccessToken).map((token) => token.target.toLowerCase());
    expect(targets).toEqual(['https://graph.microsoft.com/contacts.readwrite']);
  });

  it('acquires no token during a backup while the signed-in token is fresh (many Graph requests)', async () => {
    const secrets = memorySecrets();
    const settings = personalSettings(fake, 10);
    await signInMicrosoft(settings, scriptedBrowser(fake), secrets);
    const before = tokenRequests(fake).length;
    fake.clearLog();
    const mirror = emptyMirror();
    await syncInto(createMicrosoftProvider(settings, secrets), 'me', mirror);
    expect(mirror.contacts.size).toBe(60);
    expect(fake.requests().length).toBeGreaterThan(8);
    expect(tokenRequests(fake).length - before).toBe(0);
  });

  it('acquires exactly one token per backup when the saved one has expired', async () => {
    const secrets = memorySecrets();
    const settings = personalSettings(fake, 10);
    await signInMicrosoft(settings, scriptedBrowser(fake), secrets);
    // Graph forgets the access token (as after its hour is up); the next backup renews it once.
    fake.state.accessTokens.clear();
    const before = tokenRequests(fake).length;
    fake.clearLog();
    const mirror = emptyMirror();
    await syncInto(createMicrosoftProvider(settings, secrets), 'me', mirror);
    expect(mirror.contacts.size).toBe(60);
    expect(fake.requests().filter((r) => r.status === 200).length).toBeGreaterThan(8);
    expect(tokenRequests(fake).slice(before)).toEqual(['refresh_token']);
  });

  it('names a declined consent (AADSTS65004) as such', async () => {
    fake.state.declineConsent = true;
    try {
      const failure = await signInMicrosoft(
        personalSettings(fake),
        scriptedBrowser(fake),
        memorySecrets(),
      ).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(ProviderError);
      expect((failure as ProviderError).message).toMatch(/declined the permission.*AADSTS65004/);
    } finally {
      fake.state.declineConsent = false;
    }
  });

  it('cancels the wait for the browser and closes MSAL’s listener', async () => {
    const controller = new AbortController();
    let listener = '';
    const browser = {
      async open(url: string) {
        listener = new URL(url).searchParams.get('redirect_uri') ?? '';
        controller.abort();
      },
    };
    await expect(
      signInMicrosoft(personalSettings(fake), browser, memorySecrets(), { signal: controller.signal }),
    ).rejects.toThrow('Sign-in was cancelled.');
    const port = new URL(listener).port;
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });

  it('gives up after the time limit with its own sentence', async () => {
    await expect(
      signInMicrosoft(personalSettings(fake), { open: async () => undefined }, memorySecrets(), {
        timeoutMs: 50,
      }),
    ).rejects.toThrow('Sign-in took too long. Try again.');
  });
});

describe('Microsoft: the account CA applies to Graph requests too', () => {
  let fake: FakeMicrosoft;
  beforeAll(async () => {
    fake = await startFakeMicrosoft({ graphTls: true });
    fake.registerApp(CLIENT_ID);
    const mailbox = fake.addMailbox('bob@contoso.com');
    fake.addContact(mailbox, { givenName: 'Grace', surname: 'Hopper' });
  });
  afterAll(() => fake.close());

  it('reaches a Graph behind a TLS-inspecting proxy when the CA file is set', async () => {
    expect(fake.graphBaseUrl.startsWith('https://')).toBe(true);
    const secrets = memorySecrets();
    const settings = personalSettings(fake);
    fake.state.signInEmail = 'bob@contoso.com';
    await signInMicrosoft(settings, scriptedBrowser(fake), secrets);
    const mirror = emptyMirror();
    await syncInto(createMicrosoftProvider(settings, secrets), 'me', mirror);
    expect([...mirror.contacts.values()].map((c) => c.contact.displayName)).toEqual(['Grace Hopper']);
  });

  it('the same Graph is unreachable without the CA (what --ca-file used to do for Graph)', async () => {
    const secrets = memorySecrets();
    const settings = personalSettings(fake);
    await signInMicrosoft(settings, scriptedBrowser(fake), secrets);
    const provider = createMicrosoftProvider(
      { ...settings, extraCaPem: undefined, knownAuthorities: settings.knownAuthorities },
      secrets,
      { sleep: async () => undefined },
    );
    // Sign-in's cached token is used, so only the Graph call meets the unknown certificate.
    await expect(provider.sync('me', undefined, async () => undefined, workContext())).rejects.toThrow(
      'could not be reached',
    );
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signInGoogle } from '../../../main/core/providers/google';
import { ProviderError } from '../../../main/core/providers/provider';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/google/fake-google';
import { fakeSettings } from './helpers';

/** A browser that follows the consent page's redirect to the app's loopback listener. */
function followingBrowser(seen: string[] = []) {
  return {
    async open(url: string) {
      seen.push(url);
      const response = await fetch(url, { redirect: 'follow' });
      await response.text();
    },
  };
}

describe('signInGoogle against the fake', () => {
  let fake: FakeGoogle;
  beforeEach(async () => {
    fake = await startFakeGoogle();
    fake.addUser('ada@example.com');
  });
  afterEach(async () => fake.close());

  it('signs in with PKCE S256 and state, asks for offline access and returns the refresh token', async () => {
    const seen: string[] = [];
    const result = await signInGoogle(fakeSettings(fake), followingBrowser(seen));
    expect(result.email).toBe('ada@example.com');
    expect(result.secrets).toMatchObject({ kind: 'personal', email: 'ada@example.com' });
    const auth = new URL(seen[0]);
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(auth.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(auth.searchParams.get('access_type')).toBe('offline');
    expect(auth.searchParams.get('state')).toMatch(/^[\w-]{40,}$/);
    expect(auth.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const scopes = auth.searchParams.get('scope')?.split(' ') ?? [];
    expect(scopes).toContain('https://www.googleapis.com/auth/contacts');
    expect(scopes).not.toContain('https://www.googleapis.com/auth/contacts.other.readonly');
    // The code exchange carried the verifier the fake checked against the challenge.
    const token = fake.requestsOf('oauth.token')[0];
    expect(token.status).toBe(200);
  });

  it('asks for the other-contacts scope only when the account opts in', async () => {
    const seen: string[] = [];
    await signInGoogle(fakeSettings(fake, { otherContacts: true }), followingBrowser(seen));
    expect(new URL(seen[0]).searchParams.get('scope')).toContain('contacts.other.readonly');
  });

  it('rejects an answer whose state does not match', async () => {
    const browser = {
      async open(url: string) {
        const redirect = await fetch(url, { redirect: 'manual' });
        const target = new URL(redirect.headers.get('location') ?? '');
        target.searchParams.set('state', 'forged');
        await (await fetch(target)).text();
      },
    };
    await expect(signInGoogle(fakeSettings(fake), browser)).rejects.toMatchObject({ code: 'auth-required' });
    expect(fake.requestsOf('oauth.token')).toHaveLength(0);
  });

  it('fails with auth-required when the user cancels in the browser', async () => {
    fake.oauth.denyConsent = true;
    const error = await signInGoogle(fakeSettings(fake), followingBrowser()).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).message).toMatch(/You declined access on Google’s page/);
  });

  it('gives up after the timeout when the browser never comes back', async () => {
    const idle = { open: async () => undefined };
    await expect(signInGoogle(fakeSettings(fake), idle, { timeoutMs: 200 })).rejects.toMatchObject({
      code: 'auth-required',
    });
  });
});

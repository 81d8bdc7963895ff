/**
 * Desktop sign-in (product.md D2): the system browser shows Google's consent page and Google
 * redirects to a one-shot listener on 127.0.0.1 (the loopback flow Google prescribes for installed
 * apps). PKCE S256 keeps a stolen code useless; `state` ties the answer to this request.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CodeChallengeMethod, OAuth2Client } from 'google-auth-library';
import type { OpenBrowser } from '../../ports';
import { ProviderError } from '../provider';
import { toProviderError } from './retry';
import {
  contactScopesFor,
  oauthEndpointsFor,
  type GoogleAccountSettings,
  type GoogleSecrets,
} from './settings';

/** Asked beside the contact scopes so the id token names the account's email (nothing else is read). */
const identityScopes = ['openid', 'email'];

const defaultTimeoutMs = 5 * 60_000;

const closePage =
  '<!doctype html><meta charset="utf-8"><title>Contacts Backup</title><p>You can close this window and return to Contacts Backup.</p>';

/**
 * Signs a user in and returns their email and the secrets to keep (the refresh token). Fails with
 * ProviderError('auth-required') when the user cancels, the answer does not match, or time runs out.
 */
export async function signInGoogle(
  settings: GoogleAccountSettings,
  openBrowser: OpenBrowser,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<{ email: string; secrets: GoogleSecrets }> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  try {
    const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const endpoints = oauthEndpointsFor(settings);
    const client = new OAuth2Client({
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      redirectUri,
      endpoints: {
        oauth2AuthBaseUrl: endpoints.authUrl,
        oauth2TokenUrl: endpoints.tokenUrl,
        oauth2RevokeUrl: endpoints.revokeUrl,
      },
    });
    const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
    const state = randomBytes(32).toString('base64url');
    const url = client.generateAuthUrl({
      access_type: 'offline',
      // Without consent Google omits the refresh token when the user had approved the app before.
      prompt: 'consent',
      scope: [...contactScopesFor(settings), ...identityScopes],
      code_challenge_method: CodeChallengeMethod.S256,
      code_challenge: codeChallenge,
      state,
    });
    const answer = waitForRedirect(server, state, options.signal, options.timeoutMs ?? defaultTimeoutMs);
    // The answer may fail (state mismatch, cancel) while the browser call is still pending.
    const code = await Promise.race([answer, openBrowser.open(url).then(() => answer)]);
    let tokens;
    try {
      ({ tokens } = await client.getToken({ code, codeVerifier, redirect_uri: redirectUri }));
    } catch (error) {
      throw toProviderError(error);
    }
    // Google's consent page lets the user untick the contacts permission: name that, not a vague failure.
    const granted = (tokens.scope ?? '').split(' ');
    if (tokens.scope && !contactScopesFor(settings).every((scope) => granted.includes(scope))) {
      throw new ProviderError(
        'auth-required',
        'Google did not grant access to your contacts: the permission to see and edit them was not ticked on Google’s page. Sign in again and allow it.',
      );
    }
    const email = emailFromIdToken(tokens.id_token);
    if (!tokens.refresh_token || !email) {
      throw new ProviderError(
        'auth-required',
        'Google did not grant offline access to the contacts. Try signing in again.',
      );
    }
    return { email, secrets: { kind: 'personal', email, refreshToken: tokens.refresh_token } };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Resolves with the code of the first redirect that carries a code or an error for our state. */
function waitForRedirect(
  server: Server,
  state: string,
  signal: AbortSignal | undefined,
  timeoutMs: number,
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const fail = (message: string) => {
      cleanup();
      reject(new ProviderError('auth-required', message));
    };
    const timer = setTimeout(() => fail('Sign-in took too long. Try again.'), timeoutMs);
    const onAbort = () => fail('Sign-in was cancelled.');
    signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      server.removeListener('request', onRequest);
    };
    const onRequest = (request: IncomingMessage, response: ServerResponse) => {
      const query = new URL(request.url ?? '/', 'http://127.0.0.1').searchParams;
      const code = query.get('code');
      const error = query.get('error');
      if (!code && !error) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(closePage);
      // The state check is what stops another page from feeding us a code for someone else's account.
      if (query.get('state') !== state)
        return fail('The sign-in answer did not match this request. Try again.');
      if (error)
        return fail(
          error === 'access_denied'
            ? 'You declined access on Google’s page, so nothing was connected. Sign in again and choose Allow to back up your contacts.'
            : 'Google refused the sign-in. Try again.',
        );
      cleanup();
      resolve(code as string);
    };
    server.on('request', onRequest);
  });
}

/**
 * The email claim of the id token. The token came straight from Google's token endpoint over TLS in
 * answer to our own code exchange, so its signature need not be checked (OpenID Connect Core 3.1.3.7).
 */
function emailFromIdToken(idToken: string | null | undefined): string | undefined {
  const payload = idToken?.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { email?: unknown };
    return typeof claims.email === 'string' ? claims.email.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

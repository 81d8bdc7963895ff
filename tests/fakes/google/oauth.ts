/**
 * Google's OAuth endpoints as the fake plays them (providers.md 3.2, 4): the consent page that
 * redirects straight back to the app's loopback listener, the token endpoint (authorization code with
 * PKCE S256, refresh token, jwt-bearer for service accounts) and revocation. Access tokens map to a user.
 */
import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { FakeGoogleError } from './errors';
import { opaqueToken, type FakeStore } from './store';

interface Grant {
  email: string;
  clientId: string;
  scopes: string[];
}

interface PendingCode extends Grant {
  redirectUri: string;
  challenge?: string;
  method?: string;
  expiresAt: number;
  used: boolean;
  offline: boolean;
}

/** Scopes of an access token and who it belongs to. */
export interface AccessGrant {
  email: string;
  scopes: string[];
  expiresAt: number;
}

/** A service account the fake trusts for domain-wide delegation. */
export interface FakeServiceAccountKey {
  type: 'service_account';
  client_email: string;
  client_id: string;
  private_key: string;
  private_key_id: string;
  token_uri: string;
}

/** An OAuth error body, `{error, error_description}`, as Google's token endpoint sends it. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

const accessTokenSeconds = 3599;

/** Keeps codes, grants and tokens; `browserUser` is who "clicks Allow" on the consent page. */
export class FakeOAuth {
  browserUser?: string;
  /** When set, the consent page answers `error=access_denied` (the user clicked Cancel). */
  denyConsent = false;
  /** When set, the auth endpoint shows a consent page with Allow and Cancel instead of redirecting at once. */
  consentPage = false;
  /** When set, every refresh returns a new refresh token and retires the old one. */
  rotateRefreshTokens = false;
  private readonly codes = new Map<string, PendingCode>();
  private readonly refreshTokens = new Map<string, Grant>();
  readonly accessTokens = new Map<string, AccessGrant>();
  private readonly serviceAccounts = new Map<string, { publicKey: string; domain: string }>();

  constructor(private readonly store: FakeStore) {}

  /** GET /o/oauth2/v2/auth: validates the request and returns the redirect target. */
  authorize(query: URLSearchParams): string {
    const redirectUri = query.get('redirect_uri') ?? '';
    const clientId = query.get('client_id') ?? '';
    let target: URL;
    try {
      target = new URL(redirectUri);
    } catch {
      throw new FakeGoogleError(400, 'INVALID_ARGUMENT', 'redirect_uri_mismatch');
    }
    // Desktop apps may only redirect to a loopback address (Google's installed-app rules).
    if (target.protocol !== 'http:' || !['127.0.0.1', '[::1]', 'localhost'].includes(target.hostname)) {
      throw new FakeGoogleError(400, 'INVALID_ARGUMENT', 'redirect_uri_mismatch');
    }
    if (!clientId || query.get('response_type') !== 'code') {
      throw new FakeGoogleError(400, 'INVALID_ARGUMENT', 'invalid_request');
    }
    const state = query.get('state');
    if (this.denyConsent) {
      target.searchParams.set('error', 'access_denied');
      if (state) target.searchParams.set('state', state);
      return target.href;
    }
    const email = this.browserUser ?? [...this.store.users.keys()][0];
    if (!email) throw new FakeGoogleError(400, 'INVALID_ARGUMENT', 'no user to sign in');
    const code = `4/${opaqueToken()}`;
    this.codes.set(code, {
      email,
      clientId,
      scopes: (query.get('scope') ?? '').split(' ').filter(Boolean),
      redirectUri,
      challenge: query.get('code_challenge') ?? undefined,
      method: query.get('code_challenge_method') ?? undefined,
      expiresAt: this.store.now() + 10 * 60_000,
      used: false,
      offline: query.get('access_type') === 'offline',
    });
    target.searchParams.set('code', code);
    if (state) target.searchParams.set('state', state);
    target.searchParams.set('scope', query.get('scope') ?? '');
    return target.href;
  }

  /** POST /token. */
  token(form: URLSearchParams): Record<string, unknown> {
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') return this.exchangeCode(form);
    if (grantType === 'refresh_token') return this.refresh(form);
    if (grantType === 'urn:ietf:params:oauth:grant-type:jwt-bearer') return this.jwtBearer(form);
    throw new OAuthError(400, 'unsupported_grant_type', 'Invalid grant_type: ' + (grantType ?? ''));
  }

  private exchangeCode(form: URLSearchParams): Record<string, unknown> {
    const code = this.codes.get(form.get('code') ?? '');
    if (!code || code.used || code.expiresAt < this.store.now()) {
      throw new OAuthError(400, 'invalid_grant', 'Malformed auth code.');
    }
    code.used = true;
    if (form.get('client_id') !== code.clientId)
      throw new OAuthError(401, 'invalid_client', 'The OAuth client was not found.');
    if (form.get('redirect_uri') !== code.redirectUri)
      throw new OAuthError(400, 'redirect_uri_mismatch', 'Bad Request');
    if (code.challenge) {
      const verifier = form.get('code_verifier') ?? '';
      const computed =
        code.method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
      if (computed !== code.challenge) throw new OAuthError(400, 'invalid_grant', 'Invalid code verifier.');
    }
    const grant: Grant = { email: code.email, clientId: code.clientId, scopes: code.scopes };
    const response: Record<string, unknown> = this.issueAccess(grant);
    if (code.offline) {
      const refreshToken = `1//${opaqueToken(32)}`;
      this.refreshTokens.set(refreshToken, grant);
      response.refresh_token = refreshToken;
    }
    if (grant.scopes.includes('openid')) response.id_token = this.idToken(grant);
    return response;
  }

  private refresh(form: URLSearchParams): Record<string, unknown> {
    const grant = this.refreshTokens.get(form.get('refresh_token') ?? '');
    if (!grant) throw new OAuthError(400, 'invalid_grant', 'Token has been expired or revoked.');
    if (form.get('client_id') !== grant.clientId) throw new OAuthError(401, 'invalid_client', 'Unauthorized');
    const response: Record<string, unknown> = this.issueAccess(grant);
    if (this.rotateRefreshTokens) {
      // Refresh-token rotation: the old token dies and a new one comes back with the access token.
      this.refreshTokens.delete(form.get('refresh_token') ?? '');
      const next = `1//${opaqueToken(32)}`;
      this.refreshTokens.set(next, grant);
      response.refresh_token = next;
    }
    return response;
  }

  private jwtBearer(form: URLSearchParams): Record<string, unknown> {
    const [header, payload, signature] = (form.get('assertion') ?? '').split('.');
    if (!header || !payload || !signature) throw new OAuthError(400, 'invalid_grant', 'Invalid JWT.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      iss?: string;
      sub?: string;
      scope?: string;
      exp?: number;
    };
    const account = this.serviceAccounts.get(claims.iss ?? '');
    if (!account) throw new OAuthError(400, 'invalid_grant', 'Invalid JWT Signature.');
    const valid = verify(
      'RSA-SHA256',
      Buffer.from(`${header}.${payload}`),
      createPublicKey(account.publicKey),
      Buffer.from(signature, 'base64url'),
    );
    if (!valid) throw new OAuthError(400, 'invalid_grant', 'Invalid JWT Signature.');
    const subject = claims.sub?.toLowerCase();
    const user = subject ? this.store.users.get(subject) : undefined;
    // Domain-wide delegation only reaches users of the service account's domain.
    if (!subject || !user || !subject.endsWith(`@${account.domain}`)) {
      throw new OAuthError(
        401,
        'unauthorized_client',
        'Client is unauthorized to retrieve access tokens using this method.',
      );
    }
    if (user.suspended) throw new OAuthError(400, 'invalid_grant', 'Invalid email or User ID');
    return this.issueAccess({
      email: subject,
      clientId: claims.iss ?? '',
      scopes: (claims.scope ?? '').split(' '),
    });
  }

  private issueAccess(grant: Grant): Record<string, unknown> {
    const accessToken = `ya29.${opaqueToken(24)}`;
    this.accessTokens.set(accessToken, {
      email: grant.email,
      scopes: grant.scopes,
      expiresAt: this.store.now() + accessTokenSeconds * 1000,
    });
    return {
      access_token: accessToken,
      expires_in: accessTokenSeconds,
      scope: grant.scopes.join(' '),
      token_type: 'Bearer',
    };
  }

  private idToken(grant: Grant): string {
    const now = Math.floor(this.store.now() / 1000);
    const user = this.store.user(grant.email);
    const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = {
      iss: 'https://accounts.google.com',
      aud: grant.clientId,
      sub: user.id,
      email: user.email,
      email_verified: true,
      iat: now,
      exp: now + accessTokenSeconds,
    };
    // Unsigned on purpose: a client takes the id token straight from the token endpoint over TLS.
    return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
  }

  /** POST /revoke: drops a refresh token (and with it the grant) or an access token. */
  revoke(token: string): void {
    const grant = this.refreshTokens.get(token);
    if (grant) this.revokeGrants(grant.email);
    this.accessTokens.delete(token);
  }

  /** Test API: the user revoked the app's access (refresh tokens then fail with invalid_grant). */
  revokeGrants(email: string): void {
    for (const [token, grant] of this.refreshTokens)
      if (grant.email === email.toLowerCase()) this.refreshTokens.delete(token);
    for (const [token, grant] of this.accessTokens)
      if (grant.email === email.toLowerCase()) this.accessTokens.delete(token);
  }

  /** Test API: a refresh token as if the user had signed in already. */
  grantRefreshToken(email: string, clientId: string, scopes: string[]): string {
    const refreshToken = `1//${opaqueToken(32)}`;
    this.refreshTokens.set(refreshToken, { email: email.toLowerCase(), clientId, scopes });
    return refreshToken;
  }

  /** Test API: a service account with domain-wide delegation over `domain`. */
  createServiceAccount(domain: string, tokenUri: string): FakeServiceAccountKey {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const email = `backup-${opaqueToken(4).toLowerCase()}@fake-project.iam.gserviceaccount.com`;
    this.serviceAccounts.set(email, {
      publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      domain,
    });
    return {
      type: 'service_account',
      client_email: email,
      client_id: this.store.nextId('1'),
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      private_key_id: opaqueToken(20),
      token_uri: tokenUri,
    };
  }

  /**
   * Test API: the administrator deleted the service account's key and created a new one. JWTs signed
   * with the old key now fail with "Invalid JWT Signature", as Google answers for a deleted key.
   */
  replaceServiceAccountKey(key: FakeServiceAccountKey): FakeServiceAccountKey {
    const account = this.serviceAccounts.get(key.client_email);
    if (!account) throw new Error(`No service account ${key.client_email}.`);
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.serviceAccounts.set(key.client_email, {
      ...account,
      publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
    return {
      ...key,
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      private_key_id: opaqueToken(20),
    };
  }

  /** Test API: makes every access token of `email` expire now, as Google does after an hour. */
  expireAccessTokens(email?: string): void {
    for (const grant of this.accessTokens.values())
      if (!email || grant.email === email.toLowerCase()) grant.expiresAt = 0;
  }

  /** Who an `Authorization: Bearer` header belongs to, if the token is valid now. */
  lookup(authorization: string | undefined): AccessGrant | undefined {
    const token = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
    const grant = token ? this.accessTokens.get(token) : undefined;
    if (!grant || grant.expiresAt <= this.store.now()) return undefined;
    return grant;
  }
}

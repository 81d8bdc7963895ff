/**
 * The Microsoft identity platform fake (providers.md 3.3): openid-configuration, the authorize page
 * (form_post auto-submitting HTML for MSAL's interactive flow, a query redirect otherwise) and the
 * token endpoint (authorization_code with PKCE S256, refresh_token, client_credentials).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CloudState } from './cloud-state';
import { readBody } from './http-util';
import { newToken } from './ids';

interface IssuedCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly challenge: string;
  readonly scope: string;
  readonly nonce?: string;
  readonly mailboxId: string;
  used: boolean;
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** Scopes the identity platform treats as OpenID Connect ones, not permissions on a resource. */
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

/**
 * The `scope` of a token response as Entra writes it: resource permissions as full URIs
 * (`https://graph.microsoft.com/Contacts.ReadWrite`, whatever short form was asked for) and the
 * OpenID scopes left out (issue 14: a client comparing the short form misses its own cache).
 */
export function grantedScope(requested: string): string {
  return requested
    .split(' ')
    .filter((scope) => scope && !OIDC_SCOPES.has(scope))
    .map((scope) => (scope.includes('://') ? scope : `https://graph.microsoft.com/${scope}`))
    .join(' ');
}

function htmlEscape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export class IdentityFake {
  private readonly codes = new Map<string, IssuedCode>();
  origin = '';

  constructor(private readonly state: CloudState) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const parts = url.pathname.split('/').filter(Boolean);
    const tenant = parts[0] ?? '';
    const rest = parts.slice(1).join('/');
    if (req.method === 'GET' && rest === 'v2.0/.well-known/openid-configuration') {
      return this.json(res, 200, this.openidConfiguration(tenant));
    }
    if (req.method === 'GET' && rest === 'oauth2/v2.0/authorize') return this.authorize(url, res);
    if (req.method === 'POST' && rest === 'oauth2/v2.0/token') {
      const form = new URLSearchParams((await readBody(req)).toString('utf8'));
      return this.token(tenant, form, res);
    }
    this.json(res, 404, { error: 'not_found' });
  }

  openidConfiguration(tenant: string): Record<string, unknown> {
    const base = `${this.origin}/${tenant}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${this.origin}/{tenantid}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${this.origin}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: [
        'sub',
        'iss',
        'aud',
        'exp',
        'iat',
        'nonce',
        'preferred_username',
        'name',
        'tid',
        'oid',
      ],
      tenant_region_scope: null,
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
    };
  }

  private authorize(url: URL, res: ServerResponse): void {
    const q = url.searchParams;
    const clientId = q.get('client_id') ?? '';
    const redirectUri = q.get('redirect_uri') ?? '';
    const state = q.get('state') ?? '';
    if (!this.state.apps.has(clientId)) return this.page(res, 400, 'AADSTS700016: Application not found.');
    if (q.get('response_type') !== 'code') return this.page(res, 400, 'AADSTS900144: response_type missing.');
    if (q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) {
      return this.page(res, 400, 'AADSTS9002325: Proof Key for Code Exchange is required.');
    }
    const mailbox =
      (this.state.signInEmail && this.state.mailboxByIdOrEmail(this.state.signInEmail)) ||
      (q.get('login_hint') && this.state.mailboxByIdOrEmail(q.get('login_hint') ?? '')) ||
      [...this.state.mailboxes.values()][0];
    if (!mailbox) return this.page(res, 400, 'No user can sign in.');
    const code = `M.C${newToken(32)}`;
    this.codes.set(code, {
      clientId,
      redirectUri,
      challenge: q.get('code_challenge') ?? '',
      scope: q.get('scope') ?? '',
      nonce: q.get('nonce') ?? undefined,
      mailboxId: mailbox.id,
      used: false,
    });
    const clientInfo = base64url(JSON.stringify({ uid: mailbox.id, utid: mailbox.tenantId }));
    const fields: Record<string, string> = this.state.declineConsent
      ? {
          error: 'access_denied',
          error_subcode: 'cancel',
          error_description: 'AADSTS65004: User declined to consent to access the app.',
          state,
        }
      : { code, client_info: clientInfo, state };
    if (this.state.declineConsent) this.codes.delete(code);
    if (q.get('response_mode') === 'form_post' && this.state.consentPage && !this.state.declineConsent) {
      // A permissions page a person clicks through: Accept posts the code, Cancel posts AADSTS65004.
      const form = (values: Record<string, string>, label: string, id: string) =>
        `<form method="POST" action="${htmlEscape(redirectUri)}">` +
        Object.entries(values)
          .map(([name, value]) => `<input type="hidden" name="${name}" value="${htmlEscape(value)}" />`)
          .join('') +
        `<button type="submit" id="${id}">${label}</button></form>`;
      const declined = {
        error: 'access_denied',
        error_subcode: 'cancel',
        error_description: 'AADSTS65004: User declined to consent to access the app.',
        state,
      };
      const html =
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Permissions requested (fake)</title></head>` +
        `<body style="font-family:sans-serif;max-width:32rem;margin:3rem auto">` +
        `<h1>Permissions requested</h1><p>${htmlEscape(mailbox.email)}</p>` +
        `<p>Contacts Backup wants to read and write your contacts.</p>` +
        form(fields, 'Accept', 'accept') +
        form(declined, 'Cancel', 'cancel') +
        `</body></html>`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
      return;
    }
    if (q.get('response_mode') === 'form_post') {
      const inputs = Object.entries(fields)
        .map(([name, value]) => `<input type="hidden" name="${name}" value="${htmlEscape(value)}" />`)
        .join('');
      const html =
        `<html><head><title>Working...</title></head><body>` +
        `<form method="POST" name="hiddenform" action="${htmlEscape(redirectUri)}">${inputs}` +
        `<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit" /></noscript>` +
        `</form><script language="javascript">window.setTimeout(function(){document.forms[0].submit()},0);</script>` +
        `</body></html>`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
      return;
    }
    const target = new URL(redirectUri);
    for (const [name, value] of Object.entries(fields)) target.searchParams.set(name, value);
    res.writeHead(302, { location: target.toString() });
    res.end();
  }

  private token(tenant: string, form: URLSearchParams, res: ServerResponse): void {
    const grant = form.get('grant_type') ?? '';
    this.state.grants.push(grant);
    const clientId = form.get('client_id') ?? '';
    const app = this.state.apps.get(clientId);
    if (!app)
      return this.oauthError(
        res,
        400,
        'unauthorized_client',
        700016,
        'Application not found in the directory.',
      );
    const scope = form.get('scope') ?? '';
    if (grant === 'authorization_code') {
      const code = this.codes.get(form.get('code') ?? '');
      if (!code || code.clientId !== clientId) {
        return this.oauthError(
          res,
          400,
          'invalid_grant',
          70000,
          'The provided authorization code is invalid.',
        );
      }
      if (code.used) {
        return this.oauthError(
          res,
          400,
          'invalid_grant',
          54005,
          'OAuth2 Authorization code was already redeemed.',
        );
      }
      if (form.get('redirect_uri') !== code.redirectUri) {
        return this.oauthError(res, 400, 'invalid_grant', 50011, 'The redirect URI does not match.');
      }
      const verifier = form.get('code_verifier') ?? '';
      if (createHash('sha256').update(verifier).digest('base64url') !== code.challenge) {
        return this.oauthError(
          res,
          400,
          'invalid_grant',
          50148,
          'The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.',
        );
      }
      code.used = true;
      return this.userTokens(res, code.mailboxId, clientId, scope || code.scope, code.nonce);
    }
    if (grant === 'refresh_token') {
      const saved = this.state.refreshTokens.get(form.get('refresh_token') ?? '');
      if (!saved || saved.clientId !== clientId) {
        return this.oauthError(
          res,
          400,
          'invalid_grant',
          9002313,
          'Invalid request. Request is malformed or invalid.',
        );
      }
      if (saved.revoked) {
        return this.oauthError(
          res,
          400,
          'invalid_grant',
          50173,
          'The provided grant has expired due to it being revoked, a fresh auth token is needed.',
        );
      }
      return this.userTokens(res, saved.mailboxId, clientId, scope || saved.scope);
    }
    if (grant === 'client_credentials') {
      if (!app.clientSecret || form.get('client_secret') !== app.clientSecret) {
        return this.oauthError(res, 401, 'invalid_client', 7000215, 'Invalid client secret provided.');
      }
      if (!scope.endsWith('/.default')) {
        return this.oauthError(
          res,
          400,
          'invalid_scope',
          1002012,
          'The provided value for scope is not valid.',
        );
      }
      const accessToken = this.state.issueAccessToken({ kind: 'app', tenantId: tenant, clientId });
      return this.json(res, 200, {
        token_type: 'Bearer',
        expires_in: this.state.accessTokenLifetimeSeconds,
        ext_expires_in: this.state.accessTokenLifetimeSeconds,
        access_token: accessToken,
      });
    }
    this.oauthError(
      res,
      400,
      'unsupported_grant_type',
      70003,
      'The app requested an unsupported grant type.',
    );
  }

  private userTokens(
    res: ServerResponse,
    mailboxId: string,
    clientId: string,
    scope: string,
    nonce?: string,
  ): void {
    const mailbox = this.state.mailboxes.get(mailboxId);
    if (!mailbox)
      return this.oauthError(res, 400, 'invalid_grant', 50034, 'The user account does not exist.');
    const accessToken = this.state.issueAccessToken({
      kind: 'user',
      mailboxId,
      tenantId: mailbox.tenantId,
      clientId,
    });
    const refreshToken = `M.R3_${newToken(48)}`;
    this.state.refreshTokens.set(refreshToken, { mailboxId, clientId, scope, revoked: false });
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      ver: '2.0',
      iss: `${this.origin}/${mailbox.tenantId}/v2.0`,
      sub: base64url(mailbox.id).slice(0, 43),
      aud: clientId,
      exp: now + 3600,
      iat: now,
      nbf: now,
      name: mailbox.displayName,
      preferred_username: mailbox.email,
      oid: mailbox.id,
      tid: mailbox.tenantId,
      aio: newToken(12),
    };
    if (nonce) claims.nonce = nonce;
    const idToken = [
      base64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid: 'fake' })),
      base64url(JSON.stringify(claims)),
      base64url('not-a-real-signature'),
    ].join('.');
    this.json(res, 200, {
      token_type: 'Bearer',
      scope: grantedScope(scope),
      expires_in: this.state.accessTokenLifetimeSeconds,
      ext_expires_in: this.state.accessTokenLifetimeSeconds,
      access_token: accessToken,
      refresh_token: refreshToken,
      id_token: idToken,
      client_info: base64url(JSON.stringify({ uid: mailbox.id, utid: mailbox.tenantId })),
    });
  }

  private oauthError(res: ServerResponse, status: number, error: string, code: number, text: string): void {
    const traceId = randomUUID();
    const correlationId = randomUUID();
    const timestamp = new Date()
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, 'Z');
    this.json(res, status, {
      error,
      error_description: `AADSTS${code}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
    });
  }

  private page(res: ServerResponse, status: number, text: string): void {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<html><body><p>${htmlEscape(text)}</p></body></html>`);
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  }
}

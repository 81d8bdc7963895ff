/**
 * Builds the google-auth-library clients a Google account uses: an OAuth2Client fed by the saved
 * refresh token (personal), or a JWT client acting for each user through domain-wide delegation
 * (Workspace). Tokens only ever go to `AccountSecrets`; nothing here logs them.
 */
import { JWT, OAuth2Client, type Credentials } from 'google-auth-library';
import type { AccountSecrets } from '../../ports';
import { ProviderError } from '../provider';
import {
  directoryScope,
  googleEndpoints,
  oauthEndpointsFor,
  type GoogleAccountSettings,
  type GooglePersonalSecrets,
  type GoogleSecrets,
  type GoogleWorkspaceSecrets,
} from './settings';

/** The fetch a client should use (tests and hosts may pass their own). */
export type FetchImplementation = typeof fetch;

/** An authenticated client the People and Directory API objects accept as `auth`. */
export type GoogleAuth = OAuth2Client;

/** Reads the account's secrets, refusing when they are missing or of the other kind. */
export async function loadSecrets<K extends GoogleSecrets['kind']>(
  secrets: AccountSecrets,
  kind: K,
): Promise<Extract<GoogleSecrets, { kind: K }>> {
  const value = await secrets.get<GoogleSecrets>();
  if (!value || value.kind !== kind) {
    throw new ProviderError('auth-required', 'This Google account is not signed in. Sign in to continue.');
  }
  return value as Extract<GoogleSecrets, { kind: K }>;
}

/**
 * The OAuth2 client of a personal account. It refreshes the access token when it expires and also
 * after a 401 (`forceRefreshOnFailure`: a token can die before its expiry). A rotated refresh token
 * arrives in the 'tokens' event and is saved at once, so the next run does not start from a dead one.
 */
export function personalAuth(
  settings: GoogleAccountSettings,
  saved: GooglePersonalSecrets,
  secrets: AccountSecrets,
  fetchImplementation?: FetchImplementation,
): GoogleAuth {
  const endpoints = oauthEndpointsFor(settings);
  const client = new OAuth2Client({
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    endpoints: {
      oauth2AuthBaseUrl: endpoints.authUrl,
      oauth2TokenUrl: endpoints.tokenUrl,
      oauth2RevokeUrl: endpoints.revokeUrl,
    },
    forceRefreshOnFailure: true,
    transporterOptions: fetchImplementation ? { fetchImplementation } : undefined,
  });
  client.setCredentials({ refresh_token: saved.refreshToken });
  let current = saved;
  client.on('tokens', (tokens: Credentials) => {
    if (tokens.refresh_token && tokens.refresh_token !== current.refreshToken) {
      current = { ...current, refreshToken: tokens.refresh_token };
      // Nowhere to report a failed save from an event; the next run then asks for a new sign-in.
      secrets.set<GoogleSecrets>(current).catch(() => undefined);
    }
  });
  return client;
}

/**
 * A JWT client acting as `subject` (a user of the Workspace domain). google-auth-library posts the
 * jwt-bearer grant to Google's fixed token URL whatever the settings say (providers.md 3.2), so a
 * request interceptor sends it to the configured token endpoint instead.
 */
export function workspaceAuth(
  settings: GoogleAccountSettings,
  saved: GoogleWorkspaceSecrets,
  subject: string,
  scopes: string[],
  fetchImplementation?: FetchImplementation,
): GoogleAuth {
  const client = new JWT({
    email: saved.serviceAccountKey.client_email,
    key: saved.serviceAccountKey.private_key,
    keyId: saved.serviceAccountKey.private_key_id,
    scopes,
    subject,
    transporterOptions: fetchImplementation ? { fetchImplementation } : undefined,
  });
  const tokenUrl = oauthEndpointsFor(settings).tokenUrl;
  if (tokenUrl !== googleEndpoints.tokenUrl) {
    client.transporter.interceptors.request.add({
      resolved: async (config) => {
        if (config.url && String(config.url) === googleEndpoints.tokenUrl) config.url = new URL(tokenUrl);
        return config;
      },
    });
  }
  return client;
}

/** Scopes of the administrator's client that lists directory users. */
export const directoryScopes = [directoryScope];

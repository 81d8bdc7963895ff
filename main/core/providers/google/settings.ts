/**
 * What one Google account is configured with, and the secrets kept for it. Endpoints are settings so
 * tests (and any private deployment) can point an account at another server; the defaults are Google's.
 */

/** The settings an account stores (not secret). */
export interface GoogleAccountSettings {
  clientId: string;
  /** Desktop clients have a "secret" that is not secret; Google still asks for it at the token endpoint. */
  clientSecret?: string;
  /** Root of the People and Directory APIs, e.g. `https://people.googleapis.com/` (default per API). */
  rootUrl?: string;
  oauth?: { authUrl: string; tokenUrl: string; revokeUrl?: string };
  /** Opt-in backup of "Other contacts" (product.md B12), kept in a folder of its own. */
  otherContacts?: boolean;
  mode: 'personal' | 'workspace';
  workspace?: { adminEmail: string; domain?: string };
}

/** A service account key file as Google Cloud hands it out (only the fields used here). */
export interface GoogleServiceAccountKey {
  readonly client_email: string;
  readonly private_key: string;
  readonly private_key_id?: string;
  readonly token_uri?: string;
}

/** Secrets of a personal account: the refresh token from sign-in. */
export interface GooglePersonalSecrets {
  readonly kind: 'personal';
  readonly email: string;
  readonly refreshToken: string;
}

/** Secrets of a Workspace account: the service account key with domain-wide delegation. */
export interface GoogleWorkspaceSecrets {
  readonly kind: 'workspace';
  readonly serviceAccountKey: GoogleServiceAccountKey;
}

/** What `AccountSecrets` holds for a Google account. */
export type GoogleSecrets = GooglePersonalSecrets | GoogleWorkspaceSecrets;

/** Google's real endpoints. */
export const googleEndpoints = {
  authUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
  tokenUrl: 'https://oauth2.googleapis.com/token',
  revokeUrl: 'https://oauth2.googleapis.com/revoke',
} as const;

export const contactsScope = 'https://www.googleapis.com/auth/contacts';
export const otherContactsScope = 'https://www.googleapis.com/auth/contacts.other.readonly';
export const directoryScope = 'https://www.googleapis.com/auth/admin.directory.user.readonly';

/** The People API scopes this account needs: contacts, plus other contacts only when opted in. */
export function contactScopesFor(settings: GoogleAccountSettings): string[] {
  return settings.otherContacts ? [contactsScope, otherContactsScope] : [contactsScope];
}

/** The OAuth endpoints of an account, Google's unless the settings say otherwise. */
export function oauthEndpointsFor(settings: GoogleAccountSettings): {
  authUrl: string;
  tokenUrl: string;
  revokeUrl: string;
} {
  return {
    authUrl: settings.oauth?.authUrl ?? googleEndpoints.authUrl,
    tokenUrl: settings.oauth?.tokenUrl ?? googleEndpoints.tokenUrl,
    revokeUrl: settings.oauth?.revokeUrl ?? googleEndpoints.revokeUrl,
  };
}

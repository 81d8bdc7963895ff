/**
 * Per-account Microsoft settings and the endpoints derived from them. Every endpoint is a setting so
 * an account can live in a national cloud (GCC High: login.microsoftonline.us + graph.microsoft.us)
 * and tests can point it at the loopback fakes.
 */

/** What one Microsoft 365 / Outlook.com account needs to reach its cloud. */
export interface MicrosoftAccountSettings {
  /** The app registration's client id. */
  readonly clientId: string;
  /** personal: one delegated user (Outlook.com or one work account). tenant: app-only, every directory user. */
  readonly mode: 'personal' | 'tenant';
  /** Required in tenant mode: the directory whose users are backed up. */
  readonly tenant?: { readonly tenantId: string };
  /** Identity host, default https://login.microsoftonline.com (GCC High: https://login.microsoftonline.us). */
  readonly identityBaseUrl?: string;
  /** Full authority; default `${identityBaseUrl}/common`, or `${identityBaseUrl}/${tenantId}` in tenant mode. */
  readonly authority?: string;
  /** Graph root including the version, default https://graph.microsoft.com/v1.0. */
  readonly graphBaseUrl?: string;
  /**
   * Resource prefix for scopes when Graph is not the global service (GCC High:
   * https://graph.microsoft.us). Default: https://graph.microsoft.com, the global Graph.
   */
  readonly graphScopeResource?: string;
  /** MSAL options for clouds MSAL does not know: hosts trusted without instance discovery. */
  readonly knownAuthorities?: readonly string[];
  /** MSAL's authorityMetadata (JSON of the openid-configuration), skips discovery traffic. */
  readonly authorityMetadata?: string;
  /** MSAL's cloudDiscoveryMetadata (JSON), for authorities MSAL has no built-in metadata for. */
  readonly cloudDiscoveryMetadata?: string;
  /**
   * An extra CA certificate (PEM) every request of the account trusts (sign-in and Graph), for a
   * corporate TLS-inspecting proxy or a private CA, and for the HTTPS test fake. Unset: the system's.
   */
  readonly extraCaPem?: string;
  /** Page size sent as `Prefer: odata.maxpagesize` (default 100). */
  readonly pageSize?: number;
}

/** The secrets of one Microsoft account, sealed in the vault through AccountSecrets. */
export interface MicrosoftSecrets {
  /** MSAL's serialized token cache (refresh and access tokens). */
  readonly msalCache?: string;
  /** The signed-in account (personal mode). */
  readonly homeAccountId?: string;
  /** Client secret of the app registration (tenant mode). */
  readonly clientSecret?: string;
}

export interface ResolvedEndpoints {
  readonly authority: string;
  readonly graphBaseUrl: string;
  readonly delegatedScopes: readonly string[];
  readonly appScopes: readonly string[];
  readonly pageSize: number;
}

const DEFAULT_IDENTITY = 'https://login.microsoftonline.com';
const DEFAULT_GRAPH = 'https://graph.microsoft.com/v1.0';
const DEFAULT_SCOPE_RESOURCE = 'https://graph.microsoft.com';

/** Fills the defaults; no trailing slashes. */
export function resolveEndpoints(settings: MicrosoftAccountSettings): ResolvedEndpoints {
  const identity = (settings.identityBaseUrl ?? DEFAULT_IDENTITY).replace(/\/+$/, '');
  const tenantSegment = settings.mode === 'tenant' ? (settings.tenant?.tenantId ?? '') : 'common';
  const authority = (settings.authority ?? `${identity}/${tenantSegment}`).replace(/\/+$/, '');
  const graphBaseUrl = (settings.graphBaseUrl ?? DEFAULT_GRAPH).replace(/\/+$/, '');
  const resource = (settings.graphScopeResource ?? DEFAULT_SCOPE_RESOURCE).replace(/\/+$/, '');
  // Asked in the form Entra answers with (full URIs): MSAL's silent lookup compares the asked
  // scopes with the ones the token response listed, so the short form missed the cache and every
  // Graph request redeemed the refresh token again (issue 14, item 6).
  const delegated = ['Contacts.ReadWrite'].map((s) => `${resource}/${s}`);
  return {
    authority,
    graphBaseUrl,
    delegatedScopes: [...delegated, 'offline_access'],
    appScopes: [`${resource}/.default`],
    pageSize: Math.max(1, Math.min(1000, settings.pageSize ?? 100)),
  };
}

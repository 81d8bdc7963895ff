/**
 * The HTTP side of CardDAV: Basic auth on every request, WebDAV multistatus parsing, retries of
 * throttling and transient faults, and one clear sentence per failure a person can act on (wrong
 * app password, unreachable server, certificate problem, not a CardDAV server). The password lives
 * only in the Authorization header of this object's requests; it is never logged or put in errors.
 */
import { ProviderError } from '../provider';
import { CARDDAV, DAV, XmlError, childOf, childrenOf, escapeXml, parseXml, type XmlElement } from './xml';

/** The answer for one href of a multistatus. */
export interface DavResponse {
  /** The href's path (percent-encoding as the server sent it, normalised by URL). */
  readonly path: string;
  /** The response-level status (sync-collection deletions: 404), else undefined. */
  readonly status?: number;
  /** Properties with a 2xx propstat, by `namespace localName`. */
  readonly props: ReadonlyMap<string, XmlElement>;
}

export interface Multistatus {
  readonly responses: readonly DavResponse[];
  /** The sync-token element of a sync-collection answer. */
  readonly syncToken?: string;
}

export interface DavClientOptions {
  readonly username: string;
  readonly password: string;
  /** Injected in tests; the global fetch otherwise. */
  readonly fetch?: typeof fetch;
  /** Waits between retries (tests pass a fast one). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Property key for `props` maps. */
export const propKey = (ns: string, name: string) => `${ns} ${name}`;

/** Thrown for a sync-collection whose token the server no longer accepts. */
export class InvalidSyncTokenError extends Error {
  constructor() {
    super('The server no longer accepts the stored sync token.');
    this.name = 'InvalidSyncTokenError';
  }
}

const RETRIES = 4;
const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The sentence for a request that never got an HTTP answer. */
export function transportError(url: URL, error: unknown): ProviderError {
  const code = causeCode(error);
  if (code && (TLS_CODES.has(code) || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS'))) {
    return new ProviderError(
      'network',
      `The secure connection to ${url.host} failed (${code}): its certificate is not trusted or has ` +
        'expired. Check the server address, or ask its administrator to fix the certificate.',
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new ProviderError(
      'network',
      `The server ${url.hostname} could not be found. Check the address.`,
      true,
    );
  }
  if (code === 'ECONNREFUSED') {
    return new ProviderError(
      'network',
      `Nothing answers at ${url.host}: the server is down or the address is wrong.`,
      true,
    );
  }
  return new ProviderError(
    'network',
    `The server ${url.host} could not be reached${code ? ` (${code})` : ''}. Check the connection and try again.`,
    true,
  );
}

/** A thin WebDAV client bound to one account's credentials. */
export class DavClient {
  private readonly authorization: string;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: DavClientOptions) {
    this.authorization = `Basic ${Buffer.from(`${options.username}:${options.password}`, 'utf8').toString('base64')}`;
    this.fetchImpl = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * One request with retries for 429/503 (honouring Retry-After, capped) and dropped connections.
   * Answers every other status to the caller, except 401, which becomes 'auth-required'.
   */
  async request(
    method: string,
    url: URL,
    init: { headers?: Record<string, string>; body?: string; signal?: AbortSignal } = {},
  ): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      init.signal?.throwIfAborted();
      let response: Response;
      try {
        response = await this.fetchImpl(url, {
          method,
          headers: { Authorization: this.authorization, ...init.headers },
          body: init.body,
          signal: init.signal,
          redirect: 'follow',
        });
      } catch (error) {
        if (init.signal?.aborted) throw init.signal.reason;
        const failure = transportError(url, error);
        if (!failure.retryable || attempt >= RETRIES || causeCode(error) === 'ECONNREFUSED') throw failure;
        await this.sleep(250 * 2 ** attempt);
        continue;
      }
      if (response.status === 401) {
        await response.body?.cancel();
        throw new ProviderError(
          'auth-required',
          `${url.host} refused the user name or password. iCloud and Fastmail need an app-specific ` +
            'password (made in the account’s security settings), not the account password.',
        );
      }
      if ((response.status === 429 || response.status === 503) && attempt < RETRIES) {
        await response.body?.cancel();
        const after = Number(response.headers.get('retry-after'));
        await this.sleep(
          Number.isFinite(after) && after > 0 ? Math.min(after, 30) * 1000 : 500 * 2 ** attempt,
        );
        continue;
      }
      if (response.status === 429) {
        await response.body?.cancel();
        throw new ProviderError(
          'throttled',
          `${url.host} asks to slow down; the backup will try again later.`,
          true,
        );
      }
      return response;
    }
  }

  /** PROPFIND with the given `<prop>` children (already-serialised XML using prefixes d, c, cs). */
  async propfind(url: URL, depth: '0' | '1', props: string, signal?: AbortSignal): Promise<Multistatus> {
    const body =
      '<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:" ' +
      'xmlns:c="urn:ietf:params:xml:ns:carddav" xmlns:cs="http://calendarserver.org/ns/">' +
      `<d:prop>${props}</d:prop></d:propfind>`;
    const response = await this.request('PROPFIND', url, {
      headers: { Depth: depth, 'Content-Type': 'application/xml; charset=utf-8' },
      body,
      signal,
    });
    return this.multistatus(url, response, 'PROPFIND');
  }

  /**
   * RFC 6578 sync-collection. Without a token it lists every member; with one, what changed since.
   * A token the server refuses (403 valid-sync-token; Xandikos answers 500) raises InvalidSyncTokenError.
   */
  async syncCollection(url: URL, token: string | undefined, signal?: AbortSignal): Promise<Multistatus> {
    const body =
      '<?xml version="1.0" encoding="utf-8"?><d:sync-collection xmlns:d="DAV:">' +
      `<d:sync-token>${token ? escapeXml(token) : ''}</d:sync-token><d:sync-level>1</d:sync-level>` +
      '<d:prop><d:getetag/></d:prop></d:sync-collection>';
    const response = await this.request('REPORT', url, {
      headers: { Depth: '1', 'Content-Type': 'application/xml; charset=utf-8' },
      body,
      signal,
    });
    if (token && !response.ok && response.status !== 404) {
      const text = await response.text();
      if (
        response.status === 403 ||
        response.status === 409 ||
        response.status >= 500 ||
        /valid-sync-token/.test(text)
      ) {
        throw new InvalidSyncTokenError();
      }
      throw statusError(url, response.status, 'REPORT sync-collection');
    }
    return this.multistatus(url, response, 'REPORT sync-collection');
  }

  /** addressbook-multiget for these member paths, with their etags and card text. */
  async multiget(url: URL, paths: readonly string[], signal?: AbortSignal): Promise<Multistatus> {
    const body =
      '<?xml version="1.0" encoding="utf-8"?><c:addressbook-multiget xmlns:d="DAV:" ' +
      'xmlns:c="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/><c:address-data/></d:prop>' +
      paths.map((path) => `<d:href>${escapeXml(path)}</d:href>`).join('') +
      '</c:addressbook-multiget>';
    const response = await this.request('REPORT', url, {
      headers: { Depth: '1', 'Content-Type': 'application/xml; charset=utf-8' },
      body,
      signal,
    });
    return this.multistatus(url, response, 'REPORT addressbook-multiget');
  }

  private async multistatus(url: URL, response: Response, what: string): Promise<Multistatus> {
    if (response.status !== 207) {
      await response.body?.cancel();
      throw statusError(url, response.status, what);
    }
    let root: XmlElement;
    try {
      root = parseXml(await response.text());
    } catch (error) {
      if (error instanceof XmlError) {
        throw new ProviderError(
          'invalid-response',
          `${url.host} sent an unreadable answer to ${what}: ${error.message}`,
        );
      }
      throw error;
    }
    if (root.ns !== DAV || root.name !== 'multistatus') {
      throw new ProviderError(
        'invalid-response',
        `${url.host} did not answer ${what} as a WebDAV server would.`,
      );
    }
    const base = new URL(response.url || url.href);
    const responses: DavResponse[] = [];
    for (const entry of childrenOf(root, DAV, 'response')) {
      const href = childOf(entry, DAV, 'href')?.text.trim();
      if (!href) continue;
      const props = new Map<string, XmlElement>();
      for (const propstat of childrenOf(entry, DAV, 'propstat')) {
        const status = statusCode(childOf(propstat, DAV, 'status')?.text);
        if (status !== undefined && (status < 200 || status > 299)) continue;
        for (const prop of childOf(propstat, DAV, 'prop')?.children ?? [])
          props.set(propKey(prop.ns, prop.name), prop);
      }
      const status = statusCode(childOf(entry, DAV, 'status')?.text);
      responses.push({
        path: new URL(href, base).pathname,
        ...(status !== undefined ? { status } : {}),
        props,
      });
    }
    const syncToken = childOf(root, DAV, 'sync-token')?.text.trim();
    return { responses, ...(syncToken ? { syncToken } : {}) };
  }
}

/** A sentence for an unexpected HTTP status. */
export function statusError(url: URL, status: number, what: string): ProviderError {
  if (status === 403) {
    return new ProviderError(
      'auth-required',
      `${url.host} does not allow this account to read ${url.pathname}.`,
    );
  }
  if (status === 404) return new ProviderError('not-found', `${url.host} has nothing at ${url.pathname}.`);
  return new ProviderError(
    status >= 500 ? 'network' : 'invalid-response',
    `${url.host} answered ${what} on ${url.pathname} with HTTP ${status}.`,
    status >= 500,
  );
}

function statusCode(line: string | undefined): number | undefined {
  const match = line?.match(/HTTP\/[\d.]+\s+(\d{3})/);
  return match ? Number(match[1]) : undefined;
}

/** The text of a property (trimmed; etags keep their quotes). */
export function propText(response: DavResponse, ns: string, name: string): string | undefined {
  const value = response.props.get(propKey(ns, name));
  return value ? value.text.trim() || undefined : undefined;
}

/** The raw (untrimmed) text of the address-data property. */
export function addressData(response: DavResponse): string | undefined {
  return response.props.get(propKey(CARDDAV, 'address-data'))?.text;
}

/** The first href inside a property (current-user-principal, addressbook-home-set). */
export function propHref(response: DavResponse, ns: string, name: string): string | undefined {
  return childOf(response.props.get(propKey(ns, name)), DAV, 'href')?.text.trim() || undefined;
}

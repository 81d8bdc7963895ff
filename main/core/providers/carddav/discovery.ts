/**
 * Finding a user's address books (RFC 6764 and RFC 6352 §7): the URL typed or preset, then
 * `/.well-known/carddav`, then the server root, each asked for `current-user-principal`; the
 * principal for its `addressbook-home-set`; the home (Depth 1) for its address books with their
 * change markers (getctag, else the sync-token property) and whether they offer sync-collection.
 */
import { ProviderError } from '../provider';
import { DavClient, propHref, propText, propKey, type DavResponse } from './dav-client';
import { CALSERVER, CARDDAV, DAV, type XmlElement } from './xml';

/** One address book; its path is the folder id. */
export interface AddressBook {
  readonly url: URL;
  readonly path: string;
  readonly name: string;
  /** getctag: changes whenever a member changes; undefined when the server has none. */
  readonly version?: string;
  /** The book answers RFC 6578 sync-collection. */
  readonly syncCollection: boolean;
}

function candidatesOf(serverUrl: string): URL[] {
  const typed = new URL(serverUrl);
  const urls = [typed, new URL('/.well-known/carddav', typed.origin), new URL('/', typed.origin)];
  const seen = new Set<string>();
  return urls.filter((url) => (seen.has(url.href) ? false : (seen.add(url.href), true)));
}

/** Errors that mean "not here, try the next candidate" rather than "stop". */
function tryNext(error: unknown): boolean {
  return error instanceof ProviderError && (error.code === 'not-found' || error.code === 'invalid-response');
}

/** The address-book home of the signed-in user. */
export async function discoverHome(client: DavClient, serverUrl: string, signal?: AbortSignal): Promise<URL> {
  const props = '<d:current-user-principal/><c:addressbook-home-set/>';
  let lastStatus: string | undefined;
  for (const candidate of candidatesOf(serverUrl)) {
    let response: DavResponse | undefined;
    try {
      response = (await client.propfind(candidate, '0', props, signal)).responses[0];
    } catch (error) {
      if (!tryNext(error)) throw error;
      lastStatus = (error as Error).message;
      continue;
    }
    if (!response) continue;
    const home = propHref(response, CARDDAV, 'addressbook-home-set');
    if (home) return new URL(home, candidate);
    const principal = propHref(response, DAV, 'current-user-principal');
    if (!principal) continue;
    const principalUrl = new URL(principal, candidate);
    const answer = (await client.propfind(principalUrl, '0', '<c:addressbook-home-set/>', signal))
      .responses[0];
    const found = answer && propHref(answer, CARDDAV, 'addressbook-home-set');
    if (found) return new URL(found, principalUrl);
  }
  const host = new URL(serverUrl).host;
  throw new ProviderError(
    'invalid-response',
    `${host} does not answer as a CardDAV server (it names no address books for this user). ` +
      `Check the server address${lastStatus ? `; the last answer was: ${lastStatus}` : ''}.`,
  );
}

function hasElement(element: XmlElement | undefined, ns: string, name: string): boolean {
  if (!element) return false;
  if (element.ns === ns && element.name === name) return true;
  return element.children.some((child) => hasElement(child, ns, name));
}

/** The address books directly under the home, in the server's order. */
export async function listAddressBooks(
  client: DavClient,
  home: URL,
  signal?: AbortSignal,
): Promise<AddressBook[]> {
  const status = await client.propfind(
    home,
    '1',
    // No sync-token here: Radicale computes (and records) one per book on every such request, which
    // costs as much as the getctag; the token comes from sync-collection itself.
    '<d:resourcetype/><d:displayname/><cs:getctag/><d:supported-report-set/>',
    signal,
  );
  const books: AddressBook[] = [];
  for (const response of status.responses) {
    if (!hasElement(response.props.get(propKey(DAV, 'resourcetype')), CARDDAV, 'addressbook')) continue;
    const url = new URL(response.path, home);
    const ctag = propText(response, CALSERVER, 'getctag');
    const reports = response.props.get(propKey(DAV, 'supported-report-set'));
    const segments = response.path.split('/').filter(Boolean);
    books.push({
      url,
      path: url.pathname,
      name:
        propText(response, DAV, 'displayname') ??
        decodeURIComponent(segments[segments.length - 1] ?? 'Contacts'),
      ...(ctag ? { version: ctag } : {}),
      // A server that does not list its reports is tried with sync-collection (sync.ts falls back).
      syncCollection: !reports || hasElement(reports, DAV, 'sync-collection'),
    });
  }
  return books;
}

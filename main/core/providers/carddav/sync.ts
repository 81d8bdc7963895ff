/**
 * Reading address books into SyncBatches. Two phases, so nothing reaches the engine before we know
 * whether the sync is incremental: (1) per address book, decide what to fetch: nothing when its
 * getctag is unchanged; the changes since the stored RFC 6578 token; or (servers without
 * sync-collection, or `listing: 'propfind'`) a Depth 1 getetag listing compared with the stored
 * etags; (2) fetch the changed cards with addressbook-multiget in batches and hand them over page by
 * page. A token the server refuses, a vanished address book or a missing cursor turn the whole sync
 * into a full read (`full: true`): every card is delivered once, so the engine marks what is gone as
 * deleted and keeps the rest without duplicates. addressbook-query is never used (Xandikos 0.2.8
 * fails it).
 */
import type { ContactFolder } from '../../contacts/model';
import {
  ProviderError,
  type SourceContact,
  type SyncBatch,
  type SyncOutcome,
  type WorkContext,
} from '../provider';
import { DavClient, InvalidSyncTokenError, addressData, propText, type DavResponse } from './dav-client';
import type { AddressBook } from './discovery';
import { sourceContactOf } from './card-mapping';
import { DAV } from './xml';
import { count } from '../../plural';

/**
 * Cards per addressbook-multiget request: large enough that per-request server work (Radicale) is
 * spread thin, small enough that a page of cards with photos stays a few MB.
 */
export const MULTIGET_BATCH = 500;

interface BookState {
  /** getctag (or the sync-token property) when the book was last read. */
  readonly version?: string;
  /** RFC 6578 token (sync-collection mode). */
  readonly token?: string;
  /** Member file name -> etag (PROPFIND mode). */
  readonly etags?: Readonly<Record<string, string>>;
}

interface CursorFile {
  readonly v: 1;
  readonly books: Readonly<Record<string, BookState>>;
}

/** What to do for one book. */
interface BookPlan {
  readonly book: AddressBook;
  readonly fetch: string[];
  readonly deletions: string[];
  readonly state: BookState;
}

export interface SyncOptions {
  readonly listing: 'auto' | 'propfind';
  readonly batchSize?: number;
}

function parseCursor(text: string | undefined): CursorFile | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as CursorFile;
    return value && value.v === 1 && typeof value.books === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

const nameIn = (bookPath: string, path: string) =>
  path.startsWith(bookPath) ? path.slice(bookPath.length) : path;

/** A member of the book (not the book itself, not a sub-collection). */
function isMember(book: AddressBook, path: string): boolean {
  return path !== book.path && path.startsWith(book.path) && !path.endsWith('/');
}

function useSyncCollection(book: AddressBook, options: SyncOptions): boolean {
  return options.listing === 'auto' && book.syncCollection;
}

/** Every member with its etag, by PROPFIND Depth 1. */
async function etagListing(
  client: DavClient,
  book: AddressBook,
  signal: AbortSignal,
): Promise<Map<string, string>> {
  const status = await client.propfind(book.url, '1', '<d:getetag/>', signal);
  const etags = new Map<string, string>();
  for (const response of status.responses) {
    if (isMember(book, response.path)) etags.set(response.path, propText(response, DAV, 'getetag') ?? '');
  }
  return etags;
}

/** sync-collection until the server stops truncating (507 on the collection itself). */
async function syncChanges(
  client: DavClient,
  book: AddressBook,
  token: string | undefined,
  signal: AbortSignal,
): Promise<{ changed: string[]; deleted: string[]; token?: string }> {
  const changed = new Set<string>();
  const deleted = new Set<string>();
  let current = token;
  for (let round = 0; round < 1000; round++) {
    const status = await client.syncCollection(book.url, current, signal);
    let truncated = false;
    for (const response of status.responses) {
      if (response.path === book.path) {
        if (response.status === 507) truncated = true;
        continue;
      }
      if (!isMember(book, response.path)) continue;
      if (response.status === 404) {
        changed.delete(response.path);
        deleted.add(response.path);
      } else {
        deleted.delete(response.path);
        changed.add(response.path);
      }
    }
    current = status.syncToken ?? current;
    if (!truncated || !status.syncToken) break;
  }
  return { changed: [...changed], deleted: [...deleted], ...(current ? { token: current } : {}) };
}

/** Plans a full read of one book. */
async function planFull(
  client: DavClient,
  book: AddressBook,
  options: SyncOptions,
  signal: AbortSignal,
): Promise<BookPlan> {
  if (useSyncCollection(book, options)) {
    try {
      const { changed, token } = await syncChanges(client, book, undefined, signal);
      return { book, fetch: changed, deletions: [], state: { version: book.version, token } };
    } catch (error) {
      // A server that did not list its reports and refuses sync-collection: list with PROPFIND.
      if (
        !(error instanceof ProviderError) ||
        (error.code !== 'invalid-response' && error.code !== 'not-found')
      ) {
        throw error;
      }
    }
  }
  const etags = await etagListing(client, book, signal);
  return {
    book,
    fetch: [...etags.keys()],
    deletions: [],
    state: {
      version: book.version,
      etags: Object.fromEntries([...etags].map(([path, etag]) => [nameIn(book.path, path), etag])),
    },
  };
}

/** Plans an incremental read of one book; throws InvalidSyncTokenError when it cannot be incremental. */
async function planIncremental(
  client: DavClient,
  book: AddressBook,
  previous: BookState,
  options: SyncOptions,
  signal: AbortSignal,
): Promise<BookPlan> {
  if (book.version && previous.version === book.version)
    return { book, fetch: [], deletions: [], state: previous };
  if (useSyncCollection(book, options) && previous.token) {
    const { changed, deleted, token } = await syncChanges(client, book, previous.token, signal);
    return { book, fetch: changed, deletions: deleted, state: { version: book.version, token } };
  }
  if (!previous.etags) throw new InvalidSyncTokenError();
  const etags = await etagListing(client, book, signal);
  const fetch: string[] = [];
  for (const [path, etag] of etags)
    if (previous.etags[nameIn(book.path, path)] !== etag || !etag) fetch.push(path);
  const deletions = Object.keys(previous.etags)
    .map((name) => book.path + name)
    .filter((path) => !etags.has(path));
  return {
    book,
    fetch,
    deletions,
    state: {
      version: book.version,
      etags: Object.fromEntries([...etags].map(([path, etag]) => [nameIn(book.path, path), etag])),
    },
  };
}

/**
 * Fetches cards by path with addressbook-multiget, page by page, in order. The next request is sent
 * while the current page is parsed and stored, so our work overlaps the server's. Paths the server
 * does not answer with a card (404: deleted since the listing) go to `missing`.
 */
export async function fetchCards(
  client: DavClient,
  book: AddressBook,
  paths: readonly string[],
  batchSize: number,
  signal: AbortSignal,
  page: (contacts: SourceContact[], missing: string[]) => Promise<void>,
): Promise<void> {
  const request = (start: number) => {
    const promise = client.multiget(book.url, paths.slice(start, start + batchSize), signal);
    // Awaited below; this only keeps a failure while the previous page is stored from going unhandled.
    promise.catch(() => undefined);
    return promise;
  };
  let next = paths.length > 0 ? request(0) : undefined;
  for (let start = 0; start < paths.length; start += batchSize) {
    const slice = paths.slice(start, start + batchSize);
    const status = await next!;
    next = start + batchSize < paths.length ? request(start + batchSize) : undefined;
    const contacts: SourceContact[] = [];
    const answered = new Set<string>();
    for (const response of status.responses as DavResponse[]) {
      const text = addressData(response);
      if (text === undefined || (response.status !== undefined && response.status !== 200)) continue;
      answered.add(response.path);
      contacts.push(sourceContactOf(response.path, book.path, text));
    }
    await page(
      contacts,
      slice.filter((path) => !answered.has(path)),
    );
  }
}

/** One sync of every address book of the account. */
export async function syncBooks(
  client: DavClient,
  books: readonly AddressBook[],
  cursor: string | undefined,
  sink: (batch: SyncBatch) => Promise<void>,
  context: WorkContext,
  options: SyncOptions,
): Promise<SyncOutcome> {
  const { signal } = context;
  const previous = parseCursor(cursor);
  let full =
    !previous || Object.keys(previous.books).some((path) => !books.some((book) => book.path === path));
  let plans: BookPlan[] = [];
  if (!full && previous) {
    try {
      for (const book of books) {
        const state = previous.books[book.path];
        plans.push(
          state
            ? await planIncremental(client, book, state, options, signal)
            : await planFull(client, book, options, signal),
        );
      }
    } catch (error) {
      if (!(error instanceof InvalidSyncTokenError)) throw error;
      context.log('The server no longer accepts the stored sync state; reading every address book again.');
      full = true;
    }
  }
  if (full) {
    plans = [];
    for (const book of books) plans.push(await planFull(client, book, options, signal));
  }
  const folders: ContactFolder[] = books.map((book) => ({ id: book.path, name: book.name }));
  const deletions = plans.flatMap((plan) => plan.deletions);
  await sink({ folders, upserts: [], deletions });
  const total = plans.reduce((sum, plan) => sum + plan.fetch.length, 0);
  let done = 0;
  context.progress(0, total);
  for (const plan of plans) {
    await fetchCards(
      client,
      plan.book,
      plan.fetch,
      options.batchSize ?? MULTIGET_BATCH,
      signal,
      async (upserts, missing) => {
        done += upserts.length + missing.length;
        // A card listed then deleted before the multiget is gone at the source.
        await sink({ upserts, deletions: full ? [] : missing });
        context.progress(done, total);
      },
    );
  }
  const next: CursorFile = {
    v: 1,
    books: Object.fromEntries(plans.map((plan) => [plan.book.path, plan.state])),
  };
  context.log(
    `Read ${count(books.length, 'address book')}: ${count(total, 'card')} fetched, ${count(deletions.length, 'deletion')}.`,
  );
  return { full, cursor: JSON.stringify(next) };
}

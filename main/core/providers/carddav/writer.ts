/**
 * Restores into CardDAV. A new card is PUT to `<book>/<restoreId>.vcf` with `If-None-Match: *`, so
 * the server refuses to overwrite anything; an update is PUT with `If-Match: <etag>` read just
 * before, keeping the target card's UID. A 412 is answered by reading the card again: for a create,
 * a card already carrying our restore id is the one an interrupted run wrote (success, nothing
 * created twice); for an update, the fresh etag is used once more. `findRestored` finds cards of
 * a run by their file name (`<restoreId>.vcf`), which is what makes a resumed or repeated restore
 * create nothing. The card's UID is the backed-up UID when there was one.
 */
import { randomUUID } from 'node:crypto';
import type { Contact, ContactFolder } from '../../contacts/model';
import { vcardUnsupportedFields, writeVcard, type VcardVersion } from '../../contacts/vcard-write';
import {
  ProviderError,
  type ContactWriter,
  type WorkContext,
  type WriteItem,
  type WriteResult,
} from '../provider';
import { statusError, type DavClient } from './dav-client';
import { listAddressBooks, type AddressBook } from './discovery';
import {
  EXTRA_CATEGORIES,
  EXTRA_UID,
  EXTRA_UNREADABLE,
  RESTORE_ID_PROPERTY,
  fileNameOf,
  restoreIdOf,
} from './card-mapping';
import { escapeXml } from './xml';

/** PUTs in flight at once (servers serialise writes anyway; a few hide the round trips). */
const WRITE_CONCURRENCY = 4;

export interface CardDavWriterDeps {
  /** The account's client (created on first use, with the password from the vault). */
  readonly client: () => Promise<DavClient>;
  /** The address-book home (discovered once per provider). */
  readonly home: (signal: AbortSignal) => Promise<URL>;
  readonly version: VcardVersion;
}

async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  });
  await Promise.all(runners);
  return results;
}

function slug(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9 _-]/g, '')
    .trim()
    .replace(/\s+/g, '-')
    .toLowerCase();
  return base || 'contacts';
}

export function createCardDavWriter(deps: CardDavWriterDeps): ContactWriter {
  const { version } = deps;
  let books: AddressBook[] | undefined;

  async function loadBooks(signal: AbortSignal, fresh = false): Promise<AddressBook[]> {
    if (!books || fresh) books = await listAddressBooks(await deps.client(), await deps.home(signal), signal);
    return books;
  }

  async function bookFor(item: WriteItem, signal: AbortSignal): Promise<AddressBook> {
    const all = await loadBooks(signal);
    const wanted = item.folderIds[0];
    const found = wanted ? all.find((book) => book.path === wanted) : all[0];
    if (!found) {
      throw new ProviderError(
        'not-found',
        wanted
          ? `The address book ${wanted} does not exist on the server.`
          : 'The server has no address book to restore into.',
      );
    }
    return found;
  }

  function cardText(item: WriteItem, uid: string, restoreId: string | undefined): string {
    const raw = item.contact.extra[EXTRA_UNREADABLE];
    if (typeof raw === 'string') return raw;
    const contact: Contact = {
      ...item.contact,
      customFields: [
        ...item.contact.customFields.filter((field) => field.key.toUpperCase() !== RESTORE_ID_PROPERTY),
        ...(restoreId ? [{ key: RESTORE_ID_PROPERTY, value: restoreId }] : []),
      ],
    };
    const categories = item.contact.extra[EXTRA_CATEGORIES];
    return writeVcard(contact, {
      version,
      uid,
      ...(item.photo ? { photo: item.photo } : {}),
      ...(Array.isArray(categories) ? { categories: categories.map(String) } : {}),
    });
  }

  async function put(
    url: URL,
    text: string,
    condition: Record<string, string>,
    signal: AbortSignal,
  ): Promise<Response> {
    return (await deps.client()).request('PUT', url, {
      headers: { 'Content-Type': 'text/vcard; charset=utf-8', ...condition },
      body: text,
      signal,
    });
  }

  async function read(url: URL, signal: AbortSignal): Promise<{ etag?: string; text: string } | undefined> {
    const response = await (await deps.client()).request('GET', url, { signal });
    if (response.status === 404) {
      await response.body?.cancel();
      return undefined;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw statusError(url, response.status, 'GET');
    }
    return { etag: response.headers.get('etag') ?? undefined, text: await response.text() };
  }

  function failure(item: WriteItem, response: Response, url: URL): WriteResult {
    const error = statusError(url, response.status, 'PUT');
    const reason =
      response.status === 403 || response.status === 409
        ? `The server refused the card (HTTP ${response.status}); it may already hold a card with the same UID.`
        : error.message;
    return { key: item.key, ok: false, error: reason, retryable: error.retryable };
  }

  async function createOne(item: WriteItem, signal: AbortSignal): Promise<WriteResult> {
    const book = await bookFor(item, signal);
    const restoreId = item.restoreId;
    const name = `${restoreId ?? randomUUID()}.vcf`;
    const url = new URL(encodeURIComponent(name), book.url);
    const kept = item.contact.extra[EXTRA_UID];
    const uid = typeof kept === 'string' && kept ? kept : (restoreId ?? name.slice(0, -4));
    const response = await put(url, cardText(item, uid, restoreId), { 'If-None-Match': '*' }, signal);
    await response.body?.cancel();
    if (response.ok) return { key: item.key, ok: true, targetId: url.pathname };
    if (response.status === 412) {
      // Something is already there: ours from an interrupted run, or a stranger's card.
      const existing = await read(url, signal);
      if (existing && restoreId && restoreIdOf(existing.text) === restoreId) {
        return { key: item.key, ok: true, targetId: url.pathname };
      }
      return {
        key: item.key,
        ok: false,
        error: `A different card already exists at ${fileNameOf(url.pathname)}.`,
        retryable: false,
      };
    }
    return failure(item, response, url);
  }

  async function updateOne(item: WriteItem, signal: AbortSignal): Promise<WriteResult> {
    if (!item.targetId)
      return { key: item.key, ok: false, error: 'No target card to update.', retryable: false };
    const url = new URL(item.targetId, (await deps.home(signal)).origin);
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await read(url, signal);
      if (!current)
        return {
          key: item.key,
          ok: false,
          error: 'The card was deleted at the server meanwhile.',
          retryable: false,
        };
      const uid =
        current.text.match(/^UID[^:\r\n]*:(.+?)\r?$/im)?.[1]?.trim() ||
        fileNameOf(url.pathname).replace(/\.vcf$/, '');
      const condition: Record<string, string> = current.etag ? { 'If-Match': current.etag } : {};
      const response = await put(url, cardText(item, uid, item.restoreId), condition, signal);
      await response.body?.cancel();
      if (response.ok) return { key: item.key, ok: true, targetId: url.pathname };
      // 412: someone changed the card between our read and our write; read it again.
      if (response.status !== 412) return failure(item, response, url);
    }
    return {
      key: item.key,
      ok: false,
      error: 'The card kept changing at the server; try again.',
      retryable: true,
    };
  }

  async function members(signal: AbortSignal): Promise<Set<string>> {
    const found = new Set<string>();
    for (const book of await loadBooks(signal, true)) {
      const status = await (await deps.client()).propfind(book.url, '1', '<d:resourcetype/>', signal);
      for (const response of status.responses) {
        if (response.path !== book.path && !response.path.endsWith('/')) found.add(response.path);
      }
    }
    return found;
  }

  return {
    async listFolders(context: WorkContext): Promise<ContactFolder[]> {
      return (await loadBooks(context.signal, true)).map((book) => ({ id: book.path, name: book.name }));
    },

    async createFolder(
      name: string,
      _parentId: string | undefined,
      context: WorkContext,
    ): Promise<ContactFolder> {
      const home = await deps.home(context.signal);
      const taken = new Set((await loadBooks(context.signal, true)).map((book) => book.path));
      let url = new URL(`${slug(name)}/`, home);
      for (let suffix = 2; taken.has(url.pathname); suffix++) url = new URL(`${slug(name)}-${suffix}/`, home);
      const response = await (
        await deps.client()
      ).request('MKCOL', url, {
        headers: { 'Content-Type': 'application/xml; charset=utf-8' },
        body:
          '<?xml version="1.0" encoding="utf-8"?><d:mkcol xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav">' +
          '<d:set><d:prop><d:resourcetype><d:collection/><c:addressbook/></d:resourcetype>' +
          `<d:displayname>${escapeXml(name)}</d:displayname></d:prop></d:set></d:mkcol>`,
        signal: context.signal,
      });
      await response.body?.cancel();
      if (response.ok) {
        books = undefined;
        return { id: url.pathname, name };
      }
      // iCloud and some hosted servers allow one address book only: restore into it instead.
      const fallback = (await loadBooks(context.signal))[0];
      if ((response.status === 403 || response.status === 405) && fallback) {
        context.log(
          `The server does not allow new address books; restoring into "${fallback.name}" instead.`,
        );
        return { id: fallback.path, name: fallback.name };
      }
      throw statusError(url, response.status, 'MKCOL');
    },

    async existing(targetIds: readonly string[], context: WorkContext): Promise<Set<string>> {
      if (targetIds.length === 0) return new Set();
      const found = await members(context.signal);
      return new Set(targetIds.filter((id) => found.has(id)));
    },

    async create(items: readonly WriteItem[], context: WorkContext): Promise<WriteResult[]> {
      let done = 0;
      return inParallel(items, WRITE_CONCURRENCY, async (item) => {
        const result = await createOne(item, context.signal);
        context.progress(++done, items.length);
        return result;
      });
    },

    async update(items: readonly WriteItem[], context: WorkContext): Promise<WriteResult[]> {
      let done = 0;
      return inParallel(items, WRITE_CONCURRENCY, async (item) => {
        const result = await updateOne(item, context.signal);
        context.progress(++done, items.length);
        return result;
      });
    },

    async findRestored(restoreIds: readonly string[], context: WorkContext): Promise<Map<string, string>> {
      const wanted = new Set(restoreIds);
      const found = new Map<string, string>();
      if (wanted.size === 0) return found;
      for (const path of await members(context.signal)) {
        const id = fileNameOf(path).replace(/\.vcf$/, '');
        if (wanted.has(id)) found.set(id, path);
      }
      return found;
    },

    unsupportedFields(contact: Contact): string[] {
      return vcardUnsupportedFields(contact, version);
    },
  };
}

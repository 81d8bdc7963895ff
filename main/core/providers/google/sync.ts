/**
 * Reading one user's address book (providers.md 1.2): connections.list with requestSyncToken on a
 * full read and the saved syncToken afterwards; deletions and resource-name changes from the
 * incremental answers; an expired token (400 EXPIRED_SYNC_TOKEN, or 410) means a full read that says
 * `full: true`. Each page goes to the sink before the next is asked for, and a failed page is asked
 * for again with the same page token, so a reset never restarts the read nor skips a page.
 */
import type { ContactFolder } from '../../contacts/model';
import type { SourceContact, SyncBatch, SyncOutcome, WorkContext } from '../provider';
import type { UserApi } from './google-api';
import { foldersOf, listGroups, otherContactsFolder } from './group-folders';
import { isProfileItem, personToContact, readPersonFields, type Person } from './people-mapping';
import { reasonOf, statusOf } from './retry';

/** The cursor kept between syncs: the People sync tokens as JSON. */
interface SyncCursor {
  readonly v: 1;
  readonly people?: string;
  readonly other?: string;
}

const otherContactsReadMask = 'emailAddresses,metadata,names,phoneNumbers,photos';
const batchGetLimit = 200;

interface PageData {
  readonly items: Person[];
  readonly nextPageToken?: string;
  readonly nextSyncToken?: string;
  readonly total?: number;
}

interface Reader {
  readonly key: 'people' | 'other';
  readonly folderIds?: readonly string[];
  fetch(tokens: { pageToken?: string; syncToken?: string }): Promise<PageData>;
}

function parseCursor(cursor: string | undefined): SyncCursor | undefined {
  if (!cursor) return undefined;
  try {
    const parsed = JSON.parse(cursor) as Partial<SyncCursor>;
    return parsed.v === 1 ? (parsed as SyncCursor) : undefined;
  } catch {
    return undefined;
  }
}

/** True when Google says the sync token is too old (providers.md 1.2: 400 EXPIRED_SYNC_TOKEN; 410 accepted too). */
export function isExpiredSyncToken(error: unknown): boolean {
  const status = statusOf(error);
  return status === 410 || (status === 400 && reasonOf(error) === 'EXPIRED_SYNC_TOKEN');
}

/** A person as the engine sees it; Google's generated placeholder photos are not photos. */
export function toSourceContact(
  api: UserApi,
  person: Person,
  context: WorkContext,
  folderIds?: readonly string[],
): SourceContact {
  const contact = personToContact(person);
  // A linked profile's picture is the person's own, not the contact's: it is not backed up as one.
  const url =
    person.photos?.find((photo) => !photo.default && photo.url && !isProfileItem(photo))?.url ?? undefined;
  return {
    sourceId: person.resourceName ?? '',
    contact: folderIds ? { ...contact, folderIds } : contact,
    photo: url ? { key: url, load: () => api.download(url, context) } : undefined,
  };
}

function toBatch(
  api: UserApi,
  reader: Reader,
  page: PageData,
  context: WorkContext,
): Omit<SyncBatch, 'folders'> {
  const upserts: SourceContact[] = [];
  const deletions: string[] = [];
  const renames: { from: string; to: string }[] = [];
  for (const person of page.items) {
    if (!person.resourceName) continue;
    if (person.metadata?.deleted) {
      deletions.push(person.resourceName);
      continue;
    }
    for (const previous of person.metadata?.previousResourceNames ?? [])
      renames.push({ from: previous, to: person.resourceName });
    upserts.push(toSourceContact(api, person, context, reader.folderIds));
  }
  return { upserts, deletions, renames };
}

/** connections.list returns at most this many emails and phones per person (providers.md 1.2). */
export const listItemCap = 100;

/** True when a listed person may have lost emails or phones to the list cap. */
function reachesListCap(person: Person): boolean {
  return (
    (person.emailAddresses?.length ?? 0) >= listItemCap || (person.phoneNumbers?.length ?? 0) >= listItemCap
  );
}

/**
 * Replaces every person of a page that reaches the list cap by a full read (people.getBatchGet, at
 * most 200 names a call), so the 101st email is never lost. Deleted or vanished ones stay as listed.
 */
async function completeCapped(api: UserApi, page: PageData, context: WorkContext): Promise<PageData> {
  const capped = page.items.filter(
    (person) => person.resourceName && !person.metadata?.deleted && reachesListCap(person),
  );
  if (capped.length === 0) return page;
  const full = new Map<string, Person>();
  for (let start = 0; start < capped.length; start += batchGetLimit) {
    const chunk = capped.slice(start, start + batchGetLimit).map((person) => person.resourceName as string);
    const data = await api.call(
      'people.getBatchGet',
      (callOptions) =>
        api.people.people.getBatchGet(
          { resourceNames: chunk, personFields: readPersonFields.join(',') },
          callOptions,
        ),
      context,
    );
    for (const response of data.responses ?? []) {
      const person = response.person;
      if (person?.resourceName && !person.metadata?.deleted) full.set(person.resourceName, person);
    }
  }
  // The listed metadata stays: only sync-token reads carry previousResourceNames (providers.md 1.2).
  return {
    ...page,
    items: page.items.map((person) => {
      const read = full.get(person.resourceName ?? '');
      return read ? { ...read, metadata: person.metadata } : person;
    }),
  };
}

/** Runs one sync for the user behind `api`. */
export async function syncUser(
  api: UserApi,
  cursorText: string | undefined,
  sink: (batch: SyncBatch) => Promise<void>,
  context: WorkContext,
  options: { otherContacts: boolean; pageSize: number },
): Promise<SyncOutcome> {
  const readers: Reader[] = [
    {
      key: 'people',
      fetch: async ({ pageToken, syncToken }) => {
        const data = await api.call(
          'people.connections.list',
          (callOptions) =>
            api.people.people.connections.list(
              {
                resourceName: 'people/me',
                personFields: readPersonFields.join(','),
                pageSize: options.pageSize,
                requestSyncToken: true,
                pageToken,
                syncToken,
              },
              callOptions,
            ),
          context,
        );
        return {
          items: data.connections ?? [],
          nextPageToken: data.nextPageToken ?? undefined,
          nextSyncToken: data.nextSyncToken ?? undefined,
          total: data.totalItems ?? undefined,
        };
      },
    },
  ];
  if (options.otherContacts) {
    readers.push({
      key: 'other',
      folderIds: [otherContactsFolder.id],
      fetch: async ({ pageToken, syncToken }) => {
        const data = await api.call(
          'otherContacts.list',
          (callOptions) =>
            api.people.otherContacts.list(
              {
                readMask: otherContactsReadMask,
                pageSize: options.pageSize,
                requestSyncToken: true,
                pageToken,
                syncToken,
              },
              callOptions,
            ),
          context,
        );
        return {
          items: data.otherContacts ?? [],
          nextPageToken: data.nextPageToken ?? undefined,
          nextSyncToken: data.nextSyncToken ?? undefined,
          total: data.totalSize ?? undefined,
        };
      },
    });
  }

  const cursor = parseCursor(cursorText);
  let full = !cursor || readers.some((reader) => !cursor[reader.key]);
  // First pages of every collection come before any batch goes out: if one token has expired, the
  // whole sync must be full, and nothing incremental may have reached the sink yet.
  const firstPages = async (useTokens: boolean) => {
    const pages: PageData[] = [];
    for (const reader of readers)
      pages.push(await reader.fetch({ syncToken: useTokens ? cursor?.[reader.key] : undefined }));
    return pages;
  };
  let pages: PageData[];
  try {
    pages = await firstPages(!full);
  } catch (error) {
    if (full || !isExpiredSyncToken(error)) throw error;
    context.log('Google sync token expired; reading the whole address book again.');
    full = true;
    pages = await firstPages(false);
  }

  const groups = await listGroups(api, context);
  let folders: ContactFolder[] | undefined = foldersOf(groups);
  if (options.otherContacts) folders.push(otherContactsFolder);

  const next: { people?: string; other?: string } = {};
  let done = 0;
  const total = full ? pages.reduce((sum, page) => sum + (page.total ?? 0), 0) : undefined;
  for (const [index, reader] of readers.entries()) {
    const syncToken = full ? undefined : cursor?.[reader.key];
    let page = pages[index];
    for (;;) {
      if (reader.key === 'people') page = await completeCapped(api, page, context);
      await sink({ folders, ...toBatch(api, reader, page, context) });
      folders = undefined;
      done += page.items.length;
      context.progress(done, total);
      if (!page.nextPageToken) break;
      page = await reader.fetch({ pageToken: page.nextPageToken, syncToken });
    }
    next[reader.key] = page.nextSyncToken;
  }
  const complete = readers.every((reader) => next[reader.key]);
  return { full, cursor: complete ? JSON.stringify({ v: 1, ...next } satisfies SyncCursor) : undefined };
}

/** Reads the given contacts now (getBatchGet, at most 200 per call); missing ones are left out. */
export async function fetchPeople(
  api: UserApi,
  sourceIds: readonly string[],
  context: WorkContext,
): Promise<SourceContact[]> {
  const found: SourceContact[] = [];
  const ids = sourceIds.filter((id) => id.startsWith('people/'));
  for (let start = 0; start < ids.length; start += batchGetLimit) {
    const chunk = ids.slice(start, start + batchGetLimit);
    const data = await api.call(
      'people.getBatchGet',
      (callOptions) =>
        api.people.people.getBatchGet(
          { resourceNames: chunk, personFields: readPersonFields.join(',') },
          callOptions,
        ),
      context,
    );
    for (const response of data.responses ?? []) {
      if (response.person?.resourceName && !response.person.metadata?.deleted)
        found.push(toSourceContact(api, response.person, context));
    }
    context.progress(Math.min(start + chunk.length, ids.length), ids.length);
  }
  return found;
}

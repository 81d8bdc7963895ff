/**
 * Restores into Google (providers.md 1.1, 1.3): creates in batches of 200, updates in batches of 200
 * with the current etag (a stale etag means re-read and retry), recreates contacts deleted since,
 * folders as contact groups, photos through updateContactPhoto. Every mutation of one user goes
 * through that user's queue, because Google asks for one user's mutations to be sent one at a time.
 */
import type { Contact, ContactFolder } from '../../contacts/model';
import type { ContactWriter, WorkContext, WriteItem, WriteResult } from '../provider';
import { RESTORE_ID_KEY, RESTORE_ID_PATTERN } from '../restore-identity';
import type { UserApi } from './google-api';
import { foldersOf, groupToFolder, listGroups, myContactsGroup } from './group-folders';
import {
  contactToPerson,
  deprecatedSystemGroups,
  unsupportedGoogleFields,
  writePersonFields,
  type Person,
} from './people-mapping';
import { reasonOf, statusOf, toProviderError } from './retry';
import { count } from '../../plural';

const batchCreateLimit = 200;
const batchUpdateLimit = 200;
const batchGetLimit = 200;
const staleEtagAttempts = 3;

/** Runs `task` after every earlier mutation of the same user has finished. */
export type MutationQueue = <T>(task: () => Promise<T>) => Promise<T>;

function groupsFor(folderIds: readonly string[]): string[] {
  return folderIds.filter((id) => id.startsWith('contactGroups/') && !deprecatedSystemGroups.has(id));
}

/**
 * The person to write: the contact's own clientData without any earlier restore id, plus this
 * write's restore id on creates (Google keeps clientData for the app; providers.md 1.6).
 */
function personFor(item: WriteItem, groups: readonly string[], withRestoreId: boolean): Person {
  const person = contactToPerson(item.contact, groups);
  const own = (person.clientData ?? []).filter((entry) => entry.key !== RESTORE_ID_KEY);
  person.clientData =
    withRestoreId && RESTORE_ID_PATTERN.test(item.restoreId)
      ? [...own, { key: RESTORE_ID_KEY, value: item.restoreId }]
      : own;
  return person;
}

function failure(key: string, error: unknown): WriteResult {
  const mapped = toProviderError(error);
  return { key, ok: false, error: mapped.message, retryable: mapped.retryable };
}

/** Errors that stop the whole restore (sign-in gone, job cancelled) rather than one contact. */
function throwIfFatal(error: unknown, context: WorkContext): void {
  if (context.signal.aborted) throw error;
  const mapped = toProviderError(error);
  if (mapped.code === 'auth-required') throw mapped;
}

function isStaleEtag(error: unknown): boolean {
  const reason = reasonOf(error);
  return statusOf(error) === 400 && (reason === 'failedPrecondition' || reason === 'FAILED_PRECONDITION');
}

/** The write side for one user. `api` resolves the user's handles on first use. */
export function googleWriter(
  api: (context: WorkContext) => Promise<UserApi>,
  queue: MutationQueue,
): ContactWriter {
  const readCurrent = async (
    user: UserApi,
    ids: readonly string[],
    context: WorkContext,
  ): Promise<Map<string, Person>> => {
    const found = new Map<string, Person>();
    for (let start = 0; start < ids.length; start += batchGetLimit) {
      const chunk = ids.slice(start, start + batchGetLimit);
      const data = await user.call(
        'people.getBatchGet',
        (options) =>
          user.people.people.getBatchGet({ resourceNames: chunk, personFields: 'metadata,photos' }, options),
        context,
      );
      for (const response of data.responses ?? []) {
        const person = response.person;
        if (person?.resourceName && !person.metadata?.deleted)
          found.set(response.requestedResourceName ?? person.resourceName, person);
      }
    }
    return found;
  };

  const setPhoto = async (
    user: UserApi,
    item: WriteItem,
    targetId: string,
    hadPhoto: boolean,
    context: WorkContext,
  ) => {
    if (item.photo) {
      const photoBytes = Buffer.from(item.photo.bytes).toString('base64');
      await user.call(
        'people.updateContactPhoto',
        (options) =>
          user.people.people.updateContactPhoto(
            { resourceName: targetId, requestBody: { photoBytes } },
            options,
          ),
        context,
      );
    } else if (hadPhoto) {
      await user.call(
        'people.deleteContactPhoto',
        (options) => user.people.people.deleteContactPhoto({ resourceName: targetId }, options),
        context,
      );
    }
  };

  /** Photos after the contacts exist; a photo that cannot be set leaves the contact in place (logged, counted). */
  const setPhotos = async (
    user: UserApi,
    pairs: { item: WriteItem; targetId: string; hadPhoto: boolean }[],
    context: WorkContext,
  ) => {
    let failed = 0;
    for (const { item, targetId, hadPhoto } of pairs) {
      if (!item.photo && !hadPhoto) continue;
      try {
        await setPhoto(user, item, targetId, hadPhoto, context);
      } catch (error) {
        if (context.signal.aborted) throw error;
        failed += 1;
      }
    }
    if (failed) context.log(`Google: ${count(failed, 'contact photo')} could not be written.`);
  };

  const createChunk = async (
    user: UserApi,
    chunk: readonly WriteItem[],
    context: WorkContext,
  ): Promise<WriteResult[]> => {
    const personOf = (item: WriteItem) => personFor(item, groupsFor(item.folderIds), true);
    let results: WriteResult[];
    try {
      const data = await user.call(
        'people.batchCreateContacts',
        (options) =>
          user.people.people.batchCreateContacts(
            {
              requestBody: {
                contacts: chunk.map((item) => ({ contactPerson: personOf(item) })),
                readMask: 'metadata',
              },
            },
            options,
          ),
        context,
      );
      const created = data.createdPeople ?? [];
      results = chunk.map((item, index) => {
        const targetId = created[index]?.person?.resourceName;
        return targetId
          ? { key: item.key, ok: true as const, targetId }
          : {
              key: item.key,
              ok: false as const,
              error: 'Google did not confirm this contact was created.',
              retryable: true,
            };
      });
    } catch (error) {
      throwIfFatal(error, context);
      // One contact Google refuses must not sink the other 199: try them one at a time.
      if (statusOf(error) !== 400 || chunk.length === 1) return chunk.map((item) => failure(item.key, error));
      results = [];
      for (const item of chunk) {
        try {
          const person = await user.call(
            'people.createContact',
            (options) =>
              user.people.people.createContact(
                { personFields: 'metadata', requestBody: personOf(item) },
                options,
              ),
            context,
          );
          results.push({ key: item.key, ok: true, targetId: person.resourceName ?? '' });
        } catch (single) {
          throwIfFatal(single, context);
          results.push(failure(item.key, single));
        }
      }
    }
    const pairs = results.flatMap((result, index) =>
      result.ok ? [{ item: chunk[index], targetId: result.targetId, hadPhoto: false }] : [],
    );
    await setPhotos(user, pairs, context);
    return results;
  };

  const updateChunk = async (
    user: UserApi,
    chunk: readonly WriteItem[],
    context: WorkContext,
  ): Promise<WriteResult[]> => {
    const results = new Map<string, WriteResult>();
    let pending = [...chunk];
    for (let attempt = 1; pending.length; attempt += 1) {
      const current = await readCurrent(
        user,
        pending.map((item) => item.targetId ?? ''),
        context,
      );
      const gone = pending.filter((item) => !current.has(item.targetId ?? ''));
      // Deleted at the target since the backup: give it back as a new contact.
      for (const result of gone.length ? await createChunk(user, gone, context) : [])
        results.set(result.key, result);
      pending = pending.filter((item) => current.has(item.targetId ?? ''));
      if (!pending.length) break;
      const contacts: Record<string, Person> = {};
      for (const item of pending) {
        const target = current.get(item.targetId ?? '') as Person;
        const groups = groupsFor(item.folderIds);
        contacts[item.targetId ?? ''] = {
          ...personFor(item, groups.length ? groups : [myContactsGroup], false),
          resourceName: target.resourceName,
          // The person as last read carries the etag and sources Google checks (providers.md 1.3).
          etag: target.etag,
          metadata: { sources: target.metadata?.sources },
        };
      }
      try {
        await user.call(
          'people.batchUpdateContacts',
          (options) =>
            user.people.people.batchUpdateContacts(
              { requestBody: { contacts, updateMask: writePersonFields.join(','), readMask: 'metadata' } },
              options,
            ),
          context,
        );
      } catch (error) {
        if (isStaleEtag(error) && attempt < staleEtagAttempts) {
          context.log('Google: a contact changed while restoring; reading it again.');
          continue;
        }
        throwIfFatal(error, context);
        for (const item of pending) results.set(item.key, failure(item.key, error));
        break;
      }
      const pairs = pending.map((item) => {
        const target = current.get(item.targetId ?? '') as Person;
        const hadPhoto = (target.photos ?? []).some((photo) => !photo.default);
        results.set(item.key, { key: item.key, ok: true, targetId: item.targetId ?? '' });
        return { item, targetId: item.targetId ?? '', hadPhoto };
      });
      await setPhotos(user, pairs, context);
      break;
    }
    return chunk.map((item) => results.get(item.key) ?? failure(item.key, new Error('not written')));
  };

  const inBatches = async (
    items: readonly WriteItem[],
    size: number,
    context: WorkContext,
    write: (user: UserApi, chunk: readonly WriteItem[]) => Promise<WriteResult[]>,
  ): Promise<WriteResult[]> =>
    queue(async () => {
      const user = await api(context);
      const results: WriteResult[] = [];
      for (let start = 0; start < items.length; start += size) {
        results.push(...(await write(user, items.slice(start, start + size))));
        context.progress(results.length, items.length);
      }
      return results;
    });

  return {
    async listFolders(context: WorkContext): Promise<ContactFolder[]> {
      const user = await api(context);
      return foldersOf(await listGroups(user, context));
    },
    async createFolder(
      name: string,
      _parentId: string | undefined,
      context: WorkContext,
    ): Promise<ContactFolder> {
      // Google groups are flat: a parent folder cannot be expressed and is ignored.
      return queue(async () => {
        const user = await api(context);
        try {
          const group = await user.call(
            'contactGroups.create',
            (options) =>
              user.people.contactGroups.create(
                { requestBody: { contactGroup: { name }, readGroupFields: 'name,groupType,metadata' } },
                options,
              ),
            context,
          );
          const folder = groupToFolder(group);
          if (folder) return folder;
        } catch (error) {
          if (statusOf(error) !== 409) throw toProviderError(error);
        }
        // The name exists already (409): that group is the folder, so a resumed restore reuses it.
        const existing = foldersOf(await listGroups(user, context)).find(
          (folder) => !folder.system && folder.name === name,
        );
        if (!existing) throw toProviderError(new Error('group vanished'));
        return existing;
      });
    },
    async existing(targetIds: readonly string[], context: WorkContext): Promise<Set<string>> {
      const user = await api(context);
      const found = await readCurrent(
        user,
        targetIds.filter((id) => id.startsWith('people/')),
        context,
      );
      return new Set(found.keys());
    },
    async findRestored(restoreIds: readonly string[], context: WorkContext): Promise<Map<string, string>> {
      // People has no search by clientData: one read of the address book (clientData only), pages of 1000.
      const wanted = new Set(restoreIds);
      const found = new Map<string, string>();
      if (!wanted.size) return found;
      const user = await api(context);
      let pageToken: string | undefined;
      do {
        const token = pageToken;
        const data = await user.call(
          'people.connections.list',
          (options) =>
            user.people.people.connections.list(
              {
                resourceName: 'people/me',
                personFields: 'clientData,metadata',
                pageSize: 1000,
                pageToken: token,
              },
              options,
            ),
          context,
        );
        for (const person of data.connections ?? []) {
          if (!person.resourceName || person.metadata?.deleted) continue;
          for (const entry of person.clientData ?? []) {
            if (entry.key === RESTORE_ID_KEY && entry.value && wanted.has(entry.value))
              found.set(entry.value, person.resourceName);
          }
        }
        pageToken = data.nextPageToken ?? undefined;
      } while (pageToken && found.size < wanted.size);
      return found;
    },
    create(items, context) {
      return inBatches(items, batchCreateLimit, context, (user, chunk) => createChunk(user, chunk, context));
    },
    update(items, context) {
      return inBatches(items, batchUpdateLimit, context, (user, chunk) => updateChunk(user, chunk, context));
    },
    unsupportedFields(contact: Contact): string[] {
      return unsupportedGoogleFields(contact);
    },
  };
}

/**
 * The contact folder tree of one mailbox. Graph lists the default Contacts folder's children at
 * `contactFolders` and deeper ones at `{id}/childFolders`; the default folder itself is never listed,
 * its id is the `parentFolderId` of its children and contacts (providers.md 2.1).
 */
import type { ContactFolder } from '../../contacts/model';
import { ProviderError } from '../provider';
import { GraphError, type GraphClient } from './graph-client';

interface GraphFolder {
  id?: string;
  displayName?: string;
  parentFolderId?: string;
}

/**
 * Stands for the default folder while its id is unknown (a mailbox with no sub-folder and no
 * contact, where the well-known name is not accepted either). Writes then go to `/contacts`.
 */
export const DEFAULT_FOLDER_ALIAS = 'contacts';

export interface FolderTree {
  /** Unknown only for an empty mailbox that refuses the well-known name; see DEFAULT_FOLDER_ALIAS. */
  readonly defaultFolderId?: string;
  /** The default folder first, then the others parents before children. */
  readonly folders: readonly ContactFolder[];
}

/** `/me` or `/users/{id}`, the prefix of every per-mailbox path. */
export function mailboxPath(mode: 'personal' | 'tenant', userId: string): string {
  return mode === 'personal' ? '/me' : `/users/${encodeURIComponent(userId)}`;
}

export function folderPath(mailbox: string, folderId: string): string {
  return `${mailbox}/contactFolders/${encodeURIComponent(folderId)}`;
}

async function collect<T>(pages: AsyncGenerator<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...page);
  return out;
}

function toFolder(graph: GraphFolder, defaultFolderId: string | undefined): ContactFolder | undefined {
  if (!graph.id) return undefined;
  const parentId =
    graph.parentFolderId && graph.parentFolderId !== defaultFolderId ? graph.parentFolderId : undefined;
  return parentId
    ? { id: graph.id, name: graph.displayName ?? '', parentId }
    : { id: graph.id, name: graph.displayName ?? '' };
}

/** Reads the whole tree: default folder, its children, and theirs, level by level. */
export async function readFolderTree(
  client: GraphClient,
  mailbox: string,
  knownDefaultId: string | undefined,
  signal?: AbortSignal,
): Promise<FolderTree> {
  const top = await collect(client.pages<GraphFolder>(`${mailbox}/contactFolders`, signal));
  let defaultFolderId = top.find((f) => f.parentFolderId)?.parentFolderId ?? knownDefaultId;
  if (!defaultFolderId) {
    const probe = await client.getJson<{ value?: GraphFolder[] }>(
      `${mailbox}/contacts?$top=1&$select=id,parentFolderId`,
      signal,
    );
    defaultFolderId = probe.value?.[0]?.parentFolderId;
  }
  const folders: ContactFolder[] = [];
  let name = 'Contacts';
  try {
    // The well-known name `contacts` is field-reported, not documented: used only as a fallback.
    const own = await client.getJson<GraphFolder>(
      `${folderPath(mailbox, defaultFolderId ?? DEFAULT_FOLDER_ALIAS)}?$select=id,displayName`,
      signal,
    );
    name = own.displayName || name;
    if (!defaultFolderId && own.id && own.id !== DEFAULT_FOLDER_ALIAS) defaultFolderId = own.id;
  } catch (error) {
    if (!(error instanceof GraphError && error.status >= 400 && error.status < 500)) throw error;
  }
  folders.push({ id: defaultFolderId ?? DEFAULT_FOLDER_ALIAS, name, system: 'default' });
  let level = top;
  while (level.length > 0) {
    const mapped = level
      .map((f) => toFolder(f, defaultFolderId))
      .filter((f): f is ContactFolder => f !== undefined);
    folders.push(...mapped);
    const children = await Promise.all(
      mapped.map((f) =>
        collect(client.pages<GraphFolder>(`${folderPath(mailbox, f.id)}/childFolders`, signal)),
      ),
    );
    level = children.flat();
  }
  return { defaultFolderId, folders };
}

/** Creates a folder under `parentId` (the default folder when undefined); an existing name is reused. */
export async function createGraphFolder(
  client: GraphClient,
  mailbox: string,
  name: string,
  parentId: string | undefined,
  defaultFolderId: string | undefined,
  signal?: AbortSignal,
): Promise<ContactFolder> {
  const underDefault = !parentId || parentId === defaultFolderId || parentId === DEFAULT_FOLDER_ALIAS;
  const collection = underDefault
    ? `${mailbox}/contactFolders`
    : `${folderPath(mailbox, parentId)}/childFolders`;
  try {
    const response = await client.request('POST', collection, { json: { displayName: name }, signal });
    const created = toFolder(response.json as GraphFolder, defaultFolderId);
    if (!created)
      throw new ProviderError('invalid-response', 'Microsoft Graph did not return the new folder.', true);
    return created;
  } catch (error) {
    if (error instanceof GraphError && error.status === 409) {
      const siblings = await collect(client.pages<GraphFolder>(collection, signal));
      const existing = siblings.find((f) => f.displayName === name);
      const folder = existing && toFolder(existing, defaultFolderId);
      if (folder) return folder;
    }
    if (error instanceof GraphError && error.status === 404) {
      throw new ProviderError('not-found', 'The parent folder no longer exists in this mailbox.');
    }
    throw error;
  }
}

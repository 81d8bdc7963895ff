/**
 * Incremental reads of one mailbox with per-folder contact delta (providers.md 2.3).
 *
 * The cursor holds each folder's deltaLink. Each sync: read the folder tree; a folder that
 * disappeared (its contacts went with it) or an expired delta token turns the sync into a full read
 * (`full: true`, so the engine drops what was not delivered); a new folder is read from scratch.
 * Graph reports a contact moved between folders as removed from one and added to the other, in
 * any order, so every `@removed` is checked with a batched GET: a contact still living in a known
 * folder is delivered as an upsert, never as a deletion.
 */
import type { ContactFolder } from '../../contacts/model';
import {
  ProviderError,
  type SourceContact,
  type SyncBatch,
  type SyncOutcome,
  type WorkContext,
} from '../provider';
import { CONTACT_SELECT, graphToContact, type GraphContact } from './contact-mapping';
import { DEFAULT_FOLDER_ALIAS, folderPath, readFolderTree, type FolderTree } from './folders';
import { runBatches } from './graph-batch';
import { GraphError, type GraphClient } from './graph-client';
import { graphPhotoSource } from './photos';

interface FolderCursor {
  readonly name: string;
  readonly parentId?: string;
  readonly deltaLink?: string;
}

interface SyncCursor {
  readonly v: 1;
  readonly defaultFolderId?: string;
  readonly folders: Record<string, FolderCursor>;
}

interface DeltaPage {
  value?: GraphContact[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

/** Thrown inside a run when the service no longer knows a delta token. */
class DeltaExpired extends Error {}

const EXPIRED_CODES = new Set(['syncstatenotfound', 'resyncrequired', 'syncstateinvalid']);
const FOLDER_CONCURRENCY = 4;

function parseCursor(cursor: string | undefined): SyncCursor | undefined {
  if (!cursor) return undefined;
  try {
    const parsed = JSON.parse(cursor) as SyncCursor;
    return parsed?.v === 1 && parsed.folders && typeof parsed.folders === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isExpiry(error: unknown): boolean {
  return error instanceof GraphError && (error.status === 410 || EXPIRED_CODES.has(error.code.toLowerCase()));
}

/** Wraps Graph JSON as the port's SourceContact, with a lazily loaded photo. */
export function sourceContact(client: GraphClient, mailbox: string, graph: GraphContact): SourceContact {
  const id = graph.id as string;
  const key = (typeof graph.changeKey === 'string' && graph.changeKey) || String(graph['@odata.etag'] ?? id);
  return { sourceId: id, contact: graphToContact(graph), photo: graphPhotoSource(client, mailbox, id, key) };
}

/** Looks up contacts reported removed: gone (deletion) or moved to another known folder (upsert). */
async function resolveRemovals(
  client: GraphClient,
  mailbox: string,
  ids: readonly string[],
  liveFolders: ReadonlySet<string>,
  signal: AbortSignal,
): Promise<{ upserts: SourceContact[]; deletions: string[] }> {
  const unique = [...new Set(ids)];
  const select = CONTACT_SELECT.join(',');
  const answers = await runBatches(
    client,
    unique.map((id, index) => ({
      id: String(index),
      method: 'GET' as const,
      url: `${mailbox}/contacts/${encodeURIComponent(id)}?$select=${select}`,
    })),
    signal,
  );
  const upserts: SourceContact[] = [];
  const deletions: string[] = [];
  unique.forEach((id, index) => {
    const answer = answers.get(String(index));
    const body = answer?.body as GraphContact | undefined;
    if (answer?.status === 200 && body && liveFolders.has(String(body.parentFolderId))) {
      upserts.push(sourceContact(client, mailbox, body));
    } else if (answer?.status === 200 || answer?.status === 404) {
      deletions.push(id);
    } else {
      throw new ProviderError(
        'network',
        'Microsoft Graph did not answer while checking removed contacts.',
        true,
      );
    }
  });
  return { upserts, deletions };
}

/**
 * Runs `work` for each item with at most `limit` running. On the first failure `onFailure` runs
 * (to abort the others), and the failure is thrown only once every worker has stopped, so nothing
 * from this run can still reach the sink afterwards.
 */
async function pool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  onFailure: () => void,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (!failure && next < items.length) {
      try {
        await work(items[next++]);
      } catch (error) {
        if (!failure) {
          failure = { error };
          onFailure();
        }
      }
    }
  });
  await Promise.all(workers);
  if (failure) throw failure.error;
}

interface RunInput {
  readonly client: GraphClient;
  readonly mailbox: string;
  readonly tree: FolderTree;
  /** undefined: full read of every folder. */
  readonly previous?: SyncCursor;
  readonly sink: (batch: SyncBatch) => Promise<void>;
  readonly context: WorkContext;
  readonly signal: AbortSignal;
  /** Aborts this run's other requests when one folder fails. */
  readonly stop: AbortController;
}

async function run(input: RunInput): Promise<SyncOutcome> {
  const { client, mailbox, tree, previous, signal } = input;
  const full = previous === undefined;
  const live = new Set(tree.folders.map((f) => f.id));
  const select = CONTACT_SELECT.join(',');
  let delivered = 0;
  // Pages reach the sink strictly one at a time, whichever folder they come from.
  let queue: Promise<void> = Promise.resolve();
  const deliver = (batch: SyncBatch): Promise<void> => {
    const next = queue.then(() => input.sink(batch));
    queue = next.catch(() => undefined);
    return next;
  };
  await deliver({ folders: tree.folders, upserts: [], deletions: [] });
  const cursor: SyncCursor = { v: 1, defaultFolderId: tree.defaultFolderId, folders: {} };

  async function readFolder(folder: ContactFolder): Promise<void> {
    if (folder.id === DEFAULT_FOLDER_ALIAS) {
      // Default folder id unknown, so no delta: it was empty a moment ago, read what it holds now.
      for await (const page of client.pages<GraphContact>(`${mailbox}/contacts?$select=${select}`, signal)) {
        const upserts = page
          .filter((c) => typeof c.id === 'string')
          .map((c) => sourceContact(client, mailbox, c));
        if (upserts.length > 0) await deliver({ upserts, deletions: [] });
      }
      return;
    }
    const saved = previous?.folders[folder.id]?.deltaLink;
    let link: string | undefined =
      saved ?? `${folderPath(mailbox, folder.id)}/contacts/delta?$select=${select}`;
    let deltaLink: string | undefined;
    while (link) {
      let page: DeltaPage;
      try {
        page = await client.getJson<DeltaPage>(link, signal);
      } catch (error) {
        if (saved && isExpiry(error)) throw new DeltaExpired();
        // The folder vanished after the tree was read: its contacts went with it.
        if (error instanceof GraphError && error.status === 404) {
          if (full) return;
          throw new DeltaExpired();
        }
        throw error;
      }
      const upserts: SourceContact[] = [];
      const removed: string[] = [];
      for (const item of page.value ?? []) {
        if (typeof item.id !== 'string') continue;
        if (item['@removed']) removed.push(item.id);
        else upserts.push(sourceContact(client, mailbox, item));
      }
      let deletions: string[] = [];
      if (removed.length > 0 && !full) {
        const resolved = await resolveRemovals(client, mailbox, removed, live, signal);
        upserts.push(...resolved.upserts);
        deletions = resolved.deletions;
      }
      if (upserts.length > 0 || deletions.length > 0) {
        await deliver({ upserts, deletions });
        delivered += upserts.length + deletions.length;
        input.context.progress(delivered);
      }
      link = page['@odata.nextLink'];
      deltaLink = page['@odata.deltaLink'] ?? deltaLink;
    }
    cursor.folders[folder.id] = { name: folder.name, parentId: folder.parentId, deltaLink };
  }

  try {
    await pool(tree.folders, FOLDER_CONCURRENCY, readFolder, () => input.stop.abort());
  } finally {
    await queue;
  }
  return { full, cursor: JSON.stringify(cursor) };
}

/**
 * Reads one mailbox's changes since `cursor` (see the module comment), handing pages to `sink` one
 * by one. Falls back to a full read, said with `full: true`, when the cursor cannot be used.
 */
export async function syncMailbox(
  client: GraphClient,
  mailbox: string,
  cursorText: string | undefined,
  sink: (batch: SyncBatch) => Promise<void>,
  context: WorkContext,
): Promise<SyncOutcome> {
  let previous = parseCursor(cursorText);
  const tree = await readFolderTree(client, mailbox, previous?.defaultFolderId, context.signal);
  if (previous) {
    const now = new Set(tree.folders.map((f) => f.id));
    const folderGone = Object.keys(previous.folders).some((id) => !now.has(id));
    const defaultMoved =
      previous.defaultFolderId !== undefined && previous.defaultFolderId !== tree.defaultFolderId;
    if (folderGone || defaultMoved) {
      context.log('A contact folder was removed at Microsoft; reading the whole mailbox again.');
      previous = undefined;
    }
  }
  const fullRead = (folders: FolderTree) => {
    const stop = new AbortController();
    const signal = AbortSignal.any([context.signal, stop.signal]);
    return run({ client, mailbox, tree: folders, sink, context, signal, stop });
  };
  if (!previous) return fullRead(tree);
  const stop = new AbortController();
  const signal = AbortSignal.any([context.signal, stop.signal]);
  try {
    return await run({ client, mailbox, tree, previous, sink, context, signal, stop });
  } catch (error) {
    if (!(error instanceof DeltaExpired) || context.signal.aborted) throw error;
    context.log('Microsoft no longer knows the last sync point; reading the whole mailbox again.');
    return fullRead(await readFolderTree(client, mailbox, tree.defaultFolderId, context.signal));
  }
}

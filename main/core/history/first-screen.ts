/**
 * What the Contacts screen shows first after unlocking, kept in a small sealed file so it can be
 * answered before the whole history is read (reading 100,000 contacts takes over a second). For each
 * user: the first page of the list, its length, the live contact count and the folder counts.
 *
 * The file names the catalog state it was computed from (a fingerprint of every snapshot and its
 * segments); any other state makes it ignored. It is deleted as soon as the history changes, so a
 * contact deleted from the backup never lingers here, and written again once things settle.
 */
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { readSealedJson, writeSealedJson } from '../vault/sealed-file';
import type { Vault } from '../vault/vault';
import type { ContactFolder } from '../contacts/model';
import { compareSummaries, summarize, type ContactSummary } from './contact-queries';
import type { HistoryIndex } from './history-index';
import type { SortedRows } from './list-views';
import type { SnapshotRecord, UserKey } from './types';

/** Rows kept per user: the renderer's first page (LIST_PAGE_SIZE in the API contract). */
export const FIRST_SCREEN_ROWS = 200;

const FILE_NAME = 'first-screen';

export interface FirstScreenUser {
  /** Rows of the unfiltered list, deleted-at-source contacts included. */
  readonly total: number;
  /** Contacts not deleted at the source (the dashboard's count). */
  readonly live: number;
  /** The first FIRST_SCREEN_ROWS rows in list order. */
  readonly firstPage: readonly ContactSummary[];
  readonly folders: readonly ContactFolder[];
  readonly folderCounts: Readonly<Record<string, number>>;
}

export interface FirstScreen {
  readonly version: 1;
  readonly fingerprint: string;
  readonly users: Readonly<Record<UserKey, FirstScreenUser>>;
}

/** Changes whenever a snapshot that changed something is committed, removed or has its segments rewritten. */
export function catalogFingerprint(snapshots: readonly SnapshotRecord[]): string {
  const hash = createHash('sha256');
  const users = new Set<UserKey>();
  for (const snapshot of snapshots) {
    const counts = changesLists(snapshot, users.has(snapshot.userKey));
    users.add(snapshot.userKey);
    if (counts) hash.update(`${snapshot.id}:${snapshot.segments.join(',')};`);
  }
  return hash.digest('base64url');
}

/**
 * False for a backup that changed nothing (no segment) of a user backed up before: it leaves every
 * list as it was, so the saved first screen, the search table and the sorted lists stay valid and
 * are not rebuilt after it (issue 20). A user's first backup always counts, empty or not: it puts
 * the user on the screen.
 */
export function changesLists(snapshot: SnapshotRecord, userBackedUpBefore: boolean): boolean {
  return snapshot.segments.length > 0 || !userBackedUpBefore;
}

/** Computes every user's first screen in one pass over the index. */
export function buildFirstScreen(index: HistoryIndex, fingerprint: string): FirstScreen {
  const byUser = new Map<
    UserKey,
    { summaries: ContactSummary[]; live: number; folderCounts: Record<string, number> }
  >();
  for (const state of index.contactsAt(undefined)) {
    const userKey = state.history.userKey;
    let user = byUser.get(userKey);
    if (!user) {
      user = { summaries: [], live: 0, folderCounts: {} };
      byUser.set(userKey, user);
    }
    user.summaries.push(summarize(state));
    if (!state.deleted) user.live += 1;
    for (const folderId of state.version.folderIds) {
      user.folderCounts[folderId] = (user.folderCounts[folderId] ?? 0) + 1;
    }
  }
  const users: Record<UserKey, FirstScreenUser> = {};
  for (const snapshot of index.snapshots) {
    if (users[snapshot.userKey]) continue;
    const user = byUser.get(snapshot.userKey) ?? { summaries: [], live: 0, folderCounts: {} };
    users[snapshot.userKey] = {
      total: user.summaries.length,
      live: user.live,
      firstPage: firstRows(user.summaries),
      folders: index.foldersAt(snapshot.userKey),
      folderCounts: user.folderCounts,
    };
  }
  return { version: 1, fingerprint, users };
}

/**
 * The same first screen from each user's sorted rows (list-views' `currentRows`), which the search
 * table is saved from too: no second pass over the history, and nothing left to sort.
 */
export async function firstScreenFrom(
  index: HistoryIndex,
  rowsByUser: ReadonlyMap<UserKey, SortedRows>,
  fingerprint: string,
  pause: () => Promise<void> | undefined = () => undefined,
): Promise<FirstScreen> {
  const users: Record<UserKey, FirstScreenUser> = {};
  for (const userKey of new Set(index.snapshots.map((snapshot) => snapshot.userKey))) {
    const summaries = rowsByUser.get(userKey)?.summaries ?? [];
    let live = 0;
    // Counted with pauses: at 100,000 contacts one pass held the API thread about 100 ms.
    const folderCounts = new Map<string, number>();
    for (let at = 0; at < summaries.length; at += 1) {
      const summary = summaries[at];
      if (!summary.deleted) live += 1;
      for (const folderId of summary.folderIds)
        folderCounts.set(folderId, (folderCounts.get(folderId) ?? 0) + 1);
      if (at % 1000 === 999) await pause();
    }
    users[userKey] = {
      total: summaries.length,
      live,
      firstPage: summaries.slice(0, FIRST_SCREEN_ROWS),
      folders: index.foldersAt(userKey),
      folderCounts: Object.fromEntries(folderCounts),
    };
  }
  return { version: 1, fingerprint, users };
}

/** The smallest FIRST_SCREEN_ROWS in list order, without sorting the whole list. */
function firstRows(summaries: ContactSummary[]): ContactSummary[] {
  if (summaries.length <= FIRST_SCREEN_ROWS * 4)
    return summaries.sort(compareSummaries).slice(0, FIRST_SCREEN_ROWS);
  // Keep a sorted buffer of the best rows; a row that does not beat the worst kept one costs one compare.
  const kept = summaries.slice(0, FIRST_SCREEN_ROWS).sort(compareSummaries);
  for (let position = FIRST_SCREEN_ROWS; position < summaries.length; position += 1) {
    const row = summaries[position];
    if (compareSummaries(row, kept[kept.length - 1]) >= 0) continue;
    let low = 0;
    let high = kept.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (compareSummaries(row, kept[middle]) < 0) high = middle;
      else low = middle + 1;
    }
    kept.splice(low, 0, row);
    kept.pop();
  }
  return kept;
}

/** The saved first screen, if it was computed from exactly this catalog state. */
export async function readFirstScreen(vault: Vault, fingerprint: string): Promise<FirstScreen | undefined> {
  try {
    const saved = await readSealedJson<FirstScreen>(vault.fileKey(), vault.pathOf(FILE_NAME), FILE_NAME);
    return saved?.version === 1 && saved.fingerprint === fingerprint ? saved : undefined;
  } catch {
    // A damaged copy only costs speed: the history itself answers instead.
    return undefined;
  }
}

export async function writeFirstScreen(vault: Vault, screen: FirstScreen): Promise<void> {
  await writeSealedJson(vault.fileKey(), vault.pathOf(FILE_NAME), FILE_NAME, screen);
}

export async function removeFirstScreen(vault: Vault): Promise<void> {
  await rm(vault.pathOf(FILE_NAME), { force: true });
}

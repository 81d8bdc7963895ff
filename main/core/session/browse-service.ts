/**
 * Read-only views for the renderer and the CLI: accounts with their users' backup state, the
 * contacts list, one contact's details (photo as a data URL), folders with counts, snapshots.
 */
import { descriptorOf } from '../accounts/provider-registry';
import type { AccountRecord } from '../accounts/types';
import type { AccountView, ContactDetailsView, FolderView, SnapshotView } from '../contract/contract-types';
import { ApiFailure } from '../contract/api-failure';
import { contactDetails, type ContactQuery, type ContactSummary } from '../history/contact-queries';
import { warmSearch } from '../history/search-warmup';
import type { FirstScreen } from '../history/first-screen';
import { listContactIds, listContacts, prepareList } from '../history/list-views';
import { tablePage } from '../history/table-rows';
import { timeSlicer } from '../time-slice';
import type { Version } from '../history/history-index';
import { StoredWalk } from '../history/segment-contacts';
import { userKeyOf } from '../history/types';
import type { ProfileSession } from './profile-session';
import { backupBlockedReason } from './backup-service';
import { isDirectoryAccount } from './licence-state';

/**
 * Once the history is read: sorts the list of the user the Contacts screen opens on, then builds the
 * search text, so neither the first scroll nor the first search pays for it. Returns a stop function
 * for locking.
 */
export function warmBrowse(session: ProfileSession): () => void {
  let stopped = false;
  let stopSearch: (() => void) | undefined;
  const warm = () => {
    if (stopped) return;
    const index = session.history.index;
    const first = session.accounts.all()[0]?.users[0];
    if (first) {
      const userKey = userKeyOf(session.accounts.all()[0].id, first.id);
      // In slices: a search sent meanwhile is answered between them.
      void prepareList(index, { userKeys: new Set([userKey]), includeDeleted: true, limit: 1 });
    }
    stopSearch = warmSearch(index, 0);
  };
  let timer: NodeJS.Timeout | undefined;
  session.history.ready().then(
    () => {
      // After the screens that wait for the history have been answered.
      if (!stopped) timer = setTimeout(warm, WARM_AFTER_MS).unref();
    },
    () => undefined,
  );
  return () => {
    stopped = true;
    clearTimeout(timer);
    stopSearch?.();
  };
}

const WARM_AFTER_MS = 300;

/**
 * Waits until a browse request can be answered: returns the saved first screen while the history is
 * still being read, undefined once it is read (or after waiting for it when there is no such copy).
 */
async function untilBrowsable(session: ProfileSession): Promise<FirstScreen | undefined> {
  if (session.history.loaded) return undefined;
  const screen = session.history.firstScreen();
  if (screen) return screen;
  await session.history.ready();
  return undefined;
}

function contactCounts(session: ProfileSession, screen: FirstScreen | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  if (screen) {
    for (const [userKey, user] of Object.entries(screen.users)) counts.set(userKey, user.live);
    return counts;
  }
  for (const state of session.history.index.contactsAt(undefined)) {
    if (!state.deleted) counts.set(state.history.userKey, (counts.get(state.history.userKey) ?? 0) + 1);
  }
  return counts;
}

/** The accounts view, answered from the saved first screen while the history is still being read. */
export async function accountViewsNow(session: ProfileSession): Promise<AccountView[]> {
  return accountViews(session, await untilBrowsable(session));
}

export function accountViews(session: ProfileSession, screen?: FirstScreen): AccountView[] {
  const lastSnapshot = new Map<string, string>();
  for (const snapshot of session.history.snapshots) lastSnapshot.set(snapshot.userKey, snapshot.finishedAt);
  const lastJob = new Map<string, string>();
  for (const job of session.jobs.list().reverse()) {
    if (job.kind === 'backup' && job.scope.accountId && job.scope.userId) {
      lastJob.set(userKeyOf(job.scope.accountId, job.scope.userId), job.state);
    }
  }
  const counts = contactCounts(session, screen);
  return session.accounts.all().map((account) => ({
    id: account.id,
    kind: account.kind,
    kindName: descriptorOf(account.kind)?.displayName ?? account.kind,
    ...connectValuesOf(account),
    ...renewalOf(account),
    label: account.label,
    status: account.status,
    backupEnabled: account.backupEnabled,
    seatSource: isDirectoryAccount(account) ? ('directory' as const) : ('own' as const),
    users: account.users.map((user) => {
      const userKey = userKeyOf(account.id, user.id);
      return {
        userKey,
        id: user.id,
        email: user.email,
        displayName: user.displayName,
        enabled: user.enabled,
        active: user.active,
        lastBackupAt: lastSnapshot.get(userKey),
        lastBackupState: lastJob.get(userKey),
        contactCount: counts.get(userKey) ?? 0,
        blockedReason: backupBlockedReason(session, userKey),
      };
    }),
  }));
}

/**
 * The list for the API. While the history is still being read, the saved first screen answers the
 * top of one user's unfiltered list and the saved search table any other query of the current list
 * (search, folder, sort, page); a moment in the past, all users, or no usable table waits for the
 * history. Once it is read, the work a query needs is done in time slices first.
 */
export async function contactsListNow(
  session: ProfileSession,
  query: Omit<ContactQuery, 'userKeys'> & { userKey?: string },
): Promise<{ total: number; items: ContactSummary[] }> {
  if (!session.history.loaded) {
    const early = firstScreenPage(session.history.firstScreen(), query);
    if (early) return early;
    const rows =
      query.userKey && !query.at
        ? (await session.history.searchTable())?.users.get(query.userKey)
        : undefined;
    if (rows) return tablePage(rows, query, timeSlicer());
  }
  await session.history.ready();
  await prepareList(session.history.index, withUserKeys(query));
  return contactsList(session, query);
}

/** The top of one user's unfiltered list in name order, if the saved first screen holds it. */
function firstScreenPage(
  screen: FirstScreen | undefined,
  query: Omit<ContactQuery, 'userKeys'> & { userKey?: string },
): { total: number; items: ContactSummary[] } | undefined {
  const nameOrder = (query.sort ?? 'name') === 'name' && !query.descending;
  if (!screen || !nameOrder || !query.userKey || query.folderId || query.at || query.search?.trim()) {
    return undefined;
  }
  const user = screen.users[query.userKey];
  const firstPage = user?.firstPage ?? [];
  const total = user?.total ?? 0;
  const offset = query.offset ?? 0;
  const end = Math.min(total, offset + (query.limit ?? total));
  if (query.includeDeleted === false || end > firstPage.length) return undefined;
  return { total, items: firstPage.slice(offset, end) };
}

function withUserKeys(query: Omit<ContactQuery, 'userKeys'> & { userKey?: string }): ContactQuery {
  return { ...query, userKeys: query.userKey ? new Set([query.userKey]) : undefined };
}

export function contactsList(
  session: ProfileSession,
  query: Omit<ContactQuery, 'userKeys'> & { userKey?: string },
): { total: number; items: ContactSummary[] } {
  return listContacts(session.history.index, withUserKeys(query));
}

/** `contactIds` once the history is read, with the work it needs done in time slices first. */
export async function contactIdsNow(
  session: ProfileSession,
  query: Omit<ContactQuery, 'userKeys' | 'offset' | 'limit'> & { userKey?: string },
): Promise<string[]> {
  await session.history.ready();
  await prepareList(session.history.index, withUserKeys(query));
  return contactIds(session, query);
}

/** Every id the list query matches, for "select all" over a list the renderer holds only in part. */
export function contactIds(
  session: ProfileSession,
  query: Omit<ContactQuery, 'userKeys' | 'offset' | 'limit'> & { userKey?: string },
): string[] {
  return listContactIds(session.history.index, withUserKeys(query));
}

export async function contactGet(
  session: ProfileSession,
  request: { contactId: string; at?: string; snapshotId?: string },
): Promise<ContactDetailsView> {
  // The contact's segment is read off the thread first; reading it inline held it 30-50 ms.
  const index = session.history.index;
  const history = index.contacts.get(request.contactId);
  if (history) {
    const shown = request.snapshotId
      ? history.versions.find((candidate) => candidate.snapshotId === request.snapshotId)
      : (index.contactAt(history, request.at)?.version ?? history.versions.at(-1));
    if (shown) await shown.segment.loader?.prefetch?.(shown.segment.id);
  }
  const details = contactDetails(session.history.index, request.contactId, request.at);
  if (!details) throw new ApiFailure('not-found', 'That contact is not in the backup.');
  let contact = details.contact;
  if (request.snapshotId) {
    const version: Version | undefined = details.history.versions.find(
      (candidate) => candidate.snapshotId === request.snapshotId,
    );
    if (!version) throw new ApiFailure('not-found', 'That version of the contact is not in the backup.');
    contact = version.contact;
  }
  let photoDataUrl: string | undefined;
  if (contact.photo) {
    try {
      const bytes = await session.vault.blobs.get(contact.photo.hash);
      photoDataUrl = `data:${safeImageType(contact.photo.mediaType)};base64,${bytes.toString('base64')}`;
    } catch {
      photoDataUrl = undefined;
    }
  }
  const folders = session.history.index.foldersAt(details.history.userKey, request.at);
  const folderNames = contact.folderIds.map((id) => folders.find((folder) => folder.id === id)?.name ?? id);
  return {
    summary: details.summary,
    sourceId: details.history.sourceId,
    contact,
    photoDataUrl,
    folderNames,
    versions: details.versions.map(({ snapshotId, from, until, deletedAt }) => ({
      snapshotId,
      from,
      until,
      deletedAt,
    })),
  };
}

/**
 * Many contacts' details, in the order asked, read in storage order so that each segment is read
 * once (segment-contacts.ts): asked one by one in list order, each contact read a whole segment.
 */
export async function contactsGetMany(
  session: ProfileSession,
  request: { contactIds: readonly string[]; at?: string },
): Promise<ContactDetailsView[]> {
  const index = session.history.index;
  const shown = request.contactIds.map((contactId) => {
    const history = index.contacts.get(contactId);
    if (!history) throw new ApiFailure('not-found', 'That contact is not in the backup.');
    return index.contactAt(history, request.at)?.version ?? history.versions.at(-1)!;
  });
  const walk = new StoredWalk(shown);
  const views = new Array<ContactDetailsView>(shown.length);
  for (let step = 0; step < walk.order.length; step += 1) {
    await walk.ready(step);
    const at = walk.order[step]!;
    views[at] = await contactGet(session, { contactId: request.contactIds[at]!, at: request.at });
  }
  return views;
}

/** Only raster image types go into a data: URL the renderer shows (no SVG with scripts). */
function safeImageType(mediaType: string): string {
  return /^image\/(png|jpeg|gif|webp|bmp)$/.test(mediaType) ? mediaType : 'application/octet-stream';
}

/** Folders for the API: the saved first screen answers "now" while the history is being read. */
export async function folderViewsNow(
  session: ProfileSession,
  userKey: string,
  at?: string,
): Promise<FolderView[]> {
  const screen = at ? undefined : await untilBrowsable(session);
  if (screen) {
    const user = screen.users[userKey];
    return (user?.folders ?? []).map((folder) => ({ ...folder, count: user?.folderCounts[folder.id] ?? 0 }));
  }
  await session.history.ready();
  return folderViews(session, userKey, at);
}

export function folderViews(session: ProfileSession, userKey: string, at?: string): FolderView[] {
  const folders = session.history.index.foldersAt(userKey, at);
  const counts = new Map<string, number>();
  for (const state of session.history.index.contactsAt(new Set([userKey]), at)) {
    for (const folderId of state.version.folderIds) counts.set(folderId, (counts.get(folderId) ?? 0) + 1);
  }
  return folders.map((folder) => ({ ...folder, count: counts.get(folder.id) ?? 0 }));
}

export function snapshotViews(session: ProfileSession, userKey?: string): SnapshotView[] {
  return session.history.snapshots
    .filter((snapshot) => !userKey || snapshot.userKey === userKey)
    .map((snapshot) => ({
      id: snapshot.id,
      userKey: snapshot.userKey,
      kind: snapshot.kind,
      startedAt: snapshot.startedAt,
      finishedAt: snapshot.finishedAt,
      counts: snapshot.counts as unknown as Record<string, number>,
      massDeletion: snapshot.massDeletion,
    }))
    .reverse();
}

/** The non-secret connect values of a form kind's account (never its secrets). */
function renewalOf(account: AccountRecord): { renewal?: AccountView['renewal'] } {
  const renewal = descriptorOf(account.kind)?.renewal?.(account.settings);
  return renewal ? { renewal } : {};
}

function connectValuesOf(account: AccountRecord): { connectValues?: Readonly<Record<string, string>> } {
  const connect = descriptorOf(account.kind)?.connect;
  if (connect?.flow !== 'form' || !connect.valuesOf) return {};
  return { connectValues: connect.valuesOf(account.settings) };
}

/**
 * Read-only views for the renderer and the CLI: accounts with their users' backup state, the
 * contacts list, one contact's details (photo as a data URL), folders with counts, snapshots.
 */
import type { AccountView, ContactDetailsView, FolderView, SnapshotView } from '../api/contract-types';
import { ApiFailure } from '../api/api-failure';
import { contactDetails, listContacts, type ContactQuery } from '../history/contact-queries';
import type { Version } from '../history/history-index';
import { userKeyOf } from '../history/types';
import type { ProfileSession } from './profile-session';
import { backupBlockedReason } from './backup-service';

export function accountViews(session: ProfileSession): AccountView[] {
  const lastSnapshot = new Map<string, string>();
  for (const snapshot of session.history.snapshots) lastSnapshot.set(snapshot.userKey, snapshot.finishedAt);
  const lastJob = new Map<string, string>();
  for (const job of session.jobs.list().reverse()) {
    if (job.kind === 'backup' && job.scope.accountId && job.scope.userId) {
      lastJob.set(userKeyOf(job.scope.accountId, job.scope.userId), job.state);
    }
  }
  const counts = new Map<string, number>();
  for (const state of session.history.index.contactsAt(undefined)) {
    if (!state.deleted) counts.set(state.history.userKey, (counts.get(state.history.userKey) ?? 0) + 1);
  }
  return session.accounts.data.accounts.map((account) => ({
    id: account.id,
    kind: account.kind,
    label: account.label,
    status: account.status,
    backupEnabled: account.backupEnabled,
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

export function contactsList(
  session: ProfileSession,
  query: Omit<ContactQuery, 'userKeys'> & { userKey?: string },
) {
  return listContacts(session.history.index, {
    ...query,
    userKeys: query.userKey ? new Set([query.userKey]) : undefined,
  });
}

export async function contactGet(
  session: ProfileSession,
  request: { contactId: string; at?: string; snapshotId?: string },
): Promise<ContactDetailsView> {
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

/** Only raster image types go into a data: URL the renderer shows (no SVG with scripts). */
function safeImageType(mediaType: string): string {
  return /^image\/(png|jpeg|gif|webp|bmp)$/.test(mediaType) ? mediaType : 'application/octet-stream';
}

export function folderViews(session: ProfileSession, userKey: string, at?: string): FolderView[] {
  const folders = session.history.index.foldersAt(userKey, at);
  const counts = new Map<string, number>();
  for (const state of session.history.index.contactsAt(new Set([userKey]), at)) {
    for (const folderId of state.version.contact.folderIds)
      counts.set(folderId, (counts.get(folderId) ?? 0) + 1);
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

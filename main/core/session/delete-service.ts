/**
 * Delete from the backup (S11, S12): selected contacts or a whole folder, with every revision and
 * every photo nothing else uses. The backup password is asked again (the desktop's stand-in for the
 * guide's "alternate email password"); a wrong password deletes nothing, and repeated wrong
 * passwords are answered more and more slowly. Every deletion and every refusal is audit-logged.
 */
import { ApiFailure } from '../contract/api-failure';
import type { DeleteRequest } from '../contract/contract-types';
import { purge } from '../history/compaction';
import type { JobContext } from '../jobs/job-registry';
import type { JobRecord } from '../jobs/types';
import { findUser } from './account-service';
import { userLabel } from './backup-service';
import { excludeFromBackups } from './exclusion-service';
import type { ProfileSession } from './profile-session';
import { count } from '../plural';

interface DeleteParams {
  readonly userKey: string;
  readonly contactIds: readonly string[];
  readonly folderId?: string;
  readonly folderName?: string;
  /** Record the contacts' source ids so later backups skip them (DeleteRequest.keepOutOfBackups). */
  readonly keepOutOfBackups?: boolean;
}

/** Delay before answering after `count` wrong passwords: 0, 0.5, 1, 2, 4, then 8 s at most. */
export function wrongPasswordDelay(count: number): number {
  return count <= 0 ? 0 : Math.min(8000, 250 * 2 ** count);
}

async function confirmPassword(
  session: ProfileSession,
  password: string,
  sleep: (ms: number) => Promise<void>,
): Promise<void> {
  const count = session.memory.deleteFailures;
  await sleep(wrongPasswordDelay(count));
  if (await session.vault.verifyPassword(password)) {
    session.memory.deleteFailures = 0;
    return;
  }
  session.memory.deleteFailures = count + 1;
  await session.audit.record('delete', 'Refused a deletion from the backup: wrong backup password.');
  throw new ApiFailure('wrong-password', 'That backup password is not correct. Nothing was deleted.');
}

/** The contacts a folder holds in any revision: deleting a folder removes all of them. */
function contactsOfFolder(session: ProfileSession, userKey: string, folderId: string): string[] {
  const ids: string[] = [];
  for (const history of session.history.index.contacts.values()) {
    if (history.userKey !== userKey) continue;
    if (history.versions.some((version) => version.folderIds.includes(folderId))) ids.push(history.id);
  }
  return ids;
}

export async function enqueueDelete(
  session: ProfileSession,
  request: DeleteRequest,
  origin: JobRecord['origin'],
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<JobRecord> {
  const { account, user } = findUser(session, request.userKey);
  if (Boolean(request.contactIds?.length) === Boolean(request.folderId)) {
    throw new ApiFailure('invalid-request', 'Choose either contacts or one folder to delete.');
  }
  await confirmPassword(session, request.password, sleep);
  let contactIds: string[];
  let folderName: string | undefined;
  if (request.folderId) {
    folderName = session.history.index
      .allFolders(request.userKey)
      .find((folder) => folder.id === request.folderId)?.name;
    if (!folderName) throw new ApiFailure('not-found', 'That folder is not in this user’s backup.');
    contactIds = contactsOfFolder(session, request.userKey, request.folderId);
  } else {
    contactIds = [...(request.contactIds ?? [])];
    for (const id of contactIds) {
      if (session.history.index.contacts.get(id)?.userKey !== request.userKey) {
        throw new ApiFailure(
          'not-found',
          'A selected contact is not in this user’s backup. Nothing was deleted.',
        );
      }
    }
  }
  const params: DeleteParams = {
    userKey: request.userKey,
    contactIds,
    folderId: request.folderId,
    folderName,
    ...(request.keepOutOfBackups ? { keepOutOfBackups: true } : {}),
  };
  const contacts = `${contactIds.length} ${contactIds.length === 1 ? 'contact' : 'contacts'}`;
  const what = folderName ? `folder "${folderName}" (${contacts})` : contacts;
  return session.jobs.enqueue({
    kind: 'delete',
    title: `Delete ${what} of ${userLabel(user)} (${account.label}) from the backup`,
    scope: {
      accountId: account.id,
      userId: user.id,
      contactIds,
      folderIds: request.folderId ? [request.folderId] : undefined,
    },
    origin,
    urgent: true,
    params,
    lockKey: request.userKey,
  }).job;
}

export async function deleteJob(
  session: ProfileSession,
  context: JobContext,
  raw: unknown,
): Promise<unknown> {
  const params = raw as DeleteParams;
  context.progress('Deleting from the backup', 0, params.contactIds.length);
  if (params.keepOutOfBackups) {
    // Written before the purge: if the purge fails the exclusion only skips contacts still kept.
    const sourceIds = params.contactIds
      .map((id) => session.history.index.contacts.get(id)?.sourceId)
      .filter((id): id is string => id !== undefined);
    await excludeFromBackups(session, params.userKey, sourceIds);
    context.log(`${count(sourceIds.length, 'contact')} will be left out of later backups.`);
  }
  const result = await purge(session.history, {
    contactIds: new Set(params.contactIds),
    folders: params.folderId ? { userKey: params.userKey, ids: new Set([params.folderId]) } : undefined,
  });
  context.progress('Done', params.contactIds.length, params.contactIds.length);
  context.setCount('contacts', result.contactsRemoved);
  context.setCount('revisions', result.revisionsRemoved);
  context.setCount('photos', result.blobsRemoved);
  const { user, account } = findUser(session, params.userKey);
  await session.audit.record(
    'delete',
    `Deleted ${params.folderName ? `folder "${params.folderName}" with ` : ''}${count(result.contactsRemoved, 'contact')}, ${count(result.revisionsRemoved, 'revision')} and ${count(result.blobsRemoved, 'photo')} of ${userLabel(user)} (${account.label}) from the backup${params.keepOutOfBackups ? '; they are left out of later backups' : ''}.`,
  );
  return result;
}

/**
 * Backup jobs: Configure Backup (turn the service on, apply to enabled users, Save creates the
 * initial backups), urgent Run Backup for a user or selected contacts/folders, and the job handler
 * that runs the backup engine for one account user.
 */
import { runBackup } from '../history/backup-engine';
import { excludedSourceIds } from './exclusion-service';
import { splitUserKey, userKeyOf } from '../history/types';
import type { JobContext } from '../jobs/job-registry';
import { JobFailure } from '../jobs/job-registry';
import type { JobOrigin, JobRecord } from '../jobs/types';
import { ProviderError } from '../providers/provider';
import { ApiFailure } from '../contract/api-failure';
import { DEFAULT_RETENTION, describeRetention, retentionDrops } from '../history/retention';
import { purge } from '../history/compaction';
import { findUser, providerFor } from './account-service';
import { descriptorOf } from '../accounts/provider-registry';
import type { ProfileSession } from './profile-session';
import { licenceBlockedReason } from './licence-state';
import { count } from '../plural';

interface BackupParams {
  readonly userKey: string;
  readonly contactIds?: readonly string[];
  readonly folderIds?: readonly string[];
}

/** How a user is named in titles and messages: the email, else the display name, else the id. */
export function userLabel(user: { email: string; displayName?: string; id: string }): string {
  return user.email || user.displayName || user.id;
}

/** Why a user cannot be backed up now, as a sentence (S1 prerequisites); undefined when it can. */
export function backupBlockedReason(session: ProfileSession, userKey: string): string | undefined {
  const { account, user } = findUser(session, userKey);
  if (account.status === 'sign-in-needed') {
    const renewal = descriptorOf(account.kind)?.renewal?.(account.settings);
    if (renewal === 'key-file')
      return `${account.label} needs a new service-account key: the one it had no longer works. Choose Sign in again.`;
    if (renewal === 'client-secret')
      return `${account.label} needs a new client secret: the one it had no longer works. Choose Sign in again.`;
    return `Sign in to ${account.label} again: access was revoked or expired.`;
  }
  // Edition, licence (expired: backups only are refused) and seats; own accounts are always free.
  const licensing = licenceBlockedReason(session, userKey);
  if (licensing) return licensing;
  if (!user.active) return `${userLabel(user)} is suspended or disabled in the directory.`;
  if (!user.enabled) return `Contacts backup is not enabled for ${userLabel(user)}. Enable the user first.`;
  return undefined;
}

/** Enqueues a backup of one user (or of some of its contacts/folders). */
export function enqueueBackup(
  session: ProfileSession,
  request: BackupParams,
  origin: JobOrigin,
  urgent: boolean,
): { job: JobRecord; created: boolean } {
  const { account, user } = findUser(session, request.userKey);
  const blocked = backupBlockedReason(session, request.userKey);
  if (blocked) throw new ApiFailure('not-allowed', blocked);
  const selectedCount = request.contactIds?.length ?? 0;
  const what = selectedCount
    ? `${count(selectedCount, 'selected contact')} of`
    : request.folderIds?.length
      ? 'folders of'
      : '';
  const title = `Back up ${what} ${userLabel(user)} (${account.label})`.replace(/\s+/g, ' ');
  return session.jobs.enqueue({
    kind: 'backup',
    title,
    scope: {
      accountId: account.id,
      userId: user.id,
      contactIds: request.contactIds,
      folderIds: request.folderIds,
    },
    origin,
    urgent,
    params: request,
    lockKey: request.userKey,
    dedupeKey: `backup:${request.userKey}:${JSON.stringify(request.contactIds ?? null)}:${JSON.stringify(request.folderIds ?? null)}`,
  });
}

/** Configure Backup > Save: turns the service on or off and creates the initial backup jobs. */
export async function configureBackup(
  session: ProfileSession,
  options: { enabled: boolean; applyToEnabledUsers: boolean; accountIds?: readonly string[] },
): Promise<JobRecord[]> {
  const accounts = session.accounts
    .all()
    .filter((account) => !options.accountIds || options.accountIds.includes(account.id));
  for (const account of accounts) account.backupEnabled = options.enabled;
  await session.accounts.save();
  await session.refreshSchedules();
  await session.audit.record(
    'setting',
    `Contacts backup turned ${options.enabled ? 'on' : 'off'} for ${count(accounts.length, 'account')}.`,
  );
  if (!options.enabled || !options.applyToEnabledUsers) return [];
  const jobs: JobRecord[] = [];
  for (const account of accounts) {
    for (const user of account.users) {
      const userKey = userKeyOf(account.id, user.id);
      if (backupBlockedReason(session, userKey)) continue;
      jobs.push(enqueueBackup(session, { userKey }, 'user', true).job);
    }
  }
  return jobs;
}

/** Applies the profile's retention policy to one user's history after a backup. */
export async function applyRetention(
  session: ProfileSession,
  userKey?: string,
): Promise<{ revisionsRemoved: number; contactsRemoved: number }> {
  const settings = session.settings.get().retention ?? DEFAULT_RETENTION;
  const drops = retentionDrops(session.history.index, settings, session.ports.clock.now(), userKey);
  if (!drops.versions.size && !drops.contacts.size) return { revisionsRemoved: 0, contactsRemoved: 0 };
  const result = await purge(session.history, {
    contactIds: drops.contacts,
    dropPut: (put, snapshot) => drops.versions.has(`${put.contactId}|${snapshot.id}`),
  });
  await session.audit.record(
    'delete',
    `Retention (${describeRetention(settings)}) removed ${count(result.revisionsRemoved, 'revision')} and ${count(result.contactsRemoved, 'contact')}.`,
  );
  return result;
}

/** The job handler: runs one backup and records it in the audit log. */
export async function backupJob(
  session: ProfileSession,
  context: JobContext,
  raw: unknown,
): Promise<unknown> {
  const params = raw as BackupParams;
  const { account, user } = findUser(session, params.userKey);
  // Checked again when the job starts: a licence may have expired while it was queued.
  const blocked = backupBlockedReason(session, params.userKey);
  if (blocked) throw new JobFailure('not-allowed', blocked, false);
  const provider = providerFor(session, account);
  let sourceIds: string[] | undefined;
  if (params.contactIds?.length) {
    sourceIds = params.contactIds.map((contactId) => {
      const history = session.history.index.contacts.get(contactId);
      if (!history || history.userKey !== params.userKey) {
        throw new JobFailure('not-found', 'A selected contact is not in this user’s backup.', false);
      }
      return history.sourceId;
    });
  }
  context.progress('Reading contacts', 0);
  try {
    const result = await runBackup({
      store: session.history,
      blobs: session.vault.blobs,
      provider,
      userKey: params.userKey,
      userId: splitUserKey(params.userKey).userId,
      sourceIds,
      excluded: await excludedSourceIds(session, params.userKey),
      now: () => session.ports.clock.now(),
      massDeletion: session.settings.get().massDeletion,
      context: {
        signal: context.signal,
        progress: (done, total) => context.progress('Reading contacts', done, total),
        log: (line) => context.log(line),
      },
    });
    const counts = result.snapshot.counts;
    for (const [name, value] of Object.entries(counts)) context.setCount(name, value);
    // The snapshot is saved: nothing after this point may turn the backup into a failure.
    const retention = await applyRetention(session, params.userKey).catch((error: unknown) => {
      context.log(
        `Warning: old revisions were not pruned this time (${(error as Error)?.message ?? String(error)}); the backup itself is saved.`,
      );
      return { revisionsRemoved: 0, contactsRemoved: 0 };
    });
    if (retention.revisionsRemoved || retention.contactsRemoved) {
      context.setCount('pruned', retention.revisionsRemoved);
      context.log(
        `Retention: removed ${count(retention.revisionsRemoved, 'old revision')} and ${count(retention.contactsRemoved, 'long-deleted contact')}.`,
      );
    }
    context.progress(
      'Done',
      counts.added + counts.changed + counts.unchanged,
      counts.added + counts.changed + counts.unchanged,
    );
    context.log(
      `Backed up ${userLabel(user)}: ${counts.added} added, ${counts.changed} changed, ${counts.deleted} deleted at source, ${counts.unchanged} unchanged.`,
    );
    await session.audit.record(
      'backup',
      `Backup of ${userLabel(user)} (${account.label}): ${counts.added} added, ${counts.changed} changed, ${counts.deleted} deleted at source.`,
    );
    if (result.massDeletion) {
      await session.audit.record(
        'mass-deletion',
        `${result.massDeletion.deleted} of ${result.massDeletion.before} contacts of ${userLabel(user)} were deleted at the source; all are kept.`,
      );
      if (session.settings.get().notifications.massDeletion) {
        session.ports.notifier.notify({
          title: 'Many contacts were deleted at the source',
          body: `${result.massDeletion.deleted} of ${result.massDeletion.before} contacts of ${userLabel(user)} disappeared. They are kept in the backup and can be restored.`,
          kind: 'warning',
        });
      }
    }
    return { snapshotId: result.snapshot.id, counts, full: result.full, massDeletion: result.massDeletion };
  } catch (error) {
    if (error instanceof ProviderError && error.code === 'auth-required') {
      account.status = 'sign-in-needed';
      await session.accounts.save();
      if (session.settings.get().notifications.signInNeeded) {
        session.ports.notifier.notify({
          title: 'Sign-in needed',
          body: `Sign in to ${account.label} again.`,
          kind: 'warning',
          signInOf: account.id,
        });
      }
    }
    throw error;
  }
}

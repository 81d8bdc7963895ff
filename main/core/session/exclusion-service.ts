/**
 * Contacts the user deleted from the backup and chose to keep out of it: their source ids per user,
 * in the vault's sealed `excluded` file. Backups skip them while they exist at the source, so a
 * deletion is not undone by the next backup. Without the choice, nothing is recorded and a contact
 * still at the source is simply backed up again.
 */
import type { ProfileSession } from './profile-session';
import { count as plural } from '../plural';

export interface ExcludedFile {
  version: 1;
  /** userKey → source ids never to back up again. */
  users: Record<string, string[]>;
}

function excludedFile(session: ProfileSession) {
  return session.vault.database<ExcludedFile>('excluded', { version: 1, users: {} });
}

/** Adds source ids to a user's list (deduplicated) and writes the file. */
export async function excludeFromBackups(
  session: ProfileSession,
  userKey: string,
  sourceIds: readonly string[],
): Promise<void> {
  if (sourceIds.length === 0) return;
  const file = await excludedFile(session);
  const known = new Set(file.data.users[userKey] ?? []);
  for (const id of sourceIds) known.add(id);
  file.data.users[userKey] = [...known];
  await file.write();
}

/** The source ids a user's backups skip. */
export async function excludedSourceIds(
  session: ProfileSession,
  userKey: string,
): Promise<ReadonlySet<string>> {
  const file = await excludedFile(session);
  return new Set(file.data.users[userKey] ?? []);
}

/**
 * Lets a user's excluded contacts back in: the next backup that reads them (a change at the
 * source, or a full read) stores them again. Returns how many source ids were cleared.
 */
export async function clearExclusions(session: ProfileSession, userKey: string): Promise<number> {
  const file = await excludedFile(session);
  const count = file.data.users[userKey]?.length ?? 0;
  if (count === 0) return 0;
  delete file.data.users[userKey];
  await file.write();
  await session.audit.record(
    'setting',
    `Cleared ${plural(count, 'contact')} kept out of backups for ${userKey}; they are backed up again when read.`,
  );
  return count;
}

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
 * Lets a user's excluded contacts back in: the next backup stores them again if the source still
 * has them. An incremental read would never see them (they did not change at the source), so the
 * user's sync cursor is forgotten first and that backup reads everything; contacts already in the
 * backup are matched by their source ids, so nothing is stored twice. Returns how many were cleared.
 */
export async function clearExclusions(session: ProfileSession, userKey: string): Promise<number> {
  const file = await excludedFile(session);
  const count = file.data.users[userKey]?.length ?? 0;
  if (count === 0) return 0;
  await session.history.clearCursor(userKey);
  delete file.data.users[userKey];
  await file.write();
  await session.audit.record(
    'setting',
    `Cleared ${plural(count, 'contact')} kept out of backups for ${userKey}; the next backup reads the whole address book and stores them again.`,
  );
  return count;
}

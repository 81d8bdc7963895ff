/**
 * Profiles from the app (issue 16 item 1): rename the open one, change its backup password, delete
 * one with its password. Creating and switching go through `profile.create` and `profile.unlock`.
 */
import { ApiFailure } from '../contract/api-failure';
import type { SessionView } from '../contract/contract-types';
import type { SessionHost } from './session-host';
import { VaultError } from '../vault/errors';
import { assertStrongPassword } from '../vault/password-strength';

/** Renames the open profile; every window hears the new name through `session.changed`. */
export async function renameProfile(app: SessionHost, name: string): Promise<SessionView> {
  const session = app.requireSession();
  const before = session.profile.name;
  session.profile = await app.profiles.rename(session.profile.id, name);
  await session.audit.record('profile', `Profile "${before}" renamed to "${session.profile.name}".`);
  const view = app.sessionView()!;
  app.emit('session.changed', view);
  return view;
}

/** Re-wraps the open profile's key; the files stay as they are, the old password stops working. */
export async function changeProfilePassword(
  app: SessionHost,
  currentPassword: string,
  newPassword: string,
): Promise<null> {
  const session = app.requireSession();
  if (currentPassword === newPassword)
    throw new ApiFailure('invalid-request', 'The new backup password is the same as the current one.');
  // The same rule as a new profile's password (issue 17 item 2): a change must not weaken it.
  await assertStrongPassword(newPassword);
  await session.vault.changePassword(currentPassword, newPassword).catch((error: unknown) => {
    if (error instanceof VaultError && error.code === 'wrong-password')
      throw new ApiFailure('wrong-password', error.message);
    throw error;
  });
  await session.audit.record('profile', 'Backup password changed.');
  return null;
}

/**
 * Deletes a profile and all its backups. The password is checked before anything happens; the open
 * profile is locked first (its jobs are cancelled) so no file is written while it is removed.
 */
export async function deleteProfile(app: SessionHost, profileId: string, password: string): Promise<null> {
  const profile = (await app.profiles.list()).find((candidate) => candidate.id === profileId);
  if (!profile) throw new ApiFailure('not-found', 'There is no such profile.');
  const open = app.session?.profile.id === profileId;
  if (open && !(await app.session!.vault.verifyPassword(password)))
    throw new ApiFailure('wrong-password', 'That backup password is not correct.');
  if (open) await app.lock();
  await app.profiles.remove(profileId, password).catch((error: unknown) => {
    if (error instanceof VaultError && error.code === 'wrong-password')
      throw new ApiFailure('wrong-password', 'That backup password is not correct.');
    throw error;
  });
  return null;
}

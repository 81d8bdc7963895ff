/**
 * Editions, licences and seats for a profile (issue 9, product.md S1): the licence shown and installed
 * in Settings > Licence, and the administrator's choice of directory users to back up.
 *
 * - The licence key is stored sealed in the profile's vault (file `licence`, see licence-state.ts) and
 *   verified offline on every read; an invalid key is never stored, a valid one replaces the old one.
 * - Enabling users is all or nothing and never exceeds the seats (seats.ts `enableUsers`); disabling
 *   a user only stops future backups, what was backed up stays browsable and restorable.
 * - Refreshing an account's users merges the directory listing: new active users are enabled while
 *   seats remain (`autoEnableNewUsers`), users gone from the directory are kept and marked inactive.
 * Every licence install and every enable/disable is written to the audit log.
 */
import { ApiFailure } from '../contract/api-failure';
import type { AccountView, LicenceView } from '../contract/contract-types';
import type { AccountRecord, AccountUserRecord } from '../accounts/types';
import type { AccountUser } from '../providers/provider';
import { licenceMessages } from '../licensing/messages';
import {
  autoEnableNewUsers,
  disableUsers,
  enableUsers,
  seatSummary,
  type DirectoryUser,
  type SeatState,
} from '../licensing/seats';
import type { LicenceCheck } from '../licensing/licence';
import { splitUserKey, userKeyOf } from '../history/types';
import { findAccount, providerFor } from './account-service';
import { accountViews } from './browse-service';
import {
  LICENCE_FILE,
  cacheLicence,
  checkKey,
  isDirectoryAccount,
  seatState,
  type LicenceFile,
} from './licence-state';
import type { ProfileSession } from './profile-session';
import { count } from '../plural';

/** What Settings > Licence shows: edition, licensee, seats used and free, expiry and a sentence. */
export async function licenceStatus(session: ProfileSession): Promise<LicenceView> {
  return licenceView(seatState(session));
}

/** Verifies a pasted key offline and, when it is valid, stores it sealed in the profile's vault. */
export async function installLicence(session: ProfileSession, key: string): Promise<LicenceView> {
  const compact = key.replace(/\s+/g, '');
  const check = checkKey(session, compact);
  switch (check.status) {
    case 'none':
      throw new ApiFailure('invalid-request', 'Paste the licence key from your purchase e-mail first.');
    case 'invalid':
      await session.audit.record('licence', `A licence key was refused: ${check.reason}.`);
      throw new ApiFailure('invalid-request', check.message);
    case 'expired':
      throw new ApiFailure(
        'invalid-request',
        `This licence key expired on ${check.licence.expiresAt.slice(0, 10)}. ` +
          'Use the renewed key from your purchase e-mail; the current licence was kept.',
      );
    case 'valid':
      break;
  }
  const file: LicenceFile = {
    version: 1,
    key: compact,
    installedAt: session.ports.clock.now().toISOString(),
  };
  const database = await session.vault.database<LicenceFile>(LICENCE_FILE, { version: 1 });
  database.data = file;
  await database.write();
  cacheLicence(session, file);
  const { licence } = check;
  await session.audit.record(
    'licence',
    `Installed a ${licence.edition} licence for ${licence.licensee} (${licence.seats} seats, ` +
      `expires ${licence.expiresAt.slice(0, 10)}, id ${licence.id}).`,
  );
  return licenceView(seatState(session));
}

/**
 * Turns Contacts backup on or off for users of one account. Enabling is refused, with nothing
 * changed, when the directory users asked for need more seats than are free.
 */
export async function setUsersEnabled(
  session: ProfileSession,
  accountId: string,
  userIds: readonly string[],
  enabled: boolean,
): Promise<AccountView> {
  const account = findAccount(session, accountId);
  for (const userId of userIds) {
    if (!account.users.some((user) => user.id === userId)) {
      throw new ApiFailure('not-found', licenceMessages.unknownUser(userId));
    }
  }
  const keys = userIds.map((userId) => userKeyOf(account.id, userId));
  const state = seatState(session);
  let next: SeatState;
  if (enabled) {
    const change = enableUsers(state, keys);
    if (!change.ok) throw new ApiFailure('not-allowed', change.reason);
    next = change.state;
  } else {
    next = disableUsers(state, keys);
  }
  const changed = applyEnabled(account, next);
  if (changed.length) {
    await session.accounts.save();
    await session.audit.record(
      'setting',
      `Contacts backup ${enabled ? 'enabled' : 'disabled'} for ${describeUsers(changed)} of "${account.label}".`,
    );
  }
  return viewOf(session, account.id);
}

/**
 * Lists the account's users again from its source (Google Admin SDK, Microsoft Graph /users for a
 * domain or tenant). New directory users are enabled while seats of a valid business licence remain;
 * users no longer listed are kept (their backups stay browsable) and marked inactive.
 */
export async function refreshUsers(session: ProfileSession, accountId: string): Promise<AccountView> {
  const account = findAccount(session, accountId);
  const controller = new AbortController();
  const listed = await providerFor(session, account).listUsers({
    signal: controller.signal,
    progress: () => undefined,
    log: () => undefined,
  });
  const result = isDirectoryAccount(account)
    ? mergeDirectoryUsers(session, account, listed)
    : mergeOwnUsers(account, listed);
  await session.accounts.save();
  await session.audit.record(
    'account',
    `Refreshed the users of "${account.label}": ${listed.length} listed, ${result.added} new` +
      (result.autoEnabled ? `, ${result.autoEnabled} enabled automatically` : '') +
      (result.leftDisabled ? `, ${result.leftDisabled} left disabled (no free seat)` : '') +
      '.',
  );
  return viewOf(session, account.id);
}

function mergeDirectoryUsers(
  session: ProfileSession,
  account: AccountRecord,
  listed: readonly AccountUser[],
): { added: number; autoEnabled: number; leftDisabled: number } {
  const state = seatState(session);
  // autoEnableNewUsers marks every directory user it is not given as gone: pass the other
  // directory accounts' users as they are, so only this account's listing changes anything.
  const others: DirectoryUser[] = state.users
    .filter((user) => user.source === 'directory' && splitUserKey(user.id).accountId !== account.id)
    .map((user) => ({ id: user.id, email: user.email, active: user.active }));
  const fresh: DirectoryUser[] = listed.map((user) => ({
    id: userKeyOf(account.id, user.id),
    email: user.email || user.displayName || user.id,
    active: user.active,
  }));
  const result = autoEnableNewUsers([...others, ...fresh], state);
  const byId = new Map(listed.map((user) => [user.id, user]));
  const known = new Set(account.users.map((user) => user.id));
  const merged: AccountUserRecord[] = account.users.map((user) => {
    const now = byId.get(user.id);
    return now
      ? { ...user, email: now.email, displayName: now.displayName, active: now.active }
      : { ...user, active: false };
  });
  const enabled = new Set(result.enabled.map((key) => splitUserKey(key).userId));
  for (const user of listed) {
    if (known.has(user.id)) continue;
    known.add(user.id);
    merged.push({
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      active: user.active,
      enabled: enabled.has(user.id),
    });
  }
  const added = merged.length - account.users.length;
  account.users = merged;
  return { added, autoEnabled: result.enabled.length, leftDisabled: result.leftDisabled.length };
}

function mergeOwnUsers(
  account: AccountRecord,
  listed: readonly AccountUser[],
): { added: number; autoEnabled: number; leftDisabled: number } {
  const byId = new Map(listed.map((user) => [user.id, user]));
  const merged: AccountUserRecord[] = account.users.map((user) => {
    const now = byId.get(user.id);
    return now
      ? { ...user, email: now.email, displayName: now.displayName, active: now.active }
      : { ...user, active: false };
  });
  const known = new Set(account.users.map((user) => user.id));
  const added = listed.filter((user) => !known.has(user.id));
  // A personal source's only user is the profile's own; several users are chosen one by one.
  const single = account.users.length === 0 && listed.length === 1;
  for (const user of added) merged.push({ ...user, enabled: single && user.active });
  account.users = merged;
  return { added: added.length, autoEnabled: single ? added.length : 0, leftDisabled: 0 };
}

/** Copies the enabled flags of the account's users from a seat state; returns the changed users. */
function applyEnabled(account: AccountRecord, state: SeatState): AccountUserRecord[] {
  const enabledByKey = new Map(state.users.map((user) => [user.id, user.enabled]));
  const changed: AccountUserRecord[] = [];
  for (const user of account.users) {
    const enabled = enabledByKey.get(userKeyOf(account.id, user.id));
    if (enabled !== undefined && enabled !== user.enabled) {
      user.enabled = enabled;
      changed.push(user);
    }
  }
  return changed;
}

function describeUsers(users: readonly AccountUserRecord[]): string {
  const names = users.slice(0, 5).map((user) => user.email || user.displayName || user.id);
  const more = users.length > 5 ? ` and ${users.length - 5} more` : '';
  return `${count(users.length, 'user')} (${names.join(', ')}${more})`;
}

function viewOf(session: ProfileSession, accountId: string): AccountView {
  const view = accountViews(session).find((candidate) => candidate.id === accountId);
  if (!view) throw new ApiFailure('not-found', 'That account is not in this profile.');
  return view;
}

/** The licence as Settings > Licence and `licence show` present it. */
export function licenceView(state: SeatState): LicenceView {
  const summary = seatSummary(state);
  const check = state.licence;
  const licensee =
    check.status === 'valid' || check.status === 'expired' ? check.licence.licensee : undefined;
  const message = stateMessage(check, summary.used);
  return {
    edition: summary.edition,
    state: summary.state,
    ...(licensee === undefined ? {} : { licensee }),
    seats: summary.seats,
    used: summary.used,
    free: summary.free,
    ...(summary.expiresAt === undefined ? {} : { expiresAt: summary.expiresAt }),
    ...(message === undefined ? {} : { message }),
  };
}

/** The sentence shown under the licence when it is missing, expired, invalid or over-used. */
function stateMessage(check: LicenceCheck, used: number): string | undefined {
  switch (check.status) {
    case 'none':
      return (
        'No licence is installed: your own accounts are backed up free (personal edition). ' +
        'Backing up the users of a Google Workspace domain or Microsoft 365 tenant needs a business licence.'
      );
    case 'invalid':
      return check.message;
    case 'expired':
      return (
        `The licence expired on ${check.licence.expiresAt.slice(0, 10)}: backups of directory users are paused. ` +
        'Browsing, restore and export still work. Enter a renewed key to resume backups.'
      );
    case 'valid':
      if (check.licence.edition === 'business' && used > check.licence.seats) {
        return (
          `${used} users are enabled but the licence has ${check.licence.seats} seats: ` +
          `disable ${used - check.licence.seats} users or buy more seats.`
        );
      }
      return undefined;
  }
}

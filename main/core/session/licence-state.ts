/**
 * The licence and seat state of an unlocked profile, read synchronously so `backupBlockedReason` (the
 * S1 check behind the Dashboard, Configure Backup and every backup enqueue) can consult it.
 *
 * - The licence key is kept sealed in the profile's vault, in the file `licence` (written by
 *   licence-service.ts through `vault.database`). It is read once per session and cached; the key is
 *   verified again against the public key whenever the session starts, so a key installed through a
 *   test build's override key is not believed by a shipped build.
 * - The seat state is built from the profile's accounts on every call: users of personal accounts
 *   (sample, vCard, PST, Google/Microsoft personal) are `own`, users of a Google Workspace domain or a
 *   Microsoft 365 tenant are `directory`. The seat user id is the user key `accountId/userId`.
 *
 * Public key: `licencePublicKey({ allowOverride })` honours CONTACTS_BACKUP_LICENCE_PUBLIC_KEY only in
 * a test build (NODE_ENV=test and not a release bundle), and even then not when the host is the
 * Electron app (or not registered) and CONTACTS_BACKUP_PACKAGED is set (see
 * {@link licenceOverrideAllowed}).
 */
import { readFileSync } from 'node:fs';
import { verifyLicence, type LicenceCheck } from '../licensing/licence';
import { licencePublicKey } from '../licensing/public-key';
import { isTestBuild } from '../licensing/test-build';
import { autoEnableNewUsers, canBackUp, type SeatState, type SeatUser } from '../licensing/seats';
import type { AccountUser } from '../providers/provider';
import type { AccountRecord } from '../accounts/types';
import { seatSourceOf } from '../accounts/provider-factory';
import { splitUserKey, userKeyOf } from '../history/types';
import { openBytes } from '../vault/sealed-file';
import { VaultError } from '../vault/errors';
import type { ProfileSession } from './profile-session';

/** The vault file holding the licence key. */
export const LICENCE_FILE = 'licence';

/** Set by the packaged desktop app: licence keys are then verified with the product key only. */
export const PACKAGED_ENV = 'CONTACTS_BACKUP_PACKAGED';

export type LicenceHost = 'electron' | 'web' | 'cli';

export interface LicenceFile {
  version: 1;
  /** The key text as installed (whitespace removed); absent when no licence was installed. */
  key?: string;
  installedAt?: string;
}

/** A session's licence state (kept in ProfileSession.memory). */
export interface SessionLicence {
  file?: LicenceFile;
  publicKey?: string;
  /** verifyLicence's result for `file.key`; expiry is re-derived from the clock on every read. */
  verified?: { readonly key: string; readonly check: LicenceCheck };
}

/**
 * Whether a test public key (CONTACTS_BACKUP_LICENCE_PUBLIC_KEY) may replace the product key: only in
 * a test build (licensing/test-build.ts: not a release bundle, and NODE_ENV=test), and never in the
 * packaged desktop app, where it would let anyone sign licences with a key pair of their own. An
 * unregistered host is treated as the desktop app (the safe default).
 */
export function licenceOverrideAllowed(
  host: LicenceHost | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): boolean {
  if (!isTestBuild(env)) return false;
  const packaged = Boolean(env[PACKAGED_ENV]);
  return !(packaged && (host === undefined || host === 'electron'));
}

/** The app tells each new session which host it runs in (for {@link licenceOverrideAllowed}). */
export function registerLicenceHost(session: ProfileSession, host: LicenceHost): void {
  session.memory.licenceHost = host;
  session.memory.licence.publicKey = undefined;
  session.memory.licence.verified = undefined;
}

function stateOf(session: ProfileSession): SessionLicence {
  return session.memory.licence;
}

/** The stored licence file, read from the sealed vault file on first use. */
export function storedLicence(session: ProfileSession): LicenceFile {
  const state = stateOf(session);
  if (!state.file) state.file = readLicenceFile(session);
  return state.file;
}

/** Replaces the cached licence after licence-service wrote a new one. */
export function cacheLicence(session: ProfileSession, file: LicenceFile): void {
  const state = stateOf(session);
  state.file = { ...file };
  state.verified = undefined;
}

function readLicenceFile(session: ProfileSession): LicenceFile {
  const path = session.vault.pathOf(LICENCE_FILE);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1 };
    throw error;
  }
  const text = openBytes(session.vault.fileKey(), LICENCE_FILE, bytes).toString('utf8');
  try {
    return JSON.parse(text) as LicenceFile;
  } catch {
    throw new VaultError('tampered', `${LICENCE_FILE} holds data that is not valid JSON.`);
  }
}

/** The public key licences are verified with in this session. */
export function publicKeyFor(session: ProfileSession): string {
  const state = stateOf(session);
  if (!state.publicKey) {
    state.publicKey = licencePublicKey({ allowOverride: licenceOverrideAllowed(session.memory.licenceHost) });
  }
  return state.publicKey;
}

/** Verifies a key text now, with this session's public key and clock. */
export function checkKey(session: ProfileSession, key: string): LicenceCheck {
  return verifyLicence(key, publicKeyFor(session), session.ports.clock.now());
}

/** The installed licence as of now: valid, expired, invalid or none. */
export function currentLicence(session: ProfileSession): LicenceCheck {
  const key = storedLicence(session).key ?? '';
  const state = stateOf(session);
  if (!state.verified || state.verified.key !== key) {
    state.verified = { key, check: checkKey(session, key) };
  }
  const check = state.verified.check;
  if (check.status !== 'valid' && check.status !== 'expired') return check;
  // The signature was checked once; only the expiry moves with the clock.
  const expired = session.ports.clock.now().getTime() >= Date.parse(check.licence.expiresAt);
  return { status: expired ? 'expired' : 'valid', licence: check.licence };
}

/** A Google Workspace domain or a Microsoft 365 tenant: its users come from a directory and need seats. */
export function isDirectoryAccount(account: AccountRecord): boolean {
  // The kind's descriptor decides (accounts/provider-registry.ts), not a sniffed setting.
  return seatSourceOf(account) === 'directory';
}

/** How a user is named in licence sentences: the email, else the display name, else the id. */
function labelOf(user: { email: string; displayName?: string; id: string }): string {
  return user.email || user.displayName || user.id;
}

export function seatUsersOf(account: AccountRecord): SeatUser[] {
  const source = isDirectoryAccount(account) ? 'directory' : 'own';
  return account.users.map((user) => ({
    id: userKeyOf(account.id, user.id),
    email: labelOf(user),
    enabled: user.enabled,
    active: user.active,
    source,
  }));
}

/** The seat state of the profile: every account's users in account order, and the licence. */
export function seatState(session: ProfileSession): SeatState {
  return {
    users: session.accounts.all().flatMap(seatUsersOf),
    licence: currentLicence(session),
  };
}

/**
 * Why the licence or the seats stop a backup of this user now, as a sentence; undefined when they
 * allow it. Own accounts are free in every edition; directory users need a valid business licence,
 * the enabled flag and a seat.
 */
export function licenceBlockedReason(session: ProfileSession, userKey: string): string | undefined {
  const decision = canBackUp(seatState(session), userKey);
  return decision.ok ? undefined : decision.reason;
}

/**
 * The users an account starts with when it is added: a personal source's single user is the
 * profile's own and enabled; directory users are enabled in directory order while seats remain.
 */
export function initialEnabledUsers(
  session: ProfileSession,
  account: AccountRecord,
  users: readonly AccountUser[],
): ReadonlySet<string> {
  if (!isDirectoryAccount(account)) {
    return new Set(users.length === 1 && users[0].active ? [users[0].id] : []);
  }
  const directory = users.map((user) => ({
    id: userKeyOf(account.id, user.id),
    email: user.email || user.displayName || user.id,
    active: user.active,
  }));
  const { enabled } = autoEnableNewUsers(directory, seatState(session));
  return new Set(enabled.map((key) => splitUserKey(key).userId));
}

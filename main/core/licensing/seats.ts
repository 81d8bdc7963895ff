/**
 * Editions and seats (issue 9, product.md S1). Pure functions over a small state so the Dashboard, the
 * job runner and the CLI take the same decisions and tests need no vault. Nothing here deletes anything:
 * disabling a user only stops future backups; what was backed up stays browsable and restorable.
 *
 * Who needs a seat: a user listed from a Google Workspace domain or Microsoft 365 tenant (`directory`)
 * and enabled for backup. A person's own signed-in account (`own`, the personal edition) is free in
 * every edition and never takes a seat.
 */
import type { Edition, LicenceCheck } from './licence';
import { licenceMessages } from './messages';

/** One account user as the licensing rules see it. */
export interface SeatUser {
  readonly id: string;
  readonly email: string;
  /** Contacts backup is turned on for this user (S1, S2 "Apply to enabled users"). */
  readonly enabled: boolean;
  /** The directory says the account is not suspended (always true for own accounts). */
  readonly active: boolean;
  /** `own`: the profile's own signed-in account; `directory`: a domain or tenant user (business). */
  readonly source: 'own' | 'directory';
}

export interface SeatState {
  /** In a stable order: when more users are enabled than seats exist, the first ones stay covered. */
  readonly users: readonly SeatUser[];
  readonly licence: LicenceCheck;
}

/** A user as the domain or tenant directory lists it. */
export interface DirectoryUser {
  readonly id: string;
  readonly email: string;
  readonly active: boolean;
}

export type SeatDecision = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export type SeatChange =
  { readonly ok: true; readonly state: SeatState } | { readonly ok: false; readonly reason: string };

export interface AutoEnableResult {
  readonly state: SeatState;
  /** New users enabled by this call. */
  readonly enabled: readonly string[];
  /** New active users left disabled because no seat (or no valid business licence) was available. */
  readonly leftDisabled: readonly string[];
}

export interface SeatSummary {
  readonly edition: Edition;
  readonly seats: number;
  readonly used: number;
  readonly free: number;
  readonly expiresAt?: string;
  readonly state: LicenceCheck['status'];
}

/**
 * The edition in force: the edition of a readable licence (valid or expired, so an expired business
 * licence still shows as business with its seats), otherwise personal.
 */
export function editionOf(check: LicenceCheck): Edition {
  return check.status === 'valid' || check.status === 'expired' ? check.licence.edition : 'personal';
}

/**
 * Whether a backup may run for a user now, and if not, a sentence saying why and what to do. The job
 * runner asks before every backup, scheduled or urgent, so the refusal reaches the Task Manager log.
 */
export function canBackUp(state: SeatState, userId: string): SeatDecision {
  const user = state.users.find((candidate) => candidate.id === userId);
  if (!user) return refuse(licenceMessages.unknownUser(userId));
  if (user.source === 'own') return { ok: true };

  const check = state.licence;
  switch (check.status) {
    case 'none':
      return refuse(licenceMessages.needsBusinessLicence(user.email));
    case 'invalid':
      return refuse(licenceMessages.invalidLicence(user.email, check.message));
    case 'expired':
      if (check.licence.edition !== 'business') return refuse(licenceMessages.personalLicence(user.email));
      return refuse(licenceMessages.expired(user.email, check.licence.expiresAt));
    case 'valid':
      break;
    default:
      return assertNever(check);
  }
  if (check.licence.edition !== 'business') return refuse(licenceMessages.personalLicence(user.email));
  if (!user.enabled) return refuse(licenceMessages.notEnabled(user.email));
  if (!user.active) return refuse(licenceMessages.suspended(user.email));

  const enabled = enabledDirectoryUsers(state);
  const position = enabled.findIndex((candidate) => candidate.id === user.id);
  if (position >= check.licence.seats) {
    return refuse(licenceMessages.notCovered(user.email, enabled.length, check.licence.seats));
  }
  return { ok: true };
}

/**
 * Turns backup on for users. All or nothing: when the directory users asked for need more seats than
 * are free, or an id is unknown, the state is returned unchanged with the reason, so the Dashboard
 * never half-applies a selection.
 */
export function enableUsers(state: SeatState, ids: readonly string[]): SeatChange {
  const wanted = new Set(ids);
  const unknown = [...wanted].find((id) => !state.users.some((user) => user.id === id));
  if (unknown !== undefined) return refuse(licenceMessages.unknownUser(unknown));

  const newDirectoryUsers = state.users.filter(
    (user) => wanted.has(user.id) && user.source === 'directory' && !user.enabled,
  ).length;
  if (newDirectoryUsers > 0) {
    const seats = businessSeats(state.licence);
    if (seats === undefined) return refuse(licenceMessages.enableNeedsLicence);
    const free = Math.max(0, seats - enabledDirectoryUsers(state).length);
    if (newDirectoryUsers > free) return refuse(licenceMessages.overSeats(newDirectoryUsers, free, seats));
  }
  return { ok: true, state: setEnabled(state, wanted, true) };
}

/**
 * Turns backup off for users and frees their seats. Their existing backups are untouched. Unknown ids
 * are ignored: disabling something that is not there leaves it not there.
 */
export function disableUsers(state: SeatState, ids: readonly string[]): SeatState {
  return setEnabled(state, new Set(ids), false);
}

/**
 * Merges a fresh directory listing into the state: updates e-mail and suspension of known users, adds
 * new users and enables them, in directory order, while seats of a valid business licence remain (so a
 * new hire is backed up without an administrator's click). Users no longer listed are kept, marked
 * inactive, so their backups stay reachable; an administrator disables them to free the seat.
 */
export function autoEnableNewUsers(
  directoryUsers: readonly DirectoryUser[],
  state: SeatState,
): AutoEnableResult {
  const listed = new Map(directoryUsers.map((user) => [user.id, user]));
  const users: SeatUser[] = state.users.map((user) => {
    if (user.source !== 'directory') return user;
    const fresh = listed.get(user.id);
    return fresh ? { ...user, email: fresh.email, active: fresh.active } : { ...user, active: false };
  });

  const seats = businessSeats(state.licence);
  let free = seats === undefined ? 0 : Math.max(0, seats - enabledDirectoryUsers({ ...state, users }).length);
  const known = new Set(state.users.map((user) => user.id));
  const enabled: string[] = [];
  const leftDisabled: string[] = [];
  for (const fresh of listed.values()) {
    if (known.has(fresh.id)) continue;
    known.add(fresh.id);
    // A suspended account cannot be read, so it does not take a seat until it is active and enabled.
    const enable = fresh.active && free > 0;
    if (enable) {
      free -= 1;
      enabled.push(fresh.id);
    } else if (fresh.active) {
      leftDisabled.push(fresh.id);
    }
    users.push({ ...fresh, enabled: enable, source: 'directory' });
  }
  return { state: { ...state, users }, enabled, leftDisabled };
}

/** The numbers the Settings > Licence page and the Dashboard show. */
export function seatSummary(state: SeatState): SeatSummary {
  const check = state.licence;
  const seats = check.status === 'valid' || check.status === 'expired' ? check.licence.seats : 0;
  const used = enabledDirectoryUsers(state).length;
  const expiresAt =
    check.status === 'valid' || check.status === 'expired' ? check.licence.expiresAt : undefined;
  return {
    edition: editionOf(check),
    seats: editionOf(check) === 'business' ? seats : 0,
    used,
    free: editionOf(check) === 'business' ? Math.max(0, seats - used) : 0,
    ...(expiresAt === undefined ? {} : { expiresAt }),
    state: check.status,
  };
}

function enabledDirectoryUsers(state: SeatState): SeatUser[] {
  return state.users.filter((user) => user.source === 'directory' && user.enabled);
}

/** Seats of a valid business licence; undefined when no such licence is in force. */
function businessSeats(check: LicenceCheck): number | undefined {
  return check.status === 'valid' && check.licence.edition === 'business' ? check.licence.seats : undefined;
}

function setEnabled(state: SeatState, ids: ReadonlySet<string>, enabled: boolean): SeatState {
  return {
    ...state,
    users: state.users.map((user) =>
      ids.has(user.id) && user.enabled !== enabled ? { ...user, enabled } : user,
    ),
  };
}

function refuse(reason: string): { readonly ok: false; readonly reason: string } {
  return { ok: false, reason };
}

function assertNever(value: never): never {
  throw new Error(`Unexpected licence state: ${JSON.stringify(value)}`);
}

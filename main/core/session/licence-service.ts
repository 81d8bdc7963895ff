/**
 * Editions, licences and seats for a profile (issue 9). Being built: every function refuses with a
 * clear sentence until then, so nothing pretends to work.
 */
import { ApiFailure } from '../api/api-failure';
import type { AccountView, LicenceView } from '../api/contract-types';
import type { ProfileSession } from './profile-session';

function notYet(): never {
  throw new ApiFailure(
    'not-available',
    'Licences and directory users are not available in this version yet.',
  );
}

export async function licenceStatus(_session: ProfileSession): Promise<LicenceView> {
  return notYet();
}

export async function installLicence(_session: ProfileSession, _key: string): Promise<LicenceView> {
  return notYet();
}

export async function setUsersEnabled(
  _session: ProfileSession,
  _accountId: string,
  _userIds: readonly string[],
  _enabled: boolean,
): Promise<AccountView> {
  return notYet();
}

export async function refreshUsers(_session: ProfileSession, _accountId: string): Promise<AccountView> {
  return notYet();
}

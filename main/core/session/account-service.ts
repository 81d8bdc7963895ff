/**
 * Adding, listing and removing the accounts of a profile. Secrets of an account are stored in the
 * sealed secrets file under the account id and handed to providers through the AccountSecrets port.
 */
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { homedir } from 'node:os';
import { assertSourceKind } from '../accounts/source-kind';
import type { AccountKind, AccountRecord, AccountUserRecord } from '../accounts/types';
import { createProvider } from '../accounts/provider-factory';
import type { AccountSecrets } from '../ports';
import type { ContactProvider } from '../providers/provider';
import { userKeyOf } from '../history/types';
import { ApiFailure } from '../api/api-failure';
import {
  signInGoogle,
  type GoogleAccountSettings,
  type GoogleSecrets,
  type GoogleServiceAccountKey,
} from '../providers/google';
import {
  saveMicrosoftClientSecret,
  signInMicrosoft,
  type MicrosoftAccountSettings,
} from '../providers/microsoft';
import type { ProfileSession } from './profile-session';
import { initialEnabledUsers } from './licence-state';

export function accountSecrets(session: ProfileSession, accountId: string): AccountSecrets {
  return {
    get: async <T>() => session.secrets.data.secrets[accountId] as T | undefined,
    set: async <T>(value: T) => {
      session.secrets.data.secrets[accountId] = value;
      await session.secrets.write();
    },
  };
}

export function providerFor(session: ProfileSession, account: AccountRecord): ContactProvider {
  const override = session.ports.providerOverride?.(account);
  if (override) return override;
  return createProvider(account, {
    clock: session.ports.clock,
    openBrowser: session.ports.openBrowser,
    secrets: accountSecrets(session, account.id),
  });
}

export function findAccount(session: ProfileSession, accountId: string): AccountRecord {
  const account = session.accounts.data.accounts.find((candidate) => candidate.id === accountId);
  if (!account) throw new ApiFailure('not-found', 'That account is not in this profile.');
  return account;
}

/** Resolves `accountId/userId` to its account and user. */
export function findUser(
  session: ProfileSession,
  userKey: string,
): { account: AccountRecord; user: AccountUserRecord } {
  for (const account of session.accounts.data.accounts) {
    for (const user of account.users) {
      if (userKeyOf(account.id, user.id) === userKey) return { account, user };
    }
  }
  throw new ApiFailure('not-found', 'That user is not in this profile.');
}

/** Adds an account after asking its provider for its users (so a broken source fails here, clearly). */
export async function addAccount(
  session: ProfileSession,
  kind: AccountKind,
  label: string,
  settings: Record<string, unknown>,
  secrets?: unknown,
): Promise<AccountRecord> {
  const account: AccountRecord = {
    id: randomUUID().slice(0, 8),
    kind,
    label,
    createdAt: session.ports.clock.now().toISOString(),
    settings,
    users: [],
    status: 'ok',
    backupEnabled: false,
  };
  if (secrets !== undefined) await accountSecrets(session, account.id).set(secrets);
  const controller = new AbortController();
  const users = await providerFor(session, account).listUsers({
    signal: controller.signal,
    progress: () => undefined,
    log: () => undefined,
  });
  const enabled = initialEnabledUsers(session, account, users);
  account.users = users.map((user) => ({
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    active: user.active,
    // A personal source's one user is the profile's own; directory users take seats while they last.
    enabled: enabled.has(user.id),
  }));
  session.accounts.data.accounts.push(account);
  await session.accounts.write();
  await session.audit.record('account', `Added ${kind} account "${label}" with ${users.length} user(s).`);
  return account;
}

export async function addSampleAccount(session: ProfileSession): Promise<AccountRecord> {
  const existing = session.accounts.data.accounts.find((account) => account.kind === 'sample');
  if (existing) return existing;
  return addAccount(session, 'sample', 'Sample address book', {});
}

/** The absolute path of a local source, or a sentence saying it is not there. */
async function existingPath(path: string, what: string): Promise<string> {
  // "~/x.vcf" means the home folder, as in a shell, never a folder named "~" here.
  const absolute = resolve(path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path);
  try {
    await stat(absolute);
  } catch {
    throw new ApiFailure('not-found', `There is no ${what} at ${absolute}.`);
  }
  return absolute;
}

export async function addVcardAccount(
  session: ProfileSession,
  path: string,
  label?: string,
): Promise<AccountRecord> {
  const absolute = await existingPath(path, 'file or folder');
  await assertSourceKind(absolute, 'vcard');
  return addAccount(session, 'vcard', label ?? absolute, { path: absolute });
}

/** Removes an account from the profile; its backups stay browsable until deleted explicitly. */
export async function removeAccount(session: ProfileSession, accountId: string): Promise<void> {
  const account = findAccount(session, accountId);
  session.accounts.data.accounts = session.accounts.data.accounts.filter(
    (candidate) => candidate !== account,
  );
  delete session.secrets.data.secrets[accountId];
  await session.secrets.write();
  await session.accounts.write();
  await session.audit.record('account', `Removed ${account.kind} account "${account.label}".`);
}

/** An existing PST file (an old Outlook archive) as a read-only source. */
export async function addPstAccount(
  session: ProfileSession,
  path: string,
  label?: string,
): Promise<AccountRecord> {
  const absolute = await existingPath(path, 'file');
  await assertSourceKind(absolute, 'pst');
  return addAccount(session, 'pst', label ?? absolute, { path: absolute });
}

/** Signs in to Google in the system browser (or with a Workspace service-account key) and adds the account. */
export async function addGoogleAccount(
  session: ProfileSession,
  settings: GoogleAccountSettings,
  serviceAccountKey?: GoogleServiceAccountKey,
): Promise<AccountRecord> {
  let secrets: GoogleSecrets;
  let label: string;
  if (settings.mode === 'workspace') {
    if (!serviceAccountKey || !settings.workspace?.adminEmail) {
      throw new ApiFailure(
        'invalid-request',
        'A Workspace account needs the service-account key file and an administrator email.',
      );
    }
    secrets = { kind: 'workspace', serviceAccountKey };
    label = settings.workspace.domain ?? settings.workspace.adminEmail.split('@')[1] ?? 'Google Workspace';
  } else {
    const signedIn = await signInGoogle(settings, session.ports.openBrowser);
    secrets = signedIn.secrets;
    label = signedIn.email;
  }
  const account = await addAccount(
    session,
    'google',
    label,
    settings as unknown as Record<string, unknown>,
    secrets,
  );
  await session.audit.record('sign-in', `Signed in to Google as ${label}.`);
  return account;
}

/** Signs in to Microsoft 365 / Outlook.com (or a tenant with an app secret) and adds the account. */
export async function addMicrosoftAccount(
  session: ProfileSession,
  settings: MicrosoftAccountSettings,
  clientSecret?: string,
): Promise<AccountRecord> {
  // Sign-in writes the MSAL cache before the account exists: collect it, then store it sealed.
  let collected: unknown;
  const staging: AccountSecrets = {
    get: async <T>() => collected as T | undefined,
    set: async <T>(value: T) => {
      collected = value;
    },
  };
  let label: string;
  if (settings.mode === 'tenant') {
    if (!clientSecret || !settings.tenant?.tenantId) {
      throw new ApiFailure(
        'invalid-request',
        'A Microsoft 365 tenant needs its tenant id and the app’s client secret.',
      );
    }
    await saveMicrosoftClientSecret(staging, clientSecret);
    label = `Tenant ${settings.tenant.tenantId}`;
  } else {
    label = (await signInMicrosoft(settings, session.ports.openBrowser, staging)).email;
  }
  const account = await addAccount(
    session,
    'microsoft',
    label,
    settings as unknown as Record<string, unknown>,
    collected,
  );
  await session.audit.record('sign-in', `Signed in to Microsoft as ${label}.`);
  return account;
}

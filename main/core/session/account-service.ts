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
import type { AccountSecrets, OpenBrowser } from '../ports';
import { ProviderError, type AccountUser, type ContactProvider } from '../providers/provider';
import { descriptorOf } from '../accounts/provider-registry';
import { userKeyOf } from '../history/types';
import { ApiFailure } from '../contract/api-failure';
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
import { count } from '../plural';

export function accountSecrets(session: ProfileSession, accountId: string): AccountSecrets {
  return {
    get: async <T>() => session.secrets.get<T>(accountId),
    set: async <T>(value: T) => session.secrets.set(accountId, value),
  };
}

export function providerFor(session: ProfileSession, account: AccountRecord): ContactProvider {
  const override = session.ports.providerOverride?.(account);
  if (override) return override;
  return createProvider(account, {
    clock: session.ports.clock,
    openBrowser: session.ports.openBrowser,
    secrets: accountSecrets(session, account.id),
    paths: session.ports.paths,
  });
}

export function findAccount(session: ProfileSession, accountId: string): AccountRecord {
  const account = session.accounts.find(accountId);
  if (!account) throw new ApiFailure('not-found', 'That account is not in this profile.');
  return account;
}

/** Resolves `accountId/userId` to its account and user. */
export function findUser(
  session: ProfileSession,
  userKey: string,
): { account: AccountRecord; user: AccountUserRecord } {
  for (const account of session.accounts.all()) {
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
  let users: AccountUser[];
  try {
    users = await providerFor(session, account).listUsers({
      signal: controller.signal,
      progress: () => undefined,
      log: () => undefined,
    });
  } catch (error) {
    // The account is not added: its secrets (a password, a token) must not stay behind.
    if (secrets !== undefined) {
      await session.secrets.remove(account.id);
    }
    throw error;
  }
  const enabled = initialEnabledUsers(session, account, users);
  account.users = users.map((user) => ({
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    active: user.active,
    // A personal source's one user is the profile's own; directory users take seats while they last.
    enabled: enabled.has(user.id),
  }));
  await session.accounts.add(account);
  await session.audit.record(
    'account',
    `Added ${kind} account "${label}" with ${count(users.length, 'user')}.`,
  );
  return account;
}

export async function addSampleAccount(session: ProfileSession): Promise<AccountRecord> {
  const existing = session.accounts.all().find((account) => account.kind === 'sample');
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
  await session.secrets.remove(account.id);
  await session.accounts.remove(account.id);
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

/** How a sign-in is driven: the browser to open, Cancel, and the time limit. */
export interface SignInControl {
  readonly openBrowser?: OpenBrowser;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

/** What connecting did: a new account, or a new sign-in for the account that already had this mailbox. */
export interface ConnectOutcome {
  readonly account: AccountRecord;
  readonly outcome: 'added' | 'reconnected';
}

/** The mailbox a personal Google or Microsoft account signs in as; undefined for the other kinds. */
export function signedInMailbox(account: AccountRecord): string | undefined {
  const mode = account.settings.mode;
  if (account.kind === 'google' && mode !== 'workspace')
    return (account.users[0]?.email ?? account.label).toLowerCase();
  if (account.kind === 'microsoft' && mode !== 'tenant')
    return (account.users[0]?.email ?? account.label).toLowerCase();
  return undefined;
}

/** The account of this profile that already backs up `email` at `kind`, if any. */
export function connectedAccount(
  session: ProfileSession,
  kind: 'google' | 'microsoft',
  email: string,
): AccountRecord | undefined {
  const wanted = email.toLowerCase();
  return session.accounts
    .all()
    .find((account) => account.kind === kind && signedInMailbox(account) === wanted);
}

/**
 * Keeps a new sign-in on an existing account: same id, so its history, cursors and schedule stay;
 * only its secrets (and, when the sign-in used another client id, its settings) are replaced.
 */
async function storeNewSignIn(
  session: ProfileSession,
  account: AccountRecord,
  secrets: unknown,
  settings?: Record<string, unknown>,
): Promise<AccountRecord> {
  await accountSecrets(session, account.id).set(secrets);
  if (settings) account.settings = { ...account.settings, ...settings };
  account.status = 'ok';
  await session.accounts.save();
  await session.audit.record('sign-in', `Signed in again to ${account.kind} account "${account.label}".`);
  return account;
}

/** The one sentence for a sign-in as another mailbox than the account's. */
function wrongAccount(signedInAs: string, expected: string): ApiFailure {
  return new ApiFailure(
    'wrong-account',
    `You signed in as ${signedInAs}, but this account backs up ${expected}. Sign in again as ${expected}, or add ${signedInAs} as a new account.`,
  );
}

/** Signs in to Google in the system browser (or with a Workspace service-account key) and adds the account. */
export async function addGoogleAccount(
  session: ProfileSession,
  settings: GoogleAccountSettings,
  serviceAccountKey?: GoogleServiceAccountKey,
): Promise<AccountRecord> {
  return (await connectGoogleAccount(session, settings, serviceAccountKey)).account;
}

/**
 * Connects a Google account. A personal mailbox that this profile already backs up is signed in
 * again instead of being added twice (issue 14, item 4): one account, one history.
 */
export async function connectGoogleAccount(
  session: ProfileSession,
  settings: GoogleAccountSettings,
  serviceAccountKey?: GoogleServiceAccountKey,
  control: SignInControl = {},
): Promise<ConnectOutcome> {
  let secrets: GoogleSecrets;
  let label: string;
  if (settings.mode === 'workspace') {
    if (!serviceAccountKey || !settings.workspace?.adminEmail) {
      throw new ApiFailure(
        'invalid-request',
        'A Workspace account needs the service-account key file and an administrator email.',
      );
    }
    if (!serviceAccountKey.client_email || !serviceAccountKey.private_key) {
      throw new ApiFailure(
        'invalid-request',
        'That file is not a service-account key: it has no client_email or private_key. Download a JSON key of the service account in the Google Cloud console.',
      );
    }
    secrets = { kind: 'workspace', serviceAccountKey };
    label = settings.workspace.domain ?? settings.workspace.adminEmail.split('@')[1] ?? 'Google Workspace';
  } else {
    const signedIn = await signInGoogle(settings, control.openBrowser ?? session.ports.openBrowser, {
      signal: control.signal,
      timeoutMs: control.timeoutMs,
    });
    secrets = signedIn.secrets;
    label = signedIn.email;
    const existing = connectedAccount(session, 'google', signedIn.email);
    if (existing) {
      const account = await storeNewSignIn(
        session,
        existing,
        secrets,
        settings as unknown as Record<string, unknown>,
      );
      return { account, outcome: 'reconnected' };
    }
  }
  const account = await addAccount(
    session,
    'google',
    label,
    settings as unknown as Record<string, unknown>,
    secrets,
  );
  await session.audit.record('sign-in', `Signed in to Google as ${label}.`);
  return { account, outcome: 'added' };
}

/** Authorities that serve any organisation: a tenant needs its own (issue 14, item 3). */
const SHARED_AUTHORITIES = new Set(['common', 'organizations', 'consumers']);

/** Refuses a tenant given as a shared authority, before any request leaves the machine. */
export function checkTenantAuthority(settings: MicrosoftAccountSettings): void {
  const tenantId = settings.tenant?.tenantId?.trim().toLowerCase() ?? '';
  const lastSegment = settings.authority
    ? (new URL(settings.authority).pathname.split('/').filter(Boolean).pop() ?? '').toLowerCase()
    : '';
  if (SHARED_AUTHORITIES.has(tenantId) || SHARED_AUTHORITIES.has(lastSegment)) {
    throw new ApiFailure(
      'invalid-request',
      'A Microsoft 365 tenant is backed up through its own tenant id (a GUID, or a name like contoso.onmicrosoft.com), not through /common, /organizations or /consumers, which serve every organisation. Enter the tenant id shown in the Entra admin center.',
    );
  }
}

/** Signs in to Microsoft 365 / Outlook.com (or a tenant with an app secret) and adds the account. */
export async function addMicrosoftAccount(
  session: ProfileSession,
  settings: MicrosoftAccountSettings,
  clientSecret?: string,
): Promise<AccountRecord> {
  return (await connectMicrosoftAccount(session, settings, clientSecret)).account;
}

/** Connects a Microsoft account; a mailbox already backed up is signed in again instead of added twice. */
export async function connectMicrosoftAccount(
  session: ProfileSession,
  settings: MicrosoftAccountSettings,
  clientSecret?: string,
  control: SignInControl = {},
): Promise<ConnectOutcome> {
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
    checkTenantAuthority(settings);
    await saveMicrosoftClientSecret(staging, clientSecret);
    label = `Tenant ${settings.tenant.tenantId}`;
  } else {
    label = (
      await signInMicrosoft(settings, control.openBrowser ?? session.ports.openBrowser, staging, {
        signal: control.signal,
        timeoutMs: control.timeoutMs,
      })
    ).email;
    const existing = connectedAccount(session, 'microsoft', label);
    if (existing) {
      const account = await storeNewSignIn(
        session,
        existing,
        collected,
        settings as unknown as Record<string, unknown>,
      );
      return { account, outcome: 'reconnected' };
    }
  }
  const account = await addAccount(
    session,
    'microsoft',
    label,
    settings as unknown as Record<string, unknown>,
    collected,
  );
  await session.audit.record('sign-in', `Signed in to Microsoft as ${label}.`);
  return { account, outcome: 'added' };
}

/** New credentials for a business account whose key or secret was replaced. */
export interface ReconnectCredentials {
  readonly serviceAccountKey?: GoogleServiceAccountKey;
  readonly clientSecret?: string;
}

/**
 * Signs an account in again ("Sign in again", `account reconnect ID`): the same id, history and
 * cursors; only the secrets change. A sign-in as another mailbox is refused with a sentence.
 */
export async function reconnectAccount(
  session: ProfileSession,
  accountId: string,
  control: SignInControl = {},
  credentials: ReconnectCredentials = {},
): Promise<AccountRecord> {
  const account = findAccount(session, accountId);
  const openBrowser = control.openBrowser ?? session.ports.openBrowser;
  const expected = signedInMailbox(account);
  if (account.kind === 'google') {
    const settings = account.settings as unknown as GoogleAccountSettings;
    if (settings.mode === 'workspace') {
      if (!credentials.serviceAccountKey)
        throw new ApiFailure('invalid-request', 'Choose the service account’s new key file (JSON).');
      return verifiedNewSignIn(session, account, {
        kind: 'workspace',
        serviceAccountKey: credentials.serviceAccountKey,
      });
    }
    const signedIn = await signInGoogle(settings, openBrowser, control);
    if (expected && signedIn.email !== expected) throw wrongAccount(signedIn.email, expected);
    return storeNewSignIn(session, account, signedIn.secrets);
  }
  if (account.kind === 'microsoft') {
    const settings = account.settings as unknown as MicrosoftAccountSettings;
    let collected: unknown;
    const staging: AccountSecrets = {
      get: async <T>() => collected as T | undefined,
      set: async <T>(value: T) => {
        collected = value;
      },
    };
    if (settings.mode === 'tenant') {
      if (!credentials.clientSecret)
        throw new ApiFailure('invalid-request', 'Enter the app’s new client secret.');
      checkTenantAuthority(settings);
      await saveMicrosoftClientSecret(staging, credentials.clientSecret);
      return verifiedNewSignIn(session, account, collected);
    }
    const who = await signInMicrosoft(settings, openBrowser, staging, {
      signal: control.signal,
      timeoutMs: control.timeoutMs,
      loginHint: expected,
    });
    if (expected && who.email.toLowerCase() !== expected)
      throw wrongAccount(who.email.toLowerCase(), expected);
    return storeNewSignIn(session, account, collected);
  }
  throw new ApiFailure('invalid-request', 'This account has no sign-in: it reads a file on this computer.');
}

/** Business credentials are tried (listing the users) before they replace the old ones. */
async function verifiedNewSignIn(
  session: ProfileSession,
  account: AccountRecord,
  secrets: unknown,
): Promise<AccountRecord> {
  const trial = await trySecrets(session, account, secrets, false);
  return storeNewSignIn(session, account, trial);
}

/**
 * Asks the source for its users with these secrets, before anything is stored: a wrong key, secret
 * or password fails here with its own sentence. Answers the secrets as the provider left them (a
 * sign-in may refresh a token while listing).
 */
async function trySecrets(
  session: ProfileSession,
  account: AccountRecord,
  secrets: unknown,
  allowOverride: boolean,
): Promise<unknown> {
  let staged: unknown = secrets;
  const deps = {
    clock: session.ports.clock,
    openBrowser: session.ports.openBrowser,
    paths: session.ports.paths,
    secrets: {
      get: async <T>() => staged as T | undefined,
      set: async <T>(value: T) => {
        staged = value;
      },
    },
  };
  const provider =
    (allowOverride ? session.ports.providerOverride?.(account) : undefined) ?? createProvider(account, deps);
  await provider.listUsers({
    signal: new AbortController().signal,
    progress: () => undefined,
    log: () => undefined,
  });
  return staged;
}

/**
 * Connects a source whose descriptor has a form (CardDAV, or a kind a test registers): the values
 * and the secret are checked by the descriptor, the provider is asked for its users (so a wrong
 * password or server fails here, with its sentence) and the secret is sealed in the vault.
 */
export async function connectAccount(
  session: ProfileSession,
  kind: string,
  values: Readonly<Record<string, string>>,
  secret: string | undefined,
  label?: string,
): Promise<AccountRecord> {
  const descriptor = descriptorOf(kind);
  if (!descriptor || descriptor.connect.flow !== 'form') {
    throw new ApiFailure('invalid-request', `This version cannot connect ${kind} accounts with a form.`);
  }
  const known = new Set(
    descriptor.connect.fields.filter((field) => !field.secret).map((field) => field.name),
  );
  const unknown = Object.keys(values).find((name) => !known.has(name));
  if (unknown)
    throw new ApiFailure('invalid-request', `${descriptor.displayName} has no field "${unknown}".`);
  let prepared: ReturnType<typeof descriptor.connect.prepare>;
  try {
    prepared = descriptor.connect.prepare(values, secret);
  } catch (error) {
    if (error instanceof ProviderError) throw new ApiFailure('invalid-request', error.message);
    throw error;
  }
  const settings = descriptor.settingsSchema.parse(prepared.settings) as Record<string, unknown>;
  return addAccount(session, kind, label?.trim() || prepared.label, settings, prepared.secrets);
}

/**
 * Enters a form kind's values and secret again for an existing account (a new app password after
 * the old one was revoked): checked against the source first, then stored, and the account's
 * "sign-in needed" state cleared. The account keeps its id, so its backups continue where they were.
 */
export async function reconnectFormAccount(
  session: ProfileSession,
  accountId: string,
  values: Readonly<Record<string, string>>,
  secret: string | undefined,
): Promise<AccountRecord> {
  const account = findAccount(session, accountId);
  const descriptor = descriptorOf(account.kind);
  if (!descriptor || descriptor.connect.flow !== 'form') {
    throw new ApiFailure('invalid-request', `A ${account.kind} account is not connected with a form.`);
  }
  let prepared: ReturnType<typeof descriptor.connect.prepare>;
  try {
    prepared = descriptor.connect.prepare(values, secret);
  } catch (error) {
    if (error instanceof ProviderError) throw new ApiFailure('invalid-request', error.message);
    throw error;
  }
  const settings = descriptor.settingsSchema.parse(prepared.settings) as Record<string, unknown>;
  const staged = await trySecrets(session, { ...account, settings }, prepared.secrets, true);
  account.settings = settings;
  account.status = 'ok';
  if (staged !== undefined) await accountSecrets(session, account.id).set(staged);
  await session.accounts.save();
  await session.audit.record('sign-in', `Connected ${account.kind} account "${account.label}" again.`);
  return account;
}

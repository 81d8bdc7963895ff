/**
 * The Google source: a ContactProvider over the People API (and the Directory API in Workspace
 * mode), built from the account's settings and secrets. Retries, paging, mapping and writes live in
 * the files beside this one; this file wires them per user and turns failures into ProviderErrors.
 */
import type { AccountSecrets, Clock } from '../../ports';
import { ProviderError, type AccountUser, type ContactProvider, type WorkContext } from '../provider';
import {
  directoryScopes,
  loadSecrets,
  personalAuth,
  workspaceAuth,
  type FetchImplementation,
  type GoogleAuth,
} from './auth-clients';
import { getDirectoryUser, listDirectoryUsers, type DirectoryOptions } from './directory-users';
import { userApi, type UserApi } from './google-api';
import { defaultRetryPolicy, toProviderError, type RetryPolicy } from './retry';
import { contactScopesFor, type GoogleAccountSettings } from './settings';
import { fetchPeople, syncUser } from './sync';
import { googleWriter, type MutationQueue } from './writer';

/** What the host may inject; everything has a production default. */
export interface GoogleProviderDeps {
  readonly clock?: Clock;
  readonly fetchImpl?: FetchImplementation;
  /** Backoff waits; tests pass one that returns at once (or moves a fake clock). */
  readonly sleep?: RetryPolicy['sleep'];
  readonly random?: () => number;
  readonly maxAttempts?: number;
  /** connections.list page size, 1..1000 (default 1000: fewest requests against per-minute quotas). */
  readonly pageSize?: number;
  /** Per-request timeout; a request that takes longer is retried like a reset. Default 60 s. */
  readonly requestTimeoutMs?: number;
}

/**
 * Builds the provider for one Google account. Secrets are read when first needed, so building it
 * costs nothing and a missing sign-in surfaces as ProviderError('auth-required') on first use.
 */
export function createGoogleProvider(
  settings: GoogleAccountSettings,
  secrets: AccountSecrets,
  deps: GoogleProviderDeps = {},
): ContactProvider {
  const retry = defaultRetryPolicy({
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    ...(deps.random ? { random: deps.random } : {}),
    ...(deps.maxAttempts ? { maxAttempts: deps.maxAttempts } : {}),
    now: () => (deps.clock ?? { now: () => new Date() }).now().getTime(),
  });
  const requestTimeoutMs = deps.requestTimeoutMs ?? 60_000;
  const pageSize = deps.pageSize ?? 1000;
  const apiOptions = {
    rootUrl: settings.rootUrl,
    requestTimeoutMs,
    retry,
    fetchImplementation: deps.fetchImpl,
  };
  const directoryOptions: DirectoryOptions = { ...apiOptions, domain: settings.workspace?.domain };

  let personal: Promise<{ email: string; auth: GoogleAuth }> | undefined;
  const sessions = new Map<string, Promise<UserApi>>();
  const directoryEmails = new Map<string, string>();
  const queues = new Map<string, Promise<unknown>>();

  const personalSession = () => {
    personal ??= loadSecrets(secrets, 'personal').then((saved) => ({
      email: saved.email,
      auth: personalAuth(settings, saved, secrets, deps.fetchImpl),
    }));
    personal.catch(() => (personal = undefined));
    return personal;
  };

  const adminAuth = async (): Promise<GoogleAuth> => {
    const admin = settings.workspace?.adminEmail;
    if (!admin)
      throw new ProviderError(
        'invalid-input',
        'This Google Workspace account has no administrator email set.',
      );
    const saved = await loadSecrets(secrets, 'workspace');
    return workspaceAuth(settings, saved, admin, directoryScopes, deps.fetchImpl);
  };

  const openSession = async (userId: string, context: WorkContext): Promise<UserApi> => {
    if (settings.mode === 'personal') {
      const { email, auth } = await personalSession();
      if (userId.toLowerCase() !== email.toLowerCase()) {
        throw new ProviderError('not-found', 'This Google account has no such user.');
      }
      return userApi(userId, email, auth, apiOptions);
    }
    const saved = await loadSecrets(secrets, 'workspace');
    let email = directoryEmails.get(userId) ?? (userId.includes('@') ? userId : undefined);
    if (!email) {
      const found = await getDirectoryUser(await adminAuth(), directoryOptions, userId, context);
      if (!found) throw new ProviderError('not-found', 'This Google Workspace user no longer exists.');
      email = found.email;
      directoryEmails.set(userId, email);
    }
    return userApi(
      userId,
      email,
      workspaceAuth(settings, saved, email, contactScopesFor(settings), deps.fetchImpl),
      apiOptions,
    );
  };

  const session = (userId: string, context: WorkContext): Promise<UserApi> => {
    let existing = sessions.get(userId);
    if (!existing) {
      existing = openSession(userId, context);
      sessions.set(userId, existing);
      existing.catch(() => sessions.delete(userId));
    }
    return existing;
  };

  // One chain per user: Google asks for one user's mutations to be sent one after another.
  const queueFor =
    (userId: string): MutationQueue =>
    <T>(task: () => Promise<T>): Promise<T> => {
      const previous = queues.get(userId) ?? Promise.resolve();
      const run = previous.then(task, task);
      queues.set(
        userId,
        run.catch(() => undefined),
      );
      return run;
    };

  const guard = async <T>(context: WorkContext, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (context.signal.aborted) throw error;
      throw toProviderError(error);
    }
  };

  return {
    listUsers(context) {
      return guard(context, async (): Promise<AccountUser[]> => {
        if (settings.mode === 'personal') {
          const { email } = await personalSession();
          return [{ id: email, email, active: true }];
        }
        const users = await listDirectoryUsers(await adminAuth(), directoryOptions, context);
        for (const user of users) directoryEmails.set(user.id, user.email);
        return users;
      });
    },
    sync(userId, cursor, sink, context) {
      return guard(context, async () =>
        syncUser(await session(userId, context), cursor, sink, context, {
          otherContacts: Boolean(settings.otherContacts),
          pageSize,
        }),
      );
    },
    fetchContacts(userId, sourceIds, context) {
      return guard(context, async () => fetchPeople(await session(userId, context), sourceIds, context));
    },
    writer(userId) {
      const inner = googleWriter((context) => session(userId, context), queueFor(userId));
      return {
        listFolders: (context) => guard(context, () => inner.listFolders(context)),
        createFolder: (name, parentId, context) =>
          guard(context, () => inner.createFolder(name, parentId, context)),
        existing: (targetIds, context) => guard(context, () => inner.existing(targetIds, context)),
        findRestored: (restoreIds, context) => guard(context, () => inner.findRestored(restoreIds, context)),
        create: (items, context) => guard(context, () => inner.create(items, context)),
        update: (items, context) => guard(context, () => inner.update(items, context)),
        unsupportedFields: (contact) => inner.unsupportedFields(contact),
      };
    },
  };
}

/**
 * Workspace users from the Admin SDK Directory API (business edition): the administrator's
 * delegated identity lists the domain's users; suspended users are listed as inactive.
 */
import { admin, type admin_directory_v1 } from '@googleapis/admin';
import type { AccountUser, WorkContext } from '../provider';
import type { GoogleAuth } from './auth-clients';
import { ProviderError } from '../provider';
import { statusOf, toProviderError, withRetry, type RetryPolicy } from './retry';

/** Options for the directory client. */
export interface DirectoryOptions {
  readonly rootUrl?: string;
  readonly domain?: string;
  readonly requestTimeoutMs: number;
  readonly retry: RetryPolicy;
  readonly fetchImplementation?: typeof fetch;
}

function directory(auth: GoogleAuth, options: DirectoryOptions): admin_directory_v1.Admin {
  return admin({
    version: 'directory_v1',
    // Same duck-typed auth as the People client (see google-api.ts asApiAuth).
    auth: auth as unknown as admin_directory_v1.Options['auth'],
    rootUrl: options.rootUrl,
    retry: false,
    fetchImplementation: options.fetchImplementation,
  });
}

function toAccountUser(user: admin_directory_v1.Schema$User): AccountUser | undefined {
  if (!user.id || !user.primaryEmail) return undefined;
  return {
    id: user.id,
    email: user.primaryEmail.toLowerCase(),
    displayName: user.name?.fullName ?? undefined,
    active: !user.suspended && !user.archived,
  };
}

/**
 * A Directory API failure named as the user listing it is (issue 14, item 3), not as a contact or
 * group the People API could not find.
 */
export function directoryFailure(error: unknown): ProviderError {
  const failure = toProviderError(error);
  const status = statusOf(error);
  if (status === 403 || status === 401)
    return new ProviderError(
      'auth-required',
      'Google refused to list the domain’s users. The administrator email must belong to a Workspace administrator, and the service account needs domain-wide delegation for the Directory API (admin.directory.user.readonly).',
    );
  if (failure.code === 'not-found' || failure.code === 'invalid-input')
    return new ProviderError(
      failure.code,
      'Google’s Directory API could not list the domain’s users. Check the administrator email and the domain.',
    );
  return failure;
}

/** Every user of the domain (all pages of users.list). */
export async function listDirectoryUsers(
  auth: GoogleAuth,
  options: DirectoryOptions,
  context: WorkContext,
): Promise<AccountUser[]> {
  try {
    return await readDirectoryUsers(auth, options, context);
  } catch (error) {
    if (context.signal.aborted) throw error;
    throw directoryFailure(error);
  }
}

async function readDirectoryUsers(
  auth: GoogleAuth,
  options: DirectoryOptions,
  context: WorkContext,
): Promise<AccountUser[]> {
  const api = directory(auth, options);
  const users: AccountUser[] = [];
  let pageToken: string | undefined;
  do {
    const token = pageToken;
    const { data } = await withRetry(
      'directory.users.list',
      () =>
        api.users.list(
          {
            customer: options.domain ? undefined : 'my_customer',
            domain: options.domain,
            maxResults: 500,
            orderBy: 'email',
            pageToken: token,
          },
          { retry: false, timeout: options.requestTimeoutMs, signal: context.signal },
        ),
      options.retry,
      context.signal,
      (line) => context.log(line),
    );
    for (const user of data.users ?? []) {
      const mapped = toAccountUser(user);
      if (mapped) users.push(mapped);
    }
    pageToken = data.nextPageToken ?? undefined;
  } while (pageToken);
  return users;
}

/** One user by directory id (to find the email a delegated token needs). */
export async function getDirectoryUser(
  auth: GoogleAuth,
  options: DirectoryOptions,
  userKey: string,
  context: WorkContext,
): Promise<AccountUser | undefined> {
  const api = directory(auth, options);
  const { data } = await withRetry(
    'directory.users.get',
    () =>
      api.users.get({ userKey }, { retry: false, timeout: options.requestTimeoutMs, signal: context.signal }),
    options.retry,
    context.signal,
    (line) => context.log(line),
  );
  return toAccountUser(data);
}

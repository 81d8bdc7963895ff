/**
 * Workspace users from the Admin SDK Directory API (business edition): the administrator's
 * delegated identity lists the domain's users; suspended users are listed as inactive.
 */
import { admin, type admin_directory_v1 } from '@googleapis/admin';
import type { AccountUser, WorkContext } from '../provider';
import type { GoogleAuth } from './auth-clients';
import { withRetry, type RetryPolicy } from './retry';

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

/** Every user of the domain (all pages of users.list). */
export async function listDirectoryUsers(
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

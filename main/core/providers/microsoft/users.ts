/** Who an account can back up: the signed-in user (personal) or every directory user (tenant). */
import { ProviderError, type AccountUser } from '../provider';
import type { TokenSource } from './auth';
import type { GraphClient } from './graph-client';

interface GraphUser {
  id?: string;
  displayName?: string | null;
  mail?: string | null;
  userPrincipalName?: string | null;
  accountEnabled?: boolean | null;
}

/** The signed-in user, from MSAL's account (needs no extra Graph scope). */
export async function signedInUser(tokens: TokenSource): Promise<AccountUser[]> {
  const account = await tokens.account();
  if (!account)
    throw new ProviderError(
      'auth-required',
      'Sign in to this Microsoft account again to continue backing it up.',
    );
  return [
    {
      id: account.localAccountId || account.homeAccountId,
      email: account.username,
      displayName: account.name,
      active: true,
    },
  ];
}

/** Every user of the tenant, page by page; disabled accounts come back with `active: false`. */
export async function directoryUsers(client: GraphClient, signal?: AbortSignal): Promise<AccountUser[]> {
  const users: AccountUser[] = [];
  const top = Math.min(999, client.pageSize);
  const first = `/users?$select=id,displayName,mail,userPrincipalName,accountEnabled&$top=${top}`;
  for await (const page of client.pages<GraphUser>(first, signal)) {
    for (const user of page) {
      if (!user.id) continue;
      users.push({
        id: user.id,
        email: user.mail || user.userPrincipalName || '',
        displayName: user.displayName ?? undefined,
        active: user.accountEnabled !== false,
      });
    }
  }
  return users;
}

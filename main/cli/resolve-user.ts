/**
 * Resolves `--account ID[/USER]` (or the only account) to a user key, and a contact id to the user
 * whose backup holds it, from what the API answers (`accounts.list`, `contacts.get`).
 */
import { userKeyOf } from '../core/history/types';
import { ApiFailure } from '../core/contract/api-failure';
import type { CliApi } from './cli-context';
import { CliError } from './cli-error';

/** What resolving needs of an account: the `accounts.list` view has it. */
interface AccountUsers {
  readonly id: string;
  readonly users: readonly { readonly id: string; readonly email: string }[];
}

export function resolveUserKey(
  accounts: readonly AccountUsers[],
  spec: string | undefined,
  what = '--account',
): string {
  if (!spec) {
    const users = accounts.flatMap((account) => account.users.map((user) => userKeyOf(account.id, user.id)));
    if (users.length === 1) return users[0];
    throw new CliError(`There are ${users.length} users; choose one with ${what} ACCOUNT[/USER].`);
  }
  const [accountId, userSpec] = spec.split('/', 2) as [string, string | undefined];
  const account = accounts.find((candidate) => candidate.id === accountId);
  if (!account) throw new CliError(`There is no account "${accountId}" (see \`account list\`).`);
  const user = userSpec
    ? account.users.find((candidate) => candidate.id === userSpec || candidate.email === userSpec)
    : account.users.length === 1
      ? account.users[0]
      : undefined;
  if (!user) throw new CliError(`Choose the user of account ${accountId}: ${what} ${accountId}/USER.`);
  return userKeyOf(account.id, user.id);
}

/** The user whose backup holds a contact, or undefined when it is not in the backup (or not an id). */
export async function ownerOf(api: CliApi, contactId: string): Promise<string | undefined> {
  try {
    return (await api.call('contacts.get', { contactId })).summary.userKey;
  } catch (error) {
    if (error instanceof ApiFailure && (error.code === 'not-found' || error.code === 'invalid-request'))
      return undefined;
    throw error;
  }
}
